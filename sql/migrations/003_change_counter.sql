-- 003: a generation number of the directory's data.
-- Every write to the tables the public pages show increments it, in the
-- database itself, so every server on one database knows when a cached
-- search result is stale (see cache.h).
CREATE TABLE change_counter (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL
);
INSERT INTO change_counter (id, generation) VALUES (1, 0);
--@sqlite
CREATE TRIGGER organisation_gen_i AFTER INSERT ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER organisation_gen_u AFTER UPDATE ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER organisation_gen_d AFTER DELETE ON organisation BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER membership_gen_i AFTER INSERT ON membership BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER membership_gen_u AFTER UPDATE ON membership BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER membership_gen_d AFTER DELETE ON membership BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_gen_i AFTER INSERT ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_gen_u AFTER UPDATE ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_gen_d AFTER DELETE ON cluster BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_sector_gen_i AFTER INSERT ON cluster_sector BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_sector_gen_u AFTER UPDATE ON cluster_sector BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_sector_gen_d AFTER DELETE ON cluster_sector BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_label_gen_i AFTER INSERT ON cluster_label BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_label_gen_u AFTER UPDATE ON cluster_label BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER cluster_label_gen_d AFTER DELETE ON cluster_label BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER region_gen_i AFTER INSERT ON region BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER region_gen_u AFTER UPDATE ON region BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER region_gen_d AFTER DELETE ON region BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER pkd_gen_i AFTER INSERT ON pkd BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER pkd_gen_u AFTER UPDATE ON pkd BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER pkd_gen_d AFTER DELETE ON pkd BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
--@end
--@postgres
CREATE FUNCTION klaster_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER organisation_gen AFTER INSERT OR UPDATE OR DELETE ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER membership_gen AFTER INSERT OR UPDATE OR DELETE ON membership
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER cluster_gen AFTER INSERT OR UPDATE OR DELETE ON cluster
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER cluster_sector_gen AFTER INSERT OR UPDATE OR DELETE ON cluster_sector
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER cluster_label_gen AFTER INSERT OR UPDATE OR DELETE ON cluster_label
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER region_gen AFTER INSERT OR UPDATE OR DELETE ON region
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER pkd_gen AFTER INSERT OR UPDATE OR DELETE ON pkd
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
--@end
