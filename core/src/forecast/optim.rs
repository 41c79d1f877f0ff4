//! Derivative-free minimisers used to fit smoothing parameters.

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

/// Result of [`nelder_mead`].
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// The best point found.
    pub(crate) x: Vec<f64>,
}

/// Bounded Nelder–Mead simplex search (adaptive coefficients of Gao & Han 2012). Points are
/// clamped into `[lower, upper]`; non-finite objective values count as `+∞`. Stops when the
/// standard deviation of the simplex values falls below `tol` or after `max_iter` iterations.
pub(crate) fn nelder_mead(
    f: impl Fn(&[f64]) -> f64,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    tol: f64,
    max_iter: usize,
) -> Minimum {
    let n = x0.len();
    let clamp = |x: &mut Vec<f64>| {
        for (i, v) in x.iter_mut().enumerate() {
            *v = v.clamp(lower[i], upper[i]);
        }
    };
    let eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    if n == 0 {
        return Minimum { x: Vec::new() };
    }
    let nf = n as f64;
    let (alpha, gamma, rho, sigma) = (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut start = x0.to_vec();
    clamp(&mut start);
    simplex.push(start.clone());
    for i in 0..n {
        let mut p = start.clone();
        p[i] = if p[i] == 0.0 { 1e-4 } else { p[i] * 1.05 };
        if p[i] == start[i] || p[i] > upper[i] {
            p[i] = start[i] - 0.05 * (upper[i] - lower[i]).clamp(1e-4, 1.0);
        }
        clamp(&mut p);
        simplex.push(p);
    }
    let mut values: Vec<f64> = simplex.iter().map(|p| eval(p)).collect();
    for _ in 0..max_iter {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let (best, worst, second) = (order[0], order[n], order[n - 1]);
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.len() == values.len() {
            let m = finite.iter().sum::<f64>() / finite.len() as f64;
            let sd = (finite.iter().map(|v| (v - m).powi(2)).sum::<f64>() / finite.len() as f64).sqrt();
            if sd < tol {
                break;
            }
        }
        let mut centroid = vec![0.0; n];
        for &i in &order[..n] {
            for (c, v) in centroid.iter_mut().zip(&simplex[i]) {
                *c += v / nf;
            }
        }
        let along = |t: f64| -> Vec<f64> {
            let mut p: Vec<f64> = centroid.iter().zip(&simplex[worst]).map(|(c, w)| c + t * (c - w)).collect();
            clamp(&mut p);
            p
        };
        let xr = along(alpha);
        let fr = eval(&xr);
        if values[best] <= fr && fr < values[second] {
            simplex[worst] = xr;
            values[worst] = fr;
            continue;
        }
        if fr < values[best] {
            let xe = along(alpha * gamma);
            let fe = eval(&xe);
            if fe < fr {
                simplex[worst] = xe;
                values[worst] = fe;
            } else {
                simplex[worst] = xr;
                values[worst] = fr;
            }
            continue;
        }
        if fr < values[worst] {
            let xc = along(alpha * rho);
            let fcv = eval(&xc);
            if fcv <= fr {
                simplex[worst] = xc;
                values[worst] = fcv;
                continue;
            }
        } else {
            let xc = along(-rho);
            let fcv = eval(&xc);
            if fcv < values[worst] {
                simplex[worst] = xc;
                values[worst] = fcv;
                continue;
            }
        }
        let anchor = simplex[best].clone();
        for &i in &order[1..] {
            let mut p: Vec<f64> = anchor.iter().zip(&simplex[i]).map(|(b, v)| b + sigma * (v - b)).collect();
            clamp(&mut p);
            values[i] = eval(&p);
            simplex[i] = p;
        }
    }
    let best = (0..=n).min_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0);
    Minimum { x: simplex[best].clone() }
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

    #[test]
    fn nelder_mead_finds_rosenbrock_minimum_within_bounds() {
        let f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = nelder_mead(f, &[-1.0, 2.0], &[-5.0, -5.0], &[5.0, 5.0], 1e-14, 5000);
        assert!((m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3, "{:?}", m.x);
        let m = nelder_mead(|x: &[f64]| (x[0] - 3.0).powi(2), &[0.5], &[0.0], &[1.0], 1e-14, 500);
        assert!((m.x[0] - 1.0).abs() < 1e-9);
    }
}
