"""Tests for the GAN training tricks: label smoothing, instance noise, mixed batches, diagnostics."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_helpers import toy, tricks
from gan_helpers.losses import discriminator_loss


def test_smoothed_loss_without_smoothing_matches_plain():
    real = tf.constant([[2.0], [-1.0], [0.5]])
    fake = tf.constant([[-3.0], [0.0], [1.0]])
    smoothed = tricks.smoothed_discriminator_loss(real, fake, real_label=1.0)
    assert np.isclose(float(smoothed), float(discriminator_loss(real, fake)))


def test_smoothed_loss_known_value():
    # D(x) = sigmoid(0) = 0.5 on both: 0.9*log 2 + 0.1*log 2 + log 2 = 2 log 2.
    loss = tricks.smoothed_discriminator_loss(tf.zeros((4, 1)), tf.zeros((4, 1)), real_label=0.9)
    assert np.isclose(float(loss), 2 * np.log(2), atol=1e-6)


def test_smoothed_loss_minimum_at_real_label():
    logits = np.linspace(-6, 6, 1201, dtype="float32")[:, None]
    losses = [float(tricks.smoothed_discriminator_loss(tf.constant([row]), tf.constant([[-20.0]]), 0.9)) for row in logits]
    best_score = 1 / (1 + np.exp(-logits[int(np.argmin(losses)), 0]))
    assert np.isclose(best_score, 0.9, atol=0.01)


@pytest.mark.parametrize("bad", [0.5, 0.3, 1.5, True, "0.9"])
def test_real_label_rejects_invalid(bad):
    with pytest.raises(ValueError, match="real_label"):
        tricks.check_real_label(bad)


def test_instance_noise_off_outside_training():
    layer = tricks.InstanceNoise(0.5, seed=0)
    points = np.ones((64, 2), dtype="float32")
    assert np.array_equal(np.asarray(layer(points, training=False)), points)


def test_instance_noise_has_set_spread():
    layer = tricks.InstanceNoise(0.5, seed=0)
    noise = np.asarray(layer(np.zeros((20_000, 2), dtype="float32"), training=True))
    assert np.isclose(noise.std(), 0.5, rtol=0.03)


def test_instance_noise_stddev_can_be_annealed():
    layer = tricks.InstanceNoise(0.5, seed=0)
    layer.stddev.assign(0.0)
    points = np.ones((8, 2), dtype="float32")
    assert np.array_equal(np.asarray(layer(points, training=True)), points)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), None])
def test_instance_noise_rejects_invalid(bad):
    with pytest.raises(ValueError, match="stddev"):
        tricks.InstanceNoise(bad)


def test_noisy_discriminator_keeps_shapes():
    discriminator = toy.build_toy_discriminator()
    noisy = tricks.with_instance_noise(discriminator, 0.2, seed=0)
    assert noisy.input_shape == discriminator.input_shape
    assert noisy.output_shape == discriminator.output_shape
    assert noisy.layers[1].name == "instance_noise"


def test_defaults_train_like_make_toy_gan():
    ring = toy.ring()
    plain = toy.make_toy_gan(seed=3)
    plain_history = toy.train_toy_gan(plain, ring, 5, batch_size=32, rng=0)
    tricked = tricks.make_trick_gan(seed=3)
    tricked_history = toy.train_toy_gan(tricked, ring, 5, batch_size=32, rng=0)
    assert np.allclose(plain_history["d_loss"], tricked_history["d_loss"], atol=1e-5)
    assert np.allclose(plain_history["g_loss"], tricked_history["g_loss"], atol=1e-5)


@pytest.mark.parametrize(
    "settings",
    [
        {"real_label": 0.9},
        {"instance_noise": 0.2},
        {"mixed_batch": True, "batch_norm": True},
        {"beta_1": 0.9, "d_steps": 2, "generator_loss": "minimax"},
    ],
    ids=["smoothing", "noise", "mixed-batch-norm", "beta-k-minimax"],
)
def test_trick_gan_trains_finite(settings):
    gan = tricks.make_trick_gan(**settings)
    history = toy.train_toy_gan(gan, toy.ring(), 3, batch_size=32)
    assert np.all(np.isfinite(history["d_loss"]))
    assert np.all(np.isfinite(history["g_loss"]))


def test_batch_norm_adds_layers():
    gan = tricks.make_trick_gan(batch_norm=True)
    names = [layer.name for layer in gan.discriminator.layers]
    assert names.count("hidden_1_batch_norm") == 1
    assert names.count("hidden_2_batch_norm") == 1


def test_smoothing_caps_real_score():
    # Only D trains here, on fixed data, so with smoothing D(real) settles near 0.9, not 1.
    ring = toy.ring()
    smoothed = tricks.make_trick_gan(real_label=0.9, d_learning_rate=1e-2)
    plain = tricks.make_trick_gan(real_label=1.0, d_learning_rate=1e-2)
    tricks.pretrain_discriminator(smoothed, ring, 150)
    tricks.pretrain_discriminator(plain, ring, 150)
    real = ring.sample(512, 1)
    smoothed_score = float(tf.reduce_mean(tf.sigmoid(smoothed.discriminator(real))))
    plain_score = float(tf.reduce_mean(tf.sigmoid(plain.discriminator(real))))
    assert smoothed_score < 0.93
    assert plain_score > smoothed_score


@pytest.fixture(scope="module")
def head_start():
    """A toy GAN whose discriminator trained alone for 150 updates, and D(G(z)) after them."""
    gan = tricks.make_trick_gan()
    return gan, tricks.pretrain_discriminator(gan, toy.ring(), 150)


def test_pretrain_makes_discriminator_confident(head_start):
    _, fake_score = head_start
    assert fake_score < 0.1


def test_minimax_gradient_vanishes_after_head_start(head_start):
    gan, _ = head_start
    minimax = tricks.generator_gradient_norm(gan, kind="minimax")
    non_saturating = tricks.generator_gradient_norm(gan, kind="non_saturating")
    assert minimax < 0.1 * non_saturating


def test_pretrain_rejects_zero_steps():
    with pytest.raises(ValueError, match="steps"):
        tricks.pretrain_discriminator(tricks.make_trick_gan(), toy.ring(), 0)


def test_make_trick_gan_rejects_bad_beta():
    with pytest.raises(ValueError, match="beta_1"):
        tricks.make_trick_gan(beta_1=1.0)


def test_trick_gan_is_a_keras_model():
    assert isinstance(tricks.make_trick_gan(), keras.Model)
