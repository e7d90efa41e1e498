-- Deliberately not idempotent: one row per time the handler ran, so a second run of the same event
-- would show as a second row.
CREATE TABLE received_event (
    id          BIGSERIAL PRIMARY KEY,
    event_id    TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    pipeline_id TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
