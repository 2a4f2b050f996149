"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="100000/minute")}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Tests log users in with client.login(), which django-axes cannot see a request for;
# the lockout itself is tested with AXES_ENABLED switched back on.
AXES_ENABLED = False

# The test process runs tasks in-process even when CELERY_BROKER_URL is set; tests of the
# real worker point the app at Redis themselves (tests/aggregates/test_worker.py), and the
# worker they start reads CELERY_BROKER_URL (eagerness does not concern a worker).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# In-process tests see a publish's outcome at once; gunicorn-based tests may switch it on.
BROKER_PUBLISH_IN_BACKGROUND = env.bool("BROKER_PUBLISH_IN_BACKGROUND", default=False)
# Test transactions roll back, so data versions repeat between tests; the response cache
# is switched on only by its own tests (tests/test_response_cache*.py; the gunicorn one
# through the environment).
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=0)
# For the same reason, page fragments are cached only in their own test.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0)
