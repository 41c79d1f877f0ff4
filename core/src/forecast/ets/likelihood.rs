//! The likelihood pass run at every step of the optimisation.
//!
//! It computes exactly what [`Kernel::run`] computes (same operations in the same order, so
//! the same value to the last bit) but is compiled once per model kind (error × trend ×
//! season): the loop over the observations carries no branching on the model, no callback,
//! no allocation and no state history. Seasonal states live in a ring buffer walked one
//! season at a time, so there is neither a modulo nor a shift per observation.

use super::recursion::{EtsParams, HUGE_RATIO, Kernel, TOL};
use super::spec::{ErrorType, SeasonType, TrendType};

const NONE: u8 = 0;
const ADDITIVE: u8 = 1;
const MULTIPLICATIVE: u8 = 2;

/// `-2 log L` up to a constant (`n log SSE`, plus `2 Σ log|f|` for a multiplicative error)
/// of `kernel` over `y` from the initial `level` and `growth` and the seasonal states in
/// `cycle` (`cycle[j]` is used at step `j` of each season; overwritten). `+∞` when a forecast
/// is undefined or the value is not a number.
pub(crate) fn neg2_loglik(kernel: &Kernel, y: &[f64], level: f64, growth: f64, cycle: &mut [f64]) -> f64 {
    let lik = match kernel.spec.season {
        SeasonType::None => by_trend::<NONE>(kernel, y, level, growth, cycle),
        SeasonType::Additive => by_trend::<ADDITIVE>(kernel, y, level, growth, cycle),
        SeasonType::Multiplicative => by_trend::<MULTIPLICATIVE>(kernel, y, level, growth, cycle),
    };
    if lik.is_nan() { f64::INFINITY } else { lik }
}

fn by_trend<const S: u8>(kernel: &Kernel, y: &[f64], level: f64, growth: f64, cycle: &mut [f64]) -> f64 {
    match kernel.spec.trend {
        TrendType::None => by_error::<NONE, S>(kernel, y, level, growth, cycle),
        TrendType::Additive => by_error::<ADDITIVE, S>(kernel, y, level, growth, cycle),
        TrendType::Multiplicative => by_error::<MULTIPLICATIVE, S>(kernel, y, level, growth, cycle),
    }
}

fn by_error<const T: u8, const S: u8>(kernel: &Kernel, y: &[f64], level: f64, growth: f64, cycle: &mut [f64]) -> f64 {
    match kernel.spec.error {
        ErrorType::Additive => pass::<false, T, S>(kernel.p, y, level, growth, cycle),
        ErrorType::Multiplicative => pass::<true, T, S>(kernel.p, y, level, growth, cycle),
    }
}

/// Running sums of the likelihood.
struct Sums {
    sse: f64,
    /// Σ log|f| accumulated as a running product, taking the logarithm only when the product
    /// leaves a safe range.
    log_f: f64,
    prod_f: f64,
}

/// States carried from one observation to the next (the seasonal state is in the ring).
#[derive(Clone, Copy)]
struct Carry {
    level: f64,
    growth: f64,
}

/// One observation: forecast, error, sums, state update; returns the new seasonal state. An
/// undefined forecast (a multiplicative trend with negative growth) makes the sum of squares
/// not a number.
#[inline(always)]
fn step<const MULT_ERROR: bool, const T: u8, const S: u8>(
    p: &EtsParams,
    c: &mut Carry,
    sums: &mut Sums,
    yt: f64,
    season: f64,
) -> f64 {
    let EtsParams { alpha, beta, gamma, phi } = *p;
    let Carry { level, growth } = *c;
    // Level and growth forecast before the seasonal part (`q`), damped growth (`phib`).
    let (q, phib) = match T {
        NONE => (level, 0.0),
        ADDITIVE => (level + phi * growth, phi * growth),
        _ => {
            if growth < 0.0 {
                // The forecast is undefined: the likelihood is not a number from here on.
                sums.sse = f64::NAN;
                return season;
            }
            let phib = if (phi - 1.0).abs() < TOL { growth } else { growth.powf(phi) };
            (level * phib, phib)
        }
    };
    let f = match S {
        NONE => q,
        ADDITIVE => q + season,
        _ => q * season,
    };
    let e = if MULT_ERROR {
        let f0 = if f.abs() < TOL { f + TOL } else { f };
        (yt - f) / f0
    } else {
        yt - f
    };
    sums.sse += e * e;
    if MULT_ERROR {
        sums.prod_f *= f.abs();
        if !(1e-100..=1e100).contains(&sums.prod_f) {
            sums.log_f += sums.prod_f.ln();
            sums.prod_f = 1.0;
        }
    }
    // Seasonally adjusted observation and the updates.
    let adjusted = match S {
        NONE => yt,
        ADDITIVE => yt - season,
        _ => {
            if season.abs() < TOL {
                HUGE_RATIO
            } else {
                yt / season
            }
        }
    };
    let new_level = q + alpha * (adjusted - q);
    c.growth = match T {
        NONE => 0.0,
        ADDITIVE => phib + (beta / alpha) * (new_level - level - phib),
        _ => {
            let r = if level.abs() < TOL { HUGE_RATIO } else { new_level / level };
            phib + (beta / alpha) * (r - phib)
        }
    };
    c.level = new_level;
    match S {
        NONE => season,
        ADDITIVE => season + gamma * (yt - q - season),
        _ => {
            let t = if q.abs() < TOL { HUGE_RATIO } else { yt / q };
            season + gamma * (t - season)
        }
    }
}

fn pass<const MULT_ERROR: bool, const T: u8, const S: u8>(
    p: EtsParams,
    y: &[f64],
    level: f64,
    growth: f64,
    cycle: &mut [f64],
) -> f64 {
    let mut c = Carry { level, growth };
    let mut sums = Sums { sse: 0.0, log_f: 0.0, prod_f: 1.0 };
    if S == NONE || cycle.len() < 2 {
        let mut season = cycle.first().copied().unwrap_or(0.0);
        for &yt in y {
            season = step::<MULT_ERROR, T, S>(&p, &mut c, &mut sums, yt, season);
        }
    } else {
        for block in y.chunks(cycle.len()) {
            for (&yt, season) in block.iter().zip(cycle.iter_mut()) {
                *season = step::<MULT_ERROR, T, S>(&p, &mut c, &mut sums, yt, *season);
            }
            // Once the sum of squares is infinite or not a number it stays so: stop early.
            if !sums.sse.is_finite() {
                return f64::INFINITY;
            }
        }
    }
    finish::<MULT_ERROR>(y.len(), &sums)
}

fn finish<const MULT_ERROR: bool>(n: usize, sums: &Sums) -> f64 {
    let mut lik = n as f64 * sums.sse.ln();
    if MULT_ERROR {
        lik += 2.0 * (sums.log_f + sums.prod_f.ln());
    }
    lik
}

/// Initial states of one of two models run side by side by [`neg2_loglik_pair`].
pub(crate) struct Lane<'a> {
    pub(crate) params: EtsParams,
    pub(crate) level: f64,
    pub(crate) growth: f64,
    pub(crate) cycle: &'a mut [f64],
}

/// [`neg2_loglik`] of the same model kind with two sets of parameters and initial states
/// (`kernel.p` is ignored), computed in one interleaved pass over `y`. The recursion is a
/// chain of dependent operations that leaves most of the processor idle; two independent
/// chains in one loop run in about the time of one. Each value is bit for bit the one
/// [`neg2_loglik`] gives. The two cycles must have the same length.
pub(crate) fn neg2_loglik_pair(kernel: &Kernel, y: &[f64], a: Lane<'_>, b: Lane<'_>) -> (f64, f64) {
    if a.cycle.len() != b.cycle.len() {
        let ka = Kernel { p: a.params, ..*kernel };
        let kb = Kernel { p: b.params, ..*kernel };
        return (neg2_loglik(&ka, y, a.level, a.growth, a.cycle), neg2_loglik(&kb, y, b.level, b.growth, b.cycle));
    }
    let (la, lb) = match kernel.spec.season {
        SeasonType::None => pair_by_trend::<NONE>(kernel, y, a, b),
        SeasonType::Additive => pair_by_trend::<ADDITIVE>(kernel, y, a, b),
        SeasonType::Multiplicative => pair_by_trend::<MULTIPLICATIVE>(kernel, y, a, b),
    };
    let clean = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
    (clean(la), clean(lb))
}

fn pair_by_trend<const S: u8>(kernel: &Kernel, y: &[f64], a: Lane<'_>, b: Lane<'_>) -> (f64, f64) {
    match kernel.spec.trend {
        TrendType::None => pair_by_error::<NONE, S>(kernel, y, a, b),
        TrendType::Additive => pair_by_error::<ADDITIVE, S>(kernel, y, a, b),
        TrendType::Multiplicative => pair_by_error::<MULTIPLICATIVE, S>(kernel, y, a, b),
    }
}

fn pair_by_error<const T: u8, const S: u8>(kernel: &Kernel, y: &[f64], a: Lane<'_>, b: Lane<'_>) -> (f64, f64) {
    match kernel.spec.error {
        ErrorType::Additive => pass_pair::<false, T, S>(y, a, b),
        ErrorType::Multiplicative => pass_pair::<true, T, S>(y, a, b),
    }
}

fn pass_pair<const MULT_ERROR: bool, const T: u8, const S: u8>(y: &[f64], a: Lane<'_>, b: Lane<'_>) -> (f64, f64) {
    let (pa, pb) = (a.params, b.params);
    let mut ca = Carry { level: a.level, growth: a.growth };
    let mut cb = Carry { level: b.level, growth: b.growth };
    let mut sa = Sums { sse: 0.0, log_f: 0.0, prod_f: 1.0 };
    let mut sb = Sums { sse: 0.0, log_f: 0.0, prod_f: 1.0 };
    let m = a.cycle.len();
    if S == NONE || m < 2 {
        let mut season_a = a.cycle.first().copied().unwrap_or(0.0);
        let mut season_b = b.cycle.first().copied().unwrap_or(0.0);
        for &yt in y {
            season_a = step::<MULT_ERROR, T, S>(&pa, &mut ca, &mut sa, yt, season_a);
            season_b = step::<MULT_ERROR, T, S>(&pb, &mut cb, &mut sb, yt, season_b);
        }
    } else {
        for block in y.chunks(m) {
            for ((&yt, season_a), season_b) in block.iter().zip(a.cycle.iter_mut()).zip(b.cycle.iter_mut()) {
                *season_a = step::<MULT_ERROR, T, S>(&pa, &mut ca, &mut sa, yt, *season_a);
                *season_b = step::<MULT_ERROR, T, S>(&pb, &mut cb, &mut sb, yt, *season_b);
            }
            if !sa.sse.is_finite() && !sb.sse.is_finite() {
                return (f64::INFINITY, f64::INFINITY);
            }
        }
    }
    // A lane whose sum of squares stopped being finite gets +∞, as in the single pass.
    let value = |sums: &Sums| if sums.sse.is_finite() { finish::<MULT_ERROR>(y.len(), sums) } else { f64::INFINITY };
    (value(&sa), value(&sb))
}

#[cfg(test)]
mod tests {
    use super::super::recursion::EtsStates;
    use super::super::spec::EtsSpec;
    use super::*;

    /// The specialised pass gives bit-for-bit the likelihood of the general recursion.
    #[test]
    fn matches_the_general_recursion_for_every_model_kind() {
        let m = 4;
        let y: Vec<f64> =
            (0..30).map(|t| 20.0 + 0.4 * t as f64 + [3.0, -1.0, 2.0, -4.0][t % 4] + (t as f64).sin()).collect();
        for code in [
            "ANN", "AAN", "AAdN", "AMN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN", "MMN", "MMdN", "MNA", "MAA",
            "MNM", "MAM", "MAdM", "MMM", "MMdM", "ANM", "AAM",
        ] {
            let spec = EtsSpec::parse(code).unwrap();
            let p = EtsParams { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: if spec.damped { 0.9 } else { 1.0 } };
            let kernel = Kernel { spec, m: if spec.is_seasonal() { m } else { 1 }, p };
            let multiplicative_season = spec.season == SeasonType::Multiplicative;
            let season = if !spec.is_seasonal() {
                vec![]
            } else if multiplicative_season {
                vec![0.9, 1.1, 0.95, 1.05]
            } else {
                vec![-4.0, 2.0, -1.0, 3.0]
            };
            let growth = if spec.trend == TrendType::Multiplicative { 1.01 } else { 0.4 };
            let init = EtsStates { level: 20.0, growth, season: season.clone() };
            let (expected, _) = kernel.run(&y, &init, &mut Vec::new(), |_, _, _| {}).unwrap();
            let mut cycle: Vec<f64> =
                if season.is_empty() { vec![0.0] } else { season.iter().rev().copied().collect() };
            let mut cycle_b = cycle.clone();
            let got = neg2_loglik(&kernel, &y, 20.0, growth, &mut cycle);
            assert_eq!(got.to_bits(), expected.to_bits(), "{code}: {got} vs {expected}");
            // Side by side with another parameter set: each value as on its own.
            let pb = EtsParams { alpha: 0.2, beta: 0.01, gamma: 0.3, phi: p.phi };
            let mut cycle_a: Vec<f64> =
                if season.is_empty() { vec![0.0] } else { season.iter().rev().copied().collect() };
            let expected_b = neg2_loglik(&Kernel { p: pb, ..kernel }, &y, 19.0, growth, &mut cycle_b.clone());
            let a = Lane { params: p, level: 20.0, growth, cycle: &mut cycle_a };
            let b = Lane { params: pb, level: 19.0, growth, cycle: &mut cycle_b };
            let (got_a, got_b) = neg2_loglik_pair(&kernel, &y, a, b);
            assert_eq!(got_a.to_bits(), expected.to_bits(), "{code}");
            assert_eq!(got_b.to_bits(), expected_b.to_bits(), "{code}");
        }
    }

    #[test]
    fn undefined_forecasts_are_infinitely_bad() {
        let spec = EtsSpec::parse("MMN").unwrap();
        let kernel = Kernel { spec, m: 1, p: EtsParams { alpha: 0.5, beta: 0.1, gamma: 0.0, phi: 1.0 } };
        assert_eq!(neg2_loglik(&kernel, &[1.0, 2.0], 10.0, -0.5, &mut [0.0]), f64::INFINITY);
        let p = kernel.p;
        let (a, b) = neg2_loglik_pair(
            &kernel,
            &[1.0, 2.0],
            Lane { params: p, level: 10.0, growth: -0.5, cycle: &mut [0.0] },
            Lane { params: p, level: 10.0, growth: 1.1, cycle: &mut [0.0] },
        );
        assert_eq!(a, f64::INFINITY);
        assert!(b.is_finite());
    }
}
