//! `recommend`: association rules and recommendations for a customer; item similarity,
//! frequently bought together, frequent itemsets and the hold-out evaluation in [`analyses`],
//! option conversion and the core defaults in [`options`].

use std::sync::Arc;

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::Id;
use storelytics::recommend::{
    Baskets, RecommendationSource, Recommender, RuleOptions, association_rules, frequent_itemsets,
};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

mod analyses;
mod options;

use options::{basket_options, fp_growth_options, similarity_options};

/// An association rule with product ids instead of product codes.
#[derive(Serialize)]
struct Rule {
    antecedent: Vec<Id>,
    consequent: Vec<Id>,
    count: u64,
    antecedent_support: f64,
    consequent_support: f64,
    support: f64,
    confidence: f64,
    lift: f64,
    leverage: f64,
    conviction: f64,
    zhangs_metric: f64,
    jaccard: f64,
    certainty: f64,
    kulczynski: f64,
}

/// A recommendation with the product id.
#[derive(Serialize)]
struct Recommended {
    product: Id,
    score: f64,
    source: RecommendationSource,
}

/// `recommend::association_rules` on the FP-growth itemsets of the sales' baskets, as JSON.
/// `None` arguments take the core defaults (`FpGrowthOptions`, `RuleOptions`, `BasketOptions`).
#[pyfunction]
#[pyo3(signature = (
    sales, min_support=None, max_len=None, max_itemsets=None, min_confidence=None, min_lift=None,
    include_returns=None, store=None
))]
#[allow(clippy::too_many_arguments)]
fn association_rules_json(
    py: Python<'_>,
    sales: &PySales,
    min_support: Option<f64>,
    max_len: Option<usize>,
    max_itemsets: Option<usize>,
    min_confidence: Option<f64>,
    min_lift: Option<f64>,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let baskets = guard(|| basket_options(include_returns, store.as_ref()))?;
    let fp = fp_growth_options(min_support, max_len, max_itemsets);
    let d = RuleOptions::default();
    let rule_options = RuleOptions {
        min_confidence: min_confidence.unwrap_or(d.min_confidence),
        min_lift: min_lift.unwrap_or(d.min_lift),
    };
    let sales = Arc::clone(&sales.inner);
    let rules = run(py, move || {
        let b = Baskets::from_sales(&sales, &baskets)?;
        let itemsets = frequent_itemsets(&b, fp)?;
        let rules = association_rules(&itemsets, rule_options)?;
        let ids = |codes: &[u32]| codes.iter().map(|&c| sales.products().id(c)).collect::<Vec<_>>();
        Ok(rules
            .iter()
            .map(|r| Rule {
                antecedent: ids(&r.antecedent),
                consequent: ids(&r.consequent),
                count: r.count,
                antecedent_support: r.antecedent_support,
                consequent_support: r.consequent_support,
                support: r.support,
                confidence: r.confidence,
                lift: r.lift,
                leverage: r.leverage,
                conviction: r.conviction,
                zhangs_metric: r.zhangs_metric,
                jaccard: r.jaccard,
                certainty: r.certainty,
                kulczynski: r.kulczynski,
            })
            .collect::<Vec<_>>())
    })?;
    convert::json(&rules)
}

/// `Recommender::from_sales(..).recommend_for(customer, top)`, as JSON. `None` arguments take
/// the core defaults (`BasketOptions`, `SimilarityOptions`).
#[pyfunction]
#[pyo3(signature = (sales, customer, top=10, include_returns=None, store=None, neighbours=None))]
fn recommend_json(
    py: Python<'_>,
    sales: &PySales,
    customer: Bound<'_, PyAny>,
    top: usize,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
    neighbours: Option<usize>,
) -> PyResult<String> {
    let (customer, baskets, similarity) = guard(|| {
        Ok((
            convert::id("customer", &customer)?,
            basket_options(include_returns, store.as_ref())?,
            similarity_options(None, None, None, neighbours)?,
        ))
    })?;
    let sales = Arc::clone(&sales.inner);
    let recommended = run(py, move || {
        let code = sales
            .customers()
            .code(&customer)
            .ok_or_else(|| storelytics::Error::UnknownId { kind: "customer".into(), id: customer.to_string() })?;
        let model = Recommender::from_sales(&sales, &baskets, similarity)?;
        Ok(model
            .recommend_for(code, top)?
            .iter()
            .map(|r| Recommended { product: sales.products().id(r.product), score: r.score, source: r.source })
            .collect::<Vec<_>>())
    })?;
    convert::json(&recommended)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(association_rules_json, m)?)?;
    m.add_function(wrap_pyfunction!(recommend_json, m)?)?;
    analyses::register(m)
}
