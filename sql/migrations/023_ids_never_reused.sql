-- 023: on SQLite the id of a deleted row is never given to a new one.
--
-- A plain INTEGER PRIMARY KEY hands out one more than the largest id in the
-- table, so deleting the newest account (or organisation, article, …) let
-- the next one take its id; audit_log keeps user_id and object_id as bare
-- numbers so that they outlive the rows, and the log then named the newcomer
-- for what the deleted one did.  AUTOINCREMENT keeps the highest id ever
-- used in sqlite_sequence.  PostgreSQL's identity columns never reuse a
-- value, so nothing changes there.
--
-- SQLite cannot add AUTOINCREMENT to a table: each table whose id the audit
-- log names is rebuilt (create the new table, copy every row with its id,
-- drop the old one, rename, create its indexes and triggers again), with
-- foreign keys off for the migration so that dropping a table does not
-- cascade into the tables that refer to it; the runner checks every foreign
-- key before it commits.  The counter starts above the largest id the audit
-- log mentions, so ids of rows deleted before this migration are not given
-- out either.
--@no-foreign-keys
--@sqlite
-- app_user (audit_log object_type 'user')
CREATE TABLE app_user_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT NOT NULL UNIQUE,
    name        TEXT,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'editor', 'user')),
    password_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL
, status TEXT NOT NULL DEFAULT 'active', org_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL, cluster_id BIGINT REFERENCES cluster(id) ON DELETE SET NULL, lang TEXT, blocked_at BIGINT);
INSERT INTO app_user_new SELECT * FROM app_user;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;
INSERT INTO sqlite_sequence (name, seq) SELECT 'app_user', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'app_user');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM app_user), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'user'), 0),
    COALESCE((SELECT MAX(user_id) FROM audit_log), 0))
    WHERE name = 'app_user';

-- organisation (audit_log object_type 'organisation')
CREATE TABLE organisation_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    sort_key    TEXT COLLATE BINARY NOT NULL,         -- Polish alphabetical order as bytes
    row_hash    TEXT NOT NULL,                -- of the imported fields: re-imports change nothing
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
, pkd_sections TEXT);
INSERT INTO organisation_new SELECT * FROM organisation;
DROP TABLE organisation;
ALTER TABLE organisation_new RENAME TO organisation;
CREATE INDEX organisation_voiv ON organisation (voivodeship);
CREATE INDEX organisation_type ON organisation (type, size_class);
CREATE INDEX organisation_section ON organisation (pkd_section);
CREATE INDEX organisation_name_postal ON organisation (name, postal_code);
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
CREATE INDEX organisation_sort ON organisation (sort_key, type, size_class, voivodeship, pkd_sections);
CREATE INDEX organisation_newest ON organisation (updated_at, type, size_class, voivodeship, pkd_sections);
CREATE INDEX organisation_filter ON organisation (voivodeship, type, size_class);
CREATE TRIGGER organisation_gen_i AFTER INSERT ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER organisation_gen_u AFTER UPDATE ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER organisation_gen_d AFTER DELETE ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'organisation', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'organisation');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM organisation), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'organisation'), 0))
    WHERE name = 'organisation';

-- cluster (audit_log object_type 'cluster')
CREATE TABLE cluster_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    sort_key    TEXT COLLATE BINARY NOT NULL,
    row_hash    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO cluster_new SELECT * FROM cluster;
DROP TABLE cluster;
ALTER TABLE cluster_new RENAME TO cluster;
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
CREATE INDEX cluster_sort ON cluster (sort_key);
CREATE TRIGGER cluster_gen_i AFTER INSERT ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_gen_u AFTER UPDATE ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_gen_d AFTER DELETE ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE UNIQUE INDEX cluster_acronym_nocase ON cluster (lower(acronym));
INSERT INTO sqlite_sequence (name, seq) SELECT 'cluster', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'cluster');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM cluster), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'cluster'), 0))
    WHERE name = 'cluster';

-- offer (audit_log object_type 'offer')
CREATE TABLE offer_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    author_id   BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('supply', 'demand', 'cooperation', 'subcontracting', 'technology')),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    pkd_codes   TEXT,                       -- space-separated PKD codes, e.g. "62.01.Z 72.19.Z"
    keywords    TEXT,
    voivodeship TEXT REFERENCES region(teryt),
    valid_from  TEXT NOT NULL,              -- YYYY-MM-DD
    valid_until TEXT NOT NULL,              -- YYYY-MM-DD; after it the offer leaves the listing
    contact_name  TEXT,
    contact_email TEXT,                     -- never shown: "I am interested" mails it through the queue
    contact_phone TEXT,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    moderated_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    moderation_note TEXT,
    search_text TEXT NOT NULL DEFAULT '',   -- folded words (fold.h), for full-text search
    sort_key    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
, demo INTEGER NOT NULL DEFAULT 0);
INSERT INTO offer_new SELECT * FROM offer;
DROP TABLE offer;
ALTER TABLE offer_new RENAME TO offer;
CREATE INDEX offer_list ON offer (status, valid_until);
CREATE INDEX offer_org ON offer (org_id);
CREATE TRIGGER offer_fts_ai AFTER INSERT ON offer BEGIN
    INSERT INTO offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER offer_fts_ad AFTER DELETE ON offer BEGIN
    INSERT INTO offer_fts(offer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER offer_fts_au AFTER UPDATE OF search_text ON offer BEGIN
    INSERT INTO offer_fts(offer_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO offer_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE INDEX offer_org_title ON offer (org_id, title);
CREATE TRIGGER offer_gen_i AFTER INSERT ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER offer_gen_u AFTER UPDATE ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER offer_gen_d AFTER DELETE ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'offer', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'offer');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM offer), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'offer'), 0))
    WHERE name = 'offer';

-- service (audit_log object_type 'service')
CREATE TABLE service_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    author_id   BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    category    TEXT NOT NULL CHECK (category IN ('consulting', 'training', 'financing', 'laboratory', 'ip_transfer', 'export')),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    price_model TEXT NOT NULL CHECK (price_model IN ('free', 'fixed', 'hourly', 'quote', 'co_financed')),
    price_note  TEXT,
    voivodeship TEXT REFERENCES region(teryt),
    contact_name  TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    moderated_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    moderation_note TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    sort_key    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
, demo INTEGER NOT NULL DEFAULT 0);
INSERT INTO service_new SELECT * FROM service;
DROP TABLE service;
ALTER TABLE service_new RENAME TO service;
CREATE INDEX service_list ON service (status, category);
CREATE INDEX service_org ON service (org_id);
CREATE TRIGGER service_fts_ai AFTER INSERT ON service BEGIN
    INSERT INTO service_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER service_fts_ad AFTER DELETE ON service BEGIN
    INSERT INTO service_fts(service_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER service_fts_au AFTER UPDATE OF search_text ON service BEGIN
    INSERT INTO service_fts(service_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO service_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE INDEX service_org_title ON service (org_id, title);
CREATE TRIGGER service_gen_i AFTER INSERT ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER service_gen_u AFTER UPDATE ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER service_gen_d AFTER DELETE ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'service', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'service');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM service), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'service'), 0))
    WHERE name = 'service';

-- article (audit_log object_type 'article')
CREATE TABLE article_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  BIGINT REFERENCES cluster(id) ON DELETE SET NULL,   -- NULL: portal-wide news
    author_id   BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    lead        TEXT,                       -- one-paragraph summary (plain text)
    body_md     TEXT NOT NULL,              -- Markdown; rendered by cmark with raw HTML disabled
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_at BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
, demo INTEGER NOT NULL DEFAULT 0, import_key TEXT);
INSERT INTO article_new SELECT * FROM article;
DROP TABLE article;
ALTER TABLE article_new RENAME TO article;
CREATE INDEX article_list ON article (status, published_at);
CREATE UNIQUE INDEX article_import_key ON article (import_key);
CREATE INDEX article_cluster ON article (cluster_id, status, published_at);
CREATE TRIGGER article_gen_i AFTER INSERT ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_gen_u AFTER UPDATE ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_gen_d AFTER DELETE ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'article', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'article');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM article), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'article'), 0))
    WHERE name = 'article';

-- article_comment (audit_log object_type 'comment')
CREATE TABLE article_comment_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  BIGINT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,              -- plain text, shown escaped
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    ip          TEXT,
    created_at  BIGINT NOT NULL,
    moderated_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL
);
INSERT INTO article_comment_new SELECT * FROM article_comment;
DROP TABLE article_comment;
ALTER TABLE article_comment_new RENAME TO article_comment;
CREATE INDEX article_comment_article ON article_comment (article_id, status);
CREATE TRIGGER article_comment_gen_i AFTER INSERT ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_comment_gen_u AFTER UPDATE ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_comment_gen_d AFTER DELETE ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
INSERT INTO sqlite_sequence (name, seq) SELECT 'article_comment', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'article_comment');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM article_comment), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'comment'), 0))
    WHERE name = 'article_comment';

-- org_proposal (audit_log object_type 'org_proposal')
CREATE TABLE org_proposal_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    fields      TEXT NOT NULL,
    name        TEXT NOT NULL,
    nip         TEXT,
    cluster_id  BIGINT REFERENCES cluster(id) ON DELETE SET NULL,
    proposer_email TEXT NOT NULL,
    proposer_id BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    ip          TEXT,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    org_id      BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
    decided_by  BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    decided_at  BIGINT,
    reason      TEXT,
    created_at  BIGINT NOT NULL
);
INSERT INTO org_proposal_new SELECT * FROM org_proposal;
DROP TABLE org_proposal;
ALTER TABLE org_proposal_new RENAME TO org_proposal;
CREATE INDEX org_proposal_status ON org_proposal (status, cluster_id);
INSERT INTO sqlite_sequence (name, seq) SELECT 'org_proposal', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'org_proposal');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM org_proposal), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'org_proposal'), 0))
    WHERE name = 'org_proposal';

-- membership_request (audit_log object_type 'membership_request')
CREATE TABLE membership_request_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    requested_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    requester_email TEXT NOT NULL,
    message     TEXT,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    decided_by  BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    decided_at  BIGINT,
    reason      TEXT,
    created_at  BIGINT NOT NULL
);
INSERT INTO membership_request_new SELECT * FROM membership_request;
DROP TABLE membership_request;
ALTER TABLE membership_request_new RENAME TO membership_request;
CREATE INDEX membership_request_status ON membership_request (status, cluster_id);
CREATE UNIQUE INDEX membership_request_pending ON membership_request (cluster_id, org_id) WHERE status = 'pending';
INSERT INTO sqlite_sequence (name, seq) SELECT 'membership_request', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'membership_request');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM membership_request), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'membership_request'), 0))
    WHERE name = 'membership_request';

-- newsletter_subscriber (audit_log object_type 'newsletter_subscriber')
CREATE TABLE newsletter_subscriber_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    lang            TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    consent_version TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    request_ip      TEXT,
    confirmed_at    BIGINT,
    confirm_ip      TEXT,
    unsubscribed_at BIGINT,
    unsubscribe_ip  TEXT,
    unsubscribe_how TEXT                        -- 'one-click' (RFC 8058 POST) or 'page'
);
INSERT INTO newsletter_subscriber_new SELECT * FROM newsletter_subscriber;
DROP TABLE newsletter_subscriber;
ALTER TABLE newsletter_subscriber_new RENAME TO newsletter_subscriber;
CREATE INDEX newsletter_subscriber_status ON newsletter_subscriber (status, id);
INSERT INTO sqlite_sequence (name, seq) SELECT 'newsletter_subscriber', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'newsletter_subscriber');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM newsletter_subscriber), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'newsletter_subscriber'), 0))
    WHERE name = 'newsletter_subscriber';

-- newsletter_campaign (audit_log object_type 'newsletter_campaign')
CREATE TABLE newsletter_campaign_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id  BIGINT REFERENCES cluster(id) ON DELETE SET NULL,
    author_id   BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    subject     TEXT NOT NULL,
    intro       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
    recipients  BIGINT NOT NULL DEFAULT 0,     -- mails queued by the send
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    sent_by     BIGINT REFERENCES app_user(id) ON DELETE SET NULL
);
INSERT INTO newsletter_campaign_new SELECT * FROM newsletter_campaign;
DROP TABLE newsletter_campaign;
ALTER TABLE newsletter_campaign_new RENAME TO newsletter_campaign;
CREATE INDEX newsletter_campaign_list ON newsletter_campaign (cluster_id, id);
INSERT INTO sqlite_sequence (name, seq) SELECT 'newsletter_campaign', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'newsletter_campaign');
UPDATE sqlite_sequence SET seq = MAX(seq,
    COALESCE((SELECT MAX(id) FROM newsletter_campaign), 0),
    COALESCE((SELECT MAX(object_id) FROM audit_log WHERE object_type = 'newsletter_campaign'), 0))
    WHERE name = 'newsletter_campaign';

--@end
