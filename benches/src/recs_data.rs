//! Generated basket data for the recommendation benches.

use storelytics::recommend::Baskets;

/// Deterministic xorshift64* stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Baskets with Zipf-like product popularity (exponent 0.9), about 4 products each, and 30%
/// of baskets adding one of 50 fixed bundles of 2-4 products.
pub fn generate_baskets(baskets: usize, products: u32, seed: u64) -> Baskets {
    let mut rng = Rng(seed | 1);
    let mut cumulative = Vec::with_capacity(products as usize);
    let mut total = 0.0;
    for k in 1..=products {
        total += 1.0 / f64::from(k).powf(0.9);
        cumulative.push(total);
    }
    let draw = |rng: &mut Rng| {
        let u = rng.unit() * total;
        let k = cumulative.partition_point(|&c| c < u).min(products as usize - 1) as u32;
        // Scatter ranks over codes so popular products are not the small codes.
        k.wrapping_mul(2_654_435_761) % products
    };
    let bundles: Vec<Vec<u32>> =
        (0..50).map(|_| (0..2 + rng.next() % 3).map(|_| (rng.next() % u64::from(products)) as u32).collect()).collect();
    let lists: Vec<Vec<u32>> = (0..baskets)
        .map(|_| {
            let size = 1 + (rng.next() % 6) as usize;
            let mut items: Vec<u32> = (0..size).map(|_| draw(&mut rng)).collect();
            if rng.unit() < 0.3 {
                let bundle = &bundles[(rng.next() % 50) as usize];
                items.extend(bundle.iter().filter(|_| rng.unit() < 0.85));
            }
            items
        })
        .collect();
    Baskets::from_lists(lists)
}
