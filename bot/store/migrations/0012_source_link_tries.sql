-- The bulk linking pass (`dramabot sources link --all`, and the sync loop a few dramas at a time) looks each
-- unlinked catalog drama up at the provider once. A drama it linked, or whose show waits as ambiguous, is no
-- longer unlinked; this table keeps the others, so a restart resumes where it stopped and never looks a drama
-- up twice: 'none' (no show found), 'error' (the provider failed: looked up again after a day).
CREATE TABLE source_link_tries (
    provider TEXT    NOT NULL,
    drama_id INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    outcome  TEXT    NOT NULL CHECK (outcome IN ('none', 'error')),
    tried_at TEXT    NOT NULL,
    PRIMARY KEY (provider, drama_id)
);
