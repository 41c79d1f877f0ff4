//! Recommendation options from Python arguments (`None` = the core default) and the core
//! defaults as JSON for the Python layer.

use pyo3::prelude::*;
use storelytics::recommend::{
    BasketOptions, EvaluationOptions, FpGrowthOptions, RuleOptions, SimilarityBasis, SimilarityMeasure,
    SimilarityOptions, TogetherOptions, TogetherRanking,
};

use crate::convert;
use crate::errors::invalid_parameter;

/// `BasketOptions` with `include_returns` and `store` given or defaulted.
pub(super) fn basket_options(
    include_returns: Option<bool>,
    store: Option<&Bound<'_, PyAny>>,
) -> PyResult<BasketOptions> {
    let d = BasketOptions::default();
    Ok(BasketOptions {
        include_returns: include_returns.unwrap_or(d.include_returns),
        store: convert::opt_id("store", store)?.or(d.store),
    })
}

/// `FpGrowthOptions` with every field given or defaulted (`max_len` `None` is the default: no limit).
pub(super) fn fp_growth_options(
    min_support: Option<f64>,
    max_len: Option<usize>,
    max_itemsets: Option<usize>,
) -> FpGrowthOptions {
    let d = FpGrowthOptions::default();
    FpGrowthOptions {
        min_support: min_support.unwrap_or(d.min_support),
        max_len: max_len.or(d.max_len),
        max_itemsets: max_itemsets.unwrap_or(d.max_itemsets),
    }
}

/// The name of a similarity measure.
fn measure_name(measure: SimilarityMeasure) -> &'static str {
    match measure {
        SimilarityMeasure::Cosine => "cosine",
        SimilarityMeasure::Bm25 { .. } => "bm25",
    }
}

/// `SimilarityOptions` from a measure name (`cosine`, `bm25`), BM25's `k1` and `b` (only with
/// `bm25`; default [`SimilarityMeasure::BM25`]) and the neighbours kept.
pub(super) fn similarity_options(
    measure: Option<&str>,
    k1: Option<f64>,
    b: Option<f64>,
    neighbours: Option<usize>,
) -> PyResult<SimilarityOptions> {
    let d = SimilarityOptions::default();
    let measure = match measure.unwrap_or(measure_name(d.measure)) {
        "cosine" => {
            if let Some((name, _)) = [("k1", k1), ("b", b)].into_iter().find(|(_, v)| v.is_some()) {
                return Err(invalid_parameter(name, "only applies to measure `bm25`"));
            }
            SimilarityMeasure::Cosine
        }
        "bm25" => {
            let (k1_default, b_default) = match SimilarityMeasure::BM25 {
                SimilarityMeasure::Bm25 { k1, b } => (k1, b),
                SimilarityMeasure::Cosine => (0.0, 0.0),
            };
            SimilarityMeasure::Bm25 { k1: k1.unwrap_or(k1_default), b: b.unwrap_or(b_default) }
        }
        other => return Err(invalid_parameter("measure", format!("`{other}` is not one of cosine, bm25"))),
    };
    Ok(SimilarityOptions { measure, neighbours: neighbours.unwrap_or(d.neighbours) })
}

fn basis_name(basis: SimilarityBasis) -> &'static str {
    match basis {
        SimilarityBasis::Customers => "customers",
        SimilarityBasis::Orders => "orders",
    }
}

/// The rows of a similarity: `customers` (customer × product) or `orders` (order × product).
pub(super) fn basis(name: Option<&str>) -> PyResult<SimilarityBasis> {
    match name.unwrap_or(basis_name(SimilarityBasis::default())) {
        "customers" => Ok(SimilarityBasis::Customers),
        "orders" => Ok(SimilarityBasis::Orders),
        other => Err(invalid_parameter("basis", format!("`{other}` is not one of customers, orders"))),
    }
}

fn ranking_name(ranking: TogetherRanking) -> &'static str {
    match ranking {
        TogetherRanking::Count => "count",
        TogetherRanking::Lift => "lift",
        TogetherRanking::Cosine => "cosine",
    }
}

/// `TogetherOptions` with every field given or defaulted.
pub(super) fn together_options(
    top: Option<usize>,
    rank_by: Option<&str>,
    min_count: Option<u64>,
) -> PyResult<TogetherOptions> {
    let d = TogetherOptions::default();
    let rank_by = match rank_by.unwrap_or(ranking_name(d.rank_by)) {
        "count" => TogetherRanking::Count,
        "lift" => TogetherRanking::Lift,
        "cosine" => TogetherRanking::Cosine,
        other => return Err(invalid_parameter("rank_by", format!("`{other}` is not one of count, lift, cosine"))),
    };
    Ok(TogetherOptions { top: top.unwrap_or(d.top), rank_by, min_count: min_count.unwrap_or(d.min_count) })
}

/// The core defaults of every option the Python `recommend` module exposes, as JSON.
#[pyfunction]
pub(super) fn recommend_defaults_json() -> PyResult<String> {
    let baskets = BasketOptions::default();
    let fp = FpGrowthOptions::default();
    let rules = RuleOptions::default();
    let similarity = SimilarityOptions::default();
    let (k1, b) = match SimilarityMeasure::BM25 {
        SimilarityMeasure::Bm25 { k1, b } => (k1, b),
        SimilarityMeasure::Cosine => (0.0, 0.0),
    };
    let together = TogetherOptions::default();
    let evaluation = EvaluationOptions::default();
    convert::json(&serde_json::json!({
        "baskets": {"include_returns": baskets.include_returns, "store": baskets.store},
        "fp_growth": {"min_support": fp.min_support, "max_len": fp.max_len, "max_itemsets": fp.max_itemsets},
        "rules": {"min_confidence": rules.min_confidence, "min_lift": rules.min_lift},
        "similarity": {
            "measure": measure_name(similarity.measure),
            "neighbours": similarity.neighbours,
            "bm25_k1": k1,
            "bm25_b": b,
            "basis": basis_name(SimilarityBasis::default()),
        },
        "together": {"top": together.top, "rank_by": ranking_name(together.rank_by), "min_count": together.min_count},
        "evaluation": {"k": evaluation.k, "basis": basis_name(evaluation.basis)},
    }))
}
