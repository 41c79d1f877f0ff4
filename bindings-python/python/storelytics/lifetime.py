"""Lifetime models on histories given directly, as in the ``lifetimes`` package: BG/NBD
(:func:`fit_bgnbd`), Gamma-Gamma (:func:`fit_gamma_gamma`) and per-customer predictions
(:func:`predict_values`) from per-customer ``frequency`` (repeat purchases), ``recency`` (first
to last purchase), ``T`` (first purchase to the end of observation) and ``monetary_value``
(mean spend of the repeat purchases). :func:`~storelytics.lifetime_value` builds these
histories from sales; these functions take them from anywhere (``lifetimes.utils.summary_data_
from_transaction_data``, a warehouse query, ...).

Defaults are the core's ``ValueOptions`` (``storelytics.customers.DEFAULTS["lifetime"]``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

from storelytics import _args, _native
from storelytics._frames import Output, check_output
from storelytics._options import TimeUnit
from storelytics._series import values_of
from storelytics.customers import DEFAULTS
from storelytics.errors import InvalidParameterError

_LIFETIME = DEFAULTS["lifetime"]


@dataclass(frozen=True)
class BgNbdFit:
    """A BG/NBD fit (``storelytics::customers::BgNbdFit``): the parameters ``r``, ``alpha``,
    ``a``, ``b`` (``lifetimes.BetaGeoFitter.params_``), the mean log-likelihood per customer and
    whether the optimiser converged. Time is in the unit of the histories."""

    r: float
    alpha: float
    a: float
    b: float
    mean_log_likelihood: float
    converged: bool

    @property
    def params(self) -> Dict[str, float]:
        """``{"r", "alpha", "a", "b"}``."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON (``params``, ``mean_log_likelihood``, ``converged``)."""
        return {"params": self.params, "mean_log_likelihood": self.mean_log_likelihood, "converged": self.converged}


@dataclass(frozen=True)
class GammaGammaFit:
    """A Gamma-Gamma fit (``storelytics::customers::GammaGammaFit``): ``p``, ``q``, ``gamma``
    (``lifetimes.GammaGammaFitter.params_`` ``p``, ``q``, ``v``), the mean log-likelihood, the
    customers used (those with a repeat purchase and positive spend) and convergence."""

    p: float
    q: float
    gamma: float
    mean_log_likelihood: float
    customers_used: int
    converged: bool

    @property
    def params(self) -> Dict[str, float]:
        """``{"p", "q", "gamma"}``."""
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON (``params``, ``mean_log_likelihood``, ``customers_used``, ``converged``)."""
        out = asdict(self)
        return {"params": self.params, **{k: out[k] for k in ("mean_log_likelihood", "customers_used", "converged")}}


def _columns(**columns: Any) -> List[List[float]]:
    return [values_of(data, name) for name, data in columns.items()]


def fit_bgnbd(frequency: Any, recency: Any, T: Any) -> BgNbdFit:
    """Fits BG/NBD by maximum likelihood (``storelytics::customers::fit_bgnbd``) on one history
    per customer: ``frequency`` (whole repeat-purchase counts), ``recency`` and ``T`` in one
    time unit; lists, numpy arrays, polars or pandas Series. Like
    ``lifetimes.BetaGeoFitter(penalizer_coef=0).fit(frequency, recency, T)``.

    >>> import storelytics as sl
    >>> f = sl.fit_bgnbd([2, 0, 5, 1, 0, 3], [30.0, 0.0, 60.0, 10.0, 0.0, 45.0], [70.0, 50.0, 80.0, 40.0, 20.0, 90.0])
    >>> sorted(f.params)
    ['a', 'alpha', 'b', 'r']
    """
    frequency, recency, T = _columns(frequency=frequency, recency=recency, T=T)
    raw = json.loads(_native.fit_bgnbd_json(frequency, recency, T))
    return BgNbdFit(**raw["params"], mean_log_likelihood=raw["mean_log_likelihood"], converged=raw["converged"])


def fit_gamma_gamma(frequency: Any, monetary_value: Any) -> GammaGammaFit:
    """Fits Gamma-Gamma by maximum likelihood (``storelytics::customers::fit_gamma_gamma``) on
    the customers with ``frequency > 0`` and ``monetary_value > 0`` (others are skipped and
    not counted in ``customers_used``). Like ``lifetimes.GammaGammaFitter(penalizer_coef=0)``
    fitted on the repeat customers.

    >>> import storelytics as sl
    >>> g = sl.fit_gamma_gamma([2, 1, 4, 3, 1], [20.0, 35.0, 18.5, 40.0, 22.0])
    >>> g.customers_used
    5
    """
    frequency, monetary_value = _columns(frequency=frequency, monetary_value=monetary_value)
    raw = json.loads(_native.fit_gamma_gamma_json(frequency, monetary_value))
    return GammaGammaFit(
        **raw["params"],
        mean_log_likelihood=raw["mean_log_likelihood"],
        customers_used=raw["customers_used"],
        converged=raw["converged"],
    )


ParamsLike = Union[BgNbdFit, GammaGammaFit, Mapping[str, float], Sequence[float]]


def _params(name: str, value: Any, keys: Tuple[str, ...]) -> Tuple[float, ...]:
    if isinstance(value, (BgNbdFit, GammaGammaFit)):
        value = value.params
    if isinstance(value, Mapping):
        if set(value) != set(keys):
            raise InvalidParameterError(f"invalid parameter `{name}`: expected the keys {', '.join(keys)}")
        value = [value[k] for k in keys]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != len(keys):
        raise InvalidParameterError(
            f"invalid parameter `{name}`: {value!r} is not a fit, a dict or a sequence of {', '.join(keys)}"
        )
    return tuple(_args.number(name, v) for v in value)


def predict_values(
    frequency: Any,
    recency: Any,
    T: Any,
    monetary_value: Any,
    *,
    bgnbd: ParamsLike,
    gamma_gamma: ParamsLike,
    horizon_months: int = _LIFETIME["horizon_months"],
    monthly_discount_rate: float = _LIFETIME["monthly_discount_rate"],
    time_unit: TimeUnit = _LIFETIME["time_unit"],
    output: Output = "polars",
) -> Any:
    """Per-customer predictions (``storelytics::customers::predict_values``): one row per
    customer, in input order, with ``expected_purchases`` over ``horizon_months`` months,
    ``probability_alive``, ``expected_average_spend`` (Gamma-Gamma) and ``lifetime_value``
    (the spend of the expected purchases of each month discounted by ``(1 +
    monthly_discount_rate)^month``; a month is 30 days or 4.345 weeks by ``time_unit``, the
    ``lifetimes`` ``customer_lifetime_value`` convention). Defaults: ``ValueOptions``.

    ``bgnbd`` is a :class:`BgNbdFit`, a dict ``{r, alpha, a, b}`` or a sequence in that order;
    ``gamma_gamma`` a :class:`GammaGammaFit`, a dict ``{p, q, gamma}`` or a sequence.

    >>> import storelytics as sl
    >>> v = sl.predict_values([2], [30.43], [38.86], [40.0], bgnbd=(0.243, 4.414, 0.793, 2.426),
    ...                       gamma_gamma=(6.25, 3.74, 15.44), time_unit="weeks")
    >>> v.columns
    ['expected_purchases', 'probability_alive', 'expected_average_spend', 'lifetime_value']
    """
    check_output(output)
    _args.integer("horizon_months", horizon_months, limit=2**32)
    monthly_discount_rate = _args.number("monthly_discount_rate", monthly_discount_rate)
    _args.choice("time_unit", time_unit, ("days", "weeks"))
    bg = _params("bgnbd", bgnbd, ("r", "alpha", "a", "b"))
    gg = _params("gamma_gamma", gamma_gamma, ("p", "q", "gamma"))
    columns = _columns(frequency=frequency, recency=recency, T=T, monetary_value=monetary_value)
    df = _native.predict_values_frame(
        *columns,
        bg,
        gg,
        horizon_months=horizon_months,
        monthly_discount_rate=monthly_discount_rate,
        time_unit=time_unit,
    )
    return df.to_pandas() if output == "pandas" else df
