-- Reuse: a push of a commit this pipeline already built successfully records a build that
-- reuses the earlier one's artifact (reused_from) instead of building again. app_json keeps what
-- the build.finished event carried, so the reusing build can announce the same.

alter table build add column reused_from uuid;
alter table build add column app_json text;
create index build_commit on build (pipeline_id, commit_sha);
