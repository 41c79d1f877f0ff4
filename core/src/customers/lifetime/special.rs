//! Special functions for the lifetime-value likelihoods: log-gamma and the Gauss
//! hypergeometric function.

/// Coefficients of the Lanczos approximation with g = 7, n = 9 (about 15 significant digits).
const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// Natural log of the gamma function for `x > 0` (NaN otherwise).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let s = (std::f64::consts::PI * x).sin();
        return std::f64::consts::PI.ln() - s.abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + LANCZOS_G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// `ln(exp(a) + exp(b))` without overflow.
pub(crate) fn log_add_exp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The Gauss hypergeometric series ₂F₁(a, b; c; z) for `0 <= z < 1`, summed until the terms
/// stop mattering. `c` may be negative but not a non-positive integer (a pole: `None`), as in
/// BG/NBD with `a + b < 1` and no repeat purchase. `None` when it does not converge within the
/// term budget or overflows.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let pole = c <= 0.0 && c.fract() == 0.0;
    if !((0.0..1.0).contains(&z) && a.is_finite() && b.is_finite() && c.is_finite()) || pole {
        return None;
    }
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    for n in 0..200_000u32 {
        let n = n as f64;
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        if term.abs() <= 1e-16 * sum.abs() && n > 2.0 {
            return Some(sum);
        }
        if term == 0.0 {
            return Some(sum);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
        // Γ(0.1) = 9.513507698668731836...
        assert!((ln_gamma(0.1) - 9.513_507_698_668_732f64.ln()).abs() < 1e-12);
        // ln Γ(100) = 359.1342053695753987...
        assert!((ln_gamma(100.0) - 359.134_205_369_575_4).abs() < 1e-10);
        assert!(ln_gamma(-1.0).is_nan());
    }

    #[test]
    fn hyp2f1_known_values() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        let z = 0.7;
        let exact = -(1.0f64 - z).ln() / z;
        assert!((hyp2f1(1.0, 1.0, 2.0, z).unwrap() - exact).abs() < 1e-12);
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        assert!((hyp2f1(2.5, 3.0, 3.0, 0.3).unwrap() - 0.7f64.powf(-2.5)).abs() < 1e-12);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        // Negative non-integer c (scipy.special.hyp2f1(0.5, 1.2, -0.4, 0.3) = -0.13389811867787038).
        assert!((hyp2f1(0.5, 1.2, -0.4, 0.3).unwrap() + 0.133_898_118_677_870_38).abs() < 1e-12);
        assert!((hyp2f1(2.5, -0.3, -0.3, 0.3).unwrap() - 0.7f64.powf(-2.5)).abs() < 1e-12);
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.3), None);
        assert_eq!(hyp2f1(1.0, 1.0, 0.0, 0.3), None);
    }
}
