"""The editors' translation screens over HTTP: overview, side by side, tasks, terminology."""

import pytest
from django.urls import reverse

from media_library.models import GalleryImage, LeadImage
from news import workflow
from news.models import Article, Term, Translation, TranslationJob
from news.translation import group, service

from ..factories import AgencyFactory, ArticleFactory, ImageFactory, seeded_region
from .test_admin import change_url, client_for, form_data, messages_of, transition_url

pytestmark = pytest.mark.django_db

State = Translation.State
OVERVIEW = reverse("admin:news_article_translations")


def side_by_side_url(article, language: str) -> str:
    return reverse("admin:news_article_side_by_side", args=[article.pk, language])


def original_in(agency, **kwargs) -> Article:
    kwargs.setdefault("language", "ru")
    kwargs.setdefault("title", "Аким открыл школу")
    kwargs.setdefault("body", "<p>Школа на 600 мест.</p>")
    return ArticleFactory(agency=agency, status=Article.Status.IN_REVIEW, **kwargs)


def translation_of(original, language: str, state=State.MACHINE, **kwargs) -> Article:
    """A stored machine translation, as a worker would have left it."""
    article = ArticleFactory(
        language=language,
        agency=original.agency,
        translation_group=original.translation_group,
        title=f"{language}: {original.title}",
        body=f"<p>{language}: text</p>",
        status=kwargs.pop("status", Article.Status.IN_REVIEW),
    )
    Translation.objects.create(
        article=article,
        original=original,
        method=Translation.Method.ENGINE,
        engine="libretranslate",
        state=state,
        original_version=original.version,
        original_content_hash=group.content_hash(original),
        **kwargs,
    )
    return article


def cells(response) -> dict[int, dict[str, str]]:
    return {
        row.original.pk: {cell.language: cell.state for cell in row.cells}
        for row in response.context["rows"]
    }


# --- overview ----------------------------------------------------------------------------


def test_overview_shows_each_language_state(editor, agency):
    machine = original_in(agency)
    translation_of(machine, "kk")
    translation_of(machine, "en", outdated=True)
    queued = original_in(agency, language="kk", title="Жаңа мектеп")
    TranslationJob.objects.create(original=queued, language="ru", status="queued")
    TranslationJob.objects.create(
        original=queued, language="en", status="needs_person", error_message="No engine."
    )

    response = client_for(editor).get(OVERVIEW)

    assert response.status_code == 200
    assert cells(response) == {
        machine.pk: {"ru": "original", "kk": "machine", "en": "outdated"},
        queued.pk: {"kk": "original", "ru": "queued", "en": "needs_person"},
    }
    page = response.content.decode()
    assert 'title="No engine."' in page
    assert side_by_side_url(machine, "en") in page
    assert "kk: Аким открыл школу" not in page  # translations are cells, not rows


def test_overview_filters_by_state_agency_and_region(editor, agency, other_agency):
    outdated = original_in(agency)
    translation_of(outdated, "kk", outdated=True)
    reviewed = original_in(agency, title="Другой релиз")
    translation_of(reviewed, "kk", state=State.REVIEWED)
    elsewhere = original_in(other_agency, region=seeded_region("KZ-75"))
    client = client_for(editor)

    def shown(**query):
        return set(cells(client.get(OVERVIEW, query)))

    assert shown(state="outdated") == {outdated.pk}
    assert shown(state="reviewed") == {reviewed.pk}
    assert shown(state="missing") == {outdated.pk, reviewed.pk, elsewhere.pk}  # en everywhere
    assert shown(agency=other_agency.pk) == {elsewhere.pk}
    assert shown(region=seeded_region("KZ-75").pk) == {elsewhere.pk}


def test_overview_queries_do_not_grow_with_rows(editor, agency, django_assert_max_num_queries):
    for n in range(30):
        translation_of(original_in(agency, title=f"Релиз {n}"), "kk")
    client = client_for(editor)
    with django_assert_max_num_queries(12):
        response = client.get(OVERVIEW)
    assert len(response.context["rows"]) == 30


def test_press_officers_see_only_their_agencys_rows(press_officer, agency, other_agency):
    mine = original_in(agency)
    original_in(other_agency)
    response = client_for(press_officer).get(OVERVIEW)
    assert set(cells(response)) == {mine.pk}


def test_translate_missing_from_the_overview(settings, editor, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    chosen = original_in(agency)
    other = original_in(agency, title="Не выбран")

    response = client_for(editor).post(OVERVIEW, {"_selected_action": [chosen.pk]})

    assert response.status_code == 302
    jobs = TranslationJob.objects.filter(original=chosen)
    assert sorted(jobs.values_list("language", "status")) == [
        ("en", "needs_person"),
        ("kk", "needs_person"),
    ]
    assert not TranslationJob.objects.filter(original=other).exists()
    assert any("No translation engine is configured." in m for m in messages_of(response))


def test_translate_missing_action_queues_jobs(settings, editor, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = "http://127.0.0.1:9"
    original = original_in(agency)
    translation_of(original, "kk", state=State.REVIEWED)

    response = client_for(editor).post(
        reverse("admin:news_article_changelist"),
        {"action": "translate_missing", "_selected_action": [original.pk]},
    )

    assert response.status_code == 302
    # on_commit never fires inside the test's transaction: the jobs wait, queued.
    assert list(TranslationJob.objects.values_list("language", "status")) == [("en", "queued")]
    assert messages_of(response)[:2] == [
        "1 translation queued.",
        "1 translation exists or is queued already.",
    ]


# --- side by side ------------------------------------------------------------------------


def test_side_by_side_shows_both_and_saves_an_edit(editor, agency):
    original = original_in(agency, body='<p>Школа <a href="https://gov.kz">тут</a>.</p>')
    kk = translation_of(original, "kk")
    client = client_for(editor)
    url = side_by_side_url(original, "kk")

    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert '<a href="https://gov.kz" rel="noopener noreferrer">тут</a>' in text
    assert "Machine translation by libretranslate from revision" in text
    data = form_data(page, "translation-form")
    assert data["title"] == "kk: Аким открыл школу"

    data["title"] = "Әкім мектеп ашты"
    saved = client.post(url, {**data, "_save": "Save"})

    assert saved.status_code == 302 and saved["Location"] == url
    kk.refresh_from_db()
    assert kk.title == "Әкім мектеп ашты"
    assert kk.translation_record.state == State.EDITED
    assert kk.history.first().history_user == editor


def test_side_by_side_mark_reviewed_then_publish(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    client = client_for(editor)
    # A pre-publish check (news.checks): not approved, so not published, before a review.
    refused = client.post(transition_url(kk, "approve"), {"comment": ""})
    assert refused.status_code == 409
    assert "machine translation no one has reviewed" in refused.content.decode()

    reviewed = client.post(side_by_side_url(original, "kk"), {"_review": "1"})
    client.post(transition_url(kk, "approve"), {"comment": ""})
    published = client.post(transition_url(kk, "publish"), {"comment": ""})

    assert reviewed.status_code == 302
    kk.refresh_from_db()
    assert (kk.translation_record.state, kk.translation_record.reviewed_by) == (
        State.REVIEWED,
        editor,
    )
    assert published.status_code == 302 and kk.status == Article.Status.PUBLISHED


def test_side_by_side_refuses_a_stale_edit(editor, second_editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    url = side_by_side_url(original, "kk")
    data = form_data(client_for(editor).get(url), "translation-form")
    client_for(second_editor).post(url, {**data, "title": "Первым", "_save": "Save"})

    late = client_for(editor).post(url, {**data, "title": "Вторым", "_save": "Save"})

    assert late.status_code == 409
    assert "Someone else saved the Kazakh translation" in late.content.decode()
    kk.refresh_from_db()
    assert kk.title == "Первым"


def test_press_officer_translates_their_article_by_hand(settings, press_officer, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    original = original_in(agency)
    client = client_for(press_officer)
    url = side_by_side_url(original, "en")
    page = client.get(url)
    assert "There is no translation yet" not in page.content.decode()

    saved = client.post(
        url,
        {
            "title": "Akim opens a school",
            "lead": "",
            "body": "<p>Hi</p>",
            "expected_version": "0",  # the page showed no translation
            "_save": "Save",
        },
    )

    assert saved.status_code == 302
    en = Article.objects.get(translation_group=original.translation_group, language="en")
    assert (en.title, en.author, en.status) == ("Akim opens a school", press_officer, "draft")
    assert en.translation_record.method == Translation.Method.PERSON


def test_press_officer_cannot_edit_a_translation_in_review(press_officer, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    url = side_by_side_url(original, "kk")
    client = client_for(press_officer)

    page = client.get(url)
    posted = client.post(
        url, {"title": "x", "lead": "", "body": "", "_save": "Save", "expected_version": kk.version}
    )
    review = client.post(url, {"_review": "1"})

    assert "You cannot edit this translation in its current state." in page.content.decode()
    assert 'id="review-form"' not in page.content.decode()
    assert posted.status_code == 409 and review.status_code == 409
    kk.refresh_from_db()
    assert kk.title.startswith("kk: ") and kk.translation_record.state == State.MACHINE


def test_other_agencys_press_officer_cannot_open_side_by_side(other_officer, agency):
    original = original_in(agency)
    response = client_for(other_officer).get(side_by_side_url(original, "kk"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_translation_opens_its_originals_side_by_side(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    response = client_for(editor).get(side_by_side_url(kk, "kk"))
    assert response["Location"] == side_by_side_url(original, "kk")


# --- the article form --------------------------------------------------------------------


def test_change_form_shows_the_languages_and_editing_the_original_outdates(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    en = translation_of(original, "en", state=State.REVIEWED)
    client = client_for(editor)
    page = client.get(change_url(original))
    assert 'class="translation-state translation-state--machine"' in page.content.decode()

    data = form_data(page)
    data["body"] = "<p>Школа на 900 мест.</p>"
    saved = client.post(change_url(original), data)

    assert saved.status_code == 302
    assert set(
        Translation.objects.filter(article__in=[kk, en]).values_list("outdated", flat=True)
    ) == {True}
    translation_page = client.get(change_url(kk)).content.decode()
    assert "this translation is outdated" in translation_page


def test_changing_the_region_of_one_version_changes_all(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    client = client_for(editor)
    data = form_data(client.get(change_url(kk)))
    data["region"] = str(seeded_region("KZ-75").pk)

    client.post(change_url(kk), data)

    original.refresh_from_db()
    assert original.region.iso_code == "KZ-75"
    assert not Translation.objects.get(article=kk).outdated  # no text changed


def test_a_version_cannot_take_a_language_its_release_already_has(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    client = client_for(editor)
    data = form_data(client.get(change_url(kk)))
    data["language"] = "ru"

    response = client.post(change_url(kk), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors().as_data()
    assert error.code == "language_taken"
    assert "already has a version in this language" in error.message
    kk.refresh_from_db()
    assert kk.language == "kk"


# --- tasks and terminology ---------------------------------------------------------------


def test_tasks_for_a_person_are_listed_in_scope(editor, press_officer, agency, other_agency):
    mine = original_in(agency)
    theirs = original_in(other_agency)
    for original in (mine, theirs):
        TranslationJob.objects.create(
            original=original, language="kk", status="needs_person", error_message="No engine."
        )
    url = reverse("admin:news_translationjob_changelist")

    as_editor = client_for(editor).get(url, {"status__exact": "needs_person"})
    as_officer = client_for(press_officer).get(url)

    assert {job.original for job in as_editor.context["cl"].result_list} == {mine, theirs}
    assert {job.original for job in as_officer.context["cl"].result_list} == {mine}
    assert side_by_side_url(mine, "kk") in as_officer.content.decode()


def test_editors_manage_the_terminology(editor, press_officer):
    client = client_for(editor)
    added = client.post(
        reverse("admin:news_term_add"),
        {
            "source_language": "ru",
            "target_language": "en",
            "source_term": "областной маслихат",
            "target_term": "regional maslikhat",
            "note": "",
        },
    )
    assert added.status_code == 302
    assert Term.objects.get(source_term="областной маслихат").target_term == "regional maslikhat"
    assert client_for(press_officer).get(reverse("admin:news_term_add")).status_code == 403


def test_agency_names_need_no_term_entries(agency):
    agency = AgencyFactory(slug="astana-akimat", name_ru="Акимат Астаны", name_en="Astana Akimat")
    assert service.terminology.terms_for("ru", "en", agency)["Акимат Астаны"] == "Astana Akimat"


def test_a_task_can_be_sent_to_the_engine_again(settings, editor, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = "http://127.0.0.1:9"
    original = original_in(agency)
    job = TranslationJob.objects.create(
        original=original, language="kk", status="needs_person", error_code="engine_error"
    )

    response = client_for(editor).post(
        reverse("admin:news_translationjob_changelist"),
        {"action": "request_again", "_selected_action": [job.pk]},
    )

    job.refresh_from_db()
    assert (job.status, job.error_code) == ("queued", "")
    assert messages_of(response) == ["1 translation queued."]


# --- shared fields never reach a version the person may not edit -------------------------


def published_original(agency, officer) -> Article:
    original = original_in(agency, author=officer, tags=["мектеп"])
    original.source_url = "https://www.gov.kz/memleket/entities/agency-a/press/news/details/1"
    original.sources = [original.source_url]
    original.status = Article.Status.PUBLISHED
    original.published_at = original.created_at
    original.save()
    return original


def translate_by_hand(client, original, language="en") -> Article:
    """The press officer's own translation, written on the side-by-side page."""
    url = side_by_side_url(original, language)
    data = form_data(client.get(url), "translation-form")
    data |= {"title": "Akim opens a school", "body": "<p>600 places.</p>", "_save": "Save"}
    assert client.post(url, data).status_code == 302
    return Article.objects.get(translation_group=original.translation_group, language=language)


def snapshot(article) -> tuple:
    article = Article.objects.get(pk=article.pk)
    shared = tuple(getattr(article, field) for field in group.SHARED_FIELDS)
    return (*shared, set(article.tags.names()), article.version, article.history.count())


@pytest.mark.parametrize(
    "change",
    [
        {"region": "KZ-75"},
        {"source_url": "https://example.kz/fake"},
        {"release_date": "2020-01-01"},
        {"tags": "мектеп, fake"},
    ],
)
def test_press_officers_translation_cannot_change_their_published_release(
    press_officer, agency, change
):
    original = published_original(agency, press_officer)
    before = snapshot(original)
    client = client_for(press_officer)
    en = translate_by_hand(client, original)
    assert en.status == Article.Status.DRAFT
    en_before = snapshot(en)
    data = form_data(client.get(change_url(en)))
    for field, value in change.items():
        data[field] = str(seeded_region(value).pk) if field == "region" else value

    response = client.post(change_url(en), data)

    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["adminform"].form.non_field_errors()
    assert errors.as_data()[0].code == "shared_fields_locked"
    assert (
        "The Russian version of this release is published, and you cannot change it. "
        "Agency, region, release date, sources and tags are the same in every language "
        "version, so an editor must make this change." in errors
    )
    assert snapshot(original) == before
    assert snapshot(en) == en_before


def test_press_officer_of_two_agencies_cannot_move_a_published_release(
    press_officer, agency, other_agency
):
    from ..factories import MembershipFactory

    MembershipFactory(user=press_officer, agency=other_agency)
    original = published_original(agency, press_officer)
    client = client_for(press_officer)
    en = translate_by_hand(client, original)
    data = form_data(client.get(change_url(en))) | {"agency": str(other_agency.pk)}

    response = client.post(change_url(en), data)

    assert response.status_code == 200
    original.refresh_from_db()
    en.refresh_from_db()
    assert original.agency == agency and en.agency == agency


def test_press_officer_still_edits_the_text_of_their_translation(press_officer, agency):
    original = published_original(agency, press_officer)
    client = client_for(press_officer)
    en = translate_by_hand(client, original)
    data = form_data(client.get(change_url(en))) | {"title": "Akim opened a school"}

    assert client.post(change_url(en), data).status_code == 302
    en.refresh_from_db()
    assert en.title == "Akim opened a school"


def test_an_editor_changes_a_published_release_in_every_version_with_a_revision(
    press_officer, editor, agency
):
    original = published_original(agency, press_officer)
    en = translate_by_hand(client_for(press_officer), original)
    client = client_for(editor)
    data = form_data(client.get(change_url(en)))
    data |= {"region": str(seeded_region("KZ-75").pk), "tags": "мектеп, білім"}

    assert client.post(change_url(en), data).status_code == 302

    original.refresh_from_db()
    assert original.region.iso_code == "KZ-75"
    assert set(original.tags.names()) == {"мектеп", "білім"}
    revision = original.history.latest()
    assert revision.history_user == editor
    assert revision.history_change_reason == "Kept in step with the en version"
    assert revision.status == Article.Status.PUBLISHED


def test_restoring_a_revision_cannot_change_a_published_release(press_officer, editor, agency):
    original = original_in(agency, author=press_officer)
    Article.objects.filter(pk=original.pk).update(status=Article.Status.DRAFT)
    client = client_for(press_officer)
    en = translate_by_hand(client, original)
    first = en.history.latest()
    data = form_data(client.get(change_url(en))) | {"region": str(seeded_region("KZ-75").pk)}
    assert client.post(change_url(en), data).status_code == 302  # both still unpublished
    original.refresh_from_db()
    assert original.region.iso_code == "KZ-75"
    workflow_publish(original, editor)
    before, en_before = snapshot(original), snapshot(en)
    restore = reverse("admin:news_article_revision", args=[en.pk, first.history_id])

    response = client.post(restore, {"expected_version": Article.objects.get(pk=en.pk).version})

    assert response.status_code == 200
    assert "so an editor must make this change" in response.content.decode()  # by the button
    assert snapshot(original) == before
    assert snapshot(en) == en_before

    by_editor = client_for(editor).post(
        restore, {"expected_version": Article.objects.get(pk=en.pk).version}
    )
    assert by_editor.status_code == 302
    original.refresh_from_db()
    assert original.region == first.region
    assert original.history.latest().history_change_reason.startswith(
        "Kept in step with the en version: restore: "
    )


def workflow_publish(article, editor):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.APPROVED)
    workflow.apply_transition("publish", article=article, user=editor)


def test_the_service_refuses_a_shared_change_it_is_asked_to_sync(press_officer, agency):
    original = published_original(agency, press_officer)
    en = translate_by_hand(client_for(press_officer), original)
    before = snapshot(original)
    en.region = seeded_region("KZ-75")
    en.save()

    with pytest.raises(workflow.WorkflowError) as raised:
        group.record_edit(article=en, changed_fields=["region"], user=press_officer)

    assert raised.value.code == "shared_fields_locked"
    assert snapshot(original) == before


# --- no lost update on the side-by-side page ----------------------------------------------


def test_the_second_of_two_new_translations_is_refused_and_its_text_kept(
    editor, second_editor, agency
):
    original = original_in(agency)
    url = side_by_side_url(original, "en")
    mine = form_data(client_for(editor).get(url), "translation-form")
    theirs = form_data(client_for(second_editor).get(url), "translation-form")
    assert mine["expected_version"] == "0"
    client_for(second_editor).post(url, theirs | {"title": "Their translation", "_save": "Save"})

    late = client_for(editor).post(url, mine | {"title": "My translation", "_save": "Save"})

    assert late.status_code == 409
    assert any("Someone else saved the English translation" in m for m in messages_of(late))
    en = Article.objects.get(translation_group=original.translation_group, language="en")
    assert (en.title, en.author) == ("Their translation", second_editor)
    page = late.content.decode()
    assert 'id="saved-meanwhile"' in page and "Their translation" in page
    kept = form_data(late, "translation-form")
    assert kept["title"] == "My translation"  # nothing the person wrote is lost

    again = client_for(editor).post(url, kept | {"_save": "Save"})  # knowingly, having seen theirs

    assert again.status_code == 302
    en.refresh_from_db()
    assert en.title == "My translation"


def test_a_side_by_side_post_without_the_expected_version_is_refused(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    client = client_for(editor)
    text = {"title": "Жаңа атау", "lead": "", "body": "<p>x</p>", "_save": "Save"}

    edit = client.post(side_by_side_url(original, "kk"), text)
    create = client.post(side_by_side_url(original, "en"), text)

    for response in (edit, create):
        assert response.status_code == 409
        assert any("did not say which version" in m for m in messages_of(response))
        assert form_data(response, "translation-form")["title"] == "Жаңа атау"
    kk.refresh_from_db()
    assert kk.title.startswith("kk: ")
    assert not Article.objects.filter(translation_group=original.translation_group, language="en")


def test_the_service_refuses_to_create_over_a_translation_saved_meanwhile(editor, agency):
    original = original_in(agency)
    kk = translation_of(original, "kk")
    with pytest.raises(workflow.WorkflowError) as raised:
        service.save_translation(
            original=original,
            language="kk",
            user=editor,
            content={"title": "x", "lead": "", "body": ""},
            expected_version=service.NO_TRANSLATION,
        )
    assert raised.value.code == "edit_conflict"
    kk.refresh_from_db()
    assert kk.title.startswith("kk: ")


def test_a_translator_describes_the_photos_in_the_new_language(settings, press_officer, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    original = original_in(agency)
    lead = ImageFactory(agency=agency, alt_en="", caption_ru="Новая школа")
    LeadImage.objects.create(article=original, image=lead)
    shown = ImageFactory(agency=agency, alt_kk="Спорт залы", alt_en="")
    GalleryImage.objects.create(article=original, image=shown)
    client = client_for(press_officer)
    url = side_by_side_url(original, "en")

    page = client.get(url).content.decode()
    assert 'lang="ru"><strong>Russian:</strong> Аким на встрече с жителями — <em>Новая школа' in (
        page
    )
    assert f'name="photos-alt_{lead.pk}"' in page and f'name="photos-caption_{shown.pk}"' in page

    saved = client.post(
        url,
        {
            "title": "Akim opens a school",
            "lead": "",
            "body": "<p>Hi</p>",
            "expected_version": "0",
            "_save": "Save",
            f"photos-alt_{lead.pk}": "The akim with residents",
            f"photos-caption_{lead.pk}": "The new school",
            f"photos-alt_{shown.pk}": "",  # left as it is
            f"photos-caption_{shown.pk}": "",
        },
    )

    assert saved.status_code == 302
    lead.refresh_from_db()
    shown.refresh_from_db()
    assert (lead.alt_en, lead.caption_en) == ("The akim with residents", "The new school")
    assert (shown.alt_en, shown.alt_kk) == ("", "Спорт залы")
    english = Article.objects.get(translation_group=original.translation_group, language="en")
    assert english.lead_image.image == lead  # the version shows the original's photos
    assert [item.image for item in english.gallery.all()] == [shown]


def test_photos_of_another_agency_cannot_be_described(settings, press_officer, agency):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    original = original_in(agency)
    foreign = ImageFactory(agency=AgencyFactory(), alt_en="")
    LeadImage.objects.create(article=original, image=foreign)

    refused = client_for(press_officer).post(
        side_by_side_url(original, "en"),
        {
            "title": "Akim opens a school",
            "body": "<p>Hi</p>",
            "expected_version": "0",
            "_save": "Save",
            f"photos-alt_{foreign.pk}": "Described",
        },
    )

    assert refused.status_code == 409
    foreign.refresh_from_db()
    assert foreign.alt_en == ""
    assert not Article.objects.filter(language="en").exists()  # nothing saved
