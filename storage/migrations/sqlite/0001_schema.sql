-- storelytics storage schema (SQLite). Tenant isolation is enforced by the repository: every
-- statement is scoped by store_id.

CREATE TABLE stores (
    id          BLOB PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    code_is_int INTEGER NOT NULL,
    name        text NOT NULL,
    currency    text NOT NULL CHECK (length(currency) = 3),
    time_zone   text NOT NULL,
    money_scale integer NOT NULL CHECK (money_scale BETWEEN 0 AND 6),
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    store_id      BLOB NOT NULL REFERENCES stores(id),
    id            BLOB PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('owner', 'analyst', 'viewer')),
    created_at    TEXT NOT NULL,
    UNIQUE (store_id, email)
);

CREATE TABLE products (
    store_id   BLOB NOT NULL REFERENCES stores(id),
    product_id text NOT NULL,
    name       text,
    category   text,
    price      bigint,
    cost       bigint,
    inventory  bigint NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (store_id, product_id)
);

CREATE TABLE customers (
    store_id    BLOB NOT NULL REFERENCES stores(id),
    customer_id text NOT NULL,
    name        text,
    email       text,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);

CREATE TABLE sales_lines (
    store_id       BLOB NOT NULL REFERENCES stores(id),
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
    store_id        BLOB NOT NULL REFERENCES stores(id),
    idempotency_key text NOT NULL,
    received        bigint NOT NULL,
    inserted        bigint NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (store_id, idempotency_key)
);

CREATE TABLE daily_metrics (
    store_id             BLOB NOT NULL REFERENCES stores(id),
    day                  TEXT NOT NULL,
    gross_revenue        bigint NOT NULL,
    returns              bigint NOT NULL,
    net_revenue          bigint NOT NULL,
    cost                 bigint,
    orders               bigint NOT NULL,
    units_milli          bigint NOT NULL,
    returned_units_milli bigint NOT NULL,
    customers            bigint NOT NULL,
    new_customers        bigint NOT NULL,
    computed_at          TEXT NOT NULL,
    PRIMARY KEY (store_id, day)
);

CREATE TABLE forecasts (
    store_id   BLOB NOT NULL REFERENCES stores(id),
    id         BLOB PRIMARY KEY,
    series     text NOT NULL,
    model      text NOT NULL,
    horizon    integer NOT NULL,
    payload    text NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE anomalies (
    store_id   BLOB NOT NULL REFERENCES stores(id),
    id         BLOB PRIMARY KEY,
    metric     text NOT NULL,
    day        TEXT NOT NULL,
    value      REAL NOT NULL,
    expected   REAL,
    score      REAL NOT NULL,
    direction  text NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE customer_segments (
    store_id     BLOB NOT NULL REFERENCES stores(id),
    customer_id  text NOT NULL,
    segment      text NOT NULL,
    recency_days integer NOT NULL,
    frequency    integer NOT NULL,
    monetary     bigint NOT NULL,
    computed_at  TEXT NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);

CREATE TABLE audit_heads (
    store_id         BLOB PRIMARY KEY REFERENCES stores(id),
    seq              bigint NOT NULL,
    hash             BLOB NOT NULL,
    at_micros        bigint NOT NULL
);

CREATE TABLE audit_log (
    store_id  BLOB NOT NULL REFERENCES stores(id),
    seq       bigint NOT NULL,
    at_micros bigint NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    detail    text NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL,
    PRIMARY KEY (store_id, seq)
);

CREATE TABLE audit_archive (
    store_id  BLOB NOT NULL REFERENCES stores(id),
    seq       bigint NOT NULL,
    at_micros bigint NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    detail    text NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL,
    PRIMARY KEY (store_id, seq)
);

-- The audit log is append-only: updates are refused; deletes only happen through retention,
-- which copies the entries to audit_archive behind a checkpoint entry first.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
