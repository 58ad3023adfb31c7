-- PostgreSQL twin of ../0014_poll_results.sql.
ALTER TABLE polls ADD COLUMN results_message_id BIGINT;
ALTER TABLE polls ADD COLUMN results_claim_until TEXT COLLATE "C";
UPDATE polls SET results_message_id = 0 WHERE closed_at IS NOT NULL;
