-- Projections of other services' events (the "history"): the overview, the DORA metrics and the
-- promotion gates read them. Events of different topics arrive in any order, so a row may be created
-- by whichever event comes first; only the key and what every event of its kind carries are NOT NULL.

-- status: queued | started | pending | succeeded | failed
CREATE TABLE build_view (
    build_id        TEXT PRIMARY KEY,
    pipeline_id     TEXT        NOT NULL,
    commit_sha      TEXT,
    branch          TEXT,
    pr_number       INT,
    fork            BOOLEAN,
    status          TEXT        NOT NULL,
    artifact_digest TEXT,
    queued_at       TIMESTAMPTZ,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX build_view_artifact_digest ON build_view (artifact_digest);
CREATE INDEX build_view_in_flight ON build_view (pipeline_id) WHERE finished_at IS NULL;

-- status: Heroku CI's test-run statuses
CREATE TABLE test_run_view (
    test_run_id TEXT PRIMARY KEY,
    pipeline_id TEXT        NOT NULL,
    number      INT,
    build_id    TEXT,
    commit_sha  TEXT,
    branch      TEXT,
    status      TEXT        NOT NULL,
    message     TEXT,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX test_run_view_commit ON test_run_view (pipeline_id, commit_sha);

-- status: pending | succeeded | failed
CREATE TABLE release_view (
    release_id      TEXT PRIMARY KEY,
    pipeline_id     TEXT        NOT NULL,
    app_name        TEXT        NOT NULL,
    version         INT         NOT NULL,
    artifact_digest TEXT,
    status          TEXT        NOT NULL,
    description     TEXT,
    cause           TEXT,
    created_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX release_view_app_version ON release_view (app_name, version);

-- Pushes to a branch; pushes that deleted the branch are not recorded.
CREATE TABLE push_view (
    pipeline_id TEXT,
    branch      TEXT,
    after_sha   TEXT,
    before_sha  TEXT,
    pushed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pipeline_id, branch, after_sha)
);
CREATE INDEX push_view_commit ON push_view (pipeline_id, after_sha);

-- Review apps only (environment kind review); status: Heroku's review-app statuses
CREATE TABLE review_app_view (
    environment_id TEXT PRIMARY KEY,
    pipeline_id    TEXT        NOT NULL,
    app_name       TEXT,
    pr_number      INT,
    status         TEXT        NOT NULL,
    url            TEXT,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_app_view_pipeline ON review_app_view (pipeline_id);
