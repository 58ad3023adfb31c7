-- Question engine: a drama's genres, tags, network and platforms as rows (lower case), so that lists with
-- filters ("romance dramas on Netflix from 2021") and recommendations are index seeks, not JSON scans;
-- directors and writers too ("dramas directed by ...", a shared director as a recommendation's reason).
CREATE TABLE drama_terms (
    kind     TEXT    NOT NULL CHECK (kind IN ('genre', 'tag', 'network', 'platform', 'director', 'writer')),
    term     TEXT    NOT NULL,
    drama_id INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, term, drama_id)
);
CREATE INDEX drama_terms_drama ON drama_terms (drama_id);
INSERT INTO drama_terms (kind, term, drama_id)
    SELECT DISTINCT 'genre', lower(trim(j.value)), d.id FROM dramas d, json_each(d.genres) j WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'tag', lower(trim(j.value)), d.id FROM dramas d, json_each(d.tags) j WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'platform', lower(trim(j.value)), d.id FROM dramas d, json_each(d.platforms) j
          WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'director', lower(trim(j.value)), d.id FROM dramas d, json_each(d.directors) j
          WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'writer', lower(trim(j.value)), d.id FROM dramas d, json_each(d.writers) j
          WHERE trim(j.value) <> ''
    UNION SELECT DISTINCT 'network', lower(trim(d.network)), d.id FROM dramas d WHERE trim(coalesce(d.network, '')) <> '';
CREATE INDEX dramas_first_aired ON dramas (first_aired);
