"""Django app configuration for reader discussion and moderation."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DiscussionConfig(AppConfig):
    name = "mogao.discussion"
    label = "discussion"
    verbose_name = pgettext_lazy("application", "Discussion")

    def ready(self) -> None:
        from mogao.community.mymogao import Section, register
        from mogao.discussion import mymogao
        from mogao.discussion.targets import register_defaults

        register_defaults()
        register(Section(key="comments", title=mymogao.TITLE, template="discussion/_mymogao.html",
                         context=mymogao.context, order=30))
