-- 004: statistics datasets for the cluster map (klaster import stats).
-- A dataset is a region × industry × year table of employment (and
-- establishments); its region and industry names are kept beside it.
CREATE TABLE dataset (
    id          @PK@,
    name        TEXT NOT NULL UNIQUE,         -- the key used in URLs: gus-2025q3
    title       TEXT NOT NULL,
    source      TEXT,                         -- the attribution shown under maps and tables
    region_kind TEXT NOT NULL DEFAULT 'teryt' CHECK (region_kind IN ('teryt', 'nuts2013', 'other')),
    created_at  TEXT NOT NULL
);

CREATE TABLE stat_cell (
    dataset_id  BIGINT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    region      TEXT NOT NULL,
    industry    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    employment  DOUBLE PRECISION,             -- NULL: missing or confidential
    establishments DOUBLE PRECISION,
    PRIMARY KEY (dataset_id, region, industry, year)
);

CREATE TABLE stat_name (
    dataset_id  BIGINT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('region', 'industry')),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (dataset_id, kind, code)
);

-- the regions' NUTS-2013 codes, so datasets in NUTS codes find their voivodeship
ALTER TABLE region ADD COLUMN nuts2_2013 TEXT;

--@sqlite
CREATE TRIGGER dataset_gen_i AFTER INSERT ON dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER dataset_gen_u AFTER UPDATE ON dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER dataset_gen_d AFTER DELETE ON dataset BEGIN
    UPDATE change_counter SET generation = generation + 1 WHERE id = 1;
END;
--@end
--@postgres
CREATE TRIGGER dataset_gen AFTER INSERT OR UPDATE OR DELETE ON dataset
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
CREATE TRIGGER stat_cell_gen AFTER INSERT OR UPDATE OR DELETE ON stat_cell
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_bump_generation();
--@end
