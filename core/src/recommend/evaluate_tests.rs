use super::*;

#[test]
fn metrics_by_hand() {
    // Customer A: hits at ranks 1 and 3 of 3 relevant; customer B: no hit; C: nothing relevant.
    let recs = vec![vec![1, 2, 3], vec![4, 5, 6], vec![7]];
    let rel = vec![vec![1, 3, 9], vec![8], vec![]];
    let m = ranking_metrics(&recs, &rel, 3, 20).unwrap();
    assert_eq!(m.customers, 2);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(m.precision, (2.0 / 3.0 + 0.0) / 2.0));
    assert!(close(m.recall, (2.0 / 3.0) / 2.0));
    assert!(close(m.map, ((1.0 + 2.0 / 3.0) / 3.0) / 2.0));
    let dcg = 1.0 + 1.0 / 4f64.log2();
    let idcg = 1.0 + 1.0 / 3f64.log2() + 1.0 / 4f64.log2();
    assert!(close(m.ndcg, dcg / idcg / 2.0));
    assert!(close(m.hit_rate, 0.5));
    assert!(close(m.coverage, 6.0 / 20.0));
}

#[test]
fn metric_errors() {
    assert!(matches!(ranking_metrics(&[vec![1]], &[vec![1]], 0, 1), Err(Error::InvalidParameter { .. })));
    assert!(matches!(ranking_metrics(&[vec![1]], &[], 1, 1), Err(Error::LengthMismatch { .. })));
    assert!(matches!(ranking_metrics(&[vec![1]], &[vec![]], 1, 1), Err(Error::InsufficientData { .. })));
    // Duplicated recommendations count once; short lists count as misses.
    let m = ranking_metrics(&[vec![1, 1]], &[vec![1, 2]], 4, 0).unwrap();
    assert_eq!(m.precision, 0.25);
    assert_eq!(m.coverage, 0.0);
}

/// Customers in two taste groups buy from their group over time; the item-item model must
/// beat popularity on the hold-out period.
#[test]
fn split_evaluation_beats_popularity_on_grouped_tastes() {
    let (mut customers, mut orders, mut products, mut times) = (vec![], vec![], vec![], vec![]);
    let mut state = 7u64;
    let mut rnd = |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let mut order = 0u32;
    for c in 0..200u32 {
        let group = c % 4;
        for t in 0..6i64 {
            for _ in 0..2 {
                // 90% from the group's 8 products, else a globally popular product 100..103.
                let p = if rnd(10) < 9 { group * 8 + rnd(8) as u32 } else { 100 + rnd(3) as u32 };
                customers.push(c);
                orders.push(order);
                products.push(p);
                times.push(t);
            }
            order += 1;
        }
    }
    let lines = PurchaseLines { customers: &customers, orders: &orders, products: &products, times: &times };
    let eval = evaluate_split(lines, 4, EvaluationOptions { k: 5, ..Default::default() }).unwrap();
    assert!(eval.recommender.customers > 50);
    assert!(eval.recommender.map > eval.popularity.map, "{eval:?}");
    assert!(eval.recommender.ndcg > eval.popularity.ndcg);
    let by_orders = EvaluationOptions { k: 5, basis: SimilarityBasis::Orders, ..Default::default() };
    let eval = evaluate_split(lines, 4, by_orders).unwrap();
    assert!(eval.recommender.map > eval.popularity.map);
    assert!(matches!(evaluate_split(lines, -1, EvaluationOptions::default()), Err(Error::InsufficientData { .. })));
    let bad_k = EvaluationOptions { k: 0, ..Default::default() };
    assert!(matches!(evaluate_split(lines, 4, bad_k), Err(Error::InvalidParameter { .. })));
    let short = PurchaseLines { times: &times[1..], ..lines };
    assert!(matches!(evaluate_split(short, 4, EvaluationOptions::default()), Err(Error::LengthMismatch { .. })));
}
