//! The columns of one store's sale lines that customer analytics read.

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
