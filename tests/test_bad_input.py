"""Bad input: size limits with clear messages, and property tests (hypothesis)
for the renderer and the admin forms: never a 500, never a partial write."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import (
    FAQ,
    MAX_BIO_LENGTH,
    MAX_FAQ_ANSWER_LENGTH,
    MAX_TOPIC_DESCRIPTION_LENGTH,
    Article,
    DraftRevision,
    ReviewEvent,
    Topic,
)
from articles.review import workflow
from articles.text.rendering import MAX_MARKDOWN_LENGTH, render_markdown
from tests.factories import PersonFactory, TopicFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

# Text a hostile or careless editor might paste: any code point (NUL, lone
# surrogates, right-to-left marks and overrides, emoji, combining marks) mixed
# with the characters Markdown and HTML give meaning to.
MARKUP = st.sampled_from(
    [
        "<", ">", "&", '"', "'", "`", "[", "]", "(", ")", "!", "#", "*", "_", "|",
        "\n", "\n\n", "    ", "///", "/// urgent", "javascript:", "data:", "\x00",
        "\u202e", "\u200f", "\ufeff", "\U0001f9ea", "\u0645\u0631\u062d\u0628\u0627",
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "[a](javascript:x)",
        "http://", "https://exa mple.org/%zz", "&#0;", "&#x110000;", "\r\n", "\t",
    ]
)  # fmt: skip
ANY_TEXT = st.lists(MARKUP | st.text(max_size=20), max_size=40).map("".join)


def assert_safe_html(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert re.search(r"<[^>]+\son[a-z]+\s*=", lowered) is None
    assert (
        re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", lowered)
        is None
    )


@hypothesis_settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_the_renderer_never_fails_and_never_lets_code_through(text):
    assert_safe_html(render_markdown(text))


def test_the_renderer_copes_with_text_at_the_limit():
    paragraph = "Blood pressure is measured in millimetres of mercury. " * 20
    text = ("## Section\n\n" + paragraph + "\n\n") * (
        MAX_MARKDOWN_LENGTH // (len(paragraph) + 14)
    )
    assert len(text) <= MAX_MARKDOWN_LENGTH
    html = render_markdown(text)
    assert html.count("<h2") > 100


# Size limits -------------------------------------------------------------------


def article_form(client, article, **changes):
    """The admin change form's data for `article`, as the page has it, with
    `changes` applied (so every inline's management form is there)."""
    data = form_data(
        client, f"/admin/articles/article/{article.pk}/change/", "article_form"
    )
    return data | {name: [value] for name, value in changes.items()}


def with_new_row(data, prefix, **fields):
    """`data` with one more (new) row in the inline `prefix`."""
    number = int(data[f"{prefix}-TOTAL_FORMS"][0])
    row = {f"{prefix}-{number}-{name}": [value] for name, value in fields.items()}
    return data | row | {f"{prefix}-TOTAL_FORMS": [str(number + 1)]}


def snapshot(article):
    article.refresh_from_db()
    return (
        article.body,
        article.lock_version,
        DraftRevision.objects.count(),
        ReviewEvent.objects.count(),
        FAQ.objects.count(),
    )


def test_an_oversized_body_is_refused_with_its_length_and_the_limit(
    admin_client, draft
):
    before = snapshot(draft)
    url = f"/admin/articles/article/{draft.pk}/change/"
    response = admin_client.post(
        url, article_form(admin_client, draft, body="a" * (MAX_MARKDOWN_LENGTH + 1))
    )
    assert response.status_code == 200
    assert "This text is 200,001 characters long; the limit is 200,000." in (
        response.content.decode()
    )
    assert snapshot(draft) == before


def test_an_oversized_faq_answer_is_refused_and_nothing_is_saved(admin_client, draft):
    before = snapshot(draft)
    data = with_new_row(
        article_form(
            admin_client,
            draft,
            body=draft.body + "\n\nA new paragraph that must not be saved.",
        ),
        "faqs",
        question="Is this too long?",
        answer="x" * (MAX_FAQ_ANSWER_LENGTH + 1),
        position=99,
    )
    response = admin_client.post(f"/admin/articles/article/{draft.pk}/change/", data)
    assert response.status_code == 200
    assert "the limit is 20,000" in response.content.decode()
    assert snapshot(draft) == before


def test_person_and_topic_texts_have_limits():
    person = PersonFactory.build(bio="b" * (MAX_BIO_LENGTH + 1))
    with pytest.raises(Exception, match="the limit is 5,000"):
        person.full_clean(exclude=["user"])
    topic = TopicFactory.build(description="d" * (MAX_TOPIC_DESCRIPTION_LENGTH + 1))
    with pytest.raises(Exception, match="the limit is 1,000"):
        topic.full_clean()


def test_a_huge_review_comment_is_refused_and_the_step_undone(editor, reviewer, draft):
    workflow.record_edit(draft, user=editor)
    workflow.submit_for_review(draft, user=editor)
    events = ReviewEvent.objects.count()
    with pytest.raises(workflow.TransitionNotAllowed, match="keep it to 5,000"):
        with transaction.atomic():
            workflow.request_changes(draft, user=reviewer, comment="c" * 5001)
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert ReviewEvent.objects.count() == events


def test_a_request_over_the_upload_limit_gets_a_clear_400(admin_user, draft, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form(client, draft, body="z" * 20_000),
    )
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    draft.refresh_from_db()
    assert "zzzz" not in draft.body


# Admin forms, any input ------------------------------------------------------------

FIELD_TEXT = st.one_of(ANY_TEXT, st.text(max_size=600), st.just(""))
# Often valid, so that accepted saves are checked as well as refused ones.
SLUG = st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)
QUESTION = FIELD_TEXT.map(lambda text: f"Is {text}?")
SOME_TEXT = FIELD_TEXT.map(lambda text: f"Some words. {text}")


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=QUESTION | QUESTION | FIELD_TEXT,
    slug=SLUG | SLUG | SLUG | FIELD_TEXT,
    short_answer=FIELD_TEXT.map(lambda text: f"Yes. {text}"),
    body=SOME_TEXT | SOME_TEXT | FIELD_TEXT,
    question=QUESTION | QUESTION | FIELD_TEXT,
    answer=SOME_TEXT | SOME_TEXT | FIELD_TEXT,
    url=st.sampled_from(["https://www.nhs.uk/", ""]) | FIELD_TEXT,
)
def test_the_article_form_never_fails_and_never_half_saves(
    admin_client, draft, title, slug, short_answer, body, question, answer, url
):
    before = snapshot(draft)
    references = Article.objects.get(pk=draft.pk).references.count()
    data = article_form(
        admin_client,
        draft,
        title=title,
        slug=slug,
        short_answer=short_answer,
        body=body,
    )
    data = with_new_row(data, "faqs", question=question, answer=answer, position=99)
    data = with_new_row(data, "references", title="A source", url=url, position=99)
    response = admin_client.post(f"/admin/articles/article/{draft.pk}/change/", data)
    assert response.status_code in (200, 302)
    event("accepted" if response.status_code == 302 else "refused")
    if response.status_code == 200:
        # Refused: the form is shown again with its errors, nothing written.
        assert "errornote" in response.content.decode()
        assert snapshot(draft) == before
        assert draft.references.count() == references
    else:
        # Accepted: exactly what was typed (the form strips outer spaces; NUL
        # is refused by Django's forms, so it can never be here).
        draft.refresh_from_db()
        assert draft.title == title.strip()
        assert draft.body.replace("\r\n", "\n") == body.strip().replace("\r\n", "\n")
        faq = draft.faqs.get(position=99)
        assert faq.question == question.strip()
        assert_safe_html(draft.body_html + faq.answer_html)
        # The next example starts from the same parts again.
        draft.faqs.filter(position=99).delete()
        draft.references.filter(position=99).delete()


# The admin's import page, any text or file ------------------------------------------

IMPORT_URL = "/admin/articles/article/import/"
SEED_LIKE = st.lists(
    st.sampled_from(
        [
            "Is cold water bad for you? | Old Site",
            "No, it is not.",
            "What the evidence says",
            "Key Takeaways",
            "• Drink when thirsty.",
            "Frequently Asked Questions",
            "Can it cause cramps?",
            "| a | b |",
            "1. First",
        ]
    )
    | ANY_TEXT,
    max_size=30,
).map("\n".join)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=SEED_LIKE | ANY_TEXT, upload=st.none() | st.binary(max_size=3000))
def test_the_import_page_never_fails_and_creates_all_or_nothing(
    admin_client, text, upload
):
    topic = Topic.objects.first() or TopicFactory()
    articles = Article.objects.count()
    data = {"text": text, "topic": str(topic.pk), "create": "1"}
    if upload is not None:
        data["upload"] = SimpleUploadedFile("article.txt", upload, "text/plain")
    response = admin_client.post(IMPORT_URL, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        event("refused")
        assert Article.objects.count() == articles
    else:
        event("imported")
        assert Article.objects.count() == articles + 1
        created = Article.objects.latest("pk")
        assert created.status == Article.Status.DRAFT
        assert "\x00" not in created.title + created.body
        assert_safe_html(created.body_html)
        created.delete()


# Control characters ------------------------------------------------------------------


def test_control_characters_are_refused_with_where_they_are(admin_client, draft):
    before = snapshot(draft)
    response = admin_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form(admin_client, draft, title="Is this \x02 safe?"),
    )
    assert response.status_code == 200
    assert (
        "This text contains an invisible control character (U+0002) at character 9"
        in response.content.decode()
    )
    assert snapshot(draft) == before


def test_a_version_saved_with_a_control_character_cannot_break_the_feed(
    client, article
):
    """Texts saved before the check existed: the feed drops the character."""
    from articles.models import ArticleVersion

    ArticleVersion.objects.filter(pk=article.live_version_id).update(
        title="Is a bell \x07 character safe?", short_answer="Yes \x0b it is."
    )
    response = client.get("/feed/")
    assert response.status_code == 200
    assert "Is a bell  character safe?" in response.content.decode()
    assert "Yes  it is." in response.content.decode()


def test_a_body_with_nothing_left_to_show_is_refused_when_saved(admin_client, draft):
    before = snapshot(draft)
    response = admin_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form(admin_client, draft, body="<script>alert(1)</script>"),
    )
    assert response.status_code == 200
    assert "Nothing of this text would be shown" in response.content.decode()
    assert snapshot(draft) == before


def test_control_characters_in_comments_and_change_summaries_are_refused(
    editor, reviewer, article
):
    article.short_answer = "A new answer."
    article.save()
    workflow.record_edit(article, user=editor)
    with pytest.raises(
        workflow.TransitionNotAllowed, match=r"The summary of what changed: .*U\+0007"
    ):
        with transaction.atomic():
            workflow.submit_for_review(
                article, user=editor, change_summary="New \x07 answer"
            )
    workflow.submit_for_review(article, user=editor, change_summary="A new answer")
    with pytest.raises(workflow.TransitionNotAllowed, match=r"The comment: .*U\+0002"):
        with transaction.atomic():
            workflow.request_changes(article, user=reviewer, comment="Fix \x02 this")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.change_summary == "A new answer"
