-- A row with no payload is a Kafka tombstone: compaction then forgets the key (pipeline deleted).
ALTER TABLE outbox_event ALTER COLUMN payload DROP NOT NULL;
