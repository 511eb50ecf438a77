"""The mathematics of the GAN objective on 1-D densities, and small models to watch it work.

Everything here follows Goodfellow et al. (2014), "Generative Adversarial
Nets". Densities are NumPy arrays sampled on a grid of x values, and integrals
over x are trapezoid sums on that grid, so the grid must cover almost all of
the probability mass. Logarithms are natural, so divergences are in nats.

The module has three parts:

- the value function and its optimum: `normal_pdf`, `optimal_discriminator`,
  `value_function`, `value_at_optimum`, `kl_divergence`, `jensen_shannon`;
- a 2-D example of discriminative vs generative models: `make_two_classes`
  and `plot_discriminative_vs_generative`;
- Algorithm 1 on 1-D data with `gan_helpers.training.GAN`: `train_tiny_gan`
  and `plot_tiny_gans`, plus `plot_saturation` for the two generator losses.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from scipy.special import xlogy

LOG_4 = math.log(4.0)


def _as_density(name: str, values) -> np.ndarray:
    array = np.asarray(values, dtype="float64")
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must contain finite, non-negative density values, got min {np.nanmin(array)!r}.")
    return array


def _check_grid(x: np.ndarray, *arrays: np.ndarray) -> None:
    if x.ndim != 1 or len(x) < 2 or np.any(np.diff(x) <= 0):
        raise ValueError(f"x must be a 1-D grid of increasing values, got an array of shape {x.shape}.")
    for array in arrays:
        if array.shape != x.shape:
            raise ValueError(f"Every density must be sampled on the grid x of shape {x.shape}, got shape {array.shape}.")


def integrate(values, x) -> float:
    """Integrate sampled values over the grid x with the trapezoid rule."""
    values, x = np.asarray(values, dtype="float64"), np.asarray(x, dtype="float64")
    return float(np.sum((values[1:] + values[:-1]) * np.diff(x)) / 2.0)


def normal_pdf(x, mean: float, std: float) -> np.ndarray:
    """Return the density of a normal distribution N(mean, std^2) at x.

    Raises:
        ValueError: If `std` is not positive.
    """
    if not std > 0:
        raise ValueError(f"std must be positive, got {std!r}.")
    x = np.asarray(x, dtype="float64")
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2.0 * math.pi))


def mixture_pdf(x, components) -> np.ndarray:
    """Return the density of a mixture of normal distributions at x.

    Args:
        x: Points to evaluate.
        components: Sequence of (weight, mean, std) triples. The weights are
            normalized to sum to 1.

    Raises:
        ValueError: If there are no components or a weight is not positive.
    """
    components = list(components)
    if not components:
        raise ValueError("A mixture needs at least one (weight, mean, std) component.")
    total = sum(weight for weight, _, _ in components)
    if any(not weight > 0 for weight, _, _ in components):
        raise ValueError(f"Mixture weights must be positive, got {[weight for weight, _, _ in components]}.")
    return sum(weight / total * normal_pdf(x, mean, std) for weight, mean, std in components)


def optimal_discriminator(p_data, p_g) -> np.ndarray:
    """Compute the best discriminator for a fixed generator: D*(x) = p_data(x) / (p_data(x) + p_g(x)).

    Where both densities are 0, no sample ever lands, so any score is optimal
    there. This function returns 1/2 at such points, the score of a
    discriminator that cannot tell.

    Args:
        p_data: Density of the real data at each point.
        p_g: Density of the generator's samples at the same points.

    Returns:
        D*(x) at each point, in [0, 1].

    Raises:
        ValueError: If the densities have different shapes or negative values.
    """
    p_data, p_g = _as_density("p_data", p_data), _as_density("p_g", p_g)
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_data and p_g must have the same shape, got {p_data.shape} and {p_g.shape}.")
    total = p_data + p_g
    safe_total = np.where(total > 0, total, 1.0)
    return np.where(total > 0, p_data / safe_total, 0.5)


def value_function(x, p_data, p_g, d) -> float:
    """Compute V(G, D) = integral of p_data(x) log D(x) + p_g(x) log(1 - D(x)) over x.

    This is the value of the minimax game of Goodfellow et al. (2014), written
    as an integral over x after the change of variables x = G(z). A term whose
    density is 0 counts as 0 even where the log is minus infinity.

    Args:
        x: Increasing 1-D grid covering the mass of both densities.
        p_data: Real-data density on the grid.
        p_g: Generator density on the grid.
        d: Discriminator scores D(x) in [0, 1] on the grid.

    Returns:
        V(G, D) in nats. It is at most 0, and -log 4 = -1.3863 when p_g = p_data and D = D*.
    """
    x = np.asarray(x, dtype="float64")
    p_data, p_g, d = _as_density("p_data", p_data), _as_density("p_g", p_g), np.asarray(d, dtype="float64")
    _check_grid(x, p_data, p_g, d)
    if np.any((d < 0) | (d > 1)):
        raise ValueError(f"Discriminator scores must lie in [0, 1], got values from {d.min():.3g} to {d.max():.3g}.")
    # In the far tails D* = p_data / (p_data + p_g) rounds to exactly 0 or 1 while both
    # densities are tiny but positive, and log 0 would make V minus infinity. Flooring
    # D and 1 - D at the smallest normal float keeps those terms at about -708 times
    # their tiny density. NOTE: a D that is exactly 0 or 1 where a density has real
    # mass therefore gives a very negative but finite V, where the exact value is -inf.
    tiny = np.finfo("float64").tiny
    return integrate(xlogy(p_data, np.maximum(d, tiny)) + xlogy(p_g, np.maximum(1.0 - d, tiny)), x)


def value_at_optimum(x, p_data, p_g) -> float:
    """Compute V(G, D*) with D* = p_data / (p_data + p_g) plugged in, written with logs of densities.

    Mathematically this is `value_function(x, p_data, p_g, optimal_discriminator(p_data, p_g))`.
    Writing log D* as log p_data - log(p_data + p_g) keeps it finite in the far
    tails, where D* rounds to exactly 0 or 1 while both densities are tiny.

    Returns:
        V(G, D*) in nats, equal to -log 4 + 2 JSD(p_data || p_g) when both densities integrate to 1.
    """
    x = np.asarray(x, dtype="float64")
    p_data, p_g = _as_density("p_data", p_data), _as_density("p_g", p_g)
    _check_grid(x, p_data, p_g)
    total = p_data + p_g
    return integrate(xlogy(p_data, p_data) + xlogy(p_g, p_g) - xlogy(total, total), x)


def kl_divergence(x, p, q) -> float:
    """Compute the Kullback-Leibler divergence KL(p || q) in nats on the grid x."""
    x = np.asarray(x, dtype="float64")
    p, q = _as_density("p", p), _as_density("q", q)
    _check_grid(x, p, q)
    if np.any((p > 0) & (q == 0)):
        return math.inf
    safe_q = np.where(q > 0, q, 1.0)
    return integrate(xlogy(p, p) - xlogy(p, safe_q), x)


def jensen_shannon(x, p, q) -> float:
    """Compute the Jensen-Shannon divergence JSD(p || q) = KL(p || m)/2 + KL(q || m)/2 with m = (p + q)/2.

    Returns:
        The divergence in nats, between 0 (p = q) and log 2 = 0.6931 (no overlap).
    """
    x = np.asarray(x, dtype="float64")
    p, q = _as_density("p", p), _as_density("q", q)
    _check_grid(x, p, q)
    # Expanding both KL terms with m = (p + q)/2 avoids dividing by m, which
    # underflows to 0 where p or q is a subnormal number in the far tails.
    total = p + q
    divergence = 0.5 * integrate(xlogy(p, p) + xlogy(q, q) - xlogy(total, total) + total * math.log(2.0), x)
    return max(divergence, 0.0)  # Rounding can leave -1e-17 for identical densities.


# ---------------------------------------------------------------------------
# Discriminative vs generative models on two 2-D classes.


class TwoClasses(NamedTuple):
    """Labelled 2-D points: `points` of shape (N, 2) and `labels` of shape (N,) with values 0 and 1."""

    points: np.ndarray
    labels: np.ndarray


def make_two_classes(count: int = 200, seed: int = 0) -> TwoClasses:
    """Draw `count` points per class from two overlapping, tilted 2-D normal distributions."""
    if count < 2:
        raise ValueError(f"count must be at least 2 points per class, got {count!r}.")
    rng = np.random.default_rng(seed)
    class_0 = rng.multivariate_normal([-1.0, -0.5], [[1.0, 0.6], [0.6, 0.8]], size=count)
    class_1 = rng.multivariate_normal([1.5, 1.0], [[0.6, -0.3], [-0.3, 1.0]], size=count)
    points = np.concatenate([class_0, class_1])
    labels = np.concatenate([np.zeros(count, dtype="int64"), np.ones(count, dtype="int64")])
    return TwoClasses(points, labels)


def _gaussian_density_2d(grid_points: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    centered = grid_points - mean
    precision = np.linalg.inv(cov)
    exponent = -0.5 * np.einsum("ni,ij,nj->n", centered, precision, centered)
    return np.exp(exponent) / (2.0 * math.pi * math.sqrt(np.linalg.det(cov)))


def plot_discriminative_vs_generative(data: TwoClasses, weights, bias: float, means, covariances, samples):
    """Draw a classifier's decision boundary next to each class's fitted density and new samples from it.

    Args:
        data: The labelled training points.
        weights: The classifier's two weights w in p(y=1 | x) = sigmoid(w . x + b).
        bias: The classifier's bias b.
        means: Per-class means, shape (2, 2).
        covariances: Per-class covariance matrices, shape (2, 2, 2).
        samples: Per-class new points drawn from the fitted densities, a sequence of two (M, 2) arrays.

    Returns:
        The matplotlib Figure.
    """
    colors = ("tab:blue", "tab:orange")
    low, high = data.points.min(axis=0) - 1.0, data.points.max(axis=0) + 1.0
    xs, ys = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    grid_points = np.column_stack([xs.ravel(), ys.ravel()])
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6), sharex=True, sharey=True)

    probability = 1.0 / (1.0 + np.exp(-(grid_points @ np.asarray(weights) + bias)))
    left.contourf(xs, ys, probability.reshape(xs.shape), levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.35)
    left.contour(xs, ys, probability.reshape(xs.shape), levels=[0.5], colors="black", linewidths=2)
    for label in (0, 1):
        chosen = data.points[data.labels == label]
        left.scatter(chosen[:, 0], chosen[:, 1], s=10, color=colors[label], label=f"class {label}")
    left.set(title="Discriminative: p(y | x) and its decision boundary", xlabel="feature 1", ylabel="feature 2")
    left.legend(loc="upper left", fontsize=8)

    for label in (0, 1):
        density = _gaussian_density_2d(grid_points, np.asarray(means[label]), np.asarray(covariances[label]))
        right.contour(xs, ys, density.reshape(xs.shape), levels=5, colors=colors[label], linewidths=1)
        right.scatter(samples[label][:, 0], samples[label][:, 1], s=14, marker="x", color=colors[label], label=f"new samples, class {label}")
    right.set(title="Generative: p(x | y) for each class, and new samples", xlabel="feature 1")
    right.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------------------
# The two generator losses, and Algorithm 1 on a tiny 1-D problem.


def plot_saturation(scores, losses: dict, gradients: dict):
    """Plot generator losses and their gradients against the discriminator's score D(G(z)).

    Args:
        scores: D(G(z)) values in (0, 1), increasing.
        losses: Loss name -> loss values at `scores`.
        gradients: Loss name -> gradient of the loss with respect to the discriminator's logit.

    Returns:
        The matplotlib Figure.
    """
    figure, (loss_axis, gradient_axis) = plt.subplots(1, 2, figsize=(11, 4))
    for name, values in losses.items():
        loss_axis.plot(scores, values, label=name)
    loss_axis.set(title="Generator losses", xlabel="D(G(z)): the discriminator's score on a fake", ylabel="loss")
    loss_axis.legend(fontsize=8)
    for name, values in gradients.items():
        gradient_axis.plot(scores, np.abs(values), label=name)
    gradient_axis.set(
        title="Gradient size reaching the generator",
        xlabel="D(G(z)): the discriminator's score on a fake",
        ylabel="|d loss / d logit|",
        ylim=(0, 1.05),
    )
    gradient_axis.axvspan(0, 0.1, color="gray", alpha=0.15, label="early training: D rejects fakes")
    gradient_axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


# The tiny problem: real data N(REAL_MEAN, REAL_STD^2) in one dimension.
REAL_MEAN = 3.0
REAL_STD = 0.5


def build_tiny_players(hidden: int = 16):
    """Build a 1-D generator G(z) = a*z + b and a small discriminator with one hidden layer.

    The generator is one Dense unit, so its parameters phi are just a scale a
    and a shift b, and G(z) with z ~ N(0, 1) is N(b, a^2): it can match the real
    data exactly with a = REAL_STD and b = REAL_MEAN.

    Returns:
        The (generator, discriminator) pair of uncompiled Keras models.
    """
    import keras

    if not isinstance(hidden, int) or hidden < 1:
        raise ValueError(f"hidden must be a positive number of units, got {hidden!r}. Try 16.")
    generator = keras.Sequential([keras.Input(shape=(1,), name="z"), keras.layers.Dense(1, name="scale_and_shift")], name="tiny_generator")
    discriminator = keras.Sequential(
        [
            keras.Input(shape=(1,), name="x"),
            keras.layers.Dense(hidden, activation="tanh", name="hidden"),
            keras.layers.Dense(1, name="logit"),
        ],
        name="tiny_discriminator",
    )
    return generator, discriminator


class TinyRun(NamedTuple):
    """The record of one `train_tiny_gan` run.

    Attributes:
        k: Discriminator steps per generator step.
        iterations: Generator steps taken.
        checkpoints: Iteration counts at which the rows below were recorded.
        generated_mean: Mean of 1,000 generated samples at each checkpoint.
        generated_std: Standard deviation of those samples at each checkpoint.
        jsd: JSD (nats) between the real density and N(generated_mean, generated_std^2).
        x: Grid for the final curves.
        final_d: The discriminator's D(x) on the grid after training.
        final_samples: 1,000 generated samples after training.
        seconds: Wall-clock training time.
    """

    k: int
    iterations: int
    checkpoints: np.ndarray
    generated_mean: np.ndarray
    generated_std: np.ndarray
    jsd: np.ndarray
    x: np.ndarray
    final_d: np.ndarray
    final_samples: np.ndarray
    seconds: float


def tiny_grid() -> np.ndarray:
    """Return the x grid on which the tiny problem's densities are compared."""
    return np.linspace(-4.0, 7.0, 1101)


def train_tiny_gan(k: int = 1, iterations: int = 300, m: int = 64, record_every: int = 25, seed: int = 0, learning_rate: float = 0.02) -> TinyRun:
    """Run Algorithm 1 with `gan_helpers.training.GAN` on 1-D data, k discriminator steps per generator step.

    The real data is N(REAL_MEAN, REAL_STD^2). Each training batch contains k*m
    real samples, which `GAN.train_step` splits into k minibatches of m, so
    one batch is one iteration of Algorithm 1. The generator starts as
    G(z) = z + 0 or close to it, far from the data.

    Args:
        k: Discriminator steps per generator step (the paper used k = 1).
        iterations: Generator steps, one per batch.
        m: Minibatch size.
        record_every: Iterations between measurements of the generator.
        seed: Seed for weights, data and noise.
        learning_rate: Adam learning rate for both players. It is higher than
            the DCGAN's 2e-4 because these models have a handful of parameters.

    Returns:
        A `TinyRun` with the generator's progress and the final curves.

    Raises:
        ValueError: If a setting is not a positive integer.
    """
    import time

    import keras

    from gan_helpers import data, training

    for name, value in (("k", k), ("iterations", iterations), ("m", m), ("record_every", record_every)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    real = rng.normal(REAL_MEAN, REAL_STD, size=(k * m * 20, 1)).astype("float32")
    dataset = data.make_dataset(real, batch_size=k * m, seed=seed).repeat()

    generator, discriminator = build_tiny_players()
    gan = training.GAN(generator, discriminator, d_steps=int(k), seed=seed)
    gan.compile(*training.make_optimizers(learning_rate))

    x = tiny_grid()
    p_data = normal_pdf(x, REAL_MEAN, REAL_STD)
    z = rng.normal(size=(1000, 1)).astype("float32")
    checkpoints, means, stds, divergences = [], [], [], []

    def record(iteration: int) -> None:
        samples = np.asarray(generator(z, training=False))[:, 0]
        mean, std = float(samples.mean()), float(samples.std())
        checkpoints.append(iteration)
        means.append(mean)
        stds.append(std)
        # A spread below three grid steps cannot be integrated on the grid, so it is measured as that floor.
        p_g = normal_pdf(x, mean, max(std, 3 * (x[1] - x[0])))
        divergences.append(jensen_shannon(x, p_data, p_g / integrate(p_g, x)))

    record(0)
    started = time.perf_counter()
    done = 0
    while done < iterations:
        steps = min(record_every, iterations - done)
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
        done += steps
        record(done)
    seconds = time.perf_counter() - started

    logits = np.asarray(discriminator(x[:, None].astype("float32"), training=False))[:, 0]
    final_d = 1.0 / (1.0 + np.exp(-logits))
    final_samples = np.asarray(generator(z, training=False))[:, 0]
    return TinyRun(int(k), int(iterations), np.array(checkpoints), np.array(means), np.array(stds), np.array(divergences), x, final_d, final_samples, seconds)


def plot_tiny_gans(runs) -> plt.Figure:
    """Compare `train_tiny_gan` runs: the JSD over iterations, and each run's final densities and D(x).

    Returns:
        The matplotlib Figure.
    """
    runs = list(runs)
    if not runs:
        raise ValueError("Pass at least one TinyRun from train_tiny_gan.")
    figure, axes = plt.subplots(1, len(runs) + 1, figsize=(4.2 * (len(runs) + 1), 3.8))
    for run in runs:
        axes[0].plot(run.checkpoints, run.jsd, marker=".", label=f"k = {run.k}")
    axes[0].set(title="Distance to the real data", xlabel="generator steps (iterations)", ylabel="JSD(p_data || p_g), nats")
    axes[0].legend(fontsize=8)
    for axis, run in zip(axes[1:], runs):
        p_data = normal_pdf(run.x, REAL_MEAN, REAL_STD)
        axis.plot(run.x, p_data, color="black", label="p_data")
        axis.hist(run.final_samples, bins=40, density=True, alpha=0.5, color="tab:orange", label="G(z) samples")
        axis.set(title=f"k = {run.k} after {run.iterations} iterations", xlabel="x", ylabel="density")
        score_axis = axis.twinx()
        score_axis.plot(run.x, run.final_d, color="tab:green", label="D(x)")
        score_axis.axhline(0.5, color="gray", linestyle=":")
        score_axis.set(ylim=(0, 1), ylabel="D(x)")
        axis.set_xlim(0, 6)
        handles = axis.get_legend_handles_labels()
        score_handles = score_axis.get_legend_handles_labels()
        axis.legend(handles[0] + score_handles[0], handles[1] + score_handles[1], fontsize=8, loc="upper left")
    figure.tight_layout()
    return figure
