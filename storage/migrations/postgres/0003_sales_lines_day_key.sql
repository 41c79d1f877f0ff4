-- Sales lines keyed by (store, local day, order, line): one index instead of two.
--
-- Before, every ingested line was added to two B-trees: the primary key (store, order, line),
-- at a position unrelated to the order of arrival (order ids sort as text), and the day index
-- (store, local day) used by period reads and by the ingest's duplicate check. Index
-- maintenance was half of the server's ingest time. A key that starts with the day serves
-- both queries and receives a batch (days in ascending order) at few neighbouring places.
--
-- Uniqueness is unchanged for lines written by the repository: a line's key within its order
-- is a hash over its time (with product, quantity, amount and occurrence), and its local day
-- is the day of that time in the store's time zone, which never changes; so an (order, line)
-- pair has one day. The ingest's anti-join still looks for (order, line) over the batch's days
-- widened by two, under the store's chain-head lock, so it also finds lines stored before this
-- migration with a day computed in another zone.
--
-- Order ids compare bytewise (COLLATE "C"): they are identifiers, not words to sort by a
-- locale, and a locale comparison costs more on every index insert.

ALTER TABLE sales_lines DROP CONSTRAINT sales_lines_pkey;
DROP INDEX sales_lines_day;
ALTER TABLE sales_lines ALTER COLUMN order_id TYPE text COLLATE "C";
ALTER TABLE sales_lines ADD PRIMARY KEY (store_id, local_day, order_id, line);
