"""`pip install .` (not editable) must install every file the hub reads: templates, static files (KaTeX fonts,
htmx), migrations, JSON data. A file left out of pyproject's package-data only shows on such an install, so the
wheel is built here and compared with the package's files in git."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support.paths import REPO


def _tracked_package_files() -> set[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "dailypapers"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the package's files cannot be listed")
    return {name for name in listed if (REPO / name).is_file()}


def test_the_wheel_holds_every_file_of_the_package(tmp_path):
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    tracked = _tracked_package_files()
    source = tmp_path / "src"  # a clean copy: a build/ folder left in the checkout would hide a missing file
    for name in [*tracked, "pyproject.toml", "README.md"]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("dailypapers-*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(tracked - in_wheel)
    assert missing == [], f"{len(missing)} files of the package are not installed by `pip install .`: {missing[:20]}"
    assert any(name.endswith(".woff2") for name in in_wheel) and "dailypapers/web/templates/web/base.html" in in_wheel
