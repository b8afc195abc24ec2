"""Text as it enters: line endings from browsers and files, rows added with the
admin's "Add another" link, editors' related picks, and images, which the site
refuses with a message instead of dropping them silently."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles.demo.content import ARTICLES as DEMO_ARTICLES
from articles.models import (
    FAQ,
    Article,
    ArticleVersion,
    DraftRevision,
    ReviewEvent,
    SitePage,
)
from articles.models.content_writer import write_article
from articles.review import roles, workflow
from articles.text.images import image_problems, render_preview
from articles.text.newlines import normalise_newlines
from articles.text.rendering import render_markdown
from articles.transfer import backup, backup_load, into_drafts
from articles.transfer.plain_text import decode_text, parse_article
from tests.conftest import SEEDS_DIR
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    TopicFactory,
    make_published,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
IMPORT_URL = reverse("admin:articles_article_import")
FORM_ID = "article_form"

BODY = "## Background\n\nFirst line\nsecond line.\n\n- one\n- two"
SHORT_ANSWER = "Yes.\nUsually."
ANSWER = "It is.\n\nMostly."


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def texts(value):
    """Every string inside `value` (an article's content)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from texts(item)


def as_browser_sends(data: dict) -> dict:
    """A form's fields as a browser posts them: each line break as CRLF."""
    return {name: [crlf(value) for value in values] for name, values in data.items()}


# Line endings ------------------------------------------------------------


def test_crlf_and_lone_cr_become_lf_and_lf_stays():
    assert normalise_newlines("a\r\nb\rc\nd\r\n\r\n") == "a\nb\nc\nd\n\n"


def test_admin_edit_sent_with_crlf_stores_lf_and_the_fingerprint_of_the_lf_text(
    client, editor, draft
):
    FAQFactory(article=draft, position=1, question="Is it?", answer="Old.")
    KeyTakeawayFactory(article=draft, position=1, text="Old takeaway.")
    client.force_login(editor)
    data = form_data(
        client,
        change_url(draft),
        FORM_ID,
        body=crlf(BODY),
        short_answer=crlf(SHORT_ANSWER),
        **{
            "faqs-0-answer": crlf(ANSWER),
            "key_takeaways-0-text": "Line one\r\nline two",
            "references-0-citation": "NHS.\rGuidance. 2024.",
            "references-0-url": "https://www.nhs.uk/",
        },
    )

    assert client.post(change_url(draft), data).status_code == 302

    draft.refresh_from_db()
    assert (draft.body, draft.short_answer) == (BODY, SHORT_ANSWER)
    assert draft.faqs.get().answer == ANSWER
    assert draft.key_takeaways.get().text == "Line one\nline two"
    assert draft.references.get().citation == "NHS.\nGuidance. 2024."
    fingerprint = draft.approval_hash()
    assert not any("\r" in text for text in texts(draft.approval_content()))
    # The same edit sent with LF is no change at all: same fingerprint, no revision.
    revisions = draft.revisions.count()
    data = form_data(client, change_url(draft), FORM_ID)
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.approval_hash() == fingerprint
    assert draft.revisions.count() == revisions


def test_saving_a_published_article_unchanged_from_a_browser_keeps_it_published(
    client, editor, article
):
    """Before, every line came back with CRLF, and the body without its last
    line break (forms strip text), so it differed from the live version."""
    FAQFactory(article=article, position=1, answer=ANSWER)
    article = make_published(article, editor=editor)
    client.force_login(editor)
    data = as_browser_sends(form_data(client, change_url(article), FORM_ID))

    assert client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.content_hash() == article.live_version.content_hash


def test_a_short_answer_at_its_limit_is_not_refused_for_its_line_breaks(
    client, editor, draft
):
    """A browser counts a line break as one character (maxlength); so does the form."""
    answer = "\n".join(["Word " * 32 + "Words."] * 3)
    assert (len(answer), len(crlf(answer))) == (500, 502)
    client.force_login(editor)
    data = form_data(client, change_url(draft), FORM_ID, short_answer=crlf(answer))

    assert client.post(change_url(draft), data).status_code == 302

    draft.refresh_from_db()
    assert draft.short_answer == answer


IMPORTED = """Is cold water bad for digestion?

No, drinking cold water does not harm digestion in healthy adults.

What the evidence says

Studies find no effect on digestion in healthy people.
Drinking water is safe.

Frequently Asked Questions

Can cold water cause cramps?

Rarely, during hard exercise.
"""


def test_decoding_and_parsing_imported_text_gives_lf_line_breaks():
    assert decode_text(crlf(IMPORTED).encode()) == IMPORTED
    assert decode_text(IMPORTED.replace("\n", "\r").encode()) == IMPORTED
    parsed, expected = parse_article(crlf(IMPORTED)), parse_article(IMPORTED)
    assert (parsed.body, parsed.faqs) == (expected.body, expected.faqs)
    assert "\r" not in parsed.body


def test_an_uploaded_crlf_file_is_imported_with_lf_line_breaks(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("a.txt", crlf(IMPORTED).encode(), "text/plain")
    response = client.post(IMPORT_URL, {"upload": upload, "create": "1"})

    assert response.status_code == 302
    article = Article.objects.get()
    expected = parse_article(IMPORTED)
    assert article.body == expected.body
    assert [faq.answer for faq in article.faqs.all()] == [expected.faqs[0][1]]
    assert not any("\r" in text for text in texts(article.approval_content()))


def test_the_content_writer_stores_lf_in_the_text_and_every_part(editor):
    article = ArticleFactory()
    content = {
        "title": article.title,
        "short_answer": crlf(SHORT_ANSWER),
        "body": crlf(BODY),
        "faqs": [{"question": "Is it?", "answer": crlf(ANSWER)}],
        "key_takeaways": ["One\r\ntwo"],
        "references": [{"citation": "NHS.\r\nGuidance.", "url": "https://www.nhs.uk/"}],
    }

    write_article(article, content, topic=article.topic, author=article.author)

    article.refresh_from_db()
    assert (article.body, article.short_answer) == (BODY, SHORT_ANSWER)
    assert article.faqs.get().answer == ANSWER
    assert article.key_takeaways.get().text == "One\ntwo"
    assert article.references.get().citation == "NHS.\nGuidance."


def export_then_remove(*articles) -> dict:
    """An export of the database, then these articles (history, versions and
    all) gone from it, so the export can be loaded again."""
    data = backup.export_data()
    removed = Article.objects.filter(pk__in=[a.pk for a in articles])
    ReviewEvent.objects.filter(article__in=removed).delete()
    DraftRevision.objects.filter(article__in=removed).delete()
    removed.update(live_version=None, status=Article.Status.DRAFT)
    ArticleVersion.objects.filter(article__in=removed).delete()
    removed.delete()
    return data


def test_loading_a_draft_saved_with_crlf_stores_lf(editor):
    """Rows saved through the admin before the fix hold CRLF."""
    draft = ArticleFactory(body=crlf(BODY), short_answer=crlf(SHORT_ANSWER))
    FAQFactory(article=draft, position=1, answer=crlf(ANSWER))
    workflow.record_edit(draft, user=editor)
    data = export_then_remove(draft)

    backup_load.load_data(data)

    loaded = Article.objects.get(slug=draft.slug)
    assert (loaded.body, loaded.short_answer) == (BODY, SHORT_ANSWER)
    assert loaded.faqs.get().answer == ANSWER


def test_loading_approved_text_keeps_it_as_recorded_so_the_approval_holds(
    editor, reviewer
):
    draft = ArticleFactory(body=crlf(BODY))
    FAQFactory(article=draft, position=1, answer=crlf(ANSWER))
    workflow.record_edit(draft, user=editor)
    workflow.submit_for_review(draft, user=editor)
    workflow.approve_medical_review(draft, user=reviewer)
    data = export_then_remove(draft)

    backup_load.load_data(data)

    loaded = Article.objects.get(slug=draft.slug)
    assert loaded.status == Article.Status.APPROVED
    assert (loaded.body, loaded.faqs.get().answer) == (crlf(BODY), crlf(ANSWER))
    assert loaded.approval_hash() == loaded.approved_content_hash
    published = workflow.publish(loaded, user=editor)
    assert published.live_version.body == crlf(BODY)


# "Add another" rows ------------------------------------------------------

PARTS = {
    "faqs": lambda n: {"question": f"Question {n}?", "answer": f"Answer {n}."},
    "key_takeaways": lambda n: {"text": f"Takeaway {n}."},
    "references": lambda n: {
        "citation": f"Source {n}. 2024.",
        "url": f"https://example.org/{n}",
    },
}


def click_add_another(data: dict, prefix: str, times: int) -> dict:
    """What the browser posts after "Add another" is clicked `times` times:
    copies of the empty row's fields under the next indexes."""
    empty = {
        name: values
        for name, values in data.items()
        if name.startswith(f"{prefix}-__prefix__-")
    }
    assert f"{prefix}-__prefix__-position" in empty, "the empty row has a position"
    total = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for index in range(total, total + times):
        for name, values in empty.items():
            data[name.replace("__prefix__", str(index))] = list(values)
    data[f"{prefix}-TOTAL_FORMS"] = [str(total + times)]
    return data


def fill(data: dict, prefix: str, indexes, first_number: int) -> None:
    for number, index in enumerate(indexes, start=first_number):
        for field, value in PARTS[prefix](number).items():
            data[f"{prefix}-{index}-{field}"] = [value]


def test_first_save_of_a_new_article_with_added_rows_numbers_them_in_order(
    client, editor
):
    client.force_login(editor)
    data = form_data(
        client,
        ADD_URL,
        FORM_ID,
        title="Is water good for you?",
        slug="is-water-good-for-you",
        topic=str(TopicFactory().pk),
        author=str(PersonFactory().pk),
        short_answer="Yes.",
        body="Drink water.",
    )
    for prefix in PARTS:
        click_add_another(data, prefix, 2)
        fill(data, prefix, [0, 1, 2], first_number=1)

    response = client.post(ADD_URL, data)

    assert response.status_code == 302, response.content.decode()
    article = Article.objects.get(slug="is-water-good-for-you")
    assert [(f.position, f.question) for f in article.faqs.all()] == [
        (1, "Question 1?"),
        (2, "Question 2?"),
        (3, "Question 3?"),
    ]
    assert [(t.position, t.text) for t in article.key_takeaways.all()] == [
        (1, "Takeaway 1."),
        (2, "Takeaway 2."),
        (3, "Takeaway 3."),
    ]
    assert [r.citation for r in article.references.all()] == [
        "Source 1. 2024.",
        "Source 2. 2024.",
        "Source 3. 2024.",
    ]
    assert [r.position for r in article.references.all()] == [1, 2, 3]


def test_added_rows_follow_the_existing_ones_and_an_untouched_one_is_ignored(
    client, editor, draft
):
    FAQFactory(article=draft, position=1, question="Question 1?")
    FAQFactory(article=draft, position=2, question="Question 2?")
    client.force_login(editor)
    data = click_add_another(form_data(client, change_url(draft), FORM_ID), "faqs", 3)
    fill(data, "faqs", [2, 3, 4], first_number=3)  # the blank row and two added
    # The third added row stays as "Add another" made it.

    assert client.post(change_url(draft), data).status_code == 302

    assert [(f.position, f.question) for f in draft.faqs.all()] == [
        (n, f"Question {n}?") for n in range(1, 6)
    ]


def test_an_added_row_given_a_taken_position_is_still_refused(client, editor, draft):
    FAQFactory(article=draft, position=1)
    client.force_login(editor)
    data = click_add_another(form_data(client, change_url(draft), FORM_ID), "faqs", 1)
    fill(data, "faqs", [2], first_number=9)
    data["faqs-2-position"] = ["1"]

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "Two rows have position 1" in response.content.decode()
    assert draft.faqs.count() == 1


# Related picks -----------------------------------------------------------

RELATED_PICK_PERMISSIONS = {
    "add_relatedpick",
    "change_relatedpick",
    "delete_relatedpick",
    "view_relatedpick",
}


def test_an_editor_picks_a_related_question_in_the_change_form(client, editor, draft):
    target = make_published(title="Is sleep important?", slug="sleep")
    client.force_login(editor)
    data = form_data(client, change_url(draft), FORM_ID)
    assert "related_picks-TOTAL_FORMS" in data
    data["related_picks-0-target"] = [str(target.pk)]

    assert client.post(change_url(draft), data).status_code == 302

    assert [(p.position, p.target) for p in draft.related_picks.all()] == [(1, target)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0015_gives_an_existing_editors_group_the_related_pick_permissions():
    before = [("articles", "0014_approval_covers_bylines_and_public_details")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_group = executor.loader.project_state(before).apps.get_model("auth", "Group")
    editors = old_group.objects.get(name=roles.EDITORS)
    editors.permissions.remove(
        *editors.permissions.filter(codename__endswith="_relatedpick")
    )

    executor.loader.build_graph()
    executor.migrate([("articles", "0015_relatedpick_permissions")])

    codenames = set(
        Group.objects.get(name=roles.EDITORS).permissions.values_list(
            "codename", flat=True
        )
    )
    assert RELATED_PICK_PERMISSIONS <= codenames
    # Later migrations add the problem-report, link-check, synonym and image
    # permissions.
    later = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("synonymgroup", "libraryimage")
    }
    assert (
        codenames
        == roles.ROLE_PERMISSIONS[roles.EDITORS]
        - set(roles.EVIDENCE_PERMISSIONS)
        - later
    )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# Images ------------------------------------------------------------------

WITH_IMAGE = "## Background\n\nSee the chart.\n\n![A chart](chart.png)\n"
IMAGE_MESSAGE = (
    "Only pictures from the image library can be shown (upload it there and use "
    "the line it gives): remove ![A chart](chart.png) on line 5."
)


def test_an_article_body_with_an_image_is_refused_naming_it_and_its_line():
    article = ArticleFactory.build(
        topic=TopicFactory(), author=PersonFactory(), body=WITH_IMAGE
    )
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert refused.value.message_dict["body"] == [IMAGE_MESSAGE]


def test_an_faq_answer_with_an_image_is_refused(draft):
    faq = FAQ(article=draft, position=1, question="Is it?", answer="Yes.\n![x](y.png)")
    with pytest.raises(ValidationError) as refused:
        faq.full_clean()
    assert refused.value.message_dict["answer"] == [
        "Only pictures from the image library can be shown (upload it there and "
        "use the line it gives): remove ![x](y.png) on line 2."
    ]


def test_image_syntax_inside_code_is_text_not_an_image():
    text = "Write `![alt](address)` for an image.\n\n    ![alt](address)\n"
    assert image_problems(text) == []
    assert "![alt](address)" in render_markdown(text)


def test_the_admin_shows_the_image_message_and_saves_nothing(client, editor, draft):
    client.force_login(editor)
    data = form_data(client, change_url(draft), FORM_ID, body=crlf(WITH_IMAGE))

    response = client.post(change_url(draft), data)

    assert response.status_code == 200
    assert "Only pictures from the image library can be shown" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert "chart" not in draft.body


def test_import_and_load_refuse_an_image_with_the_same_message(editor):
    parsed = parse_article(IMPORTED.replace("Drinking water", "![A chart](chart.png)"))
    with pytest.raises(ValidationError, match=r"remove !\[A chart\]\(chart.png\)"):
        into_drafts.save_draft(
            parsed, user=editor, topic=TopicFactory(), author=PersonFactory()
        )
    draft = ArticleFactory(body=WITH_IMAGE)  # saved before images were refused
    data = export_then_remove(draft)
    with pytest.raises(backup.LoadError, match=r"remove !\[A chart\]\(chart.png\)"):
        backup_load.load_data(data)


def test_a_site_page_with_an_image_is_refused():
    page = SitePage.objects.get(slug=SitePage.EDITORIAL_POLICY)
    page.body = WITH_IMAGE
    with pytest.raises(ValidationError, match="Images are not supported"):
        page.full_clean()


def test_the_preview_shows_a_notice_where_the_page_would_drop_the_image():
    text = 'Before ![A <b>"chart"</b>](chart.png) after.'

    preview, page = render_preview(text), render_markdown(text)

    assert page == "<p>Before  after.</p>"
    assert preview == (
        '<p>Before <span class="image-notice">Image (“A &lt;b&gt;&quot;chart&quot;'
        "&lt;/b&gt;”) not shown: only pictures from the image library can be "
        "shown, so saving will refuse it.</span> after.</p>"
    )
    assert render_preview("**Bold**") == render_markdown("**Bold**")


def test_the_admin_preview_url_shows_the_image_notice(client, editor):
    client.force_login(editor)
    response = client.post(reverse("markdown_preview"), {"content": WITH_IMAGE})
    assert 'class="image-notice"' in response.content.decode()


def test_demo_content_and_seed_articles_have_only_library_images():
    for article in DEMO_ARTICLES:
        texts = [article["body"], *(answer for _, answer in article["faqs"])]
        found = [problem for text in texts for problem in image_problems(text)]
        assert found == [], article["slug"]
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    for seed in seeds:
        parsed = parse_article(seed.read_text(encoding="utf-8"))
        texts = [parsed.body, *(answer for _, answer in parsed.faqs)]
        found = [problem for text in texts for problem in image_problems(text)]
        assert found == [], seed.name


def test_published_text_and_its_versions_load_as_recorded(editor, reviewer):
    """A version published with CRLF keeps its text and its fingerprint, and
    the working copy still matches it."""
    article = make_published(
        ArticleFactory(body=crlf(BODY)), editor=editor, reviewer=reviewer
    )

    backup_load.load_data(export_then_remove(article))

    loaded = Article.objects.get(slug=article.slug)
    assert loaded.status == Article.Status.PUBLISHED
    assert (loaded.body, loaded.live_version.body) == (crlf(BODY), crlf(BODY))
    assert loaded.content_hash() == loaded.live_version.content_hash
