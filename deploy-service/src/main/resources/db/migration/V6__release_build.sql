-- The build an auto-deploy released. Reproducible builds give several builds (a rebuild, a
-- re-push of an already-built commit) one digest: which commit staging runs, and so whether a
-- build moves it forward, is known only by build, not by digest. Null for other releases.

alter table release add column build_id uuid;
