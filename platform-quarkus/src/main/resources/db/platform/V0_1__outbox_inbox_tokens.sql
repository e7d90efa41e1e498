-- Shared by every service, applied in each service's own schema before its own migrations (V1+).

-- Transactional outbox: rows are written in the same transaction as the state change that caused
-- them, and published to Kafka by the relay in id order.
CREATE TABLE outbox_event (
    id           BIGSERIAL PRIMARY KEY,
    event_id     TEXT        NOT NULL UNIQUE,
    event_type   TEXT        NOT NULL,
    topic        TEXT        NOT NULL,
    event_key    TEXT        NOT NULL,
    headers      TEXT        NOT NULL,
    payload      BYTEA       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- NOTIFY is delivered only when the inserting transaction commits, so the relay wakes exactly when
-- there is something committed to publish. The channel names the schema: one database, four services.
CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('slipway_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_event_inserted AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();

-- Idempotent consumer: one row per consumed event id, written in the transaction of its effect.
CREATE TABLE processed_event (
    consumer_group TEXT        NOT NULL,
    event_id       TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    processed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);

-- API tokens: only the SHA-256 of a token is stored.
CREATE TABLE api_token (
    id         UUID PRIMARY KEY,
    name       TEXT        NOT NULL,
    role       TEXT        NOT NULL CHECK (role IN ('viewer', 'developer', 'admin')),
    token_hash TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
