-- 014: the reference economy and the traded flags of a statistics dataset
-- (klaster import stats … --reference REF.csv, a traded column or a
-- crosswalk with one), so the portal's cluster map computes what `klaster
-- map indicators` computes on the file: LQs against the reference, and the
-- traded base.  A dataset with a reference has one stat_ref row per
-- industry and year of the dataset, NULL where the reference has no value
-- (its indicators are then empty, as on the command line); a dataset
-- without one has none, and its reference is the sum of its regions.
-- stat_traded holds the flags given (1 traded, 0 local); an industry
-- without a row has none.  Both are written only together with their
-- dataset (dataset_store replaces it in one transaction), so the triggers
-- of dataset (migration 004) already move the data generation.
CREATE TABLE stat_ref (
    dataset_id  BIGINT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    industry    TEXT NOT NULL,
    year        INTEGER NOT NULL,
    employment  DOUBLE PRECISION,             -- NULL: not known
    PRIMARY KEY (dataset_id, industry, year)
);

CREATE TABLE stat_traded (
    dataset_id  BIGINT NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
    industry    TEXT NOT NULL,
    traded      INTEGER NOT NULL CHECK (traded IN (0, 1)),
    PRIMARY KEY (dataset_id, industry)
);
