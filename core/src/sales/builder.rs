//! [`SalesBuilder`]: typed columns in, a validated [`Sales`] out.

use std::sync::Arc;

use chrono_tz::Tz;

use super::columns::{self, IdColumn, NumberColumn, RawTimes, RawTs, TimestampColumn};
use super::sort::Columns;
use super::timezone;
use super::{Catalog, GUEST, NO_CATEGORY, QUANTITY_SCALE, Sales, StoreInfo};
use crate::domain::Product;
use crate::error::{Error, Result, Rows};
use crate::ids::{FxHashMap, Id, Interner};
use crate::money::{self, DEFAULT_SCALE, MAX_SCALE};

/// Time zones of the stores: one default and per-store overrides (IANA names).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreTimeZones {
    /// Zone of stores without an override. Default `UTC`.
    pub default: String,
    /// Per-store zones.
    pub per_store: Vec<(Id, String)>,
}

impl Default for StoreTimeZones {
    fn default() -> Self {
        StoreTimeZones { default: "UTC".into(), per_store: Vec::new() }
    }
}

/// Caller-facing names of the contract columns, used in error messages.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub(crate) order_id: String,
    pub(crate) ts: String,
    pub(crate) product_id: String,
    pub(crate) quantity: String,
    pub(crate) unit_price: String,
    pub(crate) amount: String,
    pub(crate) unit_cost: String,
    pub(crate) customer_id: String,
    pub(crate) store_id: String,
    pub(crate) category: String,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            order_id: "order_id".into(),
            ts: "ts".into(),
            product_id: "product_id".into(),
            quantity: "quantity".into(),
            unit_price: "unit_price".into(),
            amount: "amount".into(),
            unit_cost: "unit_cost".into(),
            customer_id: "customer_id".into(),
            store_id: "store_id".into(),
            category: "category".into(),
        }
    }
}

/// Builds a [`Sales`] table from typed columns, validating every value.
///
/// Required: `order_id`, `timestamp`, `product_id`, `quantity` and either `unit_price` or
/// `amount` (line revenue, same sign as the quantity). Optional: `unit_cost`, `customer_id`
/// (null = guest), `store_id` (absent = one store with id `"default"`), `category`.
/// A product catalogue ([`SalesBuilder::products`]) can supply categories and unit costs.
///
/// Validation errors name the column and the first offending rows: missing column, length
/// mismatch, null in a required column, NaN or infinite number, negative price or cost,
/// unparseable timestamp, more than three decimals of quantity, inconsistent orders (lines of
/// one order with different customers, or sale lines with different timestamps).
///
/// See [`Sales`] for an example.
#[derive(Debug, Clone, Default)]
pub struct SalesBuilder {
    order_id: Option<IdColumn>,
    ts: Option<TimestampColumn>,
    product_id: Option<IdColumn>,
    quantity: Option<NumberColumn>,
    unit_price: Option<NumberColumn>,
    amount: Option<NumberColumn>,
    unit_cost: Option<NumberColumn>,
    customer_id: Option<IdColumn>,
    store_id: Option<IdColumn>,
    category: Option<IdColumn>,
    time_zones: StoreTimeZones,
    money_scale: Option<u32>,
    products: Vec<Product>,
    pub(crate) names: Names,
}

impl SalesBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Order ids (lines with the same id in one store form one order).
    pub fn order_id(mut self, col: impl Into<IdColumn>) -> Self {
        self.order_id = Some(col.into());
        self
    }

    /// When each line happened ([`TimestampColumn`]).
    pub fn timestamp(mut self, col: impl Into<TimestampColumn>) -> Self {
        self.ts = Some(col.into());
        self
    }

    /// Product ids.
    pub fn product_id(mut self, col: impl Into<IdColumn>) -> Self {
        self.product_id = Some(col.into());
        self
    }

    /// Quantities; negative for returns. At most three decimals.
    pub fn quantity(mut self, col: impl Into<NumberColumn>) -> Self {
        self.quantity = Some(col.into());
        self
    }

    /// Unit prices in major units (e.g. euros); not negative.
    pub fn unit_price(mut self, col: impl Into<NumberColumn>) -> Self {
        self.unit_price = Some(col.into());
        self
    }

    /// Line revenue in major units, instead of unit prices; same sign as the quantity.
    pub fn amount(mut self, col: impl Into<NumberColumn>) -> Self {
        self.amount = Some(col.into());
        self
    }

    /// Unit costs in major units; enables margin KPIs. Nulls fall back to the catalogue.
    pub fn unit_cost(mut self, col: impl Into<NumberColumn>) -> Self {
        self.unit_cost = Some(col.into());
        self
    }

    /// Customer ids; null marks a guest checkout.
    pub fn customer_id(mut self, col: impl Into<IdColumn>) -> Self {
        self.customer_id = Some(col.into());
        self
    }

    /// Store ids (the tenant of each line).
    pub fn store_id(mut self, col: impl Into<IdColumn>) -> Self {
        self.store_id = Some(col.into());
        self
    }

    /// Product categories per line (must agree for all lines of a product).
    pub fn category(mut self, col: impl Into<IdColumn>) -> Self {
        self.category = Some(col.into());
        self
    }

    /// A product catalogue: categories and unit costs by product id.
    pub fn products(mut self, products: Vec<Product>) -> Self {
        self.products = products;
        self
    }

    /// Time zone of every store without an override (IANA name, default `UTC`).
    pub fn default_time_zone(mut self, tz: impl Into<String>) -> Self {
        self.time_zones.default = tz.into();
        self
    }

    /// Time zone of one store (IANA name).
    pub fn store_time_zone(mut self, store: impl Into<Id>, tz: impl Into<String>) -> Self {
        self.time_zones.per_store.push((store.into(), tz.into()));
        self
    }

    /// All time zones at once.
    pub fn time_zones(mut self, zones: StoreTimeZones) -> Self {
        self.time_zones = zones;
        self
    }

    /// Decimal places of money (default 2, at most 6).
    pub fn money_scale(mut self, scale: u32) -> Self {
        self.money_scale = Some(scale);
        self
    }

    /// Validates the columns and builds the table.
    pub fn build(self) -> Result<Sales> {
        let n = &self.names;
        let scale = self.money_scale.unwrap_or(DEFAULT_SCALE);
        if scale > MAX_SCALE {
            return Err(Error::invalid_parameter("money_scale", format!("{scale} is above the maximum {MAX_SCALE}")));
        }
        let order = self.order_id.as_ref().ok_or_else(|| missing(&n.order_id, None))?;
        let ts = self.ts.as_ref().ok_or_else(|| missing(&n.ts, None))?;
        let product = self.product_id.as_ref().ok_or_else(|| missing(&n.product_id, None))?;
        let quantity = self.quantity.as_ref().ok_or_else(|| missing(&n.quantity, None))?;
        let catalogue_prices = !self.products.is_empty() && self.products.iter().all(|p| p.price.is_some());
        if self.unit_price.is_none() && self.amount.is_none() && !catalogue_prices {
            return Err(missing(&n.unit_price, Some(format!("or `{}` with line revenue", n.amount))));
        }

        let len = order.len();
        let check = |name: &str, l: usize| -> Result<()> {
            if l != len {
                return Err(Error::LengthMismatch {
                    column: name.to_string(),
                    reference: n.order_id.clone(),
                    expected: len,
                    found: l,
                });
            }
            Ok(())
        };
        check(&n.ts, ts.len())?;
        check(&n.product_id, product.len())?;
        check(&n.quantity, quantity.0.len())?;
        for (c, name) in [(&self.unit_price, &n.unit_price), (&self.amount, &n.amount), (&self.unit_cost, &n.unit_cost)]
        {
            if let Some(c) = c {
                check(name, c.0.len())?;
            }
        }
        for (c, name) in
            [(&self.customer_id, &n.customer_id), (&self.store_id, &n.store_id), (&self.category, &n.category)]
        {
            if let Some(c) = c {
                check(name, c.len())?;
            }
        }

        let orders = columns::intern_ids(order, &n.order_id, true, 0)?;
        let ts = RawTimes::Mixed(columns::timestamps(ts, &n.ts)?);
        let products = columns::intern_ids(product, &n.product_id, true, 0)?;
        let quantity = columns::numbers(quantity, &n.quantity, true)?;
        let customers = match &self.customer_id {
            Some(c) => columns::intern_ids(c, &n.customer_id, false, GUEST)?,
            None => columns::Interned { codes: vec![GUEST; len], interner: Interner::default() },
        };
        let stores = match &self.store_id {
            Some(c) => Some(columns::intern_ids(c, &n.store_id, true, 0)?),
            None => None,
        };
        let category = match &self.category {
            Some(c) => Some(columns::intern_ids(c, &n.category, false, NO_CATEGORY)?),
            None => None,
        };
        let price = match &self.unit_price {
            Some(c) => Some(columns::numbers(c, &n.unit_price, self.amount.is_none() && !catalogue_prices)?),
            None => None,
        };
        let amount = match &self.amount {
            Some(c) => Some(columns::numbers(c, &n.amount, self.unit_price.is_none() && !catalogue_prices)?),
            None => None,
        };
        let cost = match &self.unit_cost {
            Some(c) => Some(columns::numbers(c, &n.unit_cost, false)?),
            None => None,
        };
        let raw = RawLines {
            orders,
            ts,
            products,
            quantity,
            price,
            amount,
            cost,
            customers,
            stores,
            category,
            names: self.names.clone(),
            time_zones: self.time_zones.clone(),
            money_scale: scale,
            catalogue: self.products.clone(),
        };
        raw.assemble()
    }
}

fn missing(column: &str, hint: Option<String>) -> Error {
    Error::MissingColumn { column: column.to_string(), hint }
}

/// Columns after interning and parsing, before validation of values and sorting.
pub(crate) struct RawLines {
    pub(crate) orders: columns::Interned,
    pub(crate) ts: RawTimes,
    pub(crate) products: columns::Interned,
    pub(crate) quantity: Vec<f64>,
    pub(crate) price: Option<Vec<f64>>,
    pub(crate) amount: Option<Vec<f64>>,
    pub(crate) cost: Option<Vec<f64>>,
    pub(crate) customers: columns::Interned,
    pub(crate) stores: Option<columns::Interned>,
    pub(crate) category: Option<columns::Interned>,
    pub(crate) names: Names,
    pub(crate) time_zones: StoreTimeZones,
    pub(crate) money_scale: u32,
    pub(crate) catalogue: Vec<Product>,
}

fn invalid(column: &str, problem: &str, rows: Vec<usize>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidValue { column: column.to_string(), problem: problem.to_string(), rows: Rows::collect(rows) })
}

impl RawLines {
    pub(crate) fn assemble(self) -> Result<Sales> {
        let n = self.ts.len();
        let names = &self.names;
        let scale = self.money_scale;
        if scale > MAX_SCALE {
            return Err(Error::invalid_parameter("money_scale", format!("{scale} is above the maximum {MAX_SCALE}")));
        }

        // Quantities in thousandths.
        let mut bad_q = Vec::new();
        let mut frac_q = Vec::new();
        let quantity: Vec<i64> = self
            .quantity
            .iter()
            .enumerate()
            .map(|(i, &q)| {
                if !q.is_finite() || q.abs() > 9.0e15 {
                    bad_q.push(i);
                    return 0;
                }
                let m = q * QUANTITY_SCALE as f64;
                let r = m.round();
                if (m - r).abs() > 1e-6 * r.abs().max(1.0) {
                    frac_q.push(i);
                }
                r as i64
            })
            .collect();
        invalid(&names.quantity, "a NaN or infinite value", bad_q)?;
        invalid(&names.quantity, "more than three decimal places", frac_q)?;

        // Products: catalogue attributes.
        let mut products = self.products.interner;
        let mut catalogue_price: FxHashMap<u32, f64> = FxHashMap::default();
        let mut catalogue_cost: FxHashMap<u32, f64> = FxHashMap::default();
        let mut catalogue_category: Vec<(u32, String)> = Vec::new();
        for p in &self.catalogue {
            let code = products.intern(p.id.clone());
            for (v, what) in [(p.price, "price"), (p.cost, "cost")] {
                if let Some(v) = v
                    && (!v.is_finite() || v < 0.0)
                {
                    return Err(Error::InconsistentProduct {
                        product_id: p.id.to_string(),
                        problem: format!("catalogue {what} {v} is not a finite, non-negative number"),
                    });
                }
            }
            if let Some(v) = p.price {
                catalogue_price.insert(code, v);
            }
            if let Some(v) = p.cost {
                catalogue_cost.insert(code, v);
            }
            if let Some(c) = &p.category {
                catalogue_category.push((code, c.clone()));
            }
        }
        let product_codes = self.products.codes;

        // Line revenue.
        let amount: Vec<i64> = match (&self.amount, &self.price) {
            (Some(a), price) => {
                let mut bad = Vec::new();
                let mut sign = Vec::new();
                let out = a
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let v = if v.is_nan() {
                            match price.as_ref().map(|p| p[i]).filter(|p| p.is_finite()) {
                                Some(p) => p * quantity[i] as f64 / QUANTITY_SCALE as f64,
                                None => {
                                    catalogue_price.get(&product_codes[i]).copied().unwrap_or(f64::NAN)
                                        * quantity[i] as f64
                                        / QUANTITY_SCALE as f64
                                }
                            }
                        } else {
                            v
                        };
                        match money::to_minor(v, scale) {
                            Some(m) => {
                                if (m > 0 && quantity[i] < 0) || (m < 0 && quantity[i] > 0) {
                                    sign.push(i);
                                }
                                m
                            }
                            None => {
                                bad.push(i);
                                0
                            }
                        }
                    })
                    .collect();
                invalid(&names.amount, "a NaN or infinite value", bad)?;
                invalid(&names.amount, "a sign different from the quantity's", sign)?;
                out
            }
            (None, price) => {
                let mut bad = Vec::new();
                let mut neg = Vec::new();
                let mut missing_rows = Vec::new();
                let out = (0..n)
                    .map(|i| {
                        let p = match price.as_ref().map(|p| p[i]) {
                            Some(p) if !p.is_nan() => p,
                            _ => match catalogue_price.get(&product_codes[i]) {
                                Some(&p) => p,
                                None => {
                                    missing_rows.push(i);
                                    return 0;
                                }
                            },
                        };
                        if !p.is_finite() {
                            bad.push(i);
                            return 0;
                        }
                        if p < 0.0 {
                            neg.push(i);
                            return 0;
                        }
                        match money::to_minor(p * quantity[i] as f64 / QUANTITY_SCALE as f64, scale) {
                            Some(m) => m,
                            None => {
                                bad.push(i);
                                0
                            }
                        }
                    })
                    .collect();
                if !missing_rows.is_empty() {
                    return Err(Error::NullValue {
                        column: names.unit_price.clone(),
                        rows: Rows::collect(missing_rows),
                    });
                }
                invalid(&names.unit_price, "a NaN or infinite value", bad)?;
                invalid(&names.unit_price, "a negative price", neg)?;
                out
            }
        };

        // Line cost.
        let cost: Option<Vec<i64>> = if self.cost.is_some() || !catalogue_cost.is_empty() {
            let mut bad = Vec::new();
            let mut neg = Vec::new();
            let mut missing_rows = Vec::new();
            let out = (0..n)
                .map(|i| {
                    let c = match self.cost.as_ref().map(|c| c[i]) {
                        Some(c) if !c.is_nan() => c,
                        _ => match catalogue_cost.get(&product_codes[i]) {
                            Some(&c) => c,
                            None => {
                                missing_rows.push(i);
                                return 0;
                            }
                        },
                    };
                    if !c.is_finite() {
                        bad.push(i);
                        return 0;
                    }
                    if c < 0.0 {
                        neg.push(i);
                        return 0;
                    }
                    money::to_minor(c * quantity[i] as f64 / QUANTITY_SCALE as f64, scale).unwrap_or_else(|| {
                        bad.push(i);
                        0
                    })
                })
                .collect();
            invalid(&names.unit_cost, "a NaN or infinite value", bad)?;
            invalid(&names.unit_cost, "a negative cost", neg)?;
            if !missing_rows.is_empty() {
                return Err(Error::NullValue { column: names.unit_cost.clone(), rows: Rows::collect(missing_rows) });
            }
            Some(out)
        } else {
            None
        };

        // Categories: a product attribute.
        let mut categories = Interner::default();
        let n_products = products.len();
        let mut product_category = vec![NO_CATEGORY; n_products];
        let mut set_category = |p: u32, c: u32, row: Option<usize>| -> Result<()> {
            let slot = &mut product_category[p as usize];
            if *slot == NO_CATEGORY {
                *slot = c;
            } else if *slot != c {
                return Err(Error::InconsistentProduct {
                    product_id: products.id(p).to_string(),
                    problem: format!(
                        "it has more than one category{}",
                        row.map(|r| format!(" (first conflict in row {r})")).unwrap_or_default()
                    ),
                });
            }
            Ok(())
        };
        for (p, name) in &catalogue_category {
            let c = categories.intern_str(name);
            set_category(*p, c, None)?;
        }
        if let Some(cat) = &self.category {
            let remap: Vec<u32> = cat.interner.ids().into_iter().map(|id| categories.intern(id)).collect();
            for (i, (&p, &c)) in product_codes.iter().zip(&cat.codes).enumerate() {
                if c != NO_CATEGORY {
                    set_category(p, remap[c as usize], Some(i))?;
                }
            }
        }
        let products_dict = products.finish();

        // Stores and their zones.
        let (store_codes, store_ids): (Vec<u32>, Vec<Id>) = match self.stores {
            Some(s) => {
                // Stores are numbered in id order, so nothing depends on the order of rows.
                let ids = s.interner.finish().ids();
                let mut order: Vec<usize> = (0..ids.len()).collect();
                order.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
                let mut rank = vec![0u32; ids.len()];
                for (r, &i) in order.iter().enumerate() {
                    rank[i] = r as u32;
                }
                (
                    s.codes.iter().map(|&c| rank[c as usize]).collect(),
                    order.into_iter().map(|i| ids[i].clone()).collect(),
                )
            }
            None => (vec![0; n], vec![Id::Str("default".into())]),
        };
        let mut zones: Vec<(Tz, String)> = Vec::with_capacity(store_ids.len());
        let default_tz = timezone::parse_zone("(default)", &self.time_zones.default)?;
        for id in &store_ids {
            let name = self
                .time_zones
                .per_store
                .iter()
                .find(|(s, _)| s == id)
                .map(|(_, z)| z.clone())
                .unwrap_or_else(|| self.time_zones.default.clone());
            let tz = if name == self.time_zones.default {
                default_tz
            } else {
                timezone::parse_zone(&id.to_string(), &name)?
            };
            zones.push((tz, name));
        }

        // Timestamps: local dates become the store's local midnight.
        let ts: Vec<i64> = match self.ts {
            RawTimes::Instants(us) => us,
            RawTimes::Mixed(raw) => raw
                .iter()
                .zip(&store_codes)
                .map(|(t, &s)| match *t {
                    RawTs::Instant(us) => us,
                    RawTs::LocalDay(d) => timezone::local_midnight_micros(zones[s as usize].0, d),
                })
                .collect(),
        };

        // Orders are per store: the same order id in two stores gets two codes.
        let order_ids = self.orders.interner.finish();
        let mut order_codes = self.orders.codes;
        let n_raw = order_ids.len();
        let mut order_store = vec![u32::MAX; n_raw];
        let mut split: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut extra_ids: Vec<Id> = Vec::new();
        for (o, &s) in order_codes.iter_mut().zip(&store_codes) {
            let slot = &mut order_store[*o as usize];
            if *slot == u32::MAX {
                *slot = s;
            } else if *slot != s {
                let next = (n_raw + extra_ids.len()) as u32;
                let code = *split.entry((s, *o)).or_insert_with(|| {
                    extra_ids.push(order_ids.id(*o));
                    next
                });
                *o = code;
            }
        }
        let orders_dict = if extra_ids.is_empty() {
            order_ids
        } else {
            let mut all = order_ids.ids();
            all.extend(extra_ids);
            crate::ids::Dictionary::from_ids_unchecked(all)
        };

        // One customer per order; one timestamp for the sale lines of an order.
        let n_orders = orders_dict.len();
        let customer_codes = self.customers.codes;
        {
            let mut first_row = vec![usize::MAX; n_orders];
            let mut sale_row = vec![usize::MAX; n_orders];
            for i in 0..n {
                let o = order_codes[i] as usize;
                if first_row[o] == usize::MAX {
                    first_row[o] = i;
                } else if customer_codes[first_row[o]] != customer_codes[i] {
                    return Err(Error::InconsistentOrder {
                        order_id: orders_dict.id(o as u32).to_string(),
                        problem: "its lines have different customers".into(),
                        rows: Rows::collect([first_row[o], i]),
                    });
                }
                if quantity[i] > 0 {
                    if sale_row[o] == usize::MAX {
                        sale_row[o] = i;
                    } else if ts[sale_row[o]] != ts[i] {
                        return Err(Error::InconsistentOrder {
                            order_id: orders_dict.id(o as u32).to_string(),
                            problem: "its sale lines have different timestamps".into(),
                            rows: Rows::collect([sale_row[o], i]),
                        });
                    }
                }
            }
        }

        // Sort by (store, ts, order, product); stable on input position for full determinism.
        let sorted = (1..n).all(|i| {
            (store_codes[i - 1], ts[i - 1], order_codes[i - 1], product_codes[i - 1])
                <= (store_codes[i], ts[i], order_codes[i], product_codes[i])
        });
        let mut cols = Columns {
            store: store_codes,
            ts,
            order: order_codes,
            product: product_codes,
            customer: customer_codes,
            quantity,
            amount,
            cost,
        };
        if !sorted {
            cols = cols.sorted();
        }

        // Store row ranges and local days.
        let mut stores = Vec::with_capacity(store_ids.len());
        let mut day = vec![0i32; n];
        let mut start = 0;
        for (s, id) in store_ids.into_iter().enumerate() {
            let end = start + cols.store[start..].partition_point(|&x| x as usize == s);
            timezone::local_days(zones[s].0, &cols.ts[start..end], &mut day[start..end]);
            stores.push(StoreInfo { id, time_zone: zones[s].1.clone(), rows: start..end });
            start = end;
        }

        Ok(Sales {
            ts: cols.ts,
            day,
            order: cols.order,
            product: cols.product,
            customer: cols.customer,
            quantity: cols.quantity,
            amount: cols.amount,
            cost: cols.cost,
            stores,
            catalog: Arc::new(Catalog {
                orders: orders_dict,
                products: products_dict,
                customers: self.customers.interner.finish(),
                categories: categories.finish(),
                product_category,
            }),
            money_scale: scale,
        })
    }
}
