//! Conversion between a core [`Sales`] table and stored sales lines.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use sha2::{Digest, Sha256};
use storelytics::sales::{GUEST, IdColumn, NumberColumn, QUANTITY_SCALE, TimestampColumn};
use storelytics::{Id, Sales, SalesBuilder};

use crate::error::{Result, StorageError};
use crate::model::Store;

/// `id_kinds` bits: which ids of a line were integers in the caller's data.
const ORDER_INT: i16 = 1;
const PRODUCT_INT: i16 = 2;
const CUSTOMER_INT: i16 = 4;

/// Stored sales lines of one store, column by column.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct LineRows {
    pub(crate) order_id: Vec<String>,
    /// Key of the line within its order: a hash of its content and its occurrence among
    /// identical lines of the order ([`line_key`]).
    pub(crate) line: Vec<i64>,
    pub(crate) ts_micros: Vec<i64>,
    pub(crate) local_day: Vec<i32>,
    pub(crate) product_id: Vec<String>,
    pub(crate) customer_id: Vec<Option<String>>,
    pub(crate) quantity_milli: Vec<i64>,
    pub(crate) amount: Vec<i64>,
    pub(crate) cost: Vec<Option<i64>>,
    pub(crate) category: Vec<Option<String>>,
    pub(crate) id_kinds: Vec<i16>,
}

impl LineRows {
    pub(crate) fn len(&self) -> usize {
        self.order_id.len()
    }

    pub(crate) fn with_capacity(n: usize) -> Self {
        LineRows {
            order_id: Vec::with_capacity(n),
            line: Vec::with_capacity(n),
            ts_micros: Vec::with_capacity(n),
            local_day: Vec::with_capacity(n),
            product_id: Vec::with_capacity(n),
            customer_id: Vec::with_capacity(n),
            quantity_milli: Vec::with_capacity(n),
            amount: Vec::with_capacity(n),
            cost: Vec::with_capacity(n),
            category: Vec::with_capacity(n),
            id_kinds: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, l: &LineRef<'_>) {
        self.order_id.push(l.order_id.to_owned());
        self.line.push(l.line);
        self.ts_micros.push(l.ts_micros);
        self.local_day.push(l.local_day);
        self.product_id.push(l.product_id.to_owned());
        self.customer_id.push(l.customer_id.map(str::to_owned));
        self.quantity_milli.push(l.quantity_milli);
        self.amount.push(l.amount);
        self.cost.push(l.cost);
        self.category.push(l.category.map(str::to_owned));
        self.id_kinds.push(l.id_kinds);
    }
}

fn id_text(id: &Id) -> (String, bool) {
    match id {
        Id::Int(i) => (i.to_string(), true),
        Id::Str(s) => (s.clone(), false),
    }
}

/// Texts of the dictionary codes used by `codes`, computed once per code.
fn texts(codes: &[u32], dict: &storelytics::Dictionary) -> HashMap<u32, (String, bool)> {
    let mut out = HashMap::default();
    for &c in codes {
        if c != GUEST {
            out.entry(c).or_insert_with(|| id_text(&dict.id(c)));
        }
    }
    out
}

/// Converts the lines of one store of a table to stored lines, chunk by chunk (so that a caller
/// can send one chunk while converting the next). The store's lines are the rows whose store id
/// is the store's code, or all rows when the table has one store and it is the default store of
/// data without a store column. A key (order, line) met again (two order ids with the same text,
/// e.g. `1` and `"1"`) is converted once.
pub(crate) struct LineEncoder<'a> {
    sales: &'a Sales,
    rows: std::ops::Range<usize>,
    order_text: HashMap<u32, (String, bool)>,
    product_text: HashMap<u32, (String, bool)>,
    customer_text: HashMap<u32, (String, bool)>,
    category_text: HashMap<u32, Option<String>>,
    /// Lines seen so far per (order, time, product, quantity, amount): the next occurrence.
    next_line: HashMap<(u32, i64, u32, i64, i64), u32>,
    /// Per order code, the first code with the same text (ids `1` and `"1"` are one stored order).
    same_order: HashMap<u32, u32>,
    /// Keys (order, line) converted so far: a repeated key is skipped.
    keys: HashSet<(u32, i64)>,
    /// The first row and the local days of the encoder's rows in the store's time zone, when
    /// the table's zone for the store differs (otherwise the table's days are the store's).
    days: Option<(usize, Vec<i32>)>,
}

impl<'a> LineEncoder<'a> {
    /// Checks that `sales` fits `store` and finds the store's rows.
    pub(crate) fn new(sales: &'a Sales, store: &Store) -> Result<Self> {
        if sales.money_scale() != store.money_scale {
            return Err(StorageError::invalid(
                "sales",
                format!("money scale {} differs from the store's {}", sales.money_scale(), store.money_scale),
            ));
        }
        let info = match sales.stores().iter().find(|s| s.id == store.code) {
            Some(s) => Some(s),
            None => match sales.stores() {
                [only] if only.id == Id::Str("default".into()) => Some(only),
                [] => None,
                _ => {
                    return Err(StorageError::invalid(
                        "sales",
                        format!("the table has no lines of store `{}`", store.code),
                    ));
                }
            },
        };
        let rows = info.map_or(0..0, |s| s.rows.clone());
        // Stored days are the store's local days, whatever zone the table used for the store.
        let days = match info {
            Some(s) if s.time_zone != store.time_zone => Some((
                rows.start,
                storelytics::sales::local_days(
                    &store.time_zone,
                    sales.ts_micros().get(rows.clone()).unwrap_or_default(),
                )
                .map_err(|_| {
                    StorageError::Corrupt(format!("store time zone `{}` is not an IANA time zone", store.time_zone))
                })?,
            )),
            _ => None,
        };
        let orders = sales.order_codes().get(rows.clone()).unwrap_or_default();
        let products = sales.product_codes().get(rows.clone()).unwrap_or_default();
        let customers = sales.customer_codes().get(rows.clone()).unwrap_or_default();
        let order_text = texts(orders, sales.orders());
        let mut first_with_text: HashMap<&str, u32> =
            HashMap::with_capacity_and_hasher(order_text.len(), Default::default());
        let mut same_order = HashMap::with_capacity_and_hasher(order_text.len(), Default::default());
        for (&code, (text, _)) in &order_text {
            let first = first_with_text.entry(text.as_str()).or_insert(code);
            *first = (*first).min(code);
        }
        for (&code, (text, _)) in &order_text {
            same_order.insert(code, first_with_text.get(text.as_str()).copied().unwrap_or(code));
        }
        Ok(LineEncoder {
            sales,
            same_order,
            keys: HashSet::with_capacity_and_hasher(rows.len(), Default::default()),
            order_text,
            product_text: texts(products, sales.products()),
            customer_text: texts(customers, sales.customers()),
            category_text: HashMap::default(),
            next_line: HashMap::with_capacity_and_hasher(rows.len(), Default::default()),
            rows,
            days,
        })
    }

    /// Lines not yet converted.
    pub(crate) fn remaining(&self) -> usize {
        self.rows.len()
    }

    /// The local days of the lines not yet converted, one per line (`None` if the table's
    /// days do not cover them, which a valid `Sales` rules out).
    fn remaining_days(&self) -> Option<&[i32]> {
        match &self.days {
            Some((first, days)) => days.get(self.rows.start.checked_sub(*first)?..self.rows.end.checked_sub(*first)?),
            None => self.sales.days().get(self.rows.clone()),
        }
    }

    /// The distinct local days of the lines not yet converted, ascending.
    pub(crate) fn distinct_days(&self) -> Result<Vec<i32>> {
        let mut days = self
            .remaining_days()
            .ok_or_else(|| StorageError::Corrupt("the sales table has fewer days than lines".into()))?
            .to_vec();
        days.sort_unstable();
        days.dedup();
        Ok(days)
    }

    /// Converts the next `max` rows (fewer at the end, none when all are done) and hands each
    /// line to `f`, its texts borrowed from the encoder (no allocation per line). A row whose
    /// key was met before is skipped, so `f` may see fewer than `max` lines.
    pub(crate) fn next_lines(&mut self, max: usize, mut f: impl FnMut(&LineRef<'_>)) {
        let end = self.rows.start.saturating_add(max).min(self.rows.end);
        let chunk = self.rows.start..end;
        self.rows.start = end;
        let LineEncoder {
            sales,
            order_text,
            product_text,
            customer_text,
            category_text,
            next_line,
            same_order,
            keys,
            days,
            ..
        } = self;
        let sales: &Sales = sales;
        let (orders, products, customers) = (sales.order_codes(), sales.product_codes(), sales.customer_codes());
        let (quantities, amounts, times, table_days) =
            (sales.quantities_milli(), sales.amounts(), sales.ts_micros(), sales.days());
        let costs = sales.costs();
        for i in chunk {
            let (Some(&o), Some(&p), Some(&c), Some(&q), Some(&a), Some(&ts)) =
                (orders.get(i), products.get(i), customers.get(i), quantities.get(i), amounts.get(i), times.get(i))
            else {
                continue;
            };
            let (order, order_int) = order_text.get(&o).map_or(("", false), |(t, int)| (t.as_str(), *int));
            let (product, product_int) = product_text.get(&p).map_or(("", false), |(t, int)| (t.as_str(), *int));
            let (customer, customer_int) = match customer_text.get(&c) {
                Some((t, int)) => (Some(t.as_str()), *int),
                None => (None, false),
            };
            let occurrence = next_line.entry((o, ts, p, q, a)).or_insert(0);
            let line = line_key(ts, product, q, a, *occurrence);
            *occurrence += 1;
            if !keys.insert((same_order.get(&o).copied().unwrap_or(o), line)) {
                continue;
            }
            let category = category_text
                .entry(p)
                .or_insert_with(|| sales.product_category(p).map(|k| sales.categories().id(k).to_string()));
            let local_day = match days {
                Some((first, days)) => i.checked_sub(*first).and_then(|k| days.get(k)).copied().unwrap_or_default(),
                None => table_days.get(i).copied().unwrap_or_default(),
            };
            f(&LineRef {
                order_id: order,
                line,
                ts_micros: ts,
                local_day,
                product_id: product,
                customer_id: customer,
                quantity_milli: q,
                amount: a,
                cost: costs.and_then(|c| c.get(i).copied()),
                category: category.as_deref(),
                id_kinds: if order_int { ORDER_INT } else { 0 }
                    | if product_int { PRODUCT_INT } else { 0 }
                    | if customer_int { CUSTOMER_INT } else { 0 },
            });
        }
    }

    /// Converts the next `max` rows (fewer at the end, none when all are done) to owned lines.
    pub(crate) fn next_chunk(&mut self, max: usize) -> LineRows {
        let mut out = LineRows::with_capacity(max.min(self.remaining()));
        self.next_lines(max, |l| out.push(l));
        out
    }
}

/// One converted line, its texts borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineRef<'t> {
    pub(crate) order_id: &'t str,
    pub(crate) line: i64,
    pub(crate) ts_micros: i64,
    pub(crate) local_day: i32,
    pub(crate) product_id: &'t str,
    pub(crate) customer_id: Option<&'t str>,
    pub(crate) quantity_milli: i64,
    pub(crate) amount: i64,
    pub(crate) cost: Option<i64>,
    pub(crate) category: Option<&'t str>,
    pub(crate) id_kinds: i16,
}

/// The key of a line within its order: the first 8 bytes of SHA-256 over (time, product,
/// quantity, amount, occurrence), where occurrence counts earlier identical lines of the order
/// in the same table. It does not depend on which other orders or days share the table, so
/// loading the same orders again, whole or split into batches, finds the same keys.
pub(crate) fn line_key(ts_micros: i64, product: &str, quantity_milli: i64, amount: i64, occurrence: u32) -> i64 {
    let mut h = Sha256::new();
    h.update(ts_micros.to_be_bytes());
    h.update((product.len() as u64).to_be_bytes());
    h.update(product.as_bytes());
    h.update(quantity_milli.to_be_bytes());
    h.update(amount.to_be_bytes());
    h.update(occurrence.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

fn id_column(values: Vec<Option<String>>, all_int: bool, what: &str) -> Result<IdColumn> {
    if !all_int {
        return Ok(IdColumn::Str(values));
    }
    values
        .into_iter()
        .map(|v| match v {
            None => Ok(None),
            Some(t) => {
                t.parse::<i64>().map(Some).map_err(|_| StorageError::Corrupt(format!("{what} `{t}` is not an integer")))
            }
        })
        .collect::<Result<Vec<_>>>()
        .map(IdColumn::Int)
}

/// Rebuilds a core table of one store from stored lines.
pub(crate) fn build_sales(store: &Store, rows: LineRows) -> Result<Sales> {
    let all = |bit: i16| rows.id_kinds.iter().all(|k| k & bit != 0);
    let customer_int = rows.id_kinds.iter().zip(&rows.customer_id).all(|(k, c)| c.is_none() || k & CUSTOMER_INT != 0);
    let (order_int, product_int) = (all(ORDER_INT), all(PRODUCT_INT));
    let unit = 10f64.powi(store.money_scale as i32);
    let q = |m: i64| m as f64 / QUANTITY_SCALE as f64;
    let quantity: Vec<f64> = rows.quantity_milli.iter().map(|&m| q(m)).collect();
    let amount: Vec<f64> = rows.amount.iter().map(|&a| a as f64 / unit).collect();
    // Costs are stored per line; the builder takes unit costs (line cost / quantity).
    let unit_cost: Option<Vec<f64>> = rows.cost.iter().all(Option::is_some).then(|| {
        rows.cost
            .iter()
            .zip(&rows.quantity_milli)
            .map(|(c, &m)| if m == 0 { 0.0 } else { c.unwrap_or(0) as f64 / unit / q(m) })
            .collect()
    });
    let n = rows.len();
    let mut b = SalesBuilder::new()
        .order_id(id_column(rows.order_id.into_iter().map(Some).collect(), order_int, "order id")?)
        .timestamp(TimestampColumn::Micros(rows.ts_micros.into_iter().map(Some).collect()))
        .product_id(id_column(rows.product_id.into_iter().map(Some).collect(), product_int, "product id")?)
        .quantity(quantity)
        .amount(amount)
        .customer_id(id_column(rows.customer_id, customer_int, "customer id")?)
        .category(IdColumn::Str(rows.category))
        .store_id(match &store.code {
            Id::Int(i) => IdColumn::Int(vec![Some(*i); n]),
            Id::Str(s) => IdColumn::Str(vec![Some(s.clone()); n]),
        })
        .store_time_zone(store.code.clone(), store.time_zone.clone())
        .default_time_zone(store.time_zone.clone())
        .money_scale(store.money_scale);
    if let Some(c) = unit_cost
        && n > 0
    {
        b = b.unit_cost(NumberColumn::from(c));
    }
    Ok(b.build()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StoreId;

    fn store() -> Store {
        Store {
            id: StoreId(uuid::Uuid::nil()),
            code: Id::Str("berlin".into()),
            name: "Berlin".into(),
            currency: "EUR".into(),
            time_zone: "Europe/Berlin".into(),
            money_scale: 2,
            created_at: chrono::Utc::now(),
        }
    }

    fn sales() -> Sales {
        SalesBuilder::new()
            .order_id(vec!["o1", "o1", "o1", "o2", "o3"])
            .timestamp(vec![
                "2024-03-01T10:00:00Z",
                "2024-03-01T10:00:00Z",
                "2024-03-01T10:00:00Z",
                "2024-03-02T09:30:00Z",
                "2024-03-05T09:30:00Z",
            ])
            .product_id(vec!["apple", "apple", "pear", "apple", "plum"])
            .quantity(vec![2.0, 2.0, 1.0, 1.0, 3.0])
            .unit_price(vec![0.5, 0.5, 1.25, 0.5, 0.2])
            .store_id(vec!["berlin"; 5])
            .build()
            .unwrap()
    }

    #[test]
    fn days_are_the_stores_local_days() {
        // The table reads its times in UTC; the store is in Berlin (UTC+1 in March).
        let sales = sales();
        assert_eq!(sales.stores()[0].time_zone, "UTC");
        let mut encoder = LineEncoder::new(&sales, &store()).unwrap();
        let march = |d: u32| storelytics::calendar::day_number(chrono::NaiveDate::from_ymd_opt(2024, 3, d).unwrap());
        assert_eq!(encoder.distinct_days().unwrap(), vec![march(1), march(2), march(5)]);
        let rows = encoder.next_chunk(usize::MAX);
        assert_eq!(rows.local_day, vec![march(1), march(1), march(1), march(2), march(5)]);
        assert_eq!(encoder.distinct_days().unwrap(), Vec::<i32>::new());
        let late = SalesBuilder::new()
            .order_id(vec!["o9"])
            .timestamp(vec!["2024-03-01T23:30:00Z"])
            .product_id(vec!["apple"])
            .quantity(vec![1.0])
            .unit_price(vec![0.5])
            .store_id(vec!["berlin"])
            .build()
            .unwrap();
        assert_eq!(LineEncoder::new(&late, &store()).unwrap().next_chunk(9).local_day, vec![march(2)]);
        // Same zone: the table's own days.
        let mut utc = store();
        utc.time_zone = "UTC".into();
        assert_eq!(LineEncoder::new(&late, &utc).unwrap().next_chunk(9).local_day, vec![march(1)]);
        assert_eq!(LineEncoder::new(&late, &utc).unwrap().distinct_days().unwrap(), vec![march(1)]);
        assert_eq!(LineEncoder::new(&late, &store()).unwrap().distinct_days().unwrap(), vec![march(2)]);
    }

    #[test]
    fn local_days_match_chrono_across_transitions() {
        use chrono::TimeZone;
        for zone in ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu"] {
            let tz: chrono_tz::Tz = zone.parse().unwrap();
            // Every 7 minutes over the spring and autumn transitions of 2024 (both hemispheres).
            for start in [1_711_670_400i64, 1_712_361_600, 1_727_568_000, 1_729_900_800] {
                for k in 0..(4 * 24 * 60 / 7) {
                    let secs = start + k * 7 * 60 + 13;
                    let want = storelytics::calendar::day_number(tz.timestamp_opt(secs, 0).unwrap().date_naive());
                    let days = storelytics::sales::local_days(zone, &[secs * 1_000_000 + 999]).unwrap();
                    assert_eq!(days, vec![want], "{zone} at {secs}");
                }
            }
        }
    }

    #[test]
    fn chunks_together_are_the_whole_table() {
        let (sales, store) = (sales(), store());
        let whole = LineEncoder::new(&sales, &store).unwrap().next_chunk(usize::MAX);
        assert_eq!(whole.len(), 5);
        // Identical lines of one order get distinct keys.
        let keys: HashSet<_> = whole.order_id.iter().zip(&whole.line).collect();
        assert_eq!(keys.len(), 5);
        let mut encoder = LineEncoder::new(&sales, &store).unwrap();
        let mut joined = LineRows::default();
        for size in [2, 1, 7, 3] {
            let chunk = encoder.next_chunk(size);
            joined.order_id.extend(chunk.order_id);
            joined.line.extend(chunk.line);
            joined.ts_micros.extend(chunk.ts_micros);
            joined.local_day.extend(chunk.local_day);
            joined.product_id.extend(chunk.product_id);
            joined.customer_id.extend(chunk.customer_id);
            joined.quantity_milli.extend(chunk.quantity_milli);
            joined.amount.extend(chunk.amount);
            joined.cost.extend(chunk.cost);
            joined.category.extend(chunk.category);
            joined.id_kinds.extend(chunk.id_kinds);
        }
        assert_eq!(encoder.remaining(), 0);
        assert_eq!(joined, whole);
    }
}
