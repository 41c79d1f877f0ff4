//! Repeat-purchase histories from sale lines (the `lifetimes` calibration-summary convention).

use super::{RepeatHistory, TimeUnit};
use crate::customers::lines::{GUEST_CODE, StoreLines};

/// Per-customer state while scanning lines in day order.
#[derive(Clone, Copy)]
struct Scan {
    first_day: i32,
    last_purchase_day: i32,
    day: i32,
    day_net: i64,
    day_is_purchase: bool,
    purchase_days: u32,
    repeat_net: i64,
}

impl Scan {
    fn close_day(&mut self) {
        if self.day_is_purchase {
            if self.purchase_days == 0 {
                self.first_day = self.day;
            } else {
                self.repeat_net = self.repeat_net.saturating_add(self.day_net);
            }
            self.purchase_days += 1;
            self.last_purchase_day = self.day;
        }
        self.day_net = 0;
        self.day_is_purchase = false;
    }
}

/// Histories of the customers of one store at `end_day` (lines after it are ignored), with the
/// customer codes, ordered by code. A purchase day is a day with at least one positive-quantity
/// line; its spend is the net amount of all the customer's lines that day. Lines on days without
/// a purchase (returns only) do not enter the histories. Customers without a purchase are left out.
pub(crate) fn repeat_histories(
    lines: StoreLines<'_>,
    end_day: i32,
    money_scale: u32,
    unit: TimeUnit,
) -> Vec<(u32, RepeatHistory)> {
    let n = lines.len();
    // Visit lines in day order (stable, so equal days keep their order); sales are normally
    // sorted already and then this is the identity.
    let sorted = lines.days.iter().take(n).zip(lines.days.iter().skip(1)).all(|(a, b)| a <= b);
    let mut order: Vec<u32> = Vec::new();
    if !sorted {
        order = (0..n as u32).collect();
        order.sort_by_key(|&i| lines.days.get(i as usize).copied().unwrap_or(0));
    }
    let max_customer = lines.customers.iter().take(n).copied().filter(|&c| c != GUEST_CODE).max().unwrap_or(0);
    let mut scans: Vec<Option<Scan>> = vec![None; max_customer as usize + 1];
    for k in 0..n {
        let i = if sorted { k } else { order.get(k).copied().unwrap_or(0) as usize };
        let (Some(&day), Some(&customer), Some(&qty), Some(&amount)) =
            (lines.days.get(i), lines.customers.get(i), lines.quantities_milli.get(i), lines.amounts.get(i))
        else {
            continue;
        };
        if customer == GUEST_CODE || day > end_day {
            continue;
        }
        let Some(slot) = scans.get_mut(customer as usize) else { continue };
        let scan = slot.get_or_insert(Scan {
            first_day: day,
            last_purchase_day: day,
            day,
            day_net: 0,
            day_is_purchase: false,
            purchase_days: 0,
            repeat_net: 0,
        });
        if day != scan.day {
            scan.close_day();
            scan.day = day;
        }
        scan.day_net = scan.day_net.saturating_add(amount);
        scan.day_is_purchase |= qty > 0;
    }
    let minor_per_major = 10f64.powi(money_scale as i32);
    let per_day = unit.per_day();
    scans
        .iter_mut()
        .enumerate()
        .filter_map(|(code, slot)| {
            let scan = slot.as_mut()?;
            scan.close_day();
            if scan.purchase_days == 0 {
                return None;
            }
            let frequency = scan.purchase_days - 1;
            let monetary =
                if frequency > 0 { scan.repeat_net as f64 / minor_per_major / frequency as f64 } else { 0.0 };
            Some((
                code as u32,
                RepeatHistory {
                    frequency,
                    recency: (scan.last_purchase_day - scan.first_day) as f64 * per_day,
                    age: (end_day - scan.first_day) as f64 * per_day,
                    monetary,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purchase_days_make_the_history() {
        // Customer 0: buys on days 1 (two orders), 4 and 6 (with a return that day); a return
        // alone on day 8; guest lines and a line after the end are ignored.
        let days = [1, 1, 2, 4, 6, 6, 8, 11];
        let customers = [0, 0, GUEST_CODE, 0, 0, 0, 0, 0];
        let qty = [1000, 1000, 1000, 1000, 1000, -1000, -1000, 1000];
        let amounts = [500, 700, 999, 300, 800, -100, -50, 10];
        let orders = [0, 1, 2, 3, 4, 4, 5, 6];
        let lines = StoreLines {
            days: &days,
            orders: &orders,
            customers: &customers,
            quantities_milli: &qty,
            amounts: &amounts,
        };
        let h = repeat_histories(lines, 10, 2, TimeUnit::Days);
        assert_eq!(h.len(), 1);
        let (code, h) = h[0];
        assert_eq!(code, 0);
        assert_eq!(h.frequency, 2);
        assert_eq!(h.recency, 5.0);
        assert_eq!(h.age, 9.0);
        assert!((h.monetary - (3.0 + 7.0) / 2.0).abs() < 1e-12);
    }
}
