//! The simulated product catalogue: categories, Zipf popularity, prices and complements.

use super::rng::Rng;

pub(crate) struct Catalog {
    /// Cumulative popularity (for sampling by binary search).
    pub(crate) cdf: Vec<f64>,
    /// List price in minor units.
    pub(crate) price: Vec<i64>,
    /// Unit cost in minor units.
    pub(crate) cost: Vec<i64>,
    pub(crate) category: Vec<u32>,
    /// Products often bought together with each product.
    pub(crate) complements: Vec<[u32; 3]>,
    /// Per category: its products and their cumulative popularity within the category.
    pub(crate) by_category: Vec<(Vec<u32>, Vec<f64>)>,
}

impl Catalog {
    pub(crate) fn new(rng: &mut Rng, n: usize, categories: usize) -> Catalog {
        // Popularity ~ 1 / rank^1.05 over a random permutation of products.
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            perm.swap(i, j);
        }
        let mut weight = vec![0.0; n];
        for (rank, &p) in perm.iter().enumerate() {
            weight[p] = 1.0 / ((rank + 1) as f64).powf(1.05);
        }
        let total: f64 = weight.iter().sum();
        let mut acc = 0.0;
        let cdf = weight
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        let category: Vec<u32> = (0..n).map(|_| rng.below(categories as u64) as u32).collect();
        // Category price levels, then lognormal prices around them.
        let level: Vec<f64> = (0..categories).map(|_| (1.0 + 3.0 * rng.f64()).exp()).collect();
        let mut price = Vec::with_capacity(n);
        let mut cost = Vec::with_capacity(n);
        for &c in &category {
            let p = (level[c as usize] * (0.5 * rng.normal()).exp()).clamp(0.5, 2000.0);
            let cents = ((p * 100.0).round() as i64 / 5 * 5).max(49) - 1; // prices like 4.99
            price.push(cents);
            cost.push((cents as f64 * (0.35 + 0.3 * rng.f64())).round() as i64);
        }
        // Complements: mostly from the same category.
        let by_cat: Vec<Vec<u32>> =
            (0..categories).map(|c| (0..n as u32).filter(|&p| category[p as usize] == c as u32).collect()).collect();
        let complements = (0..n)
            .map(|p| {
                let mut out = [0u32; 3];
                for slot in &mut out {
                    let same = &by_cat[category[p] as usize];
                    *slot = if rng.f64() < 0.7 && same.len() > 1 {
                        same[rng.below(same.len() as u64) as usize]
                    } else {
                        rng.below(n as u64) as u32
                    };
                }
                out
            })
            .collect();
        // Popularity within each category (no random draws, so the streams above are unchanged).
        let by_category = by_cat
            .into_iter()
            .map(|products| {
                let total: f64 = products.iter().map(|&p| weight[p as usize]).sum();
                let mut acc = 0.0;
                let cdf = products
                    .iter()
                    .map(|&p| {
                        acc += weight[p as usize] / total;
                        acc
                    })
                    .collect();
                (products, cdf)
            })
            .collect();
        Catalog { cdf, price, cost, category, complements, by_category }
    }

    /// A product of `category` drawn by popularity; `None` when the category has no product.
    #[inline]
    pub(crate) fn sample_in(&self, rng: &mut Rng, category: u32) -> Option<u32> {
        let (products, cdf) = self.by_category.get(category as usize)?;
        let u = rng.f64();
        let i = cdf.partition_point(|&c| c < u).min(products.len().checked_sub(1)?);
        products.get(i).copied()
    }

    /// A product drawn by popularity.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut Rng) -> u32 {
        let u = rng.f64();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1) as u32
    }
}
