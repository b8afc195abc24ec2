import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.demo import content as demo_content
from articles.models import (
    FAQ,
    Article,
    DraftRevision,
    ImageRendition,
    KeyTakeaway,
    LibraryImage,
    Person,
    Reference,
    Topic,
)
from articles.text.citations import citations_in, citations_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [
            Topic,
            Person,
            Article,
            FAQ,
            KeyTakeaway,
            Reference,
            LibraryImage,
            ImageRendition,
            get_user_model(),
        ]
    }


def test_load_demo_publishes_at_least_eight_articles_in_three_topics(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    public = Article.objects.public()
    assert public.count() == len(demo_content.ARTICLES) >= 8
    assert Topic.objects.filter(articles__in=public).distinct().count() >= 3


def test_every_demo_article_has_the_structure_of_a_full_answer(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for article in Article.objects.all():
        html = article.body_html
        assert article.title.endswith("?"), article.title
        assert "<h2" in html and "<ol>" in html and "<ul>" in html, article.slug
        assert "<table>" in html, article.slug
        assert 3 <= article.key_takeaways.count() <= 6, article.slug
        assert 3 <= article.faqs.count() <= 6, article.slug
        assert 2 <= article.references.count() <= 4, article.slug
        assert article.medical_reviewer is not None


def test_the_demo_library_holds_a_diagram_we_drew_with_its_alt_text(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    figure = LibraryImage.objects.get()
    assert figure.alt_text.startswith("Four bands of blood pressure readings")
    assert (figure.licence, figure.format) == ("Our own", "PNG")
    assert figure.current_renditions().filter(format="WEBP").exists()


def test_load_demo_twice_creates_nothing_new(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before


def test_load_demo_does_not_overwrite_an_editors_changes(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    article = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    article.short_answer = "Edited by an editor."
    article.save()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    article.refresh_from_db()
    assert article.short_answer == "Edited by an editor."


def test_load_demo_creates_accounts_with_their_roles_and_prints_logins(
    debug_on, capsys
):
    call_command("load_demo")
    output = capsys.readouterr().out
    User = get_user_model()
    editor = User.objects.get(username="editor")
    reviewer = User.objects.get(username="reviewer")
    assert editor.has_perm("articles.publish_article") is True
    assert reviewer.has_perm("articles.review_article") is True
    assert reviewer.has_perm("articles.publish_article") is False
    assert User.objects.get(username="admin").is_superuser is True
    assert editor.check_password("demo-editor-pass") is True
    assert "editor    password demo-editor-pass" in output
    assert "reviewer  password demo-reviewer-pass" in output
    assert "reviewer2 password demo-reviewer2-pass" in output


def test_load_demo_refuses_public_password_accounts_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create demo accounts"):
        call_command("load_demo")
    assert counts() == {name: 0 for name in counts()}


def test_load_demo_without_users_leaves_drafts_for_real_reviewers(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="No superuser exists"):
        call_command("load_demo", "--no-users")
    assert Article.objects.count() == 0

    boss = get_user_model().objects.create_superuser(
        "boss", "boss@example.org", "x-long-pass-1"
    )
    call_command("load_demo", "--no-users", stdout=open("/dev/null", "w"))
    assert Article.objects.count() == len(demo_content.ARTICLES)
    assert Article.objects.public().count() == 0
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert {r.saved_by for r in DraftRevision.objects.all()} == {boss}
    assert get_user_model().objects.count() == 1


def test_demo_articles_are_published_through_the_review_workflow(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    article = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    actions = list(
        article.events.order_by("at", "id").values_list("action", "user__username")
    )
    reviewer_slug = demo_content.ARTICLES[0]["medical_reviewer"]
    reviewer = Person.objects.get(slug=reviewer_slug).user.username
    assert actions == [
        ("submit", "editor"),
        ("approve", reviewer),
        ("publish", "editor"),
    ]
    assert article.live_version.reviewer.slug == reviewer_slug


def test_demo_content_does_not_copy_the_seed_articles(seed_text):
    seeds = [seed_text("000"), seed_text("001")]
    seed_sentences = {
        sentence.strip()
        for seed in seeds
        for sentence in seed.replace("\n", " ").split(". ")
        if len(sentence.strip()) > 40
    }
    demo_text = " ".join(
        " ".join([a["title"], a["short_answer"], a["body"]])
        for a in demo_content.ARTICLES
    )
    copied = [sentence for sentence in seed_sentences if sentence in demo_text]
    assert copied == []


# The identifiers the demo may cite, each checked against its source by a
# person (DOI -> PMID; "" where the source has none). A new one is added here
# only after the same check: a wrong source on a health page is a harm.
CHECKED_IDENTIFIERS = {
    "10.1161/HYP.0000000000000065": "29133356",
    "10.1093/eurheartj/ehy339": "30165516",
    "10.1161/HYP.0000000000000087": "30827125",
    "10.5664/jcsm.5866": "27250809",
    "10.1016/j.sleh.2014.12.010": "29073412",
    "10.1111/jsr.12594": "28875581",
    "10.7326/M15-2175": "27136449",
    "10.1542/peds.2010-3852": "21357332",
    "10.1542/peds.2016-2591": "27940793",
    "10.1503/cmaj.121442": "24468694",
    "10.1002/14651858.CD000023.pub5": "",
}
# A callout block ("/// urgent | ..." up to "///") that sends readers to care.
URGENT_CALLOUT = re.compile(
    r"^/// *(?:urgent|emergency)\b.*?^/// *$", re.MULTILINE | re.DOTALL
)


@pytest.fixture
def live_versions(debug_on):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    versions = [article.live_version for article in Article.objects.public()]
    assert len(versions) == len(demo_content.ARTICLES)
    return versions


def test_every_live_demo_article_rests_on_a_source_with_a_doi_or_pmid(
    live_versions,
):
    for version in live_versions:
        identified = [r for r in version.references if r.get("doi") or r.get("pmid")]
        assert identified, version.slug
        for reference in version.references:
            assert reference["title"] and reference["citation"] == "", reference
            assert reference.get("url") or reference.get("doi") or reference.get("pmid")


def test_demo_cites_only_the_checked_identifiers(live_versions):
    cited = {
        reference.get("doi", ""): reference.get("pmid", "")
        for version in live_versions
        for reference in version.references
        if reference.get("doi") or reference.get("pmid")
    }
    assert "" not in cited, "a PMID without its checked DOI"
    assert cited == CHECKED_IDENTIFIERS


def test_every_demo_reference_is_cited_and_no_citation_is_refused(live_versions):
    for version in live_versions:
        report = citations_of(version.content())
        assert report.refusals == [], version.slug
        assert report.advice == [], version.slug
        assert citations_in(version.body), version.slug


def test_demo_emergency_advice_carries_no_citations():
    for article in demo_content.ARTICLES:
        for callout in URGENT_CALLOUT.findall(article["body"]):
            assert citations_in(callout) == [], article["slug"]
    assert URGENT_CALLOUT.findall(demo_content.ARTICLES[0]["body"])


def test_demo_article_page_links_its_citations_and_sources(client, live_versions):
    for version in live_versions:
        html = client.get(version.article.get_absolute_url()).content.decode()
        for number, reference in enumerate(version.references, start=1):
            item = re.search(rf'<li id="ref-{number}">(.*?)</li>', html, re.DOTALL)
            assert item, (version.slug, number)
            assert reference["title"] in item[1].replace("&#x27;", "'")
            if reference.get("doi"):
                assert f'href="https://doi.org/{reference["doi"]}"' in item[1]
            if reference.get("pmid"):
                pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{reference['pmid']}/"
                assert f'href="{pubmed}"' in item[1]
            assert f'href="#ref-{number}"' in html, (version.slug, number)
            assert re.search(r'class="backlink" href="#(faq-\d+-)?cite-', item[1])

    first = Article.objects.get(slug=demo_content.ARTICLES[0]["slug"])
    html = client.get(first.get_absolute_url()).content.decode()
    # The body's first citation of [1], and the first FAQ's, link there and back.
    for cite in ("cite-1-1", "faq-1-cite-1-1"):
        assert f'<a href="#ref-1" id="{cite}" title="Reference 1"' in html
        assert f'class="backlink" href="#{cite}"' in html
    assert "Whelton PK, Carey RM, Aronow WS, et al. 2017 ACC/AHA" in html
    assert "(accessed 2 November 2026)" in html
