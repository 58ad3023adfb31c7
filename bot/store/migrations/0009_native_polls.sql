-- Native Discord polls (/poll create native:true): Discord holds the votes while the poll runs; when it
-- ends they are copied into poll_votes, so results, points and the leaderboard work as for button polls.
ALTER TABLE polls ADD COLUMN native INTEGER NOT NULL DEFAULT 0 CHECK (native IN (0, 1));
