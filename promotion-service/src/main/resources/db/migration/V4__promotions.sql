CREATE TABLE promotion (
    id                UUID PRIMARY KEY,
    pipeline_id       UUID        NOT NULL,
    source_app        TEXT        NOT NULL,
    source_release_id TEXT        NOT NULL,
    source_version    INT         NOT NULL,
    artifact_digest   TEXT        NOT NULL,
    commit_sha        TEXT,
    status            TEXT        NOT NULL CHECK (status IN ('pending', 'completed')),
    requested_by      TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    -- set when every gate passed and promotion.requested was recorded
    requested_at      TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ
);
CREATE INDEX promotion_pipeline ON promotion (pipeline_id, created_at DESC);

CREATE TABLE promotion_target (
    id           UUID PRIMARY KEY,
    promotion_id UUID NOT NULL REFERENCES promotion (id) ON DELETE CASCADE,
    app_name     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    release_id   TEXT,
    error        TEXT,
    UNIQUE (promotion_id, app_name)
);

-- The last evaluation of each gate, so a blocked promotion says why.
CREATE TABLE promotion_gate (
    id           UUID PRIMARY KEY,
    promotion_id UUID        NOT NULL REFERENCES promotion (id) ON DELETE CASCADE,
    gate         TEXT        NOT NULL,
    passed       BOOLEAN     NOT NULL,
    reason       TEXT        NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (promotion_id, gate)
);

CREATE TABLE promotion_approval (
    id           UUID PRIMARY KEY,
    promotion_id UUID        NOT NULL REFERENCES promotion (id) ON DELETE CASCADE,
    approver     TEXT        NOT NULL,
    approved_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (promotion_id, approver)
);
