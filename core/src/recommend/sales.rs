//! Recommendation inputs from the sales table: baskets, customer histories and the hold-out
//! evaluation, overall or for one store.

use chrono::NaiveDate;

use super::baskets::Baskets;
use super::customers::Recommender;
use super::evaluate::{Evaluation, EvaluationOptions, PurchaseLines, evaluate_split};
use super::incidence::Incidence;
use super::similarity::SimilarityOptions;
use crate::calendar::day_number;
use crate::error::Result;
use crate::ids::Id;
use crate::sales::{GUEST, Sales};

/// Which sales lines make up baskets and purchase histories.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BasketOptions {
    /// Also count returned lines (negative quantity) as purchases of their product. Default
    /// `false`: only lines with a positive quantity count.
    pub include_returns: bool,
    /// Only this store's lines; `None` (default) for all stores together.
    pub store: Option<Id>,
}

/// The line positions selected by `options`.
fn selected_lines(sales: &Sales, options: &BasketOptions) -> Result<Vec<usize>> {
    let rows = match &options.store {
        Some(id) => {
            let s = sales.store_index(id)?;
            sales.stores()[s].rows.clone()
        }
        None => 0..sales.len(),
    };
    let quantities = sales.quantities_milli();
    Ok(rows.filter(|&i| options.include_returns || quantities[i] > 0).collect())
}

impl Baskets {
    /// One basket per order (ascending order code) with its distinct products. An order whose
    /// lines are all excluded (e.g. only returns) makes no basket.
    ///
    /// Errors with [`crate::Error::UnknownId`] for a store not in the table.
    ///
    /// ```
    /// use storelytics::recommend::{BasketOptions, Baskets};
    /// use storelytics::sales::SalesBuilder;
    ///
    /// let sales = SalesBuilder::new()
    ///     .order_id(vec!["o1", "o1", "o2", "o3"])
    ///     .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-02", "2024-03-03"])
    ///     .product_id(vec!["tea", "milk", "tea", "milk"])
    ///     .quantity(vec![1.0, 2.0, 1.0, -1.0]) // o3 is a return
    ///     .unit_price(vec![3.0, 1.0, 3.0, 1.0])
    ///     .build()?;
    /// let baskets = Baskets::from_sales(&sales, &BasketOptions::default())?;
    /// assert_eq!(baskets.len(), 2);
    /// assert_eq!(baskets.basket(0).map(|b| b.len()), Some(2));
    /// # Ok::<(), storelytics::Error>(())
    /// ```
    pub fn from_sales(sales: &Sales, options: &BasketOptions) -> Result<Baskets> {
        let lines = selected_lines(sales, options)?;
        let orders: Vec<u32> = lines.iter().map(|&i| sales.order_codes()[i]).collect();
        let products: Vec<u32> = lines.iter().map(|&i| sales.product_codes()[i]).collect();
        Baskets::from_pairs(&orders, &products)
    }
}

impl Incidence {
    /// Customer × product counts of distinct orders (guests left out), one row per customer
    /// code in ascending order.
    ///
    /// Errors with [`crate::Error::UnknownId`] for a store not in the table.
    pub fn customers_from_sales(sales: &Sales, options: &BasketOptions) -> Result<Incidence> {
        let lines = selected_lines(sales, options)?;
        let mut triples: Vec<(u32, u32, u32)> = lines
            .iter()
            .filter(|&&i| sales.customer_codes()[i] != GUEST)
            .map(|&i| (sales.customer_codes()[i], sales.product_codes()[i], sales.order_codes()[i]))
            .collect();
        triples.sort_unstable();
        triples.dedup();
        let customers: Vec<u32> = triples.iter().map(|t| t.0).collect();
        let products: Vec<u32> = triples.iter().map(|t| t.1).collect();
        Incidence::from_pairs(&customers, &products)
    }
}

impl Recommender {
    /// Fits a recommender on the customers' purchase histories in `sales` (customer × product
    /// similarity). Recommend with [`Recommender::recommend_for`] and the customer's code from
    /// `sales.customers().code(&id)`; an unknown customer gets the popular products.
    ///
    /// Errors with [`crate::Error::UnknownId`] for a store not in the table, and as
    /// [`super::item_similarity`] for bad similarity options.
    pub fn from_sales(sales: &Sales, lines: &BasketOptions, similarity: SimilarityOptions) -> Result<Recommender> {
        Recommender::fit(&Incidence::customers_from_sales(sales, lines)?, similarity)
    }
}

/// Hold-out evaluation of the item-item recommender on a sales table: trains on lines with a
/// store-local date before `split`, tests on the rest (see [`evaluate_split`]).
///
/// ```
/// use chrono::NaiveDate;
/// use storelytics::generator::{GeneratorConfig, generate};
/// use storelytics::recommend::{BasketOptions, EvaluationOptions, evaluate_sales};
///
/// let data = generate(&GeneratorConfig { lines: 20_000, ..Default::default() })?;
/// let split = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap_or_default();
/// let eval = evaluate_sales(&data.sales, split, &BasketOptions::default(), EvaluationOptions::default())?;
/// assert!(eval.recommender.customers > 0);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn evaluate_sales(
    sales: &Sales,
    split: NaiveDate,
    lines: &BasketOptions,
    options: EvaluationOptions,
) -> Result<Evaluation> {
    let selected = selected_lines(sales, lines)?;
    let pick = |col: &[u32]| -> Vec<u32> { selected.iter().map(|&i| col[i]).collect() };
    let customers = pick(sales.customer_codes());
    let orders = pick(sales.order_codes());
    let products = pick(sales.product_codes());
    let times: Vec<i64> = selected.iter().map(|&i| i64::from(sales.days()[i])).collect();
    let purchases = PurchaseLines { customers: &customers, orders: &orders, products: &products, times: &times };
    evaluate_split(purchases, i64::from(day_number(split)), options)
}

#[cfg(all(test, feature = "generator"))]
mod tests {
    use super::*;
    use crate::generator::{GeneratorConfig, generate};
    use crate::recommend::{FpGrowthOptions, RuleOptions, SimilarityBasis, association_rules, frequent_itemsets};

    /// How much better than popularity the recommender must be on generated data (MAP@10,
    /// precision@10 and NDCG@10).
    const MARGIN: f64 = 1.3;

    #[test]
    fn generated_sales_give_baskets_rules_and_a_useful_recommender() {
        let data = generate(&GeneratorConfig { lines: 40_000, ..Default::default() }).unwrap();
        let sales = &data.sales;
        let all = Baskets::from_sales(sales, &BasketOptions::default()).unwrap();
        let with_returns = Baskets::from_sales(sales, &BasketOptions { include_returns: true, ..Default::default() });
        // Returns are booked on their original order, so they add no new (order, product) pair.
        assert!(sales.quantities_milli().iter().any(|&q| q < 0));
        assert_eq!(with_returns.unwrap().pair_count(), all.pair_count());
        let store = sales.stores()[0].id.clone();
        let one =
            Baskets::from_sales(sales, &BasketOptions { store: Some(store.clone()), ..Default::default() }).unwrap();
        assert!(one.len() < all.len() && !one.is_empty());
        let unknown = BasketOptions { store: Some(Id::Str("nowhere".into())), ..Default::default() };
        assert!(Baskets::from_sales(sales, &unknown).is_err());

        let sets = frequent_itemsets(&all, FpGrowthOptions { min_support: 0.002, max_len: None, ..Default::default() })
            .unwrap();
        let rules = association_rules(&sets, RuleOptions { min_confidence: 0.1, min_lift: 1.0 }).unwrap();
        assert!(!rules.is_empty(), "the generator's complements should give rules");

        // The generator's customers keep two favourite categories, so their history predicts
        // their next purchases: the item-item recommender must beat popularity on the hold-out.
        let split = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        for basis in [SimilarityBasis::Customers, SimilarityBasis::Orders] {
            let options = EvaluationOptions { basis, ..Default::default() };
            let eval = evaluate_sales(sales, split, &BasketOptions::default(), options).unwrap();
            eprintln!(
                "{basis:?}: MAP@10 {:.4} vs {:.4}, P@10 {:.4} vs {:.4}, NDCG@10 {:.4} vs {:.4}",
                eval.recommender.map,
                eval.popularity.map,
                eval.recommender.precision,
                eval.popularity.precision,
                eval.recommender.ndcg,
                eval.popularity.ndcg
            );
            assert!(eval.recommender.customers > 100);
            assert!(eval.recommender.coverage >= eval.popularity.coverage);
        }
        let eval = evaluate_sales(sales, split, &BasketOptions::default(), EvaluationOptions::default()).unwrap();
        let (r, p) = (&eval.recommender, &eval.popularity);
        assert!(r.map > MARGIN * p.map && r.ndcg > MARGIN * p.ndcg && r.precision > MARGIN * p.precision, "{eval:?}");
        // Without lasting tastes the same test fails: popularity is as good as it gets.
        let no_tastes = generate(&GeneratorConfig { lines: 40_000, taste_share: 0.0, ..Default::default() }).unwrap();
        let eval =
            evaluate_sales(&no_tastes.sales, split, &BasketOptions::default(), EvaluationOptions::default()).unwrap();
        eprintln!("no tastes: MAP@10 {:.4} vs {:.4}", eval.recommender.map, eval.popularity.map);
        assert!(eval.recommender.map < MARGIN * eval.popularity.map, "{eval:?}");
        let model = Recommender::from_sales(sales, &BasketOptions::default(), SimilarityOptions::default()).unwrap();
        let customer = sales.customer_codes().iter().copied().find(|&c| c != GUEST).unwrap();
        assert_eq!(model.recommend_for(customer, 5).unwrap().len(), 5);
    }
}
