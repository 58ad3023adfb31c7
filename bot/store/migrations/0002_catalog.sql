-- The drama catalog: dramas, their names, people, credits, dated facts, theories and similar dramas.
-- List-valued columns hold JSON arrays of strings. Dates are ISO (YYYY-MM-DD).
CREATE TABLE dramas (
    id                 INTEGER PRIMARY KEY,
    slug               TEXT    NOT NULL UNIQUE,     -- stable key used by import/export, e.g. lovely-runner-2024
    title              TEXT    NOT NULL,
    korean_title       TEXT,
    aliases            TEXT    NOT NULL DEFAULT '[]', -- every other title, exactly as imported (lookup: drama_names)
    year               INTEGER,
    network            TEXT,
    platforms          TEXT    NOT NULL DEFAULT '[]',
    episodes           INTEGER,
    first_aired        TEXT,
    last_aired         TEXT,
    air_days           TEXT    NOT NULL DEFAULT '[]', -- e.g. ["Monday","Tuesday"]
    air_time           TEXT,                          -- HH:MM local to air_tz
    air_tz             TEXT,
    status             TEXT    CHECK (status IN ('upcoming', 'airing', 'finished')),
    genres             TEXT    NOT NULL DEFAULT '[]',
    tags               TEXT    NOT NULL DEFAULT '[]',
    synopsis           TEXT,                          -- written by this project, never copied
    source_type        TEXT,                          -- web novel, webtoon, novel, manga, ...
    source_title       TEXT,
    source_author      TEXT,
    source_illustrator TEXT,
    source_platform    TEXT,
    directors          TEXT    NOT NULL DEFAULT '[]',
    writers            TEXT    NOT NULL DEFAULT '[]',
    rating             REAL,                          -- community score out of 10
    peak_share         REAL,                          -- peak nationwide audience share, percent
    season2_status     TEXT    NOT NULL DEFAULT 'unknown'
                       CHECK (season2_status IN ('unknown', 'rumoured', 'confirmed', 'denied')),
    season2_note       TEXT,
    season2_as_of      TEXT
);
CREATE INDEX dramas_year ON dramas (year);

CREATE TABLE drama_names (
    drama_id INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    norm     TEXT    NOT NULL,  -- lower-case, accents and punctuation folded: the lookup key
    kind     TEXT    NOT NULL DEFAULT 'alias' CHECK (kind IN ('title', 'korean', 'alias')),
    PRIMARY KEY (drama_id, norm)
);
CREATE INDEX drama_names_norm ON drama_names (norm);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    korean_name TEXT,
    aliases     TEXT NOT NULL DEFAULT '[]'  -- other spellings, exactly as imported (lookup: person_names)
);

CREATE TABLE person_names (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    norm      TEXT    NOT NULL,
    PRIMARY KEY (person_id, norm)
);
CREATE INDEX person_names_norm ON person_names (norm);

CREATE TABLE credits (
    drama_id  INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    character TEXT    NOT NULL DEFAULT '',       -- '' when the sources give no character name
    character_aliases TEXT NOT NULL DEFAULT '[]', -- other spellings of the character, e.g. ["Mi-do"]
    role      TEXT    CHECK (role IN ('main', 'support', 'guest')),  -- NULL: the sources do not say
    billing   INTEGER NOT NULL DEFAULT 999,        -- 1 = top billed
    PRIMARY KEY (drama_id, person_id, character)
);
CREATE INDEX credits_person ON credits (person_id);

CREATE TABLE facts (
    id       INTEGER PRIMARY KEY,
    drama_id INTEGER REFERENCES dramas (id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    text     TEXT NOT NULL,     -- a short fact in this project's own words
    source   TEXT,              -- where it comes from
    as_of    TEXT               -- the date the fact was true
);
CREATE INDEX facts_drama ON facts (drama_id);
CREATE INDEX facts_person ON facts (person_id);
CREATE VIRTUAL TABLE facts_fts USING fts5 (text, content = 'facts', content_rowid = 'id');
CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN
    INSERT INTO facts_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN
    INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER facts_au AFTER UPDATE ON facts BEGIN
    INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO facts_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE fan_theories (
    id         INTEGER PRIMARY KEY,
    drama_id   INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    source     TEXT,              -- 'catalog' for shipped theories, else who added it
    guild_id   INTEGER,           -- NULL: from the catalog, visible everywhere; else added in that server
    created_at TEXT    NOT NULL,
    UNIQUE (drama_id, guild_id, text)
);

CREATE TABLE similar_dramas (
    drama_id   INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    similar_id INTEGER NOT NULL REFERENCES dramas (id) ON DELETE CASCADE,
    reason     TEXT,
    PRIMARY KEY (drama_id, similar_id)
);

-- Question engine (bot.knowledge): "who plays <character>?" across the catalog, Korean person names.
CREATE INDEX credits_character ON credits (character COLLATE NOCASE);
CREATE INDEX people_korean_name ON people (korean_name);
