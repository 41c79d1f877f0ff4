#!/usr/bin/env bash
# Runs every check of storelytics: formatting, lints, the wasm build, all Rust tests (unit,
# integration, doc, benches in test mode), the example report, and the reference tests
# against established Python implementations in a virtualenv this script creates.
# Installs what it needs by itself (rustup components and targets, Python packages).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CACHE=${STORELYTICS_CACHE:-$HOME/.cache/storelytics}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
mkdir -p "$CACHE"

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

step "all checks passed"
