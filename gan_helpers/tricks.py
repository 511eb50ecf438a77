"""Training tricks for GANs that `training.GAN` does not have, as small add-ons.

- One-sided label smoothing (Salimans et al., 2016, "Improved Techniques for
  Training GANs"): the discriminator aims at 0.9 instead of 1 on real data,
  so it cannot become arbitrarily sure and its gradients stay useful.
- Instance noise (Sønderby et al., 2016, "Amortised MAP Inference for Image
  Super-resolution"; Arjovsky and Bottou, 2017): Gaussian noise on every
  input of the discriminator, real or generated, makes the two
  distributions overlap, so the discriminator cannot separate them perfectly.
- A mixed real-and-generated discriminator batch, the set-up that the
  "separate real and fake minibatches" tip warns against when D uses batch
  normalization.
- A discriminator head start and a measure of the generator's gradient, to
  show why the minimax generator loss stalls when D wins early.

`TrickGAN` subclasses `training.GAN`, so the Algorithm 1 step, `d_steps`,
the two generator losses and `toy.train_toy_gan` work unchanged.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from gan_helpers import toy
from gan_helpers.losses import generator_loss
from gan_helpers.training import GAN


def smoothed_discriminator_loss(real_logits, fake_logits, real_label: float = 0.9):
    """Compute the discriminator's cross-entropy with target `real_label` for real data and 0 for fakes.

    With `real_label` = 1 this equals `losses.discriminator_loss`. Only the
    real target is smoothed ("one-sided"). Smoothing the fake target too would
    make the best D score above 0 where only generated samples lie, so the
    generator would get less push away from those places.

    Args:
        real_logits: Discriminator logits for a batch of real samples.
        fake_logits: Discriminator logits for a batch of generated samples.
        real_label: Target score for real samples, in (0.5, 1].

    Returns:
        A scalar tensor: the mean of -[a log D(x) + (1 - a) log(1 - D(x))] over
        real samples, a = `real_label`, plus the mean of -log(1 - D(G(z))) over fakes.
    """
    check_real_label(real_label)
    # log D = -softplus(-l) and log(1 - D) = -softplus(l) for D = sigmoid(l).
    real_term = tf.reduce_mean(real_label * tf.nn.softplus(-real_logits) + (1.0 - real_label) * tf.nn.softplus(real_logits))
    fake_term = tf.reduce_mean(tf.nn.softplus(fake_logits))
    return real_term + fake_term


def check_real_label(real_label: float) -> None:
    """Raise a ValueError naming the value unless 0.5 < real_label <= 1."""
    if isinstance(real_label, bool) or not isinstance(real_label, (int, float, np.number)) or not 0.5 < real_label <= 1:
        raise ValueError(
            f"real_label must be a number in (0.5, 1], got {real_label!r}. "
            "Use 0.9 for one-sided label smoothing, or 1.0 for none."
        )


class InstanceNoise(layers.Layer):
    """Add Gaussian noise of standard deviation `stddev` to the input during training only.

    Unlike `keras.layers.GaussianNoise`, the standard deviation is a variable,
    so it can be lowered during training (annealed) without retracing.

    Args:
        stddev: Initial standard deviation, at least 0.
        seed: Seed of the noise.
    """

    def __init__(self, stddev: float = 0.1, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        check_stddev(stddev)
        self.initial_stddev = float(stddev)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.stddev = self.add_weight(
            shape=(), initializer=keras.initializers.Constant(self.initial_stddev), trainable=False, name="stddev"
        )

    def call(self, inputs, training=False):
        if not training:
            return inputs
        noise = keras.random.normal(tf.shape(inputs), seed=self.seed_generator, dtype=inputs.dtype)
        return inputs + tf.cast(self.stddev, inputs.dtype) * noise

    def get_config(self):
        return {**super().get_config(), "stddev": self.initial_stddev, "seed": self.seed}


def check_stddev(stddev: float) -> None:
    """Raise a ValueError naming the value unless stddev is a finite number of at least 0."""
    if isinstance(stddev, bool) or not isinstance(stddev, (int, float, np.number)) or not 0 <= stddev < float("inf"):
        raise ValueError(f"stddev must be a finite number of at least 0, got {stddev!r}. Try 0.1 times the data's spread.")


def with_instance_noise(discriminator: keras.Model, stddev: float, seed: int | None = None) -> keras.Model:
    """Wrap a discriminator so that every input, real or generated, gets Gaussian noise in training.

    Both players see the noisy discriminator, because the generator's update
    also calls D with `training=True`. Plots and scores that call D with
    `training=False` see the clean input.

    Args:
        discriminator: The model to wrap.
        stddev: Standard deviation of the noise, in data units.
        seed: Seed of the noise.

    Returns:
        A `keras.Model` named "discriminator" with the same input and output
        shapes; its first layer, named "instance_noise", is an `InstanceNoise`.
    """
    inputs = keras.Input(shape=discriminator.input_shape[1:], name="input")
    noisy = InstanceNoise(stddev, seed=seed, name="instance_noise")(inputs)
    return keras.Model(inputs, discriminator(noisy), name="discriminator")


class TrickGAN(GAN):
    """A `training.GAN` with one-sided label smoothing and an optional mixed discriminator batch.

    Args:
        generator: Model mapping (batch, latent_dim) noise to samples.
        discriminator: Model mapping samples to one logit each.
        real_label: The discriminator's target on real samples: 1.0 is the
            plain GAN, 0.9 is one-sided label smoothing.
        mixed_batch: If True, each discriminator update scores real and
            generated samples in one concatenated batch, so batch
            normalization layers in D compute their statistics over both.
            If False (the default, like `training.GAN`), D scores a batch of
            only real samples and a batch of only generated ones.
        **kwargs: Passed on to `training.GAN` (d_steps, generator_loss, seed).
    """

    def __init__(self, generator, discriminator, real_label: float = 1.0, mixed_batch: bool = False, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        check_real_label(real_label)
        self.real_label = float(real_label)
        self.mixed_batch = bool(mixed_batch)

    def discriminator_step(self, real_images):
        """Run one discriminator update with the smoothed real target; return the loss and mean scores."""
        count = tf.shape(real_images)[0]
        fake_images = self.generator(self.sample_noise(count), training=True)
        with tf.GradientTape() as tape:
            if self.mixed_batch:
                logits = self.discriminator(tf.concat([real_images, fake_images], axis=0), training=True)
                real_logits, fake_logits = logits[:count], logits[count:]
            else:
                real_logits = self.discriminator(real_images, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
            loss = smoothed_discriminator_loss(real_logits, fake_logits, self.real_label)
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss, tf.reduce_mean(tf.sigmoid(real_logits)), tf.reduce_mean(tf.sigmoid(fake_logits))


def make_trick_gan(
    real_label: float = 1.0,
    instance_noise: float = 0.0,
    mixed_batch: bool = False,
    batch_norm: bool = False,
    beta_1: float = 0.5,
    data_dim: int = 2,
    latent_dim: int = 2,
    width: int = 64,
    depth: int = 2,
    d_steps: int = 1,
    generator_loss: str = "non_saturating",
    d_learning_rate: float = 1e-3,
    g_learning_rate: float = 1e-3,
    seed: int | None = 0,
) -> TrickGAN:
    """Build and compile a toy GAN like `toy.make_toy_gan`, with the tricks switched on or off.

    With the defaults it trains exactly like `toy.make_toy_gan` with the same
    arguments: same models, same seeds, same optimizers.

    Args:
        real_label: D's target on real samples; 0.9 is one-sided label smoothing.
        instance_noise: Standard deviation of the Gaussian noise added to D's
            inputs in training; 0 for none.
        mixed_batch: Score real and generated samples in one D batch (see `TrickGAN`).
        batch_norm: Put a batch normalization layer after each hidden layer of D.
        beta_1: Adam's beta_1 for both players; the DCGAN paper lowered it
            from 0.9 to 0.5 because 0.9 made training oscillate.
        data_dim, latent_dim, width, depth, d_steps, generator_loss,
        d_learning_rate, g_learning_rate, seed: As in `toy.make_toy_gan`.

    Returns:
        A compiled `TrickGAN` ready for `toy.train_toy_gan`.
    """
    check_real_label(real_label)
    check_stddev(instance_noise)
    if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float, np.number)) or not 0 <= beta_1 < 1:
        raise ValueError(f"beta_1 must be a number in [0, 1), got {beta_1!r}. The DCGAN paper used 0.5.")
    # make_toy_gan checks the shared settings, seeds the weights and builds both networks.
    plain = toy.make_toy_gan(
        data_dim=data_dim, latent_dim=latent_dim, width=width, depth=depth, d_steps=d_steps,
        generator_loss=generator_loss, d_learning_rate=d_learning_rate, g_learning_rate=g_learning_rate, seed=seed,
    )
    discriminator = plain.discriminator
    if batch_norm:
        discriminator = _with_batch_norm(discriminator)
    if instance_noise > 0:
        discriminator = with_instance_noise(discriminator, instance_noise, seed=seed)
    gan = TrickGAN(
        plain.generator, discriminator, real_label=real_label, mixed_batch=mixed_batch,
        d_steps=d_steps, generator_loss=generator_loss, seed=seed,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=beta_1),
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=beta_1),
    )
    return gan


def _with_batch_norm(discriminator: keras.Sequential) -> keras.Sequential:
    """Rebuild a toy discriminator with a BatchNormalization layer after each hidden Dense layer, reusing its layers."""
    stack = [keras.Input(shape=discriminator.input_shape[1:], name="point")]
    for layer in discriminator.layers:
        stack.append(layer)
        if isinstance(layer, layers.Dense) and layer.name.startswith("hidden_"):
            stack.append(layers.BatchNormalization(name=f"{layer.name}_batch_norm"))
    return keras.Sequential(stack, name="discriminator")


def pretrain_discriminator(gan: GAN, distribution: toy.ToyDistribution, steps: int, batch_size: int = 128, rng=0) -> float:
    """Train only the discriminator for `steps` updates while the generator stays fixed: a head start for D.

    Returns:
        The mean score D(G(z)) on generated samples after the last update.
    """
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}. Try 300.")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    step = tf.function(gan.discriminator_step)
    d_fake = None
    for _ in range(steps):
        _, _, d_fake = step(tf.constant(distribution.sample(batch_size, rng)))
    return float(d_fake)


def generator_gradient_norm(gan: GAN, count: int = 512, kind: str | None = None, seed: int = 0) -> float:
    """Measure how hard the generator loss pushes generated samples: the mean norm of d(loss)/d G(z).

    The gradient is taken per sample (the loss summed, not averaged, over the
    batch), with respect to the generated sample G(z) itself, so it does not
    depend on the generator's weights. A value near 0 means the generator
    gets almost no signal from the discriminator. D runs in inference mode,
    so instance noise is off and batch normalization uses its moving averages.

    Args:
        gan: A GAN, trained or not.
        count: Generated samples to average over.
        kind: "non_saturating" or "minimax"; the GAN's own loss by default.
        seed: Seed of the latent vectors.

    Returns:
        The mean Euclidean norm of the per-sample gradients.
    """
    kind = kind or gan.generator_loss_kind
    z = np.random.default_rng(seed).standard_normal((count, gan.latent_dim)).astype("float32")
    samples = tf.constant(gan.generator(z, training=False))
    with tf.GradientTape() as tape:
        tape.watch(samples)
        logits = gan.discriminator(samples, training=False)
        loss = generator_loss(logits, kind) * count
    gradients = tape.gradient(loss, samples)
    return float(tf.reduce_mean(tf.norm(tf.reshape(gradients, (count, -1)), axis=1)))
