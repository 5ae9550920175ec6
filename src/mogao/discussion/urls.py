"""Discussion and moderation URLs."""

from django.urls import path

from mogao.discussion import moderation_views, views

app_name = "discussion"
urlpatterns = [
    path("comments/gloss", views.gloss, name="gloss"),
    path("comments/<str:label>/<int:pk>/", views.thread, name="thread"),
    path("comments/<str:label>/<int:pk>/post", views.post, name="post"),
    path("comments/<int:pk>/edit", views.edit, name="edit"),
    path("comments/<int:pk>/delete", views.delete, name="delete"),
    path("comments/<int:pk>/translate", views.translate, name="translate"),
    path("report/<str:label>/<int:pk>", views.report, name="report"),
    path("moderation/", moderation_views.queue, name="moderation"),
    path("moderation/<str:label>/<int:pk>/decide", moderation_views.decide, name="decide"),
]
