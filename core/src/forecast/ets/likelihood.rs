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

/// One observation: forecast, error, sums, state update; returns the new seasonal state, or
/// `None` when the forecast is undefined (a multiplicative trend with negative growth).
#[inline(always)]
fn step<const MULT_ERROR: bool, const T: u8, const S: u8>(
    p: &EtsParams,
    c: &mut Carry,
    sums: &mut Sums,
    yt: f64,
    season: f64,
) -> Option<f64> {
    let EtsParams { alpha, beta, gamma, phi } = *p;
    let Carry { level, growth } = *c;
    // Level and growth forecast before the seasonal part (`q`), damped growth (`phib`).
    let (q, phib) = match T {
        NONE => (level, 0.0),
        ADDITIVE => (level + phi * growth, phi * growth),
        _ => {
            if growth < 0.0 {
                return None;
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
    Some(match S {
        NONE => season,
        ADDITIVE => season + gamma * (yt - q - season),
        _ => {
            let t = if q.abs() < TOL { HUGE_RATIO } else { yt / q };
            season + gamma * (t - season)
        }
    })
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
            let Some(s) = step::<MULT_ERROR, T, S>(&p, &mut c, &mut sums, yt, season) else {
                return f64::INFINITY;
            };
            season = s;
        }
    } else {
        for block in y.chunks(cycle.len()) {
            for (&yt, season) in block.iter().zip(cycle.iter_mut()) {
                let Some(s) = step::<MULT_ERROR, T, S>(&p, &mut c, &mut sums, yt, *season) else {
                    return f64::INFINITY;
                };
                *season = s;
            }
            // Once the sum of squares is infinite or not a number it stays so: stop early.
            if !(sums.sse < f64::INFINITY) {
                return f64::INFINITY;
            }
        }
    }
    let mut lik = y.len() as f64 * sums.sse.ln();
    if MULT_ERROR {
        lik += 2.0 * (sums.log_f + sums.prod_f.ln());
    }
    lik
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
            let got = neg2_loglik(&kernel, &y, 20.0, growth, &mut cycle);
            assert_eq!(got.to_bits(), expected.to_bits(), "{code}: {got} vs {expected}");
        }
    }

    #[test]
    fn undefined_forecasts_are_infinitely_bad() {
        let spec = EtsSpec::parse("MMN").unwrap();
        let kernel = Kernel { spec, m: 1, p: EtsParams { alpha: 0.5, beta: 0.1, gamma: 0.0, phi: 1.0 } };
        assert_eq!(neg2_loglik(&kernel, &[1.0, 2.0], 10.0, -0.5, &mut [0.0]), f64::INFINITY);
    }
}
