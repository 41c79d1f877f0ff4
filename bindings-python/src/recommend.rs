//! `recommend`: association rules and recommendations for a customer.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::Id;
use storelytics::recommend::{
    BasketOptions, Baskets, FpGrowthOptions, RecommendationSource, Recommender, RuleOptions, SimilarityOptions,
    association_rules, frequent_itemsets,
};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

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
#[pyfunction]
#[pyo3(signature = (
    sales, min_support=0.01, max_len=None, max_itemsets=10_000_000, min_confidence=0.5, min_lift=0.0,
    include_returns=false, store=None
))]
#[allow(clippy::too_many_arguments)]
fn association_rules_json(
    py: Python<'_>,
    sales: &PySales,
    min_support: f64,
    max_len: Option<usize>,
    max_itemsets: usize,
    min_confidence: f64,
    min_lift: f64,
    include_returns: bool,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let baskets = guard(|| Ok(BasketOptions { include_returns, store: convert::opt_id("store", store.as_ref())? }))?;
    let sales = Arc::clone(&sales.inner);
    let rules = run(py, move || {
        let b = Baskets::from_sales(&sales, &baskets)?;
        let itemsets = frequent_itemsets(&b, FpGrowthOptions { min_support, max_len, max_itemsets })?;
        let rules = association_rules(&itemsets, RuleOptions { min_confidence, min_lift })?;
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

/// `Recommender::from_sales(..).recommend_for(customer, top)`, as JSON.
#[pyfunction]
#[pyo3(signature = (sales, customer, top=10, include_returns=false, store=None, neighbours=50))]
fn recommend_json(
    py: Python<'_>,
    sales: &PySales,
    customer: Bound<'_, PyAny>,
    top: usize,
    include_returns: bool,
    store: Option<Bound<'_, PyAny>>,
    neighbours: usize,
) -> PyResult<String> {
    let (customer, baskets) = guard(|| {
        Ok((
            convert::id("customer", &customer)?,
            BasketOptions { include_returns, store: convert::opt_id("store", store.as_ref())? },
        ))
    })?;
    let sales = Arc::clone(&sales.inner);
    let recommended = run(py, move || {
        let code = sales
            .customers()
            .code(&customer)
            .ok_or_else(|| storelytics::Error::UnknownId { kind: "customer".into(), id: customer.to_string() })?;
        let similarity = SimilarityOptions { neighbours, ..Default::default() };
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
    m.add_function(wrap_pyfunction!(recommend_json, m)?)
}
