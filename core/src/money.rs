//! Exact money: amounts as integer minor units (cents at the default scale of 2).

use serde::{Deserialize, Serialize};

/// Default number of decimal places of money amounts (cents).
pub const DEFAULT_SCALE: u32 = 2;

/// Largest supported scale (decimal places).
pub const MAX_SCALE: u32 = 6;

/// An exact amount of money in minor units (e.g. cents). The scale lives with the data
/// ([`crate::sales::Sales::money_scale`]), so sums are exact integer additions, independent of
/// row order and thread count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// The minor units.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// The amount in major units (e.g. euros) as a float, for display and ratios.
    pub fn to_major(self, scale: u32) -> f64 {
        self.0 as f64 / 10f64.powi(scale as i32)
    }

    /// Formats with `scale` decimals and thousands separators, e.g. `12,345.67`.
    pub fn format(self, scale: u32) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let div = 10u64.pow(scale);
        let (int, frac) = (abs / div, abs % div);
        let digits = int.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let sign = if neg { "-" } else { "" };
        if scale == 0 { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{frac:0w$}", w = scale as usize) }
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}

/// `major × 10^scale` rounded to the nearest integer (halves away from zero), or `None` if
/// the value is not finite or does not fit in `i64`.
pub(crate) fn to_minor(major: f64, scale: u32) -> Option<i64> {
    let v = (major * 10f64.powi(scale as i32)).round();
    if v.is_finite() && v.abs() < 9.0e18 { Some(v as i64) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_converts() {
        assert_eq!(Money(1234567).format(2), "12,345.67");
        assert_eq!(Money(-5).format(2), "-0.05");
        assert_eq!(Money(100).format(0), "100");
        assert_eq!(to_minor(19.99, 2), Some(1999));
        assert_eq!(to_minor(0.1 + 0.2, 2), Some(30));
        assert_eq!(to_minor(f64::NAN, 2), None);
        assert_eq!(Money(250).to_major(2), 2.5);
    }
}
