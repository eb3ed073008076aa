-- 013: numeric values of the firms of a stored list (klaster import firms
-- --value COLUMN …: emissions, employment), so the portal can show hot spots
-- of a value and not only of firm density.  A list has any number of value
-- columns; every firm of the list has one row per column, NULL when the
-- file had no value for it (empty or NA).  Values are written only together
-- with their list (firms_store replaces the list in one transaction), so the
-- triggers of firm_dataset (migration 011) already move the data generation.
CREATE TABLE firm_value_column (
    id          @PK@,
    dataset_id  BIGINT NOT NULL REFERENCES firm_dataset(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,             -- the order of the --value options
    name        TEXT NOT NULL,                -- the column's name as given: verified_emissions_2019_tco2
    UNIQUE (dataset_id, name)
);

CREATE TABLE firm_value (
    column_id   BIGINT NOT NULL REFERENCES firm_value_column(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,             -- the firm: firm_point.seq of the column's list
    value       DOUBLE PRECISION,             -- NULL: missing
    PRIMARY KEY (column_id, seq)
);
