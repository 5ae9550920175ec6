"""Django app configuration for accounts and roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "mogao.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("application", "Accounts")

    def ready(self) -> None:
        from mogao.accounts.sections import profile_section
        from mogao.community import mymogao

        mymogao.register(mymogao.Section(key="account", title=_("Your account"),
                                         template="accounts/_my_account.html", context=profile_section, order=0))
