-- How often a job was given back unfinished because its worker's invocation was ending: only the
-- first few give-backs refund their attempt, so a bundle too large for any invocation still fails.
alter table export_jobs add column given_back integer not null default 0;
