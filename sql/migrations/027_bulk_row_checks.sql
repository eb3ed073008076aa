-- 027: on PostgreSQL the rows that come by the million (a dataset's cells,
-- a firm list's points and values) have their parent checked once a
-- statement instead of once a row.
--
-- A foreign key is checked by a trigger per inserted row, each a query of
-- the parent table: storing 2,280,000 cells took 14–15 s, of which 9 s was
-- that check (the same import without it 5.5 s).  Here the three foreign
-- keys are replaced by statement triggers that read the statement's new
-- rows as a whole (a transition table): a row naming a parent that does
-- not exist fails the statement with the foreign key's SQLSTATE (23503);
-- deleting a parent deletes its rows (ON DELETE CASCADE), and a parent's id
-- is not changed while rows name it (NO ACTION).  The parents the rows name
-- are touched (UPDATE … SET id = id) rather than only locked: the lock keeps
-- a concurrent delete waiting until the transaction ends, as the foreign
-- key's FOR KEY SHARE does, and the new row version makes a deleter in
-- REPEATABLE READ or SERIALIZABLE fail to serialize instead of cascading
-- with a snapshot that cannot see the rows just committed (the foreign key's
-- cascade checks them against a newer snapshot; a statement trigger cannot).
-- The import of 2,280,000 cells takes 6–7 s.  SQLite checks its foreign
-- keys without a query a row and keeps them.
--@postgres
ALTER TABLE stat_cell DROP CONSTRAINT stat_cell_dataset_id_fkey;
ALTER TABLE firm_point DROP CONSTRAINT firm_point_dataset_id_fkey;
ALTER TABLE firm_value DROP CONSTRAINT firm_value_column_id_fkey;

-- the parents (TG_ARGV[0], column id) of the statement's rows (new_rows, column TG_ARGV[1]) exist;
-- each is touched (a new version, locked until the transaction ends; its id unchanged)
CREATE FUNCTION klaster_parent_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    want BIGINT;
    have BIGINT;
BEGIN
    EXECUTE format('SELECT count(DISTINCT %I) FROM new_rows', TG_ARGV[1]) INTO want;
    EXECUTE format('UPDATE %I p SET id = p.id WHERE p.id IN (SELECT %I FROM new_rows)', TG_ARGV[0], TG_ARGV[1]);
    GET DIAGNOSTICS have = ROW_COUNT;
    IF have <> want THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('insert or update on table "%s" names a row of "%s" that does not exist',
                             TG_TABLE_NAME, TG_ARGV[0]),
            TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

-- the rows of TG_ARGV[0] (column TG_ARGV[1]) of the deleted parents (old_rows) go with them
CREATE FUNCTION klaster_parent_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DELETE FROM %I WHERE %I IN (SELECT id FROM old_rows)', TG_ARGV[0], TG_ARGV[1]);
    RETURN NULL;
END $$;

-- a parent's id stays while rows of TG_ARGV[0] (column TG_ARGV[1]) name it
CREATE FUNCTION klaster_parent_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named BOOLEAN;
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1])
            INTO named USING OLD.id;
        IF named THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('the id of "%s" %s is named by rows of "%s"', TG_TABLE_NAME, OLD.id, TG_ARGV[0]),
                TABLE = TG_TABLE_NAME;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER stat_cell_parent_i AFTER INSERT ON stat_cell REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('dataset', 'dataset_id');
CREATE TRIGGER stat_cell_parent_u AFTER UPDATE ON stat_cell REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('dataset', 'dataset_id');
CREATE TRIGGER dataset_cells_d AFTER DELETE ON dataset REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_cascade('stat_cell', 'dataset_id');
CREATE TRIGGER dataset_cells_u BEFORE UPDATE OF id ON dataset
    FOR EACH ROW EXECUTE FUNCTION klaster_parent_id_kept('stat_cell', 'dataset_id');

CREATE TRIGGER firm_point_parent_i AFTER INSERT ON firm_point REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('firm_dataset', 'dataset_id');
CREATE TRIGGER firm_point_parent_u AFTER UPDATE ON firm_point REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('firm_dataset', 'dataset_id');
CREATE TRIGGER firm_dataset_points_d AFTER DELETE ON firm_dataset REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_cascade('firm_point', 'dataset_id');
CREATE TRIGGER firm_dataset_points_u BEFORE UPDATE OF id ON firm_dataset
    FOR EACH ROW EXECUTE FUNCTION klaster_parent_id_kept('firm_point', 'dataset_id');

CREATE TRIGGER firm_value_parent_i AFTER INSERT ON firm_value REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('firm_value_column', 'column_id');
CREATE TRIGGER firm_value_parent_u AFTER UPDATE ON firm_value REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_check('firm_value_column', 'column_id');
CREATE TRIGGER firm_value_column_values_d AFTER DELETE ON firm_value_column REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION klaster_parent_cascade('firm_value', 'column_id');
CREATE TRIGGER firm_value_column_values_u BEFORE UPDATE OF id ON firm_value_column
    FOR EACH ROW EXECUTE FUNCTION klaster_parent_id_kept('firm_value', 'column_id');
--@end
