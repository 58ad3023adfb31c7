-- Airing schedules, server follows, member reminders, and the delivery log (the announcer's outbox).
-- Times are whole UTC seconds since the epoch (INTEGER): compact, index-friendly, no zone ambiguity.
CREATE TABLE episodes (
    id              INTEGER PRIMARY KEY,
    drama_id        INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL CHECK (number >= 1),
    air_at          INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'aired', 'delayed', 'cancelled')),
    original_air_at INTEGER,                     -- before a delay / pre-emption
    finale          INTEGER NOT NULL DEFAULT 0,
    special         INTEGER NOT NULL DEFAULT 0,
    title           TEXT,
    availability    TEXT    NOT NULL DEFAULT '[]', -- JSON [{"platform": "Viki", "offset_minutes": 60}]
    UNIQUE (drama_id, number)
);
CREATE INDEX episodes_air_at ON episodes (air_at);

-- A server announcing a drama. paused_at is set when Discord refused (50013/10003); re-running
-- /schedule follow clears it.
CREATE TABLE follows (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    drama_id       INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    channel_id     INTEGER NOT NULL,
    role_id        INTEGER,
    remind_minutes INTEGER CHECK (remind_minutes IS NULL OR remind_minutes BETWEEN 1 AND 1440),
    threads        INTEGER NOT NULL DEFAULT 0,
    events         INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    paused_at      INTEGER,
    paused_reason  TEXT,
    UNIQUE (guild_id, drama_id)
);
CREATE INDEX follows_drama ON follows (drama_id);

-- A member's DM reminder before each episode of a drama.
CREATE TABLE member_reminders (
    user_id    INTEGER NOT NULL,
    drama_id   INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    guild_id   INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, drama_id)
);
CREATE INDEX member_reminders_drama ON member_reminders (drama_id);

-- One row per (target, episode, kind), ever: target is the server (announce/remind/event) or the
-- member (dm). The UNIQUE key is what makes a delivery happen at most once; due_at = air_at - offset_s.
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    target_id   INTEGER NOT NULL,
    episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('announce', 'remind', 'dm', 'event')),
    follow_id   INTEGER REFERENCES follows (id) ON DELETE SET NULL,
    offset_s    INTEGER NOT NULL DEFAULT 0,
    due_at      INTEGER NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'claimed', 'sent', 'failed', 'skipped', 'held')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  INTEGER,
    done_at     INTEGER,
    channel_id  INTEGER,
    message_id  INTEGER,   -- the message posted (or the scheduled event created)
    thread_id   INTEGER,
    note        TEXT,
    UNIQUE (target_id, episode_id, kind)
);
-- The announcer's only question each tick: what is pending and due? (partial index: sent rows cost nothing)
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE state = 'pending';
CREATE INDEX deliveries_claimed ON deliveries (claimed_at) WHERE state = 'claimed';
CREATE INDEX deliveries_episode ON deliveries (episode_id);
CREATE INDEX deliveries_follow ON deliveries (follow_id);

-- Discord scheduled events mirroring episodes in a server; dirty rows are brought in step by the announcer.
CREATE TABLE guild_events (
    guild_id    INTEGER NOT NULL,
    episode_id  INTEGER NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL,
    start_at    INTEGER NOT NULL,  -- the start time Discord has
    want        INTEGER NOT NULL DEFAULT 1, -- 0: delete it (unfollowed / cancelled)
    dirty       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, episode_id)
);
CREATE INDEX guild_events_dirty ON guild_events (guild_id) WHERE dirty = 1;
