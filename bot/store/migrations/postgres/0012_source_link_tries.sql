-- PostgreSQL twin of ../0012_source_link_tries.sql (types per docs/postgres.md; the same table and key).
CREATE TABLE source_link_tries (
    provider TEXT COLLATE "C" NOT NULL,
    drama_id BIGINT NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    outcome  TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('none', 'error')),
    tried_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (provider, drama_id)
);
