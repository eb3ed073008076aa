-- 001: reference data and the public directory of organisations and clusters.
-- Applied identically on SQLite and PostgreSQL (see db.h for the markers).

CREATE TABLE region (
    teryt       TEXT PRIMARY KEY,             -- 2 digits voivodeship, 4 digits powiat
    level       TEXT NOT NULL CHECK (level IN ('voivodeship', 'powiat')),
    parent      TEXT REFERENCES region(teryt),
    name        TEXT NOT NULL,
    nuts2       TEXT,
    geojson     TEXT                          -- the boundary as a GeoJSON geometry
);

CREATE TABLE pkd (
    version     INTEGER NOT NULL CHECK (version IN (2007, 2025)),
    code        TEXT NOT NULL,                -- section letter or division digits
    level       TEXT NOT NULL CHECK (level IN ('section', 'division')),
    parent      TEXT,
    name_pl     TEXT NOT NULL,
    name_en     TEXT,
    PRIMARY KEY (version, code)
);

CREATE TABLE organisation (
    id          @PK@,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('enterprise', 'research', 'support', 'public', 'ngo')),
    size_class  TEXT CHECK (size_class IN ('micro', 'small', 'medium', 'large')),
    nip         TEXT UNIQUE,
    regon       TEXT UNIQUE,
    krs         TEXT,
    pkd_version INTEGER NOT NULL DEFAULT 2007,
    pkd_main    TEXT,
    pkd_codes   TEXT,                         -- all codes joined by ';', the main one first
    pkd_section TEXT,
    street      TEXT,
    postal_code TEXT,
    city        TEXT,
    teryt       TEXT,
    voivodeship TEXT REFERENCES region(teryt),
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    website     TEXT,
    email       TEXT,
    phone       TEXT,
    description_pl TEXT,
    description_en TEXT,
    demo        INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,                -- folded (see fold.h) for full-text search
    sort_key    TEXT @CBIN@ NOT NULL,         -- Polish alphabetical order as bytes
    row_hash    TEXT NOT NULL,                -- of the imported fields: re-imports change nothing
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organisation_sort ON organisation (sort_key);
CREATE INDEX organisation_voiv ON organisation (voivodeship);
CREATE INDEX organisation_type ON organisation (type, size_class);
CREATE INDEX organisation_section ON organisation (pkd_section);
CREATE INDEX organisation_name_postal ON organisation (name, postal_code);

CREATE TABLE organisation_pkd (
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    section     TEXT,
    PRIMARY KEY (org_id, position)
);
CREATE INDEX organisation_pkd_section ON organisation_pkd (section, org_id);

CREATE TABLE cluster (
    id          @PK@,
    acronym     TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    coordinator_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
    founded     INTEGER,
    region      TEXT REFERENCES region(teryt),
    website     TEXT,
    email       TEXT,
    description_pl TEXT,
    description_en TEXT,
    demo        INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL,
    sort_key    TEXT @CBIN@ NOT NULL,
    row_hash    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE cluster_sector (
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    PRIMARY KEY (cluster_id, code)
);

CREATE TABLE cluster_label (
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('kkk', 'ecei-bronze', 'ecei-silver', 'ecei-gold')),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    PRIMARY KEY (cluster_id, kind, valid_from)
);

CREATE TABLE membership (
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('coordinator', 'founder', 'member', 'partner')),
    joined      TEXT,
    left_on     TEXT,
    PRIMARY KEY (cluster_id, org_id)
);
CREATE INDEX membership_org ON membership (org_id);

CREATE TABLE app_user (
    id          @PK@,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'editor', 'user')),
    password_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE api_token (
    id          @PK@,
    user_id     BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,         -- BLAKE2b of the token; the token itself is never stored
    label       TEXT,
    created_at  TEXT NOT NULL
);

--@sqlite
CREATE VIRTUAL TABLE organisation_fts USING fts5(search_text, content='organisation', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER organisation_fts_ai AFTER INSERT ON organisation BEGIN
    INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER organisation_fts_ad AFTER DELETE ON organisation BEGIN
    INSERT INTO organisation_fts(organisation_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER organisation_fts_au AFTER UPDATE OF search_text ON organisation BEGIN
    INSERT INTO organisation_fts(organisation_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE VIRTUAL TABLE cluster_fts USING fts5(search_text, content='cluster', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER cluster_fts_ai AFTER INSERT ON cluster BEGIN
    INSERT INTO cluster_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER cluster_fts_ad AFTER DELETE ON cluster BEGIN
    INSERT INTO cluster_fts(cluster_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER cluster_fts_au AFTER UPDATE OF search_text ON cluster BEGIN
    INSERT INTO cluster_fts(cluster_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cluster_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
--@end
--@postgres
ALTER TABLE organisation ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX organisation_fts ON organisation USING gin (search_tsv);
ALTER TABLE cluster ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX cluster_fts ON cluster USING gin (search_tsv);
--@end
