"""Django app configuration for accounts and roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mogao.accounts"
    label = "accounts"
    verbose_name = "Accounts"
