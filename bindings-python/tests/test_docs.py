"""The examples in the package's docstrings run and print what they claim."""

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "storelytics",
    "storelytics.sales",
    "storelytics.kpi",
    "storelytics.period",
    "storelytics.generator",
    "storelytics.customers",
    "storelytics.models",
    "storelytics.forecast",
    "storelytics.demand",
    "storelytics.lifetime",
    "storelytics.backtesting",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0


def test_every_public_name_is_documented():
    import storelytics

    for name in storelytics.__all__:
        obj = getattr(storelytics, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
