-- Secrets are write-only through the API; they reach other services only as their own config.
ALTER TABLE pipeline
    ADD COLUMN webhook_secret          TEXT,
    ADD COLUMN forge_token             TEXT,
    ADD COLUMN auto_deploy_enabled     BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN auto_deploy_branch      TEXT,
    ADD COLUMN auto_deploy_wait_for_ci BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN review_apps_enabled     BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN review_apps_wait_for_ci BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN review_apps_stale_days  INT     NOT NULL DEFAULT 5,
    ADD COLUMN review_apps_base_name   TEXT,
    ADD COLUMN test_config_vars        TEXT    NOT NULL DEFAULT '{}',
    ADD COLUMN review_config_vars      TEXT    NOT NULL DEFAULT '{}',
    ADD COLUMN required_approvals      INT     NOT NULL DEFAULT 0,
    ADD COLUMN self_approval           BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN require_passing_tests   BOOLEAN NOT NULL DEFAULT true;

-- Heroku's couplings: an app belongs to one stage of one pipeline.
CREATE TABLE pipeline_coupling (
    app_name    TEXT PRIMARY KEY,
    pipeline_id UUID NOT NULL REFERENCES pipeline (id) ON DELETE CASCADE,
    stage       TEXT NOT NULL CHECK (stage IN ('review', 'staging', 'production')),
    position    INT  NOT NULL
);
CREATE INDEX pipeline_coupling_pipeline ON pipeline_coupling (pipeline_id);
