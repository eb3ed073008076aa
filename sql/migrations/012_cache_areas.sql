-- 012: a generation number per area of the portal's cached pages.
-- Until now every write — a comment, a new offer, an approval — moved the
-- one generation of migration 003, which dropped every cached page,
-- including the directory's searches that no such write can change.  Now
-- the directory keeps change_counter (id 1); offers and services, and news
-- and comments, each move their own row here, and a cached page is valid
-- for the sum of the generations of the areas it shows (http.c).
CREATE TABLE cache_area (
    id          INTEGER PRIMARY KEY CHECK (id IN (2, 3)),   -- 2 offers and services, 3 news and comments
    generation  BIGINT NOT NULL
);
INSERT INTO cache_area (id, generation) VALUES (2, 0);
INSERT INTO cache_area (id, generation) VALUES (3, 0);
--@sqlite
DROP TRIGGER offer_gen_i;
DROP TRIGGER offer_gen_u;
DROP TRIGGER offer_gen_d;
DROP TRIGGER service_gen_i;
DROP TRIGGER service_gen_u;
DROP TRIGGER service_gen_d;
DROP TRIGGER article_gen_i;
DROP TRIGGER article_gen_u;
DROP TRIGGER article_gen_d;
DROP TRIGGER article_comment_gen_i;
DROP TRIGGER article_comment_gen_u;
DROP TRIGGER article_comment_gen_d;
CREATE TRIGGER offer_gen_i AFTER INSERT ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER offer_gen_u AFTER UPDATE ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER offer_gen_d AFTER DELETE ON offer BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER service_gen_i AFTER INSERT ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER service_gen_u AFTER UPDATE ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER service_gen_d AFTER DELETE ON service BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 2;
END;
CREATE TRIGGER article_gen_i AFTER INSERT ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_gen_u AFTER UPDATE ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_gen_d AFTER DELETE ON article BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_comment_gen_i AFTER INSERT ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_comment_gen_u AFTER UPDATE ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
CREATE TRIGGER article_comment_gen_d AFTER DELETE ON article_comment BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = 3;
END;
--@end
--@postgres
CREATE FUNCTION klaster_bump_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_area SET generation = generation + 1 WHERE id = TG_ARGV[0]::int;
    RETURN NULL;
END $$;
DROP TRIGGER offer_gen ON offer;
DROP TRIGGER service_gen ON service;
DROP TRIGGER article_gen ON article;
DROP TRIGGER article_comment_gen ON article_comment;
CREATE TRIGGER offer_gen AFTER INSERT OR UPDATE OR DELETE ON offer
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_area('2');
CREATE TRIGGER service_gen AFTER INSERT OR UPDATE OR DELETE ON service
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_area('2');
CREATE TRIGGER article_gen AFTER INSERT OR UPDATE OR DELETE ON article
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_area('3');
CREATE TRIGGER article_comment_gen AFTER INSERT OR UPDATE OR DELETE ON article_comment
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_area('3');
--@end
