//! Daily demand of a store: trend × weekly × yearly pattern × holidays × injected anomalies.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::rng::Rng;
use super::{AnomalyKind, GeneratorConfig};

/// Whether all stores are closed on `date` (25 December, 1 January).
pub(crate) fn closed(date: NaiveDate) -> bool {
    (date.month() == 12 && date.day() == 25) || (date.month() == 1 && date.day() == 1)
}

/// Fourth Thursday of November + 1 day.
fn black_friday(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4).map(|d| d + Duration::days(1))
}

fn holiday_factor(date: NaiveDate) -> f64 {
    if closed(date) {
        return 0.0;
    }
    if black_friday(date.year()) == Some(date) {
        return 2.2;
    }
    if date.month() == 12 && (18..=23).contains(&date.day()) {
        return 1.6;
    }
    if date.month() == 12 && date.day() == 24 {
        return 1.3;
    }
    1.0
}

pub(crate) struct Demand {
    /// Weight per day, mean 1 over open days (before anomalies), anomalies applied.
    pub(crate) weight: Vec<f64>,
    /// Cumulative weights: `cum[i]` = sum of `weight[..i]`.
    pub(crate) cum: Vec<f64>,
    /// Injected anomalies: day index, kind, factor.
    pub(crate) anomalies: Vec<(usize, AnomalyKind, f64)>,
}

impl Demand {
    pub(crate) fn new(rng: &mut Rng, c: &GeneratorConfig) -> Demand {
        let days = c.days as usize;
        // Store-specific weekly profile (Monday first) around a typical retail week.
        let base_week = [0.85, 0.82, 0.88, 0.95, 1.12, 1.38, 1.0];
        let week: Vec<f64> = base_week.iter().map(|w| w * (1.0 + 0.08 * rng.normal()).clamp(0.7, 1.3)).collect();
        let amp = 0.15 + 0.1 * rng.f64();
        let phase = rng.f64() * 0.5;
        let growth = c.yearly_growth * (0.6 + 0.8 * rng.f64());
        let mut weight: Vec<f64> = (0..days)
            .map(|i| {
                let date = c.start + Duration::days(i as i64);
                let t = i as f64 / 365.25;
                let trend = (1.0 + growth).powf(t);
                let doy = date.ordinal0() as f64 / 365.25;
                let yearly = 1.0 + amp * (std::f64::consts::TAU * (doy - phase)).cos();
                trend * week[date.weekday().num_days_from_monday() as usize] * yearly * holiday_factor(date)
            })
            .collect();
        let open = weight.iter().filter(|&&w| w > 0.0).count().max(1);
        let mean = weight.iter().sum::<f64>() / open as f64;
        if mean > 0.0 {
            weight.iter_mut().for_each(|w| *w /= mean);
        }
        // Anomalies on ordinary open days after the first two weeks, at least 3 days apart.
        let mut anomalies: Vec<(usize, AnomalyKind, f64)> = Vec::new();
        let lo = 14.min(days.saturating_sub(1));
        let mut tries = 0;
        while anomalies.len() < c.anomalies_per_store && tries < 100 * (c.anomalies_per_store + 1) && days > lo {
            tries += 1;
            let d = lo + rng.below((days - lo) as u64) as usize;
            let date = c.start + Duration::days(d as i64);
            if holiday_factor(date) != 1.0 || anomalies.iter().any(|a| a.0.abs_diff(d) < 3) {
                continue;
            }
            let (kind, factor) = if rng.f64() < 0.5 {
                (AnomalyKind::Spike, 2.5 + 1.5 * rng.f64())
            } else {
                (AnomalyKind::Drop, 0.15 + 0.2 * rng.f64())
            };
            weight[d] *= factor;
            anomalies.push((d, kind, factor));
        }
        anomalies.sort_by_key(|a| a.0);
        let mut cum = Vec::with_capacity(days + 1);
        let mut acc = 0.0;
        cum.push(0.0);
        for w in &weight {
            acc += w;
            cum.push(acc);
        }
        Demand { weight, cum, anomalies }
    }

    /// A day in `[from, to)` drawn with probability proportional to its weight.
    #[inline]
    pub(crate) fn sample_day(&self, rng: &mut Rng, from: usize, to: usize) -> usize {
        let (a, b) = (self.cum[from], self.cum[to]);
        let u = a + (b - a) * rng.f64();
        let i = self.cum[from + 1..=to].partition_point(|&c| c <= u);
        (from + i).min(to - 1)
    }
}
