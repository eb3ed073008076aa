-- 008: news articles imported from files (klaster import news) keep the
-- key they were imported under, so importing the same file again updates
-- the article instead of adding a copy; demo marks fictional articles.
ALTER TABLE article ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX article_import_key ON article (import_key);
CREATE INDEX article_cluster ON article (cluster_id, status, published_at);
