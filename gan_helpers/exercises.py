"""Check functions for the exercises of the GAN math notebook, with solutions kept out of sight.

Each `check_*` function calls the learner's function on a few fixed inputs,
compares the result with the right answer and returns a `Feedback`. When an
answer is wrong, the feedback names the input, the returned and the expected
value, and, when the mistake is a common one (a flipped sign, real and fake
swapped, a sum in place of a mean), says which. The solutions are printed
only on request: `show_solution("discriminator_loss")`.

Scores are plain NumPy arrays of D(x) in (0, 1); answers written with NumPy
or with TensorFlow operations are both accepted.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import numpy as np

EXERCISES = ("discriminator_loss", "generator_loss", "optimal_discriminator")
RELATIVE_TOLERANCE = 1e-4
ABSOLUTE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Feedback:
    """The result of a check: whether it passed, and a message for the learner.

    In a notebook, a `Feedback` left as the last line of a cell shows its message.
    """

    passed: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.passed


# Inputs the answers are checked on: D(x) on real samples and D(G(z)) on generated ones.
_SCORE_CASES = (
    {"d_real": np.array([0.9, 0.8, 0.7, 0.6]), "d_fake": np.array([0.1, 0.2, 0.4, 0.3])},
    {"d_real": np.array([0.5, 0.5]), "d_fake": np.array([0.5, 0.5])},
    {"d_real": np.array([0.99, 0.3, 0.75]), "d_fake": np.array([0.02, 0.6, 0.45])},
)
# Inputs for the optimal discriminator: densities at a few points, including
# points where only one of them is nonzero.
_DENSITY_CASES = (
    {"p_data": np.array([0.4, 0.1, 0.25]), "p_g": np.array([0.1, 0.4, 0.25])},
    {"p_data": np.array([0.3, 0.0, 0.05]), "p_g": np.array([0.0, 0.2, 0.15])},
)


def _discriminator_loss(d_real, d_fake):
    return -(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))


def _generator_loss(d_fake):
    return -np.mean(np.log(d_fake))


def _optimal_discriminator(p_data, p_g):
    return p_data / (p_data + p_g)


# Common mistakes: (what the wrong answer computes, what to tell the learner).
_DISCRIMINATOR_MISTAKES = (
    (
        lambda d_real, d_fake: np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)),
        "The sign is flipped. D maximizes V = mean log D(x) + mean log(1 - D(G(z))), so the loss it minimizes is -V.",
    ),
    (
        lambda d_real, d_fake: -(np.mean(np.log(d_fake)) + np.mean(np.log(1 - d_real))),
        "Real and fake are swapped: log D(x) goes with the real scores d_real, log(1 - D(G(z))) with d_fake.",
    ),
    (
        lambda d_real, d_fake: -(np.mean(np.log(d_real)) + np.mean(np.log(d_fake))),
        "The fake term should be log(1 - D(G(z))): D wants low scores on fakes, so it rewards 1 - d_fake.",
    ),
    (
        lambda d_real, d_fake: -(np.sum(np.log(d_real)) + np.sum(np.log(1 - d_fake))),
        "The terms are sums; use the mean over the batch, the minibatch estimate of the expectation.",
    ),
    (
        lambda d_real, d_fake: -np.mean(np.log(d_real)),
        "Only the real term is there. Add the fake term, -mean log(1 - d_fake).",
    ),
    (
        lambda d_real, d_fake: -np.mean(np.log(1 - d_fake)),
        "Only the fake term is there. Add the real term, -mean log(d_real).",
    ),
    (
        lambda d_real, d_fake: -np.mean(np.log(d_real) + np.log(1 - d_fake)) / 2,
        "The loss is halved. Add the two means without dividing by 2.",
    ),
)
_GENERATOR_MISTAKES = (
    (
        lambda d_fake: np.mean(np.log(1 - d_fake)),
        "This is the minimax loss log(1 - D(G(z))), which saturates when D rejects the fakes. "
        "Write the non-saturating loss -log D(G(z)).",
    ),
    (
        lambda d_fake: np.mean(np.log(d_fake)),
        "The sign is flipped. G maximizes log D(G(z)), so the loss it minimizes is -log D(G(z)).",
    ),
    (
        lambda d_fake: -np.sum(np.log(d_fake)),
        "This is a sum; use the mean over the batch.",
    ),
    (
        lambda d_fake: -np.mean(np.log(1 - d_fake)),
        "This is the discriminator's fake term. G's loss uses log D(G(z)): it wants its fakes scored high.",
    ),
)
_OPTIMAL_D_MISTAKES = (
    (
        lambda p_data, p_g: p_g / (p_data + p_g),
        "The densities are swapped. D*(x) is the share of the real density: p_data / (p_data + p_g).",
    ),
    (
        lambda p_data, p_g: p_data / np.where(p_g > 0, p_g, np.inf),
        "p_data / p_g is a density ratio, not a probability. Divide by the sum p_data + p_g.",
    ),
    (
        lambda p_data, p_g: p_data / (p_data + p_g) / 2,
        "The result is halved. D*(x) = p_data / (p_data + p_g) with no factor 1/2.",
    ),
)

_SOLUTIONS = {
    "discriminator_loss": '''def discriminator_loss(d_real, d_fake):
    # D maximizes V = E[log D(x)] + E[log(1 - D(G(z)))], so it minimizes -V.
    return -(np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake)))''',
    "generator_loss": '''def generator_loss(d_fake):
    # The non-saturating loss: G maximizes log D(G(z)), so it minimizes its negative.
    return -np.mean(np.log(d_fake))''',
    "optimal_discriminator": '''def optimal_discriminator(p_data, p_g):
    # Pointwise maximum of p_data * log(D) + p_g * log(1 - D) over D in (0, 1).
    return p_data / (p_data + p_g)''',
}
_HINTS = {
    "discriminator_loss": "D maximizes mean log D(x) + mean log(1 - D(G(z))). A loss is minimized, so return the negative.",
    "generator_loss": "The non-saturating generator maximizes log D(G(z)). Return the negative of its batch mean.",
    "optimal_discriminator": "Set the derivative of p_data log y + p_g log(1 - y) with respect to y to zero and solve for y.",
}


def _describe(inputs: dict) -> str:
    return ", ".join(f"{name}={np.array2string(np.asarray(value), precision=3, separator=', ')}" for name, value in inputs.items())


def _call(function: Callable, inputs: dict):
    """Call the learner's function; return (result array or None, feedback message or None)."""
    name = getattr(function, "__name__", "your function")
    argument_names = ", ".join(inputs)
    try:
        inspect.signature(function).bind(**inputs)
    except TypeError as error:
        return None, f"{name} cannot be called as {name}({argument_names}): {error}. Define it with exactly the arguments ({argument_names})."
    except ValueError:
        pass  # Some built-in callables have no readable signature; just call them.
    try:
        result = function(**{key: value.copy() for key, value in inputs.items()})
    except NotImplementedError:
        return None, f"Not written yet: {name} raises NotImplementedError. Replace that line with your code and run the cell again."
    except Exception as error:  # Any error in learner code becomes feedback instead of a traceback.
        return None, f"{name} raised {type(error).__name__}: {error} on input {_describe(inputs)}."
    if result is None:
        return None, f"{name} returned None on input {_describe(inputs)}. Did you forget the return statement?"
    try:
        return np.asarray(result, dtype="float64"), None
    except (TypeError, ValueError):
        return None, f"{name} returned {type(result).__name__}, which is not a number or an array of numbers."


def _check(function: Callable, cases, reference: Callable, mistakes, scalar: bool, quantity: str) -> Feedback:
    if not callable(function):
        return Feedback(False, f"Pass the function itself, not {type(function).__name__}: for example check_...(my_function), without parentheses after my_function.")
    name = getattr(function, "__name__", "your function")
    for inputs in cases:
        result, problem = _call(function, inputs)
        if problem:
            return Feedback(False, problem)
        expected = np.asarray(reference(**inputs), dtype="float64")
        if scalar and result.size != 1:
            return Feedback(False, f"{name} returned an array of shape {result.shape} on input {_describe(inputs)}; {quantity} is one number, the mean over the batch.")
        if not scalar and result.shape != expected.shape:
            return Feedback(False, f"{name} returned shape {result.shape} on input {_describe(inputs)}; expected one score per point, shape {expected.shape}.")
        result = result.reshape(expected.shape)
        if np.allclose(result, expected, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE):
            continue
        shown_result = np.array2string(result, precision=4, separator=", ")
        shown_expected = np.array2string(expected, precision=4, separator=", ")
        message = f"Not yet: on input {_describe(inputs)}, {name} returned {shown_result} but {quantity} is {shown_expected}."
        for mistake, advice in mistakes:
            with np.errstate(divide="ignore", invalid="ignore"):
                guess = np.asarray(mistake(**inputs), dtype="float64").reshape(expected.shape)
            if np.allclose(result, guess, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE):
                message += f" {advice}"
                break
        return Feedback(False, message)
    return Feedback(True, f"Correct: {name} matches {quantity} on all {len(cases)} test inputs.")


def check_discriminator_loss(function: Callable) -> Feedback:
    """Check a discriminator loss written as `function(d_real, d_fake) -> number`.

    The expected loss is -[mean log D(x) + mean log(1 - D(G(z)))], the negative
    of the discriminator's part of the value function for one minibatch.
    """
    return _check(function, _SCORE_CASES, _discriminator_loss, _DISCRIMINATOR_MISTAKES, scalar=True, quantity="the discriminator loss")


def check_generator_loss(function: Callable) -> Feedback:
    """Check a non-saturating generator loss written as `function(d_fake) -> number`: -mean log D(G(z))."""
    cases = tuple({"d_fake": case["d_fake"]} for case in _SCORE_CASES)
    return _check(function, cases, _generator_loss, _GENERATOR_MISTAKES, scalar=True, quantity="the non-saturating generator loss")


def check_optimal_discriminator(function: Callable) -> Feedback:
    """Check an optimal discriminator written as `function(p_data, p_g) -> array` of D*(x) at each point."""
    return _check(function, _DENSITY_CASES, _optimal_discriminator, _OPTIMAL_D_MISTAKES, scalar=False, quantity="D*(x)")


def _check_name(name: str) -> None:
    if name not in EXERCISES:
        raise ValueError(f"Unknown exercise {name!r}. Use one of {', '.join(EXERCISES)}.")


def hint(name: str) -> None:
    """Print a hint for an exercise, without giving the solution away.

    Raises:
        ValueError: If `name` is not one of `EXERCISES`.
    """
    _check_name(name)
    print(_HINTS[name])


def solution(name: str) -> str:
    """Return the source of the solution to an exercise.

    Raises:
        ValueError: If `name` is not one of `EXERCISES`.
    """
    _check_name(name)
    return _SOLUTIONS[name]


def show_solution(name: str) -> None:
    """Print the solution to an exercise. Try the exercise first.

    Raises:
        ValueError: If `name` is not one of `EXERCISES`.
    """
    print(solution(name))
