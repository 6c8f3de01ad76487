"""Translations: records of how each language version was made, translation tasks,
terminology, and who may work on them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ACTIONS = ("add", "change", "delete", "view")
MODELS = {
    "translation": "translation record",
    "translationjob": "translation task",
    "term": "term",
}
GROUPS = {
    "Press officers": {"translation": ("view",), "translationjob": ("view",), "term": ("view",)},
    "Editors": {
        "translation": ("view",),
        "translationjob": ("view", "change"),
        "term": ACTIONS,
    },
    "Administrators": {model: ACTIONS for model in MODELS},
}

# Official titles and names that engines get wrong or transliterate inconsistently; editors
# keep the list in the admin. Agency names come from the agencies themselves.
TERMS = [
    ("ru", "kk", "аким", "әкім"),
    ("ru", "kk", "акимат", "әкімдік"),
    ("ru", "kk", "Мажилис", "Мәжіліс"),
    ("ru", "kk", "Сенат", "Сенат"),
    ("ru", "en", "аким", "akim"),
    ("ru", "en", "акимат", "akimat"),
    ("ru", "en", "Мажилис", "Mazhilis"),
    ("kk", "ru", "әкім", "аким"),
    ("kk", "ru", "әкімдік", "акимат"),
    ("kk", "ru", "Мәжіліс", "Мажилис"),
    ("kk", "en", "әкім", "akim"),
    ("kk", "en", "әкімдік", "akimat"),
    ("kk", "en", "Мәжіліс", "Mazhilis"),
    ("en", "ru", "akim", "аким"),
    ("en", "ru", "Mazhilis", "Мажилис"),
    ("en", "kk", "akim", "әкім"),
    ("en", "kk", "Mazhilis", "Мәжіліс"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, models_actions in GROUPS.items():
        group = Group.objects.get(name=group_name)
        for model, actions in models_actions.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="news", model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {MODELS[model]}"},
                )
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="news", content_type__model__in=MODELS).delete()


def seed_terms(apps, schema_editor):
    Term = apps.get_model("news", "Term")
    for source_language, target_language, source_term, target_term in TERMS:
        Term.objects.get_or_create(
            source_language=source_language,
            target_language=target_language,
            source_term=source_term,
            defaults={"target_term": target_term},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_seed_regions_and_agencies'),
        ('news', '0005_import_warning_flag'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_language', models.CharField(choices=[('kk', 'Kazakh'), ('ru', 'Russian'), ('en', 'English')], max_length=2, verbose_name='from')),
                ('target_language', models.CharField(choices=[('kk', 'Kazakh'), ('ru', 'Russian'), ('en', 'English')], max_length=2, verbose_name='into')),
                ('source_term', models.CharField(max_length=300, verbose_name='term')),
                ('target_term', models.CharField(max_length=300, verbose_name='translation')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
            ],
            options={
                'verbose_name': 'term',
                'verbose_name_plural': 'terminology',
                'ordering': ['source_language', 'target_language', 'source_term'],
            },
        ),
        migrations.CreateModel(
            name='Translation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('method', models.CharField(choices=[('engine', 'machine translation'), ('person', 'translated by a person')], max_length=16, verbose_name='made by')),
                ('engine', models.CharField(blank=True, help_text='The engine that made the text.', max_length=32, verbose_name='engine')),
                ('state', models.CharField(choices=[('machine', 'machine translation, unchecked'), ('edited', 'edited by a person'), ('reviewed', 'reviewed')], db_index=True, max_length=16, verbose_name='state')),
                ('original_version', models.PositiveIntegerField(help_text="The original's version it was made from.", verbose_name='revision of the original')),
                ('original_content_hash', models.CharField(editable=False, max_length=64, verbose_name='content of the original')),
                ('outdated', models.BooleanField(db_index=True, default=False, help_text="The original's text changed after this translation was made or reviewed.", verbose_name='outdated')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'translation record',
                'verbose_name_plural': 'translation records',
            },
        ),
        migrations.CreateModel(
            name='TranslationJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('kk', 'Kazakh'), ('ru', 'Russian'), ('en', 'English')], max_length=2, verbose_name='into')),
                ('status', models.CharField(choices=[('queued', 'queued'), ('done', 'done'), ('needs_person', 'needs a person')], db_index=True, max_length=16, verbose_name='status')),
                ('engine', models.CharField(blank=True, max_length=32, verbose_name='engine')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('error_code', models.CharField(blank=True, max_length=48, verbose_name='reason code')),
                ('error_message', models.TextField(blank=True, verbose_name='reason')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'translation task',
                'verbose_name_plural': 'translation tasks',
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.UniqueConstraint(fields=('translation_group', 'language'), name='one_article_per_language_in_group'),
        ),
        migrations.AddConstraint(
            model_name='term',
            constraint=models.UniqueConstraint(fields=('source_language', 'target_language', 'source_term'), name='unique_term_per_language_pair'),
        ),
        migrations.AddConstraint(
            model_name='term',
            constraint=models.CheckConstraint(condition=models.Q(('source_language', models.F('target_language')), _negated=True), name='term_between_two_languages'),
        ),
        migrations.AddField(
            model_name='translation',
            name='article',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='translation_record', to='news.article', verbose_name='translation'),
        ),
        migrations.AddField(
            model_name='translation',
            name='original',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='news.article', verbose_name='original'),
        ),
        migrations.AddField(
            model_name='translation',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='translation',
            name='translator',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='translator'),
        ),
        migrations.AddField(
            model_name='translationjob',
            name='original',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translation_jobs', to='news.article', verbose_name='original'),
        ),
        migrations.AddField(
            model_name='translationjob',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by'),
        ),
        migrations.AddConstraint(
            model_name='translation',
            constraint=models.CheckConstraint(condition=models.Q(('article', models.F('original')), _negated=True), name='translation_is_not_its_original'),
        ),
        migrations.AddConstraint(
            model_name='translation',
            constraint=models.CheckConstraint(condition=models.Q(('method', 'person'), models.Q(('engine', ''), _negated=True), _connector='OR'), name='machine_translation_has_engine'),
        ),
        migrations.AddConstraint(
            model_name='translationjob',
            constraint=models.UniqueConstraint(fields=('original', 'language'), name='one_translation_job_per_language'),
        ),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(seed_terms, migrations.RunPython.noop),
    ]
