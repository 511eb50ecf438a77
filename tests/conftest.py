"""Shared fixtures: a small real-MNIST sample and tiny DCGANs that train in seconds."""

import gan_helpers  # noqa: F401  (imports TensorFlow quietly before any test module does)
import keras
import numpy as np
import pytest

from gan_helpers import data, models, training


@pytest.fixture(autouse=True)
def forget_loaded_mnist():
    """Let each test choose its data source, e.g. by simulating a failed download."""
    data._loaded_splits.clear()
    yield
    data._loaded_splits.clear()


@pytest.fixture(scope="session")
def digits():
    """256 real MNIST digits, from Keras' cache or the offline copy."""
    return data.load_mnist("train", limit=256)


def make_small_gan(d_steps: int = 1, seed: int = 0, generator_loss: str = "non_saturating"):
    """Build and compile a narrow DCGAN so a training step takes milliseconds."""
    keras.utils.set_random_seed(seed)
    generator = models.build_generator(latent_dim=8, width=4)
    discriminator = models.build_discriminator(width=4)
    gan = training.GAN(generator, discriminator, d_steps=d_steps, generator_loss=generator_loss, seed=seed)
    gan.compile(*training.make_optimizers())
    return gan


@pytest.fixture
def small_gan():
    return make_small_gan()


@pytest.fixture
def real_batch(digits):
    return np.asarray(digits.images[:32])
