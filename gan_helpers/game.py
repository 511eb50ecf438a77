"""Mary the counterfeiter against John the investigator: the story and the game.

Two parts, both for the first notebook:

- The story on real data. `StorySnapshots` is a `fit()` callback that, at
  chosen training steps, keeps the generator's samples for a fixed batch of
  latent vectors together with the discriminator's score D(x) on each of them
  and on a batch of real digits. `record_story` trains the workshop DCGAN on
  MNIST with it and saves the result; `load_story` reads it back.
  `python -m gan_helpers.game` records into `outputs/`; pass
  `--out gan_helpers/assets/story_snapshots.npz` to replace the shipped file.
- "Be the counterfeiter", a 1-D game. The real data is a fixed distribution,
  the learner sets the mean and spread of a normal counterfeit distribution,
  and the discriminator scores every point with the exact optimum
  D*(x) = p_data(x) / (p_data(x) + p_g(x)). The learner wins when D*(x) = 1/2
  everywhere, where V(G, D*) reaches its minimum -log 4.
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass
from typing import NamedTuple

import keras
import matplotlib.pyplot as plt
import numpy as np

from gan_helpers.cli import HelpFormatter
from gan_helpers.theory import LOG_4, jensen_shannon, mixture_pdf, normal_pdf, optimal_discriminator, value_at_optimum

ASSET_DIR = os.path.join(os.path.dirname(__file__), "assets")
STORY_PATH = os.path.join(ASSET_DIR, "story_snapshots.npz")
# Training steps at which the shipped story was recorded (64 digits per step).
STORY_STEPS = (1, 25, 50, 100, 200, 400, 800, 1200, 1600, 2000, 2400)

# ---------------------------------------------------------------------------
# The story on real MNIST data.


def score_images(discriminator, images) -> np.ndarray:
    """Return D(x) = sigmoid(logit) for a batch, scored the way the training step scores it.

    `GAN.train_step` calls the discriminator with `training=True`, so batch
    normalization uses the statistics of the batch itself. A stateless call
    does the same without updating the moving averages, so scoring leaves
    the discriminator unchanged.
    """
    import tensorflow as tf

    logits, _ = discriminator.stateless_call(
        [v.value for v in discriminator.trainable_variables],
        [v.value for v in discriminator.non_trainable_variables],
        tf.convert_to_tensor(images, dtype="float32"),
        training=True,
    )
    return np.asarray(tf.sigmoid(logits))[:, 0]


class Story(NamedTuple):
    """Snapshots of one training run: what the generator drew and what the discriminator thought.

    Attributes:
        steps: Training steps of the snapshots, shape (S,).
        fake_images: Generated digits as uint8 pixels, shape (S, N, 28, 28), same z at every step.
        fake_scores: D(x) on each generated digit, shape (S, N).
        real_scores: D(x) on a fixed batch of real digits, shape (S, N).
        source: Where the training digits came from.
        batch_size: Real digits per training step.
        seconds: Wall-clock training time of the recording.
    """

    steps: np.ndarray
    fake_images: np.ndarray
    fake_scores: np.ndarray
    real_scores: np.ndarray
    source: str
    batch_size: int
    seconds: float

    def index(self, step: int) -> int:
        """Return the position of a recorded training step.

        Raises:
            ValueError: If no snapshot was taken at that step.
        """
        matches = np.flatnonzero(self.steps == step)
        if len(matches) == 0:
            raise ValueError(f"No snapshot at step {step}. Recorded steps: {', '.join(map(str, self.steps))}.")
        return int(matches[0])


class StorySnapshots(keras.callbacks.Callback):
    """Record generated digits and the discriminator's scores at chosen training steps, then stop.

    Args:
        steps: Training steps (counted from 1 over the whole `fit`) to record at.
        latent_vectors: Fixed z batch of shape (N, latent_dim), reused at every snapshot.
        real_images: Fixed batch of N real images in [-1, 1] to score at every snapshot.
        stop_at_last: Stop training after the last step in `steps`.
    """

    def __init__(self, steps, latent_vectors, real_images, stop_at_last: bool = True):
        super().__init__()
        steps = sorted(set(int(step) for step in steps))
        if not steps or steps[0] < 1:
            raise ValueError(f"steps must be training steps counted from 1, got {steps!r}.")
        self.steps = steps
        self.latent_vectors = np.asarray(latent_vectors, dtype="float32")
        self.real_images = np.asarray(real_images, dtype="float32")
        if len(self.latent_vectors) != len(self.real_images):
            raise ValueError(
                f"Pass as many real images ({len(self.real_images)}) as latent vectors ({len(self.latent_vectors)}), "
                "so both batches are scored with batch statistics of the same size."
            )
        self.stop_at_last = stop_at_last
        self.step = 0
        self.records: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step in self.steps:
            self.records.append(self.snapshot())
        if self.stop_at_last and self.step >= self.steps[-1]:
            self.model.stop_training = True

    def snapshot(self) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """Return (step, uint8 generated digits, their scores, scores on the real batch) now."""
        from gan_helpers.data import to_pixel_range

        fakes = np.asarray(self.model.generator(self.latent_vectors, training=False))
        discriminator = self.model.discriminator
        return self.step, to_pixel_range(fakes)[..., 0], score_images(discriminator, fakes), score_images(discriminator, self.real_images)

    def story(self, source: str, batch_size: int, seconds: float) -> Story:
        """Stack the snapshots taken so far into a `Story`.

        Raises:
            RuntimeError: If no snapshot was taken.
        """
        if not self.records:
            raise RuntimeError(f"No snapshot yet: training stopped before step {self.steps[0]}.")
        steps, images, fake_scores, real_scores = zip(*self.records)
        return Story(np.array(steps), np.stack(images), np.stack(fake_scores), np.stack(real_scores), source, batch_size, seconds)


# Adam learning rate of the shipped story recording, the DCGAN paper's 2e-4.
STORY_LEARNING_RATE = 2e-4


def record_story(path: str, steps=STORY_STEPS, batch_size: int = 64, count: int = 64, seed: int = 0, max_images: int | None = None) -> Story:
    """Train the workshop DCGAN on real MNIST and save its story snapshots to an .npz file.

    The shipped file was recorded with the "workshop" preset, batch size 64,
    Adam 2e-4 with beta_1 0.5 (the DCGAN paper's settings), k = 1, the
    non-saturating generator loss and seed 0. The learning rate is fixed here,
    so the recording stays reproducible when the trainer's defaults change.

    Args:
        path: File to write. The shipped file is `STORY_PATH`.
        steps: Training steps to record at; training stops after the last.
        batch_size: Real digits per training step.
        count: Generated and real digits scored at each snapshot.
        seed: Seed for weights, noise and shuffling.
        max_images: Train on at most this many digits (default: all).

    Returns:
        The recorded `Story`.
    """
    import time

    from gan_helpers import callbacks, data, models, training

    keras.utils.set_random_seed(seed)
    digits = data.load_mnist("train", limit=max_images, seed=seed)
    dataset = data.make_dataset(digits.images, batch_size, seed=seed)
    sizes = models.preset("workshop")
    generator = models.build_generator(**sizes)
    discriminator = models.build_discriminator(sizes["width"], sizes["kernel_size"])
    gan = training.GAN(generator, discriminator, seed=seed)
    gan.compile(*training.make_optimizers(STORY_LEARNING_RATE))

    steps_per_epoch = len(digits.images) // batch_size
    epochs = math.ceil(max(steps) / steps_per_epoch)
    latent_vectors = keras.random.normal((count, sizes["latent_dim"]), seed=seed)
    # John's verdict on the original: a fixed batch of the real training digits.
    real_images = digits.images[:count]
    snapshots = StorySnapshots(steps, latent_vectors, real_images)
    started = time.perf_counter()
    gan.fit(dataset, epochs=epochs, verbose=0, callbacks=[snapshots, callbacks.TrainingProgress(bar=False)])
    story = snapshots.story(digits.source, batch_size, time.perf_counter() - started)
    save_story(story, path)
    return story


def save_story(story: Story, path: str) -> str:
    """Write a `Story` to a compressed .npz file and return the path."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    np.savez_compressed(path, **{name: np.asarray(value) for name, value in story._asdict().items()})
    return path


def load_story(path: str = STORY_PATH) -> Story:
    """Read a `Story` written by `record_story` (by default the one shipped with the package).

    Raises:
        FileNotFoundError: If the file is missing, with the command that recreates it.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"No story file at {path}. Record one with: python -m gan_helpers.game --out {path}")
    with np.load(path) as stored:
        return Story(
            stored["steps"],
            stored["fake_images"],
            stored["fake_scores"],
            stored["real_scores"],
            str(stored["source"]),
            int(stored["batch_size"]),
            float(stored["seconds"]),
        )


def plot_story_sketches(story: Story, steps, captions, count: int = 8):
    """Show `count` generated digits at each chosen step, each titled with John's verdict D(x).

    Args:
        story: The recorded snapshots.
        steps: Training steps to show, one row each.
        captions: One line of story per row.
        count: Digits per row.

    Returns:
        The matplotlib Figure.
    """
    steps, captions = list(steps), list(captions)
    if len(steps) != len(captions):
        raise ValueError(f"Pass one caption per step: got {len(steps)} steps and {len(captions)} captions.")
    figure = plt.figure(figsize=(1.15 * count, 1.75 * len(steps)), layout="constrained")
    figure.suptitle("Mary's sketches (generated digits) and John's verdicts D(x): red = judged fake, green = judged real", fontsize=11)
    for row_figure, step, caption in zip(figure.subfigures(len(steps), 1), steps, captions):
        position = story.index(step)
        row_figure.suptitle(f"Step {step}: {caption}", fontsize=10, x=0.02, ha="left")
        for column, axis in enumerate(row_figure.subplots(1, count)):
            score = story.fake_scores[position, column]
            axis.imshow(story.fake_images[position, column], cmap="gray", vmin=0, vmax=255)
            axis.set_title(f"D={score:.2f}", fontsize=9, color="tab:green" if score > 0.5 else "tab:red")
            axis.axis("off")
    return figure


def plot_story_scores(story: Story, highlight=()):
    """Plot John's mean verdict on real and on generated digits over training, marking `highlight` steps.

    Returns:
        The matplotlib Figure.
    """
    figure, axis = plt.subplots(figsize=(8, 3.6))
    axis.plot(story.steps, story.real_scores.mean(axis=1), marker="o", label="mean D(x) on real digits")
    axis.plot(story.steps, story.fake_scores.mean(axis=1), marker="o", label="mean D(x) on generated digits")
    axis.axhline(0.5, color="gray", linestyle=":", label="1/2: John cannot tell")
    for number, step in enumerate(highlight):
        axis.axvline(step, color="black", alpha=0.2, label="steps shown as the story's sketches" if number == 0 else None)
    axis.set_xscale("log")
    axis.set(title="John's verdicts during training", xlabel="training step (log scale)", ylabel="mean score D(x)", ylim=(0, 1))
    axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------------------
# "Be the counterfeiter": the 1-D game against the optimal discriminator.

# The real data of the game, as (weight, mean, std) components. One component
# means the learner can match it exactly with the two sliders.
REAL_DATA = ((1.0, 2.0, 0.8),)
# A harder level: two bumps, which one normal counterfeit cannot match.
TWO_BUMPS = ((0.5, -1.0, 0.6), (0.5, 2.5, 0.6))
# The learner wins when |D*(x) - 1/2| stays below this on the whole plotted grid.
WIN_TOLERANCE = 0.01


@dataclass(frozen=True)
class Round:
    """The discriminator's answer to one counterfeit distribution N(mean, std^2).

    Attributes:
        mean: Mean of the counterfeit distribution.
        std: Standard deviation of the counterfeit distribution.
        x: Grid of points the densities are evaluated on.
        p_data: Real-data density on the grid.
        p_g: Counterfeit density on the grid.
        d_star: The optimal discriminator's score on the grid.
        value: V(G, D*) in nats.
        jsd: JSD(p_data || p_g) in nats.
        max_gap: The largest |D*(x) - 1/2| on the plotted grid.
        won: True when max_gap is below the win tolerance.
    """

    mean: float
    std: float
    x: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    d_star: np.ndarray
    value: float
    jsd: float
    max_gap: float
    won: bool

    def message(self) -> str:
        """Describe the round in one line for the learner."""
        numbers = f"V(G, D*) = {self.value:.4f} · JSD = {self.jsd:.4f} nats · max |D(x) - 1/2| = {self.max_gap:.3f}"
        if self.won:
            return f"You win: John says 1/2 everywhere, he cannot tell. {numbers}; -log 4 = {-LOG_4:.4f}."
        return f"John can still tell where the fakes are. {numbers}."


class CounterfeiterGame:
    """The 1-D "Be the counterfeiter" game: move a normal distribution until D*(x) = 1/2 everywhere.

    Args:
        real: The real data as (weight, mean, std) components of a normal mixture.
        x_range: The plotted part of the x axis; it must hold almost all of the real mass.
        points: Grid points used for the densities and integrals.
        tolerance: Win when |D*(x) - 1/2| stays below this everywhere on the grid.
    """

    def __init__(self, real=REAL_DATA, x_range: tuple[float, float] = (-5.0, 6.0), points: int = 1101, tolerance: float = WIN_TOLERANCE):
        low, high = x_range
        if not low < high:
            raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}.")
        if points < 101:
            raise ValueError(f"points must be at least 101 for accurate integrals, got {points!r}.")
        self.real = tuple(tuple(float(v) for v in component) for component in real)
        self.x = np.linspace(low, high, points)
        self.p_data = mixture_pdf(self.x, self.real)
        # V and the JSD integrate over a wider grid than the plot, so a wide
        # counterfeit loses no mass off the edges of the picture.
        self._x_integral = np.linspace(low - 20.0, high + 20.0, 20 * points)
        self._p_data_integral = mixture_pdf(self._x_integral, self.real)
        self.tolerance = tolerance
        self.rounds: list[Round] = []

    def play_round(self, mean: float, std: float) -> Round:
        """Score the counterfeit distribution N(mean, std^2) against the optimal discriminator.

        Raises:
            ValueError: If `std` is not positive.
        """
        if not std > 0:
            raise ValueError(f"The counterfeit spread std must be positive, got {std!r}. Move the spread slider above 0.")
        p_g = normal_pdf(self.x, mean, std)
        d_star = optimal_discriminator(self.p_data, p_g)
        max_gap = float(np.max(np.abs(d_star - 0.5)))
        x_wide, p_data_wide = self._x_integral, self._p_data_integral
        p_g_wide = normal_pdf(x_wide, mean, std)
        result = Round(
            mean=float(mean),
            std=float(std),
            x=self.x,
            p_data=self.p_data,
            p_g=p_g,
            d_star=d_star,
            value=value_at_optimum(x_wide, p_data_wide, p_g_wide),
            jsd=jensen_shannon(x_wide, p_data_wide, p_g_wide),
            max_gap=max_gap,
            won=max_gap < self.tolerance,
        )
        self.rounds.append(result)
        return result

    def draw(self, result: Round):
        """Draw both densities and D*(x) for one round. Returns the matplotlib Figure."""
        figure, (density_axis, score_axis) = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True, height_ratios=(3, 2))
        density_axis.fill_between(result.x, result.p_data, color="tab:blue", alpha=0.3, label="p_data: real")
        density_axis.plot(result.x, result.p_g, color="tab:orange", linewidth=2, label=f"p_g: your fakes N({result.mean:.1f}, {result.std:.2f}²)")
        density_axis.set(ylabel="density", title=f"V(G, D*) = {result.value:.4f}   (best possible: -log 4 = {-LOG_4:.4f})")
        density_axis.set_ylim(0, max(1.1 * float(np.max(result.p_data)), min(1.1 * float(np.max(result.p_g)), 2.0)))
        density_axis.legend(fontsize=8, loc="upper left")
        score_axis.plot(result.x, result.d_star, color="tab:green", linewidth=2)
        score_axis.axhline(0.5, color="gray", linestyle=":")
        score_axis.set(xlabel="x", ylabel="D*(x)", ylim=(-0.05, 1.05))
        score_axis.set_title("John's answer D*(x) = p_data / (p_data + p_g); dotted: 1/2, he cannot tell", fontsize=9)
        verdict = "you win!" if result.won else "keep going"
        figure.suptitle(f"Be the counterfeiter: {verdict}", fontsize=12)
        figure.tight_layout()
        return figure

    def play(self, mean: float = -2.0, std: float = 2.0):
        """Build the game widget: two sliders, a one-line verdict and one image updated in place.

        Every slider move redraws the same `ipywidgets.Image`, so twenty moves
        leave one plot. It uses plain ipywidgets and matplotlib PNGs, so it
        runs in JupyterLab 4 and Colab without ipympl.

        Returns:
            The `ipywidgets.VBox` to display.
        """
        import ipywidgets as widgets

        from gan_helpers.plotting import figure_to_png

        mean_slider = widgets.FloatSlider(value=mean, min=-4.0, max=4.0, step=0.1, description="mean", continuous_update=False, readout_format=".1f")
        std_slider = widgets.FloatSlider(value=std, min=0.2, max=3.0, step=0.05, description="spread", continuous_update=False, readout_format=".2f")
        verdict = widgets.HTML()
        image = widgets.Image(format="png")

        def redraw(_change=None):
            result = self.play_round(mean_slider.value, std_slider.value)
            image.value = figure_to_png(self.draw(result), dpi=72)
            color = "green" if result.won else "black"
            verdict.value = f"<span style='color:{color}'>{result.message()}</span>"

        # CSS classes let browser tests and custom styles find the game's parts.
        for part in (mean_slider, std_slider):
            part.add_class("counterfeiter-slider")
        image.add_class("counterfeiter-plot")
        verdict.add_class("counterfeiter-verdict")
        mean_slider.observe(redraw, names="value")
        std_slider.observe(redraw, names="value")
        redraw()
        return widgets.VBox([widgets.HBox([mean_slider, std_slider]), verdict, image])


def main(argv: list[str] | None = None) -> int:
    """Record the story snapshots from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m gan_helpers.game",
        description="Train the workshop DCGAN on real MNIST and record the generator's digits and the discriminator's scores at fixed steps.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--out", default=os.path.join("outputs", "story_snapshots.npz"),
        help="the .npz file to write, relative to the current folder (the shipped file is gan_helpers/assets/story_snapshots.npz)",
    )
    parser.add_argument("--steps", default=",".join(map(str, STORY_STEPS)), help="comma-separated training steps to record at")
    parser.add_argument("--seed", type=int, default=0, help="random seed for weights, noise and shuffling")
    args = parser.parse_args(argv)
    try:
        steps = [int(step) for step in args.steps.split(",")]
    except ValueError:
        parser.error(f"--steps must be comma-separated integers such as 1,50,400, got {args.steps!r}")
    story = record_story(args.out, steps=steps, seed=args.seed)
    print(f"Recorded {len(story.steps)} snapshots in {story.seconds:.0f} s from {story.source}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
