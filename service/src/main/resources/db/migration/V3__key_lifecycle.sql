-- Key lifecycle: rotation, revocation, audit.

alter table tenant_keys drop constraint tenant_keys_status_check;
alter table tenant_keys add constraint tenant_keys_status_check check (status in ('active', 'retired', 'revoked'));
alter table tenant_keys add column revoked_at timestamptz;
alter table tenant_keys add column revocation_reason text check (revocation_reason in ('compromised', 'superseded'));
-- Key-revocation signatures made by each key when it was made, one per reason: unpublished until a
-- revoke, so that a key whose secret is already destroyed can still be revoked. Not secret (they
-- can only revoke), but whoever holds one can revoke the key: never returned by the API.
alter table tenant_keys add column revocation_compromised text;
alter table tenant_keys add column revocation_superseded text;
alter table tenant_keys add constraint tenant_keys_revoked_consistent
    check ((status = 'revoked') = (revoked_at is not null) and (revoked_at is null) = (revocation_reason is null));

-- Who changed which key, when and why. Append-only.
create table key_audit (
    id                   bigserial primary key,
    tenant_id            uuid        not null,
    at                   timestamptz not null default now(),
    actor                text        not null,
    action               text        not null check (action in ('create', 'rotate', 'rotate_expired', 'replace_lost', 'revoke')),
    fingerprint          text        not null,
    previous_fingerprint text,
    reason               text
);
create index key_audit_tenant_idx on key_audit (tenant_id, at);
