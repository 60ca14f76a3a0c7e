"""Break 5 of the security review: the data folder (database with sessions, e-mail addresses and password hashes;
the secret key) was world-readable (0755 folder, 0644 files). A real `dailypapers serve` must create it 0700 with
0600 files, and tighten an existing folder's modes on start."""

from __future__ import annotations

import stat
import time
import urllib.request

from tests.support.live_hub import hub_env, run_cli, served_hub


def gunicorn_has_control_socket() -> bool:
    import gunicorn

    return tuple(int(part) for part in gunicorn.__version__.split(".")[:2]) >= (25, 1)


def _loose(folder) -> list[str]:
    return [
        f"{path.name} {stat.filemode(path.lstat().st_mode)}"
        for path in [folder, *folder.rglob("*")]
        if path.name != "serve.log" and not path.is_symlink() and path.lstat().st_mode & 0o077
    ]


def _control_socket(data_dir, timeout: float = 15.0):
    """gunicorn (>= 25.1) opens its control socket from the arbiter once it is up, which may come after the first
    answered request: wait for it a moment."""
    path = data_dir / "gunicorn.ctl"
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return path


def test_the_data_folder_and_every_file_in_it_are_private(tmp_path):
    data_dir = tmp_path / "hub"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    old = data_dir / "dailypapers.sqlite3.bak"
    old.write_text("an old copy")
    old.chmod(0o644)
    home = tmp_path / "home"
    home.mkdir()
    env = hub_env(data_dir, HOME=str(home))
    env.pop("XDG_RUNTIME_DIR", None)
    run_cli(env, "migrate", "-v0")
    with served_hub(env) as url:
        urllib.request.urlopen(url + "/accounts/login/").read()  # a session, a cache row, the WAL files
        control_socket = _control_socket(data_dir)
        assert _loose(data_dir) == []
        if gunicorn_has_control_socket():
            assert stat.S_ISSOCK(control_socket.lstat().st_mode)  # in the data folder, private like the rest
    assert not (home / ".gunicorn").exists()  # the server writes nothing outside the data folder
    assert (data_dir / "dailypapers.sqlite3").exists() and (data_dir / "secret_key").exists()
