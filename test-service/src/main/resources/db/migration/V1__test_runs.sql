-- Test runs, their nodes, test cases and output, the succeeded builds they can re-run, and the
-- flaky-test signal (pipelines: platform's pipeline_directory).

-- One row per pipeline: run numbers are allocated by incrementing it (row lock), so concurrent
-- runs of one pipeline never share a number.
create table test_run_counter (
    pipeline_id uuid primary key,
    last_number integer not null
);

-- Succeeded builds seen on slipway.builds: what a manual re-run of a commit tests.
create table succeeded_build (
    build_id             text primary key,
    pipeline_id          uuid        not null,
    commit_sha           text        not null,
    branch               text        not null,
    pr_number            integer,
    fork                 boolean     not null,
    artifact_digest      text,
    source_bundle_digest text,
    source_bundle_uri    text,
    finished_at          timestamptz not null
);
create index succeeded_build_commit on succeeded_build (pipeline_id, commit_sha, finished_at desc);

create table test_run (
    id                   uuid primary key,
    pipeline_id          uuid        not null,
    number               integer     not null,
    build_id             text        not null,
    commit_sha           text        not null,
    branch               text        not null,
    pr_number            integer,
    fork                 boolean     not null,
    artifact_digest      text,
    source_bundle_digest text,
    source_bundle_uri    text,
    trigger              text        not null,
    requested_by         text        not null,
    status               text        not null,
    message              text,
    cancel_requested     boolean     not null default false,
    created_at           timestamptz not null,
    started_at           timestamptz,
    finished_at          timestamptz,
    passed               integer,
    failed               integer,
    skipped              integer,
    unique (pipeline_id, number)
);
-- A build gets one automatic run however often its build.finished is delivered.
create unique index test_run_automatic_build on test_run (pipeline_id, build_id)
    where trigger = 'automatic';
create index test_run_queue on test_run (status, created_at);
create index test_run_pipeline on test_run (pipeline_id, number desc);
create index test_run_commit on test_run (pipeline_id, commit_sha);

create table test_node (
    id          uuid primary key,
    run_id      uuid        not null references test_run (id),
    node_index  integer     not null,
    status      text        not null,
    exit_code   integer,
    duration_ms bigint,
    message     text,
    unique (run_id, node_index)
);

create table test_case (
    id          uuid primary key,
    run_id      uuid    not null references test_run (id),
    node_index  integer not null,
    seq         integer not null,
    suite       text    not null,
    name        text    not null,
    outcome     text    not null,
    duration_ms bigint,
    message     text
);
create index test_case_run on test_case (run_id, outcome, node_index, seq);


-- A test case that failed in one run of a commit and passed in a later run of the same commit.
create table flaky_test (
    id             uuid primary key,
    pipeline_id    uuid        not null,
    commit_sha     text        not null,
    suite          text        not null,
    name           text        not null,
    failed_run_id  uuid        not null,
    passed_run_id  uuid        not null,
    detected_at    timestamptz not null,
    unique (passed_run_id, suite, name)
);
create index flaky_test_pipeline on flaky_test (pipeline_id, detected_at desc);
