-- Live sources (bot.sources): which provider show a catalog drama is, the provider's episode list as last
-- seen, sync state, and schedules an owner took in hand. Times of the sync are ISO-8601 UTC text.

-- A catalog drama linked to a provider's show. state 'linked' is used by the sync; 'ambiguous' rows are the
-- candidates of a show no drama clearly won (they wait for `dramabot sources review|link`); 'rejected' is an
-- owner's "not this one". confidence is the linker's score (1.0 for an owner's link).
CREATE TABLE source_links (
    provider    TEXT    NOT NULL,
    show_id     TEXT    NOT NULL,
    drama_id    INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL DEFAULT 'linked' CHECK (state IN ('linked', 'ambiguous', 'rejected')),
    confidence  REAL    NOT NULL DEFAULT 1.0,
    method      TEXT    NOT NULL DEFAULT 'matched',   -- 'discovered' (created by the sync), 'matched', 'owner'
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (provider, show_id, drama_id)
);
CREATE UNIQUE INDEX source_links_drama ON source_links (drama_id, provider) WHERE state = 'linked';
CREATE INDEX source_links_state ON source_links (state, provider);

-- One row per provider show the sync has looked at: its update stamp (to skip unchanged shows), when it was
-- last refreshed, and the last error (vanished, malformed, ...).
CREATE TABLE source_shows (
    provider      TEXT    NOT NULL,
    show_id       TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    updated_stamp INTEGER,                       -- the provider's "updated" of the show we last applied
    synced_at     TEXT,                          -- last successful refresh
    next_check_at TEXT,                          -- refresh again at (episode lead times), NULL: with updates
    last_error    TEXT,
    PRIMARY KEY (provider, show_id)
);

-- The provider's episodes as last seen (also those without an air time, which never enter `episodes`).
-- missing counts the consecutive refreshes that did not list it: at 2 its episode is cancelled.
CREATE TABLE source_episodes (
    provider    TEXT    NOT NULL,
    episode_id  TEXT    NOT NULL,
    show_id     TEXT    NOT NULL,
    drama_id    INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,                -- our episode number (specials: 1000 + n)
    season      INTEGER NOT NULL DEFAULT 1,
    airdate     TEXT,                            -- YYYY-MM-DD local to the network
    air_at      INTEGER,                         -- UTC epoch seconds; NULL: no time announced yet
    special     INTEGER NOT NULL DEFAULT 0,
    missing     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, episode_id)
);
CREATE INDEX source_episodes_drama ON source_episodes (drama_id, number);

-- A drama whose schedule an owner set by hand (/schedule edit, `dramabot schedule import`): the sync leaves
-- its episodes alone until the owner hands it back (`dramabot sources release SLUG`).
CREATE TABLE schedule_holds (
    drama_id INTEGER PRIMARY KEY REFERENCES dramas (id) ON DELETE CASCADE,
    held_at  TEXT NOT NULL,
    reason   TEXT
);

-- Sync bookkeeping per kind ('updates', 'discovery', 'show'): last success, calls and errors.
CREATE TABLE source_runs (
    provider   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    last_ok    TEXT,
    last_error TEXT,
    error_at   TEXT,
    calls      INTEGER NOT NULL DEFAULT 0,
    errors     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, kind)
);
