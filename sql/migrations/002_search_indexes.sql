-- 002: indexes for the directory's search pages.
-- A page of results is "the first 20 by sort key among the matches".  The
-- sort indexes carry the filter columns, so a broad search walks one index
-- in order, tests the filters there and stops after one page instead of
-- reading and sorting every match; (voivodeship, type, size_class) answers
-- the filter counts without reading rows.  pkd_sections holds the section
-- letters of all of an organisation's PKD codes ("CJ") for the same reason.
ALTER TABLE organisation ADD COLUMN pkd_sections TEXT;
--@sqlite
UPDATE organisation SET pkd_sections = (SELECT group_concat(section, '') FROM
    (SELECT DISTINCT section FROM organisation_pkd p WHERE p.org_id = organisation.id ORDER BY section));
--@end
--@postgres
UPDATE organisation SET pkd_sections = (SELECT string_agg(DISTINCT section, '' ORDER BY section)
    FROM organisation_pkd p WHERE p.org_id = organisation.id);
--@end
DROP INDEX organisation_sort;
CREATE INDEX organisation_sort ON organisation (sort_key, type, size_class, voivodeship, pkd_sections);
CREATE INDEX organisation_newest ON organisation (updated_at, type, size_class, voivodeship, pkd_sections);
CREATE INDEX organisation_filter ON organisation (voivodeship, type, size_class);
CREATE INDEX cluster_sort ON cluster (sort_key);
-- PKD codes are searchable as one word: "62.01.Z" is also "6201z"; and the
-- filter values are words of the full-text text too (DIR_FILTER_WORDS in
-- dir.h): "xtypeenterprise xsizesmall xvoiv14 xsecc".
UPDATE organisation SET search_text = search_text
    || COALESCE(' ' || lower(replace(replace(pkd_codes, '.', ''), ';', ' ')), '')
    || ' xtype' || type
    || COALESCE(' xsize' || size_class, '')
    || COALESCE(' xvoiv' || voivodeship, '');
--@sqlite
UPDATE organisation SET search_text = search_text || COALESCE((SELECT group_concat(' xsec' || lower(section), '')
    FROM (SELECT DISTINCT section FROM organisation_pkd p WHERE p.org_id = organisation.id ORDER BY section)), '');
--@end
--@postgres
UPDATE organisation SET search_text = search_text || COALESCE((SELECT string_agg(DISTINCT ' xsec' || lower(section), '')
    FROM organisation_pkd p WHERE p.org_id = organisation.id), '');
--@end
