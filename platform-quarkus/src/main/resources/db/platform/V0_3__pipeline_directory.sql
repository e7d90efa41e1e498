-- Every service's projection of the compacted pipelines topic: the latest snapshot per pipeline,
-- secrets still sealed (ADR 0008). Services that do not consume the topic leave it empty.
create table pipeline_directory (
    id             uuid primary key,
    name           text        not null,
    repository_url text        not null,
    snapshot       text        not null,
    updated_at     timestamptz not null
);
create index pipeline_directory_name on pipeline_directory (name);
