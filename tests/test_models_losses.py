import math

import numpy as np
import pytest
import tensorflow as tf

from gan_helpers import losses, models


@pytest.mark.parametrize("name", sorted(models.PRESETS))
def test_generator_output_shape_and_range(name):
    sizes = models.preset(name)
    generator = models.build_generator(sizes["latent_dim"], sizes["width"], sizes["kernel_size"])
    images = generator(np.random.default_rng(0).normal(size=(3, sizes["latent_dim"])) * 10, training=False)
    assert tuple(images.shape) == (3, 28, 28, 1)
    assert float(tf.reduce_min(images)) >= -1.0
    assert float(tf.reduce_max(images)) <= 1.0


def test_discriminator_outputs_one_logit():
    discriminator = models.build_discriminator()
    logits = discriminator(np.zeros((5, 28, 28, 1), dtype="float32"))
    assert tuple(logits.shape) == (5, 1)


def test_discriminator_has_no_pooling_or_hidden_dense():
    discriminator = models.build_discriminator()
    kinds = [type(layer).__name__ for layer in discriminator.layers]
    assert not any("Pooling" in kind for kind in kinds)
    assert kinds.count("Dense") == 1
    assert kinds[-1] == "Dense"


def test_generator_uses_relu_and_tanh_output():
    generator = models.build_generator()
    kinds = [type(layer).__name__ for layer in generator.layers]
    assert "ReLU" in kinds
    assert "LeakyReLU" not in kinds
    assert generator.layers[-1].activation.__name__ == "tanh"


def test_workshop_preset_is_smaller_than_large():
    small = models.build_generator(**models.preset("workshop"))
    large = models.build_generator(**models.preset("large"))
    assert small.count_params() < large.count_params() / 2


def test_classic_models_match_tutorial_sizes():
    generator, discriminator = models.build_classic_tutorial_models()
    assert generator.count_params() == 2_330_944
    assert discriminator.count_params() == 212_865


@pytest.mark.parametrize("width", [0, -1, 2.0, True])
def test_build_generator_rejects_bad_width(width):
    with pytest.raises(ValueError, match=f"width must be a positive integer, got {width!r}"):
        models.build_generator(width=width)


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="'huge'.*workshop"):
        models.preset("huge")


def test_discriminator_loss_at_even_odds():
    # D(x) = D(G(z)) = 0.5 everywhere: -log 0.5 - log 0.5 = log 4.
    zero = tf.zeros((4, 1))
    assert float(losses.discriminator_loss(zero, zero)) == pytest.approx(math.log(4), abs=1e-6)


def test_discriminator_loss_hand_computed():
    real_logits = tf.constant([[math.log(3.0)]])  # D(x) = 0.75
    fake_logits = tf.constant([[-math.log(3.0)]])  # D(G(z)) = 0.25
    expected = -math.log(0.75) - math.log(1 - 0.25)
    assert float(losses.discriminator_loss(real_logits, fake_logits)) == pytest.approx(expected, abs=1e-6)


def test_non_saturating_generator_loss_hand_computed():
    fake_logits = tf.constant([[-math.log(3.0)]])  # D(G(z)) = 0.25
    assert float(losses.generator_loss(fake_logits, "non_saturating")) == pytest.approx(-math.log(0.25), abs=1e-6)


def test_minimax_generator_loss_hand_computed():
    fake_logits = tf.constant([[-math.log(3.0)]])  # D(G(z)) = 0.25
    assert float(losses.generator_loss(fake_logits, "minimax")) == pytest.approx(math.log(0.75), abs=1e-6)


def test_minimax_gradient_saturates_when_d_rejects_fakes():
    logits = tf.Variable([[-6.0]])  # D(G(z)) is about 0.0025
    gradients = {}
    for kind in losses.GENERATOR_LOSSES:
        with tf.GradientTape() as tape:
            loss = losses.generator_loss(logits, kind)
        gradients[kind] = abs(float(tape.gradient(loss, logits)[0, 0]))
    assert gradients["non_saturating"] > 100 * gradients["minimax"]


def test_losses_stay_finite_for_confident_logits():
    extreme = tf.constant([[80.0], [-80.0]])
    assert np.isfinite(float(losses.discriminator_loss(extreme, -extreme)))
    assert np.isfinite(float(losses.generator_loss(extreme, "non_saturating")))


def test_unknown_generator_loss_names_the_choices():
    with pytest.raises(ValueError, match="'wasserstein'.*non_saturating, minimax"):
        losses.generator_loss(tf.zeros((1, 1)), "wasserstein")
