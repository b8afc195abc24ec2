"""An approval covers everything a version shows, not only the article text:
the author byline as printed, the review interval (it sets "Next review
due"), and the public note about the update. Each was changed by a hostile
editor between approval and publication over HTTP; each must now void the
approval or be refused, and the review page must show it."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.review import workflow
from tests.factories import ArticleFactory, PersonFactory, make_reviewer
from tests.forms import form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


def approved_new_article(editor, reviewer, **fields) -> Article:
    article = ArticleFactory(
        author=PersonFactory(name="Sam Writer", credentials="BSc"), **fields
    )
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    return article


def submit_update(article, editor, summary, **submit_options) -> None:
    """Edit a published article's short answer and submit it with `summary`."""
    article.short_answer = "A newer answer."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary=summary, **submit_options
    )


def post_change_form(client, obj, **changes):
    name = obj._meta.model_name
    path = reverse(f"admin:articles_{name}_change", args=[obj.pk])
    return client.post(path, form_data(client, path, f"{name}_form", **changes))


def publish_over_http(client, article):
    return client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"transition": "publish"},
        follow=True,
    )


@pytest.mark.parametrize(
    "field, value",
    [("name", "Dr Fake Cardiologist"), ("credentials", "MD, FACC")],
)
def test_renaming_the_author_byline_after_approval_blocks_publication(
    client, editor, reviewer, field, value
):
    article = approved_new_article(editor, reviewer)
    client.force_login(editor)
    assert post_change_form(client, article.author, **{field: value}).status_code == 302
    response = publish_over_http(client, article)
    assert "changed after it was approved" in response.content.decode()
    article.refresh_from_db()
    assert article.live_version is None
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_the_version_prints_the_byline_the_reviewer_approved(editor, reviewer):
    article = approved_new_article(editor, reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    version = article.live_version
    assert (version.author_name, version.author_credentials) == ("Sam Writer", "BSc")
    assert version.content_hash == article.content_hash()


def test_changing_the_review_interval_after_approval_voids_the_approval(
    client, editor, reviewer
):
    article = approved_new_article(editor, reviewer)
    client.force_login(editor)
    response = post_change_form(client, article, review_interval_months="36")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    with pytest.raises(workflow.TransitionNotAllowed, match="Only approved"):
        workflow.publish(article, user=editor)


def test_next_review_due_follows_the_approved_interval(editor, reviewer):
    article = approved_new_article(editor, reviewer, review_interval_months=6)
    # Test setup only: the interval changed behind the workflow's back.
    Article.objects.filter(pk=article.pk).update(review_interval_months=36)
    with pytest.raises(workflow.TransitionNotAllowed, match="changed after"):
        workflow.publish(article, user=editor)


def test_the_review_page_shows_byline_interval_and_the_update_note(
    client, editor, reviewer, article
):
    article.short_answer = "A newer answer."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary="Clearer dose advice", correction=True
    )
    client.force_login(reviewer)
    url = reverse("admin:articles_article_review", args=[article.pk])
    # "What changed" (the default) shows the changed parts of the approval...
    changes = client.get(url).content.decode()
    assert "<ins>Clearer dose advice</ins>" in changes
    assert "Marked as a correction" in changes
    assert "Review interval in months" not in changes
    # ... and "Source of every field" shows every part, changed or not.
    page = client.get(url + "?view=source").content.decode()
    assert "Written by: name as printed" in page and article.author.name in page
    assert "Review interval in months" in page
    assert "Public summary of this update" in page
    assert "<ins>Clearer dose advice</ins>" in page
    assert "Marked as a correction" in page


def test_editing_the_summary_after_approval_voids_the_approval(
    client, editor, reviewer, article
):
    submit_update(article, editor, "Clearer advice")
    workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    client.force_login(editor)
    response = post_change_form(
        client, article, change_summary="Now safe to double the dose"
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert publish_over_http(client, article).status_code == 200
    article.refresh_from_db()
    assert article.live_version.change_summary != "Now safe to double the dose"


def test_a_summary_changed_while_the_reviewer_reads_is_not_approved(
    client, editor, reviewer, article
):
    submit_update(article, editor, "Clearer advice")
    client.force_login(reviewer)
    review = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    seen = review.context["content_hash"]
    Article.objects.filter(pk=article.pk).update(change_summary="Double the dose")
    client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"transition": "approve", "content_hash": seen},
    )
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_a_reviewer_who_wrote_the_summary_cannot_approve_it(editor, reviewer, article):
    article.short_answer = "A newer answer."
    article.save()
    workflow.record_edit(article, user=editor)
    # The reviewer submits, writing the public note themselves.
    workflow.submit_for_review(article, user=reviewer, change_summary="Safe for all")
    with pytest.raises(workflow.TransitionNotAllowed, match="four-eyes"):
        workflow.approve_medical_review(article, user=reviewer)
    workflow.approve_medical_review(article, user=make_reviewer())


def test_the_public_page_and_feed_show_only_the_approved_summary(
    client, editor, reviewer, article
):
    submit_update(article, editor, "Clearer advice")
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    # Editing the draft's note afterwards changes nothing public.
    article.refresh_from_db()
    article.change_summary = "Now safe to double the dose"
    article.save()
    workflow.record_edit(article, user=editor)
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/feed/").content.decode()
    assert "Clearer advice" in page and "Clearer advice" in feed
    assert "double the dose" not in page and "double the dose" not in feed


def test_each_update_needs_its_own_summary(editor, reviewer, article):
    article.short_answer = "A newer answer."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="First update")
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    article.short_answer = "An even newer answer."
    article.save()
    workflow.record_edit(article, user=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="previous update"):
        workflow.submit_for_review(article, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="Second update")
