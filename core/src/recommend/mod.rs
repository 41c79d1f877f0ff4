//! Product recommendations: baskets, frequent itemsets (FP-growth), association rules.

mod baskets;
mod fpgrowth;

pub use baskets::Baskets;
pub use fpgrowth::{FpGrowthOptions, FrequentItemsets, Itemset, frequent_itemsets};
mod rules;

pub use rules::{AssociationRule, RuleOptions, association_rules};
