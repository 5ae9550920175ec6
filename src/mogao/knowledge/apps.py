"""Django app configuration for the knowledge layer."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class KnowledgeConfig(AppConfig):
    name = "mogao.knowledge"
    label = "knowledge"
    verbose_name = pgettext_lazy("application", "Knowledge")

    def ready(self) -> None:
        from mogao.core.hooks import demo_loaded
        from mogao.knowledge.demo import add_demo_knowledge

        demo_loaded.connect(add_demo_knowledge, dispatch_uid="knowledge-demo")
