//! The aggregation engine behind KPIs, trends and rankings.
//!
//! One pass over the rows of a period adds up money and units per group and counts distinct
//! orders; an optional second pass, in group order, counts distinct customers, customers with
//! two or more orders and new customers. All sums are exact integers.

mod totals;

pub use totals::Totals;

use std::ops::Range;

use crate::sales::{GUEST, Sales};

/// Rows of a scope (one store or several) and what the analysis knows about its customers.
pub(crate) struct Scope<'a> {
    pub(crate) sales: &'a Sales,
    /// Store indexes in the scope.
    pub(crate) stores: Vec<usize>,
    /// First local day with a sale line, per customer code, within the scope (`i32::MAX` if none).
    first_day: Option<Vec<i32>>,
}

/// How rows are assigned to groups.
pub(crate) trait Grouping {
    /// Group of a row, or `None` to skip it.
    fn group(&self, row: usize) -> Option<u32>;
    /// First day of the group's time window (for the "new customer" test).
    fn window_start(&self, group: u32) -> i32;
}

/// Everything is one group; the window is the period.
pub(crate) struct Single {
    pub(crate) start_day: i32,
}

impl Grouping for Single {
    #[inline]
    fn group(&self, _row: usize) -> Option<u32> {
        Some(0)
    }
    fn window_start(&self, _group: u32) -> i32 {
        self.start_day
    }
}

/// Groups from a per-row key function; the window is the period.
pub(crate) struct ByKey<F: Fn(usize) -> Option<u32>> {
    pub(crate) key: F,
    pub(crate) start_day: i32,
}

impl<F: Fn(usize) -> Option<u32>> Grouping for ByKey<F> {
    #[inline]
    fn group(&self, row: usize) -> Option<u32> {
        (self.key)(row)
    }
    fn window_start(&self, _group: u32) -> i32 {
        self.start_day
    }
}

/// Groups are calendar buckets: `bucket_of_day[day - first_day]`, windows start at `starts`.
pub(crate) struct ByBucket<'a> {
    pub(crate) days: &'a [i32],
    pub(crate) first_day: i32,
    pub(crate) bucket_of_day: Vec<u32>,
    pub(crate) starts: Vec<i32>,
}

impl Grouping for ByBucket<'_> {
    #[inline]
    fn group(&self, row: usize) -> Option<u32> {
        let d = self.days[row] as i64 - self.first_day as i64;
        if d < 0 {
            return None;
        }
        self.bucket_of_day.get(d as usize).copied()
    }
    fn window_start(&self, group: u32) -> i32 {
        self.starts.get(group as usize).copied().unwrap_or(i32::MIN)
    }
}

/// Which optional parts of [`Totals`] to compute.
#[derive(Clone, Copy, Default)]
pub(crate) struct Needs {
    pub(crate) customers: bool,
    /// Per-group counts of customers first seen (any order / second order) in the run, for
    /// to-date (cumulative) customer metrics.
    pub(crate) to_date: bool,
}

impl<'a> Scope<'a> {
    /// All stores of `sales`.
    pub(crate) fn all(sales: &'a Sales) -> Self {
        Scope { sales, stores: (0..sales.stores.len()).collect(), first_day: None }
    }

    /// One store.
    pub(crate) fn store(sales: &'a Sales, s: usize) -> Self {
        Scope { sales, stores: vec![s], first_day: None }
    }

    /// Row ranges of the scope's stores within `[first_day, last_day]`.
    pub(crate) fn rows(&self, first_day: i32, last_day: i32) -> Vec<Range<usize>> {
        self.stores.iter().map(|&s| self.sales.store_rows_in(s, first_day, last_day)).collect()
    }

    fn first_days(&mut self) -> &[i32] {
        if self.first_day.is_none() {
            let sales = self.sales;
            let mut first = vec![i32::MAX; sales.customers().len()];
            for &s in &self.stores {
                let r = sales.stores[s].rows.clone();
                for i in r {
                    let c = sales.customer[i];
                    if c != GUEST && sales.quantity[i] > 0 {
                        let f = &mut first[c as usize];
                        if sales.day[i] < *f {
                            *f = sales.day[i];
                        }
                    }
                }
            }
            self.first_day = Some(first);
        }
        self.first_day.as_deref().unwrap_or(&[])
    }

    /// Totals per group over the scope's rows within `[first_day, last_day]`.
    pub(crate) fn aggregate<G: Grouping>(
        &mut self,
        first_day: i32,
        last_day: i32,
        n_groups: usize,
        grouping: &G,
        needs: Needs,
    ) -> Vec<Totals> {
        let sales = self.sales;
        let ranges = self.rows(first_day, last_day);
        let mut totals = vec![Totals::default(); n_groups];
        let mut last_order = vec![u32::MAX; n_groups];
        let mut monotone = true;
        let mut prev_group = 0u32;
        let cost = sales.cost.as_deref();
        for r in &ranges {
            for i in r.clone() {
                let Some(g) = grouping.group(i) else { continue };
                if g < prev_group {
                    monotone = false;
                }
                prev_group = g;
                let t = &mut totals[g as usize];
                t.add_line(sales.quantity[i], sales.amount[i], sales.order[i], &mut last_order[g as usize]);
                if let Some(c) = cost {
                    t.cost += c[i] as i128;
                }
            }
        }
        if cost.is_some() {
            totals.iter_mut().for_each(|t| t.has_cost = true);
        }
        if needs.customers {
            self.count_customers(&ranges, n_groups, grouping, monotone, needs, &mut totals);
        }
        totals
    }

    fn count_customers<G: Grouping>(
        &mut self,
        ranges: &[Range<usize>],
        n_groups: usize,
        grouping: &G,
        monotone: bool,
        needs: Needs,
        totals: &mut [Totals],
    ) {
        let sales = self.sales;
        let n_customers = sales.customers().len();
        let first_day = self.first_days().to_vec();
        let mut last_group = vec![u32::MAX; n_customers];
        let mut last_order = vec![u32::MAX; n_customers];
        let mut n_orders = vec![0u32; n_customers];
        let (mut run_last_order, mut run_orders) = if needs.to_date {
            (vec![u32::MAX; n_customers], vec![0u32; n_customers])
        } else {
            (Vec::new(), Vec::new())
        };
        let window: Vec<i32> = (0..n_groups as u32).map(|g| grouping.window_start(g)).collect();
        let mut visit = |i: usize, g: u32, totals: &mut [Totals]| {
            let c = sales.customer[i];
            if c == GUEST || sales.quantity[i] <= 0 {
                return;
            }
            let (cu, o) = (c as usize, sales.order[i]);
            let t = &mut totals[g as usize];
            if last_group[cu] != g {
                last_group[cu] = g;
                last_order[cu] = o;
                n_orders[cu] = 1;
                t.customers += 1;
                if first_day[cu] >= window[g as usize] {
                    t.new_customers += 1;
                }
            } else if last_order[cu] != o {
                last_order[cu] = o;
                n_orders[cu] += 1;
                if n_orders[cu] == 2 {
                    t.repeat_customers += 1;
                }
            }
            if needs.to_date && run_last_order[cu] != o {
                run_last_order[cu] = o;
                run_orders[cu] += 1;
                match run_orders[cu] {
                    1 => t.first_seen += 1,
                    2 => t.second_order_seen += 1,
                    _ => {}
                }
            }
        };
        if monotone {
            for r in ranges {
                for i in r.clone() {
                    if let Some(g) = grouping.group(i) {
                        visit(i, g, totals);
                    }
                }
            }
        } else {
            // Counting sort of the rows by group (stable), then visit group by group.
            let mut counts = vec![0u32; n_groups + 1];
            for r in ranges {
                for i in r.clone() {
                    if let Some(g) = grouping.group(i) {
                        counts[g as usize + 1] += 1;
                    }
                }
            }
            for g in 0..n_groups {
                counts[g + 1] += counts[g];
            }
            let mut order = vec![0u32; counts[n_groups] as usize];
            let mut at = counts.clone();
            for r in ranges {
                for i in r.clone() {
                    if let Some(g) = grouping.group(i) {
                        order[at[g as usize] as usize] = i as u32;
                        at[g as usize] += 1;
                    }
                }
            }
            for g in 0..n_groups {
                for &i in &order[counts[g] as usize..counts[g + 1] as usize] {
                    visit(i as usize, g as u32, totals);
                }
            }
        }
    }
}
