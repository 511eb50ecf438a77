"""Score changes to the workshop recipe after the same number of training images.

    python -m benchmarks.recipe_variants --images 256000 --seed 0

The workshop recipe reaches class coverage 10/10 and confident fraction 0.6
after 50 to 65 s of training, but its confident fraction then levels off
near 0.7 (see `benchmarks/RESULTS.md`). This script trains the recipe and a set of
common remedies one after another, each for the same number of real images,
and scores every generator with `gan_helpers.metrics` on the same fixed
latent batch. Variants that cost more per image (the wider models) also
report their images/s, so their scores can be compared at equal time.

Variants:

- workshop: the package defaults, for reference.
- ema: scores an exponential moving average of the generator's weights
  (decay 0.999) instead of the generator itself.
- lr-decay: both learning rates fall linearly from 1e-3 to 1e-4.
- wide-generator / wide-discriminator: width 64 instead of 32 for one player.
- shift-augment: every image passed to the discriminator, real or
  generated, is shifted by up to 2 pixels. Differentiable augmentation like
  this is a common remedy when the discriminator can memorize a small
  training set, such as the 4,000 offline digits.
- batch-64 / batch-128: larger batches (128 with learning rate 2e-3).
- conditional: a class-conditional GAN (Mirza and Osindero, 2014). The
  generator gets the digit's one-hot label next to z, and the discriminator
  adds the inner product of a label embedding with its features to its
  logit (the projection discriminator of Miyato and Koyama, 2018). It is
  scored on labels 0-9 in turn, so it tests whether the plateau comes from
  blends between classes.

A Markdown table goes to `benchmarks/VARIANTS.md` (or `--output`).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import time

import numpy as np

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
from gan_helpers import data, metrics, models, quick_mode, training
from gan_helpers.cli import HelpFormatter

VARIANTS_PATH = os.path.join(os.path.dirname(__file__), "VARIANTS.md")
# Settings of the workshop recipe. Each variant overrides some of them.
BASE = {
    "generator_width": 32,
    "discriminator_width": 32,
    "batch_size": 32,
    "learning_rate": 1e-3,
    "final_learning_rate": None,
    "ema_decay": None,
    "max_shift": 0,
    "conditional": False,
}
VARIANTS = {
    "workshop": {},
    "ema": {"ema_decay": 0.999},
    "lr-decay": {"final_learning_rate": 1e-4},
    "wide-generator": {"generator_width": 64},
    "wide-discriminator": {"discriminator_width": 64},
    "shift-augment": {"max_shift": 2},
    "batch-64": {"batch_size": 64},
    "batch-128": {"batch_size": 128, "learning_rate": 2e-3},
    "conditional": {"conditional": True},
}


def random_shift(images, max_shift: int):
    """Shift each image by its own random offset of up to `max_shift` pixels, filling with background (-1).

    Built from padding and gathers, so gradients flow through it to the generator.
    """
    import tensorflow as tf

    batch = tf.shape(images)[0]
    height, width = images.shape[1], images.shape[2]
    padded = tf.pad(images, [[0, 0], [max_shift, max_shift], [max_shift, max_shift], [0, 0]], constant_values=-1.0)
    top = tf.random.uniform([batch], 0, 2 * max_shift + 1, tf.int32)
    left = tf.random.uniform([batch], 0, 2 * max_shift + 1, tf.int32)
    rows = top[:, None] + tf.range(height)[None, :]
    columns = left[:, None] + tf.range(width)[None, :]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, columns, axis=2, batch_dims=1)


def build_discriminator(settings: dict):
    """Build the workshop discriminator, behind a random shift when the variant sets `max_shift`."""
    import keras

    discriminator = models.build_discriminator(settings["discriminator_width"], 4)
    if not settings["max_shift"]:
        return discriminator
    image = keras.Input(shape=models.IMAGE_SHAPE, name="image")
    shifted = keras.layers.Lambda(lambda x: random_shift(x, settings["max_shift"]), name="random_shift")(image)
    return keras.Model(image, discriminator(shifted), name="shifted_discriminator")


def time_steps(step, batches, steps: int) -> float:
    """Run `step` on `steps` batches and return the seconds spent in the steps, batch loading excluded.

    `batches` yields tuples of step arguments, and `step` returns a tensor to wait for.
    """
    seconds = 0.0
    for _ in range(steps):
        arguments = next(batches)
        started = time.perf_counter()
        float(step(*arguments))  # wait for the step, so the clock includes its full cost
        seconds += time.perf_counter() - started
    return seconds


def generate(generator, *inputs: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Run the generator in inference mode on `inputs` in batches and return NumPy images.

    Calls the model instead of `predict`, because a new predict function per variant makes TensorFlow warn about retracing.
    """
    batches = []
    for start in range(0, len(inputs[0]), batch_size):
        pieces = [values[start : start + batch_size] for values in inputs]
        batches.append(np.asarray(generator(pieces if len(pieces) > 1 else pieces[0], training=False)))
    return np.concatenate(batches)


def scored_row(name: str, steps: int, batch_size: int, seconds: float, samples: np.ndarray) -> dict:
    """Return one table row: the variant's steps, images, images/s and scores."""
    return {
        "name": name,
        "steps": steps,
        "images": steps * batch_size,
        "images_per_second": steps * batch_size / seconds,
        "scores": metrics.score_images(samples),
    }


def build_conditional_models(latent_dim: int, settings: dict):
    """Build a label-conditioned workshop generator and a projection discriminator."""
    import keras
    from keras import layers

    z = keras.Input(shape=(latent_dim,), name="z")
    label = keras.Input(shape=(), dtype="int32", name="label")
    one_hot = layers.CategoryEncoding(10, output_mode="one_hot", name="one_hot")(label)
    body = models.build_generator(latent_dim + 10, settings["generator_width"], 4)
    generator = keras.Model([z, label], body(layers.Concatenate(name="z_and_label")([z, one_hot])), name="conditional_generator")

    # The workshop discriminator without its last Dense layer gives the features.
    features_model = keras.Sequential(models.build_discriminator(settings["discriminator_width"], 4).layers[:-1], name="features")
    image = keras.Input(shape=models.IMAGE_SHAPE, name="image")
    image_label = keras.Input(shape=(), dtype="int32", name="label")
    features = features_model(image)
    embedding = layers.Embedding(10, features.shape[-1], name="label_embedding")(image_label)
    projection = layers.Dot(axes=1, name="projection")([embedding, features])
    logit = layers.Add(name="logit")([layers.Dense(1, name="unconditional_logit")(features), projection])
    return generator, keras.Model([image, image_label], logit, name="projection_discriminator")


def train_conditional(name: str, settings: dict, images, labels, n_images: int, seed: int, latent_vectors) -> dict:
    """Train the conditional variant with the workshop's losses, optimizer and batch size, then score it."""
    import keras
    import tensorflow as tf

    from gan_helpers import losses

    keras.utils.set_random_seed(seed)
    latent_dim = models.preset("workshop")["latent_dim"]
    generator, discriminator = build_conditional_models(latent_dim, settings)
    d_optimizer = keras.optimizers.Adam(settings["learning_rate"], beta_1=0.5)
    g_optimizer = keras.optimizers.Adam(settings["learning_rate"], beta_1=0.5)

    @tf.function
    def step(real_images, real_labels):
        # Algorithm 1 with k = 1 and the non-saturating generator loss. Unlike training.GAN, the generator
        # step also moves D's batch-norm statistics, which nothing here reads because D only trains.
        batch = tf.shape(real_images)[0]
        fake_labels = tf.random.uniform((batch,), 0, 10, tf.int32)
        fake_images = generator([tf.random.normal((batch, latent_dim)), fake_labels], training=True)
        with tf.GradientTape() as tape:
            d_loss = losses.discriminator_loss(
                discriminator([real_images, real_labels], training=True), discriminator([fake_images, fake_labels], training=True)
            )
        d_optimizer.apply_gradients(zip(tape.gradient(d_loss, discriminator.trainable_weights), discriminator.trainable_weights))
        fake_labels = tf.random.uniform((batch,), 0, 10, tf.int32)
        with tf.GradientTape() as tape:
            fake_images = generator([tf.random.normal((batch, latent_dim)), fake_labels], training=True)
            g_loss = losses.generator_loss(discriminator([fake_images, fake_labels], training=True))
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, generator.trainable_weights), generator.trainable_weights))
        return d_loss

    dataset = tf.data.Dataset.from_tensor_slices((images, labels.astype("int32"))).cache()
    dataset = dataset.shuffle(len(images), seed=seed).repeat().batch(settings["batch_size"], drop_remainder=True).prefetch(2)
    steps = max(1, n_images // settings["batch_size"])
    seconds = time_steps(step, iter(dataset), steps)
    sample_labels = np.arange(len(latent_vectors)) % 10
    return scored_row(name, steps, settings["batch_size"], seconds, generate(generator, latent_vectors, sample_labels))


def train_variant(name: str, images, labels, n_images: int, seed: int, latent_vectors) -> dict:
    """Train one variant on `n_images` real images and return its scores, steps and images/s."""
    import keras
    import tensorflow as tf

    settings = {**BASE, **VARIANTS[name]}
    if settings["conditional"]:
        return train_conditional(name, settings, images, labels, n_images, seed, latent_vectors)
    keras.utils.set_random_seed(seed)
    latent_dim = models.preset("workshop")["latent_dim"]
    generator = models.build_generator(latent_dim, settings["generator_width"], 4)
    gan = training.GAN(generator, build_discriminator(settings), seed=seed)
    steps = max(1, n_images // settings["batch_size"])
    rates = []
    for _ in range(2):  # one schedule object per optimizer
        if settings["final_learning_rate"] is None:
            rates.append(settings["learning_rate"])
        else:
            rates.append(keras.optimizers.schedules.PolynomialDecay(settings["learning_rate"], steps, settings["final_learning_rate"]))
    gan.compile(keras.optimizers.Adam(rates[0], beta_1=0.5), keras.optimizers.Adam(rates[1], beta_1=0.5))

    scored = generator
    pairs = []
    if settings["ema_decay"] is not None:
        scored = models.build_generator(latent_dim, settings["generator_width"], 4)
        scored.set_weights(generator.get_weights())
        pairs = list(zip(scored.weights, generator.weights))  # includes batch-norm statistics
    decay = settings["ema_decay"]

    @tf.function
    def step(batch):
        logs = gan.train_step(batch)
        for average, weight in pairs:
            average.assign(decay * average + (1.0 - decay) * weight)
        return logs["d_loss"]

    dataset = data.make_dataset(images, settings["batch_size"], seed=seed).repeat().map(lambda batch: (batch,))
    seconds = time_steps(step, iter(dataset), steps)
    return scored_row(name, steps, settings["batch_size"], seconds, generate(scored, latent_vectors))


def report(rows: list[dict], args: argparse.Namespace, source: str, training_images: int, real: metrics.Scores, quick: bool = False) -> str:
    import keras
    import tensorflow as tf

    from benchmarks.time_to_quality import cpu_model

    lines = [
        "# Workshop recipe variants at an equal number of training images",
        "",
        f"Command: `python -m benchmarks.recipe_variants {' '.join(args.argv)}`".rstrip(),
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores visible to Python",
        f"- TensorFlow {tf.__version__}, Keras {keras.__version__}, Python {platform.python_version()}",
        f"- Data: {training_images} training digits from {source}; seed {args.seed}; {args.samples} samples of one fixed latent batch per variant",
        f"- Held-out real digits score: confident fraction {real.confident_fraction:.2f}, coverage {real.class_coverage}/10, "
        f"MNIST Fréchet distance {real.frechet_distance:.1f}",
        "",
        "Images/s come from this run and depend on what else the machine was doing. Compare them only within one run.",
    ]
    if quick:
        lines += ["", "Quick mode: the variants train too few steps to differ, so this table only shows that every code path ran."]
    lines += [
        "",
        "| variant | settings changed | steps | real images | images/s | confident fraction | coverage | Fréchet |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        changed = ", ".join(f"{key} {value:g}" if not isinstance(value, bool) else key for key, value in VARIANTS[row["name"]].items()) or "none"
        scores = row["scores"]
        lines.append(
            f"| {row['name']} | {changed} | {row['steps']:,} | {row['images']:,} | {row['images_per_second']:,.0f} | "
            f"{scores.confident_fraction:.2f} | {scores.class_coverage}/10 | {scores.frechet_distance:.1f} |"
        )
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.recipe_variants",
        description="Train variants of the workshop recipe on the same number of images and score each generator.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--images", type=int, default=None, help="real images per variant (default: 256000, or 640 in quick mode)")
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS), help="variants to train, in order")
    parser.add_argument("--seed", type=int, default=0, help="seed for weights, data order and the fixed latent batch")
    parser.add_argument("--samples", type=int, default=None, help="samples scored per variant (default: 1000, or 200 in quick mode)")
    parser.add_argument("--max-images", type=int, default=None, help="train on at most this many digits (default: all, or 512 in quick mode)")
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds per variant that checks the script works (also set by GAN_WORKSHOP_QUICK=1)")
    parser.add_argument("--output", default=VARIANTS_PATH, help="Markdown file for the table")
    return parser


def main(argv: list[str] | None = None) -> int:
    import sys

    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    quick = args.quick or quick_mode()
    if args.images is None:
        args.images = 640 if quick else 256_000
    if args.samples is None:
        args.samples = 200 if quick else 1000
    if args.images < 128:
        raise SystemExit(f"--images must be at least 128 so every variant gets a full batch, got {args.images}.")
    if args.samples < 2:
        raise SystemExit(f"--samples must be at least 2 for a covariance, got {args.samples}. Use 1000.")

    if args.max_images is None and quick:
        args.max_images = 512
    digits = data.load_mnist("train", limit=args.max_images, seed=0)
    print(f"Data: {len(digits.images)} training digits from {digits.source}", flush=True)
    latent_vectors = metrics.latent_batch(models.preset("workshop")["latent_dim"], args.samples, args.seed)
    rows = []
    for name in args.variants:
        row = train_variant(name, digits.images, digits.labels, args.images, args.seed, latent_vectors)
        scores = row["scores"]
        print(
            f"{name:18} · {row['images']:,} images · {row['images_per_second']:,.0f} images/s · "
            f"confident {scores.confident_fraction:.2f} · coverage {scores.class_coverage}/10 · Fréchet {scores.frechet_distance:.1f}",
            flush=True,
        )
        rows.append(row)
    real, _ = metrics.real_scores(args.samples)
    directory = os.path.dirname(args.output)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(args.output, "w") as handle:
        handle.write(report(rows, args, digits.source, len(digits.images), real, quick))
    print(f"Wrote the table to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
