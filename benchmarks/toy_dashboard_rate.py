"""Measure how often the toy GAN dashboard redraws while it plays.

The dashboard plays the 8-mode ring with the recommended settings. One update
is a frame: `iterations per redraw` training iterations (Algorithm 1 steps),
then one redraw of the figure into the image widget's PNG bytes. The script
reports updates per second over the whole play and the milliseconds one
redraw takes (probe of G and D, plot update, PNG encoding). It also reports
training iterations per second without redraws, and the one-off cost of
tracing a new training step after k changes.
The trip to the browser is not included.

Run from the repository root:

    python -m benchmarks.toy_dashboard_rate [--frames 60] [--iterations-per-frame 10]

The dashboard's target is at least 3 updates per second on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import time

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
import numpy as np

from gan_helpers import toy
from gan_helpers.toy_lab import ToyGANLab

TARGET_UPDATES_PER_SECOND = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames to time after a warm-up (default 60)")
    parser.add_argument("--iterations-per-frame", type=int, default=10, help="training iterations between redraws (default 10)")
    arguments = parser.parse_args()

    lab = ToyGANLab(toy.ring(), iterations_per_frame=arguments.iterations_per_frame)
    lab.run(3 * arguments.iterations_per_frame)  # warm-up: traces the training step and the probe

    redraws_before = len(lab.redraw_seconds)
    iterations = arguments.frames * arguments.iterations_per_frame
    started = time.perf_counter()
    lab.play(max_iterations=iterations)
    lab.wait()
    elapsed = time.perf_counter() - started
    if lab.play_error is not None:
        raise SystemExit(f"Play stopped by an error: {lab.play_error}")
    redraw_ms = 1000 * np.array(lab.redraw_seconds[redraws_before:])
    frames = len(redraw_ms)

    training_started = time.perf_counter()
    lab._train(200)
    training_rate = 200 / (time.perf_counter() - training_started)

    lab.k_slider.value = 5
    trace_started = time.perf_counter()
    lab.step()
    trace_seconds = time.perf_counter() - trace_started
    lab.k_slider.value = 1
    lab.step()
    lab.k_slider.value = 5
    cached_started = time.perf_counter()
    lab.step()
    cached_seconds = time.perf_counter() - cached_started

    updates_per_second = frames / elapsed
    print(f"ring of 8 Gaussians · {arguments.iterations_per_frame} iterations per update · {frames} updates")
    print(f"updates per second while playing: {updates_per_second:.1f} (target at least {TARGET_UPDATES_PER_SECOND:.0f})")
    print(f"redraw: median {np.median(redraw_ms):.0f} ms, 90th percentile {np.percentile(redraw_ms, 90):.0f} ms")
    print(f"training alone: {training_rate:.0f} iterations/s with k=1, batch {lab.batch_size}")
    print(f"first step after changing k to 5: {trace_seconds:.1f} s (tracing); switching back to a traced k: {1000 * cached_seconds:.0f} ms")


if __name__ == "__main__":
    main()
