import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def inline_data(prefix, rows, initial=0, existing_ids=()):
    """POST data of one inline formset: management form plus one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
        if index < len(existing_ids):
            data[f"{prefix}-{index}-id"] = str(existing_ids[index])
    return data


def article_form_data(**overrides):
    topic, author, reviewer = TopicFactory(), PersonFactory(), PersonFactory()
    data = {
        "title": "Can you take paracetamol with ibuprofen?",
        "slug": "paracetamol-with-ibuprofen",
        "topic": str(topic.pk),
        "short_answer": "Adults can usually take both, following the dose on each pack.",
        "body": "## How they differ\n\n| Medicine | Type |\n|---|---|\n| Ibuprofen | NSAID |\n",
        "author": str(author.pk),
        "medical_reviewer": str(reviewer.pk),
    }
    data.update(overrides)
    return data


def test_editor_creates_an_article_with_faqs_takeaways_and_references(client, editor):
    client.force_login(editor)
    data = article_form_data()
    data |= inline_data(
        "key_takeaways",
        [
            {"position": "1", "text": "Check the dose on each pack."},
            {"position": "2", "text": "Ask a pharmacist if unsure."},
        ],
    )
    data |= inline_data(
        "faqs",
        [
            {
                "position": "1",
                "question": "Can children take both?",
                "answer": "Ask a **pharmacist**.",
            }
        ],
    )
    data |= inline_data(
        "references",
        [
            {
                "position": "1",
                "citation": "NHS. Ibuprofen. 2024.",
                "url": "https://www.nhs.uk/medicines/ibuprofen-for-adults/",
            }
        ],
    )

    response = client.post(ADD_URL, data)

    assert response.status_code == 302, (
        response.context["errors"] if response.context else ""
    )
    article = Article.objects.get(slug="paracetamol-with-ibuprofen")
    assert article.status == Article.Status.DRAFT
    assert [t.text for t in article.key_takeaways.all()] == [
        "Check the dose on each pack.",
        "Ask a pharmacist if unsure.",
    ]
    faq = article.faqs.get()
    assert faq.question == "Can children take both?"
    assert faq.answer_html == "<p>Ask a <strong>pharmacist</strong>.</p>"
    assert article.references.get().citation == "NHS. Ibuprofen. 2024."
    assert "<table>" in article.body_html


def test_add_form_shows_the_markdown_editor_with_our_preview_url(client, editor):
    client.force_login(editor)
    html = client.get(ADD_URL).content.decode()
    assert 'class="markdownx"' in html
    assert 'data-markdownx-urls-path="/admin-tools/markdown-preview/"' in html


def test_status_cannot_be_set_through_the_form(client, editor):
    client.force_login(editor)
    data = article_form_data(status="published", published_at="2020-01-01 00:00")
    for prefix in ["key_takeaways", "faqs", "references"]:
        data |= inline_data(prefix, [])
    assert client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get(slug="paracetamol-with-ibuprofen")
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


def test_two_rows_with_the_same_position_are_refused_and_nothing_is_saved(
    client, editor
):
    client.force_login(editor)
    data = article_form_data()
    data |= inline_data(
        "key_takeaways",
        [{"position": "1", "text": "First."}, {"position": "1", "text": "Second."}],
    )
    data |= inline_data("faqs", []) | inline_data("references", [])
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Two rows have position 1" in response.content.decode()
    assert Article.objects.filter(slug="paracetamol-with-ibuprofen").exists() is False


def test_editor_can_swap_two_faqs_in_one_save(client, editor):
    article = ArticleFactory()
    first = FAQFactory(article=article, position=1, question="First?")
    second = FAQFactory(article=article, position=2, question="Second?")
    client.force_login(editor)
    data = article_form_data(
        title=article.title,
        slug=article.slug,
        topic=str(article.topic_id),
        short_answer=article.short_answer,
        body=article.body,
        author=str(article.author_id),
        medical_reviewer=str(article.medical_reviewer_id),
    )
    data |= inline_data(
        "faqs",
        [
            {
                "position": "2",
                "question": "First?",
                "answer": "a",
                "article": str(article.pk),
            },
            {
                "position": "1",
                "question": "Second?",
                "answer": "b",
                "article": str(article.pk),
            },
        ],
        initial=2,
        existing_ids=[first.pk, second.pk],
    )
    data |= inline_data("key_takeaways", []) | inline_data("references", [])

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    assert response.status_code == 302, (
        response.context["errors"] if response.context else ""
    )
    assert [f.question for f in article.faqs.all()] == ["Second?", "First?"]


def test_new_inline_rows_are_numbered_after_existing_ones(client, editor):
    article = ArticleFactory()
    KeyTakeawayFactory(article=article, position=1)
    KeyTakeawayFactory(article=article, position=2)
    client.force_login(editor)
    html = client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'name="key_takeaways-2-position" value="3"' in html


def test_publish_action_publishes_through_the_workflow(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert f"Published “{draft.title}”." in response.content.decode()


def test_publish_action_reports_a_refusal_and_changes_nothing(client, editor):
    no_reviewer = ArticleFactory(medical_reviewer=None)
    client.force_login(editor)
    response = client.post(
        CHANGELIST_URL,
        {"action": "publish_selected", "_selected_action": [no_reviewer.pk]},
        follow=True,
    )
    no_reviewer.refresh_from_db()
    assert no_reviewer.status == Article.Status.DRAFT
    assert "has no medical reviewer" in response.content.decode()


def test_unpublish_action_takes_an_article_off_the_site(client, editor, article):
    client.force_login(editor)
    client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_user_without_publish_permission_gets_no_publish_action(
    client, reviewer, draft
):
    client.force_login(reviewer)
    html = client.get(CHANGELIST_URL).content.decode()
    assert "publish_selected" not in html
    response = client.post(
        CHANGELIST_URL, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert response.status_code in (200, 302)


def test_markdown_preview_renders_sanitised_html_for_editors(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin-tools/markdown-preview/",
        {"content": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_markdown_preview_is_closed_to_anonymous_visitors(client, db):
    response = client.post("/admin-tools/markdown-preview/", {"content": "**x**"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_markdown_preview_needs_change_permission(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    response = client.post("/admin-tools/markdown-preview/", {"content": "**x**"})
    assert response.status_code == 403


def test_markdown_preview_refuses_oversized_text(client, editor):
    client.force_login(editor)
    response = client.post("/admin-tools/markdown-preview/", {"content": "x" * 200_001})
    assert response.status_code == 400


def test_markdownx_upload_and_default_preview_urls_are_not_served(client, editor):
    client.force_login(editor)
    assert client.post("/markdownx/upload/", {}).status_code == 404
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 404
    assert client.post("/admin-tools/upload-disabled/", {}).status_code == 404


def test_changelist_shows_title_topic_status_and_updated_columns(
    client, editor, article
):
    client.force_login(editor)
    html = client.get(CHANGELIST_URL).content.decode()
    for column in [
        "column-title",
        "column-topic",
        "column-status",
        "column-updated_at",
    ]:
        assert column in html
    assert article.title in html
