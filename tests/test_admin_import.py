"""The admin's "Import from text" page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from tests.factories import TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import")

TEXT = """Is cold water bad for digestion? | Old Site

No, drinking cold water does not harm digestion in healthy adults.

What the evidence says

Studies find no effect on digestion in healthy people.

Key Takeaways

• Cold water is safe to drink.
• Drink when you are thirsty.

Frequently Asked Questions

Can cold water cause cramps?

Rarely, during hard exercise.
"""


def test_article_list_links_to_the_import_page(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert IMPORT_URL in html and "Import from text" in html


def test_preview_shows_the_detected_structure_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"text": TEXT, "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "title: Is cold water bad for digestion?" in html
    assert "key takeaways: 2" in html and "FAQs: 1" in html
    assert '<h2 id="what-the-evidence-says">What the evidence says</h2>' in html
    assert 'name="create"' in html
    assert Article.objects.count() == 0


def test_create_saves_a_draft_written_by_the_importing_editor(client, editor):
    topic = TopicFactory()
    client.force_login(editor)
    response = client.post(
        IMPORT_URL, {"text": TEXT, "topic": str(topic.pk), "create": "1"}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    assert (article.title, article.status, article.topic) == (
        "Is cold water bad for digestion?",
        Article.Status.DRAFT,
        topic,
    )
    assert [t.text for t in article.key_takeaways.all()] == [
        "Cold water is safe to drink.",
        "Drink when you are thirsty.",
    ]
    assert article.faqs.get().question == "Can cold water cause cramps?"
    assert article.revisions.get().saved_by == editor
    assert article.author.name == "Editorial team"


def test_uploaded_seed_is_previewed_and_put_in_the_text_box(client, editor, seed_text):
    client.force_login(editor)
    upload = SimpleUploadedFile(
        "seed.txt", seed_text("001").encode("utf-8"), content_type="text/plain"
    )
    html = client.post(IMPORT_URL, {"upload": upload, "preview": "1"}).content.decode()
    assert "title: Can Sex After Implantation Cause A Miscarriage?" in html
    assert "<table>" in html
    assert "Understanding Implantation and Pregnancy</textarea>" not in html
    assert "Can Sex After Implantation Cause A Miscarriage? | Informed Choices" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": ""}, "Paste the article&#x27;s text or choose a .txt file."),
        ({"text": "Hello world.\nJust some text."}, "No title found"),
        (
            {"upload": SimpleUploadedFile("x.txt", b"\xff\xfe\x00\x41")},
            "Cannot import x.txt",
        ),
    ],
    ids=["empty", "no title", "not utf-8"],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(
    client, editor, data, message
):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {**data, "create": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Article.objects.count() == 0


def test_importing_an_existing_question_is_refused(client, editor):
    client.force_login(editor)
    client.post(IMPORT_URL, {"text": TEXT, "create": "1"})
    response = client.post(IMPORT_URL, {"text": TEXT, "create": "1"})
    assert "already exists" in response.content.decode()
    assert Article.objects.count() == 1


def test_script_in_imported_text_does_not_reach_the_preview(client, editor):
    client.force_login(editor)
    hostile = TEXT.replace(
        "Studies find",
        "<script>alert(1)</script><img src=x onerror=alert(2)> Studies find",
    )
    html = client.post(IMPORT_URL, {"text": hostile, "preview": "1"}).content.decode()
    body = html[html.index('class="import-body"') :]
    body = body[: body.index("</div>")]
    assert "<script" not in body and "onerror" not in body


def test_staff_without_add_permission_cannot_import(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"text": TEXT, "create": "1"}).status_code == 403
    assert Article.objects.count() == 0


SOURCES = """

Studies find no effect [1], and guidance agrees [2].

References

1. Lee C. Cold drinks and digestion. Gut. 2018. https://doi.org/10.1136/gutjnl-2017-314000
2. NHS. Indigestion. https://www.nhs.uk/conditions/indigestion/
3. A note from a nurse.
"""
TEXT_WITH_SOURCES = TEXT.replace(
    "Studies find no effect on digestion in healthy people.\n",
    "Studies find no effect on digestion in healthy people." + SOURCES,
)


def test_preview_lists_the_references_found_and_what_was_left_out(client, editor):
    client.force_login(editor)
    html = client.post(
        IMPORT_URL, {"text": TEXT_WITH_SOURCES, "preview": "1"}
    ).content.decode()
    assert "references: 2" in html
    assert (
        "<li>Lee C. Cold drinks and digestion. Gut. 2018. "
        "<code>doi:10.1136/gutjnl-2017-314000</code></li>"
    ) in html
    assert "<code>https://www.nhs.uk/conditions/indigestion/</code>" in html
    assert "as reference 3: “A note from a nurse.”" in html
    assert 'href="#ref-1"' in html  # the body preview links its citations
    assert Article.objects.count() == 0


def test_create_stores_the_references_section_as_structured_references(client, editor):
    client.force_login(editor)
    client.post(IMPORT_URL, {"text": TEXT_WITH_SOURCES, "create": "1"})
    article = Article.objects.get()
    assert [r.as_content() for r in article.references.all()] == [
        {
            "citation": "Lee C. Cold drinks and digestion. Gut. 2018.",
            "url": "",
            "doi": "10.1136/gutjnl-2017-314000",
        },
        {"citation": "NHS. Indigestion.", "url": "https://www.nhs.uk/conditions/indigestion/"},
    ]  # fmt: skip
    assert "no effect [1], and guidance agrees [2]." in article.body
    assert "Lee C." not in article.body


def test_a_text_without_references_creates_a_draft_without_any(client, editor):
    client.force_login(editor)
    html = client.post(IMPORT_URL, {"text": TEXT, "preview": "1"}).content.decode()
    assert "references: no references section" in html
    client.post(IMPORT_URL, {"text": TEXT, "create": "1"})
    assert Article.objects.get().references.count() == 0
