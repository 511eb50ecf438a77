"""A live dashboard that trains a toy GAN in the notebook, in the spirit of GAN Lab.

`ToyGANLab` shows play, pause and step buttons, controls for k, both learning
rates and the generator loss, and one figure that is redrawn in place. The
figure shows real and generated samples, the discriminator's D(x) over the
plane, arrows for the gradient that moves each generated sample, the loss and
score curves, and the mode coverage. Each iteration is one `GAN.train_step`
(Algorithm 1).

The figure is rendered to PNG bytes into an `ipywidgets.Image`, so it needs
no ipympl and never stacks outputs.
"""

from __future__ import annotations

import io
import threading
import time

import IPython.display
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import tensorflow as tf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gan_helpers.losses import GENERATOR_LOSSES, generator_loss
from gan_helpers.toy import ModeCoverage, ToyDistribution, distribution_coverage, make_toy_gan, train_toy_gan
from gan_helpers.training import GAN

REAL_COLOR = "#1b7837"
FAKE_COLOR = "#762a83"
ARROW_COLOR = "black"
# Arrows are drawn ARROW_SCALE data units long per unit of gradient, capped at
# MAX_ARROW_LENGTH so one steep spot does not cover the plot. A fixed scale,
# unlike one fitted to each frame, keeps small minimax gradients visibly small.
ARROW_SCALE = 0.5
MAX_ARROW_LENGTH = 0.5
LOSS_LABELS = {"non_saturating": "non-saturating", "minimax": "minimax"}


class _Probe:
    """Computes what the plots show: G(z), D(x) on a grid, and the gradient that moves each G(z)."""

    def __init__(self, gan: GAN):
        self.gan = gan
        self._functions = {}

    def __call__(self, z, grid, kind: str):
        # One traced function per generator loss, because the loss is Python control flow.
        if kind not in self._functions:
            self._functions[kind] = tf.function(lambda z, grid: self._probe(z, grid, kind))
        generated, scores, pushes = self._functions[kind](z, grid)
        return generated.numpy(), scores.numpy(), pushes.numpy()

    def _probe(self, z, grid, kind):
        generated = self.gan.generator(z, training=False)
        scores = tf.sigmoid(self.gan.discriminator(grid, training=False))[:, 0]
        with tf.GradientTape() as tape:
            tape.watch(generated)
            logits = self.gan.discriminator(generated, training=False)
            # generator_loss averages over the batch; the sum gives each sample its own full gradient.
            loss = generator_loss(logits, kind) * tf.cast(tf.shape(z)[0], logits.dtype)
        # Gradient descent moves each generated point along minus the gradient of the generator loss.
        return generated, scores, -tape.gradient(loss, generated)


def _arrow_vectors(pushes: np.ndarray) -> np.ndarray:
    vectors = ARROW_SCALE * pushes
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors * np.minimum(1.0, MAX_ARROW_LENGTH / np.maximum(lengths, 1e-12))


class _PlanePanel:
    """The data panel: D(x) heatmap (2-D) or curve (1-D), real and generated samples, gradient arrows.

    `animated` lists the artists that change between frames, in drawing
    order, for a dashboard that redraws only those over a saved background.
    """

    def __init__(self, axis, distribution: ToyDistribution, real: np.ndarray, grid_size: int, arrow_count: int, colorbar: bool = True):
        self.axis = axis
        self.dim = distribution.dim
        low, high = distribution.bounds
        self.arrow_count = arrow_count
        ticks = np.linspace(low, high, grid_size, dtype="float32")
        arrow_style = dict(angles="xy", scale_units="xy", scale=1, width=0.004, color=ARROW_COLOR, label="gradient step on G(z)")
        if self.dim == 2:
            xs, ys = np.meshgrid(ticks, ticks)
            self.grid = np.stack([xs.ravel(), ys.ravel()], axis=1)
            self.heat = axis.imshow(
                np.zeros((grid_size, grid_size)), extent=(low, high, low, high), origin="lower",
                cmap="PiYG", vmin=0, vmax=1, alpha=0.75, interpolation="bilinear",
            )
            if colorbar:
                axis.figure.colorbar(self.heat, ax=axis, fraction=0.046, pad=0.03, label="D(x), the score for 'real'")
            real_points = axis.scatter(real[:, 0], real[:, 1], s=4, color=REAL_COLOR, label="real samples")
            self.fake = axis.scatter([], [], s=4, color=FAKE_COLOR, label="generated samples G(z)")
            self.arrows = axis.quiver(*np.zeros((4, arrow_count)), **arrow_style)
            axis.set(xlim=(low, high), ylim=(low, high), xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
            self.animated = [self.heat, real_points, self.fake, self.arrows]
        else:
            self.grid = ticks[:, None]
            self.bins = np.linspace(low, high, 41)
            centres = (self.bins[:-1] + self.bins[1:]) / 2
            real_density, _ = np.histogram(real[:, 0], self.bins, density=True)
            axis.step(centres, real_density, where="mid", color=REAL_COLOR, label="real samples (histogram)")
            (self.fake_line,) = axis.step(centres, np.zeros_like(centres), where="mid", color=FAKE_COLOR, label="generated samples (histogram)")
            (self.score_line,) = axis.plot(ticks, np.zeros_like(ticks), color="black", label="D(x), scaled to the top")
            self.arrows = axis.quiver(*np.zeros((4, arrow_count)), **arrow_style)
            self.density_top = max(1.0, 1.2 * float(real_density.max()))
            axis.set(xlim=(low, high), ylim=(0, self.density_top), xlabel="x", ylabel="density")
            self.animated = [self.fake_line, self.score_line, self.arrows]

    def update(self, generated: np.ndarray, scores: np.ndarray, pushes: np.ndarray) -> None:
        arrow_count = self.arrow_count
        vectors = _arrow_vectors(pushes[:arrow_count])
        if self.dim == 2:
            side = int(round(np.sqrt(len(scores))))
            self.heat.set_data(scores.reshape(side, side))
            self.fake.set_offsets(generated)
            starts = generated[:arrow_count]
        else:
            density, _ = np.histogram(generated[:, 0], self.bins, density=True)
            self.fake_line.set_ydata(density)
            self.score_line.set_ydata(scores * self.density_top)
            # 1-D arrows sit at a fixed small height, pointing left or right.
            starts = np.column_stack([generated[:arrow_count, 0], np.full(arrow_count, 0.05 * self.density_top)])
            vectors = np.column_stack([vectors[:, 0], np.zeros(len(vectors))])
        self.arrows.set_offsets(starts)
        self.arrows.set_UVC(vectors[:, 0], vectors[:, 1])


def _legend_below(axis, columns: int = 2) -> None:
    # Below the axes, so the lines and points redrawn each frame never cover it.
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=columns, fontsize=7, markerscale=2, frameon=False)


def _format_point(values: np.ndarray) -> str:
    return f"{values[0]:.2f}" if len(values) == 1 else "(" + ", ".join(f"{v:.2f}" for v in values) + ")"


def _panel_title(name: str, distribution: ToyDistribution, generated: np.ndarray, real: np.ndarray) -> str:
    """Title a data panel with the mode coverage, or for data without modes the sample mean and spread."""
    coverage = distribution_coverage(distribution, generated)
    if coverage is not None:
        return f"{name}\n{coverage}"
    return (
        f"{name}\nmean, std of G(z): {_format_point(generated.mean(axis=0))}, {generated.std(axis=0).mean():.2f}"
        f" · real: {_format_point(real.mean(axis=0))}, {real.std(axis=0).mean():.2f}"
    )


class ToyGANLab:
    """A live dashboard that trains a GAN on 1-D or 2-D toy data.

    Display it as the last expression of a cell. Play trains in a background
    thread, so the buttons keep working, and stops by itself after
    `max_play_iterations` iterations. `run` trains in the foreground for a
    bounded number of iterations and redraws as it goes. All controls are
    public widgets, so code can set them as a learner would.

    Args:
        distribution: The real data, e.g. `gan_helpers.toy.ring()`.
        gan: A compiled `GAN` for this data. By default `make_toy_gan` builds
            one with the `gan_settings`.
        batch_size: m, the points per minibatch.
        iterations_per_frame: Training iterations between two redraws.
        max_play_iterations: Iterations after which one press of play stops by itself.
        sample_count: Generated and real points drawn. The generated ones
            always come from the same noise z, so the plot shows G changing.
        grid_size: Heatmap resolution per axis.
        arrow_count: Generated points that get a gradient arrow.
        seed: Seeds the real samples, the plotted noise and the default GAN.
        dpi: Resolution of the rendered figure.
        **gan_settings: Passed on to `make_toy_gan` (latent_dim, width, depth,
            d_steps, generator_loss, d_learning_rate, g_learning_rate).
    """

    def __init__(
        self,
        distribution: ToyDistribution,
        gan: GAN | None = None,
        *,
        batch_size: int = 128,
        iterations_per_frame: int = 10,
        max_play_iterations: int = 3000,
        sample_count: int = 512,
        grid_size: int = 40,
        arrow_count: int = 64,
        seed: int = 0,
        dpi: int = 72,
        **gan_settings,
    ):
        if not isinstance(distribution, ToyDistribution):
            raise TypeError(
                f"distribution must be a ToyDistribution, got {type(distribution).__name__}. "
                "Make one with gan_helpers.toy, e.g. toy.ring() or toy.from_points(array)."
            )
        if gan is None:
            gan = make_toy_gan(data_dim=distribution.dim, seed=seed, **gan_settings)
        elif gan_settings:
            raise ValueError(f"Pass either a gan or GAN settings, not both; got settings {sorted(gan_settings)}.")
        if gan.image_shape != (distribution.dim,):
            raise ValueError(
                f"The GAN works on points of shape {gan.image_shape} but the {distribution.name} data is {distribution.dim}-D. "
                f"Build the GAN with make_toy_gan(data_dim={distribution.dim})."
            )
        for name, value in [("iterations_per_frame", iterations_per_frame), ("max_play_iterations", max_play_iterations)]:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}.")
        if not isinstance(arrow_count, int) or not 0 <= arrow_count <= sample_count:
            raise ValueError(f"arrow_count must be an integer from 0 to sample_count={sample_count}, got {arrow_count!r}.")

        self.gan = gan
        self.distribution = distribution
        self.batch_size = batch_size
        self.max_play_iterations = max_play_iterations
        self.arrow_count = arrow_count
        self.dpi = dpi
        self.seed = seed

        self._rng = np.random.default_rng(seed)
        self._z = np.random.default_rng(seed + 1).standard_normal((sample_count, gan.latent_dim)).astype("float32")
        self._real = distribution.sample(sample_count, seed + 2)
        self._probe = _Probe(gan)
        self._train_functions = {}
        self._initial_state = [v.numpy() for v in self._state_variables()]
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.play_error: BaseException | None = None

        self._clear_history()
        self._build_widgets(iterations_per_frame)
        self._build_figure(grid_size)
        self.redraw()

    # ----- state -----

    def _state_variables(self):
        gan = self.gan
        return [
            *gan.generator.weights, *gan.discriminator.weights,
            *gan.d_optimizer.variables, *gan.g_optimizer.variables, gan.noise_seed.state,
        ]

    def _clear_history(self) -> None:
        self.iteration = 0
        self.history: dict[str, list[float]] = {"d_loss": [], "g_loss": [], "D(real)": [], "D(fake)": [], "k": []}
        self.coverage_history: list[tuple[int, ModeCoverage]] = []
        self.coverage: ModeCoverage | None = None
        self.redraw_seconds: list[float] = []
        self.redraw_times: list[float] = []

    # ----- widgets -----

    def _build_widgets(self, iterations_per_frame: int) -> None:
        gan = self.gan
        self.play_button = widgets.Button(description="Play", icon="play", tooltip="Train until paused, or for max_play_iterations")
        self.pause_button = widgets.Button(description="Pause", icon="pause", disabled=True)
        self.step_button = widgets.Button(description="Step", icon="step-forward", tooltip="Run one iteration: k D updates, then one G update")
        self.reset_button = widgets.Button(description="Reset", icon="undo", tooltip="Go back to the initial weights")
        self.counter = widgets.Label(value="iteration 0")

        style = {"description_width": "initial"}
        self.k_slider = widgets.IntSlider(value=gan.d_steps, min=1, max=10, description="k, D steps per G step", style=style)
        self.d_lr_slider = widgets.FloatLogSlider(
            value=float(gan.d_optimizer.learning_rate), base=10, min=-5, max=-1, step=0.25,
            description="D learning rate", readout_format=".1e", style=style,
        )
        self.g_lr_slider = widgets.FloatLogSlider(
            value=float(gan.g_optimizer.learning_rate), base=10, min=-5, max=-1, step=0.25,
            description="G learning rate", readout_format=".1e", style=style,
        )
        self.loss_buttons = widgets.ToggleButtons(
            options=[(LOSS_LABELS[kind], kind) for kind in GENERATOR_LOSSES], value=gan.generator_loss_kind,
            description="G loss", style=style,
        )
        self.speed_slider = widgets.IntSlider(value=iterations_per_frame, min=1, max=50, description="iterations per redraw", style=style)
        self.image = widgets.Image(format="png")

        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: self.pause())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())

        self.widget = widgets.VBox(
            [
                widgets.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button, self.counter]),
                widgets.HBox([self.k_slider, self.loss_buttons]),
                widgets.HBox([self.d_lr_slider, self.g_lr_slider, self.speed_slider]),
                self.image,
            ]
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # ----- figure -----

    def _build_figure(self, grid_size: int) -> None:
        self.figure = Figure(figsize=(13, 4.6), dpi=self.dpi)
        FigureCanvasAgg(self.figure)
        grid = self.figure.add_gridspec(1, 3, width_ratios=[1.25, 1, 1])
        self._plane = _PlanePanel(self.figure.add_subplot(grid[0]), self.distribution, self._real, grid_size, self.arrow_count)
        _legend_below(self._plane.axis)

        self._loss_axis = self.figure.add_subplot(grid[1])
        (self._d_loss_line,) = self._loss_axis.plot([], [], label="discriminator loss")
        (self._g_loss_line,) = self._loss_axis.plot([], [], label="generator loss")
        self._loss_axis.set(title="Losses", xlabel="iteration", ylabel="loss per iteration", ylim=(0, 2))
        _legend_below(self._loss_axis)

        self._score_axis = self.figure.add_subplot(grid[2])
        (self._d_real_line,) = self._score_axis.plot([], [], color=REAL_COLOR, label="D(real)")
        (self._d_fake_line,) = self._score_axis.plot([], [], color=FAKE_COLOR, label="D(fake)")
        self._score_axis.axhline(0.5, color="gray", linestyle=":", linewidth=1)
        curves = [self._d_loss_line, self._g_loss_line, self._d_real_line, self._d_fake_line]
        has_modes = self.distribution.modes is not None and self.distribution.mode_std is not None
        self._covered_line = self._far_line = None
        if has_modes:
            (self._covered_line,) = self._score_axis.plot([], [], color="black", marker=".", label="modes covered")
            (self._far_line,) = self._score_axis.plot([], [], color="black", linestyle="--", label="samples far from modes")
            curves += [self._covered_line, self._far_line]
        self._score_axis.set(
            title="Scores and mode coverage" if has_modes else "Discriminator scores",
            xlabel="iteration", ylabel="mean D(x), or fraction" if has_modes else "mean D(x)", ylim=(-0.02, 1.02),
        )
        _legend_below(self._score_axis)

        for axis in (self._loss_axis, self._score_axis):
            axis.set_xlim(0, 100)
        self._plane.axis.set_title(" \n ", fontsize=9)  # reserves two lines for the live title
        self.figure.tight_layout()
        # Blitting: the static parts (axes, ticks, legends) are drawn once into a saved
        # background, and each frame redraws only these artists over it.
        self._animated = [*self._plane.animated, self._plane.axis.title, *curves]
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None

    def snapshot(self) -> IPython.display.Image:
        """Return the current figure as a static image, which a saved notebook shows without a live kernel."""
        return IPython.display.Image(data=bytes(self.image.value), format="png")

    def probe(self, generator_loss: str | None = None) -> dict[str, np.ndarray]:
        """Compute what the data panel shows, without training.

        Args:
            generator_loss: The loss whose gradient to compute, "non_saturating"
                or "minimax"; by default the lab's current one.

        Returns:
            "generated": G(z) for the lab's fixed noise, shape (N, dim);
            "scores": D(G(z)) for those points; "pushes": minus the gradient of
            the generator loss with respect to each G(z), the direction
            gradient descent moves it.
        """
        kind = self.gan.generator_loss_kind if generator_loss is None else generator_loss
        if kind not in GENERATOR_LOSSES:
            raise ValueError(f"Unknown generator_loss {kind!r}. Use one of {', '.join(GENERATOR_LOSSES)}.")
        with self._lock:
            generated, _, pushes = self._probe(self._z, self._plane.grid, kind)
            fake_scores = tf.sigmoid(self.gan.discriminator(generated, training=False))[:, 0].numpy()
        return {"generated": generated, "scores": fake_scores, "pushes": pushes}

    def _render_png(self) -> bytes:
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # draws everything except the animated artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        # Level 1 compresses about as well as the default for plots and is several times faster.
        PIL.Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def redraw(self) -> None:
        """Redraw the figure from the current models and replace the image's PNG bytes in place."""
        with self._lock:
            started = time.perf_counter()
            generated, scores, pushes = self._probe(self._z, self._plane.grid, self.gan.generator_loss_kind)
            self.coverage = distribution_coverage(self.distribution, generated)
            if self.coverage is not None and (not self.coverage_history or self.coverage_history[-1][0] != self.iteration):
                self.coverage_history.append((self.iteration, self.coverage))
            self._plane.update(generated, scores, pushes)
            loss_label = LOSS_LABELS[self.gan.generator_loss_kind]
            self._plane.axis.set_title(
                _panel_title(
                    f"{self.distribution.name} · iteration {self.iteration:,} · k={self.gan.d_steps} · {loss_label}",
                    self.distribution, generated, self._real,
                ),
                fontsize=9,
            )
            self._update_curves()
            self.image.value = self._render_png()
            finished = time.perf_counter()
            self.redraw_seconds.append(finished - started)
            self.redraw_times.append(finished)
            self.counter.value = self._counter_text()

    def _update_curves(self) -> None:
        steps = np.arange(1, self.iteration + 1)
        self._d_loss_line.set_data(steps, self.history["d_loss"])
        self._g_loss_line.set_data(steps, self.history["g_loss"])
        self._d_real_line.set_data(steps, self.history["D(real)"])
        self._d_fake_line.set_data(steps, self.history["D(fake)"])
        if self._covered_line is not None:
            iterations = [it for it, _ in self.coverage_history]
            self._covered_line.set_data(iterations, [c.modes_covered for _, c in self.coverage_history])
            self._far_line.set_data(iterations, [c.far_share for _, c in self.coverage_history])
        # Limits only grow, and in big jumps, so the saved background is redrawn rarely.
        right = self._loss_axis.get_xlim()[1]
        if self.iteration > right:
            for axis in (self._loss_axis, self._score_axis):
                axis.set_xlim(0, max(2 * right, self.iteration))
            self._background = None
        if self.iteration:
            low, high = self._loss_axis.get_ylim()
            data_low = min(min(self.history["d_loss"]), min(self.history["g_loss"]))
            data_high = max(max(self.history["d_loss"]), max(self.history["g_loss"]))
            if data_low < low or data_high > high:
                pad = 0.25 * max(data_high - data_low, 0.5)
                self._loss_axis.set_ylim(min(low, data_low - pad), max(high, data_high + pad))
                self._background = None

    def _counter_text(self) -> str:
        text = f"iteration {self.iteration:,}"
        recent = self.redraw_times[-11:]
        if self.is_playing and len(recent) > 1:
            text += f" · {(len(recent) - 1) / (recent[-1] - recent[0]):.1f} redraws/s"
        if self.play_error is not None:
            text += f" · play stopped by an error: {self.play_error}"
        return text

    # ----- training -----

    def _apply_settings(self) -> None:
        """Copy the widget values into the GAN before the next iteration, under the lock."""
        gan = self.gan
        requested = (int(self.k_slider.value), str(self.loss_buttons.value))
        current = (gan.d_steps, gan.generator_loss_kind)
        if requested != current:
            # train_step reads k and the loss when it is traced, so each setting needs
            # its own traced function. Keep them, so switching back costs no retrace.
            if gan.train_function is not None:
                self._train_functions[current] = gan.train_function
            gan.d_steps, gan.generator_loss_kind = requested
            # With train_function None, train_on_batch traces a new one.
            gan.train_function = self._train_functions.get(requested)
        for optimizer, slider in [(gan.d_optimizer, self.d_lr_slider), (gan.g_optimizer, self.g_lr_slider)]:
            if not np.isclose(float(optimizer.learning_rate), slider.value):
                optimizer.learning_rate = float(slider.value)  # assigns the variable; no retrace

    def _train(self, iterations: int) -> None:
        with self._lock:
            self._apply_settings()
            logs = train_toy_gan(self.gan, self.distribution, iterations, self.batch_size, self._rng)
            for name, values in logs.items():
                self.history[name].extend(values)
            self.history["k"].extend([self.gan.d_steps] * iterations)
            self.iteration += iterations

    def step(self) -> None:
        """Run exactly one iteration (k discriminator updates, one generator update) and redraw."""
        with self._lock:
            self._train(1)
            self.redraw()

    def run(self, iterations: int, iterations_per_frame: int | None = None) -> None:
        """Train for `iterations` iterations in the foreground, redrawing every `iterations_per_frame`.

        This blocks the cell until it ends, so it suits scripted experiments;
        the figure still updates live in the notebook.
        """
        if not isinstance(iterations, int) or isinstance(iterations, bool) or iterations < 0:
            raise ValueError(f"iterations must be an integer of at least 0, got {iterations!r}.")
        per_frame = iterations_per_frame or self.speed_slider.value
        done = 0
        while done < iterations:
            count = min(per_frame, iterations - done)
            with self._lock:
                self._train(count)
                self.redraw()
            done += count

    @property
    def is_playing(self) -> bool:
        """True while the play thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def play(self, max_iterations: int | None = None) -> None:
        """Start training in a background thread; it stops on `pause` or after `max_iterations`.

        Args:
            max_iterations: Iterations after which play stops by itself;
                `max_play_iterations` by default.
        """
        if self.is_playing:
            return
        limit = self.max_play_iterations if max_iterations is None else max_iterations
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(f"max_iterations must be a positive integer, got {limit!r}.")
        self._stop.clear()
        self.play_error = None
        self._set_playing_buttons(True)
        self._thread = threading.Thread(target=self._play_loop, args=(limit,), name="toy-gan-lab-play", daemon=True)
        self._thread.start()

    def _play_loop(self, limit: int) -> None:
        done = 0
        try:
            while done < limit and not self._stop.is_set():
                count = min(self.speed_slider.value, limit - done)
                with self._lock:
                    self._train(count)
                    self.redraw()
                done += count
        except Exception as error:  # noqa: BLE001 - a thread cannot raise into the notebook, so show it instead
            self.play_error = error
        finally:
            self._set_playing_buttons(False)
            self.counter.value = self._counter_text()

    def _set_playing_buttons(self, playing: bool) -> None:
        self.play_button.disabled = playing
        self.step_button.disabled = playing
        self.reset_button.disabled = playing
        self.pause_button.disabled = not playing

    def pause(self, timeout: float = 60.0) -> None:
        """Stop playing after the current frame and wait up to `timeout` seconds for it to end."""
        self._stop.set()
        self.wait(timeout)

    def wait(self, timeout: float | None = None) -> None:
        """Block until play stops by itself or is paused, at most `timeout` seconds."""
        if self._thread is not None:
            self._thread.join(timeout)

    def reset(self) -> None:
        """Pause and restore the initial weights, optimizer state and noise, and clear the curves."""
        self.pause()
        with self._lock:
            for variable, value in zip(self._state_variables(), self._initial_state):
                variable.assign(value)
            self._rng = np.random.default_rng(self.seed)
            self._clear_history()
            for axis in (self._loss_axis, self._score_axis):
                axis.set_xlim(0, 100)
            self._loss_axis.set_ylim(0, 2)
            self._background = None
            self.redraw()


def compare_runs(labs: dict[str, ToyGANLab], grid_size: int = 40, size: float = 4.2):
    """Plot the data panel of several labs side by side, each titled with its name and mode coverage.

    Args:
        labs: Panel titles mapped to the labs to show, in order.
        grid_size: Heatmap resolution per axis.
        size: Width of one panel in inches.

    Returns:
        The matplotlib Figure.
    """
    if not labs:
        raise ValueError("labs is empty. Pass a dict such as {'recommended': lab_a, 'collapsed': lab_b}.")
    figure, axes = plt.subplots(1, len(labs), figsize=(size * len(labs) + 1, size + 0.4), squeeze=False, layout="constrained")
    for axis, (name, lab) in zip(axes[0], labs.items()):
        panel = _PlanePanel(axis, lab.distribution, lab._real, grid_size, lab.arrow_count, colorbar=False)
        generated, scores, pushes = lab._probe(lab._z, panel.grid, lab.gan.generator_loss_kind)
        panel.update(generated, scores, pushes)
        axis.set_title(_panel_title(f"{name} · iteration {lab.iteration:,}", lab.distribution, generated, lab._real), fontsize=9)
    axes[0, 0].legend(loc="upper left", fontsize=7, markerscale=2, framealpha=0.8)
    if panel.dim == 2:
        figure.colorbar(panel.heat, ax=list(axes[0]), fraction=0.03, pad=0.02, label="D(x), the score for 'real'")
    return figure
