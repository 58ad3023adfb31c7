-- PostgreSQL twin of ../0008_synopsis_index.sql (the same partial index).
CREATE INDEX dramas_synopsis ON dramas (id) WHERE synopsis IS NOT NULL;
