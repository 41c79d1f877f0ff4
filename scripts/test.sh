#!/usr/bin/env bash
# Runs every check of storelytics: formatting, lints, the wasm build, all Rust tests (unit,
# integration, doc, benches in test mode), the example report, the reference tests against
# established Python implementations in a virtualenv this script creates, and the Python
# package's tests against its wheel installed into a fresh virtualenv.
# Installs what it needs by itself (rustup components and targets, Python packages).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CACHE=${STORELYTICS_CACHE:-$HOME/.cache/storelytics}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
mkdir -p "$CACHE"
# The Python binding (pyo3, through pyo3-polars) is a workspace member, so workspace-wide test
# binaries that link polars also link libpython; let the loader find the interpreter's copy.
PY_LIBDIR=$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
export LD_LIBRARY_PATH="$PY_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

step() { printf '\n==> %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null
cargo --version

step "format"
cargo fmt --all --check

step "clippy (all targets, default features)"
cargo clippy --workspace --all-targets --features storelytics-tests/polars -- -D warnings

step "clippy (core without default features)"
cargo clippy -p storelytics --no-default-features --all-targets -- -D warnings

step "core builds for the browser (wasm32, no default features)"
cargo build -p storelytics --no-default-features --target wasm32-unknown-unknown

step "a throwaway Postgres server on loopback for the storage tests"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
echo "postgres at $STORELYTICS_PG_URL"

step "tests: unit, integration and benches in test mode"
cargo test --workspace --all-targets --features storelytics-tests/polars

step "tests: documentation examples"
cargo test --workspace --doc

step "tests: core without polars and rayon (the wasm configuration, run natively)"
cargo test -p storelytics --no-default-features --features generator --lib

step "example report runs (text and JSON)"
# Built with the workspace's feature set, so polars is not compiled a second time.
cargo build -q --workspace --examples --features storelytics-tests/polars
REPORT=$CARGO_TARGET_DIR/debug/examples/report
"$REPORT" --lines 30000 > "$CACHE/report.txt"
head -n 20 "$CACHE/report.txt"
"$REPORT" --lines 30000 --json > "$CACHE/report.json"
python3 - "$CACHE/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r['kpi']['overall']['current']['orders'] > 0
# 30-day net revenue forecast for every store, with 80% and 95% intervals around the forecast.
f = r['forecast']
assert f['levels'] == [80.0, 95.0] and len(f['stores']) == len(r['stores']) > 0, f
for s in f['stores']:
    assert s['problem'] is None and s['chosen'] and len(s['days']) == f['horizon_days'] == 30, s
    for d in s['days']:
        assert d['lower_95'] <= d['lower_80'] <= d['forecast'] <= d['upper_80'] <= d['upper_95'], (s['store'], d)
# Demand forecasts for the top products.
products = r['demand']['products']
assert products and all(p['chosen'] and len(p['days']) == r['demand']['horizon_days'] for p in products), products
# Bundles and recommendations.
rec = r['recommendations']
assert rec['bundles'] and all(b['lift'] >= 1.0 for b in rec['bundles']), rec['bundles']
assert rec['bought_together'] and rec['bought_together']['companions'], rec['bought_together']
assert rec['customers'] and all(c['recommendations'] for c in rec['customers']), rec['customers']
assert rec['evaluation'] and rec['evaluation']['recommender']['customers'] > 0, rec['evaluation_problem']
print('report JSON sections present:', ', '.join(k for k in ('forecast', 'demand', 'recommendations') if r[k]))
PY

step "reference tests against Python implementations"
VENV=$CACHE/venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip >/dev/null
"$VENV/bin/pip" install -q -r tests/reference/requirements.txt
cargo build -q -p storelytics-tests --bins
export STORELYTICS_REF_BIN_DIR=$CARGO_TARGET_DIR/debug
"$VENV/bin/python" -m pytest tests/reference -q -p no:cacheprovider

step "Python package: build the wheel, install it into a fresh virtualenv, run its tests there"
# The wheel uses the `wheel` cargo profile (release for storelytics, opt-level 1 for the
# dependencies; see Cargo.toml) in the same target dir as every other step.
WHEELS=$CACHE/wheels
rm -rf "$WHEELS"
(cd bindings-python && "$VENV/bin/maturin" build --interpreter "$VENV/bin/python" --out "$WHEELS")
WHEEL_VENV=$CACHE/venv-wheel
rm -rf "$WHEEL_VENV"
python3 -m venv "$WHEEL_VENV"
"$WHEEL_VENV/bin/pip" install -q --upgrade pip >/dev/null
"$WHEEL_VENV/bin/pip" install -q "$WHEELS"/storelytics-*.whl -r bindings-python/tests/requirements.txt
# Run from outside the source tree so `import storelytics` can only find the installed wheel.
(cd "$CACHE" && "$WHEEL_VENV/bin/python" -m pytest "$ROOT/bindings-python/tests" -q -p no:cacheprovider)
"$WHEEL_VENV/bin/python" examples/python/walkthrough.py > "$CACHE/walkthrough.txt"
tail -n 5 "$CACHE/walkthrough.txt"
# Smoke run of the comparison with the Python stack (50k lines, one run per engine): every
# storelytics row runs and is checked against pandas, polars and DuckDB; peers this venv lacks
# (statsforecast, statsmodels, scikit-learn, mlxtend: minutes to install) are listed as skipped.
"$WHEEL_VENV/bin/python" benches/python/compare.py --quick > "$CACHE/compare-quick.txt"
sed -n '/^workload/,/^$/p' "$CACHE/compare-quick.txt"

step "all checks passed"
