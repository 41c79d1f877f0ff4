"""Association rules: storelytics' FP-growth against mlxtend fpgrowth + association_rules on the
same baskets (the distinct products of each order, returns excluded)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl

import storelytics as sl
from comparison.data import STORE_ZONES, Dataset
from comparison.tables import Workload

MIN_SUPPORT = 0.005
MIN_CONFIDENCE = 0.5


def mlxtend_rules(lines: pd.DataFrame) -> pd.DataFrame:
    """One-hot baskets (a sparse order x product frame), fpgrowth, association_rules."""
    import scipy.sparse as sp
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    sold = lines[lines.quantity > 0]
    orders, order_idx = np.unique(sold.order_id.to_numpy(), return_inverse=True)
    products, product_idx = np.unique(sold.product_id.to_numpy(), return_inverse=True)
    matrix = sp.csr_matrix(
        (np.ones(len(sold), dtype=bool), (order_idx, product_idx)), shape=(len(orders), len(products))
    )
    matrix.sum_duplicates()
    matrix.data[:] = True
    # mlxtend wants text column names on a sparse frame (pandas' sparse limits).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        onehot = pd.DataFrame.sparse.from_spmatrix(matrix, columns=[str(p) for p in products])
    itemsets = fpgrowth(onehot, min_support=MIN_SUPPORT, use_colnames=True)
    return association_rules(itemsets, num_itemsets=len(orders), metric="confidence", min_threshold=MIN_CONFIDENCE)


def rules_workload(data: Dataset, lines: int) -> Workload:
    """Rules on the first `lines` line items (whole orders), the size mlxtend finishes in seconds."""
    sub = data.polars.filter(pl.col("order_id") <= data.polars["order_id"][min(lines, data.lines) - 1])
    sales = sl.Sales(sub, store_time_zones=STORE_ZONES)
    pdf = sub.select("order_id", "product_id", "quantity").to_pandas()

    def check(ours, peers):
        theirs = peers["mlxtend"]
        key = lambda a, c: (tuple(sorted(map(str, a))), tuple(sorted(map(str, c))))  # noqa: E731
        mine = {key(a, c): f for a, c, f in zip(ours["antecedent"], ours["consequent"], ours["confidence"])}
        other = {key(a, c): f for a, c, f in zip(theirs.antecedents, theirs.consequents, theirs.confidence)}
        assert mine.keys() == other.keys(), (len(mine), len(other))
        worst = max((abs(mine[k] - other[k]) / other[k] for k in mine), default=0.0)
        assert worst <= 1e-12, worst
        return f"the same {len(mine)} rules (min support {MIN_SUPPORT}, min confidence {MIN_CONFIDENCE}), confidence to 1e-12"

    return Workload(
        "association rules (FP-growth)",
        lambda: sl.association_rules(sales, min_support=MIN_SUPPORT, min_confidence=MIN_CONFIDENCE),
        {"mlxtend": lambda: mlxtend_rules(pdf)},
        check,
        size=f"{sub.height:,} lines",
        notes=["mlxtend timing includes building the sparse one-hot basket frame; storelytics builds its baskets too"],
    )
