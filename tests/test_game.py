"""The 1-D counterfeiter game, the GAN objective on densities, and the story recorder."""

import math

import numpy as np
import pytest

from gan_helpers import game, theory

GRID = np.linspace(-25.0, 25.0, 20001)


def test_optimal_discriminator_values():
    d_star = theory.optimal_discriminator([0.3, 0.1, 0.0, 0.2], [0.1, 0.3, 0.5, 0.0])
    np.testing.assert_allclose(d_star, [0.75, 0.25, 0.0, 1.0])


def test_optimal_discriminator_no_mass():
    assert theory.optimal_discriminator([0.0], [0.0])[0] == 0.5


def test_optimal_discriminator_negative_density():
    with pytest.raises(ValueError, match="non-negative"):
        theory.optimal_discriminator([0.1, -0.2], [0.1, 0.1])


def test_optimal_discriminator_beats_others():
    p_data = theory.normal_pdf(GRID, 0.0, 1.0)
    p_g = theory.normal_pdf(GRID, 1.0, 1.5)
    best = theory.value_function(GRID, p_data, p_g, theory.optimal_discriminator(p_data, p_g))
    for other in (np.full_like(GRID, 0.5), 1 / (1 + np.exp(GRID - 0.5)), np.clip(theory.optimal_discriminator(p_data, p_g) + 0.05, 0, 1)):
        assert theory.value_function(GRID, p_data, p_g, other) < best


def test_value_minimum_is_minus_log_4():
    p = theory.normal_pdf(GRID, 2.0, 0.8)
    value = theory.value_function(GRID, p, p, theory.optimal_discriminator(p, p))
    assert value == pytest.approx(-math.log(4), abs=1e-6)


@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (-2.0, 2.0), (3.0, 0.3)])
def test_value_equals_jsd_identity(mean, std):
    p_data = theory.normal_pdf(GRID, 1.0, 0.8)
    p_g = theory.normal_pdf(GRID, mean, std)
    value = theory.value_at_optimum(GRID, p_data, p_g)
    assert value == pytest.approx(-math.log(4) + 2 * theory.jensen_shannon(GRID, p_data, p_g), abs=1e-6)


def test_value_at_optimum_matches_plugged_in():
    x = np.linspace(-8.0, 8.0, 4001)
    p_data = theory.normal_pdf(x, 0.0, 1.0)
    p_g = theory.normal_pdf(x, 1.0, 1.5)
    plugged_in = theory.value_function(x, p_data, p_g, theory.optimal_discriminator(p_data, p_g))
    assert theory.value_at_optimum(x, p_data, p_g) == pytest.approx(plugged_in, abs=1e-9)


def test_jsd_of_disjoint_densities():
    p = theory.normal_pdf(GRID, -6.0, 0.3)
    q = theory.normal_pdf(GRID, 6.0, 0.3)
    assert theory.jensen_shannon(GRID, p, q) == pytest.approx(math.log(2), abs=1e-6)


def test_value_rejects_scores_outside_unit_interval():
    p = theory.normal_pdf(GRID, 0.0, 1.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        theory.value_function(GRID, p, p, np.full_like(GRID, 1.5))


def test_normal_pdf_rejects_zero_std():
    with pytest.raises(ValueError, match="std must be positive"):
        theory.normal_pdf(GRID, 0.0, 0.0)


def test_game_win_at_real_distribution():
    (_, mean, std), = game.REAL_DATA
    result = game.CounterfeiterGame().play_round(mean, std)
    assert result.won
    assert result.value == pytest.approx(-math.log(4), abs=1e-4)
    assert "You win" in result.message()


def test_game_one_step_off_is_no_win():
    (_, mean, std), = game.REAL_DATA
    result = game.CounterfeiterGame().play_round(mean + 0.1, std)
    assert not result.won
    assert result.value > -math.log(4)


def test_game_closer_means_lower_value():
    board = game.CounterfeiterGame()
    far = board.play_round(-3.0, 1.0)
    near = board.play_round(1.5, 1.0)
    assert near.value < far.value
    assert near.jsd < far.jsd


def test_game_two_bumps_cannot_be_won():
    board = game.CounterfeiterGame(real=game.TWO_BUMPS)
    best = min((board.play_round(mean, std) for mean in np.arange(-2, 3.01, 0.25) for std in np.arange(0.4, 3.01, 0.2)), key=lambda r: r.value)
    assert not best.won
    assert best.value > -math.log(4) + 0.01


def test_game_rejects_zero_spread():
    with pytest.raises(ValueError, match="spread"):
        game.CounterfeiterGame().play_round(0.0, 0.0)


def test_game_widget_updates_one_image():
    import ipywidgets as widgets

    board = game.CounterfeiterGame()
    box = board.play(mean=0.0, std=1.0)
    sliders = box.children[0].children
    image = box.children[2]
    first_png = image.value
    for step in range(10):
        sliders[0].value = -1.0 + 0.1 * step
    assert len(box.children) == 3
    assert isinstance(image, widgets.Image)
    assert image.value != first_png
    assert len(board.rounds) == 11


def test_game_widget_reports_win():
    (_, mean, std), = game.REAL_DATA
    box = game.CounterfeiterGame().play(mean=mean, std=std)
    assert "You win" in box.children[1].value


def test_story_snapshots_record_and_stop(small_gan, digits):
    from gan_helpers import data

    latent = np.random.default_rng(0).normal(size=(16, small_gan.latent_dim)).astype("float32")
    snapshots = game.StorySnapshots([1, 3], latent, digits.images[:16])
    dataset = data.make_dataset(digits.images, 32)
    small_gan.fit(dataset, epochs=2, verbose=0, callbacks=[snapshots])
    story = snapshots.story("test digits", 32, 0.0)
    assert snapshots.step == 3
    assert list(story.steps) == [1, 3]
    assert story.fake_images.shape == (2, 16, 28, 28)
    assert story.fake_images.dtype == np.uint8
    assert story.fake_scores.shape == (2, 16)
    assert np.all((story.real_scores > 0) & (story.real_scores < 1))


def test_story_scoring_leaves_discriminator_unchanged(small_gan, digits):
    before = [np.array(v) for v in small_gan.discriminator.variables]
    game.score_images(small_gan.discriminator, digits.images[:8])
    after = [np.array(v) for v in small_gan.discriminator.variables]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_story_save_load_round_trip(tmp_path):
    story = game.Story(
        np.array([1, 5]), np.zeros((2, 3, 28, 28), "uint8"), np.full((2, 3), 0.2), np.full((2, 3), 0.7), "made up", 64, 1.5
    )
    loaded = game.load_story(game.save_story(story, str(tmp_path / "story.npz")))
    assert loaded.source == "made up"
    assert loaded.index(5) == 1
    np.testing.assert_array_equal(loaded.fake_scores, story.fake_scores)


def test_story_missing_step_named():
    story = game.load_story()
    with pytest.raises(ValueError, match="No snapshot at step 7"):
        story.index(7)


def test_shipped_story_matches_recorder_settings():
    story = game.load_story()
    assert tuple(story.steps) == game.STORY_STEPS
    assert story.fake_images.shape[1:] == (64, 28, 28)


def test_tiny_gan_records_progress():
    run = theory.train_tiny_gan(k=2, iterations=6, m=8, record_every=3)
    assert list(run.checkpoints) == [0, 3, 6]
    assert run.final_samples.shape == (1000,)
    assert np.all((run.jsd >= 0) & (run.jsd <= math.log(2) + 1e-6))


def test_tiny_gan_rejects_bad_k():
    with pytest.raises(ValueError, match="k must be a positive integer"):
        theory.train_tiny_gan(k=0)
