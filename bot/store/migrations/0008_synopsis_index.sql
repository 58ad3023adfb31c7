-- Question engine: "the one where ..." reads the few dramas that have a synopsis written for this project;
-- a partial index finds them without scanning the catalog.
CREATE INDEX dramas_synopsis ON dramas (id) WHERE synopsis IS NOT NULL;
