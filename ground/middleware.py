"""Small project middleware."""

from django.conf import settings


class AdminStyleCSPMiddleware:
    """Let the Django admin use inline ``style`` attributes, and only the admin.

    Django's admin templates and widgets set inline styles (for example on collapsed
    fieldsets and the related-object popups); the public site needs none. Inline styles
    cannot run script, so the admin keeps ``script-src 'self'`` unchanged. Listed after
    ``csp.middleware.CSPMiddleware`` so its response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL_PREFIX.strip("/") + "/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
