-- PostgreSQL twin of ../0007_sources.sql (types per docs/postgres.md; the same tables, keys and indexes).
CREATE TABLE source_links (
    provider    TEXT COLLATE "C" NOT NULL,
    show_id     TEXT COLLATE "C" NOT NULL,
    drama_id    BIGINT NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    state       TEXT COLLATE "C" NOT NULL DEFAULT 'linked' CHECK (state IN ('linked', 'ambiguous', 'rejected')),
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    method      TEXT COLLATE "C" NOT NULL DEFAULT 'matched',
    created_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (provider, show_id, drama_id)
);
CREATE UNIQUE INDEX source_links_drama ON source_links (drama_id, provider) WHERE state = 'linked';
CREATE INDEX source_links_state ON source_links (state, provider);

CREATE TABLE source_shows (
    provider      TEXT COLLATE "C" NOT NULL,
    show_id       TEXT COLLATE "C" NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    updated_stamp BIGINT,
    synced_at     TEXT COLLATE "C",
    next_check_at TEXT COLLATE "C",
    last_error    TEXT COLLATE "C",
    PRIMARY KEY (provider, show_id)
);

CREATE TABLE source_episodes (
    provider    TEXT COLLATE "C" NOT NULL,
    episode_id  TEXT COLLATE "C" NOT NULL,
    show_id     TEXT COLLATE "C" NOT NULL,
    drama_id    BIGINT NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    number      BIGINT NOT NULL,
    season      BIGINT NOT NULL DEFAULT 1,
    airdate     TEXT COLLATE "C",
    air_at      BIGINT,
    special     BIGINT NOT NULL DEFAULT 0,
    missing     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, episode_id)
);
CREATE INDEX source_episodes_drama ON source_episodes (drama_id, number);

CREATE TABLE schedule_holds (
    drama_id BIGINT PRIMARY KEY REFERENCES dramas (id) ON DELETE CASCADE,
    held_at  TEXT COLLATE "C" NOT NULL,
    reason   TEXT COLLATE "C"
);

CREATE TABLE source_runs (
    provider   TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    last_ok    TEXT COLLATE "C",
    last_error TEXT COLLATE "C",
    error_at   TEXT COLLATE "C",
    calls      BIGINT NOT NULL DEFAULT 0,
    errors     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, kind)
);
