-- PostgreSQL twin of ../0010_drama_term_counts.sql.
CREATE TABLE drama_term_counts (
    kind   TEXT COLLATE "C" NOT NULL,
    term   TEXT COLLATE "C" NOT NULL,
    dramas BIGINT NOT NULL,
    PRIMARY KEY (kind, term)
);
INSERT INTO drama_term_counts (kind, term, dramas)
    SELECT kind, term, count(*) FROM drama_terms WHERE kind IN ('genre', 'tag', 'network', 'platform')
    GROUP BY kind, term;
CREATE INDEX dramas_episodes ON dramas (episodes);
CREATE INDEX dramas_rating ON dramas (rating);
