import os
import re
import subprocess
import sys
import types

import pytest

from benchmarks import time_to_quality

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """Run the benchmark end to end in quick mode, as a user would from the repository root."""
    output = tmp_path_factory.mktemp("benchmark") / "RESULTS.md"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.time_to_quality", "--quick", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return completed, output


def fake_result(workshop_time, classic_time, budget=100.0, classic_budget=None):
    runs = {
        name: types.SimpleNamespace(time_to_bar=lambda seconds=seconds: seconds)
        for name, seconds in (("workshop", workshop_time), ("classic", classic_time))
    }
    budgets = {"workshop": budget, "classic": budget if classic_budget is None else classic_budget}
    return time_to_quality.SeedResult(0, runs, budgets, 0.5, (0, 0, 0), (0, 0, 0))


def test_quick_run_succeeds(quick_run):
    completed, _ = quick_run
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_quick_run_final_line_is_speedup(quick_run):
    completed, _ = quick_run
    last_line = completed.stdout.strip().splitlines()[-1]
    assert re.match(r"^speedup: \d+\.\dx", last_line), last_line


def test_quick_run_writes_table(quick_run):
    _, output = quick_run
    text = output.read_text()
    assert "| 0 | workshop |" in text
    assert "| 0 | classic |" in text
    assert "- CPU: " in text
    assert "TensorFlow " in text
    assert "- Date: " in text


def test_speedup_divides_classic_by_workshop():
    result = fake_result(workshop_time=20.0, classic_time=90.0)
    assert result.speedup == pytest.approx(4.5)
    assert time_to_quality.speedup_text(result) == "4.5x"


def test_speedup_counts_missed_bar_at_budget():
    result = fake_result(workshop_time=20.0, classic_time=None, budget=300.0)
    assert result.speedup == pytest.approx(15.0)
    assert "lower bound: classic did not reach the bar" in time_to_quality.speedup_text(result)


def test_classic_counts_at_its_own_budget():
    result = fake_result(workshop_time=50.0, classic_time=None, budget=300.0, classic_budget=900.0)
    assert result.speedup == pytest.approx(18.0)
    assert "in its 900 s budget" in time_to_quality.speedup_text(result)


def test_neither_reaching_bar_is_no_measurement():
    result = fake_result(workshop_time=None, classic_time=None, budget=300.0)
    assert "no measurement" in time_to_quality.speedup_text(result)


def test_workshop_missing_bar_gives_upper_bound():
    result = fake_result(workshop_time=None, classic_time=600.0, budget=300.0)
    assert result.speedup == pytest.approx(2.0)
    assert "upper bound: workshop did not reach the bar" in time_to_quality.speedup_text(result)


def test_workshop_recipe_uses_package_defaults():
    from gan_helpers import models, train

    recipe = time_to_quality.workshop_recipe()
    generator, _ = recipe.build_models()
    assert recipe.batch_size == train.build_parser().get_default("batch_size")
    assert generator.input_shape[-1] == models.preset("workshop")["latent_dim"]


def test_classic_recipe_matches_tutorial():
    recipe = time_to_quality.classic_recipe()
    assert recipe.batch_size == 256
    assert recipe.learning_rate == 1e-4


@pytest.mark.parametrize("flag", ["--budget=0", "--classic-budget=-5", "--eval-every=-1", "--samples=1"])
def test_invalid_flag_exits(flag):
    with pytest.raises(SystemExit, match="must be"):
        time_to_quality.main([flag, "--quick"])
