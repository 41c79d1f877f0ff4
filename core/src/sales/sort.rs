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
        let n = self.ts.len();
        let mut perm: Vec<u32> = (0..n as u32).collect();
        let key = |i: &u32| {
            let i = *i as usize;
            (self.store[i], self.ts[i], self.order[i], self.product[i], i)
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::slice::ParallelSliceMut;
            perm.par_sort_unstable_by_key(key);
        }
        #[cfg(not(feature = "parallel"))]
        perm.sort_unstable_by_key(key);
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
