"""Callbacks for `GAN.fit`: progress in the learner's terms, live samples and checkpoints."""

from __future__ import annotations

import os
import time

import keras
import numpy as np
import tensorflow as tf

from gan_helpers.plotting import figure_to_png, grid_figure, image_grid
from gan_helpers.training import check_latent_vectors


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


class TrainingProgress(keras.callbacks.Callback):
    """Show a progress bar over all steps and print one summary line per epoch.

    The line reads like "epoch 3/10 · D(real)=0.71 · D(fake)=0.32 · d_loss=1.10
    · g_loss=0.95 · 4 s", so learners can follow the game without reading logs.
    Use it with `fit(..., verbose=0)`.

    Args:
        bar: Show a tqdm progress bar (a widget in notebooks, text in a terminal).
    """

    def __init__(self, bar: bool = True):
        super().__init__()
        self.bar = bar
        self._progress = None

    def on_train_begin(self, logs=None):
        self._epochs = self.params.get("epochs") or 0
        steps = self.params.get("steps") or 0
        self._train_start = time.perf_counter()
        if self.bar and steps:
            from tqdm.auto import tqdm

            self._progress = tqdm(total=steps * self._epochs, unit="step", desc="training", leave=True)
        self._first_epoch = True

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()
        if self._first_epoch and self._progress is not None:
            # After a resume, fit starts at initial_epoch: count the epochs done before as done.
            self._progress.update(self.params["steps"] * epoch)
        self._first_epoch = False

    def on_train_batch_end(self, batch, logs=None):
        if self._progress is not None:
            self._progress.update(1)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        seconds = time.perf_counter() - self._epoch_start
        parts = [f"epoch {epoch + 1}/{self._epochs}"]
        parts += [f"{name}={logs[name]:.2f}" for name in ("D(real)", "D(fake)", "d_loss", "g_loss") if name in logs]
        parts.append(f"{seconds:.0f} s")
        line = " · ".join(parts)
        if self._progress is not None:
            self._progress.set_postfix_str(f"D(real)={logs.get('D(real)', 0):.2f} D(fake)={logs.get('D(fake)', 0):.2f}")
            self._progress.write(line)
        else:
            print(line)

    def on_train_end(self, logs=None):
        if self._progress is not None:
            final_state = str(self._progress)
            self._progress.close()
            # A saved notebook keeps only the widget's first text, "0%", so print the final state too.
            from tqdm.notebook import tqdm as notebook_progress_bar

            if isinstance(self._progress, notebook_progress_bar):
                print(final_state)
            self._progress = None
        self.seconds = time.perf_counter() - self._train_start


class SampleMonitor(keras.callbacks.Callback):
    """Draw the generator's samples for one fixed latent batch after every epoch.

    Keeping z fixed means each frame shows the same "people" as they improve,
    which makes progress easy to see. In a notebook the grid is redrawn in
    place, and frames are kept for a GIF either way.

    Args:
        latent_vectors: Array of shape (n, latent_dim), reused at every epoch.
        every: Draw after every `every` epochs.
        display: Show the grid live in a notebook.
        columns: Images per row of the grid.
    """

    def __init__(self, latent_vectors, every: int = 1, display: bool = True, columns: int | None = None):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be at least 1 epoch, got {every!r}.")
        self.latent_vectors = np.asarray(latent_vectors, dtype="float32")
        self.every = every
        self.display = display and _in_notebook()
        self.columns = columns
        self.frames: list[np.ndarray] = []
        self.frame_epochs: list[int] = []
        self._handle = None

    def on_train_begin(self, logs=None):
        check_latent_vectors(self.latent_vectors, int(self.model.generator.input_shape[-1]))
        self._handle = None  # each fit() draws below its own cell

    def draw(self, epoch: int) -> np.ndarray:
        """Generate the fixed batch, store it as a frame and return the uint8 grid."""
        images = self.model.generator(self.latent_vectors, training=False)
        grid = image_grid(np.asarray(images), self.columns)
        self.frames.append(grid)
        self.frame_epochs.append(epoch)
        if self.display:
            from IPython.display import Image, display

            title = f"After epoch {epoch} (the same z every epoch)"
            png = Image(figure_to_png(grid_figure(grid, title)))
            if self._handle is None:
                self._handle = display(png, display_id=True)
            else:
                self._handle.update(png)
        return grid

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self.draw(epoch + 1)

    def save_gif(self, path: str, seconds_per_frame: float = 0.4, scale: int = 2) -> str:
        """Write the frames as an animated GIF, the last frame held longer.

        Args:
            path: File to write, such as "outputs/progress.gif".
            seconds_per_frame: Display time of each frame.
            scale: Upscale factor so small digits are visible in a browser.

        Returns:
            The path written.

        Raises:
            RuntimeError: If no frame was drawn yet.
        """
        return save_gif(self.frames, path, seconds_per_frame, scale)


def save_gif(frames, path: str, seconds_per_frame: float = 0.4, scale: int = 2) -> str:
    """Write uint8 grayscale frames as a looping GIF, as described in `SampleMonitor.save_gif`."""
    import imageio.v2 as imageio

    if not frames:
        raise RuntimeError("No frames to write. Train with a SampleMonitor callback first.")
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    enlarged = [np.kron(frame, np.ones((scale, scale), dtype="uint8")) for frame in frames]
    milliseconds = [seconds_per_frame * 1000] * (len(enlarged) - 1) + [seconds_per_frame * 5000]
    # Pillow accepts a list of durations only for two or more frames.
    imageio.mimsave(path, enlarged, duration=milliseconds if len(enlarged) > 1 else milliseconds[0], loop=0)
    return path


class GANCheckpoint(keras.callbacks.Callback):
    """Save both networks, both optimizers and the epoch count after every epoch.

    A second `fit` after a kernel restart continues where the last one stopped:
    call `restore()` and pass its result as `initial_epoch`. TensorFlow's
    checkpoint manager writes each checkpoint under a temporary name and
    updates its index file atomically, so a crash while saving leaves the last
    good checkpoint readable.

    Args:
        gan: The compiled `GAN` to save and restore.
        directory: Folder for the checkpoint files; created if missing.
        max_to_keep: How many recent checkpoints to keep on disk.
    """

    def __init__(self, gan, directory: str, max_to_keep: int = 2):
        super().__init__()
        if not hasattr(gan, "d_optimizer"):
            raise ValueError("Compile the GAN before creating its checkpoint, so the optimizer state can be saved too.")
        self.gan = gan
        self.directory = directory
        self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
        self.checkpoint = tf.train.Checkpoint(
            generator=gan.generator,
            discriminator=gan.discriminator,
            d_optimizer=gan.d_optimizer,
            g_optimizer=gan.g_optimizer,
            noise_seed=gan.noise_seed.state,
            epoch=self.epoch,
        )
        self.manager = tf.train.CheckpointManager(self.checkpoint, directory, max_to_keep=max_to_keep)

    def restore(self, verbose: bool = True) -> int:
        """Load the latest checkpoint, if any, and return the number of epochs already trained."""
        latest = self.manager.latest_checkpoint
        if latest is None:
            if verbose:
                print("No checkpoint found: training starts from epoch 0.")
            return 0
        try:
            self.checkpoint.restore(latest).assert_existing_objects_matched()
        except (ValueError, AssertionError) as error:
            raise ValueError(
                f"The checkpoint in {self.directory!r} was saved by models of another size or kind "
                f"({str(error).splitlines()[0][:120]}). Use a new checkpoint folder for these models, "
                "or delete the old folder to start over."
            ) from None
        epochs = int(self.epoch.numpy())
        if verbose:
            print(f"Restored the checkpoint saved after epoch {epochs}: training continues from there.")
        return epochs

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.assign(epoch + 1)
        self.manager.save(checkpoint_number=epoch + 1)
