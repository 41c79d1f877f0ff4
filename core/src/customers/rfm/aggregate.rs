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

/// Sums the lines of one store per customer, skipping guests and lines after `until_day`.
///
/// A purchase is an order with at least one positive-quantity line; its day counts for the
/// first / last purchase. Net revenue includes every line (returns too). Each order is counted
/// once however its lines are ordered. Customers come in order of their first line.
pub(crate) fn customer_totals(lines: StoreLines<'_>, until_day: i32) -> StoreTotals {
    let n = lines.len();
    // Customer and order codes are dense dictionary codes, so plain vectors index them.
    let max_customer = lines.customers.iter().take(n).copied().filter(|&c| c != GUEST_CODE).max().unwrap_or(0);
    let mut slot_of = vec![u32::MAX; max_customer as usize + 1];
    let max_order = lines.orders.iter().take(n).copied().max().unwrap_or(0) as usize;
    let mut counted = vec![0u64; max_order / 64 + 1];
    #[derive(Clone, Copy)]
    struct Acc {
        customer: u32,
        first: i32,
        last: i32,
        orders: u32,
        net: i64,
    }
    let mut accs: Vec<Acc> = Vec::new();
    for i in 0..n {
        let (day, order, customer, qty, amount) =
            (lines.days[i], lines.orders[i], lines.customers[i], lines.quantities_milli[i], lines.amounts[i]);
        if customer == GUEST_CODE || day > until_day {
            continue;
        }
        let Some(slot) = slot_of.get_mut(customer as usize) else { continue };
        if *slot == u32::MAX {
            *slot = accs.len() as u32;
            accs.push(Acc { customer, first: i32::MAX, last: i32::MIN, orders: 0, net: 0 });
        }
        let Some(acc) = accs.get_mut(*slot as usize) else { continue };
        acc.net = acc.net.saturating_add(amount);
        if qty > 0 {
            acc.first = acc.first.min(day);
            acc.last = acc.last.max(day);
            let (word, bit) = (order as usize / 64, order % 64);
            if let Some(w) = counted.get_mut(word)
                && *w & (1u64 << bit) == 0
            {
                *w |= 1u64 << bit;
                acc.orders += 1;
            }
        }
    }
    let mut totals = StoreTotals::default();
    for acc in &accs {
        totals.net_minor = totals.net_minor.saturating_add(acc.net);
        if acc.orders == 0 {
            totals.return_only += 1;
        } else {
            totals.customers.push(CustomerTotals {
                customer: acc.customer,
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
