-- When the build of an artifact was queued: the place of its commit in the branch's history, so
-- that auto-deploy only moves a staging app forward (a CI re-run of an older commit deploys
-- nothing). Artifacts recorded before this column existed take the time they were recorded.
alter table artifact add column queued_at timestamptz;
update artifact set queued_at = created_at where queued_at is null;
alter table artifact alter column queued_at set not null;
