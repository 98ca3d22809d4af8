-- Frostbyte export schema. Every table holding tenant data carries tenant_id, and every query
-- on it filters by tenant_id.

create table documents (
    id           uuid primary key,
    tenant_id    uuid        not null,
    title        text        not null,
    source_uri   text,
    content_type text        not null default 'text/plain',
    content      text        not null,
    metadata     jsonb       not null default '{}'::jsonb,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index documents_tenant_idx on documents (tenant_id, id);

create table chunks (
    chunk_id    uuid primary key,
    document_id uuid        not null references documents (id) on delete cascade,
    tenant_id   uuid        not null,
    chunk_index integer     not null check (chunk_index >= 0),
    text        text        not null,
    token_count integer     not null default 0,
    metadata    jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    unique (document_id, chunk_index)
);
create index chunks_tenant_document_idx on chunks (tenant_id, document_id);

create table tenant_keys (
    tenant_id   uuid        not null,
    fingerprint text        not null check (fingerprint ~ '^[0-9A-F]{40}$'),
    algorithm   text        not null,
    public_key  text        not null,
    status      text        not null check (status in ('active', 'retired')),
    created_at  timestamptz not null default now(),
    retired_at  timestamptz,
    primary key (tenant_id, fingerprint)
);
-- At most one active key per tenant; retired keys stay so old bundles remain verifiable.
create unique index tenant_keys_one_active on tenant_keys (tenant_id) where status = 'active';

create table export_jobs (
    export_id          uuid primary key,
    tenant_id          uuid        not null,
    status             text        not null check (status in ('pending', 'running', 'completed', 'failed')),
    document_ids       uuid[]      not null,
    include_chunks     boolean     not null,
    attempts           integer     not null default 0,
    lease_until        timestamptz,
    lease_owner        uuid,
    bundle_key         text,
    bundle_size        bigint,
    bundle_sha256      text,
    signer_fingerprint text,
    document_count     integer,
    chunk_count        integer,
    files_total        integer,
    files_done         integer     not null default 0,
    error              text,
    idempotency_key    text,
    request_hash       text,
    created_at         timestamptz not null default date_trunc('second', now()),
    updated_at         timestamptz not null default now(),
    completed_at       timestamptz,
    unique (tenant_id, idempotency_key)
);
create index export_jobs_tenant_idx on export_jobs (tenant_id, export_id);
create index export_jobs_open_idx on export_jobs (status, updated_at) where status in ('pending', 'running');
