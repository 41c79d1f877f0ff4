//! Conditional sum of squares: the residuals of the differenced series given zero pre-sample
//! innovations, used for starting values and for the fast approximation during model search.

/// Differences `y` in place, `d` times at lag 1 and `seasonal_d` times at lag `m`; the first
/// `d + m seasonal_d` entries are left undefined (not used afterwards).
pub(crate) fn difference_in_place(w: &mut [f64], d: usize, seasonal_d: usize, m: usize) {
    for _ in 0..d {
        for t in (1..w.len()).rev() {
            w[t] -= w[t - 1];
        }
    }
    for _ in 0..seasonal_d {
        for t in (m..w.len()).rev() {
            w[t] -= w[t - m];
        }
    }
}

/// Sum of squared conditional residuals, their count, and the residuals themselves (zero
/// before `ncond`). `w` is the differenced series (see [`difference_in_place`]).
pub(crate) fn css_residuals(w: &[f64], phi: &[f64], theta: &[f64], ncond: usize) -> (f64, usize, Vec<f64>) {
    let n = w.len();
    let mut resid = vec![0.0; n];
    let mut ssq = 0.0;
    let mut count = 0;
    // Seasonal polynomials are mostly zeros: only the non-zero lags enter the sums.
    let sparse = |c: &[f64]| -> Vec<(usize, f64)> {
        c.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(j, &v)| (j + 1, v)).collect()
    };
    let (ar, ma) = (sparse(phi), sparse(theta));
    for t in ncond..n {
        let mut e = w[t];
        for &(lag, ph) in &ar {
            if lag <= t {
                e -= ph * w[t - lag];
            }
        }
        let lags = t - ncond;
        for &(lag, th) in &ma {
            if lag <= lags {
                e -= th * resid[t - lag];
            }
        }
        resid[t] = e;
        if e.is_finite() {
            ssq += e * e;
            count += 1;
        }
    }
    (ssq, count, resid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differencing_and_ar_residuals() {
        let mut w = vec![1.0, 2.0, 4.0, 7.0, 11.0];
        difference_in_place(&mut w, 1, 0, 1);
        assert_eq!(&w[1..], &[1.0, 2.0, 3.0, 4.0]);
        // AR(1) with phi = 1 on the differences leaves residuals of 1 from t = 2.
        let (ssq, count, resid) = css_residuals(&w, &[1.0], &[], 2);
        assert_eq!(count, 3);
        assert!((ssq - 3.0).abs() < 1e-12);
        assert_eq!(resid[0], 0.0);
    }
}
