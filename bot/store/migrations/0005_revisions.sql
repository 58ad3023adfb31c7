-- Moves and restarts: reminders are owed per scheduled time, and poll messages catch up after a restart.

-- Each episode counts its moves: +1 every time air_at changes. A reminder is owed once per revision, so an
-- episode moved after its reminder went out is reminded again before its new time.
ALTER TABLE episodes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- The delivery log's key gains the revision (0 for announce/event: those stay once per episode). SQLite
-- cannot change a UNIQUE constraint in place, so the table is rebuilt, rows and ids kept. AUTOINCREMENT: an
-- id is never reused, because the id is the marker ("ref d<id>") that restart recovery looks for on Discord.
CREATE TABLE deliveries_v5 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    revision    INTEGER NOT NULL DEFAULT 0,  -- remind/dm: the episode revision it is for; 0 otherwise
    slot_at     INTEGER,                     -- remind/dm: the air time it reminds of
    UNIQUE (target_id, episode_id, kind, revision)
);
INSERT INTO deliveries_v5 (id, target_id, episode_id, kind, follow_id, offset_s, due_at, state, attempts,
                           claimed_at, done_at, channel_id, message_id, thread_id, note, revision, slot_at)
SELECT id, target_id, episode_id, kind, follow_id, offset_s, due_at, state, attempts,
       claimed_at, done_at, channel_id, message_id, thread_id, note, 0,
       CASE WHEN kind IN ('remind', 'dm') THEN due_at + offset_s END
FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v5 RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE state = 'pending';
CREATE INDEX deliveries_claimed ON deliveries (claimed_at) WHERE state = 'claimed';
CREATE INDEX deliveries_episode ON deliveries (episode_id);
CREATE INDEX deliveries_follow ON deliveries (follow_id);

-- A poll message is edited lazily (at most every 2 s): content_version moves with every change it should
-- show (votes, close, resolve), shown_version records what the message last got, so a restart catches up
-- messages left stale by an edit that was still pending.
ALTER TABLE polls ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE polls ADD COLUMN shown_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX polls_stale ON polls (id) WHERE shown_version < content_version;
