//! Named customer segments from R, F (and optionally M) scores.
//!
//! A [`SegmentMap`] is an ordered list of [`SegmentRule`]s; a customer gets the segment of the
//! first rule whose score ranges contain their scores. The default is the widely used
//! ten-segment map on recency and frequency scores of 1–5 (the one RFM notebooks write as
//! regular expressions on the "RF" string, e.g. `[1-2][1-2]` → Hibernating):
//!
//! | segment | R | F |
//! |---|---|---|
//! | Champions | 5 | 4–5 |
//! | Loyal | 3–4 | 4–5 |
//! | Potential Loyalists | 4–5 | 2–3 |
//! | New Customers | 5 | 1 |
//! | Promising | 4 | 1 |
//! | Need Attention | 3 | 3 |
//! | About To Sleep | 3 | 1–2 |
//! | At Risk | 1–2 | 3–4 |
//! | Can't Lose Them | 1–2 | 5 |
//! | Hibernating | 1–2 | 1–2 |

use std::fmt;

use serde::{Deserialize, Serialize};

use super::rfm::MAX_BINS;
use crate::error::{Error, Result};

/// A named customer segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// Bought recently, buy often.
    Champions,
    /// Buy often, fairly recently.
    Loyal,
    /// Recent customers with a few orders.
    PotentialLoyalists,
    /// Bought very recently, once.
    NewCustomers,
    /// Bought recently, once.
    Promising,
    /// Average recency and frequency.
    NeedAttention,
    /// Fading, few orders.
    AboutToSleep,
    /// Used to buy fairly often, not lately.
    AtRisk,
    /// Used to buy very often, not lately.
    CantLoseThem,
    /// Long gone, few orders.
    Hibernating,
    /// A segment of a caller-defined map.
    Custom(String),
}

impl Segment {
    /// The segments of the default map, best first.
    pub const TEN: [Segment; 10] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalists,
        Segment::NewCustomers,
        Segment::Promising,
        Segment::NeedAttention,
        Segment::AboutToSleep,
        Segment::AtRisk,
        Segment::CantLoseThem,
        Segment::Hibernating,
    ];

    /// Display name, e.g. `"Can't Lose Them"`.
    pub fn name(&self) -> &str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::PotentialLoyalists => "Potential Loyalists",
            Segment::NewCustomers => "New Customers",
            Segment::Promising => "Promising",
            Segment::NeedAttention => "Need Attention",
            Segment::AboutToSleep => "About To Sleep",
            Segment::AtRisk => "At Risk",
            Segment::CantLoseThem => "Can't Lose Them",
            Segment::Hibernating => "Hibernating",
            Segment::Custom(name) => name,
        }
    }

    /// The segment with this display name: one of the ten, or a custom one.
    pub fn from_name(name: &str) -> Segment {
        Segment::TEN.iter().find(|s| s.name() == name).cloned().unwrap_or_else(|| Segment::Custom(name.to_string()))
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Segment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Segment::from_name(&name))
    }
}

/// One rule of a [`SegmentMap`]: inclusive score ranges `[low, high]` for R, F and M.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    /// The segment this rule assigns.
    pub segment: Segment,
    /// Recency score range (5 = most recent with the default 5 bins).
    pub recency: (u8, u8),
    /// Frequency score range.
    pub frequency: (u8, u8),
    /// Monetary score range; `(1, 10)` (any) in the default map.
    pub monetary: (u8, u8),
}

impl SegmentRule {
    /// A rule on recency and frequency only (any monetary score).
    pub fn rf(segment: Segment, recency: (u8, u8), frequency: (u8, u8)) -> Self {
        SegmentRule { segment, recency, frequency, monetary: (1, MAX_BINS) }
    }

    fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        let within = |(lo, hi): (u8, u8), s: u8| lo <= s && s <= hi;
        within(self.recency, r) && within(self.frequency, f) && within(self.monetary, m)
    }
}

/// An ordered list of segment rules; the first matching rule wins. Must cover every score
/// combination of the bins used (checked by [`crate::customers::rfm`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentMap {
    /// Rules in priority order.
    pub rules: Vec<SegmentRule>,
}

impl Default for SegmentMap {
    /// The ten-segment R/F map described in the module documentation.
    fn default() -> Self {
        use Segment::*;
        SegmentMap {
            rules: vec![
                SegmentRule::rf(Champions, (5, 5), (4, 5)),
                SegmentRule::rf(Loyal, (3, 4), (4, 5)),
                SegmentRule::rf(PotentialLoyalists, (4, 5), (2, 3)),
                SegmentRule::rf(NewCustomers, (5, 5), (1, 1)),
                SegmentRule::rf(Promising, (4, 4), (1, 1)),
                SegmentRule::rf(NeedAttention, (3, 3), (3, 3)),
                SegmentRule::rf(AboutToSleep, (3, 3), (1, 2)),
                SegmentRule::rf(AtRisk, (1, 2), (3, 4)),
                SegmentRule::rf(CantLoseThem, (1, 2), (5, 5)),
                SegmentRule::rf(Hibernating, (1, 2), (1, 2)),
            ],
        }
    }
}

impl SegmentMap {
    /// Index of the rule that applies to scores `(r, f, m)`.
    pub(crate) fn rule_index(&self, r: u8, f: u8, m: u8) -> Option<usize> {
        self.rules.iter().position(|rule| rule.matches(r, f, m))
    }

    /// The distinct segments of the map, in order of first appearance.
    pub(crate) fn segments(&self) -> Vec<Segment> {
        let mut out: Vec<Segment> = Vec::new();
        for rule in &self.rules {
            if !out.contains(&rule.segment) {
                out.push(rule.segment.clone());
            }
        }
        out
    }

    /// Checks that every score combination with `bins` bins gets a segment.
    pub(crate) fn validate(&self, bins: u8) -> Result<()> {
        for r in 1..=bins {
            for f in 1..=bins {
                for m in 1..=bins {
                    if self.rule_index(r, f, m).is_none() {
                        return Err(Error::invalid_parameter(
                            "segments",
                            format!(
                                "no rule covers scores R={r}, F={f}, M={m} (with {bins} bins every combination of 1..={bins} needs a rule)"
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_map_covers_five_bins_without_overlap() {
        let map = SegmentMap::default();
        map.validate(5).unwrap();
        for r in 1..=5 {
            for f in 1..=5 {
                let hits = map.rules.iter().filter(|rule| rule.matches(r, f, 1)).count();
                assert_eq!(hits, 1, "R={r} F={f}");
            }
        }
        assert_eq!(map.segments().len(), 10);
        assert_eq!(map.rules[map.rule_index(1, 5, 3).unwrap()].segment, Segment::CantLoseThem);
        assert_eq!(map.rules[map.rule_index(4, 1, 3).unwrap()].segment, Segment::Promising);
    }

    #[test]
    fn default_map_does_not_cover_six_bins() {
        let err = SegmentMap::default().validate(6).unwrap_err();
        assert!(err.to_string().contains("R=1, F=6"), "{err}");
    }

    #[test]
    fn names_round_trip() {
        for s in Segment::TEN {
            assert_eq!(Segment::from_name(s.name()), s);
        }
        assert_eq!(Segment::from_name("VIP"), Segment::Custom("VIP".into()));
    }
}
