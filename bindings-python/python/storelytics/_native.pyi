"""Type stubs of the private native module (Rust, pyo3). Use the public package instead."""

from typing import Any, List, Optional, Tuple, Union

import polars as pl

__version__: str

class StorelyticsError(Exception): ...
class SchemaError(StorelyticsError): ...
class InvalidParameterError(StorelyticsError): ...
class InsufficientDataError(StorelyticsError): ...
class UnknownIdError(StorelyticsError): ...
class NumericalError(StorelyticsError): ...
class StorelyticsIOError(StorelyticsError): ...

_Id = Union[int, str]
_Pairs = Optional[List[Tuple[str, str]]]
_Zones = Optional[List[Tuple[_Id, str]]]
_Period = Optional[Tuple[str, str]]

class Sales:
    @staticmethod
    def from_polars(
        frame: pl.DataFrame,
        mapping: _Pairs = None,
        time_zone: Optional[str] = None,
        store_time_zones: _Zones = None,
        money_scale: Optional[int] = None,
    ) -> Sales: ...
    @staticmethod
    def read_csv(
        path: str,
        mapping: _Pairs = None,
        time_zone: Optional[str] = None,
        store_time_zones: _Zones = None,
        money_scale: Optional[int] = None,
    ) -> Sales: ...
    @staticmethod
    def read_parquet(
        path: str,
        mapping: _Pairs = None,
        time_zone: Optional[str] = None,
        store_time_zones: _Zones = None,
        money_scale: Optional[int] = None,
    ) -> Sales: ...
    def __len__(self) -> int: ...
    @property
    def money_scale(self) -> int: ...
    def stores_json(self) -> str: ...
    def date_range(self) -> Optional[Tuple[str, str]]: ...
    def filter_period(self, start: str, end: str) -> Sales: ...
    def for_store(self, store: _Id) -> Sales: ...
    def to_polars(self) -> pl.DataFrame: ...

def sales_defaults_json() -> str: ...

# Arguments left `None` take the core defaults; the `<area>_defaults_json()` functions return
# them (the typed layer shows them in its signatures).
def kpi_report_json(sales: Sales, period: _Period = None, comparison: Optional[str] = None) -> str: ...
def kpi_defaults_json() -> str: ...
def trend_json(
    sales: Sales,
    metric: Optional[str] = None,
    granularity: Optional[str] = None,
    period: _Period = None,
    store: Optional[_Id] = None,
    moving_average: Optional[int] = None,
) -> str: ...
def trend_defaults_json() -> str: ...
def rank_json(
    sales: Sales,
    entity: Optional[str] = None,
    metric: Optional[str] = None,
    n: Optional[int] = None,
    order: Optional[str] = None,
    period: _Period = None,
    comparison: Optional[str] = None,
    store: Optional[_Id] = None,
) -> str: ...
def rank_defaults_json() -> str: ...
def generate_native(
    seed: Optional[int] = None,
    stores: Optional[int] = None,
    start: Optional[str] = None,
    days: Optional[int] = None,
    lines: Optional[int] = None,
    customers: Optional[int] = None,
    products: Optional[int] = None,
    categories: Optional[int] = None,
    guest_share: Optional[float] = None,
    return_rate: Optional[float] = None,
    anomalies_per_store: Optional[int] = None,
    yearly_growth: Optional[float] = None,
    taste_share: Optional[float] = None,
) -> Tuple[Sales, str]: ...
def generator_defaults_json() -> str: ...
def _kpi_report_seconds(sales: Sales, repeats: int = 5) -> float: ...
def series_json(
    sales: Sales,
    horizon: int = 0,
    metric: Optional[str] = None,
    granularity: Optional[str] = None,
    period: _Period = None,
    store: Optional[_Id] = None,
    product: Optional[_Id] = None,
    season_length: Optional[int] = None,
    keep_partial_buckets: Optional[bool] = None,
) -> str: ...
def forecast_json(
    sales: Sales,
    horizon: int,
    metric: Optional[str] = None,
    granularity: Optional[str] = None,
    period: _Period = None,
    store: Optional[_Id] = None,
    product: Optional[_Id] = None,
    season_length: Optional[int] = None,
    keep_partial_buckets: Optional[bool] = None,
    thoroughness: Optional[str] = None,
    include_arima: Optional[bool] = None,
    route_intermittent: Optional[bool] = None,
    n_windows: Optional[int] = None,
    step: Optional[int] = None,
    levels: Optional[List[float]] = None,
) -> str: ...
def forecast_model_json(
    values: List[float],
    season_length: int,
    model: str,
    horizon: int,
    levels: Optional[List[float]] = None,
    intervals: Optional[str] = None,
    conformal_windows: Optional[int] = None,
    conformal_step: Optional[int] = None,
) -> str: ...
def backtest_json(
    values: List[float],
    season_length: int,
    models: str,
    horizon: Optional[int] = None,
    step: Optional[int] = None,
    n_windows: Optional[int] = None,
    levels: Optional[List[float]] = None,
    intervals: Optional[str] = None,
    conformal_windows: Optional[int] = None,
    conformal_step: Optional[int] = None,
) -> str: ...
def forecast_defaults_json() -> str: ...
def detect_json(
    sales: Sales,
    metric: Optional[str] = None,
    granularity: Optional[str] = None,
    period: _Period = None,
    store: Optional[_Id] = None,
    product: Optional[_Id] = None,
    season_length: Optional[int] = None,
    keep_partial_buckets: Optional[bool] = None,
    detector: Optional[str] = None,
    sensitivity: Optional[float] = None,
    direction: Optional[str] = None,
    max_anomalies: Optional[float] = None,
    alpha: Optional[float] = None,
    detect_weekly_closed: Optional[bool] = None,
    closed_dates: Optional[List[str]] = None,
    scale: Optional[str] = None,
    window: Optional[int] = None,
) -> str: ...
# `None` arguments below take the Rust core's defaults (see the `*_defaults_json` functions).
def rfm_frames(
    sales: Sales, as_of: Optional[str] = None, bins: Optional[int] = None, segments: Optional[str] = None
) -> Tuple[pl.DataFrame, str]: ...
def cluster_customers_frames(
    sales: Sales,
    k: Optional[int] = None,
    k_range: Optional[Tuple[int, int]] = None,
    seed: Optional[int] = None,
    runs: Optional[int] = None,
    max_iterations: Optional[int] = None,
    tolerance: Optional[float] = None,
    silhouette_sample: Optional[int] = None,
    as_of: Optional[str] = None,
    store: Optional[_Id] = None,
) -> Tuple[pl.DataFrame, str]: ...
def lifetime_value_json(
    sales: Sales,
    as_of: Optional[str] = None,
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[str] = None,
) -> str: ...
def customers_defaults_json() -> str: ...
def fit_bgnbd_json(frequency: List[float], recency: List[float], age: List[float]) -> str: ...
def fit_gamma_gamma_json(frequency: List[float], monetary: List[float]) -> str: ...
def predict_values_frame(
    frequency: List[float],
    recency: List[float],
    age: List[float],
    monetary: List[float],
    bgnbd: Tuple[float, float, float, float],
    gamma_gamma: Tuple[float, float, float],
    horizon_months: Optional[int] = None,
    monthly_discount_rate: Optional[float] = None,
    time_unit: Optional[str] = None,
) -> pl.DataFrame: ...
def product_daily_units_json(
    sales: Sales, top_n: Optional[int] = None, period: _Period = None, store: Optional[_Id] = None
) -> str: ...
def top_product_demand_json(
    sales: Sales,
    top_n: Optional[int] = None,
    horizon: Optional[int] = None,
    period: _Period = None,
    store: Optional[_Id] = None,
    thoroughness: Optional[str] = None,
    include_arima: Optional[bool] = None,
    route_intermittent: Optional[bool] = None,
    n_windows: Optional[int] = None,
    step: Optional[int] = None,
    levels: Optional[List[float]] = None,
) -> str: ...
def anomaly_defaults_json() -> str: ...
def rfm_json(sales: Sales, as_of: Optional[str] = None, bins: int = 5) -> str: ...
def association_rules_json(
    sales: Sales,
    min_support: Optional[float] = None,
    max_len: Optional[int] = None,
    max_itemsets: Optional[int] = None,
    min_confidence: Optional[float] = None,
    min_lift: Optional[float] = None,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
) -> str: ...
def recommend_json(
    sales: Sales,
    customer: _Id,
    top: int = 10,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
    neighbours: Optional[int] = None,
) -> str: ...
def frequent_itemsets_json(
    sales: Sales,
    min_support: Optional[float] = None,
    max_len: Optional[int] = None,
    max_itemsets: Optional[int] = None,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
) -> str: ...
def item_similarity_json(
    sales: Sales,
    product: Optional[_Id] = None,
    basis: Optional[str] = None,
    measure: Optional[str] = None,
    k1: Optional[float] = None,
    b: Optional[float] = None,
    neighbours: Optional[int] = None,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
) -> str: ...
def bought_together_json(
    sales: Sales,
    product: _Id,
    top: Optional[int] = None,
    rank_by: Optional[str] = None,
    min_count: Optional[int] = None,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
) -> str: ...
def evaluate_sales_json(
    sales: Sales,
    split: str,
    k: Optional[int] = None,
    basis: Optional[str] = None,
    measure: Optional[str] = None,
    k1: Optional[float] = None,
    b: Optional[float] = None,
    neighbours: Optional[int] = None,
    include_returns: Optional[bool] = None,
    store: Optional[_Id] = None,
) -> str: ...
def recommend_defaults_json() -> str: ...
