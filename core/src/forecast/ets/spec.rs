//! The ETS model taxonomy: error, trend and seasonal component types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How the random error enters the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// `y = forecast + error`.
    Additive,
    /// `y = forecast * (1 + error)`: the error is relative; needs strictly positive data.
    Multiplicative,
}

/// The trend (growth) component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendType {
    /// No trend.
    None,
    /// Additive trend: the level grows by `b` per step.
    Additive,
    /// Multiplicative trend: the level grows by the factor `b` per step.
    Multiplicative,
}

/// The seasonal component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeasonType {
    /// No seasonality.
    None,
    /// Seasonal effects added to the level.
    Additive,
    /// Seasonal factors multiplying the level.
    Multiplicative,
}

/// One ETS model: error, trend (possibly damped) and seasonal types.
///
/// Written in the usual short form `E T[d] S`, e.g. `"ANN"` (simple exponential smoothing),
/// `"AAdN"` (additive damped trend), `"MAM"` (multiplicative Holt–Winters).
///
/// ```
/// use storelytics::forecast::ets::{EtsSpec, ErrorType, SeasonType, TrendType};
/// let spec = EtsSpec::parse("MAdM").unwrap();
/// assert_eq!(spec.error, ErrorType::Multiplicative);
/// assert_eq!(spec.trend, TrendType::Additive);
/// assert!(spec.damped);
/// assert_eq!(spec.season, SeasonType::Multiplicative);
/// assert_eq!(spec.to_string(), "ETS(M,Ad,M)");
/// assert_eq!(spec.code(), "MAdM");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EtsSpec {
    /// Error type.
    pub error: ErrorType,
    /// Trend type.
    pub trend: TrendType,
    /// Whether the trend is damped (only meaningful with a trend).
    pub damped: bool,
    /// Seasonal type.
    pub season: SeasonType,
}

impl EtsSpec {
    /// Parses the short form: error `A`/`M`, trend `N`/`A`/`Ad`/`M`/`Md`, season `N`/`A`/`M`
    /// (case-insensitive), e.g. `"AAdA"`.
    pub fn parse(code: &str) -> Result<Self> {
        let c: Vec<char> = code.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        let bad = || {
            Error::invalid_parameter(
                "model",
                format!(
                    "`{code}` is not an ETS model code: expected error A/M, trend N/A/Ad/M/Md, season N/A/M, e.g. `AAdM`"
                ),
            )
        };
        let (error, trend, damped, season) = match c.as_slice() {
            [e, t, s] => (*e, *t, false, *s),
            [e, t, 'D', s] => (*e, *t, true, *s),
            _ => return Err(bad()),
        };
        let error = match error {
            'A' => ErrorType::Additive,
            'M' => ErrorType::Multiplicative,
            _ => return Err(bad()),
        };
        let trend = match trend {
            'N' if !damped => TrendType::None,
            'A' => TrendType::Additive,
            'M' => TrendType::Multiplicative,
            _ => return Err(bad()),
        };
        let season = season_from_char(season).ok_or_else(bad)?;
        Ok(EtsSpec { error, trend, damped, season })
    }

    /// The short form, e.g. `"MAdM"`.
    pub fn code(&self) -> String {
        format!("{}{}{}", error_letter(self.error), self.trend_code(), season_letter(self.season))
    }

    fn trend_code(&self) -> &'static str {
        match (self.trend, self.damped) {
            (TrendType::None, _) => "N",
            (TrendType::Additive, false) => "A",
            (TrendType::Additive, true) => "Ad",
            (TrendType::Multiplicative, false) => "M",
            (TrendType::Multiplicative, true) => "Md",
        }
    }

    /// Whether the model has a seasonal component.
    pub fn is_seasonal(&self) -> bool {
        self.season != SeasonType::None
    }

    /// Whether the model has a trend component.
    pub fn has_trend(&self) -> bool {
        self.trend != TrendType::None
    }

    /// Whether any component is multiplicative (such models need strictly positive data).
    pub fn needs_positive_data(&self) -> bool {
        self.error == ErrorType::Multiplicative
            || self.trend == TrendType::Multiplicative
            || self.season == SeasonType::Multiplicative
    }

    /// Whether the model is one of the combinations that R `forecast::ets` and statsforecast
    /// exclude by default as numerically unstable: additive error with a multiplicative trend
    /// or season, and multiplicative error with multiplicative trend and additive season.
    pub fn is_restricted(&self) -> bool {
        (self.error == ErrorType::Additive
            && (self.trend == TrendType::Multiplicative || self.season == SeasonType::Multiplicative))
            || (self.error == ErrorType::Multiplicative
                && self.trend == TrendType::Multiplicative
                && self.season == SeasonType::Additive)
    }

    /// The same model without its seasonal component.
    pub(crate) fn without_season(self) -> Self {
        EtsSpec { season: SeasonType::None, ..self }
    }

    /// Whether the model has analytic prediction intervals (Hyndman et al. 2008 classes 1 and
    /// 2: every component additive, error additive or multiplicative).
    pub(crate) fn has_analytic_intervals(&self) -> bool {
        self.trend != TrendType::Multiplicative && self.season != SeasonType::Multiplicative
    }
}

fn season_from_char(c: char) -> Option<SeasonType> {
    match c {
        'N' => Some(SeasonType::None),
        'A' => Some(SeasonType::Additive),
        'M' => Some(SeasonType::Multiplicative),
        _ => None,
    }
}

fn error_letter(e: ErrorType) -> char {
    match e {
        ErrorType::Additive => 'A',
        ErrorType::Multiplicative => 'M',
    }
}

fn season_letter(s: SeasonType) -> char {
    match s {
        SeasonType::None => 'N',
        SeasonType::Additive => 'A',
        SeasonType::Multiplicative => 'M',
    }
}

impl fmt::Display for EtsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ETS({},{},{})", error_letter(self.error), self.trend_code(), season_letter(self.season))
    }
}

impl FromStr for EtsSpec {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        EtsSpec::parse(s)
    }
}

/// A model pattern as in R `forecast::ets` / statsforecast `AutoETS(model=...)`: three letters
/// for error, trend and season, where `Z` means "choose automatically", e.g. `"ZZZ"`, `"AZN"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelPattern {
    pub(crate) errors: &'static [ErrorType],
    pub(crate) trends: &'static [TrendType],
    pub(crate) seasons: &'static [SeasonType],
}

impl ModelPattern {
    pub(crate) fn parse(code: &str) -> Result<Self> {
        let c: Vec<char> = code.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        let bad = || {
            Error::invalid_parameter(
                "model",
                format!(
                    "`{code}` is not an ETS model pattern: three letters from error A/M/Z, trend N/A/M/Z, season N/A/M/Z"
                ),
            )
        };
        let [e, t, s] = c.as_slice() else { return Err(bad()) };
        let errors: &'static [ErrorType] = match e {
            'A' => &[ErrorType::Additive],
            'M' => &[ErrorType::Multiplicative],
            'Z' => &[ErrorType::Additive, ErrorType::Multiplicative],
            _ => return Err(bad()),
        };
        let trends: &'static [TrendType] = match t {
            'N' => &[TrendType::None],
            'A' => &[TrendType::Additive],
            'M' => &[TrendType::Multiplicative],
            'Z' => &[TrendType::None, TrendType::Additive, TrendType::Multiplicative],
            _ => return Err(bad()),
        };
        let seasons: &'static [SeasonType] = match s {
            'N' => &[SeasonType::None],
            'A' => &[SeasonType::Additive],
            'M' => &[SeasonType::Multiplicative],
            'Z' => &[SeasonType::None, SeasonType::Additive, SeasonType::Multiplicative],
            _ => return Err(bad()),
        };
        Ok(ModelPattern { errors, trends, seasons })
    }

    /// Whether the trend letter was `Z` (so a multiplicative trend is only an automatic
    /// candidate, subject to `allow_multiplicative_trend`).
    pub(crate) fn trend_is_automatic(&self) -> bool {
        self.trends.len() > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_code() {
        for code in ["ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN", "MNM", "MAM", "MAdM", "MMdM"] {
            let spec = EtsSpec::parse(code).unwrap();
            assert_eq!(spec.code(), code);
        }
        assert_eq!(EtsSpec::parse("aadm").unwrap().code(), "AAdM");
        assert_eq!("MNM".parse::<EtsSpec>().unwrap().to_string(), "ETS(M,N,M)");
    }

    #[test]
    fn rejects_bad_codes() {
        for code in ["", "A", "ANd", "ANdN", "XNN", "AXN", "ANX", "AAAA", "AAdAd"] {
            assert!(EtsSpec::parse(code).is_err(), "{code}");
        }
        assert!(ModelPattern::parse("ZZ").is_err());
        assert!(ModelPattern::parse("ZQZ").is_err());
    }

    #[test]
    fn restrictions_follow_the_usual_rules() {
        assert!(EtsSpec::parse("AAM").unwrap().is_restricted());
        assert!(EtsSpec::parse("AMN").unwrap().is_restricted());
        assert!(EtsSpec::parse("MMA").unwrap().is_restricted());
        assert!(!EtsSpec::parse("MAM").unwrap().is_restricted());
        assert!(!EtsSpec::parse("MMM").unwrap().is_restricted());
    }
}
