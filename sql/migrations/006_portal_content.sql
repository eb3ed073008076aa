-- 006: the portal's content — the offers database, the services database,
-- news articles and their comments.  Offers and services wait for
-- moderation (status pending) before they are listed; comments too.
-- Times are Unix seconds (BIGINT) as in 005; offer validity is a date.

CREATE TABLE offer (
    id          @PK@,
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
);
CREATE INDEX offer_list ON offer (status, valid_until);
CREATE INDEX offer_org ON offer (org_id);

CREATE TABLE service (
    id          @PK@,
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
);
CREATE INDEX service_list ON service (status, category);
CREATE INDEX service_org ON service (org_id);

CREATE TABLE article (
    id          @PK@,
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
);
CREATE INDEX article_list ON article (status, published_at);

CREATE TABLE article_comment (
    id          @PK@,
    article_id  BIGINT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,              -- plain text, shown escaped
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    ip          TEXT,
    created_at  BIGINT NOT NULL,
    moderated_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL
);
CREATE INDEX article_comment_article ON article_comment (article_id, status);

--@sqlite
CREATE VIRTUAL TABLE offer_fts USING fts5(search_text, content='offer', content_rowid='id', tokenize='unicode61');
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
CREATE VIRTUAL TABLE service_fts USING fts5(search_text, content='service', content_rowid='id', tokenize='unicode61');
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
CREATE TRIGGER offer_gen_i AFTER INSERT ON offer BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER offer_gen_u AFTER UPDATE ON offer BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER offer_gen_d AFTER DELETE ON offer BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER service_gen_i AFTER INSERT ON service BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER service_gen_u AFTER UPDATE ON service BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER service_gen_d AFTER DELETE ON service BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_gen_i AFTER INSERT ON article BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_gen_u AFTER UPDATE ON article BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_gen_d AFTER DELETE ON article BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_comment_gen_i AFTER INSERT ON article_comment BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_comment_gen_u AFTER UPDATE ON article_comment BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER article_comment_gen_d AFTER DELETE ON article_comment BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
--@end
--@postgres
ALTER TABLE offer ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX offer_fts ON offer USING gin (search_tsv);
ALTER TABLE service ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX service_fts ON service USING gin (search_tsv);
CREATE TRIGGER offer_gen AFTER INSERT OR UPDATE OR DELETE ON offer
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER service_gen AFTER INSERT OR UPDATE OR DELETE ON service
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER article_gen AFTER INSERT OR UPDATE OR DELETE ON article
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER article_comment_gen AFTER INSERT OR UPDATE OR DELETE ON article_comment
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
--@end
