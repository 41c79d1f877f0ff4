//! Golden-section search for the minimum of a function of one variable.

/// Golden-section search for the minimum of a unimodal `f` on `[lo, hi]`, to an interval width
/// of `tol`. Non-finite objective values count as `+∞`.
pub(crate) fn golden_section(f: impl Fn(f64) -> f64, lo: f64, hi: f64, tol: f64) -> f64 {
    let inv_phi = (5.0_f64.sqrt() - 1.0) / 2.0;
    let eval = |x: f64| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let (mut a, mut b) = (lo, hi);
    let mut c = b - inv_phi * (b - a);
    let mut d = a + inv_phi * (b - a);
    let (mut fc, mut fd) = (eval(c), eval(d));
    for _ in 0..200 {
        if (b - a).abs() <= tol {
            break;
        }
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - inv_phi * (b - a);
            fc = eval(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + inv_phi * (b - a);
            fd = eval(d);
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_section_finds_parabola_minimum() {
        let x = golden_section(|a| (a - 0.23).powi(2), 0.1, 0.3, 1e-10);
        assert!((x - 0.23).abs() < 1e-8);
        // Minimum at the boundary.
        let x = golden_section(|a| a, 0.1, 0.3, 1e-10);
        assert!((x - 0.1).abs() < 1e-8);
    }
}
