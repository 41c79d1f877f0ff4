-- Faster bulk ingest of sales lines.
--
-- The foreign key sales_lines.store_id -> stores(id) looked up the store once per inserted line
-- (a third of the ingest time). It is replaced by a statement-level check: for a role subject
-- to row-level security, every line it inserts has `store_id = app_store_id()` (the policy's
-- WITH CHECK), so one lookup per statement proves that store exists. Roles that bypass
-- row-level security (superusers, e.g. for pg_restore) are trusted like the table owner and not
-- checked. Deleting a store that has lines stays impossible: every store has its chain head in
-- `audit_heads` and each ingest's entry in `audit_log`, both with foreign keys to `stores`.

ALTER TABLE sales_lines DROP CONSTRAINT sales_lines_store_id_fkey;

CREATE FUNCTION sales_lines_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF row_security_active('sales_lines') AND NOT EXISTS (SELECT 1 FROM stores WHERE id = app_store_id()) THEN
        RAISE EXCEPTION 'sales lines of a store that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'sales_lines', COLUMN = 'store_id';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sales_lines_store_exists AFTER INSERT ON sales_lines
    FOR EACH STATEMENT EXECUTE FUNCTION sales_lines_store_exists();
