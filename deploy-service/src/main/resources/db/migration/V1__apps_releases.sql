-- Artifacts seen on build.finished, apps with their config vars and formation, and releases
-- (immutable: artifact + config snapshot).

create table artifact (
    digest        text primary key,
    uri           text        not null,
    size          bigint,
    process_types text        not null,
    build_id      uuid        not null,
    pipeline_id   uuid        not null,
    commit_sha    text        not null,
    branch        text        not null,
    pr_number     integer,
    fork          boolean     not null,
    created_at    timestamptz not null
);
create index artifact_build on artifact (build_id);

create table app (
    name         text primary key,
    pipeline_id  uuid,
    stage        text,
    -- JSON objects: config var name -> value, process type -> quantity.
    config       text        not null,
    formation    text        not null,
    next_version integer     not null,
    created_at   timestamptz not null
);

create table release (
    id              uuid primary key,
    app_name        text        not null references app (name) on delete cascade,
    version         integer     not null,
    artifact_digest text        not null,
    config          text        not null,
    process_types   text        not null,
    description     text        not null,
    cause           text        not null,
    created_by      text        not null,
    promotion_id    uuid,
    status          text        not null,
    error           text,
    output          text,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    unique (app_name, version)
);
create index release_pending on release (status, created_at);
