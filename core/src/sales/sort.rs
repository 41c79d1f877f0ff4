//! Sorting the line columns by (store, timestamp, order, product).

/// The line columns in input order, before sorting.
pub(super) struct Columns {
    pub(super) store: Vec<u32>,
    pub(super) ts: Vec<i64>,
    pub(super) order: Vec<u32>,
    pub(super) product: Vec<u32>,
    pub(super) customer: Vec<u32>,
    pub(super) quantity: Vec<i64>,
    pub(super) amount: Vec<i64>,
    pub(super) cost: Option<Vec<i64>>,
}

impl Columns {
    /// The columns sorted by (store, ts, order, product), ties by input position.
    pub(super) fn sorted(self) -> Columns {
        // The keys are packed into one contiguous array first: comparing through the row index
        // would load five columns at random positions on every comparison.
        let mut keys: Vec<(u128, u64, u32)> = (0..self.ts.len())
            .map(|i| {
                // Flipping the sign bit maps i64 order onto u64 order.
                let ts = (self.ts[i] as u64) ^ (1 << 63);
                let major = (u128::from(self.store[i]) << 64) | u128::from(ts);
                let minor = (u64::from(self.order[i]) << 32) | u64::from(self.product[i]);
                (major, minor, i as u32)
            })
            .collect();
        #[cfg(feature = "parallel")]
        {
            use rayon::slice::ParallelSliceMut;
            keys.par_sort_unstable();
        }
        #[cfg(not(feature = "parallel"))]
        keys.sort_unstable();
        let perm: Vec<u32> = keys.into_iter().map(|(_, _, i)| i).collect();
        fn apply<T: Copy>(v: &[T], perm: &[u32]) -> Vec<T> {
            perm.iter().map(|&i| v[i as usize]).collect()
        }
        Columns {
            store: apply(&self.store, &perm),
            ts: apply(&self.ts, &perm),
            order: apply(&self.order, &perm),
            product: apply(&self.product, &perm),
            customer: apply(&self.customer, &perm),
            quantity: apply(&self.quantity, &perm),
            amount: apply(&self.amount, &perm),
            cost: self.cost.as_ref().map(|c| apply(c, &perm)),
        }
    }
}
