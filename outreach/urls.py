"""Subscription pages, mounted under the language prefix (/kk/subscribe/, …) in config.urls."""

from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("requested/", views.requested, name="requested"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
