"""Measure seconds of training until a DCGAN draws good digits: workshop recipe vs classic recipe.

    python -m benchmarks.time_to_quality --budget 300 --classic-budget 900 --seeds 0 1

Both recipes train on the same real MNIST digits in the same process, in
turns of a few seconds each, so background load on a shared machine slows
both alike. After every turn the generator draws digits for one fixed
latent batch and `gan_helpers.metrics` scores them. The quality bar is
class coverage 10/10 and confident fraction >= 0.6; the MNIST Fréchet
distance is reported at the same moments. Training time counts only the
training steps (including the first step's graph tracing), not the
evaluations.

The last line printed is `speedup: X.Yx`, classic time to the bar divided by
workshop time to the bar. A recipe that does not reach the bar counts at its
budget, and the line states that. The classic recipe may get a longer budget
(`--classic-budget`) so that its time to the bar is measured rather than
bounded. It stops at its first evaluation that reaches the bar, because
the speedup needs nothing after that. The workshop recipe always trains for
its whole budget, so the report shows its quality at the end of the budget. A Markdown report goes to
`benchmarks/RESULTS.md` (or `--output`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import platform
import time
from typing import Callable

import gan_helpers  # noqa: F401  (imports TensorFlow quietly)
from gan_helpers import data, metrics, models, quick_mode, training
from gan_helpers import train as trainer
from gan_helpers.cli import HelpFormatter

BAR_COVERAGE = 10
BAR_CONFIDENT = 0.6
RESULTS_PATH = os.path.join(os.path.dirname(__file__), "RESULTS.md")
# Moments (seconds of training) shown in the report's timeline table.
TIMELINE_SECONDS = (15, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600)
# Flag defaults for a real measurement and for the few-second check that the test suite runs.
FULL_DEFAULTS = {"budget": 300.0, "eval_every": 5.0, "samples": 1000, "max_images": None}
QUICK_DEFAULTS = {"budget": 2.0, "eval_every": 2.0, "samples": 200, "max_images": 512}


@dataclasses.dataclass
class Recipe:
    """A way to train a DCGAN: the two models, the optimizers and the batch size."""

    name: str
    build_models: Callable[[], tuple]
    batch_size: int
    learning_rate: float
    beta_1: float
    description: str


def workshop_recipe() -> Recipe:
    """Return the package defaults: the "workshop" preset, `make_optimizers()` and the trainer's batch size."""
    import inspect

    sizes = models.preset("workshop")
    defaults = inspect.signature(training.make_optimizers).parameters
    learning_rate = defaults["learning_rate"].default
    beta_1 = defaults["beta_1"].default
    batch_size = trainer.build_parser().get_default("batch_size")

    def build():
        generator = models.build_generator(sizes["latent_dim"], sizes["width"], sizes["kernel_size"])
        return generator, models.build_discriminator(sizes["width"], sizes["kernel_size"])

    description = (
        f"preset workshop (latent {sizes['latent_dim']}, width {sizes['width']}, kernel {sizes['kernel_size']}), "
        f"Adam {learning_rate:g} beta_1 {beta_1:g}, batch {batch_size}"
    )
    return Recipe("workshop", build, batch_size, learning_rate, beta_1, description)


def classic_recipe() -> Recipe:
    """Return the classic TensorFlow DCGAN tutorial recipe: its models, Adam 1e-4 (beta_1 0.9) and batch 256."""
    return Recipe(
        "classic",
        models.build_classic_tutorial_models,
        256,
        1e-4,
        0.9,
        "TensorFlow tutorial models (latent 100, 5x5 kernels), Adam 1e-4 beta_1 0.9, batch 256",
    )


@dataclasses.dataclass
class Checkpoint:
    """Scores of one evaluation, taken after `seconds` of training."""

    seconds: float
    steps: int
    scores: metrics.Scores
    d_real: float
    d_fake: float

    def reaches_bar(self) -> bool:
        return self.scores.class_coverage >= BAR_COVERAGE and self.scores.confident_fraction >= BAR_CONFIDENT


class RecipeRun:
    """One recipe in training: its GAN, its data stream, its clock and its evaluations."""

    def __init__(self, recipe: Recipe, images, latent_vectors_seed: int, n_samples: int, seed: int):
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(seed)
        self.recipe = recipe
        generator, discriminator = recipe.build_models()
        self.gan = training.GAN(generator, discriminator, seed=seed)
        self.gan.compile(*training.make_optimizers(recipe.learning_rate, recipe.beta_1))
        self.parameters = (generator.count_params(), discriminator.count_params())
        dataset = data.make_dataset(images, recipe.batch_size, seed=seed).repeat()
        self.batches = iter(dataset)
        self.step = tf.function(self.gan.train_step)
        self.latent_vectors = metrics.latent_batch(self.gan.latent_dim, n_samples, latent_vectors_seed)
        self.seconds = 0.0
        self.steps = 0
        self.logs: dict = {}
        self.checkpoints: list[Checkpoint] = []

    def train_for(self, seconds: float) -> None:
        """Run training steps until `seconds` more of training time have passed."""
        stop = self.seconds + seconds
        while self.seconds < stop:
            batch = next(self.batches)
            started = time.perf_counter()
            logs = self.step(batch)
            # Reading a value waits for the step to finish, so the clock includes its full cost.
            self.logs = {name: float(value) for name, value in logs.items()}
            self.seconds += time.perf_counter() - started
            self.steps += 1

    def evaluate(self) -> Checkpoint:
        samples = metrics.generate_samples(self.gan.generator, self.latent_vectors)
        checkpoint = Checkpoint(
            self.seconds, self.steps, metrics.score_images(samples), self.logs.get("D(real)", float("nan")), self.logs.get("D(fake)", float("nan"))
        )
        self.checkpoints.append(checkpoint)
        return checkpoint

    @property
    def images_per_second(self) -> float:
        return self.steps * self.recipe.batch_size / self.seconds if self.seconds else 0.0

    def time_to_bar(self) -> float | None:
        """Seconds of training at the first evaluation that reached the bar, or None."""
        return next((c.seconds for c in self.checkpoints if c.reaches_bar()), None)

    def checkpoint_at(self, seconds: float) -> Checkpoint | None:
        """Return the last evaluation taken at or before `seconds` of training."""
        earlier = [c for c in self.checkpoints if c.seconds <= seconds + 1e-9]
        return earlier[-1] if earlier else None


@dataclasses.dataclass
class SeedResult:
    seed: int
    runs: dict[str, RecipeRun]
    budgets: dict[str, float]
    evaluation_seconds: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    def counted_time(self, name: str) -> float:
        reached = self.runs[name].time_to_bar()
        return self.budgets[name] if reached is None else reached

    @property
    def speedup(self) -> float:
        return self.counted_time("classic") / self.counted_time("workshop")


def run_seed(
    recipes: list[Recipe], images, seed: int, budgets: dict[str, float], eval_every: float, n_samples: int,
    stop_at_bar: tuple[str, ...] = ("classic",),
) -> SeedResult:
    """Train all recipes in turns of `eval_every` seconds until each has used its budget.

    Recipes named in `stop_at_bar` stop at their first evaluation that reaches the bar.
    """
    load_before = os.getloadavg()
    runs = {recipe.name: RecipeRun(recipe, images, seed, n_samples, seed) for recipe in recipes}

    def finished(name: str, run: RecipeRun) -> bool:
        return run.seconds >= budgets[name] or (name in stop_at_bar and run.time_to_bar() is not None)

    evaluation_seconds = []
    while not all(finished(name, run) for name, run in runs.items()):
        for name, run in runs.items():
            if finished(name, run):
                continue
            run.train_for(min(eval_every, budgets[name] - run.seconds))
            started = time.perf_counter()
            checkpoint = run.evaluate()
            evaluation_seconds.append(time.perf_counter() - started)
            scores = checkpoint.scores
            print(
                f"seed {seed} · {run.recipe.name:8} · {checkpoint.seconds:6.1f} s · step {checkpoint.steps:5d} · "
                f"coverage {scores.class_coverage:2d}/10 · confident {scores.confident_fraction:.2f} · "
                f"Fréchet {scores.frechet_distance:7.2f} · D(real)={checkpoint.d_real:.2f} D(fake)={checkpoint.d_fake:.2f}",
                flush=True,
            )
    # The first evaluation of each run includes tracing, so report the median.
    evaluation_seconds.sort()
    median = evaluation_seconds[len(evaluation_seconds) // 2]
    return SeedResult(seed, runs, dict(budgets), median, load_before, os.getloadavg())


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo, or from `platform` where that file is missing."""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def format_time(seconds: float | None, budget: float) -> str:
    return f"not reached in {budget:.0f} s" if seconds is None else f"{seconds:.1f} s"


def speedup_text(result: SeedResult) -> str:
    text = f"{result.speedup:.1f}x"
    workshop_missed = result.runs["workshop"].time_to_bar() is None
    classic_missed = result.runs["classic"].time_to_bar() is None
    if workshop_missed and classic_missed:
        return text + " (no measurement: neither recipe reached the bar, so this is only the ratio of the budgets)"
    if workshop_missed:
        # The workshop time is the divisor, so counting it at its budget makes the ratio an upper bound.
        return text + f" (upper bound: workshop did not reach the bar in its {result.budgets['workshop']:.0f} s budget, counted at the budget)"
    if classic_missed:
        text += f" (lower bound: classic did not reach the bar in its {result.budgets['classic']:.0f} s budget, counted at the budget)"
    return text


def report(results: list[SeedResult], source: str, training_images: int, args: argparse.Namespace) -> str:
    """Return the Markdown report: machine, settings, a summary table and a timeline per seed."""
    import tensorflow as tf

    first = results[0]
    lines = [
        "# Time to quality: workshop recipe vs classic TensorFlow DCGAN recipe",
        "",
        f"Command: `python -m benchmarks.time_to_quality {' '.join(args.argv)}`".rstrip() + "",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores visible to Python",
        f"- TensorFlow {tf.__version__}, Keras {__import__('keras').__version__}, Python {platform.python_version()}",
        f"- Data: {training_images} training digits from {source}",
        f"- Quality bar: class coverage {BAR_COVERAGE}/10 and confident fraction >= {BAR_CONFIDENT}, "
        f"scored on {args.samples} samples of one fixed latent batch per seed",
        f"- Budget per seed: workshop {args.budget:.0f} s of training, classic {args.classic_budget:.0f} s "
        f"(the classic run stops at its first evaluation that reaches the bar); an evaluation after every {args.eval_every:g} s of training",
    ]
    for recipe_run in first.runs.values():
        generator_parameters, discriminator_parameters = recipe_run.parameters
        lines.append(
            f"- {recipe_run.recipe.name}: {recipe_run.recipe.description}; "
            f"G {generator_parameters:,} parameters, D {discriminator_parameters:,}"
        )
    lines += [
        "",
        "Times are wall-clock seconds of training steps, evaluations excluded. Load average "
        "(1 minute) before and after each seed shows how busy the machine was.",
        "",
        "| seed | recipe | real images/s | time to bar | confident at 60 s | confident at end | Fréchet at end | coverage at end | load before/after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, recipe_run in result.runs.items():
            at_60 = recipe_run.checkpoint_at(60) if recipe_run.seconds >= 60 else None
            last = recipe_run.checkpoints[-1]
            lines.append(
                f"| {result.seed} | {name} | {recipe_run.images_per_second:,.0f} | {format_time(recipe_run.time_to_bar(), result.budgets[name])} | "
                f"{'-' if at_60 is None else f'{at_60.scores.confident_fraction:.2f}'} | "
                f"{last.scores.confident_fraction:.2f} (at {last.seconds:.0f} s) | {last.scores.frechet_distance:.1f} | "
                f"{last.scores.class_coverage}/10 | {result.load_before[0]:.1f} / {result.load_after[0]:.1f} |"
            )
    lines += ["", "| seed | speedup (classic time to bar / workshop time to bar) | evaluation of the samples, median |", "|---|---|---|"]
    for result in results:
        lines.append(f"| {result.seed} | {speedup_text(result)} | {result.evaluation_seconds:.2f} s |")
    for result in results:
        lines += [
            "",
            f"## Timeline, seed {result.seed}",
            "",
            "Scores at the last evaluation before each moment: confident fraction / class coverage / MNIST Fréchet distance.",
            "",
            "| seconds of training | " + " | ".join(result.runs) + " |",
            "|---|" + "---|" * len(result.runs),
        ]
        longest = max(run.seconds for run in result.runs.values())
        moments = [moment for moment in TIMELINE_SECONDS if moment < longest]
        for moment in [*moments, None]:
            cells = []
            for recipe_run in result.runs.values():
                # None stands for the end: the last evaluation of each recipe.
                checkpoint = recipe_run.checkpoints[-1] if moment is None else recipe_run.checkpoint_at(moment)
                if checkpoint is None or (moment is not None and moment > recipe_run.seconds + 1e-9):
                    cells.append("-")  # not evaluated yet, or the run had stopped
                else:
                    scores = checkpoint.scores
                    cells.append(f"{scores.confident_fraction:.2f} / {scores.class_coverage} / {scores.frechet_distance:.1f}")
                if moment is None:
                    cells[-1] += f" (at {recipe_run.seconds:.0f} s)"
            label = "end" if moment is None else f"{moment:g}"
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.time_to_quality",
        description="Train the workshop and the classic DCGAN recipe side by side and report seconds of training to the quality bar.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--budget", type=float, default=None, help="seconds of training per seed for the workshop recipe (default: 300, or 2 in quick mode)")
    parser.add_argument(
        "--classic-budget", type=float, default=None,
        help="seconds of training per seed for the classic recipe, which stops once it reaches the bar (default: the --budget)",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds for weights, data order and the fixed latent batch")
    parser.add_argument("--eval-every", type=float, default=None, help="seconds of training between evaluations (default: 5, or 2 in quick mode)")
    parser.add_argument("--samples", type=int, default=None, help="samples per evaluation (default: 1000, or 200 in quick mode)")
    parser.add_argument("--max-images", type=int, default=None, help="train on at most this many digits (default: all, or 512 in quick mode)")
    parser.add_argument("--quick", action="store_true", help="a run of a few seconds that checks the benchmark works (also set by GAN_WORKSHOP_QUICK=1)")
    parser.add_argument("--output", default=RESULTS_PATH, help="Markdown file for the report")
    return parser


def main(argv: list[str] | None = None) -> int:
    import sys

    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    quick = args.quick or quick_mode()
    defaults = QUICK_DEFAULTS if quick else FULL_DEFAULTS
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.classic_budget is None:
        args.classic_budget = args.budget
    for name in ("budget", "classic_budget", "eval_every"):
        if getattr(args, name) <= 0:
            raise SystemExit(f"--{name.replace('_', '-')} must be a positive number of seconds, got {getattr(args, name)}.")
    if args.samples < 2:
        raise SystemExit(f"--samples must be at least 2 for a covariance, got {args.samples}. Use 1000.")

    digits = data.load_mnist("train", limit=args.max_images, seed=0)
    print(f"Data: {len(digits.images)} training digits from {digits.source}", flush=True)
    recipes = [workshop_recipe(), classic_recipe()]
    for recipe in recipes:
        print(f"{recipe.name}: {recipe.description}", flush=True)

    results = []
    for seed in args.seeds:
        budgets = {"workshop": args.budget, "classic": args.classic_budget}
        result = run_seed(recipes, digits.images, seed, budgets, args.eval_every, args.samples)
        results.append(result)
        for name, recipe_run in result.runs.items():
            print(
                f"seed {seed} · {name}: {recipe_run.images_per_second:,.0f} images/s · "
                f"time to bar {format_time(recipe_run.time_to_bar(), result.budgets[name])}",
                flush=True,
            )
        print(f"seed {seed} · speedup {speedup_text(result)}", flush=True)

    directory = os.path.dirname(args.output)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(args.output, "w") as handle:
        handle.write(report(results, digits.source, len(digits.images), args))
    print(f"Wrote the report to {args.output}")
    # Over several seeds the final line quotes the lowest speedup, the claim every seed supports.
    worst = min(results, key=lambda result: result.speedup)
    suffix = f" (lowest of {len(results)} seeds: {', '.join(str(r.seed) for r in results)})" if len(results) > 1 else ""
    print(f"speedup: {speedup_text(worst)}{suffix}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
