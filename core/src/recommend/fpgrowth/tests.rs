use std::collections::BTreeMap;

use super::*;

/// Small deterministic generator for test baskets.
pub(crate) fn lcg_baskets(seed: u64, count: usize, products: u32, max_size: u32) -> Baskets {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move |bound: u32| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) % u64::from(bound)) as u32
    };
    Baskets::from_lists((0..count).map(|_| {
        let size = 1 + next(max_size);
        // Skewed products: squaring favours small codes, so some are frequent.
        (0..size)
            .map(|_| {
                let u = next(products);
                u * u / products
            })
            .collect::<Vec<_>>()
    }))
}

/// Every itemset with its count, by enumerating subsets of each basket.
fn brute_force(baskets: &Baskets, min_count: u64, max_len: usize) -> BTreeMap<Vec<u32>, u64> {
    let mut counts: BTreeMap<Vec<u32>, u64> = BTreeMap::new();
    for b in baskets.iter() {
        for mask in 1u64..(1 << b.len()) {
            let set: Vec<u32> = (0..b.len()).filter(|i| mask >> i & 1 == 1).map(|i| b[i]).collect();
            if set.len() <= max_len {
                *counts.entry(set).or_default() += 1;
            }
        }
    }
    counts.retain(|_, c| *c >= min_count);
    counts
}

fn as_map(sets: &FrequentItemsets) -> BTreeMap<Vec<u32>, u64> {
    sets.iter().map(|s| (s.products.to_vec(), s.count)).collect()
}

#[test]
fn matches_brute_force_on_random_baskets() {
    for seed in 0..6 {
        let baskets = lcg_baskets(seed, 300, 12, 6);
        for (support, max_len) in [(0.02, None), (0.1, None), (0.05, Some(2)), (0.5, None)] {
            let sets =
                frequent_itemsets(&baskets, FpGrowthOptions { min_support: support, max_len, ..Default::default() })
                    .unwrap();
            let expected = brute_force(&baskets, min_count(support, 300), max_len.unwrap_or(usize::MAX));
            assert_eq!(as_map(&sets), expected, "seed {seed} support {support}");
            assert!(sets.iter().all(|s| (s.support - s.count as f64 / 300.0).abs() < 1e-15));
        }
    }
}

#[test]
fn canonical_order_by_size_then_codes() {
    let baskets = lcg_baskets(9, 200, 10, 5);
    let sets = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.03, max_len: None, ..Default::default() })
        .unwrap();
    let keys: Vec<(usize, Vec<u32>)> = sets.iter().map(|s| (s.products.len(), s.products.to_vec())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(sets.iter().all(|s| s.products.windows(2).all(|w| w[0] < w[1])));
}

#[test]
fn min_count_matches_float_comparison() {
    assert_eq!(min_count(0.5, 4), 2);
    assert_eq!(min_count(0.001, 4_000_000), 4000);
    assert_eq!(min_count(1.0, 7), 7);
    assert_eq!(min_count(1e-12, 7), 1);
    // 0.3 * 10 = 3.0000000000000004 in floating point, but 3 / 10 >= 0.3 holds.
    assert_eq!(min_count(0.3, 10), 3);
}

#[test]
fn rejects_bad_parameters() {
    let baskets = Baskets::from_lists(vec![vec![1]]);
    for bad in [0.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
        let err =
            frequent_itemsets(&baskets, FpGrowthOptions { min_support: bad, max_len: None, ..Default::default() })
                .unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "min_support"), "{bad}: {err}");
    }
    let err = frequent_itemsets(&baskets, FpGrowthOptions { min_support: 0.5, max_len: Some(0), ..Default::default() })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "max_len"));
    let err = frequent_itemsets(&Baskets::default(), FpGrowthOptions::default()).unwrap_err();
    assert!(matches!(err, Error::InsufficientData { .. }));
}

#[test]
fn degenerate_inputs_give_sensible_output() {
    // Single-item baskets only: only singletons.
    let singles = Baskets::from_lists((0..10u32).map(|i| vec![i % 3]));
    let sets =
        frequent_itemsets(&singles, FpGrowthOptions { min_support: 0.1, max_len: None, ..Default::default() }).unwrap();
    assert_eq!(as_map(&sets), BTreeMap::from([(vec![0], 4), (vec![1], 3), (vec![2], 3)]));

    // One giant basket: every subset is frequent; max_len keeps the output small.
    let giant = Baskets::from_lists(vec![(0..40u32).collect::<Vec<_>>()]);
    let sets = frequent_itemsets(&giant, FpGrowthOptions { min_support: 1.0, max_len: Some(2), ..Default::default() })
        .unwrap();
    assert_eq!(sets.len(), 40 + 40 * 39 / 2);
    assert!(sets.iter().all(|s| s.count == 1 && s.support == 1.0));

    // A product bought by everyone: support 1 and present in every pair.
    let everyone = Baskets::from_lists(vec![vec![0, 1], vec![0, 2], vec![0, 1, 2], vec![0]]);
    let sets = frequent_itemsets(&everyone, FpGrowthOptions { min_support: 0.25, max_len: None, ..Default::default() })
        .unwrap();
    let map = as_map(&sets);
    assert_eq!(map[&vec![0]], 4);
    assert_eq!(map[&vec![0, 1, 2]], 1);
    assert_eq!(map.len(), 7);

    // Only empty baskets: nothing is frequent.
    let empty = Baskets::from_lists(vec![Vec::<u32>::new(); 3]);
    assert!(frequent_itemsets(&empty, FpGrowthOptions::default()).unwrap().is_empty());
}

#[test]
fn itemset_limit_stops_exponential_output() {
    // One giant basket of 40 products has 2^40 - 1 frequent itemsets.
    let giant = Baskets::from_lists(vec![(0..40u32).collect::<Vec<_>>()]);
    let options = FpGrowthOptions { min_support: 0.5, max_len: None, max_itemsets: 10_000 };
    let err = frequent_itemsets(&giant, options).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { ref name, .. } if name == "min_support"), "{err}");
    let many = lcg_baskets(3, 500, 20, 8);
    let options = FpGrowthOptions { min_support: 0.002, max_len: None, max_itemsets: 5 };
    assert!(frequent_itemsets(&many, options).is_err());
    let exact = Baskets::from_lists(vec![vec![1, 2]]);
    let options = FpGrowthOptions { min_support: 1.0, max_len: None, max_itemsets: 3 };
    assert_eq!(frequent_itemsets(&exact, options).unwrap().len(), 3);
    let zero = FpGrowthOptions { max_itemsets: 0, ..Default::default() };
    assert!(frequent_itemsets(&exact, zero).is_err());
}
