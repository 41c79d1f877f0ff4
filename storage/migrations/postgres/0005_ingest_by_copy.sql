-- Sales lines loaded by COPY straight into sales_lines.
--
-- Row-level security refuses COPY FROM into sales_lines, so an ingest went by COPY into a
-- temporary staging table and one INSERT .. SELECT from there, which costs the server about
-- twice the time of a COPY into the table (a tuple at a time through the executor, after the
-- staging copy). The role storelytics_ingest may do one thing: insert sales lines of the
-- transaction's store. It bypasses row-level security (so COPY FROM is allowed), but may insert
-- every column except store_id, whose default is the transaction's store (app.store_id; no
-- store set: NULL, which the column refuses), and holds no other privilege: it cannot read,
-- change or delete any row of any table. The application role is a member and switches to it
-- (SET LOCAL ROLE) only for the COPY inside an ingest transaction, after reading which of the
-- batch's keys are stored already under its own row-level security.
--
-- The statement-level check of migration 0002 (the transaction's store exists) now covers that
-- role too; it asks through app_store_exists(), as neither role that needs it may read stores
-- outside its policy. Other roles that bypass row-level security (superusers, e.g. for
-- pg_restore) stay trusted like the table owner.
--
-- Creating a role with BYPASSRLS needs a superuser. When the migrations run as another role,
-- storelytics_ingest is not created (a notice says so) and ingest keeps the staging path.

-- Whether the transaction's store exists. As the owner it still sees only that store (stores
-- has FORCE ROW LEVEL SECURITY).
CREATE FUNCTION app_store_exists() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT EXISTS (SELECT 1 FROM stores WHERE id = app_store_id()) $$;
REVOKE EXECUTE ON FUNCTION app_store_exists() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_store_exists() TO storelytics_app;

CREATE OR REPLACE FUNCTION sales_lines_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF row_security_active('sales_lines') OR current_user = 'storelytics_ingest' THEN
        IF NOT app_store_exists() THEN
            RAISE EXCEPTION 'sales lines of a store that does not exist'
                USING ERRCODE = 'foreign_key_violation', TABLE = 'sales_lines', COLUMN = 'store_id';
        END IF;
    END IF;
    RETURN NULL;
END $$;

ALTER TABLE sales_lines ALTER COLUMN store_id SET DEFAULT app_store_id();

DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storelytics_ingest') THEN
            CREATE ROLE storelytics_ingest NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
        END IF;
        GRANT USAGE ON SCHEMA public TO storelytics_ingest;
        GRANT INSERT (order_id, line, ts_micros, local_day, product_id, customer_id, quantity_milli, amount, cost,
                      category, id_kinds) ON sales_lines TO storelytics_ingest;
        GRANT EXECUTE ON FUNCTION app_store_id(), app_store_exists() TO storelytics_ingest;
        GRANT storelytics_ingest TO storelytics_app;
    ELSE
        RAISE NOTICE 'storelytics_ingest not created (BYPASSRLS needs a superuser): sales are ingested through a staging table';
    END IF;
END $$;
