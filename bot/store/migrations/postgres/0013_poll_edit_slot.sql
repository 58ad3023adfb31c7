-- PostgreSQL twin of ../0013_poll_edit_slot.sql.
ALTER TABLE polls ADD COLUMN next_edit_ms BIGINT;
