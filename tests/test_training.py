import json
import os

import numpy as np
import pytest
import tensorflow as tf

from conftest import make_small_gan
from gan_helpers import callbacks, data, models, train, training


def weights_of(model):
    return [w.numpy() for w in model.trainable_weights]


def any_changed(before, model):
    return any(not np.array_equal(a, b.numpy()) for a, b in zip(before, model.trainable_weights))


def test_train_step_updates_both_players(small_gan, real_batch):
    generator_before = weights_of(small_gan.generator)
    discriminator_before = weights_of(small_gan.discriminator)
    small_gan.train_step(tf.constant(real_batch))
    assert any_changed(generator_before, small_gan.generator)
    assert any_changed(discriminator_before, small_gan.discriminator)


def test_train_step_reports_scores_in_unit_interval(small_gan, real_batch):
    logs = small_gan.train_step(tf.constant(real_batch))
    assert set(logs) == {"d_loss", "g_loss", "D(real)", "D(fake)"}
    assert 0.0 < float(logs["D(real)"]) < 1.0
    assert 0.0 < float(logs["D(fake)"]) < 1.0


def test_discriminator_step_leaves_generator_alone(small_gan, real_batch):
    generator_before = weights_of(small_gan.generator)
    small_gan.discriminator_step(tf.constant(real_batch))
    assert not any_changed(generator_before, small_gan.generator)


def test_generator_step_leaves_discriminator_alone(small_gan, real_batch):
    small_gan.discriminator_step(tf.constant(real_batch))  # moves D's batch-norm statistics away from their start
    trainable_before = weights_of(small_gan.discriminator)
    statistics_before = [v.numpy() for v in small_gan.discriminator.non_trainable_variables]
    small_gan.generator_step(32)
    assert not any_changed(trainable_before, small_gan.discriminator)
    for before, variable in zip(statistics_before, small_gan.discriminator.non_trainable_variables):
        np.testing.assert_array_equal(before, variable.numpy(), err_msg=variable.path)


def test_discriminator_step_moves_batch_norm_statistics(small_gan, real_batch):
    statistics_before = [v.numpy() for v in small_gan.discriminator.non_trainable_variables]
    small_gan.discriminator_step(tf.constant(real_batch))
    changed = [not np.array_equal(a, v.numpy()) for a, v in zip(statistics_before, small_gan.discriminator.non_trainable_variables)]
    assert any(changed)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_k_discriminator_updates_per_generator_update(real_batch, k):
    gan = make_small_gan(d_steps=k)
    gan.train_step(tf.constant(real_batch))
    assert int(gan.d_optimizer.iterations) == k
    assert int(gan.g_optimizer.iterations) == 1


def test_minimax_loss_also_trains(real_batch):
    gan = make_small_gan(generator_loss="minimax")
    logs = gan.train_step(tf.constant(real_batch))
    assert float(logs["g_loss"]) < 0  # log(1 - D(G(z))) is negative


@pytest.mark.parametrize("k", [0, -1, 1.5])
def test_gan_rejects_bad_k(k):
    with pytest.raises(ValueError, match=f"d_steps \\(k\\) must be an integer of at least 1, got {k}"):
        training.GAN(models.build_generator(8, 4), models.build_discriminator(4), d_steps=k)


def test_gan_rejects_unknown_generator_loss():
    with pytest.raises(ValueError, match="'hinge'"):
        training.GAN(models.build_generator(8, 4), models.build_discriminator(4), generator_loss="hinge")


def test_gan_rejects_mismatched_image_shapes():
    discriminator = models.build_discriminator(4, image_shape=(32, 32, 1))
    with pytest.raises(ValueError, match=r"\(28, 28, 1\) but the discriminator expects \(32, 32, 1\)"):
        training.GAN(models.build_generator(8, 4), discriminator)


def test_train_step_rejects_wrong_image_shape(small_gan):
    with pytest.raises(ValueError, match=r"got \(batch, 32, 32, 3\)"):
        small_gan.train_step(tf.zeros((8, 32, 32, 3)))


def test_train_step_rejects_batch_not_divisible_by_k(real_batch):
    gan = make_small_gan(d_steps=3)
    with pytest.raises(ValueError, match="batch of 32 images cannot be split into d_steps=3"):
        gan.train_step(tf.constant(real_batch))


def test_gan_call_rejects_wrong_latent_size(small_gan):
    with pytest.raises(ValueError, match=r"shape \(batch, 8\), got shape \(2, 100\)"):
        small_gan(np.zeros((2, 100), dtype="float32"))


def test_sample_monitor_rejects_wrong_latent_size(small_gan, digits):
    monitor = callbacks.SampleMonitor(np.zeros((4, 64)), display=False)
    with pytest.raises(ValueError, match=r"shape \(batch, 8\), got shape \(4, 64\)"):
        small_gan.fit(data.make_dataset(digits.images, 32), epochs=1, verbose=0, callbacks=[monitor])


def test_make_optimizers_rejects_zero_learning_rate():
    with pytest.raises(ValueError, match="learning_rate must be positive, got 0"):
        training.make_optimizers(learning_rate=0)


def test_sample_monitor_keeps_one_frame_per_epoch(small_gan, digits, tmp_path):
    monitor = callbacks.SampleMonitor(np.zeros((4, 8)), display=False)
    small_gan.fit(data.make_dataset(digits.images, 64), epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.frame_epochs == [1, 2]
    assert monitor.frames[0].dtype == np.uint8
    path = monitor.save_gif(str(tmp_path / "progress.gif"))
    assert os.path.getsize(path) > 0


def test_save_gif_without_frames_raises(tmp_path):
    with pytest.raises(RuntimeError, match="No frames"):
        callbacks.save_gif([], str(tmp_path / "empty.gif"))


def test_checkpoint_resume_continues_epoch_count(digits, tmp_path):
    dataset = data.make_dataset(digits.images, 64)
    first = make_small_gan()
    checkpoint = callbacks.GANCheckpoint(first, str(tmp_path))
    assert checkpoint.restore(verbose=False) == 0
    first.fit(dataset, epochs=2, verbose=0, callbacks=[checkpoint])

    # A new GAN plays the role of the same notebook after a kernel restart.
    second = make_small_gan(seed=1)
    resumed = callbacks.GANCheckpoint(second, str(tmp_path))
    start = resumed.restore(verbose=False)
    assert start == 2
    for saved, restored in zip(first.generator.weights, second.generator.weights):
        np.testing.assert_array_equal(saved.numpy(), restored.numpy())
    assert int(second.d_optimizer.iterations) == int(first.d_optimizer.iterations)

    history = second.fit(dataset, epochs=3, initial_epoch=start, verbose=0, callbacks=[resumed])
    assert len(history.history["d_loss"]) == 1
    assert resumed.restore(verbose=False) == 3


def test_checkpoint_survives_interrupted_save(digits, tmp_path):
    gan = make_small_gan()
    checkpoint = callbacks.GANCheckpoint(gan, str(tmp_path))
    gan.fit(data.make_dataset(digits.images, 64), epochs=1, verbose=0, callbacks=[checkpoint])
    # A crash during the next save leaves a partial temporary file; the index still names epoch 1.
    (tmp_path / "ckpt-2_temp").mkdir()
    (tmp_path / "ckpt-2_temp" / "part-00000-of-00001.data-00000-of-00001").write_bytes(b"\x00" * 10)
    assert callbacks.GANCheckpoint(make_small_gan(), str(tmp_path)).restore(verbose=False) == 1


def test_checkpoint_requires_compiled_gan():
    gan = training.GAN(models.build_generator(8, 4), models.build_discriminator(4))
    with pytest.raises(ValueError, match="Compile the GAN"):
        callbacks.GANCheckpoint(gan, "unused")


def test_progress_prints_learner_line(small_gan, digits, capsys):
    progress = callbacks.TrainingProgress(bar=False)
    small_gan.fit(data.make_dataset(digits.images, 64), epochs=1, verbose=0, callbacks=[progress])
    line = capsys.readouterr().out.strip()
    assert line.startswith("epoch 1/1 · D(real)=")
    assert "D(fake)=" in line


def test_command_line_trainer_writes_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    code = train.main(["--out", str(out), "--epochs", "1", "--max-images", "128", "--width", "4", "--latent-dim", "8"])
    assert code == 0
    for name in ("generator.keras", "samples.png", "progress.gif", "history.json"):
        assert (out / name).exists(), name
    record = json.loads((out / "history.json").read_text())
    assert record["training_images"] == 128
    assert len(record["history"]["d_loss"]) == 1


def test_command_line_trainer_rejects_zero_batch(tmp_path):
    with pytest.raises(SystemExit, match="--batch-size must be at least 1, got 0"):
        train.main(["--out", str(tmp_path), "--batch-size", "0"])


def test_command_line_help_names_units(capsys):
    with pytest.raises(SystemExit):
        train.main(["--help"])
    help_text = capsys.readouterr().out
    assert "passes over the training digits" in help_text
    assert "--d-steps" in help_text


def test_command_line_resume_keeps_history_and_frames(tmp_path):
    out = tmp_path / "run"
    options = ["--out", str(out), "--max-images", "128", "--width", "4", "--latent-dim", "8"]
    train.main(options + ["--epochs", "1"])
    train.main(options + ["--epochs", "2"])
    record = json.loads((out / "history.json").read_text())
    assert len(record["history"]["d_loss"]) == 2
    with np.load(out / "frames.npz") as stored:
        assert stored["epochs"].tolist() == [1, 2]


def test_command_line_finished_run_does_nothing(tmp_path, capsys):
    out = tmp_path / "run"
    options = ["--out", str(out), "--max-images", "128", "--width", "4", "--latent-dim", "8", "--epochs", "1"]
    train.main(options)
    before = (out / "history.json").read_text()
    capsys.readouterr()
    assert train.main(options) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert (out / "history.json").read_text() == before


def test_checkpoint_of_other_model_size_raises_clear_error(digits, tmp_path):
    gan = make_small_gan()
    gan.fit(data.make_dataset(digits.images, 64), epochs=1, verbose=0, callbacks=[callbacks.GANCheckpoint(gan, str(tmp_path))])
    wider = training.GAN(models.build_generator(8, 6), models.build_discriminator(6))
    wider.compile(*training.make_optimizers())
    with pytest.raises(ValueError, match="saved by models of another size or kind"):
        callbacks.GANCheckpoint(wider, str(tmp_path)).restore(verbose=False)
