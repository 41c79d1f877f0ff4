//! Quasi-Newton minimisation: the variable-metric (BFGS) method with backtracking line search
//! of Nash (1990, "Compact Numerical Methods for Computers", algorithm 21), the method R's
//! `optim(method = "BFGS")` uses, here with forward-difference gradients.

/// Result of a minimisation.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// Best point found.
    pub(crate) x: Vec<f64>,
    /// Objective there.
    pub(crate) value: f64,
    /// Whether the relative-change criterion was met before the iteration limit.
    pub(crate) converged: bool,
}

const STEP_REDUCTION: f64 = 0.2;
const ACCEPT_TOL: f64 = 1e-4;
const REL_TEST: f64 = 10.0;
const REL_TOL: f64 = 1e-8;
const GRAD_STEP: f64 = 1e-6;

/// Forward-difference gradient; falls back to a backward difference where the forward point
/// is outside the objective's domain.
fn gradient(f: &mut impl FnMut(&[f64]) -> f64, x: &[f64], fx: f64) -> Vec<f64> {
    let mut probe = x.to_vec();
    let mut g = vec![0.0; x.len()];
    for i in 0..x.len() {
        let h = GRAD_STEP * x[i].abs().max(1.0);
        probe[i] = x[i] + h;
        let up = f(&probe);
        g[i] = if up.is_finite() {
            (up - fx) / h
        } else {
            probe[i] = x[i] - h;
            let down = f(&probe);
            if down.is_finite() { (fx - down) / h } else { 0.0 }
        };
        probe[i] = x[i];
    }
    g
}

/// Minimises `f` from `x0` with at most `max_iter` gradient evaluations. `f` returns a
/// non-finite value outside its domain; such points are never accepted.
pub(crate) fn minimize(mut f: impl FnMut(&[f64]) -> f64, x0: &[f64], max_iter: usize) -> Minimum {
    let n = x0.len();
    let mut b = x0.to_vec();
    let mut fmin = f(&b);
    if n == 0 || !fmin.is_finite() {
        return Minimum { x: b, value: fmin, converged: n == 0 && fmin.is_finite() };
    }
    let mut g = gradient(&mut f, &b, fmin);
    let mut inv_hess = vec![0.0; n * n];
    let mut ilast = 0usize;
    let mut gradcount = 0usize;
    let mut iter = 1usize;
    let mut x = vec![0.0; n];
    let mut c = vec![0.0; n];
    let mut t = vec![0.0; n];
    let mut converged = false;
    loop {
        if ilast == gradcount {
            inv_hess.iter_mut().for_each(|v| *v = 0.0);
            for i in 0..n {
                inv_hess[i * n + i] = 1.0;
            }
        }
        x.copy_from_slice(&b);
        c.copy_from_slice(&g);
        for i in 0..n {
            t[i] = -(0..n).map(|j| inv_hess[i * n + j] * g[j]).sum::<f64>();
        }
        let gradproj: f64 = t.iter().zip(&g).map(|(a, b)| a * b).sum();
        let mut count;
        if gradproj < 0.0 {
            let mut steplength = 1.0;
            let mut value = fmin;
            loop {
                count = 0;
                for i in 0..n {
                    b[i] = x[i] + steplength * t[i];
                    if REL_TEST + x[i] == REL_TEST + b[i] {
                        count += 1;
                    }
                }
                if count < n {
                    value = f(&b);
                    let accept = value.is_finite() && value <= fmin + gradproj * steplength * ACCEPT_TOL;
                    if accept {
                        break;
                    }
                    steplength *= STEP_REDUCTION;
                } else {
                    break;
                }
            }
            if count < n && (value - fmin).abs() <= REL_TOL * (fmin.abs() + REL_TOL) {
                // Accepted, but the objective no longer changes: restart once from steepest
                // descent; stop if that does not help either.
                fmin = value;
                if ilast < gradcount {
                    g = gradient(&mut f, &b, fmin);
                    gradcount += 1;
                    ilast = gradcount;
                    iter += 1;
                    if iter >= max_iter {
                        break;
                    }
                    continue;
                }
                converged = true;
                break;
            }
            if count < n {
                fmin = value;
                g = gradient(&mut f, &b, fmin);
                gradcount += 1;
                iter += 1;
                for i in 0..n {
                    t[i] *= steplength;
                    c[i] = g[i] - c[i];
                }
                let d1: f64 = t.iter().zip(&c).map(|(a, b)| a * b).sum();
                if d1 > 0.0 {
                    for i in 0..n {
                        x[i] = (0..n).map(|j| inv_hess[i * n + j] * c[j]).sum();
                    }
                    let d2 = 1.0 + c.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>() / d1;
                    for i in 0..n {
                        for j in 0..n {
                            inv_hess[i * n + j] += (d2 * t[i] * t[j] - x[i] * t[j] - t[i] * x[j]) / d1;
                        }
                    }
                } else {
                    ilast = gradcount;
                }
            } else {
                // No progress along this direction: restart from steepest descent once.
                b.copy_from_slice(&x);
                if ilast < gradcount {
                    ilast = gradcount;
                } else {
                    converged = true;
                    break;
                }
            }
        } else if ilast == gradcount {
            converged = true;
            break;
        } else {
            ilast = gradcount;
        }
        if iter >= max_iter {
            break;
        }
        if gradcount - ilast > 2 * n {
            ilast = gradcount;
        }
    }
    Minimum { x: b, value: fmin, converged }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimize(rosen, &[-1.2, 1.0], 500);
        assert!((m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3, "{:?}", m.x);
    }

    #[test]
    fn respects_domain() {
        // Minimum at the boundary of the domain x > 0 approached from inside.
        let f = |x: &[f64]| if x[0] <= 0.0 { f64::INFINITY } else { x[0] - x[0].ln() };
        let m = minimize(f, &[3.0], 200);
        assert!((m.x[0] - 1.0).abs() < 1e-3);
    }
}
