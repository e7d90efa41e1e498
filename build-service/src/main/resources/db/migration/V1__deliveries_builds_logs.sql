-- Webhook deliveries seen and builds (pipelines: platform's pipeline_directory; build logs:
-- platform's log_line).

create table webhook_delivery (
    delivery_id text primary key,
    pipeline_id uuid        not null,
    event       text        not null,
    outcome     text        not null,
    build_id    uuid,
    received_at timestamptz not null
);

create table build (
    id                   uuid primary key,
    pipeline_id          uuid        not null,
    repository_url       text        not null,
    commit_sha           text        not null,
    branch               text        not null,
    pr_number            integer,
    fork                 boolean     not null,
    trigger              text        not null,
    requested_by         text        not null,
    status               text        not null,
    cancel_requested     boolean     not null default false,
    created_at           timestamptz not null,
    started_at           timestamptz,
    finished_at          timestamptz,
    error                text,
    source_bundle_digest text,
    source_bundle_uri    text,
    artifact_digest      text,
    artifact_uri         text,
    artifact_size        bigint,
    process_types        text,
    stack                text,
    buildpacks           text
);
create index build_queue on build (status, created_at);
create index build_pipeline on build (pipeline_id, created_at desc);

