"""A walk-through of storelytics from Python: generate a dataset, read it the way you would read
your own sales, then KPIs, a trend, rankings, a forecast, anomalies, customer analytics and
recommendations.

Run it after installing the wheel (see the README's "Python" section):

    python examples/python/walkthrough.py
"""

import time

import polars as pl

import storelytics as sl

# 1. Data. `generate` simulates three stores in different time zones over two years; with your
#    own data you would write e.g.
#        sales = sl.Sales(pl.read_parquet("sales.parquet"),
#                         mapping={"order_id": "InvoiceNo", "customer_id": "CustomerID"},
#                         store_time_zones={"berlin": "Europe/Berlin"})
#    (a pandas DataFrame, a pyarrow Table or a CSV / Parquet path works the same way).
started = time.perf_counter()
data = sl.generate(lines=200_000, seed=42)
sales = data.sales
print(f"{sales!r} generated in {time.perf_counter() - started:.2f} s")
print("stores:", ", ".join(f"{s.id} ({s.time_zone})" for s in sales.stores))

# 2. KPIs of the last full month against the previous period. Money fields are exact integers
#    in minor units (cents); `report.major(...)` converts.
last = sales.date_range.end
month = sl.Period.month(last.year, last.month - 1) if last.month > 1 else sl.Period.month(last.year - 1, 12)
report = sl.kpi_report(sales, period=month, comparison="previous_period")
k = report.overall.current
print(f"\nKPIs {month.start}..{month.end}")
print(f"  net revenue      {report.major(k.net_revenue):>14,.2f}")
print(f"  orders           {k.orders:>14,}")
print(f"  avg order value  {k.avg_order_value:>14,.2f}")
print(f"  repeat rate      {k.repeat_rate:>13.1f}%")
change = report.overall.change("net_revenue")
print(f"  net revenue vs previous period: {change.pct_change:+.1f}%")
for store in report.stores:
    print(f"  store {store.store}: {report.major(store.kpis.current.net_revenue):,.2f}")

# 3. A trend: weekly net revenue with growth vs. the previous week and last year.
weekly = sl.trend(sales, granularity="week", moving_average=4)
print("\nlast weeks:")
print(weekly.points.select("label", "value", "growth_pct", "yoy_growth_pct", "moving_average").tail(6))
strong = weekly.points.filter(pl.col("yoy_growth_pct") > 20)
print(f"{strong.height} weeks grew more than 20% over the same week last year")

# 4. Rankings: top products and categories in that month, with rank changes.
top = sl.rank(sales, entity="product", n=5, period=month)
print(f"\ntop products of {top.entities} active:")
print(top.entries)
categories = sl.rank(sales, entity="category", metric="gross_margin", n=3, period=month)
print(categories.entries.select("rank", "id", "value", "share_pct"))

# 5. pandas instead of polars, and plain dicts (the same JSON every runtime returns).
print(type(sl.trend(sales, granularity="month", output="pandas").points))
assert isinstance(report.to_dict()["overall"]["current"]["orders"], int)

# 6. A forecast: the next 28 days of net revenue, model picked by rolling cross-validation.
fc = sl.forecast(sales, 28)
print(f"\nforecast by {fc.model} (chosen {fc.chosen} among {fc.candidates.height} candidates):")
print(fc.forecast.head(7))

# 6b. One model of your choice (the Rust names and options, see storelytics.models), and a
#     rolling-origin backtest comparing models by MASE / sMAPE / RMSE / interval coverage.
ets = sl.forecast_model(sales, sl.models.AutoEts(), 28)
print(f"\n{ets.model}: alpha={ets.parameters['params']['alpha']:.3f}, AICc={ets.parameters['aicc']:.1f}")
scores = sl.backtest(sales, ["seasonal_naive", "theta", sl.models.AutoEts()], horizon=14, step=7, n_windows=4).scores
print(scores.select("model", "mase", "smape", "rmse", "coverage_95"))

# 7. Anomalies of one store's daily revenue (the generator injected some).
store = sales.stores[0].id
anomalies = sl.detect_anomalies(sales, store=store)
print(f"\n{anomalies.summary['count']} anomalies in store {store}:")
print(anomalies.anomalies.select("date", "actual", "expected", "lower", "upper", "direction", "score").head(8))

# 8. Customers: RFM scores, segments and what each segment is worth.
customers = sl.rfm(sales)
print(customers.summary.filter(pl.col("store") == store).select("segment", "customers", "revenue_share"))

# 8b. Clusters on log R/F/M (k chosen by silhouette) and lifetime value over the next year.
clusters = sl.cluster_customers(sales, store=store)
print(f"\n{clusters.k} customer clusters in store {store}:")
print(clusters.profiles.select("cluster", "customers", "mean_recency_days", "mean_frequency", "mean_monetary"))
value = sl.lifetime_value(sales, horizon_months=12, monthly_discount_rate=0.01)
print(value.stores.select("store", "r", "alpha", "a", "b", "p", "q", "gamma"))
print(value.table.sort("lifetime_value", descending=True).head(5))

# 9. Recommendations: bundles (association rules by lift) and products for one customer.
rules = sl.association_rules(sales, min_support=0.002, min_confidence=0.1, min_lift=1.0)
print(rules.sort("lift", descending=True).head(5))
someone = customers.table["customer"][0]
print(f"for customer {someone}:")
print(sl.recommend(sales, someone, top=5))
best_seller = sl.frequent_itemsets(sales, max_len=1).sort("count", descending=True)["products"][0][0]
print(f"bought with {best_seller}:")
print(sl.bought_together(sales, best_seller, top=5))
print(sl.item_similarity(sales, product=best_seller, basis="orders", measure="bm25", neighbours=5))
# Does it beat "most popular"? Train before July 2024, test on the rest.
print(sl.evaluate_sales(sales, "2024-07-01").table)

# 10. The table back out as a DataFrame (caller's ids, exact money, UTC timestamps).
print(sales.to_polars().head(3))
