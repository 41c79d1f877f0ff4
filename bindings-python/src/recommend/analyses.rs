//! Item similarity, frequently bought together, frequent itemsets and the hold-out evaluation,
//! each on the sales table with the caller's product ids.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::recommend::{
    Baskets, EvaluationOptions, Incidence, SimilarityBasis, bought_together, evaluate_sales, frequent_itemsets,
    item_similarity,
};
use storelytics::{Error, Id, Sales};

use super::options::{
    basis, basket_options, fp_growth_options, recommend_defaults_json, similarity_options, together_options,
};
use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// The code of a product id, or `UnknownId`.
fn product_code(sales: &Sales, product: &Id) -> storelytics::Result<u32> {
    sales.products().code(product).ok_or_else(|| Error::UnknownId { kind: "product".into(), id: product.to_string() })
}

/// One neighbour of a product.
#[derive(Serialize)]
struct Similar {
    product: Id,
    neighbour: Id,
    rank: usize,
    score: f64,
}

/// `recommend::item_similarity` over order × product (`basis="orders"`) or customer × product
/// (`basis="customers"`) incidence of the sales, as JSON rows; one product's neighbours with
/// `product`. `None` arguments take the core defaults.
#[pyfunction]
#[pyo3(signature = (
    sales, product=None, basis=None, measure=None, k1=None, b=None, neighbours=None, include_returns=None, store=None
))]
#[allow(clippy::too_many_arguments)]
fn item_similarity_json(
    py: Python<'_>,
    sales: &PySales,
    product: Option<Bound<'_, PyAny>>,
    basis: Option<String>,
    measure: Option<String>,
    k1: Option<f64>,
    b: Option<f64>,
    neighbours: Option<usize>,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (product, basis, options, lines) = guard(|| {
        Ok((
            convert::opt_id("product", product.as_ref())?,
            self::basis(basis.as_deref())?,
            similarity_options(measure.as_deref(), k1, b, neighbours)?,
            basket_options(include_returns, store.as_ref())?,
        ))
    })?;
    let sales = Arc::clone(&sales.inner);
    let rows = run(py, move || {
        let only = product.as_ref().map(|p| product_code(&sales, p)).transpose()?;
        let incidence = match basis {
            SimilarityBasis::Orders => Incidence::from_baskets(&Baskets::from_sales(&sales, &lines)?),
            SimilarityBasis::Customers => Incidence::customers_from_sales(&sales, &lines)?,
        };
        let similarity = item_similarity(&incidence, options)?;
        let products: Vec<u32> = match only {
            Some(code) => vec![code],
            None => similarity.products().to_vec(),
        };
        let ids = sales.products();
        Ok(products
            .iter()
            .flat_map(|&p| {
                similarity.neighbours(p).iter().enumerate().map(move |(i, n)| Similar {
                    product: ids.id(p),
                    neighbour: ids.id(n.product),
                    rank: i + 1,
                    score: n.score,
                })
            })
            .collect::<Vec<_>>())
    })?;
    convert::json(&rows)
}

/// A product bought together with the queried one.
#[derive(Serialize)]
struct Companion {
    product: Id,
    count: u64,
    confidence: f64,
    lift: f64,
    cosine: f64,
}

/// `recommend::bought_together` for `product` on the sales' baskets, as JSON.
#[pyfunction]
#[pyo3(signature = (sales, product, top=None, rank_by=None, min_count=None, include_returns=None, store=None))]
#[allow(clippy::too_many_arguments)]
fn bought_together_json(
    py: Python<'_>,
    sales: &PySales,
    product: Bound<'_, PyAny>,
    top: Option<usize>,
    rank_by: Option<String>,
    min_count: Option<u64>,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (product, options, lines) = guard(|| {
        Ok((
            convert::id("product", &product)?,
            together_options(top, rank_by.as_deref(), min_count)?,
            basket_options(include_returns, store.as_ref())?,
        ))
    })?;
    let sales = Arc::clone(&sales.inner);
    let rows = run(py, move || {
        let code = product_code(&sales, &product)?;
        let baskets = Baskets::from_sales(&sales, &lines)?;
        Ok(bought_together(&baskets, code, options)?
            .iter()
            .map(|c| Companion {
                product: sales.products().id(c.product),
                count: c.count,
                confidence: c.confidence,
                lift: c.lift,
                cosine: c.cosine,
            })
            .collect::<Vec<_>>())
    })?;
    convert::json(&rows)
}

/// A frequent itemset with product ids.
#[derive(Serialize)]
struct Itemset {
    products: Vec<Id>,
    count: u64,
    support: f64,
}

/// `recommend::frequent_itemsets` (FP-growth) of the sales' baskets, as JSON.
#[pyfunction]
#[pyo3(signature = (sales, min_support=None, max_len=None, max_itemsets=None, include_returns=None, store=None))]
fn frequent_itemsets_json(
    py: Python<'_>,
    sales: &PySales,
    min_support: Option<f64>,
    max_len: Option<usize>,
    max_itemsets: Option<usize>,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let lines = guard(|| basket_options(include_returns, store.as_ref()))?;
    let fp = fp_growth_options(min_support, max_len, max_itemsets);
    let sales = Arc::clone(&sales.inner);
    let rows = run(py, move || {
        let baskets = Baskets::from_sales(&sales, &lines)?;
        let sets = frequent_itemsets(&baskets, fp)?;
        Ok(sets
            .iter()
            .map(|s| Itemset {
                products: s.products.iter().map(|&p| sales.products().id(p)).collect(),
                count: s.count,
                support: s.support,
            })
            .collect::<Vec<_>>())
    })?;
    convert::json(&rows)
}

/// `recommend::evaluate_sales`: trains before the store-local date `split`, tests from it on,
/// as JSON (the `Evaluation`).
#[pyfunction]
#[pyo3(signature = (
    sales, split, k=None, basis=None, measure=None, k1=None, b=None, neighbours=None, include_returns=None, store=None
))]
#[allow(clippy::too_many_arguments)]
fn evaluate_sales_json(
    py: Python<'_>,
    sales: &PySales,
    split: String,
    k: Option<usize>,
    basis: Option<String>,
    measure: Option<String>,
    k1: Option<f64>,
    b: Option<f64>,
    neighbours: Option<usize>,
    include_returns: Option<bool>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (split, options, lines) = guard(|| {
        let d = EvaluationOptions::default();
        let options = EvaluationOptions {
            k: k.unwrap_or(d.k),
            similarity: similarity_options(measure.as_deref(), k1, b, neighbours)?,
            basis: match basis {
                Some(name) => self::basis(Some(&name))?,
                None => d.basis,
            },
        };
        Ok((convert::iso_date("split", &split)?, options, basket_options(include_returns, store.as_ref())?))
    })?;
    let sales = Arc::clone(&sales.inner);
    let evaluation = run(py, move || evaluate_sales(&sales, split, &lines, options))?;
    convert::json(&evaluation)
}

/// Registers this module's functions.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(item_similarity_json, m)?)?;
    m.add_function(wrap_pyfunction!(bought_together_json, m)?)?;
    m.add_function(wrap_pyfunction!(frequent_itemsets_json, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_sales_json, m)?)?;
    m.add_function(wrap_pyfunction!(recommend_defaults_json, m)?)
}
