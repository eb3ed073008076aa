-- 015: the names of the industries of a stored firm list (klaster import
-- firms --industry-name-column C: the EU ETS activity "Combustion of fuels"
-- beside its code 20), so that the portal's choice of industry reads as
-- words and not only as codes.  Written only together with the list
-- (firms_store replaces the list in one transaction), whose triggers
-- (migration 011) already move the data generation.
CREATE TABLE firm_industry (
    dataset_id  BIGINT NOT NULL REFERENCES firm_dataset(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (dataset_id, code)
);
