//! Parameter restrictions: the "usual" bounds and the admissible (forecastable) region of
//! Hyndman et al. (2008, ch. 10), checked together as R `forecast::ets(bounds = "both")` does.

use super::recursion::EtsParams;

/// Lower and upper bounds of `alpha`, `beta`, `gamma`, `phi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bounds {
    pub(crate) lower: [f64; 4],
    pub(crate) upper: [f64; 4],
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { lower: [1e-4, 1e-4, 1e-4, 0.8], upper: [0.9999, 0.9999, 0.9999, 0.98] }
    }
}

/// Which parameters the model has (the others are not checked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Present {
    pub(crate) trend: bool,
    pub(crate) season: bool,
    pub(crate) damped: bool,
}

/// Buffers of the root test, kept between calls so the optimiser's objective allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct RootScratch {
    poly: Vec<f64>,
    reduced: Vec<f64>,
}

/// The usual bounds (`beta < alpha`, `gamma < 1 - alpha`, box bounds) and admissibility.
pub(crate) fn params_ok(p: &EtsParams, present: Present, m: usize, bounds: &Bounds, scratch: &mut RootScratch) -> bool {
    let EtsParams { alpha, beta, gamma, phi } = *p;
    let (lo, up) = (bounds.lower, bounds.upper);
    if !(alpha >= lo[0] && alpha <= up[0]) {
        return false;
    }
    if present.trend && !(beta >= lo[1] && beta <= alpha && beta <= up[1]) {
        return false;
    }
    if present.damped && !(phi >= lo[3] && phi <= up[3]) {
        return false;
    }
    if present.season && !(gamma >= lo[2] && gamma <= 1.0 - alpha && gamma <= up[2]) {
        return false;
    }
    admissible(p, present, m, scratch)
}

/// Whether the parameters give a forecastable model (all discount roots inside the unit circle).
pub(crate) fn admissible(p: &EtsParams, present: Present, m: usize, scratch: &mut RootScratch) -> bool {
    let alpha = p.alpha;
    let phi = if present.damped { p.phi } else { 1.0 };
    if !(0.0..=1.0 + 1e-8).contains(&phi) {
        return false;
    }
    let beta = if present.trend { p.beta } else { 0.0 };
    if !present.season || m < 2 {
        if alpha < 1.0 - 1.0 / phi || alpha > 1.0 + 1.0 / phi {
            return false;
        }
        if present.trend && (beta < alpha * (phi - 1.0) || beta > (1.0 + phi) * (2.0 - alpha)) {
            return false;
        }
        return true;
    }
    let gamma = p.gamma;
    let mf = m as f64;
    if gamma < (1.0 - 1.0 / phi - alpha).max(0.0) || gamma > 1.0 + 1.0 / phi - alpha {
        return false;
    }
    if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - mf + phi + phi * mf) / (2.0 * phi * mf) {
        return false;
    }
    if beta < -(1.0 - phi) * (gamma / mf + alpha) {
        return false;
    }
    // Characteristic polynomial, coefficients from the constant term up (degree m + 1, monic).
    let poly = &mut scratch.poly;
    poly.clear();
    poly.push(phi * (1.0 - alpha - gamma));
    poly.push(alpha + beta - alpha * phi + gamma - 1.0);
    poly.extend(std::iter::repeat_n(alpha + beta - alpha * phi, m - 2));
    poly.push(alpha + beta - phi);
    poly.push(1.0);
    roots_within_in(poly, &mut scratch.reduced, 1.0 + 1e-10)
}

/// Whether every root of the polynomial (coefficients from the constant term up) has modulus
/// at most `radius`, by the Schur–Cohn–Jury step-down test on `P(radius * z)`.
#[cfg(test)]
pub(crate) fn roots_within(poly: &[f64], radius: f64) -> bool {
    roots_within_in(&mut poly.to_vec(), &mut Vec::new(), radius)
}

/// [`roots_within`] working in place: `a` holds the polynomial (destroyed), `b` is scratch.
pub(crate) fn roots_within_in(a: &mut Vec<f64>, b: &mut Vec<f64>, radius: f64) -> bool {
    if radius != 1.0 {
        let mut scale = 1.0;
        for c in a.iter_mut() {
            *c *= scale;
            scale *= radius;
        }
    }
    while a.last().is_some_and(|&c| c == 0.0) {
        a.pop();
    }
    b.clear();
    b.resize(a.len(), 0.0);
    while a.len() > 1 {
        let n = a.len() - 1;
        let (lead, constant) = (a[n], a[0]);
        if !(lead.is_finite() && constant.is_finite()) || constant.abs() >= lead.abs() {
            return false;
        }
        // B(z) = (lead * A(z) - constant * A*(z)) / z has the same number of roots inside.
        let mut norm = 0.0f64;
        for i in 1..=n {
            b[i - 1] = lead * a[i] - constant * a[n - i];
            norm = norm.max(b[i - 1].abs());
        }
        if norm == 0.0 {
            return false;
        }
        a.truncate(n);
        // Rescaling only keeps the numbers in range; one division, then products.
        let inv = 1.0 / norm;
        for (dst, src) in a.iter_mut().zip(b.iter()) {
            *dst = src * inv;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(alpha: f64, beta: f64, gamma: f64, phi: f64) -> EtsParams {
        EtsParams { alpha, beta, gamma, phi }
    }

    #[test]
    fn root_test_matches_known_polynomials() {
        // (z - 0.5)(z + 0.8) = z^2 + 0.3 z - 0.4: roots inside.
        assert!(roots_within(&[-0.4, 0.3, 1.0], 1.0));
        // (z - 1.5)(z - 0.2) = z^2 - 1.7 z + 0.3: one root outside.
        assert!(!roots_within(&[0.3, -1.7, 1.0], 1.0));
        // (z^2 + 0.81): complex roots of modulus 0.9.
        assert!(roots_within(&[0.81, 0.0, 1.0], 1.0));
        assert!(!roots_within(&[0.81, 0.0, 1.0], 0.85));
        // A root exactly on the circle passes with a tolerance radius.
        assert!(roots_within(&[-1.0, 1.0], 1.0 + 1e-10));
    }

    #[test]
    fn usual_bounds() {
        let b = Bounds::default();
        let all = Present { trend: true, season: true, damped: true };
        assert!(params_ok(&p(0.3, 0.1, 0.2, 0.9), all, 4, &b, &mut RootScratch::default()));
        assert!(!params_ok(&p(0.3, 0.4, 0.2, 0.9), all, 4, &b, &mut RootScratch::default()), "beta > alpha");
        assert!(!params_ok(&p(0.8, 0.1, 0.3, 0.9), all, 4, &b, &mut RootScratch::default()), "gamma > 1 - alpha");
        assert!(!params_ok(&p(0.3, 0.1, 0.2, 0.99), all, 4, &b, &mut RootScratch::default()), "phi above 0.98");
        assert!(!params_ok(&p(0.0, 0.0, 0.2, 0.9), all, 4, &b, &mut RootScratch::default()), "alpha below 1e-4");
        let ses = Present { trend: false, season: false, damped: false };
        assert!(params_ok(&p(0.9999, 0.0, 0.0, 1.0), ses, 1, &b, &mut RootScratch::default()));
    }

    #[test]
    fn seasonal_admissibility() {
        let present = Present { trend: true, season: true, damped: false };
        // Typical fitted values are admissible.
        assert!(admissible(&p(0.1, 0.01, 0.1, 1.0), present, 12, &mut RootScratch::default()));
        assert!(admissible(&p(0.5, 0.2, 0.3, 1.0), present, 4, &mut RootScratch::default()));
        // Large beta with large gamma leaves the admissible region.
        assert!(!admissible(&p(0.9, 3.5, 0.05, 1.0), present, 4, &mut RootScratch::default()));
    }
}
