-- Verify-before-import. An import's rows are staged in one transaction together with its
-- completion; a rejected or broken-off import leaves no row behind.

create table imports (
    import_id          uuid primary key,
    tenant_id          uuid        not null,
    status             text        not null check (status in ('awaiting_upload', 'verifying', 'completed', 'rejected', 'failed')),
    request            jsonb       not null,
    upload_expires_at  timestamptz not null,
    attempts           integer     not null default 0,
    lease_until        timestamptz,
    lease_owner        uuid,
    -- Provenance: what the verified bundle says of its origin.
    source_tenant_id   uuid,
    source_export_id   uuid,
    signer_fingerprint text,
    bundle_format      text,
    bundle_sha256      text,
    document_count     integer,
    chunk_count        integer,
    documents_written  integer,
    chunks_written     integer,
    documents_skipped  integer,
    chunks_skipped     integer,
    report             jsonb,
    error              text,
    created_at         timestamptz not null default date_trunc('second', now()),
    updated_at         timestamptz not null default now(),
    completed_at       timestamptz
);
create index imports_tenant_idx on imports (tenant_id, import_id);
create index imports_open_idx on imports (status, updated_at) where status in ('awaiting_upload', 'verifying');

-- Which import wrote a row, and what it was called at its source: provenance lives here, not in
-- the tenant's document fields.
create table imported_rows (
    tenant_id        uuid not null,
    kind             text not null check (kind in ('document', 'chunk')),
    target_id        uuid not null,
    import_id        uuid not null references imports (import_id),
    source_tenant_id uuid not null,
    source_id        uuid not null,
    primary key (tenant_id, kind, target_id)
);
create index imported_rows_import_idx on imported_rows (tenant_id, import_id);

-- Bundles list chunks/ before documents/ (paths sort that way): an import writes a chunk before
-- its document, inside one transaction, so the reference is checked at commit.
alter table chunks alter constraint chunks_document_id_fkey deferrable initially immediate;
