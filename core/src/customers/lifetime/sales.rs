//! Lifetime value of every (store, customer) of a sales table.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::summary::repeat_histories;
use super::{BgNbdFit, CustomerValue, GammaGammaFit, RepeatHistory, ValueOptions, fit_bgnbd, fit_gamma_gamma};
use crate::calendar::{date_of, day_number};
use crate::customers::lines::stores_by_id;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::sales::Sales;

/// Options of [`lifetime_value`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LifetimeOptions {
    /// End of observation (store-local date); later lines are ignored. `None` (default): each
    /// store's last sale date.
    pub as_of: Option<NaiveDate>,
    /// Horizon, discount rate and time unit of the values.
    pub value: ValueOptions,
}

/// The fitted models of one store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreLifetime {
    /// The store.
    pub store: Id,
    /// End of observation used.
    pub as_of: NaiveDate,
    /// BG/NBD fit (purchase counts).
    pub bgnbd: BgNbdFit,
    /// Gamma-Gamma fit (spend per purchase).
    pub gamma_gamma: GammaGammaFit,
}

/// One customer's history and predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerLifetime {
    /// The store.
    pub store: Id,
    /// The customer.
    pub customer: Id,
    /// Repeat-purchase history the predictions are based on.
    pub history: RepeatHistory,
    /// Predictions.
    pub value: CustomerValue,
}

/// The result of [`lifetime_value`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifetimeTable {
    /// Fitted models per store (stores that could be fitted).
    pub stores: Vec<StoreLifetime>,
    /// One row per (store, customer) of the fitted stores, customers by ascending id.
    pub rows: Vec<CustomerLifetime>,
    /// Stores skipped and why (e.g. too few repeat customers to fit the models).
    pub notes: Vec<String>,
}

/// Fits BG/NBD and Gamma-Gamma per store on the customers' repeat histories (see the
/// [module documentation](super) for the convention) and predicts every customer's purchases,
/// probability of being alive, expected spend and discounted lifetime value.
///
/// Stores whose data cannot support the models are skipped with a note; if no store can be
/// fitted the error of the first one is returned. `as_of` before the first sale is an error.
///
/// ```
/// use storelytics::customers::{lifetime_value, LifetimeOptions};
/// use storelytics::generator::{generate, GeneratorConfig};
/// let sales = generate(&GeneratorConfig { lines: 30_000, stores: 1, ..Default::default() })?.sales;
/// let table = lifetime_value(&sales, &LifetimeOptions::default())?;
/// assert!(table.rows.iter().all(|r| r.value.probability_alive <= 1.0));
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn lifetime_value(sales: &Sales, options: &LifetimeOptions) -> Result<LifetimeTable> {
    let first_day = sales.days().iter().copied().min();
    if let (Some(as_of), Some(first)) = (options.as_of, first_day)
        && day_number(as_of) < first
    {
        return Err(Error::invalid_parameter(
            "as_of",
            format!("{as_of} is before the first sale ({})", date_of(first)),
        ));
    }
    let dictionary = sales.customers();
    let mut table = LifetimeTable { stores: Vec::new(), rows: Vec::new(), notes: Vec::new() };
    let mut first_error: Option<Error> = None;
    for (store, lines) in stores_by_id(sales) {
        let Some(last_day) = lines.last_day() else { continue };
        let end_day = options.as_of.map(day_number).unwrap_or(last_day);
        let mut keyed: Vec<(Id, RepeatHistory)> =
            repeat_histories(lines, end_day, sales.money_scale(), options.value.time_unit)
                .into_iter()
                .map(|(code, h)| (dictionary.id(code), h))
                .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let histories: Vec<RepeatHistory> = keyed.iter().map(|k| k.1).collect();
        let fitted = fit_bgnbd(&histories).and_then(|bg| {
            let gg = fit_gamma_gamma(&histories)?;
            let values = super::predict_values(&histories, &bg.params, &gg.params, &options.value)?;
            Ok((bg, gg, values))
        });
        match fitted {
            Ok((bgnbd, gamma_gamma, values)) => {
                table.stores.push(StoreLifetime {
                    store: store.id.clone(),
                    as_of: date_of(end_day),
                    bgnbd,
                    gamma_gamma,
                });
                for ((customer, history), value) in keyed.into_iter().zip(values) {
                    table.rows.push(CustomerLifetime { store: store.id.clone(), customer, history, value });
                }
            }
            Err(e) => {
                table.notes.push(format!("store {} skipped: {e}", store.id));
                first_error.get_or_insert(e);
            }
        }
    }
    if table.stores.is_empty() {
        return Err(first_error.unwrap_or_else(|| Error::insufficient_data("lifetime value", "no sales")));
    }
    Ok(table)
}
