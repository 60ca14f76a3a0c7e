"""The WSGI entry point (``dailypapers.wsgi:application``) for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from dailypapers.core.datadir import prepare_data_dir, use_metrics_dir
from dailypapers.core.secret import SecretUnavailable, sync_cluster_secret

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
folder = prepare_data_dir()
use_metrics_dir(folder)
try:
    sync_cluster_secret(folder)  # PostgreSQL: every node signs with the cluster's one key
except SecretUnavailable as exc:
    raise SystemExit(f"dailypapers: {exc}") from None
import django  # noqa: E402  (after the data folder and the secret are in place)

django.setup(set_prefix=False)
from dailypapers.core.staticfiles import collect_static_if_needed  # noqa: E402

collect_static_if_needed()  # before whitenoise lists the collected files (cheap when nothing changed)
application = get_wsgi_application()
