-- 019: a cluster's acronym names it whatever its case: /clusters/mktc is the
-- cluster MKTC, a membership or news file naming "mktc" finds it, and an
-- import writing "Mktc" renames MKTC instead of adding a second cluster.
-- The index keeps two acronyms that differ only in case out of the table
-- (a database that already holds such a pair stops here, naming the index:
-- rename one of the two clusters first).
CREATE UNIQUE INDEX cluster_acronym_nocase ON cluster (lower(acronym));
