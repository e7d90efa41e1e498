-- Delivery ids are unique per pipeline, not across pipelines (two pipelines may follow one
-- repository and receive the same delivery). The digest of each accepted body lets intake refuse
-- the same signed body replayed under a new delivery id.

alter table webhook_delivery drop constraint webhook_delivery_pkey;
alter table webhook_delivery add primary key (pipeline_id, delivery_id);
alter table webhook_delivery add column body_digest text;
create index webhook_delivery_body on webhook_delivery (pipeline_id, body_digest, received_at);
