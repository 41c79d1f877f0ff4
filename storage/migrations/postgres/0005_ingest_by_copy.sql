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
-- app_store_exists() reveals only whether the transaction's own store exists; every role may
-- call it (the check below runs for every role subject to row-level security).

-- Whether the transaction's store exists. As the owner it still sees only that store (stores
-- has FORCE ROW LEVEL SECURITY). Every name is schema-qualified and pg_temp comes last in its
-- search path, so no caller's temporary table, view or function can stand in for them.
CREATE FUNCTION app_store_exists() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM public.stores WHERE id = public.app_store_id()) $$;

CREATE OR REPLACE FUNCTION sales_lines_store_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF row_security_active('public.sales_lines') OR current_user = 'storelytics_ingest' THEN
        IF NOT public.app_store_exists() THEN
            RAISE EXCEPTION 'sales lines of a store that does not exist'
                USING ERRCODE = 'foreign_key_violation', TABLE = 'sales_lines', COLUMN = 'store_id';
        END IF;
    END IF;
    RETURN NULL;
END $$;

ALTER TABLE sales_lines ALTER COLUMN store_id SET DEFAULT app_store_id();

-- The role is cluster-wide: created once, by a superuser (BYPASSRLS needs one). Its privileges
-- on this database's objects are granted whenever it exists (the owner may grant those), and
-- the membership of storelytics_app when the migrations run as a superuser. The application
-- checks all three before it copies straight into sales_lines.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storelytics_ingest') THEN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE ROLE storelytics_ingest NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
        ELSE
            RAISE NOTICE 'storelytics_ingest not created (BYPASSRLS needs a superuser): sales are ingested through a staging table';
        END IF;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storelytics_ingest') THEN
        GRANT USAGE ON SCHEMA public TO storelytics_ingest;
        GRANT INSERT (order_id, line, ts_micros, local_day, product_id, customer_id, quantity_milli, amount, cost,
                      category, id_kinds) ON sales_lines TO storelytics_ingest;
        GRANT EXECUTE ON FUNCTION app_store_id(), app_store_exists() TO storelytics_ingest;
    END IF;
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storelytics_ingest')
        AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        GRANT storelytics_ingest TO storelytics_app;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
