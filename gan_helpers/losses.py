"""GAN losses written on discriminator logits.

The discriminator outputs a logit l, and D(x) = sigmoid(l) is its score in
(0, 1). Writing the losses on logits with softplus keeps them finite when D
is very sure: log(sigmoid(l)) = -softplus(-l) and log(1 - sigmoid(l)) = -softplus(l).
"""

from __future__ import annotations

import tensorflow as tf

GENERATOR_LOSSES = ("non_saturating", "minimax")


def discriminator_loss(real_logits, fake_logits):
    """Compute the discriminator loss -[log D(x) + log(1 - D(G(z)))], averaged.

    Minimizing it is gradient ascent on the discriminator's part of the value
    function V(D, G), as in Algorithm 1 of Goodfellow et al. (2014).

    Args:
        real_logits: Discriminator logits for a batch of real images.
        fake_logits: Discriminator logits for a batch of generated images.

    Returns:
        A scalar tensor: mean of softplus(-real_logits) plus mean of softplus(fake_logits).
    """
    real_term = tf.reduce_mean(tf.nn.softplus(-real_logits))  # -log D(x)
    fake_term = tf.reduce_mean(tf.nn.softplus(fake_logits))  # -log(1 - D(G(z)))
    return real_term + fake_term


def generator_loss(fake_logits, kind: str = "non_saturating"):
    """Compute the generator loss on the discriminator's logits for generated images.

    Args:
        fake_logits: Discriminator logits for a batch of generated images.
        kind: "non_saturating" minimizes -log D(G(z)), which keeps strong
            gradients while D rejects the fakes. "minimax" minimizes
            log(1 - D(G(z))), the generator's term of the value function, whose
            gradient vanishes early in training when D(G(z)) is near 0.

    Returns:
        A scalar tensor with the mean loss over the batch.

    Raises:
        ValueError: If `kind` is not one of the two losses.
    """
    if kind == "non_saturating":
        return tf.reduce_mean(tf.nn.softplus(-fake_logits))  # -log D(G(z))
    if kind == "minimax":
        return -tf.reduce_mean(tf.nn.softplus(fake_logits))  # log(1 - D(G(z)))
    raise ValueError(f"Unknown generator loss {kind!r}. Use one of {', '.join(GENERATOR_LOSSES)}.")
