-- Whole-tenant and filtered exports: what was asked (a selection instead of ids) and when the
-- snapshot the bundle was read from was taken.
alter table export_jobs add column selection jsonb;
alter table export_jobs add column snapshot_at timestamptz;
