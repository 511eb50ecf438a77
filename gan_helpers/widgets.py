"""Live ipywidgets for exploring a generator's latent space.

Every widget shows digits in `ipywidgets.Image` widgets whose PNG bytes are
replaced in place, so a cell's output never grows and no matplotlib widget
backend (ipympl) is needed. Each explorer renders in its own background
thread that always takes the newest request and drops the ones still waiting,
so a slider dragged faster than the generator can follow never builds a
backlog of stale images.

The pieces, in the order the latent space explorer notebook uses them:

- `load_generator`: the learner's generator from the DCGAN notebook, or the shipped one.
- `DigitRenderer`: latent vectors to PNG bytes, fast enough for a slider.
- `LatentExplorer`: sliders on latent directions, a seed box and a new-vector button.
- `InterpolationExplorer`: linear and spherical interpolation as a slider and a frame strip.
- `ArithmeticExplorer`: latent vector arithmetic with its operands and result.
- `NearestRealCheck`: a generated digit next to its nearest real training digits.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import ipywidgets
import keras
import numpy as np
import tensorflow as tf
from PIL import Image as PILImage

from gan_helpers.data import to_pixel_range

SHIPPED_GENERATOR_PATH = Path(__file__).parent / "assets" / "generator.keras"
# Path of the learner's generator as the DCGAN notebook saves it, relative to the notebooks folder.
LEARNER_GENERATOR_PATH = Path("outputs") / "dcgan" / "generator.keras"
IMAGE_SHAPE = (28, 28, 1)


# ---------------------------------------------------------------------------
# Loading a generator


class LoadedGenerator(NamedTuple):
    """A generator model with the file it came from.

    Attributes:
        model: The Keras generator, mapping (batch, latent_dim) to (batch, 28, 28, 1).
        path: The file it was loaded from.
        description: Where it came from, in words a learner can read.
    """

    model: keras.Model
    path: Path
    description: str


def check_generator(model: keras.Model) -> int:
    """Check that a model maps latent vectors to 28x28x1 images and return its latent_dim.

    Raises:
        ValueError: If the input is not (batch, latent_dim) or the output not (batch, 28, 28, 1).
    """
    input_shape = tuple(model.input_shape)
    output_shape = tuple(model.output_shape)
    if len(input_shape) != 2 or not input_shape[1]:
        raise ValueError(
            f"Expected a generator that takes latent vectors of shape (batch, latent_dim), but "
            f"{model.name!r} takes {input_shape}. Load a model built by gan_helpers.models.build_generator."
        )
    if output_shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"Expected a generator that makes 28x28x1 images, but {model.name!r} outputs {output_shape}. "
            "Load a model built by gan_helpers.models.build_generator."
        )
    return int(input_shape[1])


def load_generator(
    path: str | os.PathLike | None = None,
    learner_path: str | os.PathLike = LEARNER_GENERATOR_PATH,
    shipped_path: str | os.PathLike = SHIPPED_GENERATOR_PATH,
    verbose: bool = True,
) -> LoadedGenerator:
    """Load the learner's own generator when one was saved, and the shipped one otherwise.

    Loading uses Keras' safe mode, which rejects files that would deserialize
    arbitrary Python code (such as Lambda layers), and never unpickles anything.

    Args:
        path: Load exactly this `.keras` file instead of searching.
        learner_path: Where the DCGAN notebook saves the learner's generator,
            relative to the working directory (the notebooks folder in the workshop).
        shipped_path: The pretrained generator that ships with `gan_helpers`.
        verbose: Print one line saying which generator is used.

    Returns:
        A `LoadedGenerator` with the model, its path and a description.

    Raises:
        FileNotFoundError: If no generator file exists at the paths searched.
        ValueError: If the file does not contain a 28x28 digit generator.
    """
    if path is not None:
        candidates = [(Path(path), f"the generator saved at {path}")]
    else:
        candidates = [
            (Path(learner_path), f"your own generator from the DCGAN notebook ({learner_path})"),
            (Path(shipped_path), "the pretrained generator shipped with gan_helpers (gan_helpers/assets/generator.keras)"),
        ]
    for candidate, description in candidates:
        if candidate.is_file():
            model = keras.models.load_model(candidate, compile=False, safe_mode=True)
            check_generator(model)
            if verbose:
                print(f"Using {description}.")
            return LoadedGenerator(model, candidate, description)
    searched = ", ".join(str(candidate) for candidate, _ in candidates)
    raise FileNotFoundError(
        f"No generator found (looked for {searched}). Run the DCGAN notebook to save your own, "
        "or train one with `python -m gan_helpers.train --out outputs/dcgan` from the notebooks folder."
    )


# ---------------------------------------------------------------------------
# Latent vectors to PNG bytes


def encode_png(pixels: np.ndarray, scale: int = 1) -> bytes:
    """Encode a uint8 grayscale array as PNG bytes, enlarged by repeating pixels.

    Args:
        pixels: uint8 array of shape (H, W).
        scale: Each pixel becomes a scale x scale block, so small digits stay sharp in a browser.

    Returns:
        The PNG file as bytes.
    """
    if scale > 1:
        pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
    buffer = io.BytesIO()
    # Level 1 compresses a 168x168 digit in well under a millisecond; the files stay a few kB.
    PILImage.fromarray(np.ascontiguousarray(pixels), mode="L").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def tile_row(pixels: np.ndarray, padding: int = 2) -> np.ndarray:
    """Place uint8 images of shape (N, H, W) side by side with black gaps between them."""
    count, height, width = pixels.shape
    row = np.zeros((height, count * (width + padding) - padding), dtype="uint8")
    for index in range(count):
        left = index * (width + padding)
        row[:, left : left + width] = pixels[index]
    return row


class DigitRenderer:
    """Turn latent vectors into digit images and PNG bytes, fast enough for a live slider.

    The forward pass is a `tf.function` traced once for any batch size, which
    is several times faster than calling the Keras model eagerly for one vector.

    Args:
        generator: A Keras model mapping (batch, latent_dim) to (batch, 28, 28, 1) in [-1, 1].
        scale: Enlargement of a single digit in the PNG (28 pixels become 28 * scale).

    Raises:
        ValueError: If the model is not a digit generator.
    """

    def __init__(self, generator: keras.Model, scale: int = 6):
        self.latent_dim = check_generator(generator)
        self.generator = generator
        self.scale = scale
        spec = tf.TensorSpec((None, self.latent_dim), tf.float32)
        self._forward = tf.function(lambda z: generator(z, training=False), input_signature=[spec])
        # Trace now, so the first slider move is as fast as the rest.
        self._forward(tf.zeros((1, self.latent_dim)))

    def check_latent(self, z, name: str = "z") -> np.ndarray:
        """Return z as a float32 vector after checking its length and values.

        Raises:
            ValueError: If z is not a finite vector of length latent_dim.
        """
        vector = np.asarray(z, dtype="float32")
        if vector.shape != (self.latent_dim,):
            raise ValueError(
                f"Expected {name} to be a latent vector of length {self.latent_dim} (this generator's latent_dim), "
                f"got shape {vector.shape}. Draw one with np.random.default_rng(seed).standard_normal({self.latent_dim})."
            )
        if not np.all(np.isfinite(vector)):
            raise ValueError(f"{name} contains NaN or infinite values. Use finite numbers, such as draws from a normal distribution.")
        return vector

    def check_batch(self, z, name: str = "z") -> np.ndarray:
        """Return z as a float32 batch of shape (N, latent_dim), accepting one vector too.

        Raises:
            ValueError: If the last axis is not latent_dim long or a value is not finite.
        """
        batch = np.asarray(z, dtype="float32")
        if batch.ndim == 1:
            batch = batch[np.newaxis]
        if batch.ndim != 2 or batch.shape[1] != self.latent_dim or len(batch) == 0:
            raise ValueError(
                f"Expected {name} to be latent vectors of shape (N, {self.latent_dim}) (this generator's latent_dim "
                f"is {self.latent_dim}), got shape {np.shape(z)}."
            )
        if not np.all(np.isfinite(batch)):
            raise ValueError(f"{name} contains NaN or infinite values. Use finite numbers, such as draws from a normal distribution.")
        return batch

    def generate(self, z) -> np.ndarray:
        """Generate images in [-1, 1] of shape (N, 28, 28, 1) from one vector or a batch."""
        return self._forward(tf.constant(self.check_batch(z))).numpy()

    def pixels(self, z) -> np.ndarray:
        """Generate uint8 pixels of shape (N, 28, 28) from one vector or a batch."""
        return to_pixel_range(self.generate(z)[..., 0])

    def png(self, z, scale: int | None = None) -> bytes:
        """Generate one digit from a latent vector of length latent_dim and return it as PNG bytes."""
        vector = self.check_latent(z)
        return encode_png(self.pixels(vector)[0], scale or self.scale)

    def strip_png(self, z, scale: int = 3) -> bytes:
        """Generate a batch of digits and return them side by side as one PNG."""
        return encode_png(tile_row(self.pixels(z)), scale)


# ---------------------------------------------------------------------------
# Dropping stale updates


_NOTHING = object()


class LatestOnlyWorker:
    """Run `work(request)` in a background thread, on the newest request only.

    A request submitted while an earlier one is still waiting replaces it, so
    at most one request waits while one runs. A slider that sends 100 values
    while one image renders therefore costs two renders, not 100.

    Args:
        work: Function called with each request that is not dropped.
        name: Thread name, shown in debuggers.

    Attributes:
        submitted: Requests received.
        completed: Requests run (finished or failed).
        dropped: Requests replaced by a newer one before they ran.
        error: The last exception raised by `work`, or None.
    """

    def __init__(self, work: Callable[[object], None], name: str = "latent-renderer"):
        self._work = work
        self._condition = threading.Condition()
        self._pending = _NOTHING
        self._busy = False
        self._closed = False
        self.submitted = 0
        self.completed = 0
        self.dropped = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, request) -> None:
        """Queue a request, replacing the one still waiting, if any.

        Raises:
            RuntimeError: If the worker was closed.
        """
        with self._condition:
            if self._closed:
                raise RuntimeError("This widget was closed. Create a new one to keep exploring.")
            if self._pending is not _NOTHING:
                self.dropped += 1
            self._pending = request
            self.submitted += 1
            self._condition.notify_all()

    def wait(self, timeout: float = 30.0) -> None:
        """Block until no request waits or runs.

        Raises:
            TimeoutError: If rendering did not finish within `timeout` seconds.
            RuntimeError: If the last request failed; the original error is its cause.
        """
        with self._condition:
            idle = self._condition.wait_for(lambda: self._pending is _NOTHING and not self._busy, timeout)
            error, self.error = self.error, None
        if not idle:
            raise TimeoutError(f"Rendering did not finish within {timeout} s.")
        if error is not None:
            raise RuntimeError(f"Rendering failed: {error}") from error

    def close(self) -> None:
        """Stop the thread after the running request, dropping any waiting one."""
        with self._condition:
            self._closed = True
            self._pending = _NOTHING
            self._condition.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._pending is not _NOTHING or self._closed)
                if self._closed:
                    return
                request, self._pending = self._pending, _NOTHING
                self._busy = True
            try:
                self._work(request)
            except Exception as error:  # noqa: BLE001  (kept for `wait()` and shown by the widget)
                self.error = error
            finally:
                with self._condition:
                    self._busy = False
                    self.completed += 1
                    self._condition.notify_all()


class _LiveWidget:
    """Shared plumbing: a renderer, a latest-only worker and a status line.

    Changes made by the learner in the browser go through the worker. Methods
    called from Python (in a notebook cell or a test) render in the calling
    thread, so the image is up to date when the method returns.
    """

    def __init__(self, renderer: DigitRenderer, name: str):
        if not isinstance(renderer, DigitRenderer):
            raise TypeError(f"Expected a DigitRenderer, got {type(renderer).__name__}. Create one with DigitRenderer(generator).")
        self.renderer = renderer
        self.status = ipywidgets.HTML()
        self._python_update = False
        self._worker = LatestOnlyWorker(self._render_safely, name=name)
        self.widget: ipywidgets.Widget = ipywidgets.VBox()

    def _snapshot(self):
        """Return everything `_render` needs, read from the controls in the calling thread."""
        raise NotImplementedError

    def _render(self, request) -> None:
        raise NotImplementedError

    def _render_safely(self, request) -> None:
        try:
            self._render(request)
        except Exception as error:
            self.status.value = f"<b>Could not draw the digit:</b> {error}"
            raise

    def _on_change(self, change=None) -> None:
        if not self._python_update:
            self._worker.submit(self._snapshot())

    @contextlib.contextmanager
    def _updating_from_python(self):
        """Set several controls at once, then render once, synchronously."""
        self._worker.wait()
        self._python_update = True
        try:
            yield
        finally:
            self._python_update = False
        self._render(self._snapshot())

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the images show the latest control values (useful in tests and benchmarks)."""
        self._worker.wait(timeout)

    @property
    def worker(self) -> LatestOnlyWorker:
        """The background renderer, with its `submitted`, `completed` and `dropped` counts."""
        return self._worker

    def close(self) -> None:
        """Stop the background thread and close the widgets in the browser."""
        self._worker.close()
        _close_tree(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # The plain-text fallback is what a static viewer without widget support shows.
        bundle["text/plain"] = f"{type(self).__name__} (an interactive widget: run the notebook to use it)"
        return bundle


def _close_tree(widget: ipywidgets.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


def seed_vector(seed: int, latent_dim: int) -> np.ndarray:
    """Draw the standard-normal latent vector that a seed names, the same on every machine.

    Every widget names its vectors this way, so "seed 7" in a seed box is
    `seed_vector(7, latent_dim)` in code.
    """
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}.")
    return np.random.default_rng(int(seed)).standard_normal(latent_dim).astype("float32")


MAX_SEED = 2**32 - 1


def _seed_box(value: int, description: str, layout: ipywidgets.Layout) -> ipywidgets.BoundedIntText:
    # NumPy seeds must be non-negative, so the box clamps what the learner types.
    return ipywidgets.BoundedIntText(value=value, min=0, max=MAX_SEED, description=description, layout=layout)


def _digit_image(renderer: DigitRenderer, scale: int | None = None) -> ipywidgets.Image:
    size = 28 * (scale or renderer.scale)
    return ipywidgets.Image(format="png", width=size, height=size)


def _captioned(image: ipywidgets.Widget, caption: ipywidgets.Widget) -> ipywidgets.VBox:
    return ipywidgets.VBox([image, caption], layout=ipywidgets.Layout(align_items="center", margin="0 6px"))


# ---------------------------------------------------------------------------
# Latent directions


def coordinate_directions(latent_dim: int, count: int) -> np.ndarray:
    """Return the first `count` coordinate axes of the latent space, shape (count, latent_dim)."""
    if not 1 <= count <= latent_dim:
        raise ValueError(f"count must be between 1 and latent_dim={latent_dim}, got {count!r}.")
    return np.eye(latent_dim, dtype="float32")[:count]


def principal_directions(renderer: DigitRenderer, count: int = 6, samples: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Find latent directions that move the generated images along their main modes of variation.

    z is drawn from an isotropic normal, so principal components of z itself
    are meaningless. Instead, this generates `samples` digits, finds the
    principal components of their pixels, and fits a least-squares linear map
    from z to the component scores. Column k of that map is the direction in
    which z must move to change the image along component k. This follows the
    idea of GANSpace (Härkönen et al., 2020), applied to output pixels instead
    of hidden activations.

    Args:
        renderer: The generator to analyse.
        count: Number of directions, strongest first.
        samples: Generated digits used for the analysis.
        seed: Seed for the latent vectors.

    Returns:
        (directions, explained): unit vectors of shape (count, latent_dim), and
        the share of pixel variance each principal component explains.

    Raises:
        ValueError: If count or samples is out of range.
    """
    if not 1 <= count <= renderer.latent_dim:
        raise ValueError(f"count must be between 1 and latent_dim={renderer.latent_dim}, got {count!r}.")
    if samples <= renderer.latent_dim:
        raise ValueError(f"samples must exceed latent_dim={renderer.latent_dim} for the least-squares fit, got {samples!r}. Try 2000.")
    latents = np.random.default_rng(seed).standard_normal((samples, renderer.latent_dim)).astype("float32")
    pixels = renderer.generate(latents).reshape(samples, -1).astype("float64")
    centered = pixels - pixels.mean(axis=0)
    _, singular_values, components = np.linalg.svd(centered, full_matrices=False)
    scores = centered @ components[:count].T
    mapping, *_ = np.linalg.lstsq(latents.astype("float64"), scores, rcond=None)
    directions = (mapping / np.linalg.norm(mapping, axis=0)).T
    explained = singular_values[:count] ** 2 / np.sum(singular_values**2)
    return directions.astype("float32"), explained


class LatentExplorer(_LiveWidget):
    """Sliders that move a latent vector along chosen directions, with the digit redrawn live.

    The vector shown is z = base + sum_k offset_k * direction_k, where base is
    the standard-normal vector named by the seed box. The "New random vector"
    button moves to the next seed and resets the sliders to 0.

    Args:
        renderer: The generator to explore.
        directions: Array (count, latent_dim) of directions, one per slider;
            by default the first six coordinate axes.
        names: Slider labels; by default "z[0]", "z[1]", ... for coordinate
            axes and "direction 1", ... otherwise.
        seed: Seed of the first base vector.
        limit: Sliders run from -limit to +limit.

    Raises:
        ValueError: If a direction is not latent_dim long or the number of names differs.
    """

    def __init__(
        self,
        renderer: DigitRenderer,
        directions: np.ndarray | None = None,
        names: Sequence[str] | None = None,
        seed: int = 0,
        limit: float = 3.0,
    ):
        super().__init__(renderer, "latent-explorer")
        latent_dim = renderer.latent_dim
        if directions is None:
            directions = coordinate_directions(latent_dim, min(6, latent_dim))
            names = names or [f"z[{index}]" for index in range(len(directions))]
        directions = np.asarray(directions, dtype="float32")
        if directions.ndim != 2 or directions.shape[1] != latent_dim:
            raise ValueError(
                f"Expected directions of shape (count, {latent_dim}) for a generator with latent_dim={latent_dim}, "
                f"got shape {directions.shape}."
            )
        names = list(names or [f"direction {index + 1}" for index in range(len(directions))])
        if len(names) != len(directions):
            raise ValueError(f"Got {len(names)} names for {len(directions)} directions. Give one name per direction.")
        self.directions = directions
        self.base = seed_vector(seed, latent_dim)
        self._base_label = f"seed {seed}"

        self.seed_box = _seed_box(value=seed, description="seed", layout=ipywidgets.Layout(width="160px"))
        self.new_button = ipywidgets.Button(description="New random vector", icon="refresh", layout=ipywidgets.Layout(width="auto"))
        self.sliders = [
            ipywidgets.FloatSlider(
                value=0.0, min=-limit, max=limit, step=0.1, description=name, readout_format=".1f", continuous_update=True
            )
            for name in names
        ]
        self.image = _digit_image(renderer)

        # CSS classes let browser tests and custom styles find the live digit and its sliders.
        self.image.add_class("latent-explorer-digit")
        for slider in self.sliders:
            slider.add_class("latent-explorer-slider")
        self.seed_box.observe(self._on_seed, names="value")
        self.new_button.on_click(self._on_new_vector)
        for slider in self.sliders:
            slider.observe(self._on_change, names="value")

        controls = ipywidgets.VBox([ipywidgets.HBox([self.seed_box, self.new_button]), *self.sliders])
        self.widget = ipywidgets.VBox([ipywidgets.HBox([self.image, controls]), self.status])
        self._render(self._snapshot())

    def latent(self) -> np.ndarray:
        """Return the latent vector the sliders currently describe."""
        return self._compose(self.base, [slider.value for slider in self.sliders])

    def _compose(self, base: np.ndarray, offsets: Sequence[float]) -> np.ndarray:
        return base + np.asarray(offsets, dtype="float32") @ self.directions

    def _snapshot(self):
        return self.base.copy(), [slider.value for slider in self.sliders], self._base_label

    def _render(self, request) -> None:
        base, offsets, label = request
        z = self._compose(base, offsets)
        self.image.value = self.renderer.png(z)
        moved = ", ".join(f"{slider.description} {value:+.1f}" for slider, value in zip(self.sliders, offsets) if value)
        self.status.value = f"{label} · |z| = {np.linalg.norm(z):.2f}" + (f" · moved: {moved}" if moved else "")

    def _on_seed(self, change) -> None:
        # Runs in the kernel's main thread, before the render request is taken.
        self.base = seed_vector(change["new"], self.renderer.latent_dim)
        self._base_label = f"seed {change['new']}"
        self._on_change()

    def _on_new_vector(self, button=None) -> None:
        self._python_update = True
        try:
            for slider in self.sliders:
                slider.value = 0.0
            # Setting the box calls `_on_seed`, which sets the base but queues no render here.
            self.seed_box.value = self.seed_box.value + 1
        finally:
            self._python_update = False
        self._worker.submit(self._snapshot())

    def set_latent(self, z) -> None:
        """Show a given latent vector: it becomes the base and the sliders return to 0.

        Raises:
            ValueError: If z is not a vector of length latent_dim.
        """
        vector = self.renderer.check_latent(z)
        with self._updating_from_python():
            for slider in self.sliders:
                slider.value = 0.0
            self.base = vector.copy()
            self._base_label = "your vector"

    def set_offsets(self, offsets: Sequence[float]) -> None:
        """Move all sliders at once and redraw once.

        Raises:
            ValueError: If the number of offsets differs from the number of sliders.
        """
        if len(offsets) != len(self.sliders):
            raise ValueError(f"Expected {len(self.sliders)} offsets, one per slider, got {len(offsets)}.")
        with self._updating_from_python():
            for slider, value in zip(self.sliders, offsets):
                slider.value = float(value)


# ---------------------------------------------------------------------------
# Interpolation


def lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Interpolate linearly: (1 - t) * a + t * b."""
    return (1.0 - t) * np.asarray(a) + t * np.asarray(b)


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Interpolate along the great circle from a to b (spherical linear interpolation).

    With omega the angle between a and b, the result is
    sin((1 - t) omega) / sin(omega) * a + sin(t omega) / sin(omega) * b. Its length
    stays close to that of the endpoints, where a standard-normal z almost
    always lies, while the midpoint of a straight line is shorter (White, 2016,
    "Sampling Generative Networks"). Nearly parallel vectors fall back to `lerp`.
    """
    a, b = np.asarray(a), np.asarray(b)
    cosine = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    omega = np.arccos(np.clip(cosine, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(a, b, t)
    return (np.sin((1.0 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


INTERPOLATIONS = {"linear": lerp, "spherical": slerp}


class InterpolationExplorer(_LiveWidget):
    """Walk from one latent vector to another, as a slider and as a strip of frames.

    Args:
        renderer: The generator to explore.
        start_seed: Seed of the start vector.
        end_seed: Seed of the end vector.
        frames: Number of frames in the strip, endpoints included.
        method: "linear" or "spherical".

    Raises:
        ValueError: If frames is below 2 or the method is unknown.
    """

    def __init__(self, renderer: DigitRenderer, start_seed: int = 1, end_seed: int = 2, frames: int = 9, method: str = "spherical"):
        super().__init__(renderer, "interpolation-explorer")
        if method not in INTERPOLATIONS:
            raise ValueError(f"Unknown interpolation {method!r}. Use one of {', '.join(INTERPOLATIONS)}.")
        if frames < 2:
            raise ValueError(f"frames must be at least 2 (the two endpoints), got {frames!r}.")
        self.frames = frames
        self.start = seed_vector(start_seed, renderer.latent_dim)
        self.end = seed_vector(end_seed, renderer.latent_dim)
        self.start_box = _seed_box(value=start_seed, description="start seed", layout=ipywidgets.Layout(width="180px"))
        self.end_box = _seed_box(value=end_seed, description="end seed", layout=ipywidgets.Layout(width="180px"))
        self.method = ipywidgets.ToggleButtons(options=list(INTERPOLATIONS), value=method, description="path")
        self.slider = ipywidgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t", readout_format=".2f")
        self.image = _digit_image(renderer)
        self.strip = ipywidgets.Image(format="png")
        self.strip_caption = ipywidgets.HTML()
        self.start_box.observe(self._on_seed, names="value")
        self.end_box.observe(self._on_seed, names="value")
        self.method.observe(self._on_change, names="value")
        self.slider.observe(self._on_change, names="value")
        controls = ipywidgets.VBox([ipywidgets.HBox([self.start_box, self.end_box]), self.method, self.slider, self.status])
        self.widget = ipywidgets.VBox([ipywidgets.HBox([self.image, controls]), self.strip, self.strip_caption])
        self._render(self._snapshot())

    def path(self, t: float, method: str | None = None) -> np.ndarray:
        """Return the latent vector at position t in [0, 1] of the current path."""
        return INTERPOLATIONS[method or self.method.value](self.start, self.end, t).astype("float32")

    def _snapshot(self):
        return self.start.copy(), self.end.copy(), self.method.value, self.slider.value

    def _render(self, request) -> None:
        start, end, method, t = request
        interpolate = INTERPOLATIONS[method]
        z = interpolate(start, end, t).astype("float32")
        self.image.value = self.renderer.png(z)
        steps = np.linspace(0.0, 1.0, self.frames)
        path = np.stack([interpolate(start, end, step) for step in steps]).astype("float32")
        strip = self.renderer.strip_png(path)
        if strip != self.strip.value:
            self.strip.value = strip
        norms = " ".join(f"{np.linalg.norm(vector):.1f}" for vector in path)
        self.strip_caption.value = f"{method} path, t = 0 to 1 in {self.frames} frames · |z| per frame: {norms}"
        self.status.value = f"t = {t:.2f} · |z| = {np.linalg.norm(z):.2f} (endpoints {np.linalg.norm(start):.2f} and {np.linalg.norm(end):.2f})"

    def _on_seed(self, change) -> None:
        self.start = seed_vector(self.start_box.value, self.renderer.latent_dim)
        self.end = seed_vector(self.end_box.value, self.renderer.latent_dim)
        self._on_change()

    def set_endpoints(self, start, end) -> None:
        """Interpolate between two given latent vectors.

        Raises:
            ValueError: If either is not a vector of length latent_dim.
        """
        start = self.renderer.check_latent(start, "start")
        end = self.renderer.check_latent(end, "end")
        with self._updating_from_python():
            self.start, self.end = start.copy(), end.copy()

    def set_position(self, t: float, method: str | None = None) -> None:
        """Move the slider to t (and optionally switch the path) and redraw once.

        Raises:
            ValueError: If t is outside [0, 1] or the method is unknown.
        """
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"t must be between 0 (start) and 1 (end), got {t!r}.")
        if method is not None and method not in INTERPOLATIONS:
            raise ValueError(f"Unknown interpolation {method!r}. Use one of {', '.join(INTERPOLATIONS)}.")
        with self._updating_from_python():
            self.slider.value = t
            if method is not None:
                self.method.value = method


# ---------------------------------------------------------------------------
# Vector arithmetic


def typical_length(z: np.ndarray) -> np.ndarray:
    """Scale a latent vector to length sqrt(latent_dim), near which standard-normal vectors lie.

    A zero vector is returned unchanged.
    """
    z = np.asarray(z, dtype="float32")
    length = np.linalg.norm(z)
    return z if length == 0 else z * np.float32(np.sqrt(z.size) / length)


def ink_amount(images: np.ndarray) -> np.ndarray:
    """Measure stroke thickness as the mean brightness of each image, from 0 (blank) to 1 (all white).

    Args:
        images: Array (N, 28, 28, 1) or (N, 28, 28) in [-1, 1].

    Returns:
        float array of shape (N,).
    """
    images = np.asarray(images, dtype="float32")
    return ((images.reshape(len(images), -1) + 1.0) / 2.0).mean(axis=1)


class ArithmeticExplorer(_LiveWidget):
    """Show latent vector arithmetic, z + scale * (plus - minus), with each operand drawn.

    Radford et al. (2015) averaged the latent vectors of a few samples that
    share a visual attribute and found that sums and differences of those
    averages carry the attribute over ("man with glasses - man + woman = woman
    with glasses"). Here `plus` and `minus` are such averages, and the slider
    sets how strongly their difference is added to the base vector z.

    An average of many standard-normal vectors is much shorter than a typical
    z, and the generator draws almost nothing for it. So the operand images
    show `plus` and `minus` scaled to the typical length sqrt(latent_dim);
    the result uses the vectors as given.

    Args:
        renderer: The generator to explore.
        plus: The averaged vector that is added, length latent_dim.
        minus: The averaged vector that is subtracted, length latent_dim.
        base: The starting vector z; by default the one named by `seed`.
        plus_name: Caption of `plus`, such as "mean of thick 7s".
        minus_name: Caption of `minus`.
        seed: Seed of the default base vector, also shown in the seed box.
        scale: Initial value of the scale slider.
        limit: The scale slider runs from -limit to +limit.

    Raises:
        ValueError: If an operand is not a vector of length latent_dim.
    """

    def __init__(
        self,
        renderer: DigitRenderer,
        plus,
        minus,
        base=None,
        plus_name: str = "plus",
        minus_name: str = "minus",
        seed: int = 0,
        scale: float = 1.0,
        limit: float = 2.0,
    ):
        super().__init__(renderer, "arithmetic-explorer")
        self.plus = renderer.check_latent(plus, "plus").copy()
        self.minus = renderer.check_latent(minus, "minus").copy()
        self.base = renderer.check_latent(base, "base").copy() if base is not None else seed_vector(seed, renderer.latent_dim)

        self.seed_box = _seed_box(value=seed, description="z seed", layout=ipywidgets.Layout(width="160px"))
        self.new_button = ipywidgets.Button(description="New random z", icon="refresh", layout=ipywidgets.Layout(width="auto"))
        self.slider = ipywidgets.FloatSlider(value=scale, min=-limit, max=limit, step=0.1, description="scale", readout_format=".1f")
        small = max(2, renderer.scale // 2)
        self.base_image = _digit_image(renderer, small)
        self.plus_image = _digit_image(renderer, small)
        self.minus_image = _digit_image(renderer, small)
        self.image = _digit_image(renderer)
        self.base_caption = ipywidgets.HTML("z")
        self.plus_caption = ipywidgets.HTML()
        self.minus_caption = ipywidgets.HTML()
        self.result_caption = ipywidgets.HTML()
        self._names = (plus_name, minus_name)

        self.plus_image.value = renderer.png(typical_length(self.plus), small)
        self.minus_image.value = renderer.png(typical_length(self.minus), small)
        self.seed_box.observe(self._on_seed, names="value")
        self.new_button.on_click(self._on_new_vector)
        self.slider.observe(self._on_change, names="value")

        operands = ipywidgets.HBox(
            [
                _captioned(self.base_image, self.base_caption),
                _captioned(self.plus_image, self.plus_caption),
                _captioned(self.minus_image, self.minus_caption),
                _captioned(self.image, self.result_caption),
            ],
            layout=ipywidgets.Layout(align_items="flex-end"),
        )
        controls = ipywidgets.HBox([self.seed_box, self.new_button, self.slider])
        self.widget = ipywidgets.VBox([controls, operands, self.status])
        self._render(self._snapshot())

    def result(self, base=None, scale: float | None = None) -> np.ndarray:
        """Return base + scale * (plus - minus), by default for the current base and slider."""
        base = self.base if base is None else self.renderer.check_latent(base, "base")
        scale = self.slider.value if scale is None else scale
        return (base + scale * (self.plus - self.minus)).astype("float32")

    def _snapshot(self):
        return self.base.copy(), self.slider.value

    def _render(self, request) -> None:
        base, scale = request
        plus_name, minus_name = self._names
        small = max(2, self.renderer.scale // 2)
        self.base_image.value = self.renderer.png(base, small)
        self.image.value = self.renderer.png(self.result(base, scale))
        self.plus_caption.value = f"+ {scale:.1f} × {plus_name}"
        self.minus_caption.value = f"− {scale:.1f} × {minus_name}"
        self.result_caption.value = "= result"
        offset = np.linalg.norm(scale * (self.plus - self.minus))
        self.status.value = f"result = z + {scale:.1f} × ({plus_name} − {minus_name}) · |offset| = {offset:.2f}"

    def _on_seed(self, change) -> None:
        self.base = seed_vector(change["new"], self.renderer.latent_dim)
        self._on_change()

    def _on_new_vector(self, button=None) -> None:
        # Changing the seed box triggers `_on_seed`, which queues the render.
        self.seed_box.value = self.seed_box.value + 1

    def set_base(self, z) -> None:
        """Use a given latent vector as z.

        Raises:
            ValueError: If z is not a vector of length latent_dim.
        """
        vector = self.renderer.check_latent(z, "base")
        with self._updating_from_python():
            self.base = vector.copy()

    def set_scale(self, scale: float) -> None:
        """Set how strongly (plus - minus) is added, and redraw once."""
        with self._updating_from_python():
            self.slider.value = float(scale)


# ---------------------------------------------------------------------------
# Memorization check


class NearestRealCheck(_LiveWidget):
    """Show a generated digit next to the real training digits closest to it.

    A generator that copied its training set would produce digits almost
    identical to some training digit. Distances are Euclidean, over the 784
    pixels scaled to [0, 1]. For scale, `reference_distance` gives the median
    distance from held-out real digits to their nearest training digit.

    Args:
        renderer: The generator to check.
        training_images: Real digits (N, 28, 28, 1) in [-1, 1], such as
            `load_mnist("train").images`.
        reference_images: Held-out real digits for the reference distance, or None.
        neighbours: How many nearest training digits to show.
        seed: Seed of the first generated digit.

    Raises:
        ValueError: If the images are not 28x28 digits or neighbours is out of range.
    """

    def __init__(self, renderer: DigitRenderer, training_images, reference_images=None, neighbours: int = 3, seed: int = 0):
        super().__init__(renderer, "nearest-real-check")
        training_images = np.asarray(training_images, dtype="float32")
        if training_images.ndim < 3 or training_images[0].size != 28 * 28:
            raise ValueError(f"Expected training images of shape (N, 28, 28, 1), got {training_images.shape}. Use load_mnist('train').images.")
        if not 1 <= neighbours <= len(training_images):
            raise ValueError(f"neighbours must be between 1 and the {len(training_images)} training images, got {neighbours!r}.")
        self._train = self._flatten(training_images)
        self._train_squared = np.sum(self._train**2, axis=1)
        self._training_pixels = to_pixel_range(training_images.reshape(-1, 28, 28))
        self.neighbours = neighbours
        self.reference_distance = None
        if reference_images is not None:
            _, distances = self.nearest(reference_images, 1)
            self.reference_distance = float(np.median(distances[:, 0]))
        self.seed_box = _seed_box(value=seed, description="seed", layout=ipywidgets.Layout(width="160px"))
        self.new_button = ipywidgets.Button(description="New generated digit", icon="refresh", layout=ipywidgets.Layout(width="auto"))
        self.image = _digit_image(renderer)
        self.neighbour_images = [_digit_image(renderer) for _ in range(neighbours)]
        self.neighbour_captions = [ipywidgets.HTML() for _ in range(neighbours)]
        self.seed_box.observe(self._on_change, names="value")
        self.new_button.on_click(self._on_new_vector)
        row = [_captioned(self.image, ipywidgets.HTML("generated"))]
        row += [_captioned(image, caption) for image, caption in zip(self.neighbour_images, self.neighbour_captions)]
        self.widget = ipywidgets.VBox([ipywidgets.HBox([self.seed_box, self.new_button]), ipywidgets.HBox(row), self.status])
        self._render(self._snapshot())

    @staticmethod
    def _flatten(images) -> np.ndarray:
        images = np.asarray(images, dtype="float32")
        return ((images.reshape(len(images), -1) + 1.0) / 2.0).astype("float32")

    def nearest(self, images, count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Find the nearest training digits of each image.

        Args:
            images: Array (N, 28, 28, 1) in [-1, 1].
            count: Neighbours per image; by default the widget's `neighbours`.

        Returns:
            (indices, distances), both of shape (N, count), nearest first.
        """
        count = count or self.neighbours
        if not 1 <= count <= len(self._train):
            raise ValueError(f"count must be between 1 and the {len(self._train)} training images, got {count!r}.")
        queries = self._flatten(images)
        # |q - t|^2 = |q|^2 - 2 q.t + |t|^2, computed for all pairs with one matrix product.
        squared = np.sum(queries**2, axis=1)[:, None] - 2.0 * queries @ self._train.T + self._train_squared[None, :]
        # argpartition finds the `count` smallest in linear time; only those few get sorted.
        candidates = np.argpartition(squared, count - 1, axis=1)[:, :count]
        order = np.argsort(np.take_along_axis(squared, candidates, axis=1), axis=1)
        indices = np.take_along_axis(candidates, order, axis=1)
        distances = np.sqrt(np.maximum(np.take_along_axis(squared, indices, axis=1), 0.0))
        return indices, distances

    def _snapshot(self):
        return self.seed_box.value

    def _render(self, seed) -> None:
        z = seed_vector(seed, self.renderer.latent_dim)
        generated = self.renderer.generate(z)
        indices, distances = self.nearest(generated)
        self.image.value = encode_png(to_pixel_range(generated[0, ..., 0]), self.renderer.scale)
        for image, caption, index, distance in zip(self.neighbour_images, self.neighbour_captions, indices[0], distances[0]):
            image.value = encode_png(self._training_pixels[index], self.renderer.scale)
            caption.value = f"training digit #{index}<br>distance {distance:.2f}"
        line = f"seed {seed} · nearest training digit at distance {distances[0, 0]:.2f}"
        if self.reference_distance is not None:
            line += f" · a real held-out digit is typically {self.reference_distance:.2f} from its nearest training digit"
        self.status.value = line

    def _on_new_vector(self, button=None) -> None:
        self.seed_box.value = self.seed_box.value + 1

    def show_seed(self, seed: int) -> None:
        """Generate the digit of a given seed and show its nearest training digits."""
        with self._updating_from_python():
            self.seed_box.value = int(seed)
