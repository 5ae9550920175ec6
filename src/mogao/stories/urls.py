"""Story pages (#16): authoring, the reader, the index and the IIIF manifest.

Three parts of #16 each own a block of routes below; keep each block's routes together. The authoring
routes come first so that ``/stories/new/`` is never read as a story called "new".
"""

from django.urls import path

from mogao.stories import authoring, publishing, reader

app_name = "stories"
urlpatterns = [
    # --- authoring (curators): stories:new, stories:edit, stories:step-*, stories:submit, stories:publish
    path("stories/new/", authoring.new, name="new"),
    path("stories/<slug:slug>/edit/", authoring.edit, name="edit"),
    path("stories/<slug:slug>/edit/details", authoring.details, name="details"),
    path("stories/<slug:slug>/edit/canvases", authoring.canvases, name="step-canvases"),
    path("stories/<slug:slug>/edit/steps/new", authoring.step_new, name="step-new"),
    path("stories/<slug:slug>/edit/steps/reorder", authoring.step_reorder, name="step-reorder"),
    path("stories/<slug:slug>/edit/steps/<int:step_id>/", authoring.step_edit, name="step-edit"),
    path("stories/<slug:slug>/edit/steps/<int:step_id>/move", authoring.step_move, name="step-move"),
    path("stories/<slug:slug>/edit/steps/<int:step_id>/delete", authoring.step_delete, name="step-delete"),
    path("stories/<slug:slug>/submit", authoring.submit, name="submit"),
    path("stories/<slug:slug>/publish", authoring.publish, name="publish"),
    path("stories/<slug:slug>/return", authoring.return_to_draft, name="return"),
    # --- end authoring
    # --- reader (stories:detail /stories/<slug>/, stories:embed)
    path("stories/<slug:slug>/", reader.detail, name="detail"),
    path("stories/<slug:slug>/embed/", reader.embed, name="embed"),
    path("stories/<slug:slug>/data.json", reader.data, name="data"),
    path("stories/<slug:slug>/steps/<int:n>/captions.<str:lang>.vtt", reader.captions, name="captions"),
    path("stories/<slug:slug>/steps/<int:n>/audio", reader.audio, name="audio"),
    # --- end reader
    # --- publishing (stories:index /stories/, stories:manifest)
    path("stories/", publishing.index, name="index"),
    path("stories/<slug:slug>/manifest.json", publishing.manifest, name="manifest"),
    path("stories/<slug:slug>/annotations.json", publishing.annotation_page, name="annotations"),
    # --- end publishing
]
