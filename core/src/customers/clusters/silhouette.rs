//! Mean silhouette coefficient (Rousseeuw 1987) of a clustering, Euclidean distance.
//!
//! The cost is O(n²) distances for n rows, so [`super::cluster_customers`] computes it on an
//! evenly spaced sample (`ClusterOptions::silhouette_sample`, 4000 rows by default: 16 million
//! distances per `k` tried, a few tens of milliseconds per `k` on one core).

/// Mean silhouette of `rows` labelled `labels` with `k` clusters. A point alone in its cluster
/// scores 0. `None` with fewer than 2 clusters in use.
pub(crate) fn mean_silhouette(rows: &[[f64; 3]], labels: &[usize], k: usize) -> Option<f64> {
    let n = rows.len().min(labels.len());
    let mut sizes = vec![0usize; k];
    for &l in labels.iter().take(n) {
        if let Some(s) = sizes.get_mut(l) {
            *s += 1;
        }
    }
    if sizes.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    let silhouette_of = |i: usize| -> Option<f64> {
        let mut sums = vec![0.0f64; k];
        let (p, &own) = (rows.get(i)?, labels.get(i)?);
        for (q, &l) in rows.iter().zip(labels).take(n) {
            let d = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt();
            if let Some(s) = sums.get_mut(l) {
                *s += d;
            }
        }
        let own_size = sizes.get(own).copied().unwrap_or(0);
        if own_size <= 1 {
            return None;
        }
        let a = sums.get(own).copied().unwrap_or(0.0) / (own_size - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && sizes.get(c).is_some_and(|&s| s > 0))
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let m = a.max(b);
        (m > 0.0).then(|| (b - a) / m)
    };
    // Each row's silhouette is computed on its own (in parallel with the `parallel` feature);
    // the mean adds them in row order, so it does not depend on the thread count.
    #[cfg(feature = "parallel")]
    let per_row: Vec<Option<f64>> = {
        use rayon::prelude::*;
        (0..n).into_par_iter().with_min_len(64).map(silhouette_of).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_row: Vec<Option<f64>> = (0..n).map(silhouette_of).collect();
    let mut total = 0.0;
    for s in per_row.into_iter().flatten() {
        total += s;
    }
    Some(total / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_tight_pairs() {
        let rows = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [10.0, 0.0, 0.0], [11.0, 0.0, 0.0]];
        let s = mean_silhouette(&rows, &[0, 0, 1, 1], 2).unwrap();
        // Point 0: a = 1, b = 10.5 -> 0.9048; point 1: a = 1, b = 9.5 -> 0.8947; symmetric.
        let expected = ((1.0 - 1.0 / 10.5) + (1.0 - 1.0 / 9.5)) / 2.0;
        assert!((s - expected).abs() < 1e-12, "{s}");
        assert_eq!(mean_silhouette(&rows, &[0, 0, 0, 0], 2), None);
    }
}
