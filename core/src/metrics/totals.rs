//! Exact per-group sums and counts, and the metric values derived from them.

use serde::Serialize;

use crate::domain::Metric;
use crate::money::Money;
use crate::sales::QUANTITY_SCALE;

/// Exact sums and counts of one group of lines. Money in minor units, quantities in
/// thousandths of a unit; `i128` so that no realistic table can overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Revenue of sale lines (and zero-quantity lines).
    pub gross: i128,
    /// Revenue of return lines, positive.
    pub returns: i128,
    /// Line cost, returns subtracting.
    pub cost: i128,
    /// Whether costs were given.
    pub has_cost: bool,
    /// Units sold, thousandths.
    pub units_milli: i128,
    /// Units returned, thousandths, positive.
    pub returned_units_milli: i128,
    /// Distinct orders with a sale line.
    pub orders: u64,
    /// Line items.
    pub lines: u64,
    /// Distinct customers with a sale order.
    pub customers: u64,
    /// Customers whose first sale in the data falls in the group's window.
    pub new_customers: u64,
    /// Customers with two or more orders in the group.
    pub repeat_customers: u64,
    /// Customers whose first order of the run is in this group (for to-date counts).
    pub(crate) first_seen: u64,
    /// Customers whose second order of the run is in this group (for to-date counts).
    pub(crate) second_order_seen: u64,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        return None;
    }
    let r = num / den;
    r.is_finite().then_some(r)
}

fn to_money(v: i128) -> Money {
    Money(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

impl Totals {
    /// Adds another group's sums and counts. Distinct customer counts of overlapping groups
    /// do not add up; callers only merge disjoint customer sets.
    pub fn merge(&mut self, o: &Totals) {
        self.gross += o.gross;
        self.returns += o.returns;
        self.cost += o.cost;
        self.has_cost |= o.has_cost;
        self.units_milli += o.units_milli;
        self.returned_units_milli += o.returned_units_milli;
        self.orders += o.orders;
        self.lines += o.lines;
        self.customers += o.customers;
        self.new_customers += o.new_customers;
        self.repeat_customers += o.repeat_customers;
        self.first_seen += o.first_seen;
        self.second_order_seen += o.second_order_seen;
    }

    /// Adds one line (cost aside): a sale line adds revenue and units and counts its order when
    /// it differs from `last_order`, the order of the group's previous sale line.
    #[inline]
    pub(crate) fn add_line(&mut self, quantity: i64, amount: i64, order: u32, last_order: &mut u32) {
        if quantity > 0 {
            self.gross += amount as i128;
            self.units_milli += quantity as i128;
            if *last_order != order {
                *last_order = order;
                self.orders += 1;
            }
        } else if quantity < 0 {
            self.returns -= amount as i128;
            self.returned_units_milli -= quantity as i128;
        } else {
            self.gross += amount as i128;
        }
        self.lines += 1;
    }

    /// Gross revenue.
    pub fn gross_revenue(&self) -> Money {
        to_money(self.gross)
    }

    /// Net revenue.
    pub fn net_revenue(&self) -> Money {
        to_money(self.gross - self.returns)
    }

    /// The value of `metric` (money in major units at `scale`); `None` for an undefined
    /// ratio or a cost metric without costs.
    pub fn value(&self, metric: Metric, scale: u32) -> Option<f64> {
        let major = |v: i128| v as f64 / 10f64.powi(scale as i32);
        let units = |v: i128| v as f64 / QUANTITY_SCALE as f64;
        let net = self.gross - self.returns;
        if metric.needs_cost() && !self.has_cost {
            return None;
        }
        match metric {
            Metric::GrossRevenue => Some(major(self.gross)),
            Metric::Returns => Some(major(self.returns)),
            Metric::NetRevenue => Some(major(net)),
            Metric::Cost => Some(major(self.cost)),
            Metric::GrossMargin => Some(major(net - self.cost)),
            Metric::MarginPct => ratio(100.0 * (net - self.cost) as f64, net as f64),
            Metric::Orders => Some(self.orders as f64),
            Metric::Units => Some(units(self.units_milli)),
            Metric::ReturnedUnits => Some(units(self.returned_units_milli)),
            Metric::AvgOrderValue => ratio(major(self.gross), self.orders as f64),
            Metric::ItemsPerOrder => ratio(units(self.units_milli), self.orders as f64),
            Metric::UniqueCustomers => Some(self.customers as f64),
            Metric::NewCustomers => Some(self.new_customers as f64),
            Metric::ReturningCustomers => Some(self.customers.saturating_sub(self.new_customers) as f64),
            Metric::RepeatRate => ratio(100.0 * self.repeat_customers as f64, self.customers as f64),
            Metric::ReturnRate => ratio(100.0 * self.returns as f64, self.gross as f64),
        }
    }
}
