"""Toy data, small MLP models and a mode-coverage metric for GANs you can see whole.

A GAN on 1-D or 2-D points trains in seconds on a CPU, and every sample,
every discriminator score and every gradient can be drawn. The models train
with `gan_helpers.training.GAN`, the same Algorithm 1 step as the DCGAN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import keras
import numpy as np
from keras import layers

from gan_helpers.losses import GENERATOR_LOSSES
from gan_helpers.training import GAN, make_optimizers

Sampler = Callable[[int, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class ToyDistribution:
    """A distribution of 1-D or 2-D points that can be sampled as often as needed.

    Attributes:
        name: Short label used in titles.
        dim: 1 or 2, the length of one point.
        sampler: Function (count, rng) -> float array of shape (count, dim).
        modes: Centres of the mixture components, shape (modes, dim), or None
            for a distribution without separate modes.
        mode_std: Standard deviation of each mixture component, or None.
        bounds: (low, high) plot limits that hold nearly all the points, used
            for both axes of a 2-D plot.
    """

    name: str
    dim: int
    sampler: Sampler = field(repr=False)
    modes: np.ndarray | None = field(default=None, repr=False)
    mode_std: float | None = None
    bounds: tuple[float, float] = (-3.0, 3.0)

    def sample(self, count: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        """Draw `count` points as a float32 array of shape (count, dim).

        Args:
            count: Number of points.
            rng: A NumPy Generator, or a seed for a new one.
        """
        _check_positive_int("count", count, "Try 256.")
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        return np.asarray(self.sampler(count, rng), dtype="float32").reshape(count, self.dim)


def _check_positive_int(name: str, value, hint: str) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}. {hint}")


def _check_positive_float(name: str, value, hint: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}. {hint}")


def gaussian(mean=(0.0, 0.0), std: float = 0.5) -> ToyDistribution:
    """Create a single Gaussian with the same spread on every axis.

    Args:
        mean: Centre of the Gaussian: a number for 1-D data, or an (x, y) pair for 2-D.
        std: Standard deviation on each axis.
    """
    _check_positive_float("std", std, "Try 0.5.")
    center = np.atleast_1d(np.asarray(mean, dtype="float64"))
    if center.ndim != 1 or len(center) not in (1, 2) or not np.all(np.isfinite(center)):
        raise ValueError(f"mean must be a finite number (1-D data) or an (x, y) pair (2-D data), got {mean!r}.")
    reach = float(np.max(np.abs(center))) + 4 * std
    return ToyDistribution(
        name="1-D Gaussian" if len(center) == 1 else "Gaussian",
        dim=len(center),
        sampler=lambda count, rng: center + std * rng.standard_normal((count, len(center))),
        bounds=(-max(3.0, reach), max(3.0, reach)),
    )


def ring(modes: int = 8, radius: float = 2.0, std: float = 0.1) -> ToyDistribution:
    """Create an equal mixture of Gaussians with their centres evenly spaced on a circle.

    This is the standard test for mode collapse: a generator that covers only
    a few of the components can still fool a weak discriminator.

    Args:
        modes: Number of Gaussians on the ring.
        radius: Distance of each centre from the origin.
        std: Standard deviation of each Gaussian. It should be well below the
            gap between neighbouring centres, 2 * radius * sin(pi / modes).
    """
    _check_positive_int("modes", modes, "Try 8.")
    _check_positive_float("radius", radius, "Try 2.0.")
    _check_positive_float("std", std, "Try 0.1.")
    angles = 2 * np.pi * np.arange(modes) / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)

    def sampler(count, rng):
        chosen = centers[rng.integers(0, modes, size=count)]
        return chosen + std * rng.standard_normal((count, 2))

    reach = radius + 4 * std + 0.5
    return ToyDistribution(
        name=f"ring of {modes} Gaussians", dim=2, sampler=sampler, modes=centers, mode_std=float(std), bounds=(-reach, reach)
    )


def curve(amplitude: float = 1.0, length: float = 4.0, noise: float = 0.05) -> ToyDistribution:
    """Create points spread along one period of a sine wave, a line when amplitude is 0.

    Args:
        amplitude: Height of the wave.
        length: Width of the x range, centred on 0.
        noise: Standard deviation of the Gaussian noise added across the curve.
    """
    if isinstance(amplitude, bool) or not isinstance(amplitude, (int, float, np.number)) or not np.isfinite(amplitude):
        raise ValueError(f"amplitude must be a finite number, got {amplitude!r}. Use 0 for a straight line.")
    _check_positive_float("length", length, "Try 4.0.")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.number)) or not noise >= 0:
        raise ValueError(f"noise must be a number of at least 0, got {noise!r}. Try 0.05.")

    def sampler(count, rng):
        x = rng.uniform(-length / 2, length / 2, size=count)
        y = amplitude * np.sin(2 * np.pi * x / length)
        return np.stack([x, y], axis=1) + noise * rng.standard_normal((count, 2))

    reach = max(length / 2, abs(amplitude)) + 4 * noise + 0.5
    return ToyDistribution(name="line" if amplitude == 0 else "sine curve", dim=2, sampler=sampler, bounds=(-reach, reach))


def two_regions(gap: float = 1.0, width: float = 1.0, height: float = 2.0) -> ToyDistribution:
    """Create a uniform distribution over two rectangles separated by an empty gap.

    A generator is a continuous map from a connected latent space, so it
    cannot match two disjoint regions exactly: some samples land in the gap.

    Args:
        gap: Horizontal distance between the two rectangles.
        width: Width of each rectangle.
        height: Height of each rectangle, centred on y = 0.
    """
    _check_positive_float("gap", gap, "Try 1.0.")
    _check_positive_float("width", width, "Try 1.0.")
    _check_positive_float("height", height, "Try 2.0.")

    def sampler(count, rng):
        side = rng.choice([-1.0, 1.0], size=count)
        x = side * (gap / 2 + rng.uniform(0, width, size=count))
        y = rng.uniform(-height / 2, height / 2, size=count)
        return np.stack([x, y], axis=1)

    centers = np.array([[-(gap + width) / 2, 0.0], [(gap + width) / 2, 0.0]])
    reach = max(gap / 2 + width, height / 2) + 0.5
    return ToyDistribution(name="two regions", dim=2, sampler=sampler, modes=centers, bounds=(-reach, reach))


def from_points(points, name: str = "your points") -> ToyDistribution:
    """Create a distribution that resamples your own points with replacement.

    Args:
        points: Array-like of shape (N,) or (N, 1) for 1-D data, or (N, 2) for
            2-D data, with N >= 2 finite values.
        name: Label used in titles.

    Raises:
        ValueError: If the points have the wrong shape, too few rows, or
            values that are not finite numbers.
    """
    try:
        array = np.asarray(points, dtype="float64")
    except (TypeError, ValueError) as error:
        raise ValueError(f"points must be an array of numbers of shape (N, 2) or (N,), and converting them failed: {error}") from error
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[1] not in (1, 2):
        raise ValueError(
            f"points must have shape (N, 2) for 2-D data or (N,) for 1-D data, got shape {array.shape}. "
            "Stack x and y as columns, e.g. np.column_stack([x, y])."
        )
    if len(array) < 2:
        raise ValueError(f"points must contain at least 2 rows, got {len(array)}. Pass more points.")
    if not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.all(np.isfinite(array), axis=1)))
        raise ValueError(f"points contain {bad} rows with NaN or infinite values. Remove them, e.g. points[np.isfinite(points).all(axis=1)].")

    low, high = array.min(), array.max()
    margin = 0.15 * max(high - low, 1e-3)
    return ToyDistribution(
        name=name,
        dim=array.shape[1],
        sampler=lambda count, rng: array[rng.integers(0, len(array), size=count)],
        bounds=(float(low - margin), float(high + margin)),
    )


def build_toy_generator(latent_dim: int = 2, width: int = 64, depth: int = 2, data_dim: int = 2) -> keras.Model:
    """Build an MLP generator that maps noise z to one 1-D or 2-D point.

    Args:
        latent_dim: Length of the latent vector z.
        width: Units in each hidden layer.
        depth: Number of hidden layers.
        data_dim: Length of one generated point, 1 or 2.

    Returns:
        An uncompiled `keras.Model` named "generator" with a linear output, so
        points can land anywhere on the plane.
    """
    _check_positive_int("latent_dim", latent_dim, "Try 2.")
    _check_positive_int("width", width, "Try 64.")
    _check_positive_int("depth", depth, "Try 2.")
    if data_dim not in (1, 2):
        raise ValueError(f"data_dim must be 1 or 2, got {data_dim!r}.")
    hidden = [layers.Dense(width, activation="relu", name=f"hidden_{i + 1}") for i in range(depth)]
    return keras.Sequential(
        [keras.Input(shape=(latent_dim,), name="z"), *hidden, layers.Dense(data_dim, name="point")],
        name="generator",
    )


def build_toy_discriminator(width: int = 64, depth: int = 2, data_dim: int = 2) -> keras.Model:
    """Build an MLP discriminator that maps one point to one logit; D(x) = sigmoid(logit).

    Args:
        width: Units in each hidden layer.
        depth: Number of hidden layers.
        data_dim: Length of one input point, 1 or 2.

    Returns:
        An uncompiled `keras.Model` named "discriminator".
    """
    _check_positive_int("width", width, "Try 64.")
    _check_positive_int("depth", depth, "Try 2.")
    if data_dim not in (1, 2):
        raise ValueError(f"data_dim must be 1 or 2, got {data_dim!r}.")
    hidden = []
    for i in range(depth):
        # LeakyReLU with slope 0.2 as in the DCGAN discriminator keeps gradients alive for all inputs.
        hidden += [layers.Dense(width, name=f"hidden_{i + 1}"), layers.LeakyReLU(negative_slope=0.2)]
    return keras.Sequential(
        [keras.Input(shape=(data_dim,), name="point"), *hidden, layers.Dense(1, name="logit")],
        name="discriminator",
    )


def make_toy_gan(
    data_dim: int = 2,
    latent_dim: int = 2,
    width: int = 64,
    depth: int = 2,
    d_steps: int = 1,
    generator_loss: str = "non_saturating",
    d_learning_rate: float = 1e-3,
    g_learning_rate: float = 1e-3,
    seed: int | None = 0,
) -> GAN:
    """Build and compile a toy GAN: MLP generator and discriminator, one Adam optimizer each.

    Adam with beta_1 = 0.5 follows the DCGAN paper. With learning rate 1e-3
    for both players the 8-mode ring is covered in about 1,000 iterations.

    Args:
        data_dim: 1 or 2, the length of one data point.
        latent_dim: Length of the latent vector z.
        width: Units in each hidden layer of both networks.
        depth: Hidden layers in each network.
        d_steps: k, discriminator updates per generator update.
        generator_loss: "non_saturating" or "minimax".
        d_learning_rate: Adam learning rate of the discriminator.
        g_learning_rate: Adam learning rate of the generator.
        seed: Seeds the initial weights and the noise z, so a run is repeatable.

    Returns:
        A compiled `GAN` ready for `train_toy_gan`.
    """
    if generator_loss not in GENERATOR_LOSSES:
        raise ValueError(f"Unknown generator_loss {generator_loss!r}. Use one of {', '.join(GENERATOR_LOSSES)}.")
    _check_positive_float("d_learning_rate", d_learning_rate, "Try 1e-3.")
    _check_positive_float("g_learning_rate", g_learning_rate, "Try 1e-3.")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    generator = build_toy_generator(latent_dim, width, depth, data_dim)
    discriminator = build_toy_discriminator(width, depth, data_dim)
    gan = GAN(generator, discriminator, d_steps=d_steps, generator_loss=generator_loss, seed=seed)
    # make_optimizers returns a pair with one learning rate; take one optimizer from each call.
    d_optimizer, _ = make_optimizers(d_learning_rate, beta_1=0.5)
    _, g_optimizer = make_optimizers(g_learning_rate, beta_1=0.5)
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
    return gan


def train_toy_gan(
    gan: GAN,
    distribution: ToyDistribution,
    iterations: int,
    batch_size: int = 128,
    rng: np.random.Generator | int | None = 0,
) -> dict[str, list[float]]:
    """Run Algorithm 1 iterations of `gan` on fresh samples of `distribution`.

    Each iteration draws k * batch_size real points, k = `gan.d_steps`, and
    passes them to `GAN.train_step` through `train_on_batch`: k discriminator
    updates on batch_size real and batch_size generated points each, then one
    generator update.

    Args:
        gan: A compiled `GAN`, e.g. from `make_toy_gan`.
        distribution: The real data.
        iterations: Number of generator updates.
        batch_size: m, the points per minibatch.
        rng: A NumPy Generator or a seed for the real samples.

    Returns:
        Per-iteration lists under "d_loss", "g_loss", "D(real)" and "D(fake)".
    """
    _check_positive_int("iterations", iterations, "Try 500.")
    _check_positive_int("batch_size", batch_size, "Try 128.")
    if distribution.dim != gan.image_shape[0]:
        raise ValueError(
            f"The GAN makes {gan.image_shape[0]}-D points but the {distribution.name} data is {distribution.dim}-D. "
            f"Build the GAN with make_toy_gan(data_dim={distribution.dim})."
        )
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    history: dict[str, list[float]] = {"d_loss": [], "g_loss": [], "D(real)": [], "D(fake)": []}
    for _ in range(iterations):
        logs = gan.train_on_batch(distribution.sample(gan.d_steps * batch_size, rng), return_dict=True)
        for name, values in history.items():
            values.append(float(logs[name]))
    return history


def generate(gan: GAN, count: int, seed: int | None = None) -> np.ndarray:
    """Generate `count` points from fresh noise as a NumPy array of shape (count, dim)."""
    _check_positive_int("count", count, "Try 1000.")
    z = np.random.default_rng(seed).standard_normal((count, gan.latent_dim)).astype("float32")
    return np.asarray(gan.generator(z, training=False))


@dataclass(frozen=True)
class ModeCoverage:
    """Coverage of the modes of a mixture by generated samples.

    Attributes:
        modes_covered: Fraction of modes with at least their minimum share of samples nearby.
        far_share: Fraction of samples farther than `radius` from every mode.
        counts: Samples near each mode, in the order of the mode centres.
        radius: Distance that counts as near a mode.
    """

    modes_covered: float
    far_share: float
    counts: tuple[int, ...]
    radius: float

    def __str__(self) -> str:
        covered = round(self.modes_covered * len(self.counts))
        return f"{covered}/{len(self.counts)} modes covered · {self.far_share:.0%} of samples far from every mode"


def mode_coverage(samples, modes, radius: float, min_share: float = 0.2) -> ModeCoverage:
    """Measure which mixture modes the generated samples reach, and how many samples miss them all.

    A mode counts as covered when the samples within `radius` of its centre
    are at least `min_share` of a fair share, len(samples) / len(modes). This
    ignores a mode that only a few stray samples pass through.

    Args:
        samples: Generated points, shape (N, dim).
        modes: Mode centres, shape (modes, dim).
        radius: Distance that counts as near a mode; 3 standard deviations of
            a 2-D component contain about 98.9% of its mass.
        min_share: Fraction of a fair share a mode needs to count as covered.

    Returns:
        A `ModeCoverage`.
    """
    samples = np.asarray(samples, dtype="float64")
    modes = np.asarray(modes, dtype="float64")
    if samples.ndim != 2 or modes.ndim != 2 or samples.shape[1] != modes.shape[1] or len(samples) == 0 or len(modes) == 0:
        raise ValueError(
            f"samples and modes must be non-empty arrays of shape (N, dim) with the same dim, got {samples.shape} and {modes.shape}."
        )
    _check_positive_float("radius", radius, "Use about 3 standard deviations of one mode.")
    distances = np.linalg.norm(samples[:, None, :] - modes[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    near = distances.min(axis=1) <= radius
    counts = np.bincount(nearest[near], minlength=len(modes))
    needed = min_share * len(samples) / len(modes)
    return ModeCoverage(
        modes_covered=float(np.mean(counts >= needed)),
        far_share=float(1 - near.mean()),
        counts=tuple(int(c) for c in counts),
        radius=float(radius),
    )


def distribution_coverage(distribution: ToyDistribution, samples) -> ModeCoverage | None:
    """Measure `mode_coverage` for a mixture with known modes, with a radius of 3 mode standard deviations.

    Returns:
        A `ModeCoverage`, or None when the distribution has no mode centres
        or no mode spread (a curve, two uniform regions, your own points).
    """
    if distribution.modes is None or distribution.mode_std is None:
        return None
    return mode_coverage(samples, distribution.modes, radius=3 * distribution.mode_std)
