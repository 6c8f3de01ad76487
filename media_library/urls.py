from django.urls import path

from . import views

app_name = "media_library"

urlpatterns = [
    path("images/<uuid:key>/<str:name>", views.image_file, name="image_file"),
    path("documents/<uuid:key>/<str:name>", views.attachment_file, name="attachment_file"),
]
