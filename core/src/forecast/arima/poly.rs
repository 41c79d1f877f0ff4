//! Lag polynomials: seasonal expansion, the partial-autocorrelation reparametrisation that keeps
//! AR parts stationary (Jones 1980, as in R's `arima(transform.pars = TRUE)`), and root tests.

/// Expands `(1 - Σ ar_i B^i)(1 - Σ sar_j B^{mj})` into the coefficients `phi` of
/// `1 - Σ phi_k B^k` (length `p + m P`).
pub(crate) fn expand_ar(ar: &[f64], sar: &[f64], m: usize) -> Vec<f64> {
    let len = ar.len() + m * sar.len();
    let mut phi = vec![0.0; len];
    phi[..ar.len()].copy_from_slice(ar);
    for (j, &s) in sar.iter().enumerate() {
        let lag = (j + 1) * m;
        phi[lag - 1] += s;
        for (i, &a) in ar.iter().enumerate() {
            phi[lag + i] -= a * s;
        }
    }
    phi
}

/// Expands `(1 + Σ ma_i B^i)(1 + Σ sma_j B^{mj})` into `theta` of `1 + Σ theta_k B^k`.
pub(crate) fn expand_ma(ma: &[f64], sma: &[f64], m: usize) -> Vec<f64> {
    let len = ma.len() + m * sma.len();
    let mut theta = vec![0.0; len];
    theta[..ma.len()].copy_from_slice(ma);
    for (j, &s) in sma.iter().enumerate() {
        let lag = (j + 1) * m;
        theta[lag - 1] += s;
        for (i, &a) in ma.iter().enumerate() {
            theta[lag + i] += a * s;
        }
    }
    theta
}

/// Maps unconstrained values to the coefficients of a stationary AR polynomial: each value
/// becomes a partial autocorrelation `tanh(raw)` in (-1, 1), and the Durbin–Levinson recursion
/// turns the partial autocorrelations into AR coefficients.
pub(crate) fn to_stationary(raw: &[f64]) -> Vec<f64> {
    let mut coef: Vec<f64> = raw.iter().map(|r| r.tanh()).collect();
    let mut work = coef.clone();
    for j in 1..coef.len() {
        let a = coef[j];
        for k in 0..j {
            work[k] = coef[k] - a * coef[j - k - 1];
        }
        coef[..j].copy_from_slice(&work[..j]);
    }
    coef
}

/// Partial autocorrelations of an AR polynomial by the step-down (Schur–Cohn) recursion;
/// `None` when the polynomial is not stationary (some partial autocorrelation outside (-1, 1)).
pub(crate) fn partial_autocorrelations(phi: &[f64]) -> Option<Vec<f64>> {
    let mut coef = phi.to_vec();
    let mut work = coef.clone();
    for j in (1..coef.len()).rev() {
        let a = coef[j];
        if a.abs() >= 1.0 || !a.is_finite() {
            return None;
        }
        let denom = 1.0 - a * a;
        for k in 0..j {
            work[k] = (coef[k] + a * coef[j - k - 1]) / denom;
        }
        coef[..j].copy_from_slice(&work[..j]);
    }
    match coef.first() {
        Some(a) if a.abs() >= 1.0 || !a.is_finite() => None,
        _ => Some(coef),
    }
}

/// The inverse of [`to_stationary`]; `None` when `phi` is not stationary.
pub(crate) fn from_stationary(phi: &[f64]) -> Option<Vec<f64>> {
    partial_autocorrelations(phi).map(|pacf| pacf.iter().map(|a| a.atanh()).collect())
}

/// Whether every root of `1 - Σ phi_k z^k` lies outside the circle of radius `radius`.
///
/// The roots of `phi(z)` lie outside radius `ρ` exactly when those of `phi(ρ z)` lie outside
/// the unit circle, so the step-down recursion on the scaled coefficients decides it.
pub(crate) fn roots_outside(phi: &[f64], radius: f64) -> bool {
    let last = phi.iter().rposition(|c| c.abs() > 1e-8);
    let Some(last) = last else { return true };
    let mut scale = 1.0;
    let scaled: Vec<f64> = phi[..=last]
        .iter()
        .map(|c| {
            scale *= radius;
            c * scale
        })
        .collect();
    partial_autocorrelations(&scaled).is_some()
}

/// Makes `1 + Σ theta_k z^k` invertible (roots outside the unit circle) by shrinking the
/// coefficients geometrically; used only for starting values.
pub(crate) fn shrink_to_invertible(theta: &mut [f64]) {
    for _ in 0..50 {
        let neg: Vec<f64> = theta.iter().map(|t| -t).collect();
        if roots_outside(&neg, 1.0 + 1e-6) {
            return;
        }
        let mut f = 1.0;
        for t in theta.iter_mut() {
            f *= 0.9;
            *t *= f;
        }
    }
    theta.iter_mut().for_each(|t| *t = 0.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_expansion_multiplies_polynomials() {
        // (1 - 0.5B)(1 - 0.3B^4) = 1 - 0.5B - 0.3B^4 + 0.15B^5
        let phi = expand_ar(&[0.5], &[0.3], 4);
        assert_eq!(phi, vec![0.5, 0.0, 0.0, 0.3, -0.15]);
        // (1 + 0.5B)(1 + 0.3B^2) = 1 + 0.5B + 0.3B^2 + 0.15B^3
        let theta = expand_ma(&[0.5], &[0.3], 2);
        assert_eq!(theta, vec![0.5, 0.3, 0.15]);
    }

    #[test]
    fn stationary_transform_round_trips() {
        let raw = [0.3, -1.2, 0.7];
        let phi = to_stationary(&raw);
        assert!(roots_outside(&phi, 1.0));
        let back = from_stationary(&phi).unwrap();
        for (a, b) in raw.iter().zip(&back) {
            assert!((a - b).abs() < 1e-10);
        }
    }

    #[test]
    fn root_test_detects_unit_and_near_unit_roots() {
        assert!(roots_outside(&[0.5], 1.0));
        assert!(!roots_outside(&[1.0], 1.0));
        assert!(!roots_outside(&[1.2, -0.2], 1.0)); // (1 - z)(1 - 0.2z) has a unit root
        assert!(!roots_outside(&[0.995], 1.01)); // root at 1.005 < 1.01
        assert!(roots_outside(&[0.98], 1.01));
        assert!(roots_outside(&[], 1.0));
    }
}
