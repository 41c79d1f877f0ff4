//! The text rendering of the report.

use std::fmt::Write as _;

use storelytics::Metric;
use storelytics::kpi::KpiChange;
use storelytics::rank::Ranking;

use crate::Report;

fn num(v: Option<f64>, metric: Metric) -> String {
    match v {
        None => "—".into(),
        Some(x) if metric.is_money() => format!("{x:>14.2}"),
        Some(x) if matches!(metric, Metric::MarginPct | Metric::RepeatRate | Metric::ReturnRate) => {
            format!("{x:>13.1}%")
        }
        Some(x) if x.fract() == 0.0 => format!("{x:>14.0}"),
        Some(x) => format!("{x:>14.2}"),
    }
}

fn pct(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) => format!("{}{x:.1}%", if x > 0.0 { "+" } else { "" }),
    }
}

fn kpi_row(out: &mut String, c: &KpiChange) {
    let _ = writeln!(
        out,
        "  {:<20} {:>14} {:>14} {:>9}",
        c.metric.as_str(),
        num(c.current, c.metric),
        num(c.previous, c.metric),
        pct(c.pct_change)
    );
}

fn ranking(out: &mut String, title: &str, r: &Ranking) {
    let _ = writeln!(out, "\n{title} ({} active, by {})", r.entities, r.metric);
    for e in &r.entries {
        let change = match e.rank_change {
            Some(0) => "  =".to_string(),
            Some(c) if c > 0 => format!(" ↑{c}"),
            Some(c) => format!(" ↓{}", -c),
            None => " new".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:>2}. {:<16} {:>12.2} {:>6.1}% {}",
            e.rank,
            e.id.to_string(),
            e.value.unwrap_or(0.0),
            e.share_pct.unwrap_or(0.0),
            change
        );
    }
}

pub(crate) fn text(r: &Report) -> String {
    let mut out = String::new();
    let k = &r.kpi;
    let _ = writeln!(out, "storelytics report — {}", r.source);
    let _ = writeln!(out, "{} line items, stores: {}", r.lines, r.stores.join(", "));
    if let Some(range) = r.data_range {
        let _ = writeln!(out, "data from {} to {}", range.start(), range.end());
    }
    let _ = writeln!(
        out,
        "\nKPIs for {} vs {}",
        k.period,
        k.comparison_period.map(|p| p.to_string()).unwrap_or_else(|| "—".into())
    );
    let _ = writeln!(out, "  {:<20} {:>14} {:>14} {:>9}", "metric", "current", "previous", "change");
    if k.overall.changes.is_empty() {
        for m in Metric::ALL {
            let c = storelytics::kpi::KpiChange {
                metric: m,
                current: k.overall.current.value(m),
                previous: None,
                abs_change: None,
                pct_change: None,
            };
            kpi_row(&mut out, &c);
        }
    } else {
        for c in &k.overall.changes {
            kpi_row(&mut out, c);
        }
    }
    let _ = writeln!(out, "\nNet revenue by store");
    for s in &k.stores {
        let c = s.kpis.change(Metric::NetRevenue);
        let _ = writeln!(
            out,
            "  {:<12} {:>14} {:>9}",
            s.store.to_string(),
            num(s.kpis.current.value(Metric::NetRevenue), Metric::NetRevenue),
            pct(c.and_then(|c| c.pct_change))
        );
    }
    let t = &r.weekly_trend;
    let _ = writeln!(out, "\nWeekly net revenue (4-week moving average)");
    let max = t.points.iter().filter_map(|p| p.value).fold(0.0f64, f64::max);
    for p in &t.points {
        let v = p.value.unwrap_or(0.0);
        let bar = if max > 0.0 { "█".repeat(((v / max) * 30.0).round().max(0.0) as usize) } else { String::new() };
        let _ = writeln!(
            out,
            "  {:<9} {:>12.2} {:>12} {:>8} {}",
            p.label,
            v,
            p.moving_average.map(|m| format!("{m:.2}")).unwrap_or_else(|| "—".into()),
            pct(p.growth_pct),
            bar
        );
    }
    ranking(&mut out, "Top products", &r.top_products);
    ranking(&mut out, "Top customers", &r.top_customers);
    crate::customers::render(&mut out, &r.customers);
    crate::anomalies::render(&mut out, &r.anomalies);
    crate::forecasts::render(&mut out, &r.forecast, &r.demand);
    crate::recommendations::render(&mut out, &r.recommendations);
    out
}
