"""Django app configuration for the knowledge layer."""

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "mogao.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
