"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings make tasks run eagerly in-process, so a
laptop needs no broker; with it, ``celery -A mtc worker`` and ``celery -A mtc beat``
do the work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtc.settings.production")

app = Celery("mtc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
