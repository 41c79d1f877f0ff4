//! Reference-test tool for customer analytics: quantile scores, RFM tables and segment
//! summaries, k-means clusters, BG/NBD + Gamma-Gamma fits and lifetime values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storelytics::customers::{
    self, BgNbdParams, ClusterOptions, GammaGammaParams, LifetimeOptions, RepeatHistory, RfmOptions, TimeUnit,
    ValueOptions,
};
use storelytics::sales::SalesBuilder;
use storelytics::{Result, Sales};

/// Sale lines as columns; `customer_id` null = guest.
#[derive(Deserialize)]
struct Lines {
    order_id: Vec<i64>,
    date: Vec<NaiveDate>,
    product_id: Vec<i64>,
    quantity: Vec<f64>,
    amount: Vec<f64>,
    customer_id: Vec<Option<i64>>,
    store_id: Option<Vec<i64>>,
}

impl Lines {
    fn build(self) -> Result<Sales> {
        let mut b = SalesBuilder::new()
            .order_id(self.order_id)
            .timestamp(self.date)
            .product_id(self.product_id)
            .quantity(self.quantity)
            .amount(self.amount)
            .customer_id(self.customer_id);
        if let Some(stores) = self.store_id {
            b = b.store_id(stores);
        }
        b.build()
    }
}

/// One quantile-scoring problem.
#[derive(Deserialize)]
struct ScoreCase {
    values: Vec<f64>,
    bins: u8,
    reversed: bool,
}

#[derive(Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
enum Request {
    Scores {
        cases: Vec<ScoreCase>,
    },
    Rfm {
        lines: Lines,
        as_of: Option<NaiveDate>,
        bins: Option<u8>,
    },
    Lifetime {
        histories: Vec<RepeatHistory>,
        time_unit: TimeUnit,
        horizon: f64,
        months: u32,
        discount_rate: f64,
    },
    LifetimeSales {
        lines: Lines,
        as_of: Option<NaiveDate>,
        time_unit: TimeUnit,
    },
    Kmeans {
        features: Vec<Vec<f64>>,
        k: usize,
        seed: u64,
        runs: usize,
    },
    Clusters {
        lines: Lines,
        as_of: Option<NaiveDate>,
        options: ClusterOptions,
    },
    Predict {
        histories: Vec<RepeatHistory>,
        bgnbd: BgNbdParams,
        gamma_gamma: GammaGammaParams,
        horizon: f64,
        months: u32,
        discount_rate: f64,
        time_unit: TimeUnit,
    },
}

#[derive(Serialize)]
struct Predictions {
    expected_purchases: Vec<f64>,
    probability_alive: Vec<f64>,
    expected_average_spend: Vec<f64>,
    lifetime_value: Vec<f64>,
}

fn predictions(
    histories: &[RepeatHistory],
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    horizon: f64,
    value: &ValueOptions,
) -> Result<Predictions> {
    let values = customers::predict_values(histories, bg, gg, value)?;
    let expected_purchases =
        histories.iter().map(|h| bg.expected_purchases(h, horizon)).collect::<Result<Vec<f64>>>()?;
    Ok(Predictions {
        expected_purchases,
        probability_alive: values.iter().map(|v| v.probability_alive).collect(),
        expected_average_spend: values.iter().map(|v| v.expected_average_spend).collect(),
        lifetime_value: values.iter().map(|v| v.lifetime_value).collect(),
    })
}

/// JSON of a serialisable value (the answers always serialise).
fn j<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn main() {
    storelytics_tests::run_json(|req: Request| -> Result<serde_json::Value> {
        match req {
            Request::Scores { cases } => {
                let scores = cases
                    .iter()
                    .map(|c| customers::quantile_scores(&c.values, c.bins, c.reversed))
                    .collect::<Result<Vec<_>>>()?;
                Ok(serde_json::json!({ "scores": scores }))
            }
            Request::Rfm { lines, as_of, bins } => {
                let sales = lines.build()?;
                let options = RfmOptions { as_of, bins: bins.unwrap_or(5), ..Default::default() };
                let table = customers::rfm(&sales, &options)?;
                let summary = table.segment_summary();
                let at_risk: Vec<_> = table.most_valuable_at_risk(5).into_iter().cloned().collect();
                Ok(serde_json::json!({ "table": j(&table), "summary": j(&summary), "at_risk": j(&at_risk) }))
            }
            Request::Lifetime { histories, time_unit, horizon, months, discount_rate } => {
                let bg = customers::fit_bgnbd(&histories)?;
                let gg = customers::fit_gamma_gamma(&histories)?;
                let value = ValueOptions { horizon_months: months, monthly_discount_rate: discount_rate, time_unit };
                let p = predictions(&histories, &bg.params, &gg.params, horizon, &value)?;
                Ok(serde_json::json!({ "bgnbd": j(&bg), "gamma_gamma": j(&gg), "predictions": j(&p) }))
            }
            Request::Kmeans { features, k, seed, runs } => {
                let n_features = features.first().map_or(0, |r| r.len());
                let flat: Vec<f64> = features.into_iter().flatten().collect();
                let options = ClusterOptions { seed, runs, ..Default::default() };
                Ok(j(&customers::kmeans(&flat, n_features, k, &options)?))
            }
            Request::Clusters { lines, as_of, options } => {
                let sales = lines.build()?;
                let table = customers::rfm(&sales, &RfmOptions { as_of, ..Default::default() })?;
                let clusters = customers::cluster_customers(&table, &options)?;
                Ok(serde_json::json!({ "rows": j(&table.rows), "clusters": j(&clusters) }))
            }
            Request::Predict { histories, bgnbd, gamma_gamma, horizon, months, discount_rate, time_unit } => {
                let value = ValueOptions { horizon_months: months, monthly_discount_rate: discount_rate, time_unit };
                let p = predictions(&histories, &bgnbd, &gamma_gamma, horizon, &value)?;
                Ok(j(&p))
            }
            Request::LifetimeSales { lines, as_of, time_unit } => {
                let sales = lines.build()?;
                let options = LifetimeOptions { as_of, value: ValueOptions { time_unit, ..Default::default() } };
                let table = customers::lifetime_value(&sales, &options)?;
                Ok(j(&table))
            }
        }
    });
}
