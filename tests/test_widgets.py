"""Drive every latent-space widget from Python, as the browser would."""

import threading

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
import keras
import numpy as np
import pytest

from gan_helpers import models, widgets

LATENT_DIM = 8


@pytest.fixture(scope="module")
def renderer():
    keras.utils.set_random_seed(0)
    return widgets.DigitRenderer(models.build_generator(latent_dim=LATENT_DIM, width=4), scale=2)


@pytest.fixture
def explorer(renderer):
    explorer = widgets.LatentExplorer(renderer, seed=3)
    yield explorer
    explorer.close()


@pytest.fixture
def interpolation(renderer):
    interpolation = widgets.InterpolationExplorer(renderer, start_seed=1, end_seed=2, frames=5)
    yield interpolation
    interpolation.close()


@pytest.fixture
def arithmetic(renderer):
    rng = np.random.default_rng(7)
    arithmetic = widgets.ArithmeticExplorer(
        renderer, plus=rng.standard_normal(LATENT_DIM), minus=rng.standard_normal(LATENT_DIM), plus_name="A", minus_name="B"
    )
    yield arithmetic
    arithmetic.close()


@pytest.fixture
def training_images():
    return np.random.default_rng(0).uniform(-1, 1, (50, 28, 28, 1)).astype("float32")


@pytest.fixture
def nearest_check(renderer, training_images):
    check = widgets.NearestRealCheck(renderer, training_images, reference_images=training_images[:5], neighbours=2)
    yield check
    check.close()


def unit_pixels(images):
    return (np.reshape(images, (len(images), -1)) + 1) / 2


def vector(seed):
    return np.random.default_rng(seed).standard_normal(LATENT_DIM).astype("float32")


# DigitRenderer


def test_same_latent_same_png(renderer):
    assert renderer.png(vector(0)) == renderer.png(vector(0))


def test_different_latent_different_png(renderer):
    assert renderer.png(vector(0)) != renderer.png(vector(1))


def test_png_is_png(renderer):
    assert renderer.png(vector(0)).startswith(b"\x89PNG")


def test_wrong_latent_size_names_expected_size(renderer):
    with pytest.raises(ValueError, match=f"length {LATENT_DIM}"):
        renderer.png(np.zeros(LATENT_DIM + 1))


def test_batch_as_single_vector_raises(renderer):
    with pytest.raises(ValueError, match="latent vector"):
        renderer.png(np.zeros((2, LATENT_DIM)))


def test_wrong_batch_width_raises(renderer):
    with pytest.raises(ValueError, match=f"\\(N, {LATENT_DIM}\\)"):
        renderer.generate(np.zeros((3, 5)))


def test_nan_latent_raises(renderer):
    with pytest.raises(ValueError, match="NaN"):
        renderer.png(np.full(LATENT_DIM, np.nan))


def test_generate_shape(renderer):
    assert renderer.generate(np.zeros((3, LATENT_DIM))).shape == (3, 28, 28, 1)


def test_wrong_output_shape_rejected():
    model = keras.Sequential([keras.Input((LATENT_DIM,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="28x28x1"):
        widgets.DigitRenderer(model)


# load_generator


def save_generator(path, latent_dim):
    models.build_generator(latent_dim=latent_dim, width=2).save(path)
    return path


def test_load_prefers_learner_generator(tmp_path):
    learner = save_generator(tmp_path / "learner.keras", 4)
    shipped = save_generator(tmp_path / "shipped.keras", 6)
    loaded = widgets.load_generator(learner_path=learner, shipped_path=shipped, verbose=False)
    assert loaded.path == learner


def test_load_falls_back_to_shipped(tmp_path):
    shipped = save_generator(tmp_path / "shipped.keras", 6)
    loaded = widgets.load_generator(learner_path=tmp_path / "missing.keras", shipped_path=shipped, verbose=False)
    assert loaded.model.input_shape == (None, 6)


def test_load_says_which_generator(tmp_path, capsys):
    shipped = save_generator(tmp_path / "shipped.keras", 6)
    widgets.load_generator(learner_path=tmp_path / "missing.keras", shipped_path=shipped)
    assert "shipped" in capsys.readouterr().out


def test_load_without_any_generator_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="DCGAN notebook"):
        widgets.load_generator(learner_path=tmp_path / "a.keras", shipped_path=tmp_path / "b.keras", verbose=False)


def test_load_rejects_discriminator(tmp_path):
    path = tmp_path / "discriminator.keras"
    models.build_discriminator(width=2).save(path)
    with pytest.raises(ValueError, match="latent vectors"):
        widgets.load_generator(path, verbose=False)


def test_shipped_generator_loads_safely():
    loaded = widgets.load_generator(widgets.SHIPPED_GENERATOR_PATH, verbose=False)
    assert loaded.model.output_shape == (None, 28, 28, 1)


def test_shipped_generator_is_small():
    assert widgets.SHIPPED_GENERATOR_PATH.stat().st_size < 5_000_000


# LatestOnlyWorker


def test_worker_drops_stale_requests():
    started, release = threading.Event(), threading.Event()
    done = []

    def work(request):
        started.set()
        release.wait(10)
        done.append(request)

    worker = widgets.LatestOnlyWorker(work)
    worker.submit(0)
    started.wait(10)
    for request in range(1, 50):
        worker.submit(request)
    release.set()
    worker.wait()
    worker.close()
    assert done == [0, 49]
    assert worker.dropped == 48


def test_worker_reports_errors():
    def work(request):
        raise KeyError(request)

    worker = widgets.LatestOnlyWorker(work)
    worker.submit("boom")
    with pytest.raises(RuntimeError, match="boom"):
        worker.wait()
    worker.close()


def test_closed_worker_rejects_requests():
    worker = widgets.LatestOnlyWorker(lambda request: None)
    worker.close()
    with pytest.raises(RuntimeError, match="closed"):
        worker.submit(1)


# LatentExplorer


def test_slider_changes_image(explorer):
    before = explorer.image.value
    explorer.sliders[0].value = 2.0
    explorer.wait()
    assert explorer.image.value != before


def test_slider_back_to_zero_restores_image(explorer):
    before = explorer.image.value
    explorer.sliders[1].value = -1.5
    explorer.wait()
    explorer.sliders[1].value = 0.0
    explorer.wait()
    assert explorer.image.value == before


def test_slider_image_matches_latent(explorer, renderer):
    explorer.sliders[2].value = 1.0
    explorer.wait()
    assert explorer.image.value == renderer.png(explorer.latent())


def test_rapid_slider_moves_show_last_value(explorer, renderer):
    for value in np.linspace(-3, 3, 40):
        explorer.sliders[0].value = float(value)
    explorer.wait()
    assert explorer.image.value == renderer.png(explorer.latent())


def test_new_vector_button_changes_image(explorer):
    before = explorer.image.value
    explorer.new_button.click()
    explorer.wait()
    assert explorer.image.value != before


def test_new_vector_button_advances_seed(explorer):
    explorer.new_button.click()
    explorer.wait()
    assert explorer.seed_box.value == 4


def test_new_vector_button_resets_sliders(explorer):
    explorer.set_offsets([1.0] + [0.0] * (len(explorer.sliders) - 1))
    explorer.new_button.click()
    explorer.wait()
    assert explorer.sliders[0].value == 0.0


def test_seed_box_changes_image(explorer):
    before = explorer.image.value
    explorer.seed_box.value = 11
    explorer.wait()
    assert explorer.image.value != before


def test_same_seed_same_image(explorer):
    before = explorer.image.value
    explorer.seed_box.value = 11
    explorer.wait()
    explorer.seed_box.value = 3
    explorer.wait()
    assert explorer.image.value == before


def test_set_latent_shows_that_latent(explorer, renderer):
    explorer.set_latent(vector(5))
    assert explorer.image.value == renderer.png(vector(5))


def test_set_latent_wrong_size_raises(explorer):
    with pytest.raises(ValueError, match=f"length {LATENT_DIM}"):
        explorer.set_latent(np.zeros(3))


def test_set_offsets_wrong_count_raises(explorer):
    with pytest.raises(ValueError, match=f"Expected {len(explorer.sliders)} offsets"):
        explorer.set_offsets([1.0])


def test_directions_wrong_size_raise(renderer):
    with pytest.raises(ValueError, match=f"\\(count, {LATENT_DIM}\\)"):
        widgets.LatentExplorer(renderer, directions=np.eye(3))


def test_principal_directions_are_unit_vectors(renderer):
    directions, _ = widgets.principal_directions(renderer, count=3, samples=200)
    np.testing.assert_allclose(np.linalg.norm(directions, axis=1), 1.0, rtol=1e-5)


def test_principal_directions_shape(renderer):
    directions, explained = widgets.principal_directions(renderer, count=3, samples=200)
    assert directions.shape == (3, LATENT_DIM)
    assert explained.shape == (3,)


def test_explorer_on_principal_directions(renderer):
    directions, _ = widgets.principal_directions(renderer, count=2, samples=200)
    explorer = widgets.LatentExplorer(renderer, directions)
    before = explorer.image.value
    explorer.sliders[0].value = 3.0
    explorer.wait()
    explorer.close()
    assert explorer.image.value != before


# Interpolation


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_interpolation_start_is_start_image(interpolation, renderer, method):
    interpolation.set_position(0.0, method)
    assert interpolation.image.value == renderer.png(vector(1))


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_interpolation_end_is_end_image(interpolation, renderer, method):
    interpolation.set_position(1.0, method)
    assert interpolation.image.value == renderer.png(vector(2))


def test_interpolation_slider_changes_image(interpolation):
    before = interpolation.image.value
    interpolation.slider.value = 0.0
    interpolation.wait()
    assert interpolation.image.value != before


def test_interpolation_method_changes_midpoint(interpolation):
    interpolation.set_position(0.5, "spherical")
    spherical = interpolation.image.value
    interpolation.method.value = "linear"
    interpolation.wait()
    assert interpolation.image.value != spherical


def test_interpolation_seed_changes_strip(interpolation):
    before = interpolation.strip.value
    interpolation.end_box.value = 9
    interpolation.wait()
    assert interpolation.strip.value != before


def test_interpolation_strip_ends_match_endpoints(interpolation, renderer):
    frames = renderer.pixels(np.stack([interpolation.path(0.0), interpolation.path(1.0)]))
    expected = renderer.pixels(np.stack([vector(1), vector(2)]))
    np.testing.assert_array_equal(frames, expected)


def test_interpolation_wrong_size_raises(interpolation):
    with pytest.raises(ValueError, match=f"length {LATENT_DIM}"):
        interpolation.set_endpoints(np.zeros(LATENT_DIM), np.zeros(2))


def test_interpolation_position_out_of_range_raises(interpolation):
    with pytest.raises(ValueError, match="between 0"):
        interpolation.set_position(1.5)


def test_lerp_midpoint():
    np.testing.assert_allclose(widgets.lerp(np.array([0.0, 2.0]), np.array([2.0, 0.0]), 0.5), [1.0, 1.0])


def test_slerp_keeps_length():
    middle = widgets.slerp(np.array([3.0, 0.0]), np.array([0.0, 3.0]), 0.5)
    np.testing.assert_allclose(np.linalg.norm(middle), 3.0)


def test_slerp_parallel_falls_back_to_lerp():
    np.testing.assert_allclose(widgets.slerp(np.array([1.0, 1.0]), np.array([2.0, 2.0]), 0.5), [1.5, 1.5])


# Arithmetic


def test_zero_scale_returns_original(arithmetic, renderer):
    arithmetic.set_scale(0.0)
    assert arithmetic.image.value == renderer.png(arithmetic.base)


def test_zero_offset_returns_original(renderer):
    same = vector(4)
    arithmetic = widgets.ArithmeticExplorer(renderer, plus=same, minus=same, seed=5)
    result = arithmetic.image.value
    arithmetic.close()
    assert result == renderer.png(vector(5))


def test_arithmetic_result_vector(arithmetic):
    expected = arithmetic.base + 1.5 * (arithmetic.plus - arithmetic.minus)
    np.testing.assert_allclose(arithmetic.result(scale=1.5), expected, rtol=1e-6)


def test_arithmetic_slider_changes_result(arithmetic):
    before = arithmetic.image.value
    arithmetic.slider.value = -1.0
    arithmetic.wait()
    assert arithmetic.image.value != before


def test_arithmetic_button_changes_base(arithmetic):
    before = arithmetic.base_image.value
    arithmetic.new_button.click()
    arithmetic.wait()
    assert arithmetic.base_image.value != before


def test_arithmetic_shows_operands(arithmetic, renderer):
    expected = renderer.png(widgets.typical_length(arithmetic.plus), max(2, renderer.scale // 2))
    assert arithmetic.plus_image.value == expected


def test_typical_length():
    np.testing.assert_allclose(np.linalg.norm(widgets.typical_length(np.arange(16.0))), 4.0, rtol=1e-6)


def test_typical_length_of_zero_vector():
    np.testing.assert_array_equal(widgets.typical_length(np.zeros(4)), np.zeros(4))


def test_arithmetic_wrong_operand_size_raises(renderer):
    with pytest.raises(ValueError, match="plus to be a latent vector of length"):
        widgets.ArithmeticExplorer(renderer, plus=np.zeros(2), minus=np.zeros(LATENT_DIM))


def test_arithmetic_wrong_base_size_raises(arithmetic):
    with pytest.raises(ValueError, match=f"length {LATENT_DIM}"):
        arithmetic.set_base(np.zeros(LATENT_DIM * 2))


def test_ink_amount_range():
    images = np.stack([np.full((28, 28, 1), -1.0), np.full((28, 28, 1), 1.0)])
    np.testing.assert_allclose(widgets.ink_amount(images), [0.0, 1.0])


# Nearest real digit


def test_nearest_finds_itself(nearest_check, training_images):
    indices, distances = nearest_check.nearest(training_images[[17]])
    assert indices[0, 0] == 17
    assert distances[0, 0] == pytest.approx(0.0, abs=1e-2)


def test_nearest_sorted_nearest_first(nearest_check, renderer):
    _, distances = nearest_check.nearest(renderer.generate(np.stack([vector(1), vector(2)])), 10)
    assert np.all(np.diff(distances, axis=1) >= 0)


def test_nearest_matches_brute_force(nearest_check, renderer, training_images):
    generated = renderer.generate(vector(3))
    brute_force = np.linalg.norm(unit_pixels(training_images) - unit_pixels(generated), axis=1)
    indices, _ = nearest_check.nearest(generated, 1)
    assert indices[0, 0] == np.argmin(brute_force)


def test_nearest_count_out_of_range_raises(nearest_check):
    with pytest.raises(ValueError, match="between 1 and the 50"):
        nearest_check.nearest(np.zeros((1, 28, 28, 1)), 51)


def test_nearest_button_changes_image(nearest_check):
    before = nearest_check.image.value
    nearest_check.new_button.click()
    nearest_check.wait()
    assert nearest_check.image.value != before


def test_nearest_shows_neighbours(nearest_check):
    assert len(nearest_check.neighbour_images) == 2


def test_nearest_reports_reference(nearest_check):
    assert "held-out" in nearest_check.status.value


def test_nearest_rejects_wrong_images(renderer):
    with pytest.raises(ValueError, match="28, 28, 1"):
        widgets.NearestRealCheck(renderer, np.zeros((10, 5, 5)))


# Seeds


def test_seed_vector_repeatable():
    np.testing.assert_array_equal(widgets.seed_vector(3, LATENT_DIM), vector(3))


def test_negative_seed_raises():
    with pytest.raises(ValueError, match="from 0 to"):
        widgets.seed_vector(-1, LATENT_DIM)


def test_seed_box_clamps_negative(explorer):
    explorer.seed_box.value = -5
    explorer.wait()
    assert explorer.seed_box.value == 0


def test_status_names_custom_vector(explorer):
    explorer.set_latent(vector(5))
    assert "your vector" in explorer.status.value
