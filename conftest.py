"""Keep test runs out of the user's real data folder, whatever command started pytest."""

import os
import tempfile

os.environ.setdefault("DAILYPAPERS_DATA_DIR", tempfile.mkdtemp(prefix="dailypapers-test-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
