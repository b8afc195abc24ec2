import datetime

import pytest
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


@pytest.fixture
def full_article():
    article = ArticleFactory(
        published=True,
        title="Can cold weather trigger asthma?",
        short_answer="Yes, cold dry air can tighten the airways.",
        body="## Why cold air matters\n\nCold air is dry.\n\n| Trigger | Tip |\n|---|---|\n"
        "| Wind | Cover your mouth |\n",
        author=PersonFactory(name="Lena Ortiz", credentials="MPH"),
        medical_reviewer=PersonFactory(name="Ravi Shah", credentials="MBBS, MRCP"),
    )
    KeyTakeawayFactory(
        article=article, position=1, text="Keep your reliever inhaler with you."
    )
    FAQFactory(
        article=article, position=2, question="Does a scarf help?", answer="It can."
    )
    FAQFactory(
        article=article, position=1, question="Is exercise safe?", answer="Usually."
    )
    ReferenceFactory(
        article=article,
        position=1,
        citation="Asthma body. Cold weather. 2024.",
        url="https://www.example.org/cold",
    )
    return article


def test_article_page_shows_its_parts_in_reading_order(client, full_article):
    response = client.get(full_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") :]
    landmarks = [
        "<h1>Can cold weather trigger asthma?</h1>",
        "Yes, cold dry air can tighten the airways.",
        "Written by</span> Lena Ortiz",
        "Medically reviewed by</span> Ravi Shah",
        "MBBS, MRCP",
        "Published <time",
        "Why cold air matters",
        "<table>",
        "Key takeaways",
        "Keep your reliever inhaler with you.",
        "Frequently asked questions",
        "Is exercise safe?",
        "Does a scarf help?",
        "References",
        "Asthma body. Cold weather. 2024.",
    ]
    positions = [html.find(text) for text in landmarks]
    assert -1 not in positions, [
        t for t, p in zip(landmarks, positions, strict=True) if p == -1
    ]
    assert positions == sorted(positions)


def test_short_answer_sits_in_its_highlighted_box(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    box = html[html.index('class="short-answer"') :]
    assert box.index("Yes, cold dry air") < box.index("</section>")


def test_each_faq_has_an_anchor_id(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    assert '<div class="faq" id="faq-1">' in html
    assert '<div class="faq" id="faq-2">' in html


def test_page_title_and_description_come_from_the_article(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    assert "<title>Can cold weather trigger asthma? | " in html
    assert (
        '<meta name="description" content="Yes, cold dry air can tighten the airways.">'
        in html
    )


def test_article_text_is_escaped_not_executed(client):
    article = ArticleFactory(
        published=True,
        title="Is <script>alert(1)</script> safe?",
        short_answer="<img src=x onerror=alert(1)>",
    )
    KeyTakeawayFactory(article=article, text="<b onmouseover=alert(1)>x</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_draft_article_answers_404_with_a_friendly_page(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_scheduled_article_answers_404_until_its_time(client):
    article = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slug_answers_404(client, db):
    response = client.get("/questions/no-such-question/")
    assert response.status_code == 404
    assert "Browse all health questions" in response.content.decode()


def test_home_lists_public_questions_and_their_topics_only(client):
    public = ArticleFactory(published=True, title="Is a public question shown?")
    ArticleFactory(
        title="Is a draft question hidden?", topic=TopicFactory(name="Hidden topic")
    )
    html = client.get("/").content.decode()
    assert "Is a public question shown?" in html
    assert public.topic.name in html
    assert "Is a draft question hidden?" not in html
    assert "Hidden topic" not in html


def test_topic_page_lists_only_its_public_questions(client):
    topic = TopicFactory(name="Sleep")
    ArticleFactory(published=True, topic=topic, title="Do naps help?")
    ArticleFactory(topic=topic, title="Is this draft hidden?")
    ArticleFactory(published=True, title="Is another topic's question elsewhere?")
    response = client.get(topic.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sleep</h1>" in html
    assert "Do naps help?" in html
    assert "Is this draft hidden?" not in html
    assert "Is another topic&#x27;s question elsewhere?" not in html


def test_topic_without_public_questions_answers_404(client):
    topic = TopicFactory()
    ArticleFactory(topic=topic)
    assert client.get(topic.get_absolute_url()).status_code == 404


def test_article_page_uses_a_fixed_number_of_queries(
    client, full_article, django_assert_max_num_queries
):
    for n in range(3, 8):
        FAQFactory(article=full_article, position=n)
        KeyTakeawayFactory(article=full_article, position=n)
    with django_assert_max_num_queries(4):
        assert client.get(full_article.get_absolute_url()).status_code == 200
