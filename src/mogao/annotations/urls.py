"""URLs of reader annotations: the W3C protocol containers and reader groups (#15)."""

from django.urls import URLPattern, path

from mogao.annotations import groups, mine, protocol

app_name = "annotations"
urlpatterns: list[URLPattern] = [
    path("annotations/canvas/<int:canvas_pk>/", protocol.container, name="container"),
    path("annotations/canvas/<int:canvas_pk>/mine", mine.mine, name="mine"),
    path("annotations/canvas/<int:canvas_pk>/<uuid:uid>", protocol.annotation, name="annotation"),
    path("annotations/groups/", groups.group_list, name="groups"),
    path("annotations/groups/<slug:slug>/", groups.group_detail, name="group"),
    path("annotations/groups/<slug:slug>/members/<int:user_id>/remove", groups.group_remove, name="group_remove"),
]
