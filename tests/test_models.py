import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    ReferenceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_public_returns_exactly_published_articles_whose_time_has_come():
    now = timezone.now()
    published = ArticleFactory(published=True)
    ArticleFactory()  # draft
    ArticleFactory(  # scheduled for tomorrow
        status=Article.Status.PUBLISHED, published_at=now + datetime.timedelta(days=1)
    )
    draft_with_old_date = ArticleFactory(published_at=now - datetime.timedelta(days=3))

    assert set(Article.objects.public()) == {published}
    assert draft_with_old_date.is_public() is False


def test_is_public_agrees_with_public_queryset_for_every_case():
    now = timezone.now()
    articles = [
        ArticleFactory(published=True),
        ArticleFactory(),
        ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=now + datetime.timedelta(hours=1),
        ),
        ArticleFactory(published_at=now - datetime.timedelta(days=1)),
    ]
    public_ids = set(Article.objects.public().values_list("pk", flat=True))
    for article in articles:
        assert article.is_public() is (article.pk in public_ids)


def test_article_str_and_url_use_title_and_slug():
    article = ArticleFactory(title="Can stress raise blood pressure?", slug="stress-bp")
    assert str(article) == "Can stress raise blood pressure?"
    assert article.get_absolute_url() == "/questions/stress-bp/"
    assert article.topic.get_absolute_url() == f"/topics/{article.topic.slug}/"


def test_person_str_is_the_byline_with_credentials():
    assert str(PersonFactory(name="Amina Bello", credentials="MD, FACOG")) == (
        "Amina Bello, MD, FACOG"
    )
    assert str(PersonFactory(name="Sam Ito", credentials="")) == "Sam Ito"


def test_saving_an_article_stores_its_rendered_body():
    article = ArticleFactory(body="## Signs\n\n- fever\n- rash\n")
    assert '<h2 id="signs">Signs</h2>' in article.body_html
    assert "<li>fever</li>" in article.body_html

    article.body = "## Causes\n"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert '<h2 id="causes">Causes</h2>' in article.body_html


def test_saving_an_faq_stores_its_rendered_answer():
    faq = FAQFactory(answer="Usually **not**.")
    assert faq.answer_html == "<p>Usually <strong>not</strong>.</p>"


@pytest.mark.parametrize("field", ["title", "slug", "short_answer"])
def test_database_refuses_an_article_with_an_empty_required_text(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(**{field: ""})


def test_database_refuses_two_articles_with_the_same_slug():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")


def test_database_refuses_a_published_article_without_reviewer_or_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(published=True, medical_reviewer=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_model_validation_explains_the_published_constraint():
    article = ArticleFactory.build(
        status=Article.Status.PUBLISHED,
        published_at=None,
        topic=TopicFactory(),
        author=PersonFactory(),
        medical_reviewer=PersonFactory(),
    )
    with pytest.raises(
        Exception, match="needs a publication date and a medical reviewer"
    ):
        article.full_clean()


@pytest.mark.parametrize("factory", [FAQFactory, KeyTakeawayFactory, ReferenceFactory])
def test_two_parts_of_one_article_cannot_share_a_position(factory):
    article = ArticleFactory()
    factory(article=article, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(article=article, position=1)


def test_parts_of_different_articles_may_share_a_position():
    FAQFactory(position=1)
    FAQFactory(position=1)


def test_parts_come_back_ordered_by_position_not_by_creation():
    article = ArticleFactory()
    for position in [3, 1, 2]:
        FAQFactory(article=article, position=position, question=f"Q{position}?")
        KeyTakeawayFactory(article=article, position=position, text=f"T{position}")
        ReferenceFactory(article=article, position=position, citation=f"R{position}")
    assert [f.question for f in article.faqs.all()] == ["Q1?", "Q2?", "Q3?"]
    assert [t.text for t in article.key_takeaways.all()] == ["T1", "T2", "T3"]
    assert [r.citation for r in article.references.all()] == ["R1", "R2", "R3"]


def test_database_refuses_a_reference_url_that_is_not_a_web_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(url="javascript:alert(1)")


def test_faq_anchor_is_derived_from_its_position():
    assert FAQFactory(position=4).anchor == "faq-4"
