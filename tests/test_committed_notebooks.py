"""Checks on the notebooks as committed: they are the GitHub preview of the workshop."""

import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
MAX_BYTES = 3_000_000
LOCAL_PATH = re.compile(r"(/work/|/tmp/|/root/|/home/[a-z]|/Users/[A-Za-z]|[A-Z]:\\\\Users)")
# Noise a learner should never see in a stored output.
NOISE = ("oneDNN custom operations", "cuda_platform", "Traceback (most recent call last)", "DeprecationWarning")


def code_cells(path):
    return [cell for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "code"]


def test_notebooks_exist():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_size_under_limit(path):
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_has_run(path):
    unrun = [index for index, cell in enumerate(code_cells(path)) if cell["source"] and cell["execution_count"] is None]
    assert unrun == [], f"code cells without stored outputs: {unrun}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_error_outputs(path):
    errors = [out.get("ename") for cell in code_cells(path) for out in cell["outputs"] if out["output_type"] == "error"]
    assert errors == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_local_paths_in_outputs(path):
    for cell in code_cells(path):
        text = json.dumps(cell["outputs"])
        match = LOCAL_PATH.search(text)
        assert match is None, f"local path {match.group(0)!r} in the outputs of cell {''.join(cell['source'])[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_log_noise_in_outputs(path):
    for cell in code_cells(path):
        for output in cell["outputs"]:
            if output["output_type"] == "stream":
                text = "".join(output["text"])
                assert not any(marker in text for marker in NOISE), text[:200]
