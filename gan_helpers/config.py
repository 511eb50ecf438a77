"""Workshop-wide settings: quick mode and quiet TensorFlow start-up.

Quick mode exists for CI and for instructors who want to check that every
notebook runs. It shrinks training length (epochs, steps, data size) and
nothing else, so every code path still runs.
"""

from __future__ import annotations

import os
from typing import TypeVar

QUICK_ENV_VAR = "GAN_WORKSHOP_QUICK"

T = TypeVar("T")


def quick_mode() -> bool:
    """Return True when the `GAN_WORKSHOP_QUICK` environment variable is set to 1, true or yes."""
    return os.environ.get(QUICK_ENV_VAR, "").strip().lower() in {"1", "true", "yes"}


def pick(full: T, quick: T) -> T:
    """Choose a training-length setting: `quick` in quick mode, `full` otherwise.

    Args:
        full: The value a learner gets in the workshop.
        quick: The smaller value used in CI.

    Returns:
        `quick` when quick mode is on, else `full`.
    """
    return quick if quick_mode() else full


# Lines TensorFlow's C++ runtime writes straight to file descriptor 2 while it
# loads on a CPU-only machine. They are informational, and in a notebook they
# would show up as red stderr boxes, so `import_tensorflow_quietly` drops them.
_STARTUP_NOISE = (
    "All log messages before absl::InitializeLog()",
    "oneDNN custom operations are on",
    "Could not find cuda drivers",
    "This TensorFlow binary is optimized",
    "To enable the following instructions",
    "rebuild TensorFlow with the appropriate compiler flags",
    "Unable to register cuDNN factory",
    "Unable to register cuFFT factory",
    "Unable to register cuBLAS factory",
    "computation placer already registered",
    "TF-TRT Warning",
)


def _is_startup_noise(line: str) -> bool:
    return any(marker in line for marker in _STARTUP_NOISE)


def import_tensorflow_quietly():
    """Import TensorFlow without its CPU start-up log lines, keeping oneDNN on.

    `TF_CPP_MIN_LOG_LEVEL` does not silence the lines TensorFlow prints before
    its logger starts, and turning oneDNN off (`TF_ENABLE_ONEDNN_OPTS=0`) hides
    one of them but made DCGAN training about twice as slow on a 2-core CPU.
    Instead, this captures file descriptor 2 during the import and re-prints
    every line that is not known start-up noise, so real errors still show.

    Returns:
        The `tensorflow` module.
    """
    import sys

    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    # Level 3 hides INFO, WARNING and ERROR lines of the C++ runtime after start-up: on a
    # CPU-only machine those are a failed CUDA probe and a harmless graph-remapper notice.
    # Failures that matter still raise Python exceptions.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tempfile

    sys.stderr.flush()
    saved_fd = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            import tensorflow
        finally:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
    other_lines = [line for line in text.splitlines() if line.strip() and not _is_startup_noise(line)]
    if other_lines:
        print("\n".join(other_lines), file=sys.stderr)
    return tensorflow
