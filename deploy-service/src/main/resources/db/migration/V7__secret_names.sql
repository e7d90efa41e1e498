-- The names of an app's config vars that are secret whatever they are called (a review app's
-- pipeline review config, app.json generator: secret values, vars a user marked), carried with
-- the app's config and with every release's snapshot, so the API redacts them and logs mask them.

alter table app add column secret_names text not null default '[]';
alter table release add column secret_names text not null default '[]';
