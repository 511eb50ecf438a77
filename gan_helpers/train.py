"""Train the workshop DCGAN from the command line.

Instructors can pre-train a generator before a workshop, and anyone can
reproduce the shipped weights:

    python -m gan_helpers.train --epochs 30 --out outputs/dcgan

The output folder receives `generator.keras` (the trained generator,
loadable with `keras.models.load_model`), `samples.png`, `progress.gif`,
`history.json`, and the checkpoints and `frames.npz` that let an
interrupted run resume with its full history and GIF.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
from gan_helpers import callbacks, data, models, plotting, training
from gan_helpers.cli import HelpFormatter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gan_helpers.train",
        description="Train the workshop DCGAN on real MNIST and save samples, a progress GIF and the generator.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--out", default="outputs/dcgan", help="folder for the generator, samples, GIF and checkpoints")
    parser.add_argument("--epochs", type=int, default=30, help="passes over the training digits")
    parser.add_argument("--batch-size", type=int, default=32, help="real images per training step (split into k minibatches)")
    parser.add_argument("--preset", choices=sorted(models.PRESETS), default="workshop", help="model size: workshop fits a CPU, large wants a GPU")
    parser.add_argument("--latent-dim", type=int, default=None, help="length of the latent vector z (default: the preset's)")
    parser.add_argument("--width", type=int, default=None, help="channels of the last hidden layer (default: the preset's)")
    parser.add_argument("--d-steps", type=int, default=1, help="k, discriminator updates per generator update")
    parser.add_argument("--learning-rate", type=float, default=1e-3, help="Adam learning rate for both networks")
    parser.add_argument("--generator-loss", choices=["non_saturating", "minimax"], default="non_saturating", help="generator objective")
    parser.add_argument("--max-images", type=int, default=None, help="train on at most this many digits (default: all)")
    parser.add_argument("--seed", type=int, default=0, help="random seed for weights, noise and shuffling")
    parser.add_argument("--fresh", action="store_true", help="ignore checkpoints in --out and start from epoch 0")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import keras

    for name in ("epochs", "batch_size", "d_steps"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}.")
    keras.utils.set_random_seed(args.seed)

    digits = data.load_mnist("train", limit=args.max_images, seed=args.seed)
    print(f"Data: {len(digits.images)} digits from {digits.source}")
    dataset = data.make_dataset(digits.images, args.batch_size, seed=args.seed)

    sizes = models.preset(args.preset)
    latent_dim = args.latent_dim or sizes["latent_dim"]
    width = args.width or sizes["width"]
    generator = models.build_generator(latent_dim, width, sizes["kernel_size"])
    discriminator = models.build_discriminator(width, sizes["kernel_size"])
    gan = training.GAN(generator, discriminator, d_steps=args.d_steps, generator_loss=args.generator_loss, seed=args.seed)
    gan.compile(*training.make_optimizers(args.learning_rate))

    os.makedirs(args.out, exist_ok=True)
    checkpoint = callbacks.GANCheckpoint(gan, os.path.join(args.out, "checkpoints"))
    start = 0 if args.fresh else checkpoint.restore()
    if start >= args.epochs:
        print(f"Already trained {start} epochs in {args.out}, so there is nothing to do. "
              "Pass a larger --epochs to continue, or --fresh to start over.")
        return 0

    # Frames and history of earlier runs in this folder, so a resumed run extends them.
    frames_path = os.path.join(args.out, "frames.npz")
    history_path = os.path.join(args.out, "history.json")
    earlier_frames, earlier_epochs, earlier_history, earlier_seconds = [], [], {}, 0.0
    if start > 0 and os.path.exists(frames_path) and os.path.exists(history_path):
        with np.load(frames_path) as stored:
            earlier_frames, earlier_epochs = list(stored["frames"]), stored["epochs"].tolist()
        with open(history_path) as handle:
            earlier_record = json.load(handle)
        earlier_history = earlier_record["history"]
        earlier_seconds = earlier_record["training_seconds"]

    fixed_z = keras.random.normal((64, latent_dim), seed=args.seed)
    monitor = callbacks.SampleMonitor(fixed_z, display=False)
    progress = callbacks.TrainingProgress()

    started = time.perf_counter()
    history = gan.fit(dataset, epochs=args.epochs, initial_epoch=start, verbose=0, callbacks=[checkpoint, monitor, progress])
    seconds = time.perf_counter() - started

    generator.save(os.path.join(args.out, "generator.keras"))
    frames = earlier_frames + monitor.frames
    np.savez_compressed(frames_path, frames=np.stack(frames), epochs=np.array(earlier_epochs + monitor.frame_epochs))
    callbacks.save_gif(frames, os.path.join(args.out, "progress.gif"))
    figure = plotting.show_images(generator(fixed_z, training=False), f"Samples after {args.epochs} epochs")
    figure.savefig(os.path.join(args.out, "samples.png"), dpi=80)
    record = {
        "command_line": vars(args),
        "data_source": digits.source,
        "training_images": int(len(digits.images)),
        "training_seconds": round(earlier_seconds + seconds, 1),
        "history": {
            name: earlier_history.get(name, []) + [float(v) for v in values] for name, values in history.history.items()
        },
    }
    with open(history_path, "w") as handle:
        json.dump(record, handle, indent=2)
    print(f"Trained epochs {start + 1}-{args.epochs} in {seconds:.0f} s; "
          f"wrote generator.keras, samples.png, progress.gif and history.json to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
