"""Measure how long a latent-explorer slider move takes in the kernel.

A move is timed from setting the slider's value (as a message from the
browser would) to the new PNG bytes being stored in the image widget. That
covers the hand-off to the explorer's render thread, one generator forward
pass and the PNG encoding; the trip to the browser is not included. The
script also times the forward pass and the encoding alone, and checks that a
burst of moves faster than rendering is coalesced instead of queued.

Run from the repository root:

    python -m benchmarks.slider_latency [--moves 300] [--generator PATH]

The explorer's target is a median under 30 ms on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import time

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
import numpy as np

from gan_helpers import widgets

TARGET_MS = 30.0


def percentiles(seconds: list[float]) -> str:
    milliseconds = np.asarray(seconds) * 1000
    return f"median {np.median(milliseconds):6.2f} ms · p90 {np.percentile(milliseconds, 90):6.2f} ms · max {milliseconds.max():6.2f} ms"


def time_calls(function, count: int) -> list[float]:
    timings = []
    for index in range(count):
        start = time.perf_counter()
        function(index)
        timings.append(time.perf_counter() - start)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=300, help="slider moves to time")
    parser.add_argument("--generator", default=None, help="a .keras generator (default: the shipped one)")
    args = parser.parse_args(argv)

    loaded = widgets.load_generator(args.generator or widgets.SHIPPED_GENERATOR_PATH, verbose=False)
    name = args.generator or "the shipped generator (gan_helpers/assets/generator.keras)"
    renderer = widgets.DigitRenderer(loaded.model)
    directions, _ = widgets.principal_directions(renderer, count=6, samples=1000)
    explorer = widgets.LatentExplorer(renderer, directions, seed=7)
    slider = explorer.sliders[0]
    values = np.linspace(-3, 3, 61)
    latents = np.random.default_rng(0).standard_normal((args.moves, renderer.latent_dim)).astype("float32")

    def move(index: int) -> None:
        # Neighbouring values always differ, so every move triggers a render.
        slider.value = float(values[index % len(values)])
        explorer.wait()

    # Warm-up: the first calls of a tf.function and of the thread are slower.
    time_calls(move, 20)
    forward = time_calls(lambda index: renderer.generate(latents[index]), args.moves)
    pixels = renderer.pixels(latents[0])[0]
    encode = time_calls(lambda index: widgets.encode_png(pixels, renderer.scale), args.moves)
    moves = time_calls(move, args.moves)

    submitted, completed = explorer.worker.submitted, explorer.worker.completed
    burst = 200
    start = time.perf_counter()
    for index in range(burst):
        slider.value = float(values[index % len(values)])
    explorer.wait()
    burst_seconds = time.perf_counter() - start
    rendered = explorer.worker.completed - completed
    dropped = explorer.worker.submitted - submitted - rendered
    explorer.close()

    print(f"generator: {name}, latent_dim {renderer.latent_dim}, {loaded.model.count_params():,} parameters")
    print(f"forward pass only     {percentiles(forward)}")
    print(f"PNG encoding only     {percentiles(encode)}")
    print(f"slider move to PNG    {percentiles(moves)}  (target: median < {TARGET_MS:.0f} ms)")
    print(
        f"burst of {burst} moves: rendered {rendered}, dropped {dropped} as stale, "
        f"{burst_seconds * 1000:.0f} ms until the last value was shown"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
