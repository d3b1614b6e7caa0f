"""The instance config in DAGSTER_HOME follows the project's dagster.yaml unless the operator edited it."""
import subprocess
import sys

from pipelines.settings import PROJECT_ROOT, sync_instance_config


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
