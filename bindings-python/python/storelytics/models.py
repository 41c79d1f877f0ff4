"""Every forecasting model of the core, by the Rust name, with the Rust options and defaults.

Each class is ``storelytics::forecast::spec::ModelSpec`` variant of the same name (the Rust
model type), its fields are the Rust options, and every default is read from the native
module (``forecast_defaults_json``), so Python and Rust cannot drift apart. Pass an instance, or
just the snake-case name (``"auto_ets"``) for the defaults, to
:func:`storelytics.forecast_model` and :func:`storelytics.backtest`.

>>> from storelytics import models
>>> models.AutoArima().max_p
5
>>> models.model("theta")
Theta(variant='standard')
>>> models.Arima(order=(1, 1, 1)).order
ArimaOrder(p=1, d=1, q=1, seasonal_p=0, seasonal_d=0, seasonal_q=0)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Dict, Literal, Optional, Sequence, Tuple, Union

from storelytics import _native
from storelytics.errors import InvalidParameterError

DEFAULTS: Dict[str, Any] = json.loads(_native.forecast_defaults_json())
"""The core defaults of the forecasting options (series, automatic choice, backtest,
conformal intervals and every model by name), as the native module reports them."""

_M: Dict[str, Dict[str, Any]] = DEFAULTS["models"]

ThetaVariant = Literal["standard", "optimized", "dynamic", "dynamic_optimized"]
"""A Theta model (``forecast::theta::ThetaVariant``): STM, OTM, DSTM, DOTM."""
MstlTrend = Literal["theta", "ses", "drift", "naive"]
"""Model of the seasonally adjusted series of MSTL (``forecast::mstl::TrendModel``)."""
EstimationMethod = Literal["css_ml", "ml", "css"]
"""How ARIMA coefficients are estimated (``forecast::arima::EstimationMethod``)."""
InformationCriterion = Literal["aic", "aicc", "bic"]
"""Criterion ranking ARIMA / ETS candidates (``forecast::InformationCriterion``)."""

_CHOICES: Dict[str, Tuple[str, ...]] = {
    "variant": ("standard", "optimized", "dynamic", "dynamic_optimized"),
    "trend": ("theta", "ses", "drift", "naive"),
    "method": ("css_ml", "ml", "css"),
    "criterion": ("aic", "aicc", "bic"),
}


def _d(model: str, name: str) -> Any:
    """The core default of option `name` of `model`."""
    return _M[model][name]


def _bad(name: str, value: Any, what: str) -> InvalidParameterError:
    return InvalidParameterError(f"invalid parameter `{name}`: {value!r} is not {what}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check(name: str, value: Any, kind: str) -> Any:
    """Checks an option's type (ranges are checked by the core) and normalises sequences."""
    optional = kind.startswith("opt_")
    base = kind[4:] if optional else kind
    if optional and value is None:
        return None
    if base == "count":
        if not _is_int(value) or value < 0:
            raise _bad(name, value, "an int >= 0")
        return value
    if base == "number":
        if not _is_number(value):
            raise _bad(name, value, "a number")
        return float(value)
    if base == "bool":
        if not isinstance(value, bool):
            raise _bad(name, value, "a bool")
        return value
    if base == "str":
        if not isinstance(value, str):
            raise _bad(name, value, "a str")
        return value
    if base == "choice":
        if value not in _CHOICES[name.rstrip("s")]:
            raise _bad(name, value, "one of " + ", ".join(_CHOICES[name.rstrip("s")]))
        return value
    if base in ("counts", "choices"):
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise _bad(name, value, "a sequence")
        return tuple(_check(name, v, base[:-1]) for v in value)
    raise AssertionError(kind)


class Model:
    """Base class of the model specifications."""

    name: ClassVar[str]
    """The model's snake-case name (``ModelSpec`` tag), e.g. ``"auto_arima"``."""
    _kinds: ClassVar[Dict[str, str]] = {}

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            kind = self._kinds.get(f.name)
            if kind is not None:
                object.__setattr__(self, f.name, _check(f.name, getattr(self, f.name), kind))

    def to_spec(self) -> Dict[str, Any]:
        """The model as the core's JSON specification (``{"name": ..., options}``)."""
        spec: Dict[str, Any] = {"name": self.name}
        for f in fields(self):  # type: ignore[arg-type]
            spec[f.name] = _plain(getattr(self, f.name))
        return spec


def _plain(value: Any) -> Any:
    if isinstance(value, (ArimaOrder, EtsOptions)):
        return value.to_spec()
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class Naive(Model):
    """The last value (``forecast::baseline::Naive``); analytic intervals."""

    name: ClassVar[str] = "naive"


@dataclass(frozen=True)
class SeasonalNaive(Model):
    """The value one season earlier (``forecast::baseline::SeasonalNaive``)."""

    name: ClassVar[str] = "seasonal_naive"


@dataclass(frozen=True)
class RandomWalkWithDrift(Model):
    """The last value plus the mean step (``forecast::baseline::RandomWalkWithDrift``)."""

    name: ClassVar[str] = "random_walk_with_drift"


@dataclass(frozen=True)
class HistoricMean(Model):
    """The mean of the history (``forecast::baseline::HistoricMean``)."""

    name: ClassVar[str] = "historic_mean"


@dataclass(frozen=True)
class Ses(Model):
    """Simple exponential smoothing (``forecast::ses::Ses``); ``alpha`` in (0, 1], ``None``
    (default) optimises it."""

    name: ClassVar[str] = "ses"
    _kinds: ClassVar[Dict[str, str]] = {"alpha": "opt_number"}
    alpha: Optional[float] = _d("ses", "alpha")


@dataclass(frozen=True)
class Theta(Model):
    """One Theta model (``forecast::theta::Theta``); default the standard Theta method."""

    name: ClassVar[str] = "theta"
    _kinds: ClassVar[Dict[str, str]] = {"variant": "choice"}
    variant: ThetaVariant = _d("theta", "variant")


@dataclass(frozen=True)
class AutoTheta(Model):
    """The best of several Theta models by in-sample MSE (``forecast::theta::AutoTheta``);
    default all four variants."""

    name: ClassVar[str] = "auto_theta"
    _kinds: ClassVar[Dict[str, str]] = {"variants": "choices"}
    variants: Tuple[ThetaVariant, ...] = tuple(_d("auto_theta", "variants"))


@dataclass(frozen=True)
class MstlForecaster(Model):
    """MSTL decomposition, seasonal naive seasons and a trend model
    (``forecast::mstl::MstlForecaster``). ``periods`` empty (default) = the series' season
    length; the decomposition options are ``decompose::MstlOptions``."""

    name: ClassVar[str] = "mstl"
    _kinds: ClassVar[Dict[str, str]] = {
        "periods": "counts",
        "trend": "choice",
        "iterations": "count",
        "seasonal_windows": "opt_counts",
        "robust": "bool",
    }
    periods: Tuple[int, ...] = tuple(_d("mstl", "periods"))
    trend: MstlTrend = _d("mstl", "trend")
    iterations: int = _d("mstl", "iterations")
    seasonal_windows: Optional[Tuple[int, ...]] = _d("mstl", "seasonal_windows")
    robust: bool = _d("mstl", "robust")


@dataclass(frozen=True)
class Croston(Model):
    """Croston's method for intermittent demand (``forecast::intermittent::Croston``);
    conformal intervals."""

    name: ClassVar[str] = "croston"


@dataclass(frozen=True)
class CrostonOptimized(Model):
    """Croston with optimised smoothing (``forecast::intermittent::CrostonOptimized``)."""

    name: ClassVar[str] = "croston_optimized"


@dataclass(frozen=True)
class Sba(Model):
    """Syntetos–Boylan approximation (``forecast::intermittent::Sba``)."""

    name: ClassVar[str] = "sba"


@dataclass(frozen=True)
class Tsb(Model):
    """Teunter–Syntetos–Babai (``forecast::intermittent::Tsb``); a smoothing parameter left
    ``None`` (default) is chosen in [0.01, 0.5]."""

    name: ClassVar[str] = "tsb"
    _kinds: ClassVar[Dict[str, str]] = {"alpha_d": "opt_number", "alpha_p": "opt_number"}
    alpha_d: Optional[float] = _d("tsb", "alpha_d")
    alpha_p: Optional[float] = _d("tsb", "alpha_p")


_ORDER = _d("arima", "order")


@dataclass(frozen=True)
class ArimaOrder:
    """Orders of an ARIMA(p,d,q)(P,D,Q)[m] (``forecast::arima::ArimaOrder``); the season
    length ``m`` is the series' season length."""

    p: int = _ORDER["p"]
    d: int = _ORDER["d"]
    q: int = _ORDER["q"]
    seasonal_p: int = _ORDER["seasonal_p"]
    seasonal_d: int = _ORDER["seasonal_d"]
    seasonal_q: int = _ORDER["seasonal_q"]

    def __post_init__(self) -> None:
        for f in fields(self):
            _check("order", getattr(self, f.name), "count")

    def to_spec(self) -> Dict[str, Any]:
        spec = {f.name: getattr(self, f.name) for f in fields(self)}
        spec["season_length"] = _ORDER["season_length"]  # replaced by the series' season length
        return spec


def _order(value: Any) -> ArimaOrder:
    if isinstance(value, ArimaOrder):
        return value
    if isinstance(value, (tuple, list)) and len(value) in (3, 6):
        return ArimaOrder(*value)
    raise _bad("order", value, "an ArimaOrder or a tuple (p, d, q) or (p, d, q, P, D, Q)")


@dataclass(frozen=True)
class Arima(Model):
    """A seasonal ARIMA of fixed order (``forecast::arima::Arima``), estimated by maximum
    likelihood; ``order`` is an :class:`ArimaOrder` or a tuple ``(p, d, q)`` /
    ``(p, d, q, P, D, Q)``. Reports its coefficients and information criteria."""

    name: ClassVar[str] = "arima"
    _kinds: ClassVar[Dict[str, str]] = {
        "include_mean": "bool",
        "include_drift": "bool",
        "method": "choice",
        "box_cox_lambda": "opt_number",
        "bias_adjust": "bool",
    }
    order: Union[ArimaOrder, Tuple[int, ...]] = field(default_factory=ArimaOrder)
    include_mean: bool = _d("arima", "include_mean")
    include_drift: bool = _d("arima", "include_drift")
    method: EstimationMethod = _d("arima", "method")
    box_cox_lambda: Optional[float] = _d("arima", "box_cox_lambda")
    bias_adjust: bool = _d("arima", "bias_adjust")

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", _order(self.order))
        super().__post_init__()


def _box_cox(value: Any) -> Any:
    """``"none"``, ``"auto"`` or a lambda, as the core's ``BoxCox``."""
    if value in ("none", "auto"):
        return value
    if isinstance(value, dict) and list(value) == ["lambda"]:
        value = value["lambda"]
    if _is_number(value):
        return {"lambda": float(value)}
    raise _bad("box_cox", value, '"none", "auto" or a lambda (number)')


@dataclass(frozen=True)
class AutoArima(Model):
    """Automatic ARIMA order search (``forecast::arima::AutoArima`` with
    ``AutoArimaOptions``), as statsforecast's ``AutoARIMA``. ``box_cox`` is ``"none"``,
    ``"auto"`` or a lambda. Reports the chosen orders, coefficients and criteria."""

    name: ClassVar[str] = "auto_arima"
    _kinds: ClassVar[Dict[str, str]] = {
        **{
            k: "count"
            for k in (
                "max_p", "max_q", "max_seasonal_p", "max_seasonal_q", "max_order", "max_d",
                "max_seasonal_d", "start_p", "start_q", "start_seasonal_p", "start_seasonal_q", "max_models",
            )
        },
        "d": "opt_count",
        "seasonal_d": "opt_count",
        "stationary": "bool",
        "seasonal": "bool",
        "seasonal_strength_threshold": "number",
        "criterion": "choice",
        "stepwise": "bool",
        "approximation": "opt_bool",
        "allow_drift": "bool",
        "allow_mean": "bool",
        "bias_adjust": "bool",
        "interpolate_missing": "bool",
    }
    max_p: int = _d("auto_arima", "max_p")
    max_q: int = _d("auto_arima", "max_q")
    max_seasonal_p: int = _d("auto_arima", "max_seasonal_p")
    max_seasonal_q: int = _d("auto_arima", "max_seasonal_q")
    max_order: int = _d("auto_arima", "max_order")
    max_d: int = _d("auto_arima", "max_d")
    max_seasonal_d: int = _d("auto_arima", "max_seasonal_d")
    start_p: int = _d("auto_arima", "start_p")
    start_q: int = _d("auto_arima", "start_q")
    start_seasonal_p: int = _d("auto_arima", "start_seasonal_p")
    start_seasonal_q: int = _d("auto_arima", "start_seasonal_q")
    d: Optional[int] = _d("auto_arima", "d")
    seasonal_d: Optional[int] = _d("auto_arima", "seasonal_d")
    stationary: bool = _d("auto_arima", "stationary")
    seasonal: bool = _d("auto_arima", "seasonal")
    seasonal_strength_threshold: float = _d("auto_arima", "seasonal_strength_threshold")
    criterion: InformationCriterion = _d("auto_arima", "criterion")
    stepwise: bool = _d("auto_arima", "stepwise")
    max_models: int = _d("auto_arima", "max_models")
    approximation: Optional[bool] = _d("auto_arima", "approximation")
    allow_drift: bool = _d("auto_arima", "allow_drift")
    allow_mean: bool = _d("auto_arima", "allow_mean")
    box_cox: Union[Literal["none", "auto"], float] = _d("auto_arima", "box_cox")
    bias_adjust: bool = _d("auto_arima", "bias_adjust")
    interpolate_missing: bool = _d("auto_arima", "interpolate_missing")

    def __post_init__(self) -> None:
        super().__post_init__()
        _box_cox(self.box_cox)  # checked here, converted in to_spec

    def to_spec(self) -> Dict[str, Any]:
        spec = super().to_spec()
        spec["box_cox"] = _box_cox(self.box_cox)
        return spec


_FIT = _d("auto_ets", "fit")


@dataclass(frozen=True)
class EtsOptions:
    """Estimation settings of ETS fits (``forecast::ets::EtsOptions``)."""

    max_iterations: int = _FIT["max_iterations"]
    simulation_paths: int = _FIT["simulation_paths"]
    seed: int = _FIT["seed"]
    max_optimised_season_length: int = _FIT["max_optimised_season_length"]
    second_start: bool = _FIT["second_start"]

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(f.name, getattr(self, f.name), "bool" if f.name == "second_start" else "count")

    def to_spec(self) -> Dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Ets(Model):
    """An ETS model of a given form (``forecast::ets::Ets``): ``spec`` is the error, trend and
    season code, e.g. ``"AAdN"`` (default ``"ANN"``). Reports its smoothing parameters,
    initial states and information criteria."""

    name: ClassVar[str] = "ets"
    _kinds: ClassVar[Dict[str, str]] = {"spec": "str"}
    spec: str = _d("ets", "spec")
    options: EtsOptions = field(default_factory=EtsOptions)


@dataclass(frozen=True)
class AutoEts(Model):
    """Automatic ETS selection (``forecast::ets::AutoEts`` with ``AutoEtsOptions``), as
    statsforecast's ``AutoETS``: ``model`` is a pattern such as ``"ZZZ"`` (``Z`` = choose).
    Reports the chosen model's parameters and every candidate's criteria."""

    name: ClassVar[str] = "auto_ets"
    _kinds: ClassVar[Dict[str, str]] = {
        "model": "str",
        "damped": "opt_bool",
        "allow_multiplicative_trend": "bool",
        "restrict": "bool",
        "criterion": "choice",
        "restart_within": "number",
        "first_iterations": "count",
    }
    model: str = _d("auto_ets", "model")
    damped: Optional[bool] = _d("auto_ets", "damped")
    allow_multiplicative_trend: bool = _d("auto_ets", "allow_multiplicative_trend")
    restrict: bool = _d("auto_ets", "restrict")
    criterion: InformationCriterion = _d("auto_ets", "criterion")
    fit: EtsOptions = field(default_factory=EtsOptions)
    restart_within: float = _d("auto_ets", "restart_within")
    """Only candidates whose criterion is within this many units of the best one's after the
    first runs are restarted from their optimum (a large number restarts every candidate)."""
    first_iterations: int = _d("auto_ets", "first_iterations")
    """Iteration cap of each candidate's first Nelder-Mead run (statsforecast's 1000)."""


MODELS: Dict[str, type] = {
    cls.name: cls
    for cls in (
        Naive, SeasonalNaive, RandomWalkWithDrift, HistoricMean, Ses, Theta, AutoTheta, MstlForecaster,
        Croston, CrostonOptimized, Sba, Tsb, Arima, AutoArima, Ets, AutoEts,
    )
}
"""Every model class by its snake-case name."""

ModelLike = Union[Model, str]
"""A model instance, or a model's snake-case name for its defaults."""


def model(value: ModelLike) -> Model:
    """The model of `value`: an instance as it is, a name (``"auto_ets"``) with its defaults."""
    if isinstance(value, Model):
        return value
    if isinstance(value, str) and value in MODELS:
        return MODELS[value]()
    raise _bad("model", value, "a storelytics.models model or one of " + ", ".join(MODELS))


__all__ = [
    "DEFAULTS",
    "MODELS",
    "Model",
    "ModelLike",
    "model",
    "Naive",
    "SeasonalNaive",
    "RandomWalkWithDrift",
    "HistoricMean",
    "Ses",
    "Theta",
    "AutoTheta",
    "MstlForecaster",
    "Croston",
    "CrostonOptimized",
    "Sba",
    "Tsb",
    "ArimaOrder",
    "Arima",
    "AutoArima",
    "EtsOptions",
    "Ets",
    "AutoEts",
    "ThetaVariant",
    "MstlTrend",
    "EstimationMethod",
    "InformationCriterion",
]
