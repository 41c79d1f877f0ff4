"""Series for the ARIMA reference tests and benches: bundled with statsforecast / statsmodels
(no downloads) or generated with a fixed seed."""

import numpy as np


def air_passengers():
    from statsforecast.utils import AirPassengers

    return np.asarray(AirPassengers, dtype=float), 12


def co2_monthly():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    monthly = weekly.resample("MS").mean().interpolate()
    return monthly.to_numpy(dtype=float)[-240:], 12


def elnino():
    import statsmodels.api as sm

    table = sm.datasets.elnino.load_pandas().data
    return table.drop(columns="YEAR").to_numpy(dtype=float).ravel()[-240:], 12


def macro(column):
    import statsmodels.api as sm

    return sm.datasets.macrodata.load_pandas().data[column].to_numpy(dtype=float), 4


def nile():
    import statsmodels.api as sm

    return sm.datasets.nile.load_pandas().data["volume"].to_numpy(dtype=float), 1


def sunspots():
    import statsmodels.api as sm

    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype=float), 1


def daily_store(seed, n=730):
    """Daily net revenue of a store: trend, weekly pattern, AR(1) noise; season 7."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    weekly = np.array([0.8, 0.7, 0.75, 0.9, 1.1, 1.5, 1.25]) * rng.uniform(0.9, 1.1, 7)
    level = rng.uniform(500, 5000) * (1 + rng.uniform(-0.3, 0.6) * t / n)
    noise = np.zeros(n)
    phi = rng.uniform(0.0, 0.7)
    for i in range(1, n):
        noise[i] = phi * noise[i - 1] + rng.normal(0, 0.08)
    return np.round(level * weekly[t % 7] * np.exp(noise), 2), 7


def mase(y_train, y_test, forecast, m):
    """Mean absolute scaled error with the in-sample seasonal naive scale."""
    m = max(m, 1)
    scale = np.mean(np.abs(y_train[m:] - y_train[:-m]))
    return float(np.mean(np.abs(np.asarray(forecast) - y_test)) / scale)


def auto_series():
    """(name, values, season length) of the AutoARIMA comparison."""
    out = [
        ("air_passengers",) + air_passengers(),
        ("co2",) + co2_monthly(),
        ("elnino",) + elnino(),
        ("realcons",) + macro("realcons"),
        ("cpi",) + macro("cpi"),
        ("unemp",) + macro("unemp"),
        ("nile",) + nile(),
        ("sunspots",) + sunspots(),
    ]
    out += [(f"daily_store_{s}",) + daily_store(s, 365) for s in range(4)]
    return out
