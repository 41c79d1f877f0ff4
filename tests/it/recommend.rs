//! Recommendations through the public API on generated sales.

use storelytics::generator::{GeneratorConfig, generate};
use storelytics::recommend::{
    BasketOptions, Baskets, FpGrowthOptions, RecommendationSource, Recommender, RuleOptions, SimilarityOptions,
    TogetherOptions, association_rules, bought_together, frequent_itemsets,
};
use storelytics::{Error, Id};

#[test]
fn bundles_and_recommendations_per_store() {
    let data = generate(&GeneratorConfig { lines: 30_000, ..Default::default() }).unwrap();
    let sales = &data.sales;
    for store in sales.stores() {
        let options = BasketOptions { store: Some(store.id.clone()), ..Default::default() };
        let baskets = Baskets::from_sales(sales, &options).unwrap();
        let sets =
            frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.005, max_len: Some(3), ..Default::default() })
                .unwrap();
        let rules = association_rules(&sets, RuleOptions { min_confidence: 0.05, min_lift: 1.0 }).unwrap();
        assert!(rules.iter().all(|r| r.lift >= 1.0 && r.confidence >= 0.05));
        let best = sets.iter().find(|s| s.products.len() == 1).unwrap().products[0];
        let companions = bought_together(&baskets, best, TogetherOptions::default()).unwrap();
        assert!(companions.len() <= 10 && companions.iter().all(|c| c.product != best));

        let model = Recommender::from_sales(sales, &options, SimilarityOptions::default()).unwrap();
        // A known customer of this store gets products they have not bought.
        let rows = store.rows.clone();
        let customer = rows.clone().map(|i| sales.customer_codes()[i]).find(|&c| c != u32::MAX).unwrap();
        let bought: Vec<u32> =
            rows.filter(|&i| sales.customer_codes()[i] == customer).map(|i| sales.product_codes()[i]).collect();
        let recs = model.recommend_for(customer, 5).unwrap();
        assert_eq!(recs.len(), 5);
        assert!(recs.iter().all(|r| !bought.contains(&r.product)));
        // A new customer gets the popular products.
        let new = model.recommend(&[], 3).unwrap();
        assert!(new.iter().all(|r| r.source == RecommendationSource::Popular));
    }
    let missing = BasketOptions { store: Some(Id::Str("no such store".into())), ..Default::default() };
    assert!(matches!(Baskets::from_sales(sales, &missing), Err(Error::UnknownId { .. })));
}
