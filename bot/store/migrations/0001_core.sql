-- Core tables: key/value facts about this install, and per-server settings.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    announce_channel_id INTEGER,
    manager_role_id     INTEGER,
    poll_creators       TEXT    NOT NULL DEFAULT 'managers' CHECK (poll_creators IN ('managers', 'everyone')),
    timezone            TEXT    NOT NULL DEFAULT 'UTC',
    grace_minutes       INTEGER NOT NULL DEFAULT 360 CHECK (grace_minutes BETWEEN 0 AND 10080),
    left_at             TEXT    -- ISO time the bot was removed from the server; NULL while it is there
);
