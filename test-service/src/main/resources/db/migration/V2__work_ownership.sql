-- Several replicas on one database (ADR 0017): each started test run records the instance
-- incarnation that claimed it, and each incarnation keeps a heartbeat row; a sweep errors only runs
-- whose owner's heartbeat is stale or that a previous incarnation of the same replica left running.

create table service_instance (
    id           uuid primary key,
    name         text        not null,
    started_at   timestamptz not null,
    heartbeat_at timestamptz not null
);

alter table test_run add column owner_instance uuid;
