"""Journalists' personal links, under the language prefix (config.urls)."""

from django.urls import path

from . import views

app_name = "accreditation"

urlpatterns = [
    path("<str:token>/", views.preview, name="preview"),
    path("<str:token>/images/<uuid:key>/<str:name>", views.image, name="image"),
    path("<str:token>/documents/<uuid:key>/<str:name>", views.attachment, name="attachment"),
]
