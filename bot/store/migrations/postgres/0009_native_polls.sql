-- PostgreSQL twin of ../0009_native_polls.sql.
ALTER TABLE polls ADD COLUMN native BIGINT NOT NULL DEFAULT 0 CHECK (native IN (0, 1));
