import pytest
from django.core.exceptions import PermissionDenied

from articles import workflow
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_editor_publishes_a_draft_with_a_named_reviewer(editor, draft):
    result = workflow.publish(draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None
    assert result.is_public() is True


def test_republishing_keeps_the_first_publication_date(editor, draft):
    first = workflow.publish(draft, user=editor).published_at
    workflow.unpublish(draft, user=editor)
    assert workflow.publish(draft, user=editor).published_at == first


def test_user_without_publish_permission_cannot_publish(reviewer, draft):
    with pytest.raises(PermissionDenied):
        workflow.publish(draft, user=reviewer)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_article_without_medical_reviewer_cannot_be_published(editor):
    draft = ArticleFactory(medical_reviewer=None)
    with pytest.raises(workflow.TransitionNotAllowed, match="no medical reviewer"):
        workflow.publish(draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_published_article_cannot_be_published_again(editor, article):
    with pytest.raises(workflow.TransitionNotAllowed, match="already published"):
        workflow.publish(article, user=editor)


def test_unpublish_takes_an_article_off_the_site_and_keeps_it(editor, article):
    workflow.unpublish(article, user=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert Article.objects.public().filter(pk=article.pk).exists() is False


def test_only_published_articles_can_be_unpublished(editor, draft):
    with pytest.raises(workflow.TransitionNotAllowed, match="is not published"):
        workflow.unpublish(draft, user=editor)


def test_user_without_publish_permission_cannot_unpublish(reviewer, article):
    with pytest.raises(PermissionDenied):
        workflow.unpublish(article, user=reviewer)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
