//! One Nelder–Mead minimisation (its runs and restarts) as a state machine: [`Search::point`]
//! names the next point to evaluate, [`Search::tell`] reports its value.

use super::{Minimum, NelderMead};

/// Which move the pending point belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// The (clamped) start point.
    Start,
    /// Vertex `i` of a fresh simplex.
    Vertex(usize),
    /// The reflection of the worst vertex.
    Reflect,
    /// The expansion; carries the reflection's value.
    Expand(f64),
    /// A contraction; carries the value it must not exceed.
    Contract(f64),
    /// Vertex `k` after shrinking towards the best vertex.
    Shrink(usize),
    /// Nothing left to evaluate.
    Finished,
}

/// A minimisation in progress. Out-of-bounds points are never asked for: they count as `+∞`.
#[derive(Debug, Clone)]
pub(crate) struct Search<'a> {
    nm: NelderMead,
    step: &'a [f64],
    restart_step: &'a [f64],
    lower: &'a [f64],
    upper: &'a [f64],
    evaluations: usize,
    best: Vec<f64>,
    best_value: f64,
    converged: bool,
    /// Index of the current run (0 = first, then restarts).
    run: usize,
    iterations: usize,
    phase: Phase,
    /// The point to evaluate next.
    pending: Vec<f64>,
    simplex: Vec<Vec<f64>>,
    values: Vec<f64>,
    order: Vec<usize>,
    centroid: Vec<f64>,
    /// Reflection (kept while the expansion is evaluated).
    trial: Vec<f64>,
    /// Best, worst and second-worst vertex of the current iteration.
    bi: usize,
    wi: usize,
    si: usize,
}

impl<'a> Search<'a> {
    /// A search from `x0` (see [`NelderMead::minimize`] for the arguments).
    pub(crate) fn new(
        nm: NelderMead,
        x0: &[f64],
        step: &'a [f64],
        restart_step: &'a [f64],
        lower: &'a [f64],
        upper: &'a [f64],
    ) -> Self {
        let best: Vec<f64> = x0.iter().enumerate().map(|(i, v)| v.clamp(lower[i], upper[i])).collect();
        let n = x0.len();
        Search {
            nm,
            step,
            restart_step,
            lower,
            upper,
            evaluations: 0,
            pending: best.clone(),
            best,
            best_value: f64::INFINITY,
            converged: n == 0,
            run: 0,
            iterations: 0,
            phase: Phase::Start,
            simplex: Vec::new(),
            values: Vec::new(),
            order: Vec::new(),
            centroid: vec![0.0; n],
            trial: vec![0.0; n],
            bi: 0,
            wi: 0,
            si: 0,
        }
    }

    /// A search that goes straight to the restarts (with `restart_step`) from a minimum found
    /// earlier, as if its first run had ended there.
    pub(crate) fn restart_from(
        nm: NelderMead,
        from: Minimum,
        restart_step: &'a [f64],
        lower: &'a [f64],
        upper: &'a [f64],
    ) -> Self {
        let mut search = Search::new(nm, &from.x, restart_step, restart_step, lower, upper);
        search.best = from.x;
        search.best_value = from.value;
        search.converged = from.converged;
        search.run = 1;
        if search.nm.restarts == 0 {
            search.phase = Phase::Finished;
            return search;
        }
        search.begin_run();
        search.skip_outside();
        search
    }

    /// The point whose objective value is wanted next; `None` when the search is over.
    pub(crate) fn point(&self) -> Option<&[f64]> {
        (self.phase != Phase::Finished).then_some(self.pending.as_slice())
    }

    /// Reports the objective value at [`Search::point`] (non-finite values count as `+∞`).
    pub(crate) fn tell(&mut self, value: f64) {
        if self.phase == Phase::Finished {
            return;
        }
        self.evaluations += 1;
        self.advance(if value.is_finite() { value } else { f64::INFINITY });
        self.skip_outside();
    }

    /// Feeds `+∞` (without an evaluation) to pending points outside the box until one inside
    /// needs the objective.
    fn skip_outside(&mut self) {
        while self.phase != Phase::Finished && !self.inside(&self.pending) {
            self.advance(f64::INFINITY);
        }
    }

    /// The best point found.
    pub(crate) fn result(self) -> Minimum {
        Minimum { x: self.best, value: self.best_value, converged: self.converged }
    }

    fn inside(&self, x: &[f64]) -> bool {
        x.iter().enumerate().all(|(i, v)| *v >= self.lower[i] && *v <= self.upper[i])
    }

    fn n(&self) -> usize {
        self.best.len()
    }

    /// Takes the value of the pending point and sets up the next one.
    fn advance(&mut self, value: f64) {
        let n = self.n();
        match self.phase {
            Phase::Finished => {}
            Phase::Start => {
                self.best_value = value;
                self.begin_run();
            }
            Phase::Vertex(i) => {
                self.values[i] = value;
                if i < n {
                    self.pending.clone_from(&self.simplex[i + 1]);
                    self.phase = Phase::Vertex(i + 1);
                } else {
                    self.iterate();
                }
            }
            Phase::Reflect => {
                let fr = value;
                let (reflect, expand, contract, _) = self.nm.coefficients.for_dimension(n);
                let (bi, wi, si) = (self.bi, self.wi, self.si);
                if fr < self.values[bi] {
                    self.trial.clone_from(&self.pending);
                    self.towards(reflect * expand);
                    self.phase = Phase::Expand(fr);
                } else if fr < self.values[si] {
                    self.simplex[wi].copy_from_slice(&self.pending);
                    self.values[wi] = fr;
                    self.iterate();
                } else {
                    // Contraction: outside if the reflection improved on the worst, else inside.
                    let (coef, reference) =
                        if fr < self.values[wi] { (reflect * contract, fr) } else { (-contract, self.values[wi]) };
                    self.towards(coef);
                    self.phase = Phase::Contract(reference);
                }
            }
            Phase::Expand(fr) => {
                let wi = self.wi;
                if value < fr {
                    self.simplex[wi].copy_from_slice(&self.pending);
                    self.values[wi] = value;
                } else {
                    self.simplex[wi].copy_from_slice(&self.trial);
                    self.values[wi] = fr;
                }
                self.iterate();
            }
            Phase::Contract(reference) => {
                if value <= reference {
                    let wi = self.wi;
                    self.simplex[wi].copy_from_slice(&self.pending);
                    self.values[wi] = value;
                    self.iterate();
                } else {
                    self.shrink_from(0);
                }
            }
            Phase::Shrink(k) => {
                self.values[k] = value;
                self.shrink_from(k + 1);
            }
        }
    }

    /// Starts a run from the best point (or ends the search when no run may start).
    fn begin_run(&mut self) {
        let n = self.n();
        if n == 0 || self.evaluations >= self.nm.max_evaluations {
            self.phase = Phase::Finished;
            return;
        }
        let step = if self.run == 0 { self.step } else { self.restart_step };
        let x0 = &self.best;
        let (lower, upper) = (self.lower, self.upper);
        let inside = |v: f64, i: usize| v >= lower[i] && v <= upper[i];
        self.simplex.clear();
        self.simplex.push(x0.clone());
        for i in 0..n {
            // Step forwards, else backwards, else shorter steps, keeping the vertex in bounds.
            let mut v = x0.clone();
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
            self.simplex.push(v);
        }
        self.values.clear();
        self.values.resize(n + 1, f64::INFINITY);
        self.order.clear();
        self.order.extend(0..=n);
        self.iterations = 0;
        self.pending.clone_from(&self.simplex[0]);
        self.phase = Phase::Vertex(0);
    }

    /// The top of an iteration: convergence and budget checks, then the reflection.
    fn iterate(&mut self) {
        if self.iterations >= self.nm.max_iterations {
            self.end_run(false);
            return;
        }
        self.iterations += 1;
        let n = self.n();
        let values = &self.values;
        self.order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let (bi, wi, si) = (self.order[0], self.order[n], self.order[n - 1]);
        (self.bi, self.wi, self.si) = (bi, wi, si);
        if self.nm.converged(&self.values, &self.simplex, bi) {
            self.end_run(true);
            return;
        }
        if self.evaluations >= self.nm.max_evaluations {
            self.end_run(false);
            return;
        }
        let nf = n as f64;
        self.centroid.iter_mut().for_each(|c| *c = 0.0);
        for &k in &self.order[..n] {
            for (c, v) in self.centroid.iter_mut().zip(&self.simplex[k]) {
                *c += v / nf;
            }
        }
        let (reflect, ..) = self.nm.coefficients.for_dimension(n);
        self.towards(reflect);
        self.phase = Phase::Reflect;
    }

    /// Sets the pending point to `centroid + coef (centroid - worst)`, clamped into the box
    /// during the first run.
    fn towards(&mut self, coef: f64) {
        let worst = &self.simplex[self.wi];
        for (i, out) in self.pending.iter_mut().enumerate() {
            *out = self.centroid[i] + coef * (self.centroid[i] - worst[i]);
        }
        if self.run == 0 {
            for (i, v) in self.pending.iter_mut().enumerate() {
                *v = v.clamp(self.lower[i], self.upper[i]);
            }
        }
    }

    /// Shrinks vertices `k..` (all but the best) towards the best vertex, one at a time.
    fn shrink_from(&mut self, k: usize) {
        let n = self.n();
        let k = if k == self.bi { k + 1 } else { k };
        if k > n {
            self.iterate();
            return;
        }
        let (_, _, _, shrink) = self.nm.coefficients.for_dimension(n);
        let bi = self.bi;
        for i in 0..n {
            let b = self.simplex[bi][i];
            self.simplex[k][i] = b + shrink * (self.simplex[k][i] - b);
        }
        self.pending.clone_from(&self.simplex[k]);
        self.phase = Phase::Shrink(k);
    }

    /// Ends a run: keeps its best vertex if it improves, then restarts or finishes.
    fn end_run(&mut self, done: bool) {
        let n = self.n();
        let values = &self.values;
        let bi = (0..=n).min_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0);
        let value = self.values[bi];
        self.converged = done;
        let improvement = self.best_value - value;
        let threshold = self.nm.tolerance.at(self.best_value);
        if value < self.best_value || !self.best_value.is_finite() {
            self.best.clone_from(&self.simplex[bi]);
            self.best_value = value;
        }
        if self.run > 0 && (improvement.is_nan() || improvement <= threshold) {
            self.phase = Phase::Finished;
            return;
        }
        self.run += 1;
        if self.run > self.nm.restarts {
            self.phase = Phase::Finished;
            return;
        }
        self.begin_run();
    }
}
