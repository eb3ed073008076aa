-- 026: the terms of reuse of a statistics dataset and of a firm list
-- (klaster import stats|firms --licence), shown next to the source on the
-- portal's pages, in the API and in every download; NULL when none was given.
ALTER TABLE dataset ADD COLUMN licence TEXT;
ALTER TABLE firm_dataset ADD COLUMN licence TEXT;
