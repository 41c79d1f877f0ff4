//! The customer section of the report: RFM segment summary and the most valuable customers
//! at risk.

use std::fmt::Write as _;

use serde::Serialize;
use storelytics::customers::{CustomerRfm, RfmOptions, SegmentSummary, rfm};
use storelytics::{Result, Sales};

/// Segment summary per store and the top customers who are slipping away.
#[derive(Serialize)]
pub(crate) struct CustomerSection {
    segments: Vec<SegmentSummary>,
    at_risk: Vec<CustomerRfm>,
}

/// RFM at the end of the data with the default ten-segment map.
pub(crate) fn build(sales: &Sales, top: usize) -> Result<CustomerSection> {
    let table = rfm(sales, &RfmOptions::default())?;
    let at_risk = table.most_valuable_at_risk(top).into_iter().cloned().collect();
    Ok(CustomerSection { segments: table.segment_summary(), at_risk })
}

/// Appends the section to the text report.
pub(crate) fn render(out: &mut String, c: &CustomerSection) {
    let _ = writeln!(out, "\nCustomer segments (RFM quintiles, ten-segment map)");
    let _ = writeln!(
        out,
        "  {:<10} {:<20} {:>9} {:>8} {:>14} {:>8} {:>9} {:>7}",
        "store", "segment", "customers", "share", "net revenue", "share", "recency", "orders"
    );
    for s in c.segments.iter().filter(|s| s.customers > 0) {
        let _ = writeln!(
            out,
            "  {:<10} {:<20} {:>9} {:>7.1}% {:>14.2} {:>7.1}% {:>8.0}d {:>7.1}",
            s.store.to_string(),
            s.segment.name(),
            s.customers,
            s.customer_share * 100.0,
            s.net_revenue,
            s.revenue_share.unwrap_or(0.0) * 100.0,
            s.mean_recency_days.unwrap_or(0.0),
            s.mean_frequency.unwrap_or(0.0)
        );
    }
    let _ = writeln!(out, "\nMost valuable customers at risk");
    for (i, r) in c.at_risk.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>2}. {:<12} store {:<8} {:<16} {:>12.2} {:>4} orders, last {} ({} days ago)",
            i + 1,
            r.customer.to_string(),
            r.store.to_string(),
            r.segment.name(),
            r.monetary,
            r.frequency,
            r.last_purchase,
            r.recency_days
        );
    }
}
