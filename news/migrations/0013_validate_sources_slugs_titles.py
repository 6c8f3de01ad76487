import django.db.models.lookups
import news.fields
import news.validators
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models import Q

from news.fields import LINE_BREAKS, single_line
from news.validators import validate_web_address


def web_addresses(value) -> list[str]:
    """What a stored `sources` value keeps: its web addresses, in order, once each."""
    values = value if isinstance(value, list) else [value]
    kept = []
    for url in values:
        try:
            validate_web_address(url)
        except ValidationError:
            continue
        kept.append(url)
    return list(dict.fromkeys(kept))


def clean_existing_articles(apps, schema_editor):
    """Make the rows meet the new rules before the constraints are added: sources become a
    list of web addresses (anything else is dropped), an all-digit slug gets a word in
    front (article-2025) and a title's line breaks become spaces."""
    Article = apps.get_model("news", "Article")
    for pk, sources in Article.objects.values_list("pk", "sources").iterator(chunk_size=2000):
        kept = web_addresses(sources)
        if kept != sources:
            Article.objects.filter(pk=pk).update(sources=kept)
    for pk, slug in Article.objects.filter(slug__regex=r"^[0-9]*$").values_list("pk", "slug"):
        base = f"article-{slug}" if slug else "article"
        candidate, counter = base, 2
        while Article.objects.filter(slug=candidate).exists():
            candidate, counter = f"{base}-{counter}", counter + 1
        Article.objects.filter(pk=pk).update(slug=candidate)
    breaks = Q()
    for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029":
        breaks |= Q(title__contains=char)
    for pk, title in Article.objects.filter(breaks).values_list("pk", "title"):
        if LINE_BREAKS.search(title):
            Article.objects.filter(pk=pk).update(title=single_line(title))


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0012_import_item_full_text'),
    ]

    operations = [
        migrations.RunPython(clean_existing_articles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='article',
            name='slug',
            field=models.SlugField(blank=True, max_length=200, unique=True, validators=[news.validators.validate_slug_is_not_a_number], verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='article',
            name='source_url',
            field=models.URLField(blank=True, help_text='The canonical source.', max_length=1000, validators=[news.validators.validate_web_address], verbose_name='source URL'),
        ),
        migrations.AlterField(
            model_name='article',
            name='sources',
            field=news.fields.SourceListField(blank=True, default=list, help_text='Every web address the release was found at, one per line.', verbose_name='all sources'),
        ),
        migrations.AlterField(
            model_name='article',
            name='title',
            field=news.fields.SingleLineCharField(max_length=500, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='slug',
            field=models.SlugField(blank=True, max_length=200, validators=[news.validators.validate_slug_is_not_a_number], verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='source_url',
            field=models.URLField(blank=True, help_text='The canonical source.', max_length=1000, validators=[news.validators.validate_web_address], verbose_name='source URL'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='sources',
            field=news.fields.SourceListField(blank=True, default=list, help_text='Every web address the release was found at, one per line.', verbose_name='all sources'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='title',
            field=news.fields.SingleLineCharField(max_length=500, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='importsource',
            name='name',
            field=news.fields.SingleLineCharField(max_length=200, unique=True, verbose_name='name'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.Exact(news.fields.JSONTypeOf('sources'), 'array'), name='sources_is_a_list', violation_error_code='sources_not_a_list', violation_error_message='The sources must be a list of web addresses.'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('slug__regex', '^[0-9]+$'), _negated=True), name='slug_is_not_a_number', violation_error_code='slug_is_number', violation_error_message='A slug cannot be only digits.'),
        ),
        migrations.AlterConstraint(
            model_name='article',
            name='one_article_per_language_in_group',
            constraint=models.UniqueConstraint(fields=('translation_group', 'language'), name='one_article_per_language_in_group', violation_error_code='language_taken', violation_error_message='This release already has a version in this language; edit that one, or choose another language.'),
        ),
    ]
