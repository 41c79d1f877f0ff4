//! The simulation: customers' purchases and guest orders per store, baskets, returns.

use std::sync::Arc;

use chrono::Duration;

use super::catalog::Catalog;
use super::demand::{Demand, closed};
use super::rng::Rng;
use super::{AnomalyLabel, Generated, GeneratorConfig, TIME_ZONES};
use crate::calendar::day_number;
use crate::domain::Product;
use crate::error::Result;
use crate::ids::{Id, Interner};
use crate::sales::{Catalog as SalesCatalog, GUEST, QUANTITY_SCALE, Sales, StoreInfo, timezone};

/// Mean distinct products per order (1 + Poisson(1.5)).
const MEAN_BASKET: f64 = 2.5;

/// One store's lines, sorted by (ts, order, product); order codes are local to the store.
#[derive(Default)]
struct StoreLines {
    ts: Vec<i64>,
    order: Vec<u32>,
    product: Vec<u32>,
    customer: Vec<u32>,
    quantity: Vec<i64>,
    amount: Vec<i64>,
    cost: Vec<i64>,
    orders: u32,
}

/// Home store and favourite categories per customer.
struct Customers<'a> {
    home: &'a [usize],
    tastes: &'a [[u32; 2]],
}

struct Order {
    day: usize,
    secs: u32,
    customer: u32,
}

pub(crate) fn simulate(c: &GeneratorConfig) -> Result<Generated> {
    let mut rng = Rng::new(c.seed, 0);
    let n_products = if c.products > 0 { c.products } else { (c.lines / 500).clamp(50, 20_000) };
    let n_customers = if c.customers > 0 { c.customers } else { (c.lines / 25).max(10) };
    let catalog = Catalog::new(&mut rng, n_products, c.categories);
    let home: Vec<usize> = (0..n_customers).map(|_| rng.below(c.stores as u64) as usize).collect();
    // Drawn last, so the catalogue and the home stores do not depend on them.
    let tastes: Vec<[u32; 2]> = (0..n_customers)
        .map(|_| [rng.below(c.categories as u64) as u32, rng.below(c.categories as u64) as u32])
        .collect();
    let customers = Customers { home: &home, tastes: &tastes };

    let run = |s: usize| simulate_store(c, s, &catalog, &customers);
    #[cfg(feature = "parallel")]
    let per_store: Vec<(StoreLines, Demand)> = {
        use rayon::prelude::*;
        (0..c.stores).into_par_iter().map(run).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_store: Vec<(StoreLines, Demand)> = (0..c.stores).map(run).collect();

    // Concatenate stores; order codes become global.
    let total: usize = per_store.iter().map(|(l, _)| l.ts.len()).sum();
    let mut out = StoreLines {
        ts: Vec::with_capacity(total),
        order: Vec::with_capacity(total),
        product: Vec::with_capacity(total),
        customer: Vec::with_capacity(total),
        quantity: Vec::with_capacity(total),
        amount: Vec::with_capacity(total),
        cost: Vec::with_capacity(total),
        orders: 0,
    };
    let mut stores = Vec::with_capacity(c.stores);
    let mut day = vec![0i32; total];
    let mut anomalies = Vec::new();
    let mut order_ids = Interner::default();
    for (s, (lines, demand)) in per_store.into_iter().enumerate() {
        let start = out.ts.len();
        let base = out.orders;
        for o in 0..lines.orders {
            order_ids.intern_int(1 + (base + o) as i64);
        }
        out.ts.extend_from_slice(&lines.ts);
        out.order.extend(lines.order.iter().map(|o| o + base));
        out.product.extend_from_slice(&lines.product);
        out.customer.extend_from_slice(&lines.customer);
        out.quantity.extend_from_slice(&lines.quantity);
        out.amount.extend_from_slice(&lines.amount);
        out.cost.extend_from_slice(&lines.cost);
        out.orders += lines.orders;
        let end = out.ts.len();
        let tz = timezone::parse_zone(&store_id(s).to_string(), TIME_ZONES[s])?;
        timezone::local_days(tz, &out.ts[start..end], &mut day[start..end]);
        stores.push(StoreInfo { id: store_id(s), time_zone: TIME_ZONES[s].to_string(), rows: start..end });
        for (d, kind, factor) in demand.anomalies {
            anomalies.push(AnomalyLabel { store: store_id(s), date: c.start + Duration::days(d as i64), kind, factor });
        }
    }

    let mut products = Interner::default();
    let mut customers = Interner::default();
    let mut categories = Interner::default();
    for p in 0..n_products {
        products.intern_str(&format!("P{p:05}"));
    }
    for k in 0..n_customers {
        customers.intern_str(&format!("C{k:06}"));
    }
    for k in 0..c.categories {
        categories.intern_str(&category_name(k));
    }
    let catalogue: Vec<Product> = (0..n_products)
        .map(|p| {
            Product::new(format!("P{p:05}"))
                .with_category(category_name(catalog.category[p] as usize))
                .with_price(catalog.price[p] as f64 / 100.0)
                .with_cost(catalog.cost[p] as f64 / 100.0)
        })
        .collect();
    let closed_days =
        (0..c.days as i64).map(|d| c.start + Duration::days(d)).filter(|&d| closed(d)).collect::<Vec<_>>();
    let sales = Sales {
        ts: out.ts,
        day,
        order: out.order,
        product: out.product,
        customer: out.customer,
        quantity: out.quantity,
        amount: out.amount,
        cost: Some(out.cost),
        stores,
        catalog: Arc::new(SalesCatalog {
            orders: order_ids.finish(),
            products: products.finish(),
            customers: customers.finish(),
            categories: categories.finish(),
            product_category: catalog.category.clone(),
        }),
        money_scale: 2,
    };
    Ok(Generated { sales, products: catalogue, anomalies, closed_days })
}

fn store_id(s: usize) -> Id {
    Id::Str(format!("S{}", s + 1))
}

fn category_name(k: usize) -> String {
    const NAMES: [&str; 12] = [
        "grocery",
        "beverages",
        "household",
        "personal care",
        "electronics",
        "toys",
        "apparel",
        "garden",
        "books",
        "sports",
        "pets",
        "stationery",
    ];
    match NAMES.get(k) {
        Some(n) => n.to_string(),
        None => format!("category {k}"),
    }
}

fn simulate_store(c: &GeneratorConfig, s: usize, catalog: &Catalog, people: &Customers<'_>) -> (StoreLines, Demand) {
    let mut rng = Rng::new(c.seed, 1 + s as u64);
    // Taste draws have their own stream, so the main stream's draws per pick stay as they were.
    let mut taste_rng = Rng::new(c.seed, 1001 + s as u64);
    let demand = Demand::new(&mut rng, c);
    let days = c.days as usize;
    let tz = timezone::parse_zone("", TIME_ZONES[s]).unwrap_or(chrono_tz::UTC);
    let start_day = day_number(c.start);

    // Orders this store should see, split between customers and guests.
    let target_orders = c.lines as f64 / MEAN_BASKET / c.stores as f64;
    let guest_orders = target_orders * c.guest_share;
    let customer_orders = target_orders - guest_orders;

    // Customers of this store: join day, churn day, gamma-distributed rate.
    let mut members: Vec<(u32, usize, usize, f64)> = Vec::new();
    for (k, &h) in people.home.iter().enumerate() {
        if h != s {
            continue;
        }
        let join = if rng.f64() < 0.3 { 0 } else { rng.below(days as u64) as usize };
        let life = rng.exponential(540.0) as usize + 1;
        let churn = (join + life).min(days);
        let rate = rng.gamma(0.8, 1.0 / 0.8);
        members.push((k as u32, join, churn.max(join + 1).min(days), rate));
    }
    let expected: f64 = members.iter().map(|m| m.3 * (demand.cum[m.2] - demand.cum[m.1])).sum();
    let scale = if expected > 0.0 { customer_orders / expected } else { 0.0 };

    let mut orders: Vec<Order> = Vec::with_capacity(target_orders as usize + 16);
    for &(k, join, churn, rate) in &members {
        let n = rng.poisson(rate * scale * (demand.cum[churn] - demand.cum[join]));
        for _ in 0..n {
            let day = demand.sample_day(&mut rng, join, churn);
            orders.push(Order { day, secs: time_of_day(&mut rng), customer: k });
        }
    }
    let guest_per_weight = if demand.cum[days] > 0.0 { guest_orders / demand.cum[days] } else { 0.0 };
    for (day, w) in demand.weight.iter().enumerate() {
        for _ in 0..rng.poisson(guest_per_weight * w) {
            orders.push(Order { day, secs: time_of_day(&mut rng), customer: GUEST });
        }
    }
    orders.sort_unstable_by_key(|o| (o.day, o.secs, o.customer));

    let midnight: Vec<i64> = (0..=days).map(|d| timezone::local_midnight_micros(tz, start_day + d as i32)).collect();
    let mut lines = StoreLines::default();
    let mut returns: Vec<(i64, u32, u32, u32, i64, i64, i64)> = Vec::new();
    let mut basket: Vec<u32> = Vec::with_capacity(16);
    for (code, o) in orders.iter().enumerate() {
        let ts = midnight[o.day] + o.secs as i64 * 1_000_000;
        basket.clear();
        let size = (1 + rng.poisson(MEAN_BASKET - 1.0)).min(30) as usize;
        let tastes = people.tastes.get(o.customer as usize);
        let mut tries = 0;
        while basket.len() < size && tries < 4 * size {
            tries += 1;
            let p = if !basket.is_empty() && rng.f64() < 0.45 {
                let from = basket[rng.below(basket.len() as u64) as usize];
                catalog.complements[from as usize][rng.below(3) as usize]
            } else {
                let popular = catalog.sample(&mut rng);
                match tastes {
                    Some(t) if taste_rng.f64() < c.taste_share => {
                        let favourite = t[taste_rng.below(2) as usize];
                        catalog.sample_in(&mut taste_rng, favourite).unwrap_or(popular)
                    }
                    _ => popular,
                }
            };
            if !basket.contains(&p) {
                basket.push(p);
            }
        }
        basket.sort_unstable();
        for &p in &basket {
            let q = match rng.f64() {
                x if x < 0.75 => 1,
                x if x < 0.92 => 2,
                x if x < 0.98 => 3,
                _ => 4 + rng.below(5) as i64,
            };
            let (price, cost) = (catalog.price[p as usize], catalog.cost[p as usize]);
            lines.ts.push(ts);
            lines.order.push(code as u32);
            lines.product.push(p);
            lines.customer.push(o.customer);
            lines.quantity.push(q * QUANTITY_SCALE);
            lines.amount.push(price * q);
            lines.cost.push(cost * q);
            if rng.f64() < c.return_rate {
                let back = 1 + rng.below(30) as usize;
                let rday = o.day + back;
                if rday < days && !closed(c.start + Duration::days(rday as i64)) {
                    let rq = 1 + rng.below(q as u64) as i64;
                    let rts = midnight[rday] + time_of_day(&mut rng) as i64 * 1_000_000;
                    returns.push((rts, code as u32, p, o.customer, rq, price, cost));
                }
            }
        }
    }
    lines.orders = orders.len() as u32;
    merge_returns(lines, returns, demand)
}

/// Seconds after local midnight, mostly between 9:00 and 20:00.
fn time_of_day(rng: &mut Rng) -> u32 {
    let h = (13.5 + 2.8 * rng.normal()).clamp(8.0, 21.5);
    (h * 3600.0) as u32
}

/// Merges return lines into the sorted sale lines by (ts, order, product).
fn merge_returns(
    sales: StoreLines,
    mut returns: Vec<(i64, u32, u32, u32, i64, i64, i64)>,
    demand: Demand,
) -> (StoreLines, Demand) {
    returns.sort_unstable_by_key(|r| (r.0, r.1, r.2));
    let n = sales.ts.len() + returns.len();
    let mut out = StoreLines {
        ts: Vec::with_capacity(n),
        order: Vec::with_capacity(n),
        product: Vec::with_capacity(n),
        customer: Vec::with_capacity(n),
        quantity: Vec::with_capacity(n),
        amount: Vec::with_capacity(n),
        cost: Vec::with_capacity(n),
        orders: sales.orders,
    };
    let mut r = 0;
    for i in 0..sales.ts.len() {
        while r < returns.len()
            && (returns[r].0, returns[r].1, returns[r].2) < (sales.ts[i], sales.order[i], sales.product[i])
        {
            push_return(&mut out, &returns[r]);
            r += 1;
        }
        out.ts.push(sales.ts[i]);
        out.order.push(sales.order[i]);
        out.product.push(sales.product[i]);
        out.customer.push(sales.customer[i]);
        out.quantity.push(sales.quantity[i]);
        out.amount.push(sales.amount[i]);
        out.cost.push(sales.cost[i]);
    }
    for ret in &returns[r..] {
        push_return(&mut out, ret);
    }
    (out, demand)
}

fn push_return(out: &mut StoreLines, r: &(i64, u32, u32, u32, i64, i64, i64)) {
    let &(ts, order, product, customer, q, price, cost) = r;
    out.ts.push(ts);
    out.order.push(order);
    out.product.push(product);
    out.customer.push(customer);
    out.quantity.push(-q * QUANTITY_SCALE);
    out.amount.push(-price * q);
    out.cost.push(-cost * q);
}
