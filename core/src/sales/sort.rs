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
    pub(super) fn sorted(mut self) -> Columns {
        let perm = self.order_within_orders().unwrap_or_else(|| self.full_order());
        // Only the lines that move are copied: in a file that is nearly in order that is a
        // small part of the table.
        let moves: Vec<(u32, u32)> =
            perm.iter().enumerate().filter(|&(i, &p)| p as usize != i).map(|(i, &p)| (i as u32, p)).collect();
        fn apply<T: Copy>(v: &mut [T], moves: &[(u32, u32)]) {
            let values: Vec<T> = moves.iter().map(|&(_, from)| v[from as usize]).collect();
            for (&(to, _), x) in moves.iter().zip(values) {
                v[to as usize] = x;
            }
        }
        apply(&mut self.store, &moves);
        apply(&mut self.ts, &moves);
        apply(&mut self.order, &moves);
        apply(&mut self.product, &moves);
        apply(&mut self.customer, &moves);
        apply(&mut self.quantity, &moves);
        apply(&mut self.amount, &moves);
        if let Some(c) = self.cost.as_mut() {
            apply(c, &moves);
        }
        self
    }

    /// The sorting permutation when the lines are already in (store, ts, order) order and only
    /// the products within an order are not (files exported in time order usually are): each
    /// run of one order's lines is sorted on its own, in linear time overall. `None` otherwise.
    fn order_within_orders(&self) -> Option<Vec<u32>> {
        let n = self.ts.len();
        let key = |i: usize| (self.store[i], self.ts[i], self.order[i]);
        if !(1..n).all(|i| key(i - 1) <= key(i)) {
            return None;
        }
        let mut perm: Vec<u32> = (0..n as u32).collect();
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && key(end) == key(start) {
                end += 1;
            }
            // Stable: lines of one product keep their input order.
            if !self.product[start..end].is_sorted() {
                perm[start..end].sort_by_key(|&i| self.product[i as usize]);
            }
            start = end;
        }
        Some(perm)
    }

    /// The sorting permutation of lines in any order.
    fn full_order(&self) -> Vec<u32> {
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
        keys.into_iter().map(|(_, _, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(store: Vec<u32>, ts: Vec<i64>, order: Vec<u32>, product: Vec<u32>) -> Columns {
        let n = ts.len();
        Columns {
            store,
            ts,
            order,
            product,
            customer: vec![0; n],
            quantity: (0..n as i64).collect(),
            amount: vec![0; n],
            cost: None,
        }
    }

    #[test]
    fn products_within_orders_sort_like_the_full_sort() {
        // Lines in (store, ts, order) order with products shuffled inside each order, and a
        // repeated product (ties keep input order).
        let c = columns(
            vec![0, 0, 0, 0, 0, 1, 1, 1],
            vec![5, 5, 5, 7, 7, 1, 1, 2],
            vec![3, 3, 3, 4, 4, 0, 0, 1],
            vec![9, 2, 2, 8, 1, 5, 4, 0],
        );
        let fast = c.order_within_orders().expect("prefix is sorted");
        assert_eq!(fast, c.full_order());
        assert_eq!(fast, vec![1, 2, 0, 4, 3, 6, 5, 7]);
        let sorted = c.sorted();
        assert_eq!(sorted.product, vec![2, 2, 9, 1, 8, 4, 5, 0]);
        assert_eq!(sorted.quantity, vec![1, 2, 0, 4, 3, 6, 5, 7]);
    }

    #[test]
    fn lines_out_of_time_order_take_the_full_sort() {
        let c = columns(vec![0, 0, 0], vec![9, 3, 5], vec![0, 1, 2], vec![0, 0, 0]);
        assert!(c.order_within_orders().is_none());
        assert_eq!(c.sorted().ts, vec![3, 5, 9]);
    }
}
