-- storelytics storage schema (Postgres). Run by the owner role; the application connects as
-- `storelytics_app`, which owns nothing, cannot bypass row-level security and sees one tenant
-- per transaction (`set_config('app.store_id', <uuid>, true)`).

CREATE FUNCTION app_store_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('app.store_id', true), '')::uuid $$;

CREATE TABLE stores (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    code_is_int boolean NOT NULL,
    name        text NOT NULL,
    currency    text NOT NULL CHECK (length(currency) = 3),
    time_zone   text NOT NULL,
    money_scale integer NOT NULL CHECK (money_scale BETWEEN 0 AND 6),
    created_at  timestamptz NOT NULL
);

CREATE TABLE users (
    store_id      uuid NOT NULL REFERENCES stores(id),
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'analyst', 'viewer')),
    created_at    timestamptz NOT NULL,
    UNIQUE (store_id, email)
);

CREATE TABLE products (
    store_id   uuid NOT NULL REFERENCES stores(id),
    product_id text NOT NULL,
    name       text,
    category   text,
    price      bigint,
    cost       bigint,
    inventory  bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (store_id, product_id)
);

CREATE TABLE customers (
    store_id    uuid NOT NULL REFERENCES stores(id),
    customer_id text NOT NULL,
    name        text,
    email       text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);

CREATE TABLE sales_lines (
    store_id       uuid NOT NULL REFERENCES stores(id),
    order_id       text NOT NULL,
    line           bigint NOT NULL,
    ts_micros      bigint NOT NULL,
    local_day      integer NOT NULL,
    product_id     text NOT NULL,
    customer_id    text,
    quantity_milli bigint NOT NULL,
    amount         bigint NOT NULL,
    cost           bigint,
    category       text,
    id_kinds       smallint NOT NULL,
    PRIMARY KEY (store_id, order_id, line)
);
CREATE INDEX sales_lines_day ON sales_lines (store_id, local_day);

CREATE TABLE ingest_batches (
    store_id        uuid NOT NULL REFERENCES stores(id),
    idempotency_key text NOT NULL,
    received        bigint NOT NULL,
    inserted        bigint NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (store_id, idempotency_key)
);

CREATE TABLE daily_metrics (
    store_id             uuid NOT NULL REFERENCES stores(id),
    day                  date NOT NULL,
    gross_revenue        bigint NOT NULL,
    returns              bigint NOT NULL,
    net_revenue          bigint NOT NULL,
    cost                 bigint,
    orders               bigint NOT NULL,
    units_milli          bigint NOT NULL,
    returned_units_milli bigint NOT NULL,
    customers            bigint NOT NULL,
    new_customers        bigint NOT NULL,
    computed_at          timestamptz NOT NULL,
    PRIMARY KEY (store_id, day)
);

CREATE TABLE forecasts (
    store_id   uuid NOT NULL REFERENCES stores(id),
    id         uuid PRIMARY KEY,
    series     text NOT NULL,
    model      text NOT NULL,
    horizon    integer NOT NULL,
    payload    text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE anomalies (
    store_id   uuid NOT NULL REFERENCES stores(id),
    id         uuid PRIMARY KEY,
    metric     text NOT NULL,
    day        date NOT NULL,
    value      double precision NOT NULL,
    expected   double precision,
    score      double precision NOT NULL,
    direction  text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE customer_segments (
    store_id     uuid NOT NULL REFERENCES stores(id),
    customer_id  text NOT NULL,
    segment      text NOT NULL,
    recency_days integer NOT NULL,
    frequency    integer NOT NULL,
    monetary     bigint NOT NULL,
    computed_at  timestamptz NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);

CREATE TABLE audit_heads (
    store_id         uuid PRIMARY KEY REFERENCES stores(id),
    seq              bigint NOT NULL,
    hash             bytea NOT NULL,
    at_micros        bigint NOT NULL
);

CREATE TABLE audit_log (
    store_id  uuid NOT NULL REFERENCES stores(id),
    seq       bigint NOT NULL,
    at_micros bigint NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    detail    text NOT NULL,
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL,
    PRIMARY KEY (store_id, seq)
);

CREATE TABLE audit_archive (LIKE audit_log INCLUDING ALL);

-- Row-level security: every tenant table, forced (the owner is subject to it too unless superuser).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'products', 'customers', 'sales_lines', 'ingest_batches', 'daily_metrics',
                             'forecasts', 'anomalies', 'customer_segments', 'audit_heads', 'audit_log', 'audit_archive']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant ON %I USING (store_id = app_store_id()) WITH CHECK (store_id = app_store_id())', t);
    END LOOP;
END $$;
ALTER TABLE stores ENABLE ROW LEVEL SECURITY;
ALTER TABLE stores FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON stores USING (id = app_store_id()) WITH CHECK (id = app_store_id());

-- The application role: owns nothing, no BYPASSRLS. Roles are cluster-wide, so create it once.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storelytics_app') THEN
        CREATE ROLE storelytics_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO storelytics_app;
GRANT EXECUTE ON FUNCTION app_store_id() TO storelytics_app;
GRANT SELECT, INSERT, UPDATE ON stores, users, products, customers, daily_metrics, customer_segments, audit_heads
    TO storelytics_app;
GRANT SELECT, INSERT ON sales_lines, ingest_batches, forecasts, anomalies, audit_archive TO storelytics_app;
GRANT DELETE ON products, customers, forecasts, anomalies, customer_segments, daily_metrics TO storelytics_app;
-- The audit log is append-only for the application: no UPDATE; DELETE only for retention
-- (entries are copied to audit_archive behind a checkpoint entry first).
GRANT SELECT, INSERT, DELETE ON audit_log TO storelytics_app;
