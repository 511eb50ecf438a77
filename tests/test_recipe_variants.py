import os
import subprocess
import sys

import numpy as np
import pytest

from benchmarks import recipe_variants

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_random_shift_stays_within_limit():
    import tensorflow as tf

    images = -np.ones((64, 28, 28, 1), dtype="float32")
    images[:, 14, 14, 0] = 1.0  # one bright pixel in the middle of every image
    shifted = np.asarray(recipe_variants.random_shift(tf.constant(images), 2))
    assert shifted.shape == images.shape
    for image in shifted[..., 0]:
        rows, columns = np.nonzero(image > 0)
        assert len(rows) == 1  # the pixel moved, it was not duplicated or lost
        assert abs(rows[0] - 14) <= 2
        assert abs(columns[0] - 14) <= 2
    assert shifted.min() == -1.0  # the border is filled with background
    # Different images get different offsets.
    positions = {tuple(np.argwhere(image[..., 0] > 0)[0]) for image in shifted}
    assert len(positions) > 1


def test_random_shift_passes_gradients():
    import tensorflow as tf

    images = tf.Variable(tf.zeros((4, 28, 28, 1)))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(recipe_variants.random_shift(images, 2))
    gradient = tape.gradient(total, images)
    assert gradient is not None
    assert float(tf.reduce_sum(gradient)) > 0


def test_every_variant_names_known_settings():
    for name, changes in recipe_variants.VARIANTS.items():
        assert set(changes) <= set(recipe_variants.BASE), name


def test_quick_run_writes_a_row_per_variant(tmp_path):
    output = tmp_path / "VARIANTS.md"
    variants = ["workshop", "ema", "lr-decay", "shift-augment", "conditional"]
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.recipe_variants", "--quick", "--variants", *variants, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    text = output.read_text()
    for name in variants:
        assert f"| {name} |" in text
    assert "Held-out real digits score" in text
    assert "Quick mode:" in text


def test_conditional_models_take_labels():
    settings = {**recipe_variants.BASE, **recipe_variants.VARIANTS["conditional"]}
    generator, discriminator = recipe_variants.build_conditional_models(64, settings)
    z = np.zeros((3, 64), dtype="float32")
    labels = np.array([0, 4, 9], dtype="int32")
    images = np.asarray(generator([z, labels], training=False))
    assert tuple(images.shape) == (3, 28, 28, 1)
    assert tuple(discriminator([images, labels], training=False).shape) == (3, 1)
    # Only the label differs, so different images show that the generator uses it.
    assert not np.allclose(images[0], images[1])


def test_too_few_images_exits():
    with pytest.raises(SystemExit, match="--images must be at least 128"):
        recipe_variants.main(["--quick", "--images", "10"])
