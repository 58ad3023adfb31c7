-- Polls: season-2 speculation and custom polls, their options, votes and prediction points.
-- Times are ISO-8601 UTC strings with seconds (YYYY-MM-DDTHH:MM:SS+00:00), so text order is time order.
CREATE TABLE polls (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER,                       -- the poll message (NULL until it is posted)
    creator_id   INTEGER NOT NULL,
    question     TEXT    NOT NULL,
    kind         TEXT    NOT NULL DEFAULT 'custom' CHECK (kind IN ('custom', 'season2')),
    drama_id     INTEGER REFERENCES dramas (id) ON DELETE SET NULL,
    max_choices  INTEGER NOT NULL DEFAULT 1 CHECK (max_choices BETWEEN 1 AND 20),
    anonymous    INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    hide_results INTEGER NOT NULL DEFAULT 0 CHECK (hide_results IN (0, 1)),
    role_id      INTEGER,                       -- only members with this role may vote (NULL: everyone)
    created_at   TEXT    NOT NULL,
    closes_at    TEXT    NOT NULL,
    closed_at    TEXT,                          -- NULL while open
    resolved_at  TEXT,                          -- NULL until the correct answer is known
    resolved_by  TEXT                           -- 'member:<id>' or 'season2:<status>'
);
-- The closer asks "which open polls are due?" every few seconds: a partial index on open polls only.
CREATE INDEX polls_due ON polls (closes_at) WHERE closed_at IS NULL;
CREATE INDEX polls_guild ON polls (guild_id, closed_at, id);
CREATE INDEX polls_season2_unresolved ON polls (drama_id) WHERE kind = 'season2' AND resolved_at IS NULL;

CREATE TABLE poll_options (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position BETWEEN 0 AND 19),
    label     TEXT    NOT NULL,
    kind      TEXT    NOT NULL DEFAULT 'plain' CHECK (kind IN ('plain', 'theory', 'no_season2', 'season2')),
    theory_id INTEGER REFERENCES fan_theories (id) ON DELETE SET NULL,
    correct   INTEGER NOT NULL DEFAULT 0 CHECK (correct IN (0, 1)),
    PRIMARY KEY (poll_id, position)
) WITHOUT ROWID;

-- One row per (poll, voter, chosen option): the primary key makes every write idempotent, so a
-- replayed or retried vote can never be counted twice. voter_key is the decimal member id for
-- public polls, and HMAC-SHA256(secret, "<poll id>:<member id>") for anonymous ones, where
-- voter_id is NULL: the database alone does not tell who voted what.
CREATE TABLE poll_votes (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter_key TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    voter_id  INTEGER,
    voted_at  TEXT    NOT NULL,
    PRIMARY KEY (poll_id, voter_key, position)
) WITHOUT ROWID;
CREATE INDEX poll_votes_voter ON poll_votes (voter_id) WHERE voter_id IS NOT NULL;

-- Points earned when a poll is resolved (public polls only), one row per member and poll.
CREATE TABLE poll_points (
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    picks    INTEGER NOT NULL,
    hits     INTEGER NOT NULL,
    points   INTEGER NOT NULL,
    PRIMARY KEY (poll_id, user_id)
) WITHOUT ROWID;
CREATE INDEX poll_points_board ON poll_points (guild_id, user_id);
