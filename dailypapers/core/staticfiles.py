"""Static files: hashed names, gzip and brotli copies (whitenoise), collected into the data folder when needed.

`dailypapers serve` (and the WSGI module) call ``collect_static_if_needed()`` before serving: it runs collectstatic
when the sources changed since the last collection (a fingerprint of their names, sizes and times), under a lock.
Then every static URL carries a content hash and whitenoise serves it with a far-future, immutable Cache-Control.
Before any collection (tests, a development checkout), URLs are the plain names, served from the apps' folders.
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

FINGERPRINT = ".sources"


class HubCompressor(Compressor):
    """Brotli at its best for the files pages load (KaTeX, htmx, our CSS); a faster level for the large bundles of
    the API docs and admin pages, which would otherwise take most of a minute to compress on two cores."""

    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        import brotli

        return brotli.compress(data, quality=11 if len(data) <= 400_000 else 5)


class HubStaticStorage(CompressedManifestStaticFilesStorage):
    """Manifest storage that falls back to plain names while nothing has been collected."""

    manifest_strict = False

    def create_compressor(self, **kwargs):
        return HubCompressor(**kwargs)

    def url(self, name, force=False):
        if not self.hashed_files and not force:
            return StaticFilesStorage.url(self, name)
        return super().url(name, force)


def sources_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha1()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_needed() -> bool:
    """Collect (hash, compress) the static files when their sources changed. Returns whether it collected."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    marker = root / FINGERPRINT
    wanted = sources_fingerprint()
    if marker.is_file() and marker.read_text().strip() == wanted:
        return False
    with open(root / ".collect.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.is_file() and marker.read_text().strip() == wanted:
            return False
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0, clear=True)
        marker.write_text(wanted)
    return True
