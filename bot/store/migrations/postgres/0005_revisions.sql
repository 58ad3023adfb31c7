-- PostgreSQL twin of ../0005_revisions.sql. PostgreSQL changes the delivery key in place (SQLite rebuilds the
-- table); identity values are never reused, as AUTOINCREMENT guarantees there.
ALTER TABLE episodes ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

ALTER TABLE deliveries ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN slot_at BIGINT;
UPDATE deliveries SET slot_at = due_at + offset_s WHERE kind IN ('remind', 'dm');
ALTER TABLE deliveries DROP CONSTRAINT deliveries_once;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_once UNIQUE (target_id, episode_id, kind, revision);

ALTER TABLE polls ADD COLUMN content_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN shown_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX polls_stale ON polls (id) WHERE shown_version < content_version;
