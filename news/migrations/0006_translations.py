from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_import_warning_flag"),
    ]

    operations = []
