"""Django app configuration for accounts and roles."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "mogao.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("application", "Accounts")
