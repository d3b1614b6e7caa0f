"""The instance config in DAGSTER_HOME follows the project's dagster.yaml unless the operator edited it."""
import os
import subprocess
import sys

from pipelines.settings import PROJECT_ROOT, Settings, sync_instance_config


def test_an_unedited_copy_follows_the_project_and_an_edited_one_is_kept(tmp_path, capsys):
    project = tmp_path / "project.yaml"
    home = tmp_path / "home"
    project.write_text("telemetry:\n  enabled: false\n")
    assert sync_instance_config(home, project) == "copied"
    assert (home / "dagster.yaml").read_text() == project.read_text()
    assert sync_instance_config(home, project) == "current"

    # an upgrade changes the project's file: the untouched copy is replaced
    project.write_text("telemetry:\n  enabled: false\nevent_log_storage: {}\n")
    assert sync_instance_config(home, project) == "refreshed"
    assert (home / "dagster.yaml").read_text() == project.read_text()

    # the operator edits the copy: it is theirs now, and each run says that it differs
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    project.write_text("telemetry:\n  enabled: false\nrun_queue: {}\n")
    assert sync_instance_config(home, project) == "kept"
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"
    err = capsys.readouterr().err
    assert str(home / "dagster.yaml") in err and "left as it is" in err

    # an edit that matches the project again is current, and from then on followed again
    (home / "dagster.yaml").write_text(project.read_text())
    assert sync_instance_config(home, project) == "current"


def test_a_copy_from_before_the_stamp_is_kept(tmp_path, capsys):
    """Homes made by earlier versions have no stamp: an old copy and an edited one look alike, so neither is touched."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert sync_instance_config(home) == "kept"
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"
    assert "delete it to take the project's" in capsys.readouterr().err


def test_make_dev_runs_the_same_sync(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pipelines.settings"], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, env={"DAGSTER_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip().endswith("dagster.yaml: copied")
    assert (tmp_path / "home" / "dagster.yaml").read_bytes() == (PROJECT_ROOT / "dagster.yaml").read_bytes()
    assert "pipelines.settings" in (PROJECT_ROOT / "Makefile").read_text()


def test_values_a_command_exported_are_not_the_next_commands_settings(tmp_path, clean_env, monkeypatch):
    """export_env() puts one command's paths in the environment for its Dagster resources; resolving the next
    command's settings in the same process must not take them for the user's (a test run after an ingest
    printed the first command's snapshot path)."""
    first = Settings.resolve(data_dir=str(tmp_path / "first"))
    first.export_env()
    second = Settings.resolve(data_dir=str(tmp_path / "second"))
    assert second.snapshot == (tmp_path / "second" / "analyst" / "juesuan.duckdb").resolve()
    assert second.warehouse.parent == second.data_dir and second.dagster_home.parent == second.data_dir
    # what the user sets themselves still counts
    monkeypatch.setenv("JUESUAN_SNAPSHOT", str(tmp_path / "mine.duckdb"))
    assert Settings.resolve(data_dir=str(tmp_path / "third")).snapshot == (tmp_path / "mine.duckdb").resolve()


def test_an_earlier_commands_value_put_back_is_not_the_users_either(tmp_path, clean_env, monkeypatch):
    """`juesuan main()` restores the environment it found, which can hold an earlier command's exported value."""
    Settings.resolve(data_dir=str(tmp_path / "first")).export_env()
    earlier = os.environ["JUESUAN_SNAPSHOT"]
    Settings.resolve(data_dir=str(tmp_path / "second")).export_env()
    monkeypatch.setenv("JUESUAN_SNAPSHOT", earlier)  # what a restoring command puts back
    assert Settings.resolve(data_dir=str(tmp_path / "third")).snapshot.parent.parent == (tmp_path / "third").resolve()
