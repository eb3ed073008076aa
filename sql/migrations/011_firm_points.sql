-- 011: located firm lists for the portal's firm-point maps (klaster import
-- firms; DBSCAN clusters are computed from them on request), and the NUTS-2
-- boundaries of Europe, so the cluster map can draw datasets of European
-- regions (klaster import reference).
CREATE TABLE firm_dataset (
    id          @PK@,
    name        TEXT NOT NULL UNIQUE,         -- the key used in URLs: eu-ets-pl
    title       TEXT NOT NULL,
    source      TEXT,                         -- the attribution shown under the map
    skipped     INTEGER NOT NULL DEFAULT 0,   -- rows of the file without coordinates, left out
    created_at  TEXT NOT NULL
);

CREATE TABLE firm_point (
    dataset_id  BIGINT NOT NULL REFERENCES firm_dataset(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,             -- order in the file: DBSCAN numbers clusters in this order
    firm_id     TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    industry    TEXT NOT NULL DEFAULT '',
    lat         DOUBLE PRECISION NOT NULL,    -- WGS84 degrees
    lon         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (dataset_id, seq)
);

CREATE TABLE nuts_region (
    code        TEXT PRIMARY KEY,             -- NUTS_ID (NUTS 2021)
    level       INTEGER NOT NULL,
    country     TEXT NOT NULL,
    name        TEXT NOT NULL,
    geojson     TEXT NOT NULL                 -- the boundary as a GeoJSON geometry
);

--@sqlite
CREATE TRIGGER firm_dataset_gen_i AFTER INSERT ON firm_dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER firm_dataset_gen_u AFTER UPDATE ON firm_dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER firm_dataset_gen_d AFTER DELETE ON firm_dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
--@end
--@postgres
CREATE TRIGGER firm_dataset_gen AFTER INSERT OR UPDATE OR DELETE ON firm_dataset
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER firm_point_gen AFTER INSERT OR UPDATE OR DELETE ON firm_point
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
--@end
