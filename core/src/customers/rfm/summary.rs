//! Segment summaries and customer lists of an RFM table.

use serde::Serialize;

use super::{CustomerRfm, RfmTable};
use crate::customers::segments::Segment;
use crate::ids::Id;

/// One segment of one store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSummary {
    /// The store.
    pub store: Id,
    /// The segment.
    pub segment: Segment,
    /// Customers in the segment.
    pub customers: usize,
    /// Share of the store's customers (rows), 0–1.
    pub customer_share: f64,
    /// Net revenue of the segment in minor units; the segments of a store sum exactly to the
    /// store's total over its rows.
    pub net_revenue_minor: i64,
    /// Net revenue in major units.
    pub net_revenue: f64,
    /// Share of the store's net revenue over its rows; `None` when that total is not positive.
    pub revenue_share: Option<f64>,
    /// Mean recency in days (`None` for an empty segment).
    pub mean_recency_days: Option<f64>,
    /// Mean frequency.
    pub mean_frequency: Option<f64>,
    /// Mean monetary value, major units.
    pub mean_monetary: Option<f64>,
}

impl RfmTable {
    /// Per store, one summary per segment of the map (in map order, empty segments included).
    pub fn segment_summary(&self) -> Vec<SegmentSummary> {
        let segments = self.segments.segments();
        let scale = 10f64.powi(self.money_scale as i32);
        #[derive(Clone, Copy, Default)]
        struct Acc {
            customers: usize,
            revenue: i64,
            recency: f64,
            frequency: f64,
            monetary: f64,
        }
        let mut out = Vec::with_capacity(self.stores.len() * segments.len());
        // Rows are grouped by store in the order of `self.stores`.
        let mut at = 0usize;
        for store in &self.stores {
            let rows = self.rows.get(at..at + store.customers).unwrap_or(&[]);
            at += store.customers;
            let mut accs = vec![Acc::default(); segments.len()];
            let mut store_total = 0i64;
            for r in rows {
                store_total = store_total.saturating_add(r.monetary_minor);
                let Some(acc) = segments.iter().position(|s| s == &r.segment).and_then(|i| accs.get_mut(i)) else {
                    continue;
                };
                acc.customers += 1;
                acc.revenue = acc.revenue.saturating_add(r.monetary_minor);
                acc.recency += r.recency_days as f64;
                acc.frequency += r.frequency as f64;
                acc.monetary += r.monetary;
            }
            for (segment, acc) in segments.iter().zip(accs) {
                let n = acc.customers;
                let mean = |sum: f64| (n > 0).then(|| sum / n as f64);
                out.push(SegmentSummary {
                    store: store.store.clone(),
                    segment: segment.clone(),
                    customers: n,
                    customer_share: if rows.is_empty() { 0.0 } else { n as f64 / rows.len() as f64 },
                    net_revenue_minor: acc.revenue,
                    net_revenue: acc.revenue as f64 / scale,
                    revenue_share: (store_total > 0).then(|| acc.revenue as f64 / store_total as f64),
                    mean_recency_days: mean(acc.recency),
                    mean_frequency: mean(acc.frequency),
                    mean_monetary: mean(acc.monetary),
                });
            }
        }
        out
    }

    /// The `n` customers with the highest net revenue among those who slipped away (segments
    /// At Risk, Can't Lose Them and About To Sleep), highest first; ties by store and id.
    pub fn most_valuable_at_risk(&self, n: usize) -> Vec<&CustomerRfm> {
        let mut at_risk: Vec<&CustomerRfm> = self
            .rows
            .iter()
            .filter(|r| matches!(r.segment, Segment::AtRisk | Segment::CantLoseThem | Segment::AboutToSleep))
            .collect();
        at_risk.sort_by(|a, b| {
            b.monetary_minor
                .cmp(&a.monetary_minor)
                .then_with(|| a.store.cmp(&b.store))
                .then_with(|| a.customer.cmp(&b.customer))
        });
        at_risk.truncate(n);
        at_risk
    }
}
