-- PostgreSQL twin of ../0001_core.sql. Dialect differences, here and in every twin: INTEGER columns are
-- BIGINT (Discord ids and epoch seconds need 64 bits), TEXT is COLLATE "C" (byte order, as SQLite compares),
-- REAL is DOUBLE PRECISION, integer keys are identity columns. Booleans stay 0/1 integers, as in SQLite.
CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE guild_settings (
    guild_id            BIGINT PRIMARY KEY,
    announce_channel_id BIGINT,
    manager_role_id     BIGINT,
    poll_creators       TEXT COLLATE "C" NOT NULL DEFAULT 'managers' CHECK (poll_creators IN ('managers', 'everyone')),
    timezone            TEXT COLLATE "C" NOT NULL DEFAULT 'UTC',
    grace_minutes       BIGINT NOT NULL DEFAULT 360 CHECK (grace_minutes BETWEEN 0 AND 10080),
    left_at             TEXT COLLATE "C"
);
