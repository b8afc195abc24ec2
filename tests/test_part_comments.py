"""Comments on parts of the text: a reviewer points at a part, the editor sees
it beside that part, replies or resolves; nothing is deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.models import FAQ, PartComment
from articles.review import comments, workflow
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(editor):
    article = ArticleFactory(
        body="## Dose\n\nTake 2 tablets.\n\n## When to see a GP\n\nAfter 3 days.\n"
    )
    FAQ.objects.create(
        article=article, position=1, question="Can children take it?", answer="Yes."
    )
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    return article


def test_each_part_can_be_named_including_body_sections(in_review):
    keys = [key for key, _, _ in comments.parts_of(in_review.approval_content())]
    assert keys == ["title", "short_answer", "body", "body:1", "body:2", "faq:1"]
    labels = dict(
        (key, label)
        for key, label, _ in comments.parts_of(in_review.approval_content())
    )
    assert labels["body:2"] == "Body section “When to see a GP”"
    assert labels["faq:1"] == "FAQ 1: Can children take it?"


def test_a_reviewer_comments_on_a_section_from_the_review_page(
    client, in_review, reviewer, editor
):
    client.force_login(reviewer)
    review = reverse("admin:articles_article_review", args=[in_review.pk])
    page = client.get(review).content.decode()
    assert '<option value="body:2">Body section “When to see a GP”</option>' in page
    client.post(
        reverse("admin:articles_article_comments", args=[in_review.pk]),
        {
            "action": "add",
            "part": "body:2",
            "text": "Say which symptoms.",
            "next": review,
        },
    )
    comment = PartComment.objects.get()
    assert (comment.part, comment.author, comment.quote) == (
        "body:2",
        reviewer,
        "## When to see a GP After 3 days.",
    )
    assert comment.content_hash == in_review.approval_hash()
    # The editor sees it on the change form, marked for the part's row.
    client.force_login(editor)
    form = client.get(
        reverse("admin:articles_article_change", args=[in_review.pk])
    ).content.decode()
    assert 'data-part="body:2"' in form and "Say which symptoms." in form
    assert form.index("Say which symptoms.") < form.index('name="title"')


def test_the_editor_replies_and_resolves_and_the_thread_is_kept(
    client, in_review, reviewer, editor
):
    thread = comments.add_comment(
        in_review, user=reviewer, part="faq:1", text="Give the age."
    )
    url = reverse("admin:articles_article_comments", args=[in_review.pk])
    client.force_login(editor)
    client.post(
        url, {"action": "reply", "comment": thread.pk, "text": "Added: over 12."}
    )
    client.post(url, {"action": "resolve", "comment": thread.pk})
    thread.refresh_from_db()
    assert thread.resolved_by == editor and not thread.is_open
    assert [r.text for r in thread.replies.all()] == ["Added: over 12."]
    assert list(comments.threads(in_review)) == []
    assert list(comments.threads(in_review, open_only=False)) == [thread]
    history = client.get(
        reverse("admin:articles_article_change", args=[in_review.pk])
    ).content.decode()
    assert "Resolved by editor" in history


@pytest.mark.parametrize(
    ("part", "text", "message"),
    [
        ("faq:9", "Looks wrong.", "Choose which part"),
        ("body", "   ", "it is empty"),
        ("body", "x" * 5_001, "keep it to 5,000"),
        ("body", "bad \x00 byte", "The comment"),
    ],
)
def test_bad_comments_are_refused_with_a_message_and_nothing_is_saved(
    client, in_review, reviewer, part, text, message
):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:articles_article_comments", args=[in_review.pk]),
        {"action": "add", "part": part, "text": text},
        follow=True,
    )
    assert message in response.content.decode()
    assert not PartComment.objects.exists()


def test_an_offsite_next_address_is_not_followed(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:articles_article_comments", args=[in_review.pk]),
        {
            "action": "add",
            "part": "body",
            "text": "Fine.",
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("admin:articles_article_change", args=[in_review.pk])


def test_people_without_an_editorial_role_cannot_comment(in_review):
    visitor = UserFactory()
    with pytest.raises(PermissionDenied):
        comments.add_comment(in_review, user=visitor, part="body", text="Hello")


def test_a_resolved_thread_takes_no_more_replies(in_review, reviewer, editor):
    thread = comments.add_comment(
        in_review, user=reviewer, part="body", text="Shorter."
    )
    comments.resolve(thread, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="resolved"):
        comments.reply(thread, user=reviewer, text="Still long.")


@pytest.mark.parametrize("comment", ["abc", "", "999999"])
def test_a_reply_to_no_such_comment_says_so_and_changes_nothing(
    client, in_review, reviewer, comment
):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:articles_article_comments", args=[in_review.pk]),
        {"action": "reply", "comment": comment, "text": "Hello"},
        follow=True,
    )
    assert "That comment is not on this article." in response.content.decode()
    assert not PartComment.objects.exists()


def test_a_comment_on_another_article_cannot_be_resolved_from_this_one(
    client, in_review, reviewer, editor
):
    other = ArticleFactory()
    thread = comments.add_comment(other, user=reviewer, part="body", text="Elsewhere.")
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_comments", args=[in_review.pk]),
        {"action": "resolve", "comment": thread.pk},
    )
    thread.refresh_from_db()
    assert thread.is_open
