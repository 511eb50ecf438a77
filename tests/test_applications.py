"""Tests for inpainting and super-resolution by latent search."""

import keras
import numpy as np
import pytest

from gan_helpers import applications, models


@pytest.fixture(scope="module")
def tiny_generator():
    keras.utils.set_random_seed(0)
    return models.build_generator(latent_dim=4, width=4)


@pytest.mark.parametrize("kind", applications.MASKS)
def test_mask_hides_some_pixels(kind):
    mask = applications.make_mask(kind)
    assert mask.shape == (28, 28, 1)
    assert 0 < mask.sum() < 28 * 28


def test_bottom_half_mask_hides_bottom():
    mask = applications.make_mask("bottom_half")
    assert mask[:14].all()
    assert not mask[14:].any()


def test_mask_rejects_unknown_kind():
    with pytest.raises(ValueError, match="bottom_half"):
        applications.make_mask("top_left")


def test_shipped_generator_loads():
    generator = applications.load_generator()
    assert generator.output_shape == (None, 28, 28, 1)


def test_search_recovers_reachable_target(tiny_generator):
    # A target that the generator can make exactly: the search error must fall far below a random z's.
    target_z = np.random.default_rng(1).standard_normal((2, 4)).astype("float32")
    targets = np.asarray(tiny_generator(target_z))
    result = applications.latent_search(tiny_generator, targets, lambda batch: batch, steps=150, restarts=2, prior_weight=0.0)
    random_images = np.asarray(tiny_generator(np.random.default_rng(2).standard_normal((2, 4)).astype("float32")))
    random_error = np.mean((random_images - targets) ** 2, axis=(1, 2, 3))
    assert result.latents.shape == (2, 4)
    assert result.generated.shape == (2, 28, 28, 1)
    assert np.all(result.measurement_error < 0.1 * random_error)


def test_search_error_matches_generated(tiny_generator):
    targets = np.zeros((1, 28, 28, 1), dtype="float32")
    result = applications.latent_search(tiny_generator, targets, lambda batch: batch, steps=3, restarts=2)
    recomputed = np.mean((result.generated - targets) ** 2)
    assert np.isclose(result.measurement_error[0], recomputed, rtol=1e-4)


def test_inpaint_keeps_visible_pixels(tiny_generator):
    images = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    mask = applications.make_mask("center_square")
    completed, _ = applications.inpaint(tiny_generator, images, mask, steps=2, restarts=1)
    assert np.array_equal(completed * mask, images * mask)


def test_inpaint_fills_hidden_from_generator(tiny_generator):
    images = np.zeros((1, 28, 28, 1), dtype="float32")
    mask = applications.make_mask("right_half")
    completed, result = applications.inpaint(tiny_generator, images, mask, steps=2, restarts=1)
    assert np.allclose(completed * (1 - mask), result.generated * (1 - mask))


def test_inpaint_rejects_mask_without_hidden_pixels(tiny_generator):
    with pytest.raises(ValueError, match="hide some pixels"):
        applications.inpaint(tiny_generator, np.zeros((1, 28, 28, 1)), np.ones((28, 28, 1)), steps=1)


def test_inpaint_rejects_bad_image_shape(tiny_generator):
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        applications.inpaint(tiny_generator, np.zeros((1, 32, 32, 1)), applications.make_mask(), steps=1)


def test_search_rejects_zero_steps(tiny_generator):
    with pytest.raises(ValueError, match="steps"):
        applications.latent_search(tiny_generator, np.zeros((1, 28, 28, 1)), lambda batch: batch, steps=0)


def test_downsample_averages_blocks():
    images = np.zeros((1, 28, 28, 1), dtype="float32")
    images[0, :4, :4] = 1.0
    images[0, :2, 4:8] = 1.0
    small = np.asarray(applications.downsample(images, 4))
    assert small.shape == (1, 7, 7, 1)
    assert small[0, 0, 0, 0] == 1.0
    assert small[0, 0, 1, 0] == 0.5
    assert small[0, 1, 0, 0] == 0.0


def test_downsample_rejects_factor_not_dividing_28():
    with pytest.raises(ValueError, match="factor"):
        applications.downsample(np.zeros((1, 28, 28, 1)), 3)


def test_upsample_bicubic_shape_and_range():
    small = np.random.default_rng(0).uniform(-1, 1, (2, 7, 7, 1)).astype("float32")
    large = applications.upsample_bicubic(small)
    assert large.shape == (2, 28, 28, 1)
    assert large.min() >= -1.0
    assert large.max() <= 1.0


def test_super_resolve_matches_low_resolution(tiny_generator):
    target_z = np.random.default_rng(3).standard_normal((1, 4)).astype("float32")
    small = np.asarray(applications.downsample(tiny_generator(target_z), 4))
    result = applications.super_resolve(tiny_generator, small, 4, steps=100, restarts=2, prior_weight=0.0)
    assert result.generated.shape == (1, 28, 28, 1)
    assert result.measurement_error[0] < 1e-3


def test_super_resolve_rejects_wrong_size(tiny_generator):
    with pytest.raises(ValueError, match="7, 7"):
        applications.super_resolve(tiny_generator, np.zeros((1, 14, 14, 1)), 4, steps=1)


def test_hidden_pixel_error_counts_hidden_only():
    originals = np.zeros((1, 28, 28, 1), dtype="float32")
    completed = originals.copy()
    mask = applications.make_mask("bottom_half")
    completed[0, :14] = 1.0  # a visible-pixel difference must not count
    completed[0, 14:, :14] = 0.5  # half the hidden pixels are off by 0.5
    assert np.isclose(applications.hidden_pixel_error(completed, originals, mask)[0], 0.25)
