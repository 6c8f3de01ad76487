from django.contrib.admin.apps import AdminConfig


class PressroomAdminConfig(AdminConfig):
    default_site = "config.admin.PressroomAdminSite"
