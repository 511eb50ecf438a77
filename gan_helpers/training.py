"""Adversarial training as a Keras model, so `fit()` brings progress, history and callbacks.

`GAN.train_step` follows Algorithm 1 of Goodfellow et al. (2014), "Generative
Adversarial Nets": k discriminator updates on fresh minibatches, then one
generator update.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_helpers.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss


class GAN(keras.Model):
    """A generator and a discriminator trained against each other.

    Each batch that `fit()` passes in is split into `d_steps` equal
    minibatches of real images, one for each discriminator update, so a batch
    of k*m images gives k updates on m real and m generated images each.

    Args:
        generator: Model mapping (batch, latent_dim) noise to images.
        discriminator: Model mapping images to one logit each.
        d_steps: k, the discriminator updates per generator update (the
            original paper used k = 1).
        generator_loss: "non_saturating" (default) or "minimax".
        seed: Seed for the noise z, so runs are repeatable.

    Raises:
        ValueError: If the two models do not fit together or a setting is invalid.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        d_steps: int = 1,
        generator_loss: str = "non_saturating",
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(d_steps, int) or isinstance(d_steps, bool) or d_steps < 1:
            raise ValueError(f"d_steps (k) must be an integer of at least 1, got {d_steps!r}. The original paper used k = 1.")
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"Unknown generator_loss {generator_loss!r}. Use one of {', '.join(GENERATOR_LOSSES)}.")
        generated_shape = tuple(generator.output_shape[1:])
        expected_shape = tuple(discriminator.input_shape[1:])
        if generated_shape != expected_shape:
            raise ValueError(
                f"The generator makes images of shape {generated_shape} but the discriminator expects "
                f"{expected_shape}. Build both for the same image shape."
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.input_shape[-1])
        self.image_shape = expected_shape
        self.d_steps = d_steps
        self.generator_loss_kind = generator_loss
        self.noise_seed = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="D(real)")
        self.d_fake_tracker = keras.metrics.Mean(name="D(fake)")

    def compile(self, d_optimizer: keras.optimizers.Optimizer, g_optimizer: keras.optimizers.Optimizer, **kwargs):
        """Set one optimizer for each player and create their variables.

        The optimizer variables are built here, not at the first step, so a
        checkpoint can be restored into them before training starts.
        """
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]

    def fit(self, *args, shuffle: bool = False, **kwargs):
        """Train with `keras.Model.fit`, without its reshuffle of already shuffled datasets.

        `fit` warns that it ignores `shuffle=True` for a `tf.data.Dataset`, and
        `make_dataset` shuffles already, so the default here is False.
        """
        return super().fit(*args, shuffle=shuffle, **kwargs)

    def call(self, z, training=False):
        """Generate images from latent vectors z of shape (batch, latent_dim)."""
        check_latent_vectors(z, self.latent_dim)
        return self.generator(z, training=training)

    def sample_noise(self, count):
        """Draw `count` latent vectors z from the standard normal prior p(z)."""
        return keras.random.normal((count, self.latent_dim), seed=self.noise_seed)

    def _check_batch(self, real_images) -> None:
        shape = tuple(real_images.shape[1:])
        if shape != self.image_shape:
            raise ValueError(
                f"Expected real samples of shape (batch, {', '.join(map(str, self.image_shape))}), "
                f"got (batch, {', '.join(map(str, shape))}). Pass data of the shape the discriminator takes: "
                "gan_helpers.data.load_mnist() for the digit models, a gan_helpers.toy distribution for the toy models."
            )
        batch_size = real_images.shape[0]
        if batch_size is not None and batch_size % self.d_steps:
            raise ValueError(
                f"A batch of {batch_size} images cannot be split into d_steps={self.d_steps} equal minibatches. "
                f"Use a batch size that is a multiple of {self.d_steps}."
            )

    def discriminator_step(self, real_images):
        """Run one discriminator update on m real images and m generated ones.

        Returns:
            The loss and the mean scores D(x) on real and D(G(z)) on generated images.
        """
        fake_images = self.generator(self.sample_noise(tf.shape(real_images)[0]), training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real_images, training=True)
            fake_logits = self.discriminator(fake_images, training=True)
            loss = discriminator_loss(real_logits, fake_logits)
        weights = self.discriminator.trainable_weights
        # Minimizing -V is gradient ascent on V for the discriminator.
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss, tf.reduce_mean(tf.sigmoid(real_logits)), tf.reduce_mean(tf.sigmoid(fake_logits))

    def generator_step(self, batch_size):
        """Run one generator update on `batch_size` fresh latent vectors and return its loss."""
        z = self.sample_noise(batch_size)
        discriminator = self.discriminator
        with tf.GradientTape() as tape:
            fake_images = self.generator(z, training=True)
            # A stateless call scores the fakes with D's batch statistics and discards the
            # moving averages it would update, because the generator step must not change D.
            fake_logits, _ = discriminator.stateless_call(
                [v.value for v in discriminator.trainable_variables],
                [v.value for v in discriminator.non_trainable_variables],
                fake_images,
                training=True,
            )
            loss = generator_loss(fake_logits, self.generator_loss_kind)
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    def train_step(self, data):
        real_images = data[0] if isinstance(data, (tuple, list)) else data
        self._check_batch(real_images)
        minibatches = tf.split(real_images, self.d_steps) if self.d_steps > 1 else [real_images]
        for real_minibatch in minibatches:  # k discriminator steps, unrolled into the graph
            d_loss, d_real, d_fake = self.discriminator_step(real_minibatch)
        g_loss = self.generator_step(tf.shape(minibatches[0])[0])
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(d_real)
        self.d_fake_tracker.update_state(d_fake)
        return {metric.name: metric.result() for metric in self.metrics}


def check_latent_vectors(z, latent_dim: int) -> None:
    """Raise a ValueError naming both sizes if z is not a batch of `latent_dim`-long vectors."""
    shape = tuple(z.shape)
    if len(shape) != 2 or shape[-1] != latent_dim:
        raise ValueError(
            f"Expected latent vectors of shape (batch, {latent_dim}), got shape {shape}. "
            f"Draw them with the generator's latent size, e.g. np.random.normal(size=(16, {latent_dim}))."
        )


def make_optimizers(learning_rate: float = 1e-3, beta_1: float = 0.5) -> tuple[keras.optimizers.Adam, keras.optimizers.Adam]:
    """Create one Adam optimizer per player, tuned for the workshop DCGAN on a CPU.

    Radford et al. (2015) found learning rate 1e-3 too high for their models
    and used 2e-4, and lowered Adam's beta_1 from 0.9 to 0.5 because 0.9 made
    training oscillate. The default keeps beta_1 = 0.5 but uses 1e-3: with the
    small "workshop" models and batches of 32 it reached readable digits
    sooner than 2e-4 or 5e-4 on a 2-core CPU (see benchmarks/RESULTS.md).
    For larger models, start from the paper's 2e-4.

    Returns:
        The (d_optimizer, g_optimizer) pair.
    """
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}. The DCGAN paper used 2e-4.")
    return (
        keras.optimizers.Adam(learning_rate, beta_1=beta_1),
        keras.optimizers.Adam(learning_rate, beta_1=beta_1),
    )
