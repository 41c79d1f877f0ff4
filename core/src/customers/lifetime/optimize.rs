//! A Nelder–Mead simplex minimiser for the small, smooth likelihoods of the lifetime models.

/// The result of a minimisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    /// The best point found.
    pub(crate) x: Vec<f64>,
    /// The objective at `x`.
    pub(crate) value: f64,
    /// Objective evaluations used.
    pub(crate) evaluations: usize,
    /// Whether the simplex shrank below the tolerances before the budget ran out.
    pub(crate) converged: bool,
}

/// Minimises `f` from `start` with the standard Nelder–Mead moves (reflection 1, expansion 2,
/// contraction ½, shrink ½), restarting from the best point until a restart no longer improves
/// it. Non-finite objective values count as +∞, so the search steps away from them.
pub(crate) fn nelder_mead(
    mut f: impl FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    max_evaluations: usize,
) -> Minimum {
    let mut eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let dim = start.len();
    if dim == 0 {
        return Minimum { x: Vec::new(), value: eval(start), evaluations: 1, converged: true };
    }
    let mut best = start.to_vec();
    let mut best_value = eval(&best);
    let mut evaluations = 1;
    let mut converged = false;
    for _restart in 0..20 {
        let (x, value, used, done) =
            simplex_run(&mut eval, &best, step, max_evaluations.saturating_sub(evaluations), dim);
        evaluations += used;
        let improved = best_value - value > 1e-12 * (1.0 + best_value.abs());
        if value <= best_value {
            best = x;
            best_value = value;
        }
        converged = done;
        if !improved || evaluations >= max_evaluations {
            break;
        }
    }
    Minimum { x: best, value: best_value, evaluations, converged }
}

fn simplex_run(
    eval: &mut impl FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    budget: usize,
    dim: usize,
) -> (Vec<f64>, f64, usize, bool) {
    let mut points: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..dim {
        let mut p = start.to_vec();
        if let Some(v) = p.get_mut(i) {
            *v += step;
        }
        points.push(p);
    }
    let mut values: Vec<f64> = points.iter().map(|p| eval(p)).collect();
    let mut used = points.len();
    let mut converged = false;
    while used < budget {
        // Order the vertices by value.
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        points = order.iter().map(|&i| points[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();
        let (lo, hi) = (values[0], values[dim]);
        let spread_x = points
            .iter()
            .skip(1)
            .flat_map(|p| p.iter().zip(&points[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if (hi - lo).abs() <= 1e-12 * (1.0 + lo.abs()) && spread_x <= 1e-9 {
            converged = true;
            break;
        }
        let centroid: Vec<f64> =
            (0..dim).map(|j| points.iter().take(dim).map(|p| p[j]).sum::<f64>() / dim as f64).collect();
        let worst = points[dim].clone();
        let along = |t: f64| -> Vec<f64> { centroid.iter().zip(&worst).map(|(c, w)| c + t * (c - w)).collect() };
        let reflected = along(1.0);
        let fr = eval(&reflected);
        used += 1;
        if fr < values[0] {
            let expanded = along(2.0);
            let fe = eval(&expanded);
            used += 1;
            if fe < fr {
                points[dim] = expanded;
                values[dim] = fe;
            } else {
                points[dim] = reflected;
                values[dim] = fr;
            }
        } else if fr < values[dim - 1] {
            points[dim] = reflected;
            values[dim] = fr;
        } else {
            let (contracted, fc) = if fr < values[dim] {
                let p = along(0.5);
                let v = eval(&p);
                (p, v)
            } else {
                let p = along(-0.5);
                let v = eval(&p);
                (p, v)
            };
            used += 1;
            if fc < values[dim].min(fr) {
                points[dim] = contracted;
                values[dim] = fc;
            } else {
                let best = points[0].clone();
                for i in 1..=dim {
                    points[i] = points[i].iter().zip(&best).map(|(p, b)| b + 0.5 * (p - b)).collect();
                    values[i] = eval(&points[i]);
                }
                used += dim;
            }
        }
    }
    let best_index = (0..values.len()).min_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0);
    (points.swap_remove(best_index), values[best_index], used, converged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = nelder_mead(rosen, &[-1.2, 1.0], 0.5, 20_000);
        assert!((m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5, "{m:?}");
        assert!(m.converged);
    }

    #[test]
    fn steps_away_from_non_finite_values() {
        let f = |x: &[f64]| if x[0] < 0.0 { f64::NAN } else { (x[0] - 2.0).powi(2) };
        let m = nelder_mead(f, &[0.5], 1.0, 5_000);
        assert!((m.x[0] - 2.0).abs() < 1e-5, "{m:?}");
    }
}
