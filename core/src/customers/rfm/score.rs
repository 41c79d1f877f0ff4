//! Scores and segments of one store's customers.

use super::aggregate::StoreTotals;
use super::quantiles::{scores_of_keys, scores_of_small_keys};
use crate::customers::segments::SegmentMap;
use crate::error::{Error, Result};

/// One scored customer of a store (codes, not ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScoredCustomer {
    /// Customer code.
    pub(crate) customer: u32,
    /// Days from the last purchase to the as-of day.
    pub(crate) recency_days: i32,
    /// Day of the first purchase.
    pub(crate) first_day: i32,
    /// Day of the last purchase.
    pub(crate) last_day: i32,
    /// Distinct purchase orders.
    pub(crate) frequency: u32,
    /// Net revenue in minor units.
    pub(crate) monetary_minor: i64,
    /// Recency score (higher = more recent).
    pub(crate) r: u8,
    /// Frequency score.
    pub(crate) f: u8,
    /// Monetary score.
    pub(crate) m: u8,
    /// Index of the segment rule that applied.
    pub(crate) rule: usize,
}

/// Scores the customers of `totals` (in their order, which breaks ties) at day `as_of_day`.
pub(crate) fn score_store(
    totals: &StoreTotals,
    as_of_day: i32,
    bins: u8,
    segments: &SegmentMap,
) -> Result<Vec<ScoredCustomer>> {
    let rows = &totals.customers;
    let recency: Vec<i64> = rows.iter().map(|c| as_of_day as i64 - c.last_day as i64).collect();
    let frequency: Vec<i64> = rows.iter().map(|c| c.orders as i64).collect();
    let monetary: Vec<i64> = rows.iter().map(|c| c.net_minor).collect();
    #[cfg(feature = "parallel")]
    let (r, (f, m)) = rayon::join(
        || scores_of_small_keys(&recency, bins, true),
        || rayon::join(|| scores_of_small_keys(&frequency, bins, false), || scores_of_keys(&monetary, bins, false)),
    );
    #[cfg(not(feature = "parallel"))]
    let (r, f, m) = (
        scores_of_small_keys(&recency, bins, true),
        scores_of_small_keys(&frequency, bins, false),
        scores_of_keys(&monetary, bins, false),
    );
    let (r, f, m) = (r?, f?, m?);
    rows.iter()
        .enumerate()
        .map(|(i, c)| {
            let (r, f, m) =
                (r.get(i).copied().unwrap_or(1), f.get(i).copied().unwrap_or(1), m.get(i).copied().unwrap_or(1));
            let rule = segments.rule_index(r, f, m).ok_or_else(|| {
                Error::invalid_parameter("segments", format!("no rule covers scores R={r}, F={f}, M={m}"))
            })?;
            Ok(ScoredCustomer {
                customer: c.customer,
                recency_days: as_of_day.saturating_sub(c.last_day),
                first_day: c.first_day,
                last_day: c.last_day,
                frequency: c.orders,
                monetary_minor: c.net_minor,
                r,
                f,
                m,
                rule,
            })
        })
        .collect()
}
