//! A bounded Nelder–Mead simplex minimiser. Non-finite objective values count as `+∞`, so
//! other constraints are expressed by the objective returning `+∞`. The first run clamps its
//! moves into the box bounds (it reaches optima on a bound exactly); restarts from the best
//! point treat the outside as infinitely bad instead, which cannot collapse the simplex onto a
//! face of the box.
//!
//! The search is a state machine ([`Search`]: ask for a point, tell its value), so a caller
//! can advance several searches in lockstep and evaluate their points together;
//! [`NelderMead::minimize`] drives one search with a closure.

mod search;

pub(crate) use search::Search;

/// Reflection, expansion, contraction and shrink coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coefficients {
    /// The classic 1, 2, ½, ½.
    Standard,
    /// The dimension-adaptive coefficients of Gao & Han (2012) above two dimensions (the
    /// classic ones up to two, where they agree but for one dimension).
    Adaptive,
}

impl Coefficients {
    fn for_dimension(self, n: usize) -> (f64, f64, f64, f64) {
        let nf = n as f64;
        match self {
            Coefficients::Adaptive if n > 2 => (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf),
            _ => (1.0, 2.0, 0.5, 0.5),
        }
    }
}

/// A tolerance on objective values: `absolute + relative × (1 + |value|)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tolerance {
    /// Part independent of the value's size.
    pub(crate) absolute: f64,
    /// Part proportional to `1 + |value|`.
    pub(crate) relative: f64,
}

impl Tolerance {
    /// A tolerance in the units of the objective.
    pub(crate) const fn absolute(absolute: f64) -> Self {
        Tolerance { absolute, relative: 0.0 }
    }

    /// A tolerance relative to `1 + |value|`.
    pub(crate) const fn relative(relative: f64) -> Self {
        Tolerance { absolute: 0.0, relative }
    }

    fn at(self, value: f64) -> f64 {
        self.absolute + self.relative * (1.0 + value.abs())
    }
}

/// Settings of one minimisation. The default: 1,000 iterations, stop when the standard
/// deviation of the simplex values is below 1e-8, adaptive coefficients, no restart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NelderMead {
    /// Maximum number of iterations per run.
    pub(crate) max_iterations: usize,
    /// Maximum number of objective evaluations over all runs.
    pub(crate) max_evaluations: usize,
    /// A run stops when the standard deviation of the simplex values falls below this (taken
    /// at the best value) ...
    pub(crate) tolerance: Tolerance,
    /// ... and no vertex is farther than this from the best one in any coordinate.
    pub(crate) point_tolerance: f64,
    /// Restarts from the best point while they still improve it by more than `tolerance`.
    pub(crate) restarts: usize,
    /// Coefficients of the simplex moves.
    pub(crate) coefficients: Coefficients,
}

impl Default for NelderMead {
    fn default() -> Self {
        NelderMead {
            max_iterations: 1000,
            max_evaluations: usize::MAX,
            tolerance: Tolerance::absolute(1e-8),
            point_tolerance: f64::INFINITY,
            restarts: 0,
            coefficients: Coefficients::Adaptive,
        }
    }
}

/// Result of a minimisation.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// The best point found.
    pub(crate) x: Vec<f64>,
    /// The objective at `x` (`+∞` when no finite value was found).
    pub(crate) value: f64,
    /// Whether the last run met the stopping tolerances before its budget ran out.
    pub(crate) converged: bool,
}

impl NelderMead {
    /// A search to the limit of precision of a smooth objective: classic coefficients, runs
    /// until the simplex values agree to 1e-12 (relative) and its points to 1e-9, restarted
    /// while that still improves the value, within 20,000 evaluations.
    pub(crate) const PRECISE: NelderMead = NelderMead {
        max_iterations: usize::MAX,
        max_evaluations: 20_000,
        tolerance: Tolerance::relative(1e-12),
        point_tolerance: 1e-9,
        restarts: 19,
        coefficients: Coefficients::Standard,
    };

    /// Minimises `f` from `x0` with initial simplex steps `step` (and `restart_step` for the
    /// restarts, typically wider to leave a local minimum), within `[lower, upper]` (infinite
    /// bounds for an unbounded coordinate).
    pub(crate) fn minimize(
        &self,
        mut f: impl FnMut(&[f64]) -> f64,
        x0: &[f64],
        step: &[f64],
        restart_step: &[f64],
        lower: &[f64],
        upper: &[f64],
    ) -> Minimum {
        let mut search = Search::new(*self, x0, step, restart_step, lower, upper);
        while let Some(x) = search.point() {
            let value = f(x);
            search.tell(value);
        }
        search.result()
    }

    /// All values finite, their standard deviation below the tolerance and every vertex
    /// within the point tolerance of the best vertex `bi`.
    fn converged(&self, values: &[f64], simplex: &[Vec<f64>], bi: usize) -> bool {
        if values.iter().any(|v| !v.is_finite()) {
            return false;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        if var.sqrt() >= self.tolerance.at(values[bi]) {
            return false;
        }
        self.point_tolerance.is_infinite()
            || simplex.iter().all(|p| p.iter().zip(&simplex[bi]).all(|(a, b)| (a - b).abs() <= self.point_tolerance))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64]) -> f64 {
        (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
    }

    #[test]
    fn minimises_the_rosenbrock_function() {
        let nm = NelderMead {
            max_iterations: 5000,
            tolerance: Tolerance::absolute(1e-12),
            restarts: 2,
            ..Default::default()
        };
        let m = nm.minimize(rosenbrock, &[-1.2, 1.0], &[0.1, 0.1], &[0.5, 0.5], &[-5.0, -5.0], &[5.0, 5.0]);
        assert!((m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3, "{:?}", m.x);
    }

    #[test]
    fn relative_and_point_tolerances_reach_the_minimum_closely() {
        let nm = NelderMead::PRECISE;
        let free = [f64::NEG_INFINITY, f64::INFINITY];
        let m = nm.minimize(rosenbrock, &[-1.2, 1.0], &[0.5; 2], &[0.5; 2], &[free[0]; 2], &[free[1]; 2]);
        assert!((m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5, "{m:?}");
        assert!(m.converged);
    }

    #[test]
    fn the_evaluation_budget_stops_the_search() {
        let nm =
            NelderMead { max_evaluations: 30, tolerance: Tolerance::absolute(0.0), restarts: 5, ..Default::default() };
        let calls = std::cell::Cell::new(0);
        let f = |x: &[f64]| {
            calls.set(calls.get() + 1);
            rosenbrock(x)
        };
        let m = nm.minimize(f, &[-1.2, 1.0], &[0.1, 0.1], &[0.5, 0.5], &[-5.0, -5.0], &[5.0, 5.0]);
        assert!(!m.converged);
        assert!(calls.get() <= 34, "{}", calls.get());
    }

    #[test]
    fn respects_bounds_and_infinite_regions() {
        let nm = NelderMead {
            max_iterations: 2000,
            tolerance: Tolerance::absolute(1e-12),
            restarts: 1,
            ..Default::default()
        };
        // Unconstrained minimum at (-3, 2); box keeps x >= 0; the region y > 1.5 is forbidden.
        let f = |x: &[f64]| if x[1] > 1.5 { f64::INFINITY } else { (x[0] + 3.0).powi(2) + (x[1] - 2.0).powi(2) };
        let m = nm.minimize(f, &[1.0, 0.0], &[0.5, 0.5], &[1.0, 1.0], &[0.0, -10.0], &[10.0, 10.0]);
        assert!(m.x[0].abs() < 1e-4 && (m.x[1] - 1.5).abs() < 1e-3, "{:?}", m.x);
        assert!(m.value.is_finite());
        // A minimum outside the box is found on its bound exactly.
        let m = NelderMead { tolerance: Tolerance::absolute(1e-14), ..Default::default() }.minimize(
            |x: &[f64]| (x[0] - 3.0).powi(2),
            &[0.5],
            &[0.025],
            &[0.025],
            &[0.0],
            &[1.0],
        );
        assert!((m.x[0] - 1.0).abs() < 1e-9, "{m:?}");
    }

    #[test]
    fn steps_away_from_non_finite_values() {
        let nm = NelderMead {
            tolerance: Tolerance::relative(1e-12),
            point_tolerance: 1e-9,
            restarts: 19,
            ..Default::default()
        };
        let f = |x: &[f64]| if x[0] < 0.0 { f64::NAN } else { (x[0] - 2.0).powi(2) };
        let m = nm.minimize(f, &[0.5], &[1.0], &[1.0], &[f64::NEG_INFINITY], &[f64::INFINITY]);
        assert!((m.x[0] - 2.0).abs() < 1e-5, "{m:?}");
    }

    #[test]
    fn five_dimensional_quadratic() {
        let nm = NelderMead {
            max_iterations: 5000,
            tolerance: Tolerance::absolute(1e-14),
            restarts: 2,
            ..Default::default()
        };
        let f = |x: &[f64]| x.iter().enumerate().map(|(i, v)| (i + 1) as f64 * (v - i as f64).powi(2)).sum();
        let m = nm.minimize(f, &[0.0; 5], &[1.0; 5], &[2.0; 5], &[-100.0; 5], &[100.0; 5]);
        for (i, v) in m.x.iter().enumerate() {
            assert!((v - i as f64).abs() < 1e-3, "{:?}", m.x);
        }
    }

    #[test]
    fn searches_in_lockstep_match_separate_ones() {
        let nm = NelderMead { max_iterations: 3000, tolerance: Tolerance::absolute(1e-12), ..Default::default() };
        let (lower, upper) = ([-5.0; 2], [5.0; 2]);
        let alone = nm.minimize(rosenbrock, &[-1.2, 1.0], &[0.1; 2], &[0.5; 2], &lower, &upper);
        let mut a = Search::new(nm, &[-1.2, 1.0], &[0.1; 2], &[0.5; 2], &lower, &upper);
        let mut b = Search::new(nm, &[2.0, 2.0], &[0.1; 2], &[0.5; 2], &lower, &upper);
        while a.point().is_some() || b.point().is_some() {
            if let Some(x) = a.point() {
                let v = rosenbrock(x);
                a.tell(v);
            }
            if let Some(x) = b.point() {
                let v = rosenbrock(x);
                b.tell(v);
            }
        }
        let a = a.result();
        assert_eq!(a.x, alone.x);
        assert_eq!(a.value.to_bits(), alone.value.to_bits());
        // A restart from a minimum found earlier only improves on it.
        let from = Minimum { x: vec![0.5, 0.5], value: rosenbrock(&[0.5, 0.5]), converged: false };
        let mut again = Search::restart_from(NelderMead { restarts: 1, ..nm }, from, &[0.5; 2], &lower, &upper);
        while let Some(x) = again.point() {
            let v = rosenbrock(x);
            again.tell(v);
        }
        let again = again.result();
        assert!(again.value < 1e-6, "{again:?}");
        assert!(b.result().value < 1e-6);
    }

    #[test]
    fn no_parameters_is_the_start() {
        let m = NelderMead::default().minimize(|_: &[f64]| 4.0, &[], &[], &[], &[], &[]);
        assert!(m.x.is_empty() && m.value == 4.0 && m.converged);
    }
}
