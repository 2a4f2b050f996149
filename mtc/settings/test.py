"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Tests log users in with client.login(), which django-axes cannot see a request for;
# the lockout itself is tested with AXES_ENABLED switched back on.
AXES_ENABLED = False
