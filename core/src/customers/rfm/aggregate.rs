//! Per-customer totals of one store's sale lines: the raw material of RFM and lifetime value.

use crate::customers::lines::{GUEST_CODE, StoreLines};

/// What one customer did in one store up to the cut-off day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CustomerTotals {
    /// Customer code.
    pub(crate) customer: u32,
    /// Day of the first purchase.
    pub(crate) first_day: i32,
    /// Day of the last purchase.
    pub(crate) last_day: i32,
    /// Distinct orders with at least one sold (positive-quantity) line.
    pub(crate) orders: u32,
    /// Net revenue (sales minus returns) in minor units, all lines.
    pub(crate) net_minor: i64,
}

/// Customers of one store, in the caller's order, and how many had only returns.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoreTotals {
    /// One entry per customer with at least one purchase.
    pub(crate) customers: Vec<CustomerTotals>,
    /// Customers with lines up to the cut-off but no purchase (returns only); not in `customers`.
    pub(crate) return_only: usize,
    /// Net revenue of the store's non-guest lines up to the cut-off (including return-only customers).
    pub(crate) net_minor: i64,
}

/// Running totals of one customer code.
#[derive(Debug, Clone, Copy)]
struct Acc {
    net: i64,
    first: i32,
    last: i32,
    orders: u32,
    seen: bool,
}

const EMPTY: Acc = Acc { net: 0, first: i32::MAX, last: i32::MIN, orders: 0, seen: false };

#[cfg(feature = "parallel")]
impl Acc {
    fn merge(&mut self, other: &Acc) {
        self.net = self.net.saturating_add(other.net);
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.orders += other.orders;
        self.seen |= other.seen;
    }
}

/// Runs gathered before they are added to the totals: the totals are spread over memory, so
/// their updates go in a tight, branch-free batch whose memory accesses overlap.
const BATCH: usize = 2048;

/// Scans `range` of the lines into `accs` (indexed by customer code − `base`).
fn scan(lines: &StoreLines<'_>, range: std::ops::Range<usize>, until_day: i32, base: u32, accs: &mut [Acc]) {
    let (Some(days), Some(orders), Some(customers), Some(quantities), Some(amounts)) = (
        lines.days.get(range.clone()),
        lines.orders.get(range.clone()),
        lines.customers.get(range.clone()),
        lines.quantities_milli.get(range.clone()),
        lines.amounts.get(range),
    ) else {
        return;
    };
    // Purchase lines of one order are adjacent (sales are sorted by store, time and order and an
    // order's sale lines share one time), so an order is counted at its first purchase line.
    // Lines are gathered in runs of one (customer, order) and each run touches its customer's
    // totals once; guest lines and later lines do not end a run.
    let mut last_counted: Option<u32> = None;
    let mut run: Option<Run> = None;
    let mut batch: Vec<Flushed> = Vec::with_capacity(BATCH);
    for ((((&day, &order), &customer), &qty), &amount) in
        days.iter().zip(orders).zip(customers).zip(quantities).zip(amounts)
    {
        if customer == GUEST_CODE || day > until_day {
            continue;
        }
        match &mut run {
            Some(r) if r.customer == customer && r.order == order => r.add(day, qty, amount),
            _ => {
                if let Some(r) = run.take() {
                    batch.push(r.close(&mut last_counted));
                    if batch.len() == BATCH {
                        add_batch(&batch, base, accs);
                        batch.clear();
                    }
                }
                let mut r = Run { customer, order, net: 0, first: i32::MAX, last: i32::MIN, purchase: false };
                r.add(day, qty, amount);
                run = Some(r);
            }
        }
    }
    if let Some(r) = run {
        batch.push(r.close(&mut last_counted));
    }
    add_batch(&batch, base, accs);
}

/// Adds closed runs to their customers' totals.
fn add_batch(batch: &[Flushed], base: u32, accs: &mut [Acc]) {
    for f in batch {
        if let Some(acc) = accs.get_mut(f.customer.wrapping_sub(base) as usize) {
            acc.seen = true;
            acc.net = acc.net.saturating_add(f.net);
            acc.first = acc.first.min(f.first);
            acc.last = acc.last.max(f.last);
            acc.orders += f.new_order as u32;
        }
    }
}

/// Consecutive kept lines of one customer and one order.
struct Run {
    customer: u32,
    order: u32,
    net: i64,
    first: i32,
    last: i32,
    purchase: bool,
}

/// A closed run: its first and last purchase days are `i32::MAX` / `i32::MIN` without a
/// purchase, and `new_order` tells whether it counts a new purchase order.
struct Flushed {
    customer: u32,
    new_order: bool,
    first: i32,
    last: i32,
    net: i64,
}

impl Run {
    #[inline]
    fn add(&mut self, day: i32, qty: i64, amount: i64) {
        self.net = self.net.saturating_add(amount);
        if qty > 0 {
            self.purchase = true;
            self.first = self.first.min(day);
            self.last = self.last.max(day);
        }
    }

    #[inline]
    fn close(self, last_counted: &mut Option<u32>) -> Flushed {
        let new_order = self.purchase && *last_counted != Some(self.order);
        if new_order {
            *last_counted = Some(self.order);
        }
        Flushed { customer: self.customer, new_order, first: self.first, last: self.last, net: self.net }
    }
}

/// Line ranges for parallel scans, cut where the order changes.
#[cfg(feature = "parallel")]
fn chunks(lines: &StoreLines<'_>, n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let mut cuts = vec![0];
    for p in 1..parts {
        let mut at = (n * p / parts).max(cuts.last().copied().unwrap_or(0));
        while at < n && at > 0 && lines.orders.get(at) == lines.orders.get(at - 1) {
            at += 1;
        }
        cuts.push(at);
    }
    cuts.push(n);
    cuts.windows(2).filter_map(|w| if let [a, b] = *w { (a < b).then_some(a..b) } else { None }).collect()
}

/// Sums the lines of one store per customer, skipping guests and lines after `until_day`.
///
/// A purchase is an order with at least one positive-quantity line; its day counts for the
/// first / last purchase. Net revenue includes every line (returns too). Purchase lines of one
/// order must be adjacent, as they are in [`crate::sales::Sales`]. Customers come in code order.
pub(crate) fn customer_totals(lines: StoreLines<'_>, until_day: i32) -> StoreTotals {
    let n = lines.len();
    let range = |codes: &[u32]| {
        codes.iter().filter(|&&c| c != GUEST_CODE).fold((u32::MAX, 0u32), |(lo, hi), &c| (lo.min(c), hi.max(c)))
    };
    let codes = lines.customers.get(..n).unwrap_or(&[]);
    #[cfg(feature = "parallel")]
    let (lo, hi) = {
        use rayon::prelude::*;
        codes.par_chunks(1 << 16).map(range).reduce(|| (u32::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)))
    };
    #[cfg(not(feature = "parallel"))]
    let (lo, hi) = range(codes);
    if lo > hi {
        return StoreTotals::default();
    }
    let width = (hi - lo) as usize + 1;
    #[cfg(feature = "parallel")]
    let accs = {
        use rayon::prelude::*;
        let parts = if n >= 1_000_000 { rayon::current_num_threads().clamp(1, 8) } else { 1 };
        chunks(&lines, n, parts)
            .into_par_iter()
            .map(|range| {
                let mut accs = vec![EMPTY; width];
                scan(&lines, range, until_day, lo, &mut accs);
                accs
            })
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(&b).for_each(|(x, y)| x.merge(y));
                a
            })
            .unwrap_or_default()
    };
    #[cfg(not(feature = "parallel"))]
    let accs = {
        let mut accs = vec![EMPTY; width];
        scan(&lines, 0..n, until_day, lo, &mut accs);
        accs
    };
    let mut totals = StoreTotals::default();
    for (i, acc) in accs.iter().enumerate() {
        if !acc.seen {
            continue;
        }
        totals.net_minor = totals.net_minor.saturating_add(acc.net);
        if acc.orders == 0 {
            totals.return_only += 1;
        } else {
            totals.customers.push(CustomerTotals {
                customer: lo + i as u32,
                first_day: acc.first,
                last_day: acc.last,
                orders: acc.orders,
                net_minor: acc.net,
            });
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_count_orders_once_and_skip_guests_and_later_lines() {
        let days = [1, 1, 2, 3, 3, 9];
        let orders = [0, 0, 1, 2, 3, 4];
        let customers = [5, 5, GUEST_CODE, 5, 2, 2];
        let qty = [1000, 2000, 1000, -1000, 500, 1000];
        let amounts = [100, 200, 999, -50, 70, 10];
        let lines = StoreLines {
            days: &days,
            orders: &orders,
            customers: &customers,
            quantities_milli: &qty,
            amounts: &amounts,
        };
        let mut t = customer_totals(lines, 5);
        t.customers.sort_by_key(|c| c.customer);
        assert_eq!(t.return_only, 0);
        assert_eq!(
            t.customers,
            vec![
                CustomerTotals { customer: 2, first_day: 3, last_day: 3, orders: 1, net_minor: 70 },
                CustomerTotals { customer: 5, first_day: 1, last_day: 1, orders: 1, net_minor: 250 },
            ]
        );
        assert_eq!(t.net_minor, 320);
    }

    #[test]
    fn return_only_customers_are_counted_apart() {
        let lines =
            StoreLines { days: &[1], orders: &[0], customers: &[1], quantities_milli: &[-1000], amounts: &[-100] };
        let mut t = customer_totals(lines, 5);
        t.customers.sort_by_key(|c| c.customer);
        assert!(t.customers.is_empty());
        assert_eq!(t.return_only, 1);
    }
}
