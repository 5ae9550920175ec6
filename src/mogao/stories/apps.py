"""Django app configuration for mogao.stories (#16)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class StoriesConfig(AppConfig):
    name = "mogao.stories"
    label = "stories"
    verbose_name = pgettext_lazy("application", "Stories")

    def ready(self) -> None:
        from mogao.core.hooks import demo_loaded
        from mogao.stories.demo import load_demo_stories

        demo_loaded.connect(load_demo_stories, dispatch_uid="stories-demo")
