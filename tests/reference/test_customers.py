"""Customer analytics against pandas (RFM scores / segments) and lifetimes (BG/NBD, Gamma-Gamma).

lifetimes 0.11 still works with pandas 2 / numpy 2 / scipy 1.17 for everything used here; the
only trap is the CDNOW frame's `T` column, which must be read as `df["T"]` (`df.T` is the
transpose).
"""

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaln

from conftest import RefError

warnings.simplefilter("ignore")

# ---------------------------------------------------------------------------------------------
# pandas reference of the RFM convention
# ---------------------------------------------------------------------------------------------

# The ten-segment map as RFM notebooks write it: regular expressions on the "RF" score string.
SEGMENT_REGEX = {
    r"[1-2][1-2]": "Hibernating",
    r"[1-2][3-4]": "At Risk",
    r"[1-2]5": "Can't Lose Them",
    r"3[1-2]": "About To Sleep",
    r"33": "Need Attention",
    r"[3-4][4-5]": "Loyal",
    r"41": "Promising",
    r"51": "New Customers",
    r"[4-5][2-3]": "Potential Loyalists",
    r"5[4-5]": "Champions",
}


def pandas_scores(values, bins, reversed_=False):
    labels = list(range(bins, 0, -1)) if reversed_ else list(range(1, bins + 1))
    return pd.qcut(pd.Series(values).rank(method="first"), bins, labels=labels).astype(int).tolist()


def pandas_rfm(df, as_of, bins=5):
    """RFM per (store, customer) with the storelytics definitions, written the pandas way."""
    d = df[df.customer_id.notna() & (df.date <= as_of)].copy()
    d["date"] = pd.to_datetime(d.date)
    d["customer_id"] = d.customer_id.astype(int)
    sold = d[d.quantity > 0]
    g = sold.groupby(["store_id", "customer_id"])
    purchases = pd.DataFrame({
        "frequency": g.order_id.nunique(),
        "first": g.date.min(),
        "last": g.date.max(),
    })
    net = d.groupby(["store_id", "customer_id"]).cents.sum().rename("monetary_minor")
    rfm = purchases.join(net, how="left").reset_index().sort_values(["store_id", "customer_id"])
    rfm["recency_days"] = (pd.Timestamp(as_of) - rfm["last"]).dt.days
    rfm["tenure_days"] = (pd.Timestamp(as_of) - rfm["first"]).dt.days
    out = []
    for _, s in rfm.groupby("store_id", sort=True):
        s = s.copy()
        s["R"] = pandas_scores(s.recency_days.to_numpy(), bins, True)
        s["F"] = pandas_scores(s.frequency.to_numpy(), bins)
        s["M"] = pandas_scores(s.monetary_minor.to_numpy(), bins)
        rf = s.R.astype(str) + s.F.astype(str)
        s["segment"] = rf.replace(SEGMENT_REGEX, regex=True)
        out.append(s)
    return pd.concat(out, ignore_index=True)


def generate_lines(seed, n_orders=3000, n_customers=400, stores=(1, 2), guest_share=0.1, return_share=0.05):
    rng = np.random.default_rng(seed)
    rows = []
    start = dt.date(2024, 1, 1)
    for order in range(n_orders):
        store = int(rng.choice(stores))
        day = start + dt.timedelta(days=int(rng.integers(0, 365)))
        customer = None if rng.random() < guest_share else int(rng.integers(1, n_customers + 1))
        for _ in range(int(rng.integers(1, 4))):
            qty = int(rng.integers(1, 4))
            cents = qty * int(rng.integers(50, 5000))
            rows.append((order, day, int(rng.integers(1, 60)), qty, cents, customer, store))
    # Returns: new orders with negative quantities for some customers, sometimes larger than
    # what they bought (net-negative monetary value).
    for k in range(int(n_orders * return_share)):
        customer = int(rng.integers(1, n_customers + 1))
        day = start + dt.timedelta(days=int(rng.integers(0, 365)))
        qty = -int(rng.integers(1, 3))
        rows.append((n_orders + k, day, 1, qty, qty * int(rng.integers(100, 20000)), customer, int(rng.choice(stores))))
    return pd.DataFrame(rows, columns=["order_id", "date", "product_id", "quantity", "cents", "customer_id", "store_id"])


def lines_request(df):
    return {
        "order_id": df.order_id.astype(int).tolist(),
        "date": [d.isoformat() for d in df.date],
        "product_id": df.product_id.astype(int).tolist(),
        "quantity": df.quantity.astype(float).tolist(),
        "amount": (df.cents / 100.0).tolist(),
        "customer_id": [None if pd.isna(c) else int(c) for c in df.customer_id],
        "store_id": df.store_id.astype(int).tolist(),
    }


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_quantile_scores_identical_to_pandas_qcut_of_rank_first(ref, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for n in [2, 3, 4, 7, 10, 11, 49, 250, 1001, 4999]:
        for bins in [2, 3, 4, 5, 7, 10]:
            # Few distinct values: many ties, as frequency has (seed 0: all equal).
            values = rng.integers(0, 1 + seed * 3, size=n).astype(float)
            if seed == 5:
                values = rng.normal(size=n).round(2)
            for rev in (False, True):
                cases.append({"values": values.tolist(), "bins": bins, "reversed": rev})
    got = ref("customers", {"task": "scores", "cases": cases})["scores"]
    for case, scores in zip(cases, got):
        expected = pandas_scores(case["values"], case["bins"], case["reversed"])
        assert scores == expected, (len(case["values"]), case["bins"], case["reversed"])


def test_quantile_scores_errors(ref):
    with pytest.raises(RefError) as e:
        ref("customers", {"task": "scores", "cases": [{"values": [1.0, 2.0], "bins": 1, "reversed": False}]})
    assert e.value.kind == "invalid_parameter"
    # A lone value cannot be ranked (pandas raises "Bin edges must be unique"); storelytics
    # gives the middle score.
    with pytest.raises(ValueError):
        pandas_scores([5.0], 5)
    one = ref("customers", {"task": "scores", "cases": [{"values": [5.0], "bins": 5, "reversed": False}]})
    assert one["scores"] == [[3]]


# ---------------------------------------------------------------------------------------------
# RFM table and segments
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed,as_of", [(1, "2024-12-31"), (2, "2024-09-15"), (3, "2025-02-01")])
def test_rfm_identical_to_pandas(ref, seed, as_of):
    df = generate_lines(seed)
    as_of_date = dt.date.fromisoformat(as_of)
    got = ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": as_of})
    rows = pd.DataFrame(got["table"]["rows"])
    exp = pandas_rfm(df, as_of_date)
    assert len(rows) == len(exp)
    assert rows.store.tolist() == exp.store_id.tolist()
    assert rows.customer.tolist() == exp.customer_id.tolist()
    # Everything is integer arithmetic: exact equality.
    for ours, theirs in [
        ("recency_days", "recency_days"),
        ("tenure_days", "tenure_days"),
        ("frequency", "frequency"),
        ("monetary_minor", "monetary_minor"),
        ("recency_score", "R"),
        ("frequency_score", "F"),
        ("monetary_score", "M"),
        ("segment", "segment"),
    ]:
        assert rows[ours].tolist() == exp[theirs].tolist(), ours
    assert rows.first_purchase.tolist() == [d.isoformat() for d in exp["first"].dt.date]
    # Major units and AOV are the exact minor units divided by 100 (one rounding).
    np.testing.assert_allclose(rows.monetary, exp.monetary_minor / 100.0, rtol=1e-15)
    np.testing.assert_allclose(rows.average_order_value, exp.monetary_minor / 100.0 / exp.frequency, rtol=1e-15)
    # Net-negative customers exist in this data and are kept.
    assert (rows.monetary_minor < 0).any()

    # Segment summary: counts and revenues exact, shares to 1e-12 (one division).
    summary = pd.DataFrame(got["summary"])
    for store, s in exp.groupby("store_id"):
        mine = summary[summary.store == store].set_index("segment")
        counts = s.segment.value_counts()
        revenue = s.groupby("segment").monetary_minor.sum()
        for seg, row in mine.iterrows():
            assert row.customers == counts.get(seg, 0)
            assert row.net_revenue_minor == revenue.get(seg, 0)
        assert mine.net_revenue_minor.sum() == s.monetary_minor.sum()
        np.testing.assert_allclose(mine.customer_share.sum(), 1.0, rtol=1e-12)
        if s.monetary_minor.sum() > 0:
            np.testing.assert_allclose(mine.revenue_share.sum(), 1.0, rtol=1e-12)
        means = s.groupby("segment").recency_days.mean()
        for seg, m in means.items():
            np.testing.assert_allclose(mine.loc[seg, "mean_recency_days"], m, rtol=1e-12)


def test_rfm_edge_cases(ref):
    base = dict(product_id=1, store_id=1)

    def frame(rows):
        return pd.DataFrame([{**base, **r} for r in rows])

    d = dt.date(2024, 3, 1)
    # as_of before the first sale: an error naming the parameter.
    df = frame([dict(order_id=1, date=d, quantity=1, cents=100, customer_id=1)])
    with pytest.raises(RefError) as e:
        ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": "2024-02-01"})
    assert e.value.kind == "invalid_parameter" and "as_of" in e.value.message
    # Only guests: insufficient data.
    df = frame([dict(order_id=1, date=d, quantity=1, cents=100, customer_id=None)])
    with pytest.raises(RefError) as e:
        ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": None})
    assert e.value.kind == "insufficient_data"
    # A store with one customer (plus a guest, excluded): middle scores and a note.
    df = frame([
        dict(order_id=1, date=d, quantity=1, cents=100, customer_id=7),
        dict(order_id=2, date=d, quantity=1, cents=900, customer_id=None),
    ])
    got = ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": "2024-03-05"})
    (row,) = got["table"]["rows"]
    assert (row["recency_days"], row["frequency"], row["monetary_minor"]) == (4, 1, 100)
    assert (row["recency_score"], row["frequency_score"], row["monetary_score"]) == (3, 3, 3)
    assert row["segment"] == "Need Attention"
    assert any("single customer" in n for n in got["table"]["notes"])
    # All-equal values: ten one-order customers on the same day with the same spend. Edges of
    # the raw values collapse; rank-first spreads them two per score by customer id.
    df = frame([dict(order_id=i, date=d, quantity=1, cents=500, customer_id=i) for i in range(1, 11)])
    got = ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": "2024-03-01"})
    rows = pd.DataFrame(got["table"]["rows"])
    assert rows.customer.tolist() == list(range(1, 11))
    assert rows.frequency_score.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert rows.recency_score.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert rows.frequency_score.tolist() == pandas_scores([1] * 10, 5)
    # More returns than purchases: negative monetary value, lowest M score; return-only
    # customer 3 has no purchase and no row but is counted.
    df = frame([
        dict(order_id=1, date=d, quantity=1, cents=1000, customer_id=1),
        dict(order_id=2, date=d, quantity=2, cents=2000, customer_id=2),
        dict(order_id=3, date=d + dt.timedelta(days=3), quantity=-3, cents=-3000, customer_id=1),
        dict(order_id=4, date=d, quantity=-1, cents=-500, customer_id=3),
    ])
    got = ref("customers", {"task": "rfm", "lines": lines_request(df), "as_of": "2024-03-10"})
    rows = {r["customer"]: r for r in got["table"]["rows"]}
    assert set(rows) == {1, 2}
    assert rows[1]["monetary_minor"] == -2000 and rows[1]["monetary_score"] == 1
    assert rows[1]["recency_days"] == 9  # the return is not a purchase
    assert got["table"]["stores"][0]["return_only_customers"] == 1


# ---------------------------------------------------------------------------------------------
# Lifetime value against lifetimes
# ---------------------------------------------------------------------------------------------


def bgnbd_mean_ll(params, x, tx, T):
    """Mean BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), independent numpy version."""
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return float(np.mean(a1 + a2 + np.logaddexp(a3, a4)))


def fit_lifetimes(frame, horizon, months, discount, freq):
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    bg = BetaGeoFitter(penalizer_coef=0.0).fit(frame.frequency, frame.recency, frame["T"])
    rep = frame[(frame.frequency > 0) & (frame.monetary_value > 0)]
    gg = GammaGammaFitter(penalizer_coef=0.0).fit(rep.frequency, rep.monetary_value)
    pred = {
        "expected_purchases": bg.conditional_expected_number_of_purchases_up_to_time(
            horizon, frame.frequency, frame.recency, frame["T"]).to_numpy(),
        "probability_alive": bg.conditional_probability_alive(frame.frequency, frame.recency, frame["T"]),
        "expected_average_spend": gg.conditional_expected_average_profit(frame.frequency, frame.monetary_value).to_numpy(),
        "lifetime_value": gg.customer_lifetime_value(
            bg, frame.frequency, frame.recency, frame["T"], frame.monetary_value,
            time=months, discount_rate=discount, freq=freq).to_numpy(),
    }
    return bg, gg, pred


def histories(frame):
    return [
        {"frequency": int(f), "recency": float(r), "age": float(t), "monetary": float(m)}
        for f, r, t, m in zip(frame.frequency, frame.recency, frame["T"], frame.monetary_value)
    ]


def check_against_lifetimes(ref, frame, unit, horizon, months, discount):
    freq = {"weeks": "W", "days": "D"}[unit]
    bg, gg, pred = fit_lifetimes(frame, horizon, months, discount, freq)
    got = ref("customers", {
        "task": "lifetime", "histories": histories(frame), "time_unit": unit,
        "horizon": horizon, "months": months, "discount_rate": discount,
    })
    ours = got["bgnbd"]["params"]
    mine = [ours["r"], ours["alpha"], ours["a"], ours["b"]]
    theirs = bg.params_[["r", "alpha", "a", "b"]].to_numpy()
    x, tx, T = frame.frequency.to_numpy(), frame.recency.to_numpy(), frame["T"].to_numpy()
    ll_ours, ll_theirs = bgnbd_mean_ll(mine, x, tx, T), bgnbd_mean_ll(theirs, x, tx, T)
    # Both maximise the same likelihood; ours must be at least as high (to 1e-9 per customer),
    # and on a likelihood this flat the optima agree to ~1e-3 relative in the parameters
    # (BFGS with tol 1e-7 in lifetimes vs Nelder-Mead to 1e-12 in f here).
    assert ll_ours >= ll_theirs - 1e-9
    np.testing.assert_allclose(got["bgnbd"]["mean_log_likelihood"], ll_ours, rtol=1e-10)
    np.testing.assert_allclose(mine, theirs, rtol=2e-3)
    g = got["gamma_gamma"]["params"]
    np.testing.assert_allclose([g["p"], g["q"], g["gamma"]], gg.params_[["p", "q", "v"]].to_numpy(), rtol=2e-3)
    # Predictions inherit the parameter tolerance; they are smooth in the parameters, so 5e-3
    # relative (absolute 1e-6 for values near zero) covers them.
    p = got["predictions"]
    for k in ["expected_purchases", "probability_alive", "expected_average_spend", "lifetime_value"]:
        np.testing.assert_allclose(p[k], pred[k], rtol=5e-3, atol=1e-6, err_msg=k)
    # With lifetimes' own parameters our formulas agree to 1e-9 (no fitting difference left).
    same = ref("customers", {
        "task": "predict", "histories": histories(frame),
        "bgnbd": dict(zip(["r", "alpha", "a", "b"], theirs.tolist())),
        "gamma_gamma": dict(zip(["p", "q", "gamma"], gg.params_[["p", "q", "v"]].tolist())),
        "horizon": horizon, "months": months, "discount_rate": discount, "time_unit": unit,
    })
    for k in ["expected_purchases", "probability_alive", "expected_average_spend", "lifetime_value"]:
        np.testing.assert_allclose(same[k], pred[k], rtol=1e-9, atol=1e-12, err_msg=k)


def test_lifetime_value_on_cdnow_matches_lifetimes(ref):
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    cdnow = load_cdnow_summary_data_with_monetary_value()
    check_against_lifetimes(ref, cdnow, "weeks", horizon=39.0, months=12, discount=0.01)


def test_lifetime_value_on_generated_data_matches_lifetimes(ref):
    from lifetimes.generate_data import beta_geometric_nbd_model

    np.random.seed(7)
    T = np.random.randint(30, 365, size=3000).astype(float)
    frame = beta_geometric_nbd_model(T, 0.5, 20.0, 0.8, 3.0, size=3000)
    # Gamma-Gamma spends: per customer ν ~ Gamma(q, γ) (rate), transactions ~ Gamma(p, ν).
    rng = np.random.default_rng(3)
    p, q, gamma = 4.0, 3.0, 20.0
    nu = rng.gamma(q, 1.0 / gamma, size=len(frame))
    x = frame.frequency.to_numpy().astype(int)
    frame["monetary_value"] = [rng.gamma(p, 1.0 / n, size=k).mean() if k > 0 else 0.0 for n, k in zip(nu, x)]
    frame = frame[["frequency", "recency", "T", "monetary_value"]].astype(float)
    frame["frequency"] = frame.frequency.astype(int)
    check_against_lifetimes(ref, frame, "days", horizon=90.0, months=6, discount=0.02)


def test_repeat_histories_from_transactions_match_lifetimes_summary(ref):
    from lifetimes.datasets import load_transaction_data
    from lifetimes.utils import summary_data_from_transaction_data

    tx = load_transaction_data()
    tx["date"] = pd.to_datetime(tx["date"]).dt.date
    rng = np.random.default_rng(11)
    tx["cents"] = rng.integers(100, 10000, size=len(tx))
    end = max(tx.date)
    expected = summary_data_from_transaction_data(
        tx.assign(amount=tx.cents / 100.0), "id", "date", monetary_value_col="amount", freq="D",
        observation_period_end=pd.Timestamp(end),
    ).sort_index()
    lines = pd.DataFrame({
        "order_id": np.arange(len(tx)), "date": tx.date, "product_id": 1, "quantity": 1,
        "cents": tx.cents, "customer_id": tx.id, "store_id": 1,
    })
    got = ref("customers", {"task": "lifetime_sales", "lines": lines_request(lines), "as_of": None, "time_unit": "days"})
    rows = pd.DataFrame([{**r["history"], "customer": r["customer"]} for r in got["rows"]]).set_index("customer")
    assert rows.index.tolist() == expected.index.tolist()
    assert rows.frequency.tolist() == expected.frequency.astype(int).tolist()
    assert rows.recency.tolist() == expected.recency.tolist()
    assert rows.age.tolist() == expected["T"].tolist()
    # Mean of repeat-day spends: one division of exact cents sums, 1e-12 relative.
    np.testing.assert_allclose(rows.monetary, expected.monetary_value, rtol=1e-12)
    # The fitted parameters agree with lifetimes on this summary (tolerance as above).
    bg, gg, _ = fit_lifetimes(expected, 30.0, 12, 0.01, "D")
    store = got["stores"][0]
    b = store["bgnbd"]["params"]
    np.testing.assert_allclose([b["r"], b["alpha"], b["a"], b["b"]], bg.params_[["r", "alpha", "a", "b"]], rtol=2e-3)
    g = store["gamma_gamma"]["params"]
    np.testing.assert_allclose([g["p"], g["q"], g["gamma"]], gg.params_[["p", "q", "v"]], rtol=2e-3)


# ---------------------------------------------------------------------------------------------
# k-means clusters against scikit-learn
# ---------------------------------------------------------------------------------------------


def test_kmeans_recovers_separated_blobs_like_sklearn(ref):
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs
    from sklearn.metrics import adjusted_rand_score

    X, truth = make_blobs(n_samples=2000, centers=5, n_features=3, cluster_std=0.6, center_box=(-20, 20), random_state=4)
    got = ref("customers", {"task": "kmeans", "features": X.tolist(), "k": 5, "seed": 1, "runs": 10})
    sk = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X)
    # Well-separated blobs have one optimal partition: identical up to label names.
    assert adjusted_rand_score(got["labels"], sk.labels_) == 1.0
    assert adjusted_rand_score(got["labels"], truth) == 1.0
    # Same partition -> same inertia; linfa stops when centroids move less than 1e-4, which
    # leaves them within ~1e-4 of the exact means: 1e-6 relative in the inertia.
    np.testing.assert_allclose(got["inertia"], sk.inertia_, rtol=1e-6)


def test_customer_clusters_features_silhouette_and_inertia(ref):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    df = generate_lines(21, n_orders=4000, n_customers=600, stores=(1,))
    got = ref("customers", {
        "task": "clusters", "lines": lines_request(df), "as_of": "2024-12-31",
        "options": {"k": None, "k_range": [2, 6], "seed": 42, "runs": 10, "max_iterations": 300,
                    "tolerance": 1e-4, "silhouette_sample": 5000},
    })
    rows = pd.DataFrame(got["rows"])
    c = got["clusters"]
    # Features: log1p recency and frequency, signed log1p of monetary (major units), standardised
    # with the population standard deviation. Closed-form: 1e-12 relative.
    raw = np.column_stack([
        np.log1p(rows.recency_days), np.log1p(rows.frequency),
        np.sign(rows.monetary) * np.log1p(np.abs(rows.monetary)),
    ])
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    np.testing.assert_allclose(c["features"], expected, rtol=1e-12, atol=1e-12)
    X = np.asarray(c["features"])
    # All rows are in the silhouette sample here, so the chosen k's silhouette is exactly
    # sklearn's (Euclidean, mean over points; sums in a different order: 1e-10).
    scores = dict((k, s) for k, s in c["silhouettes"])
    assert set(scores) == {2, 3, 4, 5, 6}
    assert c["k"] == max(scores, key=scores.get)
    np.testing.assert_allclose(scores[c["k"]], silhouette_score(X, c["labels"]), rtol=1e-10)
    # Real RFM data has no single optimum; with 10 k-means++ starts each, our inertia must be
    # within 1% of scikit-learn's best of 10.
    labels = np.asarray(c["labels"])
    inertia = sum(((X[labels == j] - X[labels == j].mean(axis=0)) ** 2).sum() for j in range(c["k"]))
    sk = KMeans(n_clusters=c["k"], n_init=10, random_state=0).fit(X)
    assert inertia <= sk.inertia_ * 1.01
    # Profiles add up exactly; cluster 0 is the most valuable.
    prof = pd.DataFrame(c["profiles"])
    assert prof.net_revenue_minor.sum() == rows.monetary_minor.sum()
    assert prof.customers.sum() == len(rows)
    assert list(prof.mean_monetary) == sorted(prof.mean_monetary, reverse=True)
