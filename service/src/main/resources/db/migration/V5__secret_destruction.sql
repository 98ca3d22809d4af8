-- When a retired or revoked key's secret was destroyed; null means not yet (or not confirmed), and
-- the worker tries again.
alter table tenant_keys add column secret_destroyed_at timestamptz;
