-- 017: a firm list's industry names in Polish and English beside the one
-- the list's file gives (klaster import firms … --industry-names FILE with
-- name_pl/name_en columns, such as data/reference/eu_ets_activities.csv),
-- so that the points page names the EU ETS activities in its language.
-- NULL where not given; the page then shows name.  Written only together
-- with the list (firms_store), whose triggers already move the generation.
ALTER TABLE firm_industry ADD COLUMN name_pl TEXT;
ALTER TABLE firm_industry ADD COLUMN name_en TEXT;
