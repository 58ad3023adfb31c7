-- PostgreSQL twin of ../0006_drama_terms.sql (json_each -> jsonb_array_elements_text over the JSON text).
CREATE TABLE drama_terms (
    kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('genre', 'tag', 'network', 'platform', 'director', 'writer')),
    term     TEXT COLLATE "C" NOT NULL,
    drama_id BIGINT NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, term, drama_id)
);
CREATE INDEX drama_terms_drama ON drama_terms (drama_id);
INSERT INTO drama_terms (kind, term, drama_id)
    SELECT DISTINCT 'genre', lower(trim(j.value)), d.id FROM dramas d,
           jsonb_array_elements_text(CAST(d.genres AS jsonb)) AS j(value) WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'tag', lower(trim(j.value)), d.id FROM dramas d,
           jsonb_array_elements_text(CAST(d.tags AS jsonb)) AS j(value) WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'platform', lower(trim(j.value)), d.id FROM dramas d,
           jsonb_array_elements_text(CAST(d.platforms AS jsonb)) AS j(value) WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'director', lower(trim(j.value)), d.id FROM dramas d,
           jsonb_array_elements_text(CAST(d.directors AS jsonb)) AS j(value) WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'writer', lower(trim(j.value)), d.id FROM dramas d,
           jsonb_array_elements_text(CAST(d.writers AS jsonb)) AS j(value) WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'network', lower(trim(d.network)), d.id FROM dramas d WHERE trim(coalesce(d.network, '')) <> '';
CREATE INDEX dramas_first_aired ON dramas (first_aired);
