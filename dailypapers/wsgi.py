"""The WSGI entry point (``dailypapers.wsgi:application``) for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from dailypapers.core.datadir import prepare_data_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
prepare_data_dir()
application = get_wsgi_application()
