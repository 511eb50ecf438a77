"""Figures for the workshop: image grids, sample sheets and training curves."""

from __future__ import annotations

import io
import math

import matplotlib.pyplot as plt
import numpy as np

from gan_helpers.data import to_pixel_range


def image_grid(images: np.ndarray, columns: int | None = None, padding: int = 2) -> np.ndarray:
    """Tile images into one uint8 picture, for display or a GIF frame.

    Args:
        images: Array of shape (N, H, W, 1) or (N, H, W) in [-1, 1].
        columns: Images per row; by default the grid is as square as possible.
        padding: Pixels of black between neighbouring images.

    Returns:
        A uint8 array of shape (rows * (H + padding) - padding, columns * (W + padding) - padding).
    """
    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"Expected a batch of images of shape (N, H, W, 1), got shape {images.shape}.")
    count, height, width = images.shape
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    pixels = to_pixel_range(images)
    grid = np.zeros((rows * (height + padding) - padding, columns * (width + padding) - padding), dtype="uint8")
    for index in range(count):
        row, column = divmod(index, columns)
        top, left = row * (height + padding), column * (width + padding)
        grid[top : top + height, left : left + width] = pixels[index]
    return grid


def show_images(images, title: str, labels=None, columns: int = 8, scale: float = 1.0):
    """Plot a batch of [-1, 1] images in a titled grid, each with an optional caption.

    Returns:
        The matplotlib Figure.
    """
    images = np.asarray(images)
    count = len(images)
    rows = math.ceil(count / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.1 * scale, rows * 1.25 * scale), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < count:
            axis.imshow(images[index].squeeze(), cmap="gray", vmin=-1, vmax=1)
            if labels is not None:
                axis.set_title(str(labels[index]), fontsize=9)
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def grid_figure(grid: np.ndarray, title: str, size: float = 4.0):
    """Plot a uint8 grid from `image_grid` as one titled figure. Returns the Figure."""
    figure, axis = plt.subplots(figsize=(size, size * grid.shape[0] / grid.shape[1] + 0.4))
    axis.imshow(grid, cmap="gray", vmin=0, vmax=255)
    axis.set_title(title, fontsize=10)
    axis.axis("off")
    figure.tight_layout()
    return figure


def figure_to_png(figure, dpi: int = 80) -> bytes:
    """Render a figure to PNG bytes and close it, so notebooks do not collect open figures."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    return buffer.getvalue()


def plot_history(history: dict, title: str = "Training curves"):
    """Plot the losses and the discriminator's scores from a `fit()` history.

    Args:
        history: `History.history` from `GAN.fit`, or a dict with the same keys.
        title: Figure title.

    Returns:
        The matplotlib Figure.
    """
    epochs = np.arange(1, len(history["d_loss"]) + 1)
    figure, (loss_axis, score_axis) = plt.subplots(1, 2, figsize=(10, 3.5))
    loss_axis.plot(epochs, history["d_loss"], label="discriminator loss")
    loss_axis.plot(epochs, history["g_loss"], label="generator loss")
    loss_axis.set(title="Losses", xlabel="epoch", ylabel="mean loss")
    loss_axis.legend()
    score_axis.plot(epochs, history["D(real)"], label="D(real): score on real digits")
    score_axis.plot(epochs, history["D(fake)"], label="D(fake): score on generated digits")
    score_axis.axhline(0.5, color="gray", linestyle=":", label="0.5: D cannot tell")
    score_axis.set(title="Discriminator scores", xlabel="epoch", ylabel="mean D(x)", ylim=(0, 1))
    score_axis.legend(fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    return figure
