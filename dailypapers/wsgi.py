"""The WSGI entry point (``dailypapers.wsgi:application``) for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from dailypapers.core.datadir import prepare_data_dir
from dailypapers.core.secret import SecretUnavailable, sync_cluster_secret

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
try:
    sync_cluster_secret(prepare_data_dir())  # PostgreSQL: every node signs with the cluster's one key
except SecretUnavailable as exc:
    raise SystemExit(f"dailypapers: {exc}") from None
application = get_wsgi_application()
