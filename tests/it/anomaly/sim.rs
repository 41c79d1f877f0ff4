//! Seeded simulator of daily store metrics with labelled anomalies: weekly and yearly
//! seasonality, a trend, multiplicative noise, injected spikes, drops and level shifts,
//! optionally a closed weekday and missing days.

use chrono::NaiveDate;
use storelytics::anomaly::AnomalyKind;
use storelytics::anomaly::evaluation::Label;
use storelytics::{calendar::Granularity, forecast::TimeSeries};

/// SplitMix64: small, seedable, same stream on every platform.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal (Box-Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Knobs of one simulated series.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setting {
    pub(crate) name: &'static str,
    pub(crate) days: usize,
    /// Noise standard deviation relative to the expected value.
    pub(crate) noise_cv: f64,
    pub(crate) point_anomalies: usize,
    pub(crate) level_shifts: usize,
    /// Sundays are closed (zero sales).
    pub(crate) closed_sunday: bool,
    /// Share of days with a missing value.
    pub(crate) missing_share: f64,
}

pub(crate) const SETTINGS: [Setting; 4] = [
    Setting {
        name: "calm",
        days: 730,
        noise_cv: 0.06,
        point_anomalies: 8,
        level_shifts: 2,
        closed_sunday: false,
        missing_share: 0.0,
    },
    Setting {
        name: "noisy",
        days: 730,
        noise_cv: 0.12,
        point_anomalies: 8,
        level_shifts: 2,
        closed_sunday: false,
        missing_share: 0.0,
    },
    Setting {
        name: "closed sundays + 3% missing",
        days: 730,
        noise_cv: 0.08,
        point_anomalies: 8,
        level_shifts: 2,
        closed_sunday: true,
        missing_share: 0.03,
    },
    Setting {
        name: "one year",
        days: 365,
        noise_cv: 0.08,
        point_anomalies: 5,
        level_shifts: 1,
        closed_sunday: false,
        missing_share: 0.0,
    },
];

pub(crate) struct Simulated {
    pub(crate) series: TimeSeries,
    pub(crate) labels: Vec<Label>,
}

/// Weekday factors, Monday first (the series starts on a Monday).
const WEEKLY: [f64; 7] = [0.9, 0.85, 0.95, 1.0, 1.15, 1.35, 1.1];

pub(crate) fn simulate(seed: u64, s: &Setting) -> Simulated {
    let mut rng = Rng::new(seed);
    let n = s.days;
    let base = rng.between(500.0, 2000.0);
    let slope = rng.between(-0.2, 0.5) / 730.0;
    let phase = rng.between(0.0, 365.0);
    let yearly_amp = rng.between(0.05, 0.2);
    let closed = |d: usize| s.closed_sunday && d % 7 == 6;

    // Level shifts: at least 60 days from the ends and from each other.
    let mut shifts: Vec<(usize, f64)> = Vec::new();
    while shifts.len() < s.level_shifts {
        let at = 60 + (rng.uniform() * (n - 120) as f64) as usize;
        if shifts.iter().all(|(b, _)| at.abs_diff(*b) >= 60) {
            let size = rng.between(0.25, 0.4) * if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
            shifts.push((at, size));
        }
    }
    shifts.sort_by_key(|s| s.0);
    let shift_factor = |d: usize| shifts.iter().filter(|(at, _)| d >= *at).map(|(_, f)| 1.0 + f).product::<f64>();
    let expected: Vec<f64> = (0..n)
        .map(|d| {
            let yearly = 1.0 + yearly_amp * (2.0 * std::f64::consts::PI * (d as f64 + phase) / 365.25).sin();
            base * (1.0 + slope * d as f64) * WEEKLY[d % 7] * yearly * shift_factor(d)
        })
        .collect();
    let mut values: Vec<f64> = expected
        .iter()
        .enumerate()
        .map(|(d, e)| if closed(d) { 0.0 } else { (e * (1.0 + s.noise_cv * rng.normal())).max(0.0) })
        .collect();

    // Point anomalies: open days, 4+ days apart and 8+ days from a shift start.
    let mut points: Vec<usize> = Vec::new();
    while points.len() < s.point_anomalies {
        let at = 3 + (rng.uniform() * (n - 6) as f64) as usize;
        let free = !closed(at)
            && points.iter().all(|p| at.abs_diff(*p) >= 4)
            && shifts.iter().all(|(b, _)| at.abs_diff(*b) >= 8);
        if free {
            points.push(at);
            let relative = if rng.uniform() < 0.5 { rng.between(0.35, 1.0) } else { -rng.between(0.35, 0.8) };
            values[at] = (expected[at] * (1.0 + relative)).max(0.0);
        }
    }
    // Missing days anywhere except on labelled days.
    for (d, v) in values.iter_mut().enumerate() {
        if rng.uniform() < s.missing_share && !points.contains(&d) {
            *v = f64::NAN;
        }
    }
    let mut labels: Vec<Label> = points.iter().map(|&index| Label { index, kind: AnomalyKind::Point }).collect();
    labels.extend(shifts.iter().map(|&(index, _)| Label { index, kind: AnomalyKind::LevelShift }));
    labels.sort_by_key(|l| l.index);
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).expect("valid date"); // a Monday
    let series = TimeSeries::new(format!("sim {seed}"), start, Granularity::Day, values, 7).expect("finite values");
    Simulated { series, labels }
}
