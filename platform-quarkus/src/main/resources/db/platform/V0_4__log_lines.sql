-- Output lines of whatever a service runs for users (build logs, test-node output), in order per
-- owner (a build, a test run) and stream (0, or a test node's index).
create table log_line (
    owner_id uuid        not null,
    stream   integer     not null,
    seq      integer     not null,
    at       timestamptz not null,
    line     text        not null,
    primary key (owner_id, stream, seq)
);
