-- A failed attempt is retried after a backoff: claim and the sweep leave a pending job alone until then.
alter table export_jobs add column not_before timestamptz;
