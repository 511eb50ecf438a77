"""The exercise checks: right answers pass, common wrong answers fail with the reason named."""

import numpy as np
import pytest
import tensorflow as tf

from gan_helpers import exercises


def run_solution(name):
    """Define the shipped solution of an exercise and return it as a function."""
    namespace = {"np": np}
    exec(exercises.solution(name), namespace)
    return namespace[name]


@pytest.mark.parametrize("name", exercises.EXERCISES)
def test_solutions_pass(name):
    check = getattr(exercises, f"check_{name}")
    assert check(run_solution(name)).passed


def test_discriminator_loss_right():
    def loss(d_real, d_fake):
        return -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))

    feedback = exercises.check_discriminator_loss(loss)
    assert feedback.passed
    assert feedback.message.startswith("Correct")


def test_discriminator_loss_tensorflow_answer():
    def loss(d_real, d_fake):
        return -(tf.reduce_mean(tf.math.log(d_real)) + tf.reduce_mean(tf.math.log(1 - d_fake)))

    assert exercises.check_discriminator_loss(loss).passed


def test_discriminator_loss_flipped_sign():
    def loss(d_real, d_fake):
        return np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))

    feedback = exercises.check_discriminator_loss(loss)
    assert not feedback.passed
    assert "sign is flipped" in feedback.message
    assert "d_real=[0.9, 0.8, 0.7, 0.6]" in feedback.message


def test_discriminator_loss_swapped_inputs():
    def loss(d_real, d_fake):
        return -(np.mean(np.log(d_fake)) + np.mean(np.log(1 - d_real)))

    feedback = exercises.check_discriminator_loss(loss)
    assert not feedback.passed
    assert "swapped" in feedback.message


def test_discriminator_loss_sum_not_mean():
    def loss(d_real, d_fake):
        return -(np.sum(np.log(d_real)) + np.sum(np.log(1 - d_fake)))

    feedback = exercises.check_discriminator_loss(loss)
    assert not feedback.passed
    assert "mean" in feedback.message


def test_discriminator_loss_per_sample_array():
    def loss(d_real, d_fake):
        return -(np.log(d_real) + np.log(1 - d_fake))

    feedback = exercises.check_discriminator_loss(loss)
    assert not feedback.passed
    assert "shape (4,)" in feedback.message


def test_discriminator_loss_unknown_mistake():
    def loss(d_real, d_fake):
        return 1.0

    feedback = exercises.check_discriminator_loss(loss)
    assert not feedback.passed
    assert "returned 1." in feedback.message


def test_generator_loss_minimax_named():
    def loss(d_fake):
        return np.mean(np.log(1 - d_fake))

    feedback = exercises.check_generator_loss(loss)
    assert not feedback.passed
    assert "minimax" in feedback.message


def test_generator_loss_right():
    def loss(d_fake):
        return -np.mean(np.log(d_fake))

    assert exercises.check_generator_loss(loss).passed


def test_optimal_discriminator_swapped():
    def optimal(p_data, p_g):
        return p_g / (p_data + p_g)

    feedback = exercises.check_optimal_discriminator(optimal)
    assert not feedback.passed
    assert "swapped" in feedback.message


def test_optimal_discriminator_scalar_answer():
    def optimal(p_data, p_g):
        return float(np.mean(p_data / (p_data + p_g)))

    feedback = exercises.check_optimal_discriminator(optimal)
    assert not feedback.passed
    assert "shape" in feedback.message


def test_stub_not_written():
    def loss(d_fake):
        raise NotImplementedError

    feedback = exercises.check_generator_loss(loss)
    assert not feedback.passed
    assert "Not written yet" in feedback.message


def test_missing_return():
    def loss(d_fake):
        np.mean(np.log(d_fake))

    feedback = exercises.check_generator_loss(loss)
    assert not feedback.passed
    assert "return statement" in feedback.message


def test_wrong_signature():
    def loss(scores):
        return -np.mean(np.log(scores))

    feedback = exercises.check_generator_loss(loss)
    assert not feedback.passed
    assert "(d_fake)" in feedback.message


def test_error_becomes_feedback():
    def loss(d_fake):
        return -np.mean(np.log(d_fake)) + undefined_name  # noqa: F821

    feedback = exercises.check_generator_loss(loss)
    assert not feedback.passed
    assert "NameError" in feedback.message


def test_not_a_function():
    feedback = exercises.check_generator_loss(0.5)
    assert not feedback.passed
    assert "Pass the function itself" in feedback.message


def test_feedback_repr_is_message():
    feedback = exercises.Feedback(False, "Not yet: try again.")
    assert repr(feedback) == "Not yet: try again."


def test_show_solution_prints(capsys):
    exercises.show_solution("generator_loss")
    assert "-np.mean(np.log(d_fake))" in capsys.readouterr().out


def test_unknown_exercise_rejected():
    with pytest.raises(ValueError, match="discriminator_loss"):
        exercises.show_solution("discriminator")
