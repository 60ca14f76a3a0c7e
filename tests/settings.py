"""Settings for the test run: the hub's own settings over a throw-away data folder, prepared as the ``dailypapers``
command prepares it (a test run never touches the user's real data folder, whichever way pytest was started)."""

import os
import tempfile

from dailypapers.core.datadir import prepare_data_dir

os.environ.setdefault("DAILYPAPERS_DATA_DIR", tempfile.mkdtemp(prefix="dailypapers-test-"))
prepare_data_dir()

from dailypapers.settings import *

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405  (Django's test client; not in the hub's defaults)
