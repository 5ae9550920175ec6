from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavedConfig(AppConfig):
    name = "mogao.saved"
    label = "saved"
    verbose_name = _("Saved collections")

    def ready(self) -> None:
        from mogao.community import mymogao
        from mogao.saved import sections
        from mogao.saved.reacted import reacted_sources
        from mogao.saved.recommend import register_source

        register_source(reacted_sources)

        mymogao.register(mymogao.Section(
            key="saved", title=_("My collections"), template="saved/_mymogao_collections.html",
            context=sections.collections_context, order=20,
        ))
        mymogao.register(mymogao.Section(
            key="recommendations", title=_("Recommended for you"), template="saved/_mymogao_recommendations.html",
            context=sections.recommendations_context, order=25,
        ))
