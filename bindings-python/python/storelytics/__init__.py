"""storelytics: store-sales analytics computed by a Rust core.

Pass a polars, pandas or pyarrow table (or a CSV / Parquet path) to :class:`Sales`, then ask
for KPIs, trends, rankings, forecasts, anomalies, customer analytics (RFM, clusters, lifetime
value) and recommendations (itemsets, rules, similarity, bought together, evaluation). Forecast
with any model of :mod:`storelytics.models` (:func:`forecast_model`, :func:`backtest`) or the
automatic choice (:func:`forecast`), or forecast the demand of the top products
(:func:`top_product_demand`). Results are typed objects whose tables are polars DataFrames
(pandas with ``output="pandas"``); every result has ``to_dict()`` with the same values the Rust
crate produces.

>>> import storelytics as sl
>>> data = sl.generate(lines=20_000)
>>> report = sl.kpi_report(data.sales)
>>> report.overall.current.orders > 0
True

Long calls run without the GIL, and Ctrl-C interrupts a waiting call at once (the computation
is abandoned in the background). Errors derive from :class:`StorelyticsError`.
"""

from storelytics._native import __version__
from storelytics._options import (
    Comparison,
    Entity,
    Granularity,
    Metric,
    RankOrder,
    SimilarityBasis,
    SimilarityMeasure,
    TimeUnit,
    TogetherRanking,
)
from storelytics.errors import (
    InsufficientDataError,
    InvalidParameterError,
    NumericalError,
    SchemaError,
    StorelyticsError,
    StorelyticsIOError,
    UnknownIdError,
)
from storelytics.anomaly import AnomalyReport
from storelytics.anomaly import detect as detect_anomalies
from storelytics.customers import CustomerClusters, LifetimeValue, RfmResult, cluster_customers, lifetime_value, rfm
from storelytics import models
from storelytics.backtesting import Backtest, backtest
from storelytics.forecast import ForecastResult, IntervalSource, ModelForecast, Thoroughness, forecast, forecast_model
from storelytics.demand import ProductDemandForecasts, product_daily_units, top_product_demand
from storelytics.lifetime import BgNbdFit, GammaGammaFit, fit_bgnbd, fit_gamma_gamma, predict_values
from storelytics.generator import Generated, generate
from storelytics.kpi import KpiChange, KpiComparison, KpiReport, Kpis, StoreKpis, kpi_report
from storelytics.period import Period
from storelytics.recommend import (
    Evaluation,
    association_rules,
    bought_together,
    evaluate_sales,
    frequent_itemsets,
    item_similarity,
    recommend,
)
from storelytics.rank import Ranking, rank
from storelytics.sales import CONTRACT_COLUMNS, Sales, Store
from storelytics.trend import Trend, trend

__all__ = [
    "__version__",
    # data
    "Sales",
    "Store",
    "Period",
    "CONTRACT_COLUMNS",
    "generate",
    "Generated",
    # analyses
    "kpi_report",
    "KpiReport",
    "KpiComparison",
    "KpiChange",
    "Kpis",
    "StoreKpis",
    "trend",
    "Trend",
    "rank",
    "Ranking",
    "forecast",
    "ForecastResult",
    "forecast_model",
    "ModelForecast",
    "top_product_demand",
    "product_daily_units",
    "ProductDemandForecasts",
    "backtest",
    "Backtest",
    "models",
    "detect_anomalies",
    "AnomalyReport",
    "rfm",
    "RfmResult",
    "cluster_customers",
    "CustomerClusters",
    "lifetime_value",
    "LifetimeValue",
    "fit_bgnbd",
    "BgNbdFit",
    "fit_gamma_gamma",
    "GammaGammaFit",
    "predict_values",
    "frequent_itemsets",
    "association_rules",
    "item_similarity",
    "bought_together",
    "recommend",
    "evaluate_sales",
    "Evaluation",
    # option names
    "Metric",
    "Granularity",
    "Comparison",
    "Entity",
    "RankOrder",
    "TimeUnit",
    "SimilarityBasis",
    "SimilarityMeasure",
    "TogetherRanking",
    "Thoroughness",
    "IntervalSource",
    # errors
    "StorelyticsError",
    "SchemaError",
    "InvalidParameterError",
    "InsufficientDataError",
    "UnknownIdError",
    "NumericalError",
    "StorelyticsIOError",
]
