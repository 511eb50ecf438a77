import os

import keras
import numpy as np
import pytest

from conftest import make_small_gan
from gan_helpers import data, metrics, train_evaluator

# The shipped evaluator reached 0.983 on the 1,000 offline test digits. The floor leaves a margin
# for the 10,000-digit Keras test split, on which it was not measured.
ACCURACY_FLOOR = 0.97


@pytest.fixture(scope="module")
def test_digits():
    return data.load_mnist("test", seed=0)


def constant_generator(image, latent_dim=8):
    """A generator that ignores z and always draws `image`: total mode collapse."""
    layer = keras.layers.Dense(28 * 28, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(image.reshape(-1)))
    return keras.Sequential([keras.Input((latent_dim,)), layer, keras.layers.Reshape((28, 28, 1))])


def test_evaluator_file_under_one_megabyte():
    assert os.path.getsize(metrics.EVALUATOR_PATH) < 1024 * 1024


def test_evaluator_accuracy_above_floor(test_digits):
    _, probabilities = metrics.evaluator_outputs(test_digits.images)
    accuracy = (probabilities.argmax(axis=1) == test_digits.labels).mean()
    assert accuracy >= ACCURACY_FLOOR


def test_evaluator_outputs_shapes(test_digits):
    features, probabilities = metrics.evaluator_outputs(test_digits.images[:7])
    assert features.shape == (7, 64)
    assert probabilities.shape == (7, 10)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_real_split_distance_near_zero(test_digits):
    real_vs_real = metrics.frechet_distance(test_digits.images[:500], test_digits.images[500:1000])
    collapsed = np.repeat(test_digits.images[:1], 500, axis=0)
    real_vs_collapsed = metrics.frechet_distance(test_digits.images[:500], collapsed)
    assert real_vs_real < 10
    assert real_vs_collapsed > 20 * real_vs_real


def test_real_digits_hit_reference(test_digits):
    scores = metrics.score_images(test_digits.images[:1000])
    assert scores.class_coverage == 10
    assert scores.confident_fraction > 0.9
    assert scores.frechet_distance < 5


def test_mode_collapse_covers_one_digit(test_digits):
    generator = constant_generator(test_digits.images[0])
    evaluation = metrics.evaluate_generator(generator, n=300)
    assert evaluation.generated.class_coverage == 1
    assert evaluation.generated.frechet_distance > 50 * evaluation.real.frechet_distance


def test_noise_has_low_confidence():
    rng = np.random.default_rng(123)
    uniform = rng.uniform(-1, 1, size=(300, 28, 28, 1))
    gaussian = np.clip(rng.normal(-0.5, 0.5, size=(300, 28, 28, 1)), -1, 1)
    assert metrics.confident_fraction(uniform) < 0.1
    assert metrics.confident_fraction(gaussian) < 0.1


def test_evaluate_generator_reports_reference(small_gan):
    evaluation = metrics.evaluate_generator(small_gan.generator, n=200, seed=1)
    assert evaluation.n == 200
    assert evaluation.n_real == 200
    assert evaluation.real.class_coverage == 10
    assert "real digits (200)" in str(evaluation)


def test_evaluate_generator_same_seed_same_scores(small_gan):
    first = metrics.evaluate_generator(small_gan.generator, n=100, seed=3)
    second = metrics.evaluate_generator(small_gan.generator, n=100, seed=3)
    assert first.generated == second.generated


def test_frechet_of_identical_statistics_is_zero():
    features = np.random.default_rng(0).normal(size=(200, 5))
    statistics = metrics.feature_statistics(features)
    assert metrics.frechet_distance_from_statistics(*statistics, *statistics) == pytest.approx(0, abs=1e-8)


def test_frechet_matches_closed_form():
    # For N(m1, a^2 I) and N(m2, b^2 I) in d dimensions: |m1 - m2|^2 + d (a - b)^2.
    dimensions = 4
    mean_a, mean_b = np.zeros(dimensions), np.full(dimensions, 0.5)
    covariance_a, covariance_b = 4 * np.eye(dimensions), np.eye(dimensions)
    distance = metrics.frechet_distance_from_statistics(mean_a, covariance_a, mean_b, covariance_b)
    assert distance == pytest.approx(dimensions * 0.25 + dimensions * 1.0)


@pytest.mark.parametrize("shape", [(10, 32, 32, 1), (10, 28, 28, 3), (784,), (10, 784)])
def test_wrong_shape_raises(shape):
    with pytest.raises(ValueError, match="shape"):
        metrics.check_images(np.zeros(shape, dtype="float32"))


def test_pixel_range_raises_with_fix():
    pixels = np.full((4, 28, 28, 1), 255.0)
    with pytest.raises(ValueError, match="to_model_range"):
        metrics.confident_fraction(pixels)


def test_nan_images_raise():
    images = np.zeros((4, 28, 28, 1))
    images[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        metrics.score_images(images)


def test_three_dimensional_batch_accepted(test_digits):
    coverage = metrics.class_coverage(test_digits.images[:300, :, :, 0])
    assert coverage == 10


@pytest.mark.parametrize("n", [1, 0, 2.5, True])
def test_evaluate_generator_bad_n_raises(small_gan, n):
    with pytest.raises(ValueError, match="n must be"):
        metrics.evaluate_generator(small_gan.generator, n=n)


def test_missing_weights_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_evaluator"):
        metrics.load_evaluator(str(tmp_path / "missing.keras"))


@pytest.fixture(scope="module")
def trained_monitor(digits):
    """A QualityMonitor after two epochs of a tiny GAN, evaluated after each epoch."""
    gan = make_small_gan()
    monitor = metrics.QualityMonitor(every=1, n=100, display=False)
    gan.fit(data.make_dataset(digits.images[:128], 32), epochs=2, verbose=0, callbacks=[monitor])
    return monitor


def test_quality_monitor_records_history(trained_monitor):
    assert trained_monitor.history["epoch"] == [1, 2]
    assert all(len(values) == 2 for values in trained_monitor.history.values())
    assert trained_monitor.reference.class_coverage == 10


def test_quality_monitor_plot_has_four_panels(trained_monitor):
    figure = trained_monitor.plot()
    assert len(figure.axes) == 4
    assert figure.axes[1].get_title().startswith("MNIST Fréchet distance")


def test_quality_monitor_every_two_epochs(digits):
    gan = make_small_gan()
    monitor = metrics.QualityMonitor(every=2, n=50, display=False)
    gan.fit(data.make_dataset(digits.images[:64], 32), epochs=3, verbose=0, callbacks=[monitor])
    assert monitor.history["epoch"] == [2]


def test_quality_monitor_plot_before_training_raises():
    with pytest.raises(RuntimeError, match="No evaluation"):
        metrics.QualityMonitor(display=False).plot()


@pytest.mark.parametrize("every", [0, -1, 1.5])
def test_quality_monitor_bad_every_raises(every):
    with pytest.raises(ValueError, match="every"):
        metrics.QualityMonitor(every=every)


def test_train_evaluator_smoke(tmp_path, capsys):
    path = str(tmp_path / "evaluator.keras")
    train_evaluator.main(["--epochs", "1", "--max-images", "256", "--out", path])
    output = capsys.readouterr().out
    assert "Held-out accuracy" in output
    assert "Data:" in output
    features, probabilities = metrics.load_evaluator(path)(np.zeros((2, 28, 28, 1), dtype="float32"))
    assert features.shape == (2, 64)


def test_train_evaluator_default_spares_shipped_file():
    default = train_evaluator.build_parser().get_default("out")
    assert os.path.abspath(default) != os.path.abspath(metrics.EVALUATOR_PATH)


def test_noise_images_in_range():
    images = train_evaluator.make_noise_images(30, seed=0)
    assert images.shape == (30, 28, 28, 1)
    assert images.min() >= -1
    assert images.max() <= 1
