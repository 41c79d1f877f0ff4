//! One pass over the lines of a period and its comparison: per-store totals, and per-store
//! customer flags that combine into the overall distinct-customer counts.
//!
//! Each store's rows are sorted by local day, so one sweep from the store's first row to the
//! end of the later period sees every sale before a period's start before it sees the period:
//! the running first-purchase day of a customer decides "new" exactly, for both periods, without
//! a separate scan. Money, units, orders and lines of all stores add up exactly to the overall
//! totals (order codes are per store); distinct, new and repeat customers do not, so each store
//! also reports, per customer it saw, its orders in each period (0, 1, 2+) and whether it bought
//! before the period's start; the overall counts come from those flags.

use std::ops::Range;

use crate::metrics::Totals;
use crate::sales::{GUEST, Sales};

/// Day windows of the period (slot 0) and the comparison period (slot 1; empty if none).
#[derive(Clone, Copy)]
pub(crate) struct Windows {
    pub(crate) first: [i32; 2],
    pub(crate) last: [i32; 2],
}

impl Windows {
    /// An empty window: no day falls in it.
    pub(crate) const NONE: (i32, i32) = (i32::MAX, i32::MIN);
}

/// Totals of both windows for one store, and its customer flags for the overall counts.
pub(crate) struct StorePass {
    pub(crate) totals: [Totals; 2],
    /// (customer code, [`flags`]) of every customer with a sale in the swept rows, by code.
    pub(crate) customers: Vec<(u32, u8)>,
}

/// What one customer did in one store during the sweep.
#[derive(Clone, Copy)]
struct CustomerState {
    /// First sale day seen so far (`i32::MAX`: none).
    first_day: i32,
    /// Last order seen per window.
    last_order: [u32; 2],
    /// Distinct orders per window, saturating.
    orders: [u8; 2],
}

const UNSEEN: CustomerState = CustomerState { first_day: i32::MAX, last_order: [u32::MAX; 2], orders: [0; 2] };

/// Per-customer flags of one store: orders in window `k` (0, 1 or 2 = two or more) in bits
/// `3k..3k+2`, bought before window `k` started in bit `3k + 2`.
fn flags(state: &CustomerState, w: &Windows) -> u8 {
    let mut f = 0u8;
    for k in 0..2 {
        f |= state.orders[k].min(2) << (3 * k);
        if state.first_day < w.first[k] {
            f |= 4 << (3 * k);
        }
    }
    f
}

/// Sweeps store `s`: rows from the store's first row to the last row of either window.
pub(crate) fn store_pass(sales: &Sales, s: usize, w: &Windows) -> StorePass {
    let mut totals = [Totals::default(); 2];
    if sales.cost.is_some() {
        totals.iter_mut().for_each(|t| t.has_cost = true);
    }
    let Some(store) = sales.stores.get(s) else { return StorePass { totals, customers: Vec::new() } };
    let rows = store.rows.clone();
    let days = sales.day.get(rows.clone()).unwrap_or(&[]);
    let at = |d: i32| rows.start + days.partition_point(|&x| x < d);
    let after = |d: i32| rows.start + days.partition_point(|&x| x <= d);
    let window_rows: [Range<usize>; 2] = std::array::from_fn(|k| {
        let lo = at(w.first[k]);
        lo..after(w.last[k]).max(lo)
    });
    // Sweep every row up to the end of the later window (rows before a window decide which of
    // its customers are new, even when the store has no row in the window itself), cut where
    // window membership changes.
    let end = (0..2).filter(|&k| w.first[k] <= w.last[k]).map(|k| window_rows[k].end).max().unwrap_or(rows.start);
    let mut cuts = vec![rows.start, end];
    for r in window_rows.iter().filter(|r| !r.is_empty()) {
        cuts.extend([r.start, r.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut state = vec![UNSEEN; sales.customers().len()];
    let mut sweep = Sweep { sales, w, totals: &mut totals, state: &mut state, last_order: [u32::MAX; 2] };
    for seg in cuts.windows(2) {
        let [a, b] = *seg else { continue };
        let inside = |k: usize| window_rows[k].start <= a && b <= window_rows[k].end;
        match (inside(0), inside(1)) {
            (false, false) => sweep.rows::<false, false>(a..b),
            (true, false) => sweep.rows::<true, false>(a..b),
            (false, true) => sweep.rows::<false, true>(a..b),
            (true, true) => sweep.rows::<true, true>(a..b),
        }
    }
    let customers = state
        .iter()
        .enumerate()
        .filter(|(_, st)| st.first_day != i32::MAX)
        .map(|(c, st)| (c as u32, flags(st, w)))
        .collect();
    StorePass { totals, customers }
}

struct Sweep<'a> {
    sales: &'a Sales,
    w: &'a Windows,
    totals: &'a mut [Totals; 2],
    state: &'a mut [CustomerState],
    /// Last sale order counted per window.
    last_order: [u32; 2],
}

impl Sweep<'_> {
    /// Adds rows `r`, all of them inside window 0 when `IN0`, inside window 1 when `IN1`.
    #[inline(never)]
    fn rows<const IN0: bool, const IN1: bool>(&mut self, r: Range<usize>) {
        let s = self.sales;
        let (Some(day), Some(order), Some(customer), Some(quantity), Some(amount)) = (
            s.day.get(r.clone()),
            s.order.get(r.clone()),
            s.customer.get(r.clone()),
            s.quantity.get(r.clone()),
            s.amount.get(r.clone()),
        ) else {
            return;
        };
        let inside = [IN0, IN1];
        if (IN0 || IN1)
            && let Some(cost) = s.cost.as_deref().and_then(|c| c.get(r.clone()))
        {
            let sum: i128 = cost.iter().map(|&c| c as i128).sum();
            for (t, _) in self.totals.iter_mut().zip(inside).filter(|(_, inside)| *inside) {
                t.cost += sum;
            }
        }
        for i in 0..day.len() {
            let (q, a, o, c, d) = (quantity[i], amount[i], order[i], customer[i], day[i]);
            for ((t, last), _) in self.totals.iter_mut().zip(&mut self.last_order).zip(inside).filter(|x| x.1) {
                t.add_line(q, a, o, last);
            }
            if q <= 0 || c == GUEST {
                continue;
            }
            let Some(st) = self.state.get_mut(c as usize) else { continue };
            for (k, t) in self.totals.iter_mut().enumerate() {
                if !inside[k] {
                    continue;
                }
                if st.orders[k] == 0 {
                    st.orders[k] = 1;
                    st.last_order[k] = o;
                    t.customers += 1;
                    if st.first_day >= self.w.first[k] {
                        t.new_customers += 1;
                    }
                } else if st.last_order[k] != o {
                    st.last_order[k] = o;
                    st.orders[k] = st.orders[k].saturating_add(1);
                    if st.orders[k] == 2 {
                        t.repeat_customers += 1;
                    }
                }
            }
            if d < st.first_day {
                st.first_day = d;
            }
        }
    }
}

/// Overall totals of both windows: the stores' sums and counts added, and the distinct, new and
/// repeat customers combined from the stores' customer flags.
pub(crate) fn overall(sales: &Sales, stores: &[StorePass]) -> [Totals; 2] {
    let mut totals = [Totals::default(); 2];
    for p in stores {
        for (t, part) in totals.iter_mut().zip(&p.totals) {
            t.merge(part);
        }
    }
    let mut combined = vec![0u8; sales.customers().len()];
    for p in stores {
        for &(c, f) in &p.customers {
            if let Some(x) = combined.get_mut(c as usize) {
                let mut out = *x | f;
                for k in 0..2 {
                    let orders = ((*x >> (3 * k)) & 3) + ((f >> (3 * k)) & 3);
                    out = (out & !(3 << (3 * k))) | (orders.min(2) << (3 * k));
                }
                *x = out;
            }
        }
    }
    for t in &mut totals {
        t.has_cost = sales.cost.is_some();
        t.customers = 0;
        t.new_customers = 0;
        t.repeat_customers = 0;
    }
    for &f in &combined {
        for (k, t) in totals.iter_mut().enumerate() {
            let orders = (f >> (3 * k)) & 3;
            if orders == 0 {
                continue;
            }
            t.customers += 1;
            if f & (4 << (3 * k)) == 0 {
                t.new_customers += 1;
            }
            if orders >= 2 {
                t.repeat_customers += 1;
            }
        }
    }
    totals
}

#[cfg(all(test, feature = "generator"))]
mod tests {
    use super::*;
    use crate::calendar::{Comparison, Period};
    use crate::generator::{GeneratorConfig, generate};
    use crate::kpi::{KpiOptions, kpi_report};
    use crate::metrics::{Needs, Scope, Single};
    use crate::sales::SalesBuilder;

    /// Totals of one scope and period from the general aggregation engine (its own first-day scan).
    fn engine(mut scope: Scope<'_>, p: &Period) -> Totals {
        let single = Single { start_day: p.start_day() };
        let needs = Needs { customers: true, to_date: false };
        scope.aggregate(p.start_day(), p.end_day(), 1, &single, needs)[0]
    }

    fn check(sales: &Sales, period: Period, comparison: Comparison) {
        let report = kpi_report(sales, &KpiOptions { period: Some(period), comparison }).unwrap();
        let periods = [Some(period), period.compared(comparison)];
        for (k, p) in periods.iter().enumerate() {
            let Some(p) = p else { continue };
            let pick = |c: &crate::kpi::KpiComparison| {
                *if k == 0 { &c.current } else { c.previous.as_ref().unwrap() }.totals()
            };
            assert_eq!(pick(&report.overall), engine(Scope::all(sales), p), "overall {p} ({comparison:?})");
            for (s, st) in report.stores.iter().enumerate() {
                assert_eq!(pick(&st.kpis), engine(Scope::store(sales, s), p), "store {s} {p} ({comparison:?})");
            }
        }
    }

    #[test]
    fn one_pass_equals_the_aggregation_engine_on_generated_data() {
        let sales = generate(&GeneratorConfig { lines: 30_000, ..Default::default() }).unwrap().sales;
        let range = sales.date_range().unwrap();
        let late = Period::last_days(range.end(), 90).unwrap();
        for comparison in [Comparison::PreviousPeriod, Comparison::SamePeriodLastYear, Comparison::None] {
            check(&sales, range, comparison);
            check(&sales, late, comparison);
        }
    }

    #[test]
    fn customers_of_several_stores_count_once_overall() {
        // Customer c1 buys in both stores: first in s2 on day 1, then in s1 on days 3 and 4.
        let sales = SalesBuilder::new()
            .store_id(vec!["s1", "s1", "s2", "s2", "s1"])
            .order_id(vec![1i64, 2, 3, 4, 5])
            .timestamp(vec!["2024-03-03", "2024-03-04", "2024-03-01", "2024-03-04", "2024-03-04"])
            .product_id(vec!["a", "a", "a", "a", "a"])
            .quantity(vec![1.0, 1.0, 1.0, 1.0, -1.0])
            .unit_price(vec![1.0; 5])
            .customer_id(vec![Some("c1"), Some("c1"), Some("c1"), Some("c2"), Some("c2")])
            .build()
            .unwrap();
        let p = |a: u32, b: u32| {
            Period::new(
                chrono::NaiveDate::from_ymd_opt(2024, 3, a).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2024, 3, b).unwrap(),
            )
            .unwrap()
        };
        let report =
            kpi_report(&sales, &KpiOptions { period: Some(p(3, 4)), comparison: Comparison::PreviousPeriod }).unwrap();
        let overall = &report.overall.current;
        assert_eq!((overall.unique_customers, overall.new_customers, overall.repeat_rate), (2, 1, Some(50.0)));
        let s1 = &report.stores[0].kpis.current;
        assert_eq!((s1.unique_customers, s1.new_customers), (1, 1));
        let previous = report.overall.previous.as_ref().unwrap();
        assert_eq!((previous.unique_customers, previous.new_customers), (1, 1));
        for comparison in [Comparison::PreviousPeriod, Comparison::SamePeriodLastYear, Comparison::None] {
            for (a, b) in [(1, 4), (2, 2), (3, 4), (4, 4), (5, 9)] {
                check(&sales, p(a, b), comparison);
            }
        }
    }
}
