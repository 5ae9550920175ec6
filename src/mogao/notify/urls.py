"""Notification pages (#17), mounted at the site root."""

from django.urls import URLPattern, path

from mogao.notify import views

app_name = "notify"
urlpatterns: list[URLPattern] = [
    path("me/notifications/", views.settings_page, name="settings"),
    path("me/notifications/read/", views.mark_all_read, name="read-all"),
    path("me/notifications/<int:pk>/", views.notification, name="notification"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
