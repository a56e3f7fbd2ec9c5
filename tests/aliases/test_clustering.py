"""Operator clusters from pair probabilities: average linkage inside the components of likely pairs."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from lockstep.aliases._clustering import bcubed_f, cluster_names


def reference_clusters(n, i, j, p, threshold=0.5):
    """The definition, written plainly: a dict of pair probabilities and a loop over every component."""
    keep = p >= threshold
    _, comp = connected_components(coo_matrix((np.ones(keep.sum()), (i[keep], j[keep])), shape=(n, n)),
                                   directed=False)
    prob = {}
    for a, b, v in zip(i.tolist(), j.tolist(), p.tolist()):
        prob[(a, b) if a < b else (b, a)] = v
    labels = np.arange(n)
    for c in np.unique(comp):
        members = np.flatnonzero(comp == c)
        if len(members) < 2:
            continue
        d = np.ones((len(members), len(members)))
        for x in range(len(members)):
            d[x, x] = 0.0
            for y in range(x + 1, len(members)):
                d[x, y] = d[y, x] = 1.0 - prob.get((int(members[x]), int(members[y])), 0.0)
        sub = fcluster(linkage(squareform(d, checks=False), method="average"), t=1.0 - threshold,
                       criterion="distance") if len(members) > 2 else np.ones(2, dtype=int)
        for s in np.unique(sub):
            labels[members[sub == s]] = members[sub == s].min()
    return np.unique(labels, return_inverse=True)[1]


@pytest.mark.parametrize("seed", range(8))
def test_clusters_equal_the_plain_definition_on_random_pairs(seed):
    rng = np.random.default_rng(seed)
    n = 60
    m = 400
    i = rng.integers(0, n, m)
    j = rng.integers(0, n, m)
    # Pairs given twice (reversed, with another probability: the last one counts), self-pairs, and
    # probabilities that chain names into components of many sizes.
    i = np.r_[i, j[:50], 7]
    j = np.r_[j, i[:50], 7]
    p = rng.beta(0.4, 0.6, len(i))
    for threshold in (0.3, 0.5, 0.8):
        assert np.array_equal(cluster_names(n, i, j, p, threshold=threshold),
                              reference_clusters(n, i, j, p, threshold=threshold))


def test_one_spurious_link_does_not_merge_two_operators():
    # Two tight groups of three, one link between them: average linkage keeps them apart.
    i = np.array([0, 0, 1, 3, 3, 4, 2])
    j = np.array([1, 2, 2, 4, 5, 5, 3])
    p = np.array([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.6])
    labels = cluster_names(7, i, j, p)
    assert list(labels) == [0, 0, 0, 1, 1, 1, 2]


def test_no_pairs_gives_singletons():
    assert list(cluster_names(4, np.array([], int), np.array([], int), np.array([]))) == [0, 1, 2, 3]
    assert bcubed_f(np.arange(4), np.arange(4)) == (1.0, 1.0, 1.0)
