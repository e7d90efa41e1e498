-- Several replicas on one database (ADR 0017): each running build records the instance incarnation
-- that claimed it, and each incarnation keeps a heartbeat row; a sweep errors only builds whose
-- owner's heartbeat is stale or that a previous incarnation of the same replica left running.

create table service_instance (
    id           uuid primary key,
    name         text        not null,
    started_at   timestamptz not null,
    heartbeat_at timestamptz not null
);

alter table build add column owner_instance uuid;
