//! Command-line arguments of the report.

use std::path::PathBuf;

use storelytics::sales::io::ReadOptions;
use storelytics::{Comparison, Id, Period};

pub(crate) const USAGE: &str = "\
usage: report [PATH] [options]

PATH                 a .csv or .parquet file of sales line items; without it, demo data is generated
--map FIELD=COLUMN   column of a contract field (order_id, ts, product_id, quantity, unit_price,
                     amount, unit_cost, customer_id, store_id, category); repeatable
--tz ZONE            IANA time zone of all stores (default UTC)
--store-tz ID=ZONE   time zone of one store; repeatable
--period START..END  the report period (default: the last 30 days of the data)
--comparison KIND    previous_period (default), same_period_last_year or none
--top N              entries in the top lists (default 5)
--lines N            size of the generated demo data (default 200000)
--seed N             seed of the generated demo data (default 42)
--json               print the report as JSON";

pub(crate) enum Source {
    Generated { lines: usize, seed: u64 },
    Csv(PathBuf),
    Parquet(PathBuf),
}

pub(crate) struct Args {
    pub(crate) source: Source,
    pub(crate) read: ReadOptions,
    pub(crate) period: Option<Period>,
    pub(crate) comparison: Comparison,
    pub(crate) top: usize,
    pub(crate) json: bool,
}

pub(crate) fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut path: Option<PathBuf> = None;
    let mut read = ReadOptions::default();
    let (mut lines, mut seed) = (200_000usize, 42u64);
    let mut args = Args {
        source: Source::Generated { lines, seed },
        read: ReadOptions::default(),
        period: None,
        comparison: Comparison::PreviousPeriod,
        top: 5,
        json: false,
    };
    let value =
        |it: &mut dyn Iterator<Item = String>, flag: &str| it.next().ok_or_else(|| format!("{flag} needs a value"));
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--map" => {
                let v = value(&mut it, "--map")?;
                let (field, column) = v.split_once('=').ok_or("--map expects FIELD=COLUMN")?;
                let m = &mut read.mapping;
                let slot = match field {
                    "order_id" => &mut m.order_id,
                    "ts" => &mut m.ts,
                    "product_id" => &mut m.product_id,
                    "quantity" => &mut m.quantity,
                    "unit_price" => &mut m.unit_price,
                    "amount" => &mut m.amount,
                    "unit_cost" => &mut m.unit_cost,
                    "customer_id" => &mut m.customer_id,
                    "store_id" => &mut m.store_id,
                    "category" => &mut m.category,
                    other => return Err(format!("unknown field `{other}` in --map")),
                };
                *slot = column.to_string();
            }
            "--tz" => read.time_zones.default = value(&mut it, "--tz")?,
            "--store-tz" => {
                let v = value(&mut it, "--store-tz")?;
                let (id, zone) = v.split_once('=').ok_or("--store-tz expects ID=ZONE")?;
                let id = id.parse::<i64>().map(Id::Int).unwrap_or_else(|_| Id::Str(id.to_string()));
                read.time_zones.per_store.push((id, zone.to_string()));
            }
            "--period" => {
                let v = value(&mut it, "--period")?;
                let (a, b) = v.split_once("..").ok_or("--period expects START..END")?;
                let d = |s: &str| s.parse::<chrono::NaiveDate>().map_err(|e| format!("bad date `{s}`: {e}"));
                args.period = Some(Period::new(d(a)?, d(b)?).map_err(|e| e.to_string())?);
            }
            "--comparison" => {
                args.comparison =
                    value(&mut it, "--comparison")?.parse().map_err(|e: storelytics::Error| e.to_string())?
            }
            "--top" => {
                args.top = value(&mut it, "--top")?.parse().map_err(|_| "--top expects a positive integer")?;
            }
            "--lines" => lines = value(&mut it, "--lines")?.parse().map_err(|_| "--lines expects an integer")?,
            "--seed" => seed = value(&mut it, "--seed")?.parse().map_err(|_| "--seed expects an integer")?,
            "-h" | "--help" => return Err("help requested".into()),
            p if !p.starts_with("--") && path.is_none() => path = Some(PathBuf::from(p)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    args.read = read;
    args.source = match path {
        None => Source::Generated { lines, seed },
        Some(p) => match p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Source::Csv(p),
            Some("parquet") | Some("pq") => Source::Parquet(p),
            _ => return Err(format!("`{}`: expected a .csv or .parquet file", p.display())),
        },
    };
    Ok(args)
}
