-- Question engine: how many dramas each genre, tag, network and platform has, kept beside drama_terms so
-- the filter vocabulary loads in milliseconds at any catalog size (rewritten by every catalog import).
CREATE TABLE drama_term_counts (
    kind   TEXT    NOT NULL,
    term   TEXT    NOT NULL,
    dramas INTEGER NOT NULL,
    PRIMARY KEY (kind, term)
);
INSERT INTO drama_term_counts (kind, term, dramas)
    SELECT kind, term, count(*) FROM drama_terms WHERE kind IN ('genre', 'tag', 'network', 'platform')
    GROUP BY kind, term;
-- lists ordered by length or rating walk these instead of sorting every match
CREATE INDEX dramas_episodes ON dramas (episodes);
CREATE INDEX dramas_rating ON dramas (rating);
