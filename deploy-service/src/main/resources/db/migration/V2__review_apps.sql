-- Review apps (one per open pull request of a pipeline) and which builds passed their tests, so a
-- wait-for-CI review app can take the latest green build whichever event arrives first.

alter table artifact add column tests_passed boolean not null default false;
alter table artifact add column app_json text;
create index artifact_pr on artifact (pipeline_id, pr_number, created_at desc);

create table review_app (
    id               uuid primary key,
    pipeline_id      uuid        not null,
    pr_number        integer     not null,
    branch           text        not null,
    app_name         text        not null,
    fork             boolean     not null,
    approved         boolean     not null,
    status           text        not null,
    error            text,
    desired_digest   text,
    released_digest  text,
    postdeploy_done  boolean     not null default false,
    database_name    text,
    last_deployed_at timestamptz,
    created_at       timestamptz not null,
    deleted_at       timestamptz
);
-- One live review app per pull request; deleted ones stay as history.
create unique index review_app_live on review_app (pipeline_id, pr_number) where status <> 'deleted';
create index review_app_work on review_app (status);
