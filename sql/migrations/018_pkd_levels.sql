-- 018: the PKD table holds every level of the classification — groups,
-- classes and subclasses beside sections and divisions — so that an
-- organisation's or an offer's codes are checked to the level they are
-- given at (62.01.Z must be a subclass of PKD 2007, not only fall in
-- division 62) and named on the pages.  `klaster import reference` fills
-- the deeper levels from reference/pkd2007_names.csv and
-- reference/pkd2025_names.csv; a database whose table holds only sections
-- and divisions is still checked to the division.  SQLite cannot change a
-- CHECK constraint, so the table is made again (nothing refers to it).
CREATE TABLE pkd_levels (
    version     INTEGER NOT NULL CHECK (version IN (2007, 2025)),
    code        TEXT NOT NULL,                -- A, 62, 62.0, 62.01, 62.01.Z
    level       TEXT NOT NULL CHECK (level IN ('section', 'division', 'group', 'class', 'subclass')),
    parent      TEXT,                         -- the code one level up (a division's section)
    name_pl     TEXT NOT NULL,
    name_en     TEXT,
    PRIMARY KEY (version, code)
);
INSERT INTO pkd_levels (version, code, level, parent, name_pl, name_en)
    SELECT version, code, level, parent, name_pl, name_en FROM pkd;
DROP TABLE pkd;
ALTER TABLE pkd_levels RENAME TO pkd;
