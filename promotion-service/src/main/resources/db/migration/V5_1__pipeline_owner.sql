-- The Pipeline resource (namespace and uid) that created a pipeline: only that resource may manage
-- or delete it, so a resource never adopts a pipeline by name (ADR 0016, docs/gitops.md). Both
-- are null for a pipeline created through the API.
ALTER TABLE pipeline
    ADD COLUMN owner_namespace TEXT,
    ADD COLUMN owner_uid       TEXT,
    ADD CONSTRAINT pipeline_owner_complete CHECK ((owner_namespace IS NULL) = (owner_uid IS NULL));
