-- A test run's success may arrive before the build.finished of its build (different topics): it is
-- kept here until the artifact is recorded, so wait-for-CI deploys it then.
create table passed_build (
    build_id    uuid primary key,
    run_number  integer     not null,
    recorded_at timestamptz not null
);
