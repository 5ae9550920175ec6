"""Django app configuration for the security defences (CSP, client address, rate limits)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SecurityConfig(AppConfig):
    name = "mogao.security"
    label = "security"
    verbose_name = pgettext_lazy("application", "Security")
