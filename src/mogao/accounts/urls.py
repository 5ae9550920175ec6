"""Reader account pages (#15), mounted at the site root; allauth's own pages live under /accounts/."""

from django.urls import URLPattern, path

from mogao.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/delete/", views.delete_account, name="delete"),
    path("privacy/", views.privacy, name="privacy"),
]
