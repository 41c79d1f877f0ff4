//! Top / bottom N products, customers, categories and stores by any metric.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::calendar::{Comparison, Period};
use crate::domain::Metric;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kpi::{per_store, resolve_period};
use crate::metrics::{ByKey, Needs, Scope, Single, Totals};
use crate::sales::{GUEST, NO_CATEGORY, Sales};

/// What is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// Products.
    Product,
    /// Customers (guest lines are not ranked).
    Customer,
    /// Product categories; products without one form the group `(uncategorized)`.
    Category,
    /// Stores.
    Store,
}

impl FromStr for Entity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "product" => Ok(Entity::Product),
            "customer" => Ok(Entity::Customer),
            "category" => Ok(Entity::Category),
            "store" => Ok(Entity::Store),
            _ => Err(Error::invalid_parameter(
                "entity",
                format!("`{s}` is not one of product, customer, category, store"),
            )),
        }
    }
}

/// Largest or smallest values first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankOrder {
    /// Largest first (default).
    #[default]
    Top,
    /// Smallest first.
    Bottom,
}

/// The group name of products without a category in category rankings.
pub const UNCATEGORIZED: &str = "(uncategorized)";

/// Options of [`rank`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    /// What to rank (default products).
    pub entity: Entity,
    /// By which metric (default net revenue).
    pub metric: Metric,
    /// How many entries (default 10; at least 1).
    pub n: usize,
    /// Top or bottom (default top).
    pub order: RankOrder,
    /// The period; default the data's date range.
    pub period: Option<Period>,
    /// Comparison period for rank changes (default previous period).
    pub comparison: Comparison,
    /// Restrict to one store (default all stores).
    pub store: Option<Id>,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            entity: Entity::Product,
            metric: Metric::NetRevenue,
            n: 10,
            order: RankOrder::Top,
            period: None,
            comparison: Comparison::PreviousPeriod,
            store: None,
        }
    }
}

/// One ranked entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankEntry {
    /// 1-based rank.
    pub rank: u32,
    /// The entity's id (category name for categories).
    pub id: Id,
    /// The metric (money in major units).
    pub value: Option<f64>,
    /// Share of the total over all entities, % (additive metrics only).
    pub share_pct: Option<f64>,
    /// Rank in the comparison period, if the entity was active then.
    pub previous_rank: Option<u32>,
    /// `previous_rank − rank`: positive means the entity moved up.
    pub rank_change: Option<i64>,
    /// The metric in the comparison period.
    pub previous_value: Option<f64>,
}

/// A ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// What was ranked.
    pub entity: Entity,
    /// By which metric.
    pub metric: Metric,
    /// Top or bottom.
    pub order: RankOrder,
    /// The period.
    pub period: Period,
    /// The comparison period, if any.
    pub comparison_period: Option<Period>,
    /// Sum of the metric over all entities (additive metrics only).
    pub total: Option<f64>,
    /// Number of entities active in the period.
    pub entities: usize,
    /// The first `n` entries.
    pub entries: Vec<RankEntry>,
}

/// Ranks entities by a metric. Only entities with at least one line in the period are ranked.
/// Ties are broken by id (integers before strings, then natural order), so the result does not
/// depend on row order.
///
/// ```
/// use storelytics::{rank::{rank, Entity, RankOptions}, Metric, SalesBuilder};
/// let sales = SalesBuilder::new()
///     .order_id(vec![1i64, 2, 3])
///     .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-02"])
///     .product_id(vec!["a", "b", "b"])
///     .quantity(vec![5.0, 1.0, 1.0])
///     .unit_price(vec![1.0, 3.0, 3.0])
///     .build()?;
/// let r = rank(&sales, &RankOptions { metric: Metric::Units, ..Default::default() })?;
/// assert_eq!(r.entries[0].id, "a".into());
/// assert_eq!(r.entries[0].share_pct, Some(100.0 * 5.0 / 7.0));
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn rank(sales: &Sales, options: &RankOptions) -> Result<Ranking> {
    if options.n == 0 {
        return Err(Error::invalid_parameter("n", "must be at least 1"));
    }
    let period = resolve_period(sales, options.period)?;
    let comparison_period = period.compared(options.comparison);
    let scale = sales.money_scale();
    let metric = options.metric;

    let current = group_values(sales, options, &period, metric, scale)?;
    let previous = match &comparison_period {
        Some(p) => Some(group_values(sales, options, p, metric, scale)?),
        None => None,
    };
    let ranked = order(&current, options.order);
    let prev_ranks: HashMap<&Id, (u32, Option<f64>)> = match &previous {
        Some(p) => {
            order(p, options.order).into_iter().enumerate().map(|(i, (id, v))| (id, (i as u32 + 1, v))).collect()
        }
        None => HashMap::new(),
    };
    let total = metric.is_additive().then(|| current.iter().filter_map(|(_, v)| *v).sum::<f64>());
    let entries = ranked
        .iter()
        .take(options.n)
        .enumerate()
        .map(|(i, (id, value))| {
            let rank = i as u32 + 1;
            let prev = prev_ranks.get(id);
            RankEntry {
                rank,
                id: (*id).clone(),
                value: *value,
                share_pct: match (total, value) {
                    (Some(t), Some(v)) if t != 0.0 => Some(100.0 * v / t),
                    _ => None,
                },
                previous_rank: prev.map(|p| p.0),
                rank_change: prev.map(|p| p.0 as i64 - rank as i64),
                previous_value: prev.and_then(|p| p.1),
            }
        })
        .collect();
    Ok(Ranking {
        entity: options.entity,
        metric,
        order: options.order,
        period,
        comparison_period,
        total,
        entities: current.len(),
        entries,
    })
}

/// Sorts by value (undefined values last), ties by id.
fn order(values: &[(Id, Option<f64>)], dir: RankOrder) -> Vec<(&Id, Option<f64>)> {
    let mut v: Vec<(&Id, Option<f64>)> = values.iter().map(|(id, x)| (id, *x)).collect();
    v.sort_by(|a, b| {
        let by_value = match (a.1, b.1) {
            (Some(x), Some(y)) => match dir {
                RankOrder::Top => y.total_cmp(&x),
                RankOrder::Bottom => x.total_cmp(&y),
            },
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| a.0.cmp(b.0))
    });
    v
}

fn needs_customers(metric: Metric) -> bool {
    matches!(metric, Metric::UniqueCustomers | Metric::NewCustomers | Metric::ReturningCustomers | Metric::RepeatRate)
}

/// The metric per active entity in `period`.
fn group_values(
    sales: &Sales,
    options: &RankOptions,
    period: &Period,
    metric: Metric,
    scale: u32,
) -> Result<Vec<(Id, Option<f64>)>> {
    let needs = Needs { customers: needs_customers(metric), to_date: false };
    let (first, last) = (period.start_day(), period.end_day());
    let store_filter = match &options.store {
        Some(id) => Some(sales.store_index(id)?),
        None => None,
    };
    if options.entity == Entity::Store {
        let rows: Vec<Option<(Id, Option<f64>)>> = per_store(sales, |s| {
            if store_filter.is_some_and(|f| f != s) {
                return None;
            }
            let mut scope = Scope::store(sales, s);
            let t = scope.aggregate(first, last, 1, &Single { start_day: first }, needs);
            (t[0].lines > 0).then(|| (sales.stores()[s].id.clone(), t[0].value(metric, scale)))
        });
        return Ok(rows.into_iter().flatten().collect());
    }
    let mut scope = match store_filter {
        Some(s) => Scope::store(sales, s),
        None => Scope::all(sales),
    };
    let products = sales.product_codes();
    let customers = sales.customer_codes();
    let n_categories = sales.categories().len() as u32;
    let totals: Vec<Totals>;
    let ids: Box<dyn Fn(usize) -> Id> = match options.entity {
        Entity::Product => {
            let key = |i: usize| Some(products[i]);
            totals = scope.aggregate(first, last, sales.products().len(), &ByKey { key, start_day: first }, needs);
            Box::new(|g| sales.products().id(g as u32))
        }
        Entity::Customer => {
            let key = |i: usize| (customers[i] != GUEST).then_some(customers[i]);
            totals = scope.aggregate(first, last, sales.customers().len(), &ByKey { key, start_day: first }, needs);
            Box::new(|g| sales.customers().id(g as u32))
        }
        Entity::Category => {
            let key = |i: usize| Some(sales.product_category(products[i]).unwrap_or(n_categories));
            totals = scope.aggregate(first, last, n_categories as usize + 1, &ByKey { key, start_day: first }, needs);
            Box::new(move |g| {
                if g as u32 == n_categories || g as u32 == NO_CATEGORY {
                    Id::Str(UNCATEGORIZED.into())
                } else {
                    sales.categories().id(g as u32)
                }
            })
        }
        // Stores were ranked above.
        Entity::Store => return Ok(Vec::new()),
    };
    Ok(totals.iter().enumerate().filter(|(_, t)| t.lines > 0).map(|(g, t)| (ids(g), t.value(metric, scale))).collect())
}
