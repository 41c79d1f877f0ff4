//! Seasonal-trend decomposition used by the detectors (the one place that knows about STL,
//! so another decomposition can be swapped in).
//!
//! Robust STL (Cleveland et al. 1990, through the `stlrs` crate) when the series has at least
//! three full seasons; otherwise no seasonal component and a running-median trend. Spans: seasonal
//! 51 cycles (degree 0), trend at least 21 buckets, low-pass the smallest odd number above the
//! season (as statsmodels), jumps a tenth of each span; one inner and two robustness iterations.

use super::robust::median;

/// Seasonal and trend components of a gap-free series; `expected = seasonal + trend`.
#[derive(Debug, Clone)]
pub(crate) struct Decomposition {
    pub(crate) seasonal: Vec<f64>,
    pub(crate) trend: Vec<f64>,
}

/// Seasonal smoother span in cycles (odd): close to a periodic profile (for daily data the
/// weekly profile may drift over about a year). Short spans let the seasonal component soak
/// up noise and make the remainder's tails too heavy for the ESD test.
const SEASONAL_SPAN: usize = 51;
/// Shortest trend smoother span in buckets (three weeks of daily data): shorter trends follow
/// the noise; the span still tracks yearly seasonality and settles within days after a level shift.
const MIN_TREND_SPAN: usize = 21;
/// Robustness iterations of STL (the reference uses 15; with a near-periodic seasonal
/// component two already down-weight the outliers, and cost far less).
const OUTER_LOOPS: usize = 2;

/// Trend span: STL's default for the seasonal span, at least [`MIN_TREND_SPAN`], odd.
fn trend_length(season: usize) -> usize {
    let default = (1.5 * season as f64 / (1.0 - 1.5 / SEASONAL_SPAN as f64)).ceil() as usize;
    default.max(MIN_TREND_SPAN) | 1
}
/// Fewest full seasons for a seasonal decomposition: with two, one outlier can set the
/// seasonal profile.
const MIN_SEASONS: usize = 3;
/// Half-width of the running-median trend of the non-seasonal fallback.
const FALLBACK_HALF_WIDTH: usize = 7;

/// Decomposes `values` (no NaN) with `season` buckets per cycle. Fallbacks are noted.
pub(crate) fn decompose(values: &[f64], season: usize, notes: &mut Vec<String>) -> Decomposition {
    let n = values.len();
    if season >= 2 && n >= MIN_SEASONS * season {
        let fit = stlrs::params()
            .seasonal_length(SEASONAL_SPAN)
            .trend_length(trend_length(season))
            .low_pass_length((season + 1) | 1)
            .robust(true)
            .outer_loops(OUTER_LOOPS)
            .fit(values, season);
        if let Ok(fit) = fit {
            let (seasonal, trend) = (fit.seasonal().to_vec(), fit.trend().to_vec());
            if seasonal.iter().chain(&trend).all(|v| v.is_finite()) {
                return Decomposition { seasonal, trend };
            }
        }
        notes.push("seasonal decomposition failed: running-median trend without seasonal component".into());
    } else if season >= 2 {
        notes.push(format!(
            "fewer than three seasons ({n} buckets, season {season}): running-median trend without seasonal component"
        ));
    }
    Decomposition { seasonal: vec![0.0; n], trend: running_median(values, FALLBACK_HALF_WIDTH) }
}

/// Centered running median with the window truncated at the ends.
pub(crate) fn running_median(values: &[f64], half_width: usize) -> Vec<f64> {
    let n = values.len();
    (0..n)
        .map(|i| {
            let lo = i.saturating_sub(half_width);
            let hi = (i + half_width + 1).min(n);
            values.get(lo..hi).and_then(median).unwrap_or(0.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_pattern_goes_to_the_seasonal_component() {
        let pattern = [10.0, 12.0, 11.0, 13.0, 20.0, 30.0, 5.0];
        let values: Vec<f64> = (0..140).map(|i| 100.0 + 0.1 * i as f64 + pattern[i % 7]).collect();
        let mut notes = vec![];
        let d = decompose(&values, 7, &mut notes);
        assert!(notes.is_empty());
        for (i, value) in values.iter().enumerate().take(120).skip(20) {
            let fitted = d.seasonal[i] + d.trend[i];
            assert!((fitted - value).abs() < 0.5, "bucket {i}: {fitted} vs {value}");
        }
        // The weekend peak is seasonal, not trend.
        assert!(d.seasonal[75] - d.seasonal[76] > 20.0);
    }

    #[test]
    fn short_series_fall_back_to_running_median() {
        let mut notes = vec![];
        let d = decompose(&[1.0, 2.0, 50.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 7, &mut notes);
        assert_eq!(notes.len(), 1);
        assert!(d.seasonal.iter().all(|s| *s == 0.0));
        assert!(d.trend[2] < 10.0);
    }
}
