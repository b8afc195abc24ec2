import datetime
import json

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from articles.publishing.structured_data import article_head_context
from articles.review import roles
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    make_published,
)

pytestmark = pytest.mark.django_db

OPEN_TAG = '<script type="application/ld+json">'
ATTACK = "</script><script>alert(1)</script>"


def make_named_reviewer(name, credentials):
    user = UserFactory(groups=[roles.MEDICAL_REVIEWERS])
    PersonFactory(user=user, name=name, credentials=credentials)
    return user


def head_context(version):
    return article_head_context(version, "http://testserver")


def json_ld_of(markup):
    """The JSON inside the single script element, decoded."""
    assert markup.startswith(OPEN_TAG) and markup.endswith("</script>")
    return json.loads(markup[len(OPEN_TAG) : -len("</script>")])


def node(graph, type_name):
    [found] = [item for item in graph["@graph"] if item["@type"] == type_name]
    return found


@pytest.fixture
def published(editor):
    """A public article with two FAQs, reviewed by a named clinician."""
    article = ArticleFactory(
        title="Can cold weather trigger asthma?",
        slug="cold-weather-asthma",
        short_answer="Yes, cold dry air can tighten the airways.",
        topic=TopicFactory(name="Asthma", slug="asthma"),
        author=PersonFactory(name="Lena Ortiz", credentials="MPH"),
    )
    FAQFactory(article=article, position=1, question="Should I wear a scarf?")
    FAQFactory(
        article=article,
        position=2,
        question="Does exercise in the cold help?",
        answer="Warm up **first**.",
    )
    reviewer = make_named_reviewer("Ravi Shah", "MBBS, MRCP")
    return make_published(article, editor=editor, reviewer=reviewer)


def test_the_medical_web_page_describes_the_live_version_and_who_reviewed_it(
    published,
):
    version = published.live_version
    data = json_ld_of(head_context(version)["json_ld"])
    page = node(data, "MedicalWebPage")

    assert data["@context"] == "https://schema.org"
    assert page["name"] == "Can cold weather trigger asthma?"
    assert page["description"] == "Yes, cold dry air can tighten the airways."
    assert page["url"] == "http://testserver/questions/cold-weather-asthma/"
    published_at = datetime.datetime.fromisoformat(page["datePublished"])
    assert published_at == version.first_published_at
    modified_at = datetime.datetime.fromisoformat(page["dateModified"])
    assert modified_at == version.content_updated_at
    assert page["lastReviewed"] == version.last_reviewed_on.isoformat()
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": version.reviewer_name,
        "honorificSuffix": version.reviewer_credentials,
        "url": f"http://testserver/people/{version.reviewer.slug}/",
    }
    assert (version.reviewer_name, version.reviewer_credentials) == (
        "Ravi Shah",
        "MBBS, MRCP",
    )
    assert page["author"] == {
        "@type": "Person",
        "name": "Lena Ortiz",
        "honorificSuffix": "MPH",
        "url": f"http://testserver/people/{version.author.slug}/",
    }
    assert page["about"] == {"@type": "Thing", "name": "Asthma"}
    assert page["inLanguage"] == "en-GB"
    assert page["isPartOf"]["url"] == "http://testserver/"
    assert page["publisher"]["@type"] == "Organization"


def test_the_faq_page_lists_the_questions_and_answers_in_order(published):
    version = published.live_version
    data = json_ld_of(head_context(version)["json_ld"])
    questions = node(data, "FAQPage")["mainEntity"]

    assert [q["name"] for q in questions] == [
        "Should I wear a scarf?",
        "Does exercise in the cold help?",
    ]
    assert [q["acceptedAnswer"]["text"] for q in questions] == [
        faq["answer_html"] for faq in version.faqs
    ]
    assert "<strong>first</strong>" in questions[1]["acceptedAnswer"]["text"]


def test_the_breadcrumb_trail_goes_home_then_topic_then_article(published):
    data = json_ld_of(head_context(published.live_version)["json_ld"])
    crumbs = node(data, "BreadcrumbList")["itemListElement"]

    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "Asthma", "http://testserver/topics/asthma/"),
        (
            3,
            "Can cold weather trigger asthma?",
            "http://testserver/questions/cold-weather-asthma/",
        ),
    ]


def test_an_article_without_faqs_has_no_faq_page(editor):
    article = make_published(editor=editor)
    data = json_ld_of(head_context(article.live_version)["json_ld"])

    assert {item["@type"] for item in data["@graph"]} == {
        "MedicalWebPage",
        "BreadcrumbList",
    }


def test_a_closing_script_tag_in_the_content_cannot_end_the_script_element(editor):
    article = ArticleFactory(
        title=f"Is {ATTACK} safe?", short_answer=f"Maybe {ATTACK} & <!-- not."
    )
    FAQFactory(article=article, position=1, question=f"What about {ATTACK}?")
    version = make_published(article, editor=editor).live_version
    markup = head_context(version)["json_ld"]

    assert markup.count("</script>") == 1
    assert markup.count("<script") == 1
    assert "<!--" not in markup
    data = json_ld_of(markup)
    page = node(data, "MedicalWebPage")
    assert page["name"] == f"Is {ATTACK} safe?"
    assert page["description"] == f"Maybe {ATTACK} & <!-- not."
    assert node(data, "FAQPage")["mainEntity"][0]["name"] == f"What about {ATTACK}?"


def test_the_head_partial_prints_canonical_and_open_graph_tags_once(
    published, settings
):
    settings.SITE_NAME = "Example Health"
    version = published.live_version
    request = RequestFactory().get(version.get_absolute_url())
    html = render_to_string(
        "articles/_head_meta.html",
        {"version": version, **article_head_context(version, "http://testserver")},
        request=request,
    )
    url = "http://testserver/questions/cold-weather-asthma/"

    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:title" content="Can cold weather trigger asthma?">' in html
    )
    assert '<meta property="og:site_name" content="Example Health">' in html
    assert 'property="article:published_time"' in html
    assert 'property="article:modified_time"' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'name="description"' not in html
    assert html.count(OPEN_TAG) == 1
