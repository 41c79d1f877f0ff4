//! A bounded Nelder–Mead simplex minimiser with the dimension-adaptive coefficients of Gao &
//! Han (2012). Points outside the box bounds count as `+inf` (so the simplex contracts towards
//! a bound instead of collapsing onto it); other constraints are expressed by the objective
//! returning `+inf`.

/// Settings of one minimisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NelderMead {
    /// Maximum number of iterations per run.
    pub(crate) max_iterations: usize,
    /// Stop when the standard deviation of the simplex values falls below this.
    pub(crate) tolerance: f64,
    /// Restarts from the best point while they still improve by more than `tolerance`.
    pub(crate) restarts: usize,
}

/// Result of a minimisation.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub(crate) x: Vec<f64>,
    pub(crate) value: f64,
}

impl NelderMead {
    /// Minimises `f` from `x0` with initial simplex steps `step` (and `restart_step` for the
    /// restarts, typically wider to leave a local minimum), within `[lower, upper]`.
    pub(crate) fn minimize(
        &self,
        mut f: impl FnMut(&[f64]) -> f64,
        x0: &[f64],
        step: &[f64],
        restart_step: &[f64],
        lower: &[f64],
        upper: &[f64],
    ) -> Minimum {
        let mut best: Vec<f64> = x0.iter().enumerate().map(|(i, v)| v.clamp(lower[i], upper[i])).collect();
        let mut best_value = f(&best);
        for run in 0..=self.restarts {
            // The first run clamps moves into the box (reaches optima on a bound exactly); restarts
            // treat the outside as infinitely bad, which cannot collapse the simplex onto a face.
            let (x, value) =
                self.run(&mut f, &best, if run == 0 { step } else { restart_step }, lower, upper, run == 0);
            let improvement = best_value - value;
            if value < best_value || !best_value.is_finite() {
                best = x;
                best_value = value;
            }
            if run > 0 && (improvement.is_nan() || improvement <= self.tolerance) {
                break;
            }
        }
        Minimum { x: best, value: best_value }
    }

    fn run(
        &self,
        f: &mut impl FnMut(&[f64]) -> f64,
        x0: &[f64],
        step: &[f64],
        lower: &[f64],
        upper: &[f64],
        clamp_moves: bool,
    ) -> (Vec<f64>, f64) {
        let inside = |v: f64, i: usize| v >= lower[i] && v <= upper[i];
        let clamp = |x: &mut [f64]| {
            if clamp_moves {
                for (i, v) in x.iter_mut().enumerate() {
                    *v = v.clamp(lower[i], upper[i]);
                }
            }
        };
        let n = x0.len();
        let mut eval = |x: &[f64]| {
            if x.iter().enumerate().any(|(i, v)| !inside(*v, i)) {
                return f64::INFINITY;
            }
            let v = f(x);
            if v.is_nan() { f64::INFINITY } else { v }
        };
        let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
        simplex.push(x0.to_vec());
        for i in 0..n {
            // Step forwards, else backwards, else shorter steps, keeping the vertex in bounds.
            let mut v = x0.to_vec();
            let mut s_i = step[i];
            for _ in 0..12 {
                if inside(x0[i] + s_i, i) {
                    v[i] = x0[i] + s_i;
                    break;
                }
                if inside(x0[i] - s_i, i) {
                    v[i] = x0[i] - s_i;
                    break;
                }
                s_i /= 2.0;
            }
            simplex.push(v);
        }
        let mut values: Vec<f64> = simplex.iter().map(|x| eval(x)).collect();
        if n == 0 {
            return (x0.to_vec(), values[0]);
        }
        let nf = n as f64;
        let (reflect, expand, contract, shrink) =
            if n > 2 { (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf) } else { (1.0, 2.0, 0.5, 0.5) };
        let mut order: Vec<usize> = (0..=n).collect();
        let mut centroid = vec![0.0; n];
        let mut trial = vec![0.0; n];
        let mut trial2 = vec![0.0; n];
        for _ in 0..self.max_iterations {
            order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
            let (bi, wi, si) = (order[0], order[n], order[n - 1]);
            if converged(&values, self.tolerance) {
                break;
            }
            centroid.iter_mut().for_each(|c| *c = 0.0);
            for &k in &order[..n] {
                for (c, v) in centroid.iter_mut().zip(&simplex[k]) {
                    *c += v / nf;
                }
            }
            let towards = |coef: f64, out: &mut Vec<f64>, worst: &[f64]| {
                for i in 0..n {
                    out[i] = centroid[i] + coef * (centroid[i] - worst[i]);
                }
                clamp(out);
            };
            towards(reflect, &mut trial, &simplex[wi]);
            let fr = eval(&trial);
            if fr < values[bi] {
                towards(reflect * expand, &mut trial2, &simplex[wi]);
                let fe = eval(&trial2);
                if fe < fr {
                    simplex[wi].copy_from_slice(&trial2);
                    values[wi] = fe;
                } else {
                    simplex[wi].copy_from_slice(&trial);
                    values[wi] = fr;
                }
                continue;
            }
            if fr < values[si] {
                simplex[wi].copy_from_slice(&trial);
                values[wi] = fr;
                continue;
            }
            // Contraction: outside if the reflection improved on the worst, else inside.
            let (coef, reference) = if fr < values[wi] { (reflect * contract, fr) } else { (-contract, values[wi]) };
            towards(coef, &mut trial2, &simplex[wi]);
            let fc = eval(&trial2);
            if fc <= reference {
                simplex[wi].copy_from_slice(&trial2);
                values[wi] = fc;
                continue;
            }
            // Shrink towards the best vertex.
            let best = simplex[bi].clone();
            for k in 0..=n {
                if k == bi {
                    continue;
                }
                for i in 0..n {
                    simplex[k][i] = best[i] + shrink * (simplex[k][i] - best[i]);
                }
                values[k] = eval(&simplex[k]);
            }
        }
        let bi = (0..=n).min_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0);
        (simplex[bi].clone(), values[bi])
    }
}

fn converged(values: &[f64], tolerance: f64) -> bool {
    if values.iter().any(|v| !v.is_finite()) {
        return false;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    var.sqrt() < tolerance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_the_rosenbrock_function() {
        let nm = NelderMead { max_iterations: 5000, tolerance: 1e-12, restarts: 2 };
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = nm.minimize(rosen, &[-1.2, 1.0], &[0.1, 0.1], &[0.5, 0.5], &[-5.0, -5.0], &[5.0, 5.0]);
        assert!((m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3, "{:?}", m.x);
    }

    #[test]
    fn respects_bounds_and_infinite_regions() {
        let nm = NelderMead { max_iterations: 2000, tolerance: 1e-12, restarts: 1 };
        // Unconstrained minimum at (-3, 2); box keeps x >= 0; the region y > 1.5 is forbidden.
        let f = |x: &[f64]| if x[1] > 1.5 { f64::INFINITY } else { (x[0] + 3.0).powi(2) + (x[1] - 2.0).powi(2) };
        let m = nm.minimize(f, &[1.0, 0.0], &[0.5, 0.5], &[1.0, 1.0], &[0.0, -10.0], &[10.0, 10.0]);
        assert!(m.x[0].abs() < 1e-4 && (m.x[1] - 1.5).abs() < 1e-3, "{:?}", m.x);
        assert!(m.value.is_finite());
    }

    #[test]
    fn five_dimensional_quadratic() {
        let nm = NelderMead { max_iterations: 5000, tolerance: 1e-14, restarts: 2 };
        let f = |x: &[f64]| x.iter().enumerate().map(|(i, v)| (i + 1) as f64 * (v - i as f64).powi(2)).sum();
        let m = nm.minimize(f, &[0.0; 5], &[1.0; 5], &[2.0; 5], &[-100.0; 5], &[100.0; 5]);
        for (i, v) in m.x.iter().enumerate() {
            assert!((v - i as f64).abs() < 1e-3, "{:?}", m.x);
        }
    }
}
