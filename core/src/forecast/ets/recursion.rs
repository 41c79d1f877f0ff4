//! The ETS state-space recursions (Hyndman et al. 2008, ch. 2 and 5): one-step forecasts,
//! state updates, the likelihood pass over the data and multi-step point forecasts.
//!
//! The state update written in terms of the observation is the same for additive and
//! multiplicative errors; only the error definition (absolute or relative) and the likelihood
//! differ.

use serde::Serialize;

use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};

/// Guard for divisions by (near) zero states.
pub(crate) const TOL: f64 = 1e-10;
/// Stand-in for a ratio with a (near) zero denominator.
pub(crate) const HUGE_RATIO: f64 = 1e10;

/// Smoothing parameters of a fitted ETS model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EtsParams {
    /// Level smoothing, in (0, 1).
    pub alpha: f64,
    /// Trend smoothing (0 without a trend), below `alpha`.
    pub beta: f64,
    /// Seasonal smoothing (0 without a season), below `1 - alpha`.
    pub gamma: f64,
    /// Damping (1 for an undamped or absent trend).
    pub phi: f64,
}

/// ETS states at one time point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EtsStates {
    /// Level.
    pub level: f64,
    /// Growth (0 without a trend; a ratio for a multiplicative trend).
    pub growth: f64,
    /// Seasonal states, most recent first: `season[0]` is the season of the latest period,
    /// `season[m - 1]` the one that applies to the next period. Empty without a season.
    pub season: Vec<f64>,
}

/// Kernel view of a model: spec, season length and smoothing parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kernel {
    pub(crate) spec: EtsSpec,
    pub(crate) m: usize,
    pub(crate) p: EtsParams,
}

impl Kernel {
    /// Trend part of the forecast `steps_weight` ahead (`phi + ... + phi^h`): `None` when a
    /// multiplicative trend has a negative growth (the forecast is undefined).
    #[inline]
    fn base(&self, level: f64, growth: f64, phistar: f64) -> Option<f64> {
        match self.spec.trend {
            TrendType::None => Some(level),
            TrendType::Additive => Some(level + phistar * growth),
            TrendType::Multiplicative => {
                if growth < 0.0 {
                    None
                } else {
                    Some(level * growth.powf(phistar))
                }
            }
        }
    }

    #[inline]
    fn with_season(&self, base: f64, season: f64) -> f64 {
        match self.spec.season {
            SeasonType::None => base,
            SeasonType::Additive => base + season,
            SeasonType::Multiplicative => base * season,
        }
    }

    /// One-step forecast from the states before observing `y_t`; `season` is `s_{t-m}`.
    #[inline]
    pub(crate) fn one_step(&self, level: f64, growth: f64, season: f64) -> Option<f64> {
        self.base(level, growth, self.p.phi).map(|b| self.with_season(b, season))
    }

    /// Updates the states with observation `y`; returns `(level, growth, season)` where the
    /// new season replaces `season` (`s_{t-m}`) in the seasonal cycle.
    #[inline]
    pub(crate) fn update(&self, level: f64, growth: f64, season: f64, y: f64) -> (f64, f64, f64) {
        let EtsParams { alpha, beta, gamma, phi } = self.p;
        // Level and growth forecast before the seasonal part.
        let (q, phib) = match self.spec.trend {
            TrendType::None => (level, 0.0),
            TrendType::Additive => (level + phi * growth, phi * growth),
            TrendType::Multiplicative => {
                let phib = if (phi - 1.0).abs() < TOL { growth } else { growth.powf(phi) };
                (level * phib, phib)
            }
        };
        // Seasonally adjusted observation.
        let p = match self.spec.season {
            SeasonType::None => y,
            SeasonType::Additive => y - season,
            SeasonType::Multiplicative => {
                if season.abs() < TOL {
                    HUGE_RATIO
                } else {
                    y / season
                }
            }
        };
        let new_level = q + alpha * (p - q);
        let new_growth = match self.spec.trend {
            TrendType::None => 0.0,
            TrendType::Additive => phib + (beta / alpha) * (new_level - level - phib),
            TrendType::Multiplicative => {
                let r = if level.abs() < TOL { HUGE_RATIO } else { new_level / level };
                phib + (beta / alpha) * (r - phib)
            }
        };
        let new_season = match self.spec.season {
            SeasonType::None => season,
            SeasonType::Additive => season + gamma * (y - q - season),
            SeasonType::Multiplicative => {
                let t = if q.abs() < TOL { HUGE_RATIO } else { y / q };
                season + gamma * (t - season)
            }
        };
        (new_level, new_growth, new_season)
    }

    /// Error of forecast `f` for observation `y`: absolute or relative.
    #[inline]
    pub(crate) fn error(&self, y: f64, f: f64) -> f64 {
        match self.spec.error {
            ErrorType::Additive => y - f,
            ErrorType::Multiplicative => {
                let f0 = if f.abs() < TOL { f + TOL } else { f };
                (y - f) / f0
            }
        }
    }

    /// Runs the recursion over `y` from `init`; calls `on_step(t, forecast, error)` for each
    /// observation. Returns `-2 log L` up to a constant (`n log SSE` plus `2 Σ log|f|` for
    /// multiplicative errors) and the final states, or `None` when a forecast is undefined.
    pub(crate) fn run(
        &self,
        y: &[f64],
        init: &EtsStates,
        cycle: &mut Vec<f64>,
        mut on_step: impl FnMut(usize, f64, f64),
    ) -> Option<(f64, EtsStates)> {
        let m = self.cycle_len();
        load_cycle(init, m, cycle);
        let (mut level, mut growth) = (init.level, init.growth);
        let mut sse = 0.0;
        // Σ log|f| accumulated as a running product, taking the logarithm only when the
        // product leaves a safe range (one `ln` per many steps instead of one per step).
        let mut log_f = 0.0;
        let mut prod_f = 1.0f64;
        let multiplicative = self.spec.error == ErrorType::Multiplicative;
        let mut j = 0;
        for (t, &yt) in y.iter().enumerate() {
            let s = cycle[j];
            let f = self.one_step(level, growth, s)?;
            let e = self.error(yt, f);
            on_step(t, f, e);
            sse += e * e;
            if multiplicative {
                prod_f *= f.abs();
                if !(1e-100..=1e100).contains(&prod_f) {
                    log_f += prod_f.ln();
                    prod_f = 1.0;
                }
            }
            let (l, b, s_new) = self.update(level, growth, s, yt);
            level = l;
            growth = b;
            cycle[j] = s_new;
            j += 1;
            if j == m {
                j = 0;
            }
        }
        let n = y.len() as f64;
        let mut lik = n * sse.ln();
        if multiplicative {
            lik += 2.0 * (log_f + prod_f.ln());
        }
        Some((lik, unload_cycle(level, growth, cycle, j, self.spec.is_seasonal())))
    }

    /// Length of the seasonal cycle buffer (1 without a season).
    pub(crate) fn cycle_len(&self) -> usize {
        if self.spec.is_seasonal() { self.m.max(1) } else { 1 }
    }

    /// Point forecasts `1..=horizon` steps after the states `last`.
    pub(crate) fn point_forecasts(&self, last: &EtsStates, horizon: usize) -> Vec<f64> {
        let m = self.cycle_len();
        let mut out = Vec::with_capacity(horizon);
        let mut phistar = self.p.phi;
        let mut phi_pow = self.p.phi;
        for h in 0..horizon {
            let season =
                if self.spec.is_seasonal() { last.season.get(m - 1 - h % m).copied().unwrap_or(0.0) } else { 0.0 };
            let f = self.base(last.level, last.growth, phistar).map_or(f64::NAN, |b| self.with_season(b, season));
            out.push(f);
            phi_pow *= self.p.phi;
            phistar += phi_pow;
        }
        out
    }
}

/// Fills the ring buffer: `cycle[j]` is the seasonal state used at step `j` of the cycle.
fn load_cycle(init: &EtsStates, m: usize, cycle: &mut Vec<f64>) {
    cycle.clear();
    if init.season.len() == m {
        cycle.extend(init.season.iter().rev());
    } else {
        cycle.resize(m, 0.0);
    }
}

/// Turns the ring buffer (next used at `next`) back into most-recent-first order.
fn unload_cycle(level: f64, growth: f64, cycle: &[f64], next: usize, seasonal: bool) -> EtsStates {
    let m = cycle.len();
    let season = if seasonal { (0..m).map(|k| cycle[(next + m - 1 - k) % m]).collect() } else { Vec::new() };
    EtsStates { level, growth, season }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernel(code: &str, m: usize, alpha: f64, beta: f64, gamma: f64, phi: f64) -> Kernel {
        Kernel { spec: EtsSpec::parse(code).unwrap(), m, p: EtsParams { alpha, beta, gamma, phi } }
    }

    #[test]
    fn simple_exponential_smoothing_by_hand() {
        let k = kernel("ANN", 1, 0.5, 0.0, 0.0, 1.0);
        let init = EtsStates { level: 10.0, growth: 0.0, season: vec![] };
        let mut fits = vec![];
        let (lik, last) = k.run(&[12.0, 11.0], &init, &mut Vec::new(), |_, f, _| fits.push(f)).unwrap();
        // l1 = 10 + 0.5 * 2 = 11; l2 = 11 + 0.5 * 0 = 11.
        assert_eq!(fits, vec![10.0, 11.0]);
        assert_eq!(last.level, 11.0);
        assert!((lik - 2.0 * (4.0f64).ln()).abs() < 1e-12);
        assert_eq!(k.point_forecasts(&last, 2), vec![11.0, 11.0]);
    }

    #[test]
    fn additive_seasonal_cycle_is_followed() {
        // A perfect seasonal pattern with gamma small stays put and forecasts repeat it.
        let k = kernel("ANA", 4, 0.1, 0.0, 0.1, 1.0);
        let pattern = [1.0, -1.0, 2.0, -2.0];
        // Most recent first: the season used next (pattern[0]) is last.
        let init = EtsStates { level: 5.0, growth: 0.0, season: vec![-2.0, 2.0, -1.0, 1.0] };
        let y: Vec<f64> = (0..12).map(|t| 5.0 + pattern[t % 4]).collect();
        let (_, last) = k.run(&y, &init, &mut Vec::new(), |_, f, e| assert!(e.abs() < 1e-12, "{f}")).unwrap();
        assert_eq!(last.season, vec![-2.0, 2.0, -1.0, 1.0]);
        let f = k.point_forecasts(&last, 5);
        assert_eq!(f, vec![6.0, 4.0, 7.0, 3.0, 6.0]);
    }

    #[test]
    fn damped_trend_forecasts_converge() {
        let k = kernel("AAdN", 1, 0.5, 0.1, 0.0, 0.9);
        let last = EtsStates { level: 100.0, growth: 1.0, season: vec![] };
        let f = k.point_forecasts(&last, 3);
        assert!((f[0] - 100.9).abs() < 1e-12);
        assert!((f[1] - (100.0 + 0.9 + 0.81)).abs() < 1e-12);
        assert!((f[2] - (100.0 + 0.9 + 0.81 + 0.729)).abs() < 1e-12);
    }

    #[test]
    fn multiplicative_trend_with_negative_growth_is_undefined() {
        let k = kernel("MMN", 1, 0.5, 0.1, 0.0, 1.0);
        let init = EtsStates { level: 10.0, growth: -0.5, season: vec![] };
        assert!(k.run(&[1.0, 2.0], &init, &mut Vec::new(), |_, _, _| {}).is_none());
    }
}
