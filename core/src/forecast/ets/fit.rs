//! Maximum-likelihood estimation of one ETS model: smoothing parameters and initial states
//! are optimised jointly by Nelder–Mead on `-2 log L` (concentrated over the error variance).

use serde::Serialize;

use super::EtsOptions;
use super::admissible::{Bounds, Present, RootScratch, params_ok};
use super::init::{initial_params, initial_states};
use super::likelihood::{Lane, neg2_loglik, neg2_loglik_pair};
use super::recursion::{EtsParams, EtsStates, Kernel};
use super::spec::{EtsSpec, SeasonType, TrendType};
use crate::optim::nelder_mead::{Minimum, NelderMead, Search, Tolerance};

/// A fitted ETS model: parameters, states, fit statistics and in-sample values.
///
/// `loglik` is the Gaussian log-likelihood without its constant term, as R `forecast::ets` and
/// statsforecast report it (`-0.5 (n log SSE + 2 Σ log|ŷ|)`, the second sum for
/// multiplicative errors only); `aic`, `aicc`, `bic` count every smoothing parameter, every
/// initial state and the error variance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EtsFit {
    /// The model.
    pub spec: EtsSpec,
    /// Season length used (1 for a non-seasonal model).
    pub season_length: usize,
    /// Smoothing parameters.
    pub params: EtsParams,
    /// Estimated states before the first observation.
    pub initial_states: EtsStates,
    /// States after the last observation (the forecast origin).
    pub final_states: EtsStates,
    /// Log-likelihood (without the constant term).
    pub loglik: f64,
    /// Akaike information criterion.
    pub aic: f64,
    /// Small-sample corrected AIC (the AutoETS selection criterion).
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Error variance estimate `SSE / (n - k - 1)` (relative errors for a multiplicative
    /// error), `k` = `n_params`.
    pub sigma2: f64,
    /// Mean squared one-step error (relative for a multiplicative error).
    pub mse: f64,
    /// Number of estimated parameters, including the error variance.
    pub n_params: usize,
    /// One-step-ahead in-sample forecasts.
    pub fitted: Vec<f64>,
    /// One-step errors: `y - fitted`, or `(y - fitted) / fitted` for a multiplicative error.
    pub residuals: Vec<f64>,
    /// Documented fallbacks used while fitting (also copied into forecasts).
    pub notes: Vec<String>,
    #[serde(skip)]
    pub(crate) simulation_paths: usize,
    #[serde(skip)]
    pub(crate) seed: u64,
    /// Divisor the series was fitted under (1 unless it was huge) and the error variance in
    /// those units, so intervals never square huge numbers.
    #[serde(skip)]
    pub(crate) scale: f64,
    #[serde(skip)]
    pub(crate) unit_sigma2: f64,
}

/// Which parameters are optimised and how the optimisation vector maps onto the model.
struct Layout {
    kernel: Kernel,
    present: Present,
    bounds: Bounds,
    /// Optimise the initial seasonal states (false for long cycles: kept at their start values).
    season_free: bool,
    start_season: Vec<f64>,
}

impl Layout {
    fn unpack(&self, x: &[f64], states: &mut EtsStates) -> EtsParams {
        let mut it = x.iter().copied();
        let mut next = |default: f64| it.next().unwrap_or(default);
        let alpha = next(0.5);
        let beta = if self.present.trend { next(0.0) } else { 0.0 };
        let gamma = if self.present.season { next(0.0) } else { 0.0 };
        let phi = if self.present.damped { next(1.0) } else { 1.0 };
        states.level = next(0.0);
        states.growth = if self.present.trend { next(0.0) } else { 0.0 };
        states.season.clear();
        if self.present.season {
            let m = self.kernel.m;
            if self.season_free {
                let mut sum = 0.0;
                for _ in 0..m - 1 {
                    let s = next(0.0);
                    sum += s;
                    states.season.push(s);
                }
                let multiplicative = self.kernel.spec.season == SeasonType::Multiplicative;
                states.season.push(if multiplicative { m as f64 - sum } else { -sum });
            } else {
                states.season.extend_from_slice(&self.start_season);
            }
        }
        EtsParams { alpha, beta, gamma, phi }
    }

    /// `-2 log L` at the optimisation vector `x` (`+∞` outside the feasible region).
    fn objective(&self, y: &[f64], x: &[f64], work: &mut Workspace) -> f64 {
        match self.load(x, work) {
            Some((p, level, growth)) => {
                floor(neg2_loglik(&Kernel { p, ..self.kernel }, y, level, growth, &mut work.cycle))
            }
            None => f64::INFINITY,
        }
    }

    /// [`Layout::objective`] at two points, the likelihood passes run side by side.
    fn objective_pair(&self, y: &[f64], xa: &[f64], xb: &[f64], wa: &mut Workspace, wb: &mut Workspace) -> (f64, f64) {
        let (a, b) = match (self.load(xa, wa), self.load(xb, wb)) {
            (Some((pa, la, ga)), Some((pb, lb, gb))) => {
                let a = Lane { params: pa, level: la, growth: ga, cycle: &mut wa.cycle };
                let b = Lane { params: pb, level: lb, growth: gb, cycle: &mut wb.cycle };
                neg2_loglik_pair(&self.kernel, y, a, b)
            }
            (Some((p, level, growth)), None) => {
                (neg2_loglik(&Kernel { p, ..self.kernel }, y, level, growth, &mut wa.cycle), f64::INFINITY)
            }
            (None, Some((p, level, growth))) => {
                (f64::INFINITY, neg2_loglik(&Kernel { p, ..self.kernel }, y, level, growth, &mut wb.cycle))
            }
            (None, None) => (f64::INFINITY, f64::INFINITY),
        };
        (floor(a), floor(b))
    }

    /// Smoothing parameters, initial level and growth at the optimisation vector `x`, with the
    /// seasonal ring `work.cycle` filled straight from `x` (no allocation); `None` outside the
    /// feasible region.
    fn load(&self, x: &[f64], work: &mut Workspace) -> Option<(EtsParams, f64, f64)> {
        let mut it = x.iter().copied();
        let mut next = |default: f64| it.next().unwrap_or(default);
        let alpha = next(0.5);
        let beta = if self.present.trend { next(0.0) } else { 0.0 };
        let gamma = if self.present.season { next(0.0) } else { 0.0 };
        let phi = if self.present.damped { next(1.0) } else { 1.0 };
        let p = EtsParams { alpha, beta, gamma, phi };
        if !params_ok(&p, self.present, self.kernel.m, &self.bounds, &mut work.roots) {
            return None;
        }
        let level = next(0.0);
        let growth = if self.present.trend { next(0.0) } else { 0.0 };
        // The ring holds the seasonal states in the order they are used: oldest first.
        let cycle = &mut work.cycle;
        cycle.clear();
        if self.present.season {
            let m = self.kernel.m;
            if self.season_free {
                cycle.resize(m, 0.0);
                let mut sum = 0.0;
                for k in (1..m).rev() {
                    let s = next(0.0);
                    sum += s;
                    cycle[k] = s;
                }
                let multiplicative = self.kernel.spec.season == SeasonType::Multiplicative;
                cycle[0] = if multiplicative { m as f64 - sum } else { -sum };
            } else {
                cycle.extend(self.start_season.iter().rev());
            }
            if self.kernel.spec.season == SeasonType::Multiplicative && cycle.iter().any(|s| *s < 0.0) {
                return None;
            }
        } else {
            cycle.push(0.0);
        }
        Some((p, level, growth))
    }
}

/// Keeps a degenerate perfect fit (`SSE → 0`) from dominating the search with `-∞`.
fn floor(neg2_loglik: f64) -> f64 {
    neg2_loglik.max(-1e10)
}

/// Buffers reused by every evaluation of the objective.
#[derive(Default)]
struct Workspace {
    cycle: Vec<f64>,
    roots: RootScratch,
}

/// The optimisation problem of one model: layout, starting points, steps and bounds.
struct Problem {
    layout: Layout,
    start: EtsStates,
    n_par: usize,
    x0: Vec<f64>,
    /// The second starting point (mid-range smoothing parameters).
    alt: Vec<f64>,
    step: Vec<f64>,
    wide: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    /// Settings of the first start's run and restart; the second start gets half the iterations.
    nm: NelderMead,
}

impl Problem {
    /// `None` when the model has at least `n - 1` parameters.
    fn new(y: &[f64], m: usize, spec: EtsSpec, options: &EtsOptions) -> Option<Problem> {
        let n = y.len();
        let m = if spec.is_seasonal() { m } else { 1 };
        let bounds = Bounds::default();
        let present =
            Present { trend: spec.has_trend(), season: spec.is_seasonal(), damped: spec.damped && spec.has_trend() };
        let n_par = parameter_count(&spec, m);
        if n_par + 1 >= n {
            return None;
        }
        let start = initial_states(y, m, &spec);
        let start_params = initial_params(&spec, m, &bounds);
        let season_free = spec.is_seasonal() && m <= options.max_optimised_season_length;
        let layout = Layout {
            kernel: Kernel { spec, m, p: start_params },
            present,
            bounds,
            season_free,
            start_season: start.season.clone(),
        };

        // Optimisation vector (smoothing parameters, then states) with box bounds, first steps,
        // and wider steps for the restarts (to leave a local minimum).
        let spread = std_dev(y).max(1e-3 * mean_abs(y)).max(1e-12);
        let (mut x0, mut step, mut wide, mut lower, mut upper) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut push = |x: f64, s: f64, w: f64, lo: f64, up: f64| {
            x0.push(x);
            step.push(s);
            wide.push(w);
            lower.push(lo);
            upper.push(up);
        };
        let (lo, up) = (bounds.lower, bounds.upper);
        let p0 = start_params;
        push(p0.alpha, 0.1, 0.4, lo[0], up[0]);
        if present.trend {
            push(p0.beta, 0.5 * p0.beta, 0.2, lo[1], up[1]);
        }
        if present.season {
            push(p0.gamma, 0.1, 0.4, lo[2], up[2]);
        }
        if present.damped {
            push(p0.phi, -0.05, -0.1, lo[3], up[3]);
        }
        let (inf, neg_inf) = (f64::INFINITY, f64::NEG_INFINITY);
        let level_step = 0.1 * start.level.abs().max(spread);
        push(start.level, level_step, level_step, neg_inf, inf);
        if present.trend {
            let s = match spec.trend {
                TrendType::Multiplicative => 0.01,
                _ => (0.1 * start.growth.abs()).max(0.01 * spread),
            };
            push(start.growth, s, s, neg_inf, inf);
        }
        if season_free {
            for &s in &start.season[..m - 1] {
                let st =
                    if spec.season == SeasonType::Multiplicative { 0.05 } else { (0.1 * s.abs()).max(0.05 * spread) };
                push(s, st, st, neg_inf, inf);
            }
        }
        // A second start with mid-range smoothing parameters guards against local minima (e.g.
        // damping at the other end of its range, or a fast- instead of a slow-moving season).
        let mut alt = x0.clone();
        let mut k = 0;
        alt[k] = 0.3;
        k += 1;
        if present.trend {
            alt[k] = 0.03;
            k += 1;
        }
        if present.season {
            alt[k] = 0.3;
            k += 1;
        }
        if present.damped {
            alt[k] = 0.9;
        }
        // Stop when the simplex values' standard deviation is below 1e-4 (units of -2 log L, as
        // statsforecast); one restart from the optimum with wide steps.
        let nm = NelderMead {
            max_iterations: options.max_iterations,
            tolerance: Tolerance::absolute(1e-4),
            restarts: 1,
            ..Default::default()
        };
        Some(Problem { layout, start, n_par, x0, alt, step, wide, lower, upper, nm })
    }

    /// The first optimisation runs without the restart: from the first start alone, or (with
    /// `second_start`) from both starts in lockstep, their likelihood passes run side by side.
    /// The first start's run takes at most `iterations` iterations (the second start's half as
    /// many). The better minimum and the settings its restart uses.
    fn first_runs(&self, y: &[f64], options: &EtsOptions, iterations: usize) -> (Minimum, NelderMead) {
        let nm = self.nm;
        let capped =
            |nm: NelderMead, cap: usize| NelderMead { restarts: 0, max_iterations: nm.max_iterations.min(cap), ..nm };
        let first = Search::new(capped(nm, iterations), &self.x0, &self.step, &self.wide, &self.lower, &self.upper);
        if !options.second_start {
            return (minimize_side_by_side(&self.layout, y, first, None).0, nm);
        }
        let nm2 = NelderMead { max_iterations: options.max_iterations / 2, ..nm };
        let second =
            Search::new(capped(nm2, iterations / 2), &self.alt, &self.step, &self.wide, &self.lower, &self.upper);
        let (a, b) = minimize_side_by_side(&self.layout, y, first, Some(second));
        if b.value < a.value { (b, nm2) } else { (a, nm) }
    }

    /// Restarts from `winner` with the wide steps (while that improves it, once).
    fn restart(&self, y: &[f64], winner: Minimum, settings: NelderMead) -> Minimum {
        let restart = Search::restart_from(settings, winner, &self.wide, &self.lower, &self.upper);
        minimize_side_by_side(&self.layout, y, restart, None).0
    }

    /// The fit at the optimum `best`; `None` when no finite likelihood was found.
    fn finish(self, y: &[f64], best: &Minimum, options: &EtsOptions) -> Option<EtsFit> {
        if !best.value.is_finite() {
            return None;
        }
        let m = self.layout.kernel.m;
        let spec = self.layout.kernel.spec;
        let mut initial = self.start;
        let params = self.layout.unpack(&best.x, &mut initial);
        let notes = if self.layout.season_free || !spec.is_seasonal() {
            Vec::new()
        } else {
            vec![format!(
                "season length {m} exceeds {}: initial seasonal states kept at their decomposition estimates, not optimised",
                options.max_optimised_season_length
            )]
        };
        evaluate(y, Kernel { p: params, ..self.layout.kernel }, initial, self.n_par, options, notes)
    }
}

/// Fits `spec` to `y` (validated, finite; positive when the spec needs it) with season length
/// `m` (already reduced to 1 for non-seasonal specs). `None` when the model has at least
/// `n - 1` parameters or no finite likelihood could be found.
pub(crate) fn fit_spec(y: &[f64], m: usize, spec: EtsSpec, options: &EtsOptions) -> Option<EtsFit> {
    let problem = Problem::new(y, m, spec, options)?;
    let (winner, settings) = problem.first_runs(y, options, options.max_iterations);
    let best = problem.restart(y, winner, settings);
    problem.finish(y, &best, options)
}

/// A fit after the first optimisation runs, before the restart from its optimum.
pub(crate) struct FirstFit {
    /// The fit at the better minimum of the first runs.
    pub(crate) fit: EtsFit,
    winner: Minimum,
    settings: NelderMead,
}

/// The first stage of [`fit_spec`]: the first runs only (no restart), the first start's run
/// within `iterations` iterations (the second start's within half as many). [`refit_spec`]
/// restarts from its optimum; with `iterations` = `options.max_iterations` the two stages give
/// exactly what [`fit_spec`] returns.
pub(crate) fn first_fit_spec(
    y: &[f64],
    m: usize,
    spec: EtsSpec,
    options: &EtsOptions,
    iterations: usize,
) -> Option<FirstFit> {
    let problem = Problem::new(y, m, spec, options)?;
    let (winner, settings) = problem.first_runs(y, options, iterations);
    let fit = problem.finish(y, &winner, options)?;
    Some(FirstFit { fit, winner, settings })
}

/// The second stage of [`fit_spec`]: the restart from the first runs' optimum.
pub(crate) fn refit_spec(y: &[f64], m: usize, first: FirstFit, options: &EtsOptions) -> Option<EtsFit> {
    let spec = first.fit.spec;
    let problem = Problem::new(y, m, spec, options)?;
    let best = problem.restart(y, first.winner, first.settings);
    problem.finish(y, &best, options)
}

/// Runs `first` and, when given, `second` to the end, evaluating their points in pairs while
/// both still ask for one; their minima (the second `+∞` when not given).
fn minimize_side_by_side(
    layout: &Layout,
    y: &[f64],
    mut first: Search<'_>,
    second: Option<Search<'_>>,
) -> (Minimum, Minimum) {
    let (mut wa, mut wb) = (Workspace::default(), Workspace::default());
    let Some(mut second) = second else {
        while let Some(x) = first.point() {
            let value = layout.objective(y, x, &mut wa);
            first.tell(value);
        }
        return (first.result(), Minimum { x: Vec::new(), value: f64::INFINITY, converged: false });
    };
    loop {
        match (first.point(), second.point()) {
            (Some(xa), Some(xb)) => {
                let (va, vb) = layout.objective_pair(y, xa, xb, &mut wa, &mut wb);
                first.tell(va);
                second.tell(vb);
            }
            (Some(x), None) => {
                let value = layout.objective(y, x, &mut wa);
                first.tell(value);
            }
            (None, Some(x)) => {
                let value = layout.objective(y, x, &mut wb);
                second.tell(value);
            }
            (None, None) => break,
        }
    }
    (first.result(), second.result())
}

/// Number of estimated parameters other than the error variance: smoothing parameters and
/// initial states (`m - 1` free seasonal states).
pub(crate) fn parameter_count(spec: &EtsSpec, m: usize) -> usize {
    let trend = usize::from(spec.has_trend());
    let season = usize::from(spec.is_seasonal());
    let damped = usize::from(spec.damped && spec.has_trend());
    1 + trend + season + damped + 1 + trend + season * m.saturating_sub(1)
}

/// Runs the model over `y` from `initial` and computes the fit statistics; `None` when the
/// recursion breaks down (a forecast is undefined).
pub(crate) fn evaluate(
    y: &[f64],
    kernel: Kernel,
    initial: EtsStates,
    n_par: usize,
    options: &EtsOptions,
    notes: Vec<String>,
) -> Option<EtsFit> {
    let n = y.len();
    let mut fitted = vec![0.0; n];
    let mut residuals = vec![0.0; n];
    let (lik, last) = kernel.run(y, &initial, &mut Vec::new(), |t, f, e| {
        fitted[t] = f;
        residuals[t] = e;
    })?;
    let sse: f64 = residuals.iter().map(|e| e * e).sum();
    let k = n_par + 1;
    let nf = n as f64;
    let kf = k as f64;
    let aic = lik + 2.0 * kf;
    let denom = nf - kf - 1.0;
    Some(EtsFit {
        spec: kernel.spec,
        season_length: kernel.m,
        params: kernel.p,
        initial_states: initial,
        final_states: last,
        loglik: -0.5 * lik,
        aic,
        aicc: if denom > 0.0 { aic + 2.0 * kf * (kf + 1.0) / denom } else { f64::INFINITY },
        bic: lik + nf.ln() * kf,
        sigma2: sse / denom.max(1.0),
        mse: sse / nf,
        n_params: k,
        fitted,
        residuals,
        notes,
        simulation_paths: options.simulation_paths,
        seed: options.seed,
        scale: 1.0,
        unit_sigma2: sse / denom.max(1.0),
    })
}

impl EtsFit {
    /// Scales a fit made on `y / c` back to the original units.
    pub(crate) fn rescale(&mut self, c: f64) {
        let additive_error = self.spec.error == super::spec::ErrorType::Additive;
        for s in [&mut self.initial_states, &mut self.final_states] {
            s.level *= c;
            if self.spec.trend == TrendType::Additive {
                s.growth *= c;
            }
            if self.spec.season == SeasonType::Additive {
                s.season.iter_mut().for_each(|v| *v *= c);
            }
        }
        self.fitted.iter_mut().for_each(|v| *v *= c);
        self.scale = c;
        self.unit_sigma2 = self.sigma2;
        if additive_error {
            self.residuals.iter_mut().for_each(|v| *v *= c);
            self.sigma2 *= c * c;
            self.mse *= c * c;
        }
        // -2 log L shifts by 2 n log c for both error types.
        let shift = self.fitted.len() as f64 * c.ln();
        self.loglik -= shift;
        self.aic += 2.0 * shift;
        self.aicc += 2.0 * shift;
        self.bic += 2.0 * shift;
    }

    pub(crate) fn kernel(&self) -> Kernel {
        Kernel { spec: self.spec, m: self.season_length, p: self.params }
    }
}

fn mean_abs(y: &[f64]) -> f64 {
    if y.is_empty() { 0.0 } else { y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64 }
}

fn std_dev(y: &[f64]) -> f64 {
    if y.len() < 2 {
        return 0.0;
    }
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (y.len() - 1) as f64).sqrt()
}
