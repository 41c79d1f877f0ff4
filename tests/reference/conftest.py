"""Shared fixtures for the reference tests.

Each test sends a JSON request to one of the `ref_*` tools of the `storelytics-tests` crate
and compares its answer with an established Python implementation (DuckDB, statsforecast,
statsmodels, mlxtend, lifetimes, scikit-learn).
"""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_built = set()


def _bin_dir():
    env = os.environ.get("STORELYTICS_REF_BIN_DIR")
    if env:
        return pathlib.Path(env)
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return pathlib.Path(json.loads(meta.stdout)["target_directory"]) / "debug"


class RefError(Exception):
    """The tool answered with an error object."""

    def __init__(self, kind, message):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def run_ref(name, request):
    """Runs `ref_<name>` on `request` (a JSON-serialisable object) and returns its answer."""
    if "STORELYTICS_REF_BIN_DIR" not in os.environ and name not in _built:
        subprocess.run(["cargo", "build", "-q", "-p", "storelytics-tests", "--bin", f"ref_{name}"], cwd=ROOT, check=True)
        _built.add(name)
    exe = _bin_dir() / f"ref_{name}"
    proc = subprocess.run([str(exe)], input=json.dumps(request), capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        raise RuntimeError(f"ref_{name} crashed (status {proc.returncode}): {proc.stderr}")
    answer = json.loads(proc.stdout)
    if isinstance(answer, dict) and "error" in answer:
        raise RefError(answer["error"]["kind"], answer["error"]["message"])
    return answer


@pytest.fixture
def ref():
    return run_ref
