-- Add-ons attached to ordinary apps (heroku-postgresql): one database and login role each on
-- Slipway's PostgreSQL. The role's password lives only in the app's config var (DATABASE_URL).

create table addon (
    name          text primary key,
    app_name      text        not null references app (name) on delete cascade,
    plan          text        not null,
    database_name text        not null unique,
    config_var    text        not null,
    created_by    text        not null,
    created_at    timestamptz not null
);
create index addon_app on addon (app_name, created_at);
