//! Conversion between a core [`Sales`] table and stored sales lines.

use std::collections::HashMap;

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
}

fn id_text(id: &Id) -> (String, bool) {
    match id {
        Id::Int(i) => (i.to_string(), true),
        Id::Str(s) => (s.clone(), false),
    }
}

/// Texts of the dictionary codes used by `codes`, computed once per code.
fn texts(codes: &[u32], dict: &storelytics::Dictionary) -> HashMap<u32, (String, bool)> {
    let mut out = HashMap::new();
    for &c in codes {
        if c != GUEST {
            out.entry(c).or_insert_with(|| id_text(&dict.id(c)));
        }
    }
    out
}

/// The lines of `store` in `sales`: the rows whose store id is the store's code, or all rows
/// when the table has one store and it is the default store of data without a store column.
pub(crate) fn lines_for_store(sales: &Sales, store: &Store) -> Result<LineRows> {
    if sales.money_scale() != store.money_scale {
        return Err(StorageError::invalid(
            "sales",
            format!("money scale {} differs from the store's {}", sales.money_scale(), store.money_scale),
        ));
    }
    let info = match sales.stores().iter().find(|s| s.id == store.code) {
        Some(s) => s,
        None => match sales.stores() {
            [only] if only.id == Id::Str("default".into()) => only,
            [] => return Ok(LineRows::default()),
            _ => {
                return Err(StorageError::invalid(
                    "sales",
                    format!("the table has no lines of store `{}`", store.code),
                ));
            }
        },
    };
    let rows = info.rows.clone();
    let orders = sales.order_codes().get(rows.clone()).unwrap_or_default();
    let products = sales.product_codes().get(rows.clone()).unwrap_or_default();
    let customers = sales.customer_codes().get(rows.clone()).unwrap_or_default();
    let order_text = texts(orders, sales.orders());
    let product_text = texts(products, sales.products());
    let customer_text = texts(customers, sales.customers());
    let mut category_text: HashMap<u32, Option<String>> = HashMap::new();
    let mut next_line: HashMap<(u32, i64, u32, i64, i64), u32> = HashMap::new();
    let mut out = LineRows::with_capacity(rows.len());
    let costs = sales.costs();
    for i in rows {
        let o = sales.order_codes()[i];
        let p = sales.product_codes()[i];
        let c = sales.customer_codes()[i];
        let (order, order_int) = order_text.get(&o).cloned().unwrap_or_default();
        let (product, product_int) = product_text.get(&p).cloned().unwrap_or_default();
        let (customer, customer_int) = match customer_text.get(&c) {
            Some((t, int)) => (Some(t.clone()), *int),
            None => (None, false),
        };
        let q = sales.quantities_milli()[i];
        let a = sales.amounts()[i];
        let ts = sales.ts_micros()[i];
        let occurrence = next_line.entry((o, ts, p, q, a)).or_insert(0);
        out.line.push(line_key(ts, &product, q, a, *occurrence));
        *occurrence += 1;
        let category = category_text
            .entry(p)
            .or_insert_with(|| sales.product_category(p).map(|k| sales.categories().id(k).to_string()))
            .clone();
        out.order_id.push(order);
        out.ts_micros.push(sales.ts_micros()[i]);
        out.local_day.push(sales.days()[i]);
        out.product_id.push(product);
        out.customer_id.push(customer);
        out.quantity_milli.push(sales.quantities_milli()[i]);
        out.amount.push(sales.amounts()[i]);
        out.cost.push(costs.map(|c| c[i]));
        out.category.push(category);
        out.id_kinds.push(
            if order_int { ORDER_INT } else { 0 }
                | if product_int { PRODUCT_INT } else { 0 }
                | if customer_int { CUSTOMER_INT } else { 0 },
        );
    }
    Ok(out)
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
