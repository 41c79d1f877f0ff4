//! Customer clusters: k-means (own Lloyd iterations from k-means++ starts) on standardised log recency, frequency and
//! monetary value of an RFM table, seeded and deterministic, with `k` given or chosen by the
//! mean silhouette.
//!
//! Features per row: `ln(1 + recency_days)`, `ln(1 + frequency)` and `sign(m)·ln(1 + |m|)` of
//! the net revenue `m` in major units (so zero and net-negative customers stay finite and
//! ordered), each standardised to mean 0 and standard deviation 1 over the table. Clusters are
//! numbered by descending mean monetary value (cluster 0 is the most valuable), so labels do
//! not depend on the initialisation.

mod features;
mod kmeans;
mod silhouette;

use serde::{Deserialize, Serialize};

pub(crate) use features::rfm_features;
use silhouette::mean_silhouette;

use crate::customers::rfm::RfmTable;
use crate::error::{Error, Result};

/// Options of [`kmeans`] and [`cluster_customers`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClusterOptions {
    /// Number of clusters; `None` (default) chooses it by the mean silhouette over `k_range`.
    pub k: Option<usize>,
    /// Inclusive range of `k` tried when `k` is `None`. Default `(2, 8)`.
    pub k_range: (usize, usize),
    /// Seed of the k-means++ initialisation. Default 42.
    pub seed: u64,
    /// Initialisations tried; the lowest inertia wins. Default 10.
    pub runs: usize,
    /// Iteration limit per run. Default 300.
    pub max_iterations: u64,
    /// Convergence tolerance, as scikit-learn's `tol`: a run stops when the squared movement of
    /// all centres in one iteration is at most `tolerance` × the mean feature variance. Default 1e-4.
    pub tolerance: f64,
    /// Rows used (an evenly spaced, deterministic subsample) to compute silhouettes, which cost
    /// O(n²). Default 4000.
    pub silhouette_sample: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            k: None,
            k_range: (2, 8),
            seed: 42,
            runs: 10,
            max_iterations: 300,
            tolerance: 1e-4,
            silhouette_sample: 4000,
        }
    }
}

/// A k-means partition of a feature matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KMeansFit {
    /// Cluster of each row, `0..k`.
    pub labels: Vec<usize>,
    /// Cluster centres in feature space.
    pub centroids: Vec<Vec<f64>>,
    /// Sum of squared distances of the rows to their centres.
    pub inertia: f64,
}

fn validate(options: &ClusterOptions) -> Result<()> {
    if options.runs == 0 {
        return Err(Error::invalid_parameter("runs", "must be at least 1"));
    }
    if options.max_iterations == 0 {
        return Err(Error::invalid_parameter("max_iterations", "must be at least 1"));
    }
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::invalid_parameter("tolerance", "must be a positive number"));
    }
    Ok(())
}

/// k-means with `k` clusters of the rows of `features` (row-major, `n_features` columns), by
/// Lloyd's algorithm from `runs` seeded greedy k-means++ starts, keeping the run of lowest
/// inertia: the same input and options give the same labels on every platform and thread count.
/// With up to 8 centres and 2 to 4 features the assignment computes every distance without
/// branches, several rows side by side; otherwise it skips, with Hamerly's distance bounds, the
/// distances that cannot change a label. Both give Lloyd's labels.
///
/// ```
/// use storelytics::customers::{kmeans, ClusterOptions};
/// let features = [0.0, 0.1, 0.2, 10.0, 10.1, 10.2];
/// let fit = kmeans(&features, 1, 2, &ClusterOptions::default())?;
/// assert_eq!(fit.labels[0], fit.labels[2]);
/// assert_ne!(fit.labels[0], fit.labels[3]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn kmeans(features: &[f64], n_features: usize, k: usize, options: &ClusterOptions) -> Result<KMeansFit> {
    validate(options)?;
    if n_features == 0 || !features.len().is_multiple_of(n_features) {
        return Err(Error::invalid_parameter("n_features", "must divide the length of features"));
    }
    let n = features.len() / n_features;
    if k == 0 {
        return Err(Error::invalid_parameter("k", "must be at least 1"));
    }
    if u32::try_from(k).is_err() {
        return Err(Error::invalid_parameter("k", "must be below 2^32"));
    }
    // Convergence threshold on the summed squared centre shift, relative to the data's scale as
    // scikit-learn's `tol`: the mean variance of the features.
    let mean_variance = kmeans::mean_variance(features, n_features)
        .ok_or_else(|| Error::invalid_parameter("features", "contain a NaN or infinite value"))?;
    if n < k {
        return Err(Error::insufficient_data("k-means", format!("{k} clusters need at least {k} rows, got {n}")));
    }
    let tolerance = options.tolerance * mean_variance;
    let seeds = (0..options.runs).map(|r| kmeans::run_seed(options.seed, r));
    let best = kmeans::best_run(features, n_features, k, seeds, options.max_iterations, tolerance)
        .ok_or_else(|| Error::invalid_parameter("runs", "must be at least 1"))?;
    let centroids: Vec<Vec<f64>> = best.centroids.chunks_exact(n_features).map(|c| c.to_vec()).collect();
    let labels = best.labels;
    let inertia = best.inertia;
    Ok(KMeansFit { labels, centroids, inertia })
}

/// One cluster of customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterProfile {
    /// Cluster number (0 = highest mean monetary value).
    pub cluster: usize,
    /// Customers (rows) in the cluster.
    pub customers: usize,
    /// Share of all rows.
    pub customer_share: f64,
    /// Mean recency in days.
    pub mean_recency_days: f64,
    /// Mean frequency.
    pub mean_frequency: f64,
    /// Mean net revenue, major units.
    pub mean_monetary: f64,
    /// Net revenue of the cluster, minor units (clusters sum exactly to the table's total).
    pub net_revenue_minor: i64,
    /// Share of the table's net revenue; `None` when that total is not positive.
    pub revenue_share: Option<f64>,
    /// Centre in standardised feature space `[recency, frequency, monetary]`.
    pub centroid: [f64; 3],
}

/// Clusters of an RFM table's rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerClusters {
    /// Number of clusters.
    pub k: usize,
    /// Cluster of each row of the table, in row order.
    pub labels: Vec<usize>,
    /// One profile per cluster.
    pub profiles: Vec<ClusterProfile>,
    /// Mean silhouette of each `k` tried (empty when `k` was given).
    pub silhouettes: Vec<(usize, f64)>,
    /// The standardised features the clusters were computed on, in row order.
    pub features: Vec<[f64; 3]>,
    /// Documented fallbacks used (constant feature columns, shrunk `k` range).
    pub notes: Vec<String>,
}

/// k-means clusters of the customers of an RFM table (all its rows together; pass a one-store
/// table to cluster one store), with profiles. See the [module documentation](self).
///
/// ```
/// use storelytics::customers::{cluster_customers, rfm, ClusterOptions, RfmOptions};
/// use storelytics::generator::{generate, GeneratorConfig};
/// let sales = generate(&GeneratorConfig { lines: 20_000, stores: 1, ..Default::default() })?.sales;
/// let table = rfm(&sales, &RfmOptions::default())?;
/// let clusters = cluster_customers(&table, &ClusterOptions { k: Some(4), ..Default::default() })?;
/// assert_eq!(clusters.profiles.len(), 4);
/// assert_eq!(clusters.labels.len(), table.rows.len());
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn cluster_customers(table: &RfmTable, options: &ClusterOptions) -> Result<CustomerClusters> {
    validate(options)?;
    let (features, constant) = rfm_features(table);
    let n = features.len();
    let mut notes: Vec<String> = constant
        .iter()
        .map(|&j| format!("feature {} is constant and was set to 0", ["recency", "frequency", "monetary"][j]))
        .collect();
    let flat: Vec<f64> = features.iter().flatten().copied().collect();
    let (k, silhouettes, fit) = match options.k {
        Some(k) => (k, Vec::new(), kmeans(&flat, 3, k, options)?),
        None => {
            let (lo, hi) = options.k_range;
            if lo < 2 || hi < lo {
                return Err(Error::invalid_parameter("k_range", "must satisfy 2 <= low <= high"));
            }
            if n < 3 {
                return Err(Error::insufficient_data(
                    "choosing k by silhouette",
                    format!("needs at least 3 customers, got {n}"),
                ));
            }
            let hi_used = hi.min(n - 1);
            if hi_used < hi {
                notes.push(format!("k range shrunk to {lo}..={hi_used}: only {n} customers"));
            }
            let step = n.div_ceil(options.silhouette_sample.max(2));
            let sample: Vec<usize> = (0..n).step_by(step.max(1)).collect();
            let sample_rows: Vec<[f64; 3]> = sample.iter().filter_map(|&i| features.get(i).copied()).collect();
            let mut best: Option<(usize, f64, KMeansFit)> = None;
            let mut silhouettes = Vec::new();
            for k in lo.min(hi_used)..=hi_used {
                let fit = kmeans(&flat, 3, k, options)?;
                let labels: Vec<usize> = sample.iter().filter_map(|&i| fit.labels.get(i).copied()).collect();
                let s = mean_silhouette(&sample_rows, &labels, k).unwrap_or(-1.0);
                silhouettes.push((k, s));
                if best.as_ref().is_none_or(|b| s > b.1) {
                    best = Some((k, s, fit));
                }
            }
            let (k, _, fit) = best.ok_or_else(|| Error::insufficient_data("choosing k", "no k could be tried"))?;
            (k, silhouettes, fit)
        }
    };
    let (labels, profiles) = profiles(table, &fit, k);
    Ok(CustomerClusters { k, labels, profiles, silhouettes, features, notes })
}

/// Profiles of the clusters, renumbered by descending mean monetary value; returns the new labels.
fn profiles(table: &RfmTable, fit: &KMeansFit, k: usize) -> (Vec<usize>, Vec<ClusterProfile>) {
    let total = table.rows.iter().fold(0i64, |acc, r| acc.saturating_add(r.monetary_minor));
    let n = table.rows.len();
    let mut raw: Vec<ClusterProfile> = (0..k)
        .map(|c| ClusterProfile {
            cluster: c,
            customers: 0,
            customer_share: 0.0,
            mean_recency_days: 0.0,
            mean_frequency: 0.0,
            mean_monetary: 0.0,
            net_revenue_minor: 0,
            revenue_share: None,
            centroid: [0.0; 3],
        })
        .collect();
    for (row, &label) in table.rows.iter().zip(&fit.labels) {
        if let Some(p) = raw.get_mut(label) {
            p.customers += 1;
            p.mean_recency_days += row.recency_days as f64;
            p.mean_frequency += row.frequency as f64;
            p.mean_monetary += row.monetary;
            p.net_revenue_minor = p.net_revenue_minor.saturating_add(row.monetary_minor);
        }
    }
    for (p, c) in raw.iter_mut().zip(&fit.centroids) {
        let m = p.customers.max(1) as f64;
        p.mean_recency_days /= m;
        p.mean_frequency /= m;
        p.mean_monetary /= m;
        p.customer_share = if n > 0 { p.customers as f64 / n as f64 } else { 0.0 };
        p.revenue_share = (total > 0).then(|| p.net_revenue_minor as f64 / total as f64);
        p.centroid =
            [c.first().copied().unwrap_or(0.0), c.get(1).copied().unwrap_or(0.0), c.get(2).copied().unwrap_or(0.0)];
    }
    raw.sort_by(|a, b| b.mean_monetary.total_cmp(&a.mean_monetary).then(a.cluster.cmp(&b.cluster)));
    let mut new_label = vec![0usize; k];
    for (new, p) in raw.iter_mut().enumerate() {
        if let Some(slot) = new_label.get_mut(p.cluster) {
            *slot = new;
        }
        p.cluster = new;
    }
    let labels = fit.labels.iter().map(|&l| new_label.get(l).copied().unwrap_or(l)).collect();
    (labels, raw)
}
