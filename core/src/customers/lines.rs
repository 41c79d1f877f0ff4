//! The columns of one store's sale lines that customer analytics read.

use crate::sales::{Sales, StoreInfo};

/// Customer code of guest lines (no customer).
pub(crate) const GUEST_CODE: u32 = u32::MAX;

/// The sale lines of one store as parallel columns (all of equal length).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoreLines<'a> {
    /// Local day number of each line.
    pub(crate) days: &'a [i32],
    /// Order code of each line.
    pub(crate) orders: &'a [u32],
    /// Customer code of each line ([`GUEST_CODE`] for guests).
    pub(crate) customers: &'a [u32],
    /// Quantity in 1/1000 units; negative for returns.
    pub(crate) quantities_milli: &'a [i64],
    /// Signed line revenue in money minor units.
    pub(crate) amounts: &'a [i64],
}

impl StoreLines<'_> {
    pub(crate) fn len(&self) -> usize {
        self.days
            .len()
            .min(self.orders.len())
            .min(self.customers.len())
            .min(self.quantities_milli.len())
            .min(self.amounts.len())
    }

    /// The first day with a line, if any.
    pub(crate) fn first_day(&self) -> Option<i32> {
        self.days.iter().copied().min()
    }

    /// The last day with a line, if any.
    pub(crate) fn last_day(&self) -> Option<i32> {
        self.days.iter().copied().max()
    }
}

/// The stores of `sales` in ascending id order (so results do not depend on input row order),
/// each with its lines; stores without lines are left out.
pub(crate) fn stores_by_id(sales: &Sales) -> Vec<(&StoreInfo, StoreLines<'_>)> {
    let mut stores: Vec<&StoreInfo> = sales.stores().iter().collect();
    stores.sort_by(|a, b| a.id.cmp(&b.id));
    stores
        .into_iter()
        .filter_map(|store| {
            let r = store.rows.clone();
            let lines = StoreLines {
                days: sales.days().get(r.clone())?,
                orders: sales.order_codes().get(r.clone())?,
                customers: sales.customer_codes().get(r.clone())?,
                quantities_milli: sales.quantities_milli().get(r.clone())?,
                amounts: sales.amounts().get(r)?,
            };
            (lines.len() > 0).then_some((store, lines))
        })
        .collect()
}
