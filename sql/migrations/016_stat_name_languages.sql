-- 016: an industry's names in Polish and English beside the dataset's own
-- (klaster import stats … --industry-names FILE with name_pl/name_en
-- columns, such as data/reference/pkd2007_names.csv), so the cluster map
-- speaks the page's language: "Manufacture of food products" on the English
-- page of a GUS dataset whose file names its divisions in Polish.  NULL
-- where not given; the page then shows name.  Written only together with
-- the dataset (dataset_store), whose triggers already move the generation.
ALTER TABLE stat_name ADD COLUMN name_pl TEXT;
ALTER TABLE stat_name ADD COLUMN name_en TEXT;
