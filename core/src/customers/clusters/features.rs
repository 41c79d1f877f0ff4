//! The feature matrix of k-means: standardised log recency, frequency and monetary value.

use crate::customers::rfm::RfmTable;

/// `sign(v) · ln(1 + |v|)`: a log scale that keeps zero at zero and negatives negative, so
/// net-negative monetary values (more returns than purchases) stay below every buyer.
pub(crate) fn signed_log1p(v: f64) -> f64 {
    v.signum() * v.abs().ln_1p()
}

/// Rows `[ln(1 + recency_days), ln(1 + frequency), sign(m)·ln(1 + |m|)]` (m in major units),
/// each column then standardised to mean 0 and (population) standard deviation 1. A constant
/// column becomes all zeros; its index is returned in the second value.
pub(crate) fn rfm_features(table: &RfmTable) -> (Vec<[f64; 3]>, Vec<usize>) {
    let mut rows: Vec<[f64; 3]> = table
        .rows
        .iter()
        .map(|r| [(r.recency_days.max(0) as f64).ln_1p(), (r.frequency as f64).ln_1p(), signed_log1p(r.monetary)])
        .collect();
    let constant = standardise(&mut rows);
    (rows, constant)
}

/// Standardises each column in place (population standard deviation); returns the constant columns.
pub(crate) fn standardise(rows: &mut [[f64; 3]]) -> Vec<usize> {
    let n = rows.len() as f64;
    let mut constant = Vec::new();
    if rows.is_empty() {
        return constant;
    }
    for j in 0..3 {
        let mean = rows.iter().map(|r| r[j]).sum::<f64>() / n;
        let var = rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n;
        let sd = var.sqrt();
        if sd > 1e-12 * (1.0 + mean.abs()) {
            rows.iter_mut().for_each(|r| r[j] = (r[j] - mean) / sd);
        } else {
            constant.push(j);
            rows.iter_mut().for_each(|r| r[j] = 0.0);
        }
    }
    constant
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardised_columns_and_constant_column() {
        let mut rows = vec![[1.0, 5.0, 0.0], [3.0, 5.0, 2.0]];
        assert_eq!(standardise(&mut rows), vec![1]);
        assert_eq!(rows, vec![[-1.0, 0.0, -1.0], [1.0, 0.0, 1.0]]);
        assert_eq!(signed_log1p(-(std::f64::consts::E - 1.0)), -1.0);
        assert_eq!(signed_log1p(0.0), 0.0);
    }
}
