"""Measure how good generated digits are with a small MNIST classifier, the evaluator.

No GAN loss measures whether the digits look real: D(real) and D(fake)
only describe the game between the two players. This module scores
generated 28x28 digits with a small convolutional classifier trained on real
MNIST, whose weights ship with the package (`assets/evaluator.keras`,
trained by `python -m gan_helpers.train_evaluator`). Three numbers come out:

- **MNIST Fréchet distance**: the idea of the Fréchet Inception Distance
  (Heusel et al., 2017) with the evaluator in place of Inception, which
  expects RGB photos. Lower is better, and real digits score near 0.
- **Class coverage**: how many of the 10 digits are the evaluator's top class
  for at least 5% of the samples. Mode collapse shows up as coverage falling.
- **Confident fraction**: the share of samples that the evaluator assigns to
  one class with probability of at least 0.9, a proxy for "readable digits".

All functions take images shaped (N, 28, 28, 1), or (N, 28, 28), with values
in [-1, 1], the range of the data loader and of a tanh generator.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import time
import weakref
from typing import NamedTuple

import keras
import numpy as np

from gan_helpers import data

EVALUATOR_PATH = os.path.join(os.path.dirname(__file__), "assets", "evaluator.keras")
FEATURE_LAYER = "features"
# A digit counts as covered when it receives at least this share of the samples.
# With 10 balanced classes each gets 10%, so 5% allows for uneven but present digits.
COVERAGE_SHARE = 0.05
# Top-class probability from which a sample counts as confidently classified.
CONFIDENCE_THRESHOLD = 0.9
# Images per evaluator call: large batches are faster, this bounds memory.
BATCH_SIZE = 500
# Real training digits whose features define the reference statistics of the distance.
REFERENCE_SIZE = 10_000
# Pixel values may leave [-1, 1] by float rounding, and by nothing more.
RANGE_TOLERANCE = 1e-3


class Scores(NamedTuple):
    """The three quality numbers for one set of digits.

    Attributes:
        frechet_distance: MNIST Fréchet distance to the real training digits (lower is better).
        class_coverage: Digits 0-9 that receive at least 5% of the samples (10 is best).
        confident_fraction: Share of samples classified with probability >= 0.9 (higher is better).
    """

    frechet_distance: float
    class_coverage: int
    confident_fraction: float


@dataclasses.dataclass
class Evaluation:
    """Scores of generated digits next to the same scores of held-out real digits.

    Attributes:
        generated: Scores of the generator's samples.
        real: Scores of as many held-out real digits (up to the size of the test split),
            the ceiling a generator can reach.
        n: Number of generated samples.
        n_real: Number of held-out real digits scored.
        seconds: Wall-clock time the evaluation took.
        reference_source: Where the real digits came from (full MNIST or the offline copy).
    """

    generated: Scores
    real: Scores
    n: int
    n_real: int
    seconds: float
    reference_source: str

    def __str__(self) -> str:
        rows = [
            ("MNIST Fréchet distance (lower is better)", f"{self.generated.frechet_distance:.2f}", f"{self.real.frechet_distance:.2f}"),
            ("class coverage (of 10 digits)", f"{self.generated.class_coverage}/10", f"{self.real.class_coverage}/10"),
            ("confident fraction (top class >= 0.9)", f"{self.generated.confident_fraction:.2f}", f"{self.real.confident_fraction:.2f}"),
        ]
        header = ("metric", f"generated ({self.n})", f"real digits ({self.n_real})")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows]]
        return "\n".join(lines)


def build_evaluator() -> keras.Model:
    """Build the evaluator: a small CNN that classifies 28x28 digits in [-1, 1].

    Two convolution and pooling blocks feed a 64-unit dense layer named
    "features", whose activations the Fréchet distance compares, and a
    10-way softmax. It has about 57 k parameters.

    Returns:
        An uncompiled `keras.Model` named "mnist_evaluator".
    """
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1), name="image"),
            layers.Conv2D(16, 3, activation="relu", name="conv_26x26"),
            layers.MaxPooling2D(name="pool_13x13"),
            layers.Conv2D(32, 3, activation="relu", name="conv_11x11"),
            layers.MaxPooling2D(name="pool_5x5"),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(64, activation="relu", name=FEATURE_LAYER),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax", name="class_probabilities"),
        ],
        name="mnist_evaluator",
    )


_evaluator_cache: dict[str, keras.Model] = {}
# Graph-compiled evaluator functions, one per model, traced once for any batch size.
# An eager call of the evaluator was 2-4x slower on a 2-core CPU.
_inference_functions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _inference_function(model: keras.Model):
    if model not in _inference_functions:
        import tensorflow as tf

        spec = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)
        _inference_functions[model] = tf.function(lambda inputs: model(inputs, training=False), input_signature=[spec])
    return _inference_functions[model]


def load_evaluator(path: str = EVALUATOR_PATH) -> keras.Model:
    """Load the trained evaluator as a model with two outputs: features and class probabilities.

    The model is loaded once per path and reused.

    Args:
        path: A `.keras` file written by `python -m gan_helpers.train_evaluator`.

    Returns:
        A `keras.Model` mapping images (N, 28, 28, 1) in [-1, 1] to
        (features of shape (N, 64), probabilities of shape (N, 10)).

    Raises:
        FileNotFoundError: If the weights file is missing.
    """
    if path not in _evaluator_cache:
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"Evaluator weights not found at {path}. Train them with `python -m gan_helpers.train_evaluator --out {path}`."
            )
        # safe_mode (the default) rejects files that would deserialize arbitrary Python code, such as Lambda layers.
        classifier = keras.models.load_model(path, compile=False, safe_mode=True)
        features = classifier.get_layer(FEATURE_LAYER).output
        _evaluator_cache[path] = keras.Model(classifier.inputs[0], [features, classifier.outputs[0]], name="evaluator")
    return _evaluator_cache[path]


def check_images(images, name: str = "images") -> np.ndarray:
    """Validate a batch of digits and return it as float32 of shape (N, 28, 28, 1).

    Args:
        images: Array-like of shape (N, 28, 28, 1) or (N, 28, 28) with values in [-1, 1].
        name: Name of the argument, used in error messages.

    Returns:
        The images as a float32 NumPy array of shape (N, 28, 28, 1).

    Raises:
        ValueError: If the shape is not a batch of 28x28 images, the batch is empty,
            a value is not finite or values lie outside [-1, 1].
    """
    array = np.asarray(images, dtype="float32")
    if array.ndim == 3:
        array = array[..., np.newaxis]
    if array.ndim != 4 or array.shape[1:] != (28, 28, 1):
        raise ValueError(
            f"Expected {name} of shape (N, 28, 28, 1) or (N, 28, 28), got shape {array.shape}. "
            "Pass a batch of 28x28 grayscale digits, such as the output of the generator."
        )
    if len(array) == 0:
        raise ValueError(f"{name} is an empty batch. Pass at least one image.")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values. Check the generator's output for a diverged run.")
    low, high = float(array.min()), float(array.max())
    if low < -1 - RANGE_TOLERANCE or high > 1 + RANGE_TOLERANCE:
        raise ValueError(
            f"Expected {name} with values in [-1, 1], got values from {low:.3g} to {high:.3g}. "
            "Scale 0-255 pixels with gan_helpers.data.to_model_range, or end the generator with tanh."
        )
    return array


def evaluator_outputs(images, evaluator: keras.Model | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run the evaluator on a batch of digits.

    Args:
        images: Digits of shape (N, 28, 28, 1) or (N, 28, 28) in [-1, 1].
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        (features, probabilities): float64 arrays of shape (N, 64) and (N, 10).

    Raises:
        ValueError: If the images have the wrong shape or value range.
    """
    images = check_images(images)
    run_evaluator = _inference_function(evaluator or load_evaluator())
    features, probabilities = [], []
    for start in range(0, len(images), BATCH_SIZE):
        batch_features, batch_probabilities = run_evaluator(images[start : start + BATCH_SIZE])
        features.append(np.asarray(batch_features, dtype="float64"))
        probabilities.append(np.asarray(batch_probabilities, dtype="float64"))
    return np.concatenate(features), np.concatenate(probabilities)


def feature_statistics(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the mean vector and covariance matrix of feature rows (N, D), with N >= 2."""
    features = np.asarray(features, dtype="float64")
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"Need at least 2 feature vectors of shape (N, D) for a covariance, got shape {features.shape}.")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance_from_statistics(mean_a, covariance_a, mean_b, covariance_b) -> float:
    """Compute the Fréchet distance between two Gaussians given by mean and covariance.

    d^2 = |mean_a - mean_b|^2 + Tr(covariance_a) + Tr(covariance_b) - 2 Tr((covariance_a covariance_b)^(1/2)),
    the squared distance that FID reports.

    Returns:
        d^2 as a float, at least 0.
    """
    difference = np.asarray(mean_a, dtype="float64") - np.asarray(mean_b, dtype="float64")
    # Tr((A B)^(1/2)) equals the sum of the square roots of the eigenvalues of A^(1/2) B A^(1/2).
    # That matrix is symmetric, so eigh stays real and stable even for a singular covariance
    # (as from mode-collapsed samples), where a general matrix square root is not.
    eigenvalues, eigenvectors = np.linalg.eigh(covariance_a)
    root_a = (eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ eigenvectors.T
    middle = root_a @ covariance_b @ root_a
    trace_of_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    distance = difference @ difference + np.trace(covariance_a) + np.trace(covariance_b) - 2 * trace_of_root
    return max(float(distance), 0.0)


def frechet_distance(images_a, images_b, evaluator: keras.Model | None = None) -> float:
    """Compute the MNIST Fréchet distance between two sets of digits.

    Each set is summarized by the mean and covariance of its evaluator
    features (the 64-unit layer before the softmax), and the distance
    compares the two Gaussians. It drops when the samples look like real
    digits and have the variety of real digits, so it catches both bad strokes
    and mode collapse. Limits: it is biased upward for small sets (compare
    values only at the same N, 1,000 is a good size), it measures only what this
    small classifier learned, and its values are not comparable with FID
    numbers from papers. Images with nothing digit-like in them (noise, an
    untrained generator) all give the evaluator's features the same value, so
    the distance stops growing there, at about 300 with the shipped evaluator.

    Args:
        images_a: Digits of shape (N, 28, 28, 1) in [-1, 1], N >= 2.
        images_b: Digits of shape (M, 28, 28, 1) in [-1, 1], M >= 2.
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        The distance as a float, 0 for identical statistics.

    Raises:
        ValueError: If either set has the wrong shape or value range, or fewer than 2 images.
    """
    features_a, _ = evaluator_outputs(images_a, evaluator)
    features_b, _ = evaluator_outputs(images_b, evaluator)
    return frechet_distance_from_statistics(*feature_statistics(features_a), *feature_statistics(features_b))


def class_coverage_from_probabilities(probabilities: np.ndarray, share: float = COVERAGE_SHARE) -> int:
    """Count the classes that are the top class of at least `share` of the rows of (N, 10) probabilities."""
    counts = np.bincount(np.argmax(probabilities, axis=1), minlength=probabilities.shape[1])
    return int((counts >= share * len(probabilities)).sum())


def confident_fraction_from_probabilities(probabilities: np.ndarray, threshold: float = CONFIDENCE_THRESHOLD) -> float:
    """Return the share of rows of (N, 10) probabilities whose top class has probability >= `threshold`."""
    return float((np.max(probabilities, axis=1) >= threshold).mean())


def class_coverage(images, share: float = COVERAGE_SHARE, evaluator: keras.Model | None = None) -> int:
    """Count the digits 0-9 that are the evaluator's top class for at least `share` of the images.

    A healthy generator covers all 10; mode collapse makes the count drop.
    Limits: it only counts classes, so a generator that draws one perfect
    example per class repeatedly still covers 10 (the Fréchet distance catches
    that). It needs a few hundred samples to be stable.

    Args:
        images: Digits of shape (N, 28, 28, 1) in [-1, 1].
        share: Minimum share of the samples for a digit to count, 0.05 by default.
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        An integer from 0 to 10.

    Raises:
        ValueError: If the images have the wrong shape or value range, or `share` is not in (0, 1].
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}. The default 0.05 means 5% of the samples.")
    _, probabilities = evaluator_outputs(images, evaluator)
    return class_coverage_from_probabilities(probabilities, share)


def confident_fraction(images, threshold: float = CONFIDENCE_THRESHOLD, evaluator: keras.Model | None = None) -> float:
    """Return the share of images the evaluator assigns to one digit with probability >= `threshold`.

    Readable digits score high (held-out real digits: about 0.95); noise and
    blobs score low. Limits: a classifier can be confident on strange images
    that happen to excite one class, so read it together with the samples and
    the Fréchet distance.

    Args:
        images: Digits of shape (N, 28, 28, 1) in [-1, 1].
        threshold: Minimum top-class probability, 0.9 by default.
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        A float from 0 to 1.

    Raises:
        ValueError: If the images have the wrong shape or value range, or `threshold` is not in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}. The default is 0.9.")
    _, probabilities = evaluator_outputs(images, evaluator)
    return confident_fraction_from_probabilities(probabilities, threshold)


class _Reference(NamedTuple):
    mean: np.ndarray
    covariance: np.ndarray
    test_images: np.ndarray
    source: str


# Keyed by evaluator model, so each evaluator gets reference statistics from its own features.
_reference_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _reference(evaluator: keras.Model) -> _Reference:
    """Load real digits once: training-split statistics and the held-out test split."""
    if evaluator not in _reference_cache:
        # seed=0 selects the same offline train/test split that the evaluator was trained on.
        # The loader's line about an offline fallback is not repeated here: `Evaluation.reference_source`
        # and `QualityMonitor` name the source instead.
        with contextlib.redirect_stdout(io.StringIO()):
            train = data.load_mnist("train", limit=REFERENCE_SIZE, seed=0)
            test = data.load_mnist("test", seed=0)
        features, _ = evaluator_outputs(train.images, evaluator)
        _reference_cache[evaluator] = _Reference(*feature_statistics(features), test.images, train.source)
    return _reference_cache[evaluator]


def score_images(images, evaluator: keras.Model | None = None) -> Scores:
    """Compute all three scores for a set of digits in one evaluator pass.

    The Fréchet distance is measured against up to 10,000 real training digits
    from `gan_helpers.data.load_mnist` (loaded on first use, then cached).

    Args:
        images: Digits of shape (N, 28, 28, 1) in [-1, 1], N >= 2.
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        A `Scores` tuple.

    Raises:
        ValueError: If the images have the wrong shape or value range, or fewer than 2 images.
    """
    evaluator = evaluator or load_evaluator()
    reference = _reference(evaluator)
    features, probabilities = evaluator_outputs(images, evaluator)
    distance = frechet_distance_from_statistics(*feature_statistics(features), reference.mean, reference.covariance)
    return Scores(
        frechet_distance=distance,
        class_coverage=class_coverage_from_probabilities(probabilities),
        confident_fraction=confident_fraction_from_probabilities(probabilities),
    )


def generate_samples(generator: keras.Model, latent_vectors) -> np.ndarray:
    """Run the generator in inference mode on latent vectors, in batches, and return NumPy images."""
    # Keras' predict compiles one graph per model and reuses it on later calls.
    return np.asarray(generator.predict(np.asarray(latent_vectors, dtype="float32"), batch_size=BATCH_SIZE, verbose=0))


def latent_batch(latent_dim: int, n: int, seed: int = 0) -> np.ndarray:
    """Draw n latent vectors from the standard normal prior with a NumPy seed, independent of Keras' seed state."""
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")


# Per evaluator model, a dict from n to the scores of the first n held-out real digits.
_real_scores_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def real_scores(n: int = 1000, evaluator: keras.Model | None = None) -> tuple[Scores, int]:
    """Score the first n held-out real digits: the reference ceiling for a generator.

    Returns:
        (scores, count): the `Scores` and how many real digits were scored, which
        is less than n when the test split is smaller (the offline copy has 1,000).
    """
    evaluator = evaluator or load_evaluator()
    real = _reference(evaluator).test_images[:n]
    cached = _real_scores_cache.setdefault(evaluator, {})
    if n not in cached:
        cached[n] = score_images(real, evaluator)
    return cached[n], len(real)


def evaluate_generator(generator: keras.Model, n: int = 1000, seed: int = 0, evaluator: keras.Model | None = None) -> Evaluation:
    """Score n samples of a generator and the same number of held-out real digits.

    Example:
        >>> evaluation = metrics.evaluate_generator(gan.generator)
        >>> print(evaluation)  # a small table: generated vs real digits
        >>> evaluation.generated.confident_fraction
        0.87

    Args:
        generator: Model mapping (batch, latent_dim) noise to (batch, 28, 28, 1) images in [-1, 1].
        n: Number of samples; at least 2, and 1,000 keeps the distance comparable across runs.
        seed: Seed of the latent vectors, so two calls score the same z.
        evaluator: A model from `load_evaluator`; the shipped one by default.

    Returns:
        An `Evaluation`; `print` it for a table of both sets of scores.

    Raises:
        ValueError: If n < 2 or the generator's output has the wrong shape or range.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 2:
        raise ValueError(f"n must be an integer of at least 2 samples, got {n!r}. Use 1000 to compare runs.")
    started = time.perf_counter()
    evaluator = evaluator or load_evaluator()
    latent_dim = int(generator.input_shape[-1])
    samples = generate_samples(generator, latent_batch(latent_dim, n, seed))
    generated = score_images(samples, evaluator)
    real, n_real = real_scores(n, evaluator)
    return Evaluation(generated, real, n, n_real, time.perf_counter() - started, _reference(evaluator).source)


def plot_quality_history(history: dict, reference: Scores | None = None, title: str = "Training quality"):
    """Plot D(real)/D(fake) beside the three quality scores, one panel each, against the epoch.

    Args:
        history: `QualityMonitor.history`, a dict of equal-length lists keyed
            "epoch", "D(real)", "D(fake)", "frechet_distance", "class_coverage"
            and "confident_fraction".
        reference: Scores of held-out real digits, drawn as dashed lines, or None.
        title: Figure title.

    Returns:
        The matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    epochs = history["epoch"]
    figure, axes = plt.subplots(1, 4, figsize=(14, 3.2))
    score_axis, distance_axis, coverage_axis, confident_axis = axes
    score_axis.plot(epochs, history["D(real)"], marker=".", label="D(real)")
    score_axis.plot(epochs, history["D(fake)"], marker=".", label="D(fake)")
    score_axis.axhline(0.5, color="gray", linestyle=":", label="0.5: D cannot tell")
    score_axis.set(title="Discriminator scores", xlabel="epoch", ylabel="mean D(x)", ylim=(0, 1))
    score_axis.legend(fontsize=7)
    panels = [
        (distance_axis, "frechet_distance", "MNIST Fréchet distance\n(lower is better)", "distance", None),
        (coverage_axis, "class_coverage", "Class coverage\n(digits with >= 5% of samples)", "digits covered", (0, 10.5)),
        (confident_axis, "confident_fraction", "Confident fraction\n(top class >= 0.9)", "share of samples", (0, 1.02)),
    ]
    for axis, key, panel_title, ylabel, ylim in panels:
        axis.plot(epochs, history[key], marker=".", color="tab:green", label="generated")
        if reference is not None:
            axis.axhline(getattr(reference, key), color="black", linestyle="--", label="real digits")
        axis.set(title=panel_title, xlabel="epoch", ylabel=ylabel)
        if ylim is not None:
            axis.set_ylim(*ylim)
        axis.legend(fontsize=7)
    distance_axis.set_yscale("log")
    for axis in axes:
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.suptitle(title)
    figure.tight_layout()
    return figure


class QualityMonitor(keras.callbacks.Callback):
    """Score the generator every few epochs during `GAN.fit` and plot the curves live.

    After every `every` epochs the generator draws `n` digits from one fixed
    latent batch, and the evaluator computes the MNIST Fréchet distance, class
    coverage and confident fraction (about 1 s for 1,000 samples on a 2-core
    CPU). In a notebook one figure with the three scores beside D(real) and
    D(fake) is redrawn in place; dashed lines show held-out real digits.
    Coverage that falls while D(fake) stays high is the sign of mode collapse.

    Example:
        >>> monitor = metrics.QualityMonitor(every=1)
        >>> gan.fit(dataset, epochs=10, verbose=0, callbacks=[monitor, callbacks.TrainingProgress()])
        >>> figure = monitor.plot()  # the same curves, after training
        >>> monitor.history["confident_fraction"][-1]
        0.86

    Args:
        every: Evaluate after every `every` epochs.
        n: Samples per evaluation. Keep it fixed across runs you compare: the
            Fréchet distance grows as n shrinks.
        seed: Seed of the fixed latent batch.
        display: Redraw the figure live when running in a notebook.

    Attributes:
        history: Dict of lists, one entry per evaluation: "epoch", "D(real)",
            "D(fake)", "frechet_distance", "class_coverage", "confident_fraction"
            and "evaluation_seconds".
        reference: `Scores` of n held-out real digits, set when training starts.
    """

    HISTORY_KEYS = ("epoch", "D(real)", "D(fake)", "frechet_distance", "class_coverage", "confident_fraction", "evaluation_seconds")

    def __init__(self, every: int = 1, n: int = 1000, seed: int = 0, display: bool = True):
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a whole number of epochs, at least 1, got {every!r}.")
        if not isinstance(n, int) or n < 2:
            raise ValueError(f"n must be an integer of at least 2 samples, got {n!r}. Use 1000 to compare runs.")
        from gan_helpers.callbacks import _in_notebook

        self.every = every
        self.n = n
        self.seed = seed
        self.display = display and _in_notebook()
        self.history: dict[str, list] = {key: [] for key in self.HISTORY_KEYS}
        self.reference: Scores | None = None
        self._latent_vectors = None
        self._handle = None

    def on_train_begin(self, logs=None):
        if self.reference is None:
            self.reference, _ = real_scores(self.n)
        if self._latent_vectors is None:
            self._latent_vectors = latent_batch(int(self.model.generator.input_shape[-1]), self.n, self.seed)

    def evaluate(self, epoch: int, logs: dict | None = None) -> Scores:
        """Score the generator now, append the scores to `history` under `epoch`, and return them."""
        logs = logs or {}
        started = time.perf_counter()
        scores = score_images(generate_samples(self.model.generator, self._latent_vectors))
        values = {
            "epoch": epoch,
            "D(real)": float(logs.get("D(real)", np.nan)),
            "D(fake)": float(logs.get("D(fake)", np.nan)),
            "frechet_distance": scores.frechet_distance,
            "class_coverage": scores.class_coverage,
            "confident_fraction": scores.confident_fraction,
            "evaluation_seconds": time.perf_counter() - started,
        }
        for key, value in values.items():
            self.history[key].append(value)
        return scores

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        self.evaluate(epoch + 1, logs)
        if self.display:
            from IPython.display import Image, display

            from gan_helpers.plotting import figure_to_png

            png = Image(figure_to_png(self.plot()))
            if self._handle is None:
                self._handle = display(png, display_id=True)
            else:
                self._handle.update(png)

    def plot(self, title: str | None = None):
        """Draw the curves recorded so far and return the matplotlib Figure.

        Raises:
            RuntimeError: If no evaluation has run yet.
        """
        if not self.history["epoch"]:
            raise RuntimeError("No evaluation recorded yet. Train with this callback first, or call evaluate().")
        last = self.history["epoch"][-1]
        return plot_quality_history(self.history, self.reference, title or f"Quality of {self.n} generated digits after epoch {last}")
