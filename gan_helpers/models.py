"""DCGAN generator and discriminator for 28x28 grayscale digits.

Both follow the five architecture guidelines of Radford et al. (2015),
"Unsupervised Representation Learning with Deep Convolutional GANs":

1. Strided convolutions in D and transposed (fractional-strided) convolutions
   in G, instead of pooling.
2. Batch normalization in both networks, except the generator's output layer
   and the discriminator's input layer.
3. No fully connected hidden layers: G's first layer projects z with one
   matrix multiply and reshapes it, and D ends with a single linear output.
4. ReLU in G, except a tanh output layer.
5. LeakyReLU (slope 0.2) in all layers of D.
"""

from __future__ import annotations

import keras
from keras import layers

IMAGE_SHAPE = (28, 28, 1)

# "workshop" is sized for a 2-core CPU laptop: the generator has about 0.5 M
# parameters and the discriminator about 40 k. "large" is about the size of
# the classic TensorFlow DCGAN tutorial (2.1 M and 0.2 M) and wants a GPU.
PRESETS = {
    "workshop": {"latent_dim": 64, "width": 32, "kernel_size": 4},
    "large": {"latent_dim": 100, "width": 64, "kernel_size": 5},
}


def _check_positive(name: str, value, hint: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}. {hint}")


def preset(name: str) -> dict:
    """Return a copy of the size settings of a named preset ("workshop" or "large").

    Raises:
        ValueError: If the preset does not exist.
    """
    if name not in PRESETS:
        raise ValueError(f"Unknown preset {name!r}. Use one of {', '.join(PRESETS)}.")
    return dict(PRESETS[name])


def build_generator(latent_dim: int = 64, width: int = 32, kernel_size: int = 4) -> keras.Model:
    """Build a DCGAN generator that maps a latent vector z to a 28x28x1 image in [-1, 1].

    Args:
        latent_dim: Length of the latent vector z.
        width: Channels of the last hidden layer. The layers before it have
            2x and 4x as many, so the parameter count grows with width squared.
        kernel_size: Side of the transposed-convolution kernels. A kernel size
            divisible by the stride (4 for stride 2) avoids checkerboard artifacts.

    Returns:
        An uncompiled `keras.Model` named "generator".

    Raises:
        ValueError: If a size is not a positive integer.
    """
    _check_positive("latent_dim", latent_dim, "Try 64.")
    _check_positive("width", width, "Try 32 on a CPU or 64 on a GPU.")
    _check_positive("kernel_size", kernel_size, "Try 4.")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,), name="z"),
            # Guideline 3: one projection of z, reshaped into a 7x7 feature map.
            layers.Dense(7 * 7 * 4 * width, use_bias=False, name="project"),
            layers.Reshape((7, 7, 4 * width), name="reshape_7x7"),
            layers.BatchNormalization(name="bn_7x7"),  # Guideline 2
            layers.ReLU(name="relu_7x7"),  # Guideline 4
            # Guideline 1: a transposed convolution doubles the resolution, 7 -> 14.
            layers.Conv2DTranspose(2 * width, kernel_size, strides=2, padding="same", use_bias=False, name="up_14x14"),
            layers.BatchNormalization(name="bn_14x14"),
            layers.ReLU(name="relu_14x14"),
            # 14 -> 28, one channel, tanh so pixels land in [-1, 1] like the scaled data.
            layers.Conv2DTranspose(1, kernel_size, strides=2, padding="same", activation="tanh", name="up_28x28"),
        ],
        name="generator",
    )


def build_discriminator(width: int = 32, kernel_size: int = 4, image_shape: tuple = IMAGE_SHAPE) -> keras.Model:
    """Build a DCGAN discriminator that maps an image to one logit (real vs generated).

    The output is a logit l, not a probability, so the losses can use the
    numerically stable softplus form. D(x) = sigmoid(l).

    Args:
        width: Channels of the first convolution. The second has twice as many.
        kernel_size: Side of the convolution kernels.
        image_shape: Shape of one input image.

    Returns:
        An uncompiled `keras.Model` named "discriminator".

    Raises:
        ValueError: If a size is not a positive integer.
    """
    _check_positive("width", width, "Try 32 on a CPU or 64 on a GPU.")
    _check_positive("kernel_size", kernel_size, "Try 4.")
    return keras.Sequential(
        [
            keras.Input(shape=image_shape, name="image"),
            # Guideline 1: a stride-2 convolution halves the resolution instead of pooling, 28 -> 14.
            # Guideline 2 skips batch normalization on D's input layer, as the DCGAN paper does.
            layers.Conv2D(width, kernel_size, strides=2, padding="same", name="down_14x14"),
            layers.LeakyReLU(negative_slope=0.2, name="leaky_14x14"),  # Guideline 5
            layers.Conv2D(2 * width, kernel_size, strides=2, padding="same", use_bias=False, name="down_7x7"),
            layers.BatchNormalization(name="bn_7x7"),
            layers.LeakyReLU(negative_slope=0.2, name="leaky_7x7"),
            # Guideline 3: no hidden dense layer, just one linear output.
            layers.Flatten(name="flatten"),
            layers.Dense(1, name="logit"),
        ],
        name="discriminator",
    )


def build_classic_tutorial_models(latent_dim: int = 100) -> tuple[keras.Model, keras.Model]:
    """Build the generator and discriminator of the classic TensorFlow DCGAN tutorial.

    This is the recipe the workshop's defaults are measured against: G is Dense
    7*7*256 -> transposed convolutions 128 -> 64 -> 1 with 5x5 kernels, batch
    normalization and LeakyReLU, and D is Conv 64 -> Conv 128 (5x5, stride 2,
    LeakyReLU, dropout 0.3) -> Dense 1. It does not follow guidelines 4 and 5
    exactly (LeakyReLU in G, no batch normalization in D), as in the tutorial.

    Args:
        latent_dim: Length of the latent vector z (the tutorial uses 100).

    Returns:
        The (generator, discriminator) pair.
    """
    _check_positive("latent_dim", latent_dim, "Try 100.")
    generator = keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Reshape((7, 7, 256)),
            layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
        ],
        name="classic_generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE),
            layers.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ],
        name="classic_discriminator",
    )
    return generator, discriminator
