"""Tests that drive the toy GAN dashboard from Python, as its buttons and sliders would."""

import time

import ipywidgets as widgets
import numpy as np
import pytest

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
from gan_helpers import toy
from gan_helpers.toy_lab import ToyGANLab, compare_runs

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def make_lab(distribution=None, **settings):
    settings = {"sample_count": 128, "grid_size": 16, "arrow_count": 16, "width": 16, **settings}
    return ToyGANLab(distribution or toy.ring(), batch_size=32, **settings)


def generator_weights(lab):
    return [w.copy() for w in lab.gan.generator.get_weights()]


def wait_for(condition, timeout=60.0):
    """Poll until condition() is true; fail after `timeout` seconds instead of hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def lab():
    return make_lab()


def test_step_advances_one_iteration(lab):
    before = lab.iteration
    lab.step_button.click()
    assert lab.iteration == before + 1
    assert len(lab.history["g_loss"]) == lab.iteration


def test_step_changes_generator_weights(lab):
    before = generator_weights(lab)
    lab.step()
    after = generator_weights(lab)
    assert any(not np.array_equal(b, a) for b, a in zip(before, after))


@pytest.mark.parametrize("k", [1, 3, 1])
def test_k_sets_discriminator_steps(lab, k):
    lab.k_slider.value = k
    d_updates = int(lab.gan.d_optimizer.iterations)
    g_updates = int(lab.gan.g_optimizer.iterations)
    lab.step()
    assert int(lab.gan.d_optimizer.iterations) - d_updates == k
    assert int(lab.gan.g_optimizer.iterations) - g_updates == 1
    assert lab.history["k"][-1] == k


def test_k_switch_reuses_traced_step(lab):
    lab.k_slider.value = 2
    lab.step()
    traced_for_two = lab.gan.train_function
    lab.k_slider.value = 1
    lab.step()
    lab.k_slider.value = 2
    lab.step()
    assert lab.gan.train_function is traced_for_two


def test_loss_toggle_sets_generator_loss(lab):
    lab.loss_buttons.value = "minimax"
    lab.step()
    assert lab.gan.generator_loss_kind == "minimax"
    lab.loss_buttons.value = "non_saturating"
    lab.step()
    assert lab.gan.generator_loss_kind == "non_saturating"


def test_learning_rate_sliders_set_optimizers(lab):
    lab.d_lr_slider.value = 1e-4
    lab.g_lr_slider.value = 1e-2
    lab.step()
    assert float(lab.gan.d_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(lab.gan.g_optimizer.learning_rate) == pytest.approx(1e-2)
    lab.d_lr_slider.value = lab.g_lr_slider.value = 1e-3


def test_figure_updates_in_place(lab, capsys):
    image = lab.image
    first = lab.image.value
    redraws = len(lab.redraw_seconds)
    lab.step()
    lab.run(4, iterations_per_frame=2)
    assert lab.image is image
    assert bytes(lab.image.value) != bytes(first)
    assert bytes(lab.image.value).startswith(PNG_SIGNATURE)
    assert len(lab.redraw_seconds) == redraws + 3
    assert capsys.readouterr().out == ""


def test_widget_holds_one_image(lab):
    def images(widget):
        found = [widget] if isinstance(widget, widgets.Image) else []
        for child in getattr(widget, "children", ()):
            found += images(child)
        return found

    assert images(lab.widget) == [lab.image]


def test_counter_shows_iteration(lab):
    lab.step()
    assert lab.counter.value.startswith(f"iteration {lab.iteration:,}")


def test_play_then_pause_stops(lab):
    start = lab.iteration
    lab.play_button.click()
    assert lab.is_playing
    assert lab.step_button.disabled
    wait_for(lambda: lab.iteration > start)
    lab.pause_button.click()
    assert not lab.is_playing
    stopped_at = lab.iteration
    time.sleep(0.3)
    assert lab.iteration == stopped_at
    assert not lab.play_button.disabled
    assert lab.play_error is None


def test_play_stops_by_itself(lab):
    lab.speed_slider.value = 5
    start = lab.iteration
    lab.play(max_iterations=12)
    lab.wait(timeout=120)
    assert not lab.is_playing
    assert lab.iteration == start + 12


def test_reset_restores_initial_state():
    lab = make_lab()
    initial = generator_weights(lab)
    lab.run(5)
    lab.reset()
    assert lab.iteration == 0
    assert lab.history["g_loss"] == []
    assert all(np.array_equal(i, w) for i, w in zip(initial, generator_weights(lab)))


def test_coverage_recorded_on_ring(lab):
    lab.step()
    assert lab.coverage is not None
    assert lab.coverage_history[-1][0] == lab.iteration


def test_one_dimensional_lab_steps():
    lab = make_lab(toy.gaussian(1.0, 0.5))
    lab.step()
    assert lab.iteration == 1
    assert lab.coverage is None
    assert bytes(lab.image.value).startswith(PNG_SIGNATURE)


def test_lab_rejects_non_distribution():
    with pytest.raises(TypeError, match="ToyDistribution"):
        ToyGANLab(np.zeros((10, 2)))


def test_lab_rejects_mismatched_gan():
    gan = toy.make_toy_gan(data_dim=1, width=8)
    with pytest.raises(ValueError, match="data_dim=2"):
        ToyGANLab(toy.ring(), gan)


def test_compare_runs_draws_one_panel_each(lab):
    figure = compare_runs({"first": lab, "second": lab})
    titles = [axis.get_title() for axis in figure.axes if axis.get_title()]
    assert len(titles) == 2
    assert "modes covered" in titles[0]


def test_probe_returns_points_scores_pushes(lab):
    probe = lab.probe("minimax")
    assert probe["generated"].shape == (128, 2)
    assert probe["scores"].shape == (128,)
    assert probe["pushes"].shape == (128, 2)
    assert np.all((probe["scores"] > 0) & (probe["scores"] < 1))


def test_probe_rejects_unknown_loss(lab):
    with pytest.raises(ValueError, match="Unknown generator_loss 'wasserstein'"):
        lab.probe("wasserstein")


def test_snapshot_copies_current_png(lab):
    assert lab.snapshot().data == bytes(lab.image.value)


def test_lab_rejects_too_many_arrows():
    with pytest.raises(ValueError, match="arrow_count must be an integer from 0 to sample_count=128"):
        make_lab(arrow_count=200)
