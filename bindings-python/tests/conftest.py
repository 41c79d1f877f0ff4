"""Shared fixtures. These tests run against the installed wheel (scripts/test.sh installs it into
a fresh virtualenv), never against the source tree."""

import json
import pathlib

import polars as pl
import pytest

import storelytics

GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "tests" / "golden"
SOURCE_PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "python" / "storelytics"


def pytest_report_header(config):
    return f"storelytics {storelytics.__version__} from {pathlib.Path(storelytics.__file__).parent}"


@pytest.fixture(scope="session", autouse=True)
def installed_package():
    """The package under test is the installed one, not bindings-python/python."""
    here = pathlib.Path(storelytics.__file__).resolve().parent
    assert here != SOURCE_PACKAGE.resolve(), f"testing the source tree ({here}); install the wheel"


@pytest.fixture(scope="session")
def golden_zones():
    return json.loads((GOLDEN / "stores.json").read_text())


@pytest.fixture(scope="session")
def golden_frame():
    """The golden CSV as a polars frame (empty fields are nulls, timestamps stay text)."""
    return pl.read_csv(GOLDEN / "sales_small.csv")


def load_golden(name):
    return json.loads((GOLDEN / name).read_text())
