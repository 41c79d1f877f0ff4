//! How many differences a series needs: KPSS tests for regular differences (as
//! `forecast::ndiffs`) and STL seasonal strength for seasonal ones (as `forecast::nsdiffs` with
//! `test = "seas"`, the statsforecast default).

/// KPSS statistic above which level stationarity is rejected at 5% (Kwiatkowski et al. 1992,
/// table 1, "level" case).
const KPSS_CRITICAL_5PCT: f64 = 0.463;

/// Seasonal strength above which a seasonal difference is taken (Wang, Smith and Hyndman 2006,
/// the threshold used by `forecast::nsdiffs`).
pub(crate) const SEASONAL_STRENGTH_THRESHOLD: f64 = 0.64;

fn is_constant(x: &[f64]) -> bool {
    x.first().is_none_or(|f| x.iter().all(|v| v == f))
}

fn diff(x: &[f64], lag: usize) -> Vec<f64> {
    x.iter().skip(lag).zip(x).map(|(a, b)| a - b).collect()
}

/// KPSS level-stationarity statistic with a Bartlett long-run variance using
/// `floor(3 sqrt(n) / 13)` lags; `None` when undefined (too short or zero variance).
pub(crate) fn kpss_statistic(x: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let e: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let mut s = 0.0;
    let mut eta = 0.0;
    for v in &e {
        s += v;
        eta += s * s;
    }
    eta /= (n * n) as f64;
    let lags = ((3.0 * (n as f64).sqrt() / 13.0).floor() as usize).min(n - 1);
    let mut lrv: f64 = e.iter().map(|v| v * v).sum();
    for l in 1..=lags {
        let w = 1.0 - l as f64 / (lags as f64 + 1.0);
        let cov: f64 = e[l..].iter().zip(&e).map(|(a, b)| a * b).sum();
        lrv += 2.0 * w * cov;
    }
    lrv /= n as f64;
    let stat = eta / lrv;
    (lrv > 0.0 && stat.is_finite()).then_some(stat)
}

/// Number of regular differences (at most `max_d`) after which the KPSS test no longer rejects
/// stationarity at 5%.
pub(crate) fn ndiffs(x: &[f64], max_d: usize) -> usize {
    let rejects = |x: &[f64]| kpss_statistic(x).is_some_and(|s| s > KPSS_CRITICAL_5PCT);
    let mut x = x.to_vec();
    let mut d = 0;
    if is_constant(&x) {
        return 0;
    }
    while d < max_d && rejects(&x) {
        d += 1;
        x = diff(&x, 1);
        if is_constant(&x) {
            break;
        }
    }
    d
}

/// Seasonal strength `max(0, 1 - var(R) / var(S + R))` of an STL decomposition (seasonal
/// window 11, seasonal degree 0, trend window by Cleveland et al.'s rule), or `None` when the
/// series is shorter than two seasons.
pub(crate) fn seasonal_strength(x: &[f64], m: usize) -> Option<f64> {
    if m < 2 || x.len() < 2 * m {
        return None;
    }
    let odd = |v: usize| if v.is_multiple_of(2) { v + 1 } else { v };
    let seasonal_window = 11usize;
    let trend = odd((1.5 * m as f64 / (1.0 - 1.5 / seasonal_window as f64)).ceil() as usize);
    let fit = stlrs::params()
        .seasonal_length(seasonal_window)
        .trend_length(trend)
        .low_pass_length(odd(m + 1))
        .seasonal_degree(0)
        .trend_degree(1)
        .low_pass_degree(1)
        .seasonal_jump(1)
        .trend_jump(1)
        .low_pass_jump(1)
        .inner_loops(5)
        .outer_loops(0)
        .robust(false)
        .fit(x, m)
        .ok()?;
    let var = |v: &[f64]| {
        let k = v.len() as f64;
        let mean = v.iter().sum::<f64>() / k;
        v.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (k - 1.0)
    };
    let remainder = fit.remainder();
    let detrended: Vec<f64> = remainder.iter().zip(fit.seasonal()).map(|(r, s)| r + s).collect();
    let total = var(&detrended);
    if total.is_nan() || total <= 0.0 {
        return Some(0.0);
    }
    let strength = (1.0 - var(remainder) / total).clamp(0.0, 1.0);
    strength.is_finite().then_some(strength)
}

/// Number of seasonal differences (at most `max_seasonal_d`) from the seasonal strength.
pub(crate) fn nsdiffs(x: &[f64], m: usize, max_seasonal_d: usize, threshold: f64) -> usize {
    if m < 2 || is_constant(x) || m >= x.len() {
        return 0;
    }
    let mut x = x.to_vec();
    let mut big_d = 0;
    let mut dodiff = seasonal_strength(&x, m).is_some_and(|s| s > threshold);
    while dodiff && big_d < max_seasonal_d {
        big_d += 1;
        x = diff(&x, m);
        if is_constant(&x) {
            break;
        }
        dodiff = big_d < max_seasonal_d && seasonal_strength(&x, m).is_some_and(|s| s > threshold);
    }
    big_d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kpss_separates_trend_from_noise() {
        let noise: Vec<f64> = (0..200).map(|t| ((t * 7919) % 101) as f64 / 101.0 - 0.5).collect();
        assert_eq!(ndiffs(&noise, 2), 0);
        let walk: Vec<f64> = noise
            .iter()
            .scan(0.0, |s, v| {
                *s += v + 0.3;
                Some(*s)
            })
            .collect();
        assert_eq!(ndiffs(&walk, 2), 1);
    }

    #[test]
    fn seasonal_strength_detects_weekly_pattern() {
        let y: Vec<f64> =
            (0..140).map(|t| [5.0, 1.0, 0.0, 2.0, 3.0, 8.0, 9.0][t % 7] + 0.1 * ((t * 31) % 7) as f64).collect();
        assert!(seasonal_strength(&y, 7).unwrap() > 0.9);
        assert_eq!(nsdiffs(&y, 7, 1, SEASONAL_STRENGTH_THRESHOLD), 1);
        let flat: Vec<f64> = (0..140).map(|t| ((t * 7919) % 101) as f64).collect();
        assert_eq!(nsdiffs(&flat, 7, 1, SEASONAL_STRENGTH_THRESHOLD), 0);
    }
}
