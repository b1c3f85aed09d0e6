"""The intent classifier: TF-IDF over word and character n-grams, a linear model, and a
calibration fitted on cross-validated scores.

Training (``train``) is deterministic: examples in a fixed order, fixed seeds, and the same
features at training and prediction time (``features``). Probabilities come from the linear
model's scores through a softmax whose temperature, and the weight of the page prior (the
intents of the kit of the page the user is on), are fitted on out-of-fold scores by
minimising their log loss: the page is an input the calibration weighs, never an override.

``predict`` reads one message without scikit-learn's per-call overhead: it computes the same
TF-IDF vector by hand from the fitted vocabulary and weights (``test_intent_classifier``
checks it against the pipeline), so detection stays well under a millisecond.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from .training import TrainingExample, intent_kits

SEED = 15
FOLDS = 5
# The linear model's regularisation (liblinear's C) and the character n-gram lengths.
SVM_C = 1.0
CHAR_NGRAMS = (2, 5)
# The clarifying threshold is the highest probability (on this grid) below which the
# cross-validated best intent is right at most this often: there it is as often wrong as
# right, and asking beats guessing.
CLARIFY_GRID = tuple(round(0.3 + 0.05 * step, 2) for step in range(14))
CLARIFY_WHEN_RIGHT_AT_MOST = 0.5
# An intent is offered in a clarifying question from this probability.
CLARIFY_OPTION_MIN = 0.1
# Intents a clarifying question never offers.
NEVER_CLARIFIED = frozenset({"unknown", "greeting"})
# Features of a message are read from its first words only (a pasted essay costs the same).
MAX_FEATURE_WORDS = 48


@dataclass(frozen=True, slots=True)
class MessageFeatures:
    """What the classifier reads of a message: its words as typed (normalised), their
    stems after typo correction, and the entities the rules found."""

    raw: tuple[str, ...]
    stems: tuple[str, ...]
    entities: tuple[str, ...] = ()


def features(message: MessageFeatures) -> list[str]:
    """The n-gram features of a message: stems and stem pairs, character n-grams of the
    words as typed (each word padded with spaces, so a typo spoils few of them), and one
    feature per entity kind found."""
    stems = message.stems[:MAX_FEATURE_WORDS]
    out = [f"w {s}" for s in stems]
    out += [f"b {a} {b}" for a, b in itertools.pairwise(stems)]
    low, high = CHAR_NGRAMS
    for word in message.raw[:MAX_FEATURE_WORDS]:
        padded = f" {word} "
        for n in range(low, high + 1):
            out += [f"c{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    out += [f"e {name}" for name in message.entities]
    return out


def _identity(items: list[str]) -> list[str]:
    return items


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=1, lowercase=False, dtype=np.float64
    )


def _model() -> LinearSVC:
    return LinearSVC(C=SVM_C, random_state=SEED, max_iter=5000)


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


@dataclass(frozen=True, slots=True)
class Calibration:
    """``softmax(temperature * score + page_weight * [intent's kit is the page's])``."""

    temperature: float
    page_weight: float

    def probabilities(self, scores: np.ndarray, page: np.ndarray) -> np.ndarray:
        return _softmax(self.temperature * scores + self.page_weight * page)


def fit_calibration(scores: np.ndarray, page: np.ndarray, truth: np.ndarray) -> Calibration:
    """The temperature and page weight minimising the log loss of out-of-fold scores."""

    def loss(params: np.ndarray) -> float:
        logits = params[0] * scores + params[1] * page
        logits = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1))
        return float(np.mean(log_norm - logits[np.arange(len(truth)), truth]))

    result = minimize(
        loss, x0=np.array([1.0, 0.0]), method="L-BFGS-B", bounds=[(0.05, 50.0), (0.0, 5.0)]
    )
    return Calibration(float(result.x[0]), float(result.x[1]))


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """Cross-validated predictions over the training examples: for each example, the
    calibrated probabilities the classifier trained without its fold gives it."""

    truth: np.ndarray
    probabilities: np.ndarray
    labels: tuple[str, ...]

    def clarify_threshold(self) -> float:
        """The highest grid probability below which the best intent (one a question may
        offer) was right at most CLARIFY_WHEN_RIGHT_AT_MOST of the time; 0 if none."""
        best = self.probabilities.argmax(axis=1)
        top = self.probabilities.max(axis=1)
        offered = np.array([self.labels[i] not in NEVER_CLARIFIED for i in best])
        right = best == self.truth
        threshold = 0.0
        for t in CLARIFY_GRID:
            below = offered & (top < t)
            if below.any() and right[below].mean() <= CLARIFY_WHEN_RIGHT_AT_MOST:
                threshold = t
        return threshold


class IntentClassifier:
    """A trained classifier: ``predict`` gives each label's probability for a message."""

    def __init__(
        self,
        *,
        labels: tuple[str, ...],
        kits: dict[str, str],
        vectorizer: TfidfVectorizer,
        model: LinearSVC,
        calibration: Calibration,
        out_of_fold: OutOfFold,
    ) -> None:
        self.labels = labels
        self.kits = kits
        self.vectorizer = vectorizer
        self.model = model
        self.calibration = calibration
        self.out_of_fold = out_of_fold
        self.clarify_below = out_of_fold.clarify_threshold()
        self.clarify_option_min = CLARIFY_OPTION_MIN
        self._index: dict[str, int] = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._coef_t = np.ascontiguousarray(model.coef_.T, dtype=np.float64)
        self._intercept = np.asarray(model.intercept_, dtype=np.float64)
        self._kit_rows = {
            kit: np.array([self.kits[label] == kit for label in labels], dtype=np.float64)
            for kit in sorted(set(kits.values()))
        }
        self._no_page = np.zeros(len(labels))

    def scores(self, message: MessageFeatures) -> np.ndarray:
        """The linear model's score per label, from the TF-IDF vector computed by hand."""
        counts = Counter(f for f in features(message) if f in self._index)
        if not counts:
            return self._intercept.copy()
        columns = np.fromiter((self._index[f] for f in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
        weights = tf * self._idf[columns]
        weights /= math.sqrt(float(weights @ weights))
        return weights @ self._coef_t[columns] + self._intercept

    def page_row(self, current_kit: str | None) -> np.ndarray:
        return self._kit_rows.get(current_kit or "", self._no_page)

    def predict(self, message: MessageFeatures, current_kit: str | None) -> dict[str, float]:
        """Each label's probability, for ``message`` asked on the ``current_kit`` page."""
        scores = self.scores(message)
        probabilities = self.calibration.probabilities(scores, self.page_row(current_kit))
        return dict(zip(self.labels, (float(p) for p in probabilities), strict=True))


def _fold_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """The smoothed idf TfidfVectorizer computes from these rows, 0 for absent features."""
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0]) / (1 + frequency)) + 1.0
    idf[frequency == 0] = 0.0
    return idf


def _weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, each row scaled to unit length (as TfidfVectorizer does)."""
    weighted = counts.astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)
    return normalize(weighted @ sparse.diags(idf), norm="l2", copy=False)


def _fit(rows: Sequence[list[str]], targets: np.ndarray) -> tuple[TfidfVectorizer, LinearSVC]:
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform(rows)
    model = _model().fit(matrix, targets)
    return vectorizer, model


def train(
    examples: Sequence[TrainingExample], *, read: Callable[[str], MessageFeatures]
) -> IntentClassifier:
    """Train on ``examples`` (follow-ups left out: the rules answer them); ``read`` turns a
    message into its MessageFeatures."""
    kits = intent_kits(examples)
    labels = tuple(kits)
    chosen = sorted(
        (e for e in examples if not e.is_follow_up),
        key=lambda e: (e.intent, e.message, e.current_kit or "", e.source),
    )
    rows = [features(read(e.message)) for e in chosen]
    truth = np.array([labels.index(e.intent) for e in chosen])
    kit_rows = {
        kit: np.array([kits[label] == kit for label in labels], dtype=float)
        for kit in sorted(set(kits.values()))
    }
    page = np.array([kit_rows.get(e.current_kit or "", np.zeros(len(labels))) for e in chosen])

    # The folds share one count matrix; each fold weighs it with the document frequencies of
    # its own training rows only (a feature its training rows lack weighs nothing), which is
    # what a vectorizer fitted on those rows would give, without reading the rows again.
    counts = CountVectorizer(analyzer=_identity, lowercase=False).fit_transform(rows)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    oof_scores = np.zeros((len(chosen), len(labels)))
    for train_idx, test_idx in folds.split(np.zeros(len(truth)), truth):
        idf = _fold_idf(counts[train_idx])
        model = _model().fit(_weigh(counts[train_idx], idf), truth[train_idx])
        decision = model.decision_function(_weigh(counts[test_idx], idf))
        full = np.full((len(test_idx), len(labels)), -10.0)
        full[:, list(model.classes_)] = decision
        oof_scores[test_idx] = full
    calibration = fit_calibration(oof_scores, page, truth)
    vectorizer, model = _fit(rows, truth)
    return IntentClassifier(
        labels=labels,
        kits=kits,
        vectorizer=vectorizer,
        model=model,
        calibration=calibration,
        out_of_fold=OutOfFold(truth, calibration.probabilities(oof_scores, page), labels),
    )
