CREATE TABLE pipeline (
    id             UUID PRIMARY KEY,
    name           TEXT        NOT NULL UNIQUE,
    repository_url TEXT        NOT NULL,
    forge          TEXT        NOT NULL CHECK (forge IN ('github', 'gitlab', 'generic')),
    branch         TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
