"""Applications of a trained generator: inpainting and super-resolution by latent search.

A trained generator G is a map from latent vectors z to digits. To fill in
the missing part of a digit, search for the z whose G(z) agrees with the
part you can see, then read the missing part off G(z). Any measurement that
can be computed from an image works the same way: for super-resolution the
measurement is a low-resolution copy. This is the idea of Yeh et al. (2017),
"Semantic Image Inpainting with Deep Generative Models", and of Bora et al.
(2017), "Compressed Sensing using Generative Models".

The search minimizes, over z, the mean squared error between the
measurement of G(z) and the measurement of the damaged image, plus a small
penalty on |z|^2 that keeps z where the prior p(z) puts its mass. It starts
from several random z per image and keeps the best one.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import keras
import numpy as np
import tensorflow as tf

from gan_helpers import widgets

IMAGE_SIZE = 28
MASKS = ("bottom_half", "top_half", "left_half", "right_half", "center_square")

Measurement = Callable[[tf.Tensor], tf.Tensor]


def load_generator() -> keras.Model:
    """Load the pretrained digit generator that ships with `gan_helpers`, in Keras' safe mode.

    Returns:
        The generator, mapping (batch, latent_dim) latent vectors to (batch, 28, 28, 1) images in [-1, 1].

    Raises:
        FileNotFoundError: If the package was installed without its assets.
    """
    return widgets.load_generator(path=widgets.SHIPPED_GENERATOR_PATH, verbose=False).model


def make_mask(kind: str = "bottom_half") -> np.ndarray:
    """Make a visibility mask for a 28x28 digit: 1 where the pixel is visible, 0 where it is hidden.

    Args:
        kind: Which part to hide: "bottom_half", "top_half", "left_half",
            "right_half" or "center_square" (the middle 12x12 pixels).

    Returns:
        A float32 array of shape (28, 28, 1).

    Raises:
        ValueError: If `kind` is not one of those.
    """
    half = IMAGE_SIZE // 2
    visible = np.ones((IMAGE_SIZE, IMAGE_SIZE, 1), dtype="float32")
    if kind == "bottom_half":
        visible[half:] = 0
    elif kind == "top_half":
        visible[:half] = 0
    elif kind == "left_half":
        visible[:, :half] = 0
    elif kind == "right_half":
        visible[:, half:] = 0
    elif kind == "center_square":
        visible[8:20, 8:20] = 0
    else:
        raise ValueError(f"Unknown mask {kind!r}. Use one of {', '.join(MASKS)}.")
    return visible


def check_images(images, name: str = "images") -> np.ndarray:
    """Return images as float32 of shape (N, 28, 28, 1), or raise a ValueError naming the shape."""
    array = np.asarray(images, dtype="float32")
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE, 1) or len(array) == 0:
        raise ValueError(
            f"{name} must be a batch of 28x28 digits of shape (N, 28, 28, 1), got shape {np.shape(images)}. "
            "Add a batch axis to a single digit with images[None]."
        )
    return array


class SearchResult(NamedTuple):
    """The result of a latent search, one entry per target image.

    Attributes:
        latents: The best latent vector per image, shape (N, latent_dim).
        generated: G(latents), shape (N, 28, 28, 1), values in [-1, 1].
        measurement_error: Mean squared error between the measurement of
            G(z) and the target measurement, per image, shape (N,).
    """

    latents: np.ndarray
    generated: np.ndarray
    measurement_error: np.ndarray


def latent_search(
    generator: keras.Model,
    targets,
    measure: Measurement,
    steps: int = 200,
    restarts: int = 8,
    learning_rate: float = 0.05,
    prior_weight: float = 1e-3,
    seed: int = 0,
) -> SearchResult:
    """Find, for each target, the latent vector z whose G(z) has the closest measurement.

    Minimizes mean((measure(G(z)) - targets)^2) + prior_weight * mean(z^2)
    with Adam, from `restarts` random starting points per target, and keeps
    the z with the lowest measurement error.

    Args:
        generator: A trained generator.
        targets: Measurements of the damaged images, already computed with
            `measure`, shape (N, ...).
        measure: Differentiable function from a batch of images
            (batch, 28, 28, 1) to their measurements; it must work on any batch size.
        steps: Adam updates of z.
        restarts: Random starting points per target. The search is not
            convex, so more restarts find better matches.
        learning_rate: Adam learning rate for z.
        prior_weight: Weight of the penalty on z^2. Larger keeps G(z) more
            digit-like, smaller fits the measurement more closely.
        seed: Seed of the starting points.

    Returns:
        A `SearchResult`.
    """
    for name, value in [("steps", steps), ("restarts", restarts)]:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}. Try 0.05.")
    if not prior_weight >= 0:
        raise ValueError(f"prior_weight must be at least 0, got {prior_weight!r}. Try 1e-3.")
    targets = tf.constant(np.asarray(targets, dtype="float32"))
    count = int(targets.shape[0])
    latent_dim = widgets.check_generator(generator)

    # Every target gets `restarts` rows; row i * restarts + r is restart r of target i.
    repeated = tf.repeat(targets, restarts, axis=0)
    start = np.random.default_rng(seed).standard_normal((count * restarts, latent_dim)).astype("float32")
    z = tf.Variable(start)
    optimizer = keras.optimizers.Adam(learning_rate)
    reduce_axes = list(range(1, len(targets.shape)))

    def errors():
        measured = measure(generator(z, training=False))
        return tf.reduce_mean(tf.square(measured - repeated), axis=reduce_axes)

    @tf.function
    def update():
        with tf.GradientTape() as tape:
            # Summing over rows keeps each row's gradient independent of the batch size.
            loss = tf.reduce_sum(errors() + prior_weight * tf.reduce_mean(tf.square(z), axis=1))
        optimizer.apply_gradients([(tape.gradient(loss, z), z)])

    for _ in range(steps):
        update()

    final_errors = errors().numpy().reshape(count, restarts)
    best = final_errors.argmin(axis=1)
    latents = z.numpy().reshape(count, restarts, latent_dim)[np.arange(count), best]
    generated = np.asarray(generator(latents, training=False))
    return SearchResult(latents, generated, final_errors[np.arange(count), best])


def inpaint(generator: keras.Model, images, visible, **search_settings) -> tuple[np.ndarray, SearchResult]:
    """Fill in the hidden pixels of digits with a generator, by latent search on the visible pixels.

    Args:
        generator: A trained generator.
        images: Damaged digits, shape (N, 28, 28, 1) in [-1, 1]. Only their
            visible pixels are read.
        visible: Mask from `make_mask`, shape (28, 28, 1): 1 visible, 0 hidden.
        **search_settings: Passed on to `latent_search` (steps, restarts, ...).

    Returns:
        The completed digits, with the visible pixels kept and the hidden
        ones taken from G(z), and the `SearchResult`.
    """
    images = check_images(images)
    visible = _check_mask(visible)
    mask = tf.constant(visible)
    result = latent_search(generator, images * visible, lambda batch: batch * mask, **search_settings)
    completed = images * visible + result.generated * (1 - visible)
    return completed, result


def _check_mask(visible) -> np.ndarray:
    mask = np.asarray(visible, dtype="float32")
    if mask.shape != (IMAGE_SIZE, IMAGE_SIZE, 1) or not np.all((mask == 0) | (mask == 1)):
        raise ValueError(
            f"visible must be a (28, 28, 1) array of 0s and 1s, got shape {np.shape(visible)}. Make one with make_mask()."
        )
    if mask.all() or not mask.any():
        raise ValueError("visible must hide some pixels and show some. Make one with make_mask().")
    return mask


def downsample(images, factor: int = 4):
    """Average each `factor` x `factor` block of pixels: (N, 28, 28, 1) -> (N, 28/factor, 28/factor, 1).

    Works on NumPy arrays and on tensors, so the latent search can differentiate through it.
    """
    if factor not in (2, 4, 7, 14):
        raise ValueError(f"factor must divide 28 (2, 4, 7 or 14), got {factor!r}.")
    return tf.nn.avg_pool2d(tf.convert_to_tensor(images, dtype=tf.float32), factor, factor, "VALID")


def upsample_bicubic(small_images, size: int = IMAGE_SIZE) -> np.ndarray:
    """Enlarge low-resolution images to `size` x `size` with bicubic interpolation, the classic baseline."""
    enlarged = tf.image.resize(tf.convert_to_tensor(small_images, dtype=tf.float32), (size, size), method="bicubic")
    return np.clip(enlarged.numpy(), -1.0, 1.0)


def super_resolve(generator: keras.Model, small_images, factor: int = 4, **search_settings) -> SearchResult:
    """Turn low-resolution digits into 28x28 ones by latent search: find z with downsample(G(z)) = small image.

    Args:
        generator: A trained generator.
        small_images: Low-resolution digits from `downsample`, shape (N, 28/factor, 28/factor, 1).
        factor: The downsampling factor that made them.
        **search_settings: Passed on to `latent_search`.

    Returns:
        The `SearchResult`; its `generated` images are the 28x28 digits.
    """
    small = np.asarray(small_images, dtype="float32")
    expected = (IMAGE_SIZE // factor, IMAGE_SIZE // factor, 1)
    if small.ndim != 4 or small.shape[1:] != expected:
        raise ValueError(f"small_images must have shape (N, {expected[0]}, {expected[1]}, 1) for factor {factor}, got {small.shape}.")
    return latent_search(generator, small, lambda batch: downsample(batch, factor), **search_settings)


def hidden_pixel_error(completed, originals, visible) -> np.ndarray:
    """Mean absolute error on the hidden pixels only, per image, in the [-1, 1] pixel scale.

    Returns:
        An array of shape (N,).
    """
    completed = check_images(completed, "completed")
    originals = check_images(originals, "originals")
    hidden = 1 - _check_mask(visible)
    return (np.abs(completed - originals) * hidden).sum(axis=(1, 2, 3)) / hidden.sum()
