//! Association rules `antecedent → consequent` from frequent itemsets, with the usual interest
//! metrics.

use std::collections::HashMap;

use super::fpgrowth::FrequentItemsets;
use crate::error::{Error, Result};

/// Options of [`association_rules`]. A rule is kept when it meets both thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOptions {
    /// Smallest confidence, in `[0, 1]`. Default `0.5`.
    pub min_confidence: f64,
    /// Smallest lift, `>= 0`. Default `0.0` (no lift filter); `1.0` keeps only rules whose
    /// products are bought together more often than by chance.
    pub min_lift: f64,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions { min_confidence: 0.5, min_lift: 0.0 }
    }
}

/// One association rule with its metrics. Supports are fractions of all baskets; `A` is the
/// antecedent, `C` the consequent.
///
/// The metrics follow mlxtend's `association_rules` exactly (same formulas, same operation
/// order, so values agree to the last bit or nearly):
/// `confidence = s(AC)/s(A)`, `lift = confidence/s(C)`, `leverage = s(AC) - s(A)s(C)`,
/// `conviction = (1 - s(C))/(1 - confidence)`, `zhangs_metric = leverage / max(s(AC)(1 - s(A)),
/// s(A)(s(C) - s(AC)))` (0 when that maximum is 0), `jaccard = s(AC)/(s(A) + s(C) - s(AC))`,
/// `certainty = (confidence - s(C))/(1 - s(C))` (0 when `s(C) = 1`) and
/// `kulczynski = (s(AC)/s(A) + s(AC)/s(C))/2`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssociationRule {
    /// Products of the antecedent, ascending codes.
    pub antecedent: Vec<u32>,
    /// Products of the consequent, ascending codes.
    pub consequent: Vec<u32>,
    /// Number of baskets holding antecedent and consequent.
    pub count: u64,
    /// Support of the antecedent.
    pub antecedent_support: f64,
    /// Support of the consequent.
    pub consequent_support: f64,
    /// Support of antecedent and consequent together.
    pub support: f64,
    /// Share of antecedent baskets that also hold the consequent.
    pub confidence: f64,
    /// Confidence relative to the consequent's support (1 = independent).
    pub lift: f64,
    /// Joint support minus the support expected under independence.
    pub leverage: f64,
    /// How much more often the rule would be wrong if the products were independent.
    /// `f64::INFINITY` when the confidence is 1 (the rule is never wrong), as in mlxtend.
    pub conviction: f64,
    /// Zhang's metric of association, in `[-1, 1]`.
    pub zhangs_metric: f64,
    /// Jaccard similarity of the antecedent and consequent basket sets.
    pub jaccard: f64,
    /// Certainty factor, in `[-1, 1]`.
    pub certainty: f64,
    /// Mean of the confidences in both directions.
    pub kulczynski: f64,
}

/// Every rule `A → C` with `A`, `C` non-empty, disjoint and `A ∪ C` a frequent itemset, that
/// meets the options' thresholds; ordered by itemset (as in [`FrequentItemsets`]), then by
/// antecedent size (largest first), then antecedent codes.
///
/// Errors with [`Error::InvalidParameter`] for thresholds out of range.
///
/// ```
/// use storelytics::recommend::{Baskets, FpGrowthOptions, RuleOptions, association_rules, frequent_itemsets};
///
/// // Coffee (1) and milk (2) go together; bread (3) is bought alone.
/// let baskets = Baskets::from_lists(vec![vec![1, 2], vec![1, 2], vec![1, 2, 3], vec![3], vec![1]]);
/// let sets = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.4, ..Default::default() })?;
/// let rules = association_rules(&sets, RuleOptions { min_confidence: 0.9, ..Default::default() })?;
/// assert_eq!(rules.len(), 1);
/// assert_eq!((rules[0].antecedent.as_slice(), rules[0].consequent.as_slice()), (&[2][..], &[1][..]));
/// assert_eq!(rules[0].confidence, 1.0);
/// assert_eq!(rules[0].conviction, f64::INFINITY);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn association_rules(itemsets: &FrequentItemsets, options: RuleOptions) -> Result<Vec<AssociationRule>> {
    if !(0.0..=1.0).contains(&options.min_confidence) {
        return Err(Error::invalid_parameter(
            "min_confidence",
            format!("must be in [0, 1], got {}", options.min_confidence),
        ));
    }
    if !(options.min_lift >= 0.0 && options.min_lift.is_finite()) {
        return Err(Error::invalid_parameter(
            "min_lift",
            format!("must be a finite number >= 0, got {}", options.min_lift),
        ));
    }
    let counts: HashMap<&[u32], u64> = itemsets.iter().map(|s| (s.products, s.count)).collect();
    let total = itemsets.basket_count() as f64;
    let rules_of = |products: &[u32], count: u64| -> Vec<AssociationRule> {
        let k = products.len();
        if !(2..64).contains(&k) {
            return Vec::new();
        }
        let mut masks: Vec<u64> = (1..(1u64 << k) - 1).collect();
        // Largest antecedents first, then ascending antecedent codes.
        let subset = |mask: u64| -> Vec<u32> { (0..k).filter(|i| mask >> i & 1 == 1).map(|i| products[i]).collect() };
        masks.sort_by_cached_key(|&m| (std::cmp::Reverse(m.count_ones()), subset(m)));
        let mut rules = Vec::new();
        for mask in masks {
            let antecedent = subset(mask);
            let consequent = subset(!mask & ((1u64 << k) - 1));
            let (Some(&count_a), Some(&count_c)) =
                (counts.get(antecedent.as_slice()), counts.get(consequent.as_slice()))
            else {
                continue;
            };
            let rule = metrics(antecedent, consequent, count, count_a, count_c, total);
            if rule.confidence >= options.min_confidence && rule.lift >= options.min_lift {
                rules.push(rule);
            }
        }
        rules
    };
    let per_itemset = |s: super::Itemset<'_>| rules_of(s.products, s.count);
    #[cfg(feature = "parallel")]
    let nested: Vec<Vec<AssociationRule>> = {
        use rayon::prelude::*;
        let sets: Vec<_> = itemsets.iter().filter(|s| s.products.len() >= 2).collect();
        // Rules of a few hundred itemsets take well under a millisecond: not worth a thread.
        sets.into_par_iter().with_min_len(256).map(per_itemset).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let nested: Vec<Vec<AssociationRule>> =
        itemsets.iter().filter(|s| s.products.len() >= 2).map(per_itemset).collect();
    Ok(nested.into_iter().flatten().collect())
}

/// The metrics of one rule, computed in mlxtend's operation order.
fn metrics(
    antecedent: Vec<u32>,
    consequent: Vec<u32>,
    count: u64,
    count_a: u64,
    count_c: u64,
    total: f64,
) -> AssociationRule {
    let s_ac = count as f64 / total;
    let s_a = count_a as f64 / total;
    let s_c = count_c as f64 / total;
    let confidence = (s_ac * total) / (s_a * total);
    let lift = confidence / s_c;
    let leverage = s_ac - s_a * s_c;
    let conviction = if confidence < 1.0 { (1.0 - s_c) / (1.0 - confidence) } else { f64::INFINITY };
    let zhang_denominator = f64::max(s_ac * (1.0 - s_a), s_a * (s_c - s_ac));
    let zhangs_metric = if zhang_denominator == 0.0 { 0.0 } else { leverage / zhang_denominator };
    let jaccard = s_ac / (s_a + s_c - s_ac);
    let certainty_denominator = 1.0 - s_c;
    let certainty = if certainty_denominator == 0.0 { 0.0 } else { (confidence - s_c) / certainty_denominator };
    let reverse_confidence = (s_ac * total) / (s_c * total);
    let kulczynski = (confidence + reverse_confidence) / 2.0;
    AssociationRule {
        antecedent,
        consequent,
        count,
        antecedent_support: s_a,
        consequent_support: s_c,
        support: s_ac,
        confidence,
        lift,
        leverage,
        conviction,
        zhangs_metric,
        jaccard,
        certainty,
        kulczynski,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::{Baskets, FpGrowthOptions, frequent_itemsets};

    fn sets(lists: Vec<Vec<u32>>, min_support: f64) -> FrequentItemsets {
        frequent_itemsets(
            &Baskets::from_lists(lists),
            FpGrowthOptions { min_support, max_len: None, ..Default::default() },
        )
        .unwrap()
    }

    #[test]
    fn metrics_by_hand() {
        // 10 baskets: A in 5, C in 4, both in 3.
        let mut lists = vec![vec![1, 2]; 3];
        lists.extend(vec![vec![1]; 2]);
        lists.push(vec![2]);
        lists.extend(vec![vec![9]; 4]);
        let rules = association_rules(&sets(lists, 0.1), RuleOptions { min_confidence: 0.0, min_lift: 0.0 }).unwrap();
        let r = rules.iter().find(|r| r.antecedent == [1] && r.consequent == [2]).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(r.support, 0.3) && close(r.antecedent_support, 0.5) && close(r.consequent_support, 0.4));
        assert!(close(r.confidence, 0.6));
        assert!(close(r.lift, 1.5));
        assert!(close(r.leverage, 0.3 - 0.2));
        assert!(close(r.conviction, 0.6 / 0.4));
        assert!(close(r.zhangs_metric, 0.1 / f64::max(0.3 * 0.5, 0.5 * 0.1)));
        assert!(close(r.jaccard, 0.3 / 0.6));
        assert!(close(r.certainty, 0.2 / 0.6));
        assert!(close(r.kulczynski, (0.6 + 0.75) / 2.0));
        assert_eq!(r.count, 3);
    }

    #[test]
    fn thresholds_filter_and_validate() {
        let lists = vec![vec![1, 2], vec![1, 2], vec![1, 3], vec![2, 3], vec![3]];
        let s = sets(lists, 0.2);
        let all = association_rules(&s, RuleOptions { min_confidence: 0.0, min_lift: 0.0 }).unwrap();
        let strong = association_rules(&s, RuleOptions { min_confidence: 0.6, min_lift: 0.0 }).unwrap();
        let lifted = association_rules(&s, RuleOptions { min_confidence: 0.0, min_lift: 1.01 }).unwrap();
        assert!(strong.len() < all.len() && lifted.len() < all.len());
        assert!(strong.iter().all(|r| r.confidence >= 0.6) && lifted.iter().all(|r| r.lift >= 1.01));
        for (c, l) in [(-0.1, 0.0), (1.1, 0.0), (f64::NAN, 0.0), (0.5, -1.0), (0.5, f64::NAN), (0.5, f64::INFINITY)] {
            let err = association_rules(&s, RuleOptions { min_confidence: c, min_lift: l }).unwrap_err();
            assert!(matches!(err, Error::InvalidParameter { .. }), "{c} {l}");
        }
    }

    #[test]
    fn product_bought_by_everyone_and_single_items() {
        // Product 0 is in every basket: s(C) = 1 makes certainty 0 and conviction 0/0 guarded.
        let s = sets(vec![vec![0, 1], vec![0, 2], vec![0, 1, 2], vec![0]], 0.25);
        let rules = association_rules(&s, RuleOptions { min_confidence: 0.0, min_lift: 0.0 }).unwrap();
        let to_all = rules.iter().find(|r| r.antecedent == [1] && r.consequent == [0]).unwrap();
        assert_eq!(to_all.confidence, 1.0);
        assert_eq!(to_all.lift, 1.0);
        assert_eq!(to_all.conviction, f64::INFINITY);
        assert_eq!(to_all.certainty, 0.0);
        assert_eq!(to_all.zhangs_metric, 0.0);
        assert!(rules.iter().all(|r| !r.lift.is_nan() && !r.jaccard.is_nan() && !r.zhangs_metric.is_nan()));
        // Single-item baskets: no rules.
        let singles = sets(vec![vec![1], vec![2], vec![1]], 0.1);
        assert!(association_rules(&singles, RuleOptions::default()).unwrap().is_empty());
    }

    #[test]
    fn rule_order_is_canonical() {
        let s = sets(vec![vec![1, 2, 3]; 3], 0.5);
        let rules = association_rules(&s, RuleOptions { min_confidence: 0.0, min_lift: 0.0 }).unwrap();
        let pairs: Vec<(Vec<u32>, Vec<u32>)> =
            rules.iter().map(|r| (r.antecedent.clone(), r.consequent.clone())).collect();
        assert_eq!(pairs[0], (vec![1], vec![2]));
        assert_eq!(rules.len(), 6 + 6);
        assert_eq!(pairs[6], (vec![1, 2], vec![3]));
        assert_eq!(pairs[11], (vec![3], vec![1, 2]));
    }
}
