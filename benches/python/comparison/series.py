"""Series workloads on every store's daily net revenue: the automatic forecast choice against
statsforecast with the same candidates, and anomaly detection against an STL + rolling z-score
baseline (statsmodels)."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List

import numpy as np
import pandas as pd

import storelytics as sl
from comparison.data import Dataset
from comparison.tables import CENT, Workload

HORIZON = 28
SEASON = 7


def daily_series(data: Dataset) -> Dict[int, pd.Series]:
    """Net revenue per store and local day, every day of the range (untimed input of the peers)."""
    pdf = data.pandas
    amount = (pdf.quantity * pdf.unit_price).groupby([pdf.store_id, pdf.date]).sum()
    days = pd.date_range(data.first_date, data.last_date, freq="D")
    return {int(s): amount.loc[s].reindex(days, fill_value=0.0) for s in amount.index.levels[0]}


def _models(include_arima: bool) -> List:
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, Naive, RandomWalkWithDrift, SeasonalNaive, Theta

    models = [
        SeasonalNaive(SEASON),
        Naive(),
        RandomWalkWithDrift(),
        Theta(season_length=SEASON),
        AutoETS(season_length=SEASON),
        MSTL(season_length=SEASON),
    ]
    if include_arima:
        models.append(AutoARIMA(season_length=SEASON))
    return models


def statsforecast_choice(series: Dict[int, pd.Series], include_arima: bool, windows: int) -> Dict[int, str]:
    """Cross-validation of the candidates (`windows` windows of 28 days), lowest mean MASE per store,
    then the winner refitted on the whole series for the 28-day forecast."""
    from statsforecast import StatsForecast

    frame = pd.concat(
        [pd.DataFrame({"unique_id": s, "ds": v.index, "y": v.to_numpy()}) for s, v in series.items()],
        ignore_index=True,
    )
    sf = StatsForecast(models=_models(include_arima), freq="D", n_jobs=1)
    cv = sf.cross_validation(df=frame, h=HORIZON, n_windows=windows, step_size=HORIZON)
    names = [str(m) for m in sf.models]
    chosen = {}
    for s, v in series.items():
        y = v.to_numpy()
        scale = np.mean(np.abs(y[SEASON:] - y[:-SEASON])) or 1.0
        c = cv[cv.unique_id == s]
        mase = {n: np.mean(np.abs(c[n].to_numpy() - c.y.to_numpy())) / scale for n in names}
        chosen[s] = min(mase, key=mase.get)
    for s, name in chosen.items():
        model = next(m for m, n in zip(_models(include_arima), names) if n == name)
        one = frame[frame.unique_id == s]
        StatsForecast(models=[model], freq="D", n_jobs=1).forecast(df=one, h=HORIZON)
    return chosen


def forecast_workload(data: Dataset, sales, include_arima: bool, windows: int = 5) -> Workload:
    series = daily_series(data)
    stores = sorted(series)

    def ours():
        return {s: sl.forecast(sales, HORIZON, store=s, include_arima=include_arima, n_windows=windows) for s in stores}

    def check(result, peers):
        for s in stores:
            hist = result[s].history
            mine = series[s]
            dates = [d for d in hist["date"].to_list()]
            assert dates[0] == mine.index[0].date() and dates[-1] == mine.index[-1].date(), (s, dates[0], dates[-1])
            diff = np.max(np.abs(hist["value"].to_numpy() - mine.to_numpy()))
            assert diff <= CENT, (s, diff)
        picks = ", ".join(f"store {s}: {result[s].chosen} / {peers['statsforecast'][s]}" for s in stores)
        return f"the same {len(series[stores[0]])}-day series per store; chosen (storelytics / statsforecast): {picks}"

    label = "7 candidates incl. AutoARIMA" if include_arima else "6 candidates"
    return Workload(
        f"forecast auto choice, {label}",
        ours,
        {"statsforecast": lambda: statsforecast_choice(series, include_arima, windows)},
        check,
        size=f"{len(stores)} stores x {len(series[stores[0]])} days",
        repeats=1,
        notes=[
            f"both: {windows}-window cross-validation of horizon {HORIZON}, lowest MASE, refit; statsforecast "
            "n_jobs=1, numba compiled in the warm-up run; storelytics builds the series from the sales"
        ],
    )


def stl_zscore(y: pd.Series, window: int = 28, threshold: float = 3.0) -> List[dt.date]:
    """The baseline: robust STL (weekly), then a rolling z-score of the remainder."""
    from statsmodels.tsa.seasonal import STL

    resid = pd.Series(STL(y.to_numpy(), period=SEASON, robust=True).fit().resid, index=y.index)
    mean = resid.rolling(window, center=True, min_periods=SEASON).mean()
    sd = resid.rolling(window, center=True, min_periods=SEASON).std()
    z = (resid - mean) / sd
    return [d.date() for d in y.index[np.abs(z.to_numpy()) > threshold]]


def anomaly_workload(data: Dataset, sales) -> Workload:
    series = daily_series(data)
    stores = sorted(series)
    injected = {(s, d) for s, d, _ in data.anomalies}

    def recall(found) -> str:
        hits = len(found & injected)
        return f"{hits}/{len(injected)} injected found, {len(found - injected)} other"

    def check(result, peers):
        ours = {(s, d) for s in stores for d in result[s].anomalies["date"].to_list()}
        theirs = {(s, d) for s in stores for d in peers["statsmodels"][s]}
        return f"not the same algorithm; storelytics {recall(ours)}; STL + z-score {recall(theirs)}"

    return Workload(
        "anomalies, daily per store",
        lambda: {s: sl.detect_anomalies(sales, store=s) for s in stores},
        {"statsmodels": lambda: {s: stl_zscore(series[s]) for s in stores}},
        check,
        size=f"{len(stores)} stores x {len(series[stores[0]])} days",
        notes=[
            "different algorithms: storelytics seasonal hybrid ESD (default) vs statsmodels STL + rolling "
            "z-score; storelytics builds the series from the sales"
        ],
    )
