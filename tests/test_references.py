"""Structured references and inline citations: identifiers, the citation
check, what the page, the JSON-LD, the feed and the reviewer's diff show, and
the admin form an editor saves them with."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Reference
from articles.publishing.structured_data import article_graph
from articles.review import workflow
from articles.review.diff import _reference_line
from articles.review.workflow import TransitionNotAllowed
from articles.text.citations import (
    backlinks,
    citation_problems,
    citations_in,
    citations_of,
)
from articles.text.identifiers import (
    doi_url,
    find_doi,
    find_pmid,
    parse_doi,
    parse_pmid,
)
from articles.text.rendering import render_markdown
from tests.factories import ArticleFactory, FAQFactory, make_published
from tests.forms import form_data

FORM_ID = "article_form"
ESCAPE = (
    " Add the reference, correct the number, or write \\[ for a bracket that "
    "is not a citation."
)

# Identifiers --------------------------------------------------------------

DOIS = {
    "10.1161/HYP.0000000000000065": "10.1161/HYP.0000000000000065",
    "doi:10.1093/eurheartj/ehy339": "10.1093/eurheartj/ehy339",
    "DOI: 10.5664/jcsm.5866": "10.5664/jcsm.5866",
    "https://doi.org/10.1016/S0140-6736(20)30183-5": "10.1016/S0140-6736(20)30183-5",
    "http://dx.doi.org/10.1002/14651858.CD000023.pub5": "10.1002/14651858.CD000023.pub5",
    "https://doi.org/10.1002/%28SICI%291097-4636": "10.1002/(SICI)1097-4636",
    " 10.1136/bmj.m1234. ": "10.1136/bmj.m1234",
    "10.1000.10/abc": "10.1000.10/abc",
    "": "",
}
NOT_DOIS = [
    "10.12/abc",  # registrant code too short
    "11.1136/bmj.m1234",
    "10.1136",
    "10.1136/",
    "10.1136/bmj m1234",
    "https://example.org/10.1136/bmj.m1234",
    "bmj.m1234",
    "10.1136/" + "x" * 200,
]


@pytest.mark.parametrize("typed, stored", DOIS.items())
def test_dois_are_accepted_as_editors_paste_them_and_stored_bare(typed, stored):
    assert parse_doi(typed) == stored


@pytest.mark.parametrize("typed", NOT_DOIS)
def test_what_is_not_a_doi_is_refused_with_an_example(typed):
    with pytest.raises(ValueError, match=r"DOI"):
        parse_doi(typed)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("29133356", "29133356"),
        ("PMID: 30165516", "30165516"),
        ("pmid 27250809", "27250809"),
        ("https://pubmed.ncbi.nlm.nih.gov/28875581/", "28875581"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/21357332", "21357332"),
        ("", ""),
    ],
)
def test_pmids_are_accepted_as_editors_paste_them(typed, stored):
    assert parse_pmid(typed) == stored


@pytest.mark.parametrize("typed", ["0123", "123456789", "PMC6385542", "12 34", "-5"])
def test_what_is_not_a_pmid_is_refused(typed):
    with pytest.raises(ValueError, match="PubMed id"):
        parse_pmid(typed)


def test_identifiers_are_found_inside_a_line_of_citation_text():
    line = "Allan GM. The common cold. CMAJ. 2014. doi:10.1503/cmaj.121442. PMID: 24468694."
    assert (find_doi(line), find_pmid(line)) == ("10.1503/cmaj.121442", "24468694")
    assert find_doi("See https://doi.org/10.7326/M15-2175)") == "10.7326/M15-2175"
    assert (find_doi("No identifier, 2019."), find_pmid("page 12345")) == ("", "")


# The model ------------------------------------------------------------------


def reference(**fields) -> Reference:
    return Reference(article=ArticleFactory(), position=1, **fields)


@pytest.mark.django_db
def test_a_reference_is_cleaned_to_canonical_identifiers():
    ref = reference(
        title="Fever and antipyretic use in children",
        doi="https://doi.org/10.1542/peds.2010-3852",
        pmid="PMID: 21357332",
    )
    ref.full_clean()
    assert (ref.doi, ref.pmid) == ("10.1542/peds.2010-3852", "21357332")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"title": "A source"}, "url", "URL, a DOI or a PMID"),
        ({"title": "A", "doi": "11.1/x"}, "doi", "not a DOI"),
        ({"title": "A", "pmid": "abc"}, "pmid", "PubMed id"),
        ({"url": "https://nhs.uk/"}, "title", "title"),
        (
            {"citation": "NHS. Fever.", "title": "Fever", "url": "https://nhs.uk/"},
            "citation",
            "not both",
        ),
        ({"title": "A", "url": "https://nhs.uk/", "year": 1700}, "year", "1800"),
        (
            {
                "title": "A",
                "url": "https://nhs.uk/",
                "accessed_on": datetime.date.today() + datetime.timedelta(days=2),
            },
            "accessed_on",
            "future",
        ),
    ],
)
def test_a_reference_that_cannot_be_found_or_read_is_refused(fields, field, message):
    with pytest.raises(ValidationError) as refused:
        reference(**fields).full_clean()
    assert message in " ".join(refused.value.message_dict[field])


@pytest.mark.django_db
def test_the_version_keeps_every_part_and_the_approval_covers_them(editor, reviewer):
    article = make_published(editor=editor, reviewer=reviewer)
    Reference.objects.create(
        article=article,
        position=1,
        kind="study",
        authors="Allan GM, Arroll B.",
        title="Prevention and treatment of the common cold",
        publisher="CMAJ",
        year=2014,
        doi="10.1503/cmaj.121442",
        pmid="24468694",
        accessed_on=datetime.date(2026, 11, 2),
    )
    stored = article.content()["references"]
    assert stored == [
        {
            "citation": "",
            "url": "",
            "kind": "study",
            "authors": "Allan GM, Arroll B.",
            "title": "Prevention and treatment of the common cold",
            "publisher": "CMAJ",
            "year": 2014,
            "doi": "10.1503/cmaj.121442",
            "pmid": "24468694",
            "accessed_on": "2026-11-02",
        }
    ]
    before = article.approval_hash()
    Reference.objects.filter(article=article).update(pmid="24468695")
    assert article.approval_hash() != before


# Citations ------------------------------------------------------------------


def test_citations_render_as_links_to_the_list_with_ids_to_come_back_to():
    html = render_markdown("Fever is common [1]. Most settle [1, 2]; see [3-5].")
    links = re.findall(r'<a href="#ref-(\d+)" id="([^"]+)"', html)
    assert links == [
        ("1", "cite-1-1"),
        ("1", "cite-1-2"),
        ("2", "cite-2-1"),
        ("3", "cite-3-1"),
        ("5", "cite-5-1"),
    ]
    assert "<sup>[" in html and "]</sup>" in html
    assert citations_in("see [3-5]") == [3, 4, 5]
    assert citations_in("as NICE advises [2]: check often") == [2]
    assert citations_in("side by side [1][2] or [3]") == [1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        "`[1]` in code",
        "    [1] in a code block",
        "[a link][1]\n\n[1]: https://www.nhs.uk/",
        "[1](https://www.nhs.uk/) is a link",
        "\\[1] escaped",
        "[one] is a word",
    ],
)
def test_what_is_not_a_citation_stays_as_written(text):
    assert citations_in(text) == []
    assert "#ref-" not in render_markdown(text)


def test_an_id_typed_in_raw_html_never_reaches_the_page():
    html = render_markdown('<a id="cite-1-1" href="#x">x</a> <a id="main">y</a> [1]')
    assert re.findall(r'id="([^"]+)"', html) == ["cite-1-1"]
    assert html.count('id="cite-1-1"') == 1


def test_a_missing_reference_is_refused_and_an_uncited_one_is_advice():
    report = citation_problems(
        [("The body", "See [1] and [4]."), ("FAQ 2 answer", "As [5] says.")], 3
    )
    assert report.refusals == [
        "The body cites [4], but there are only 3 references." + ESCAPE,
        "FAQ 2 answer cites [5], but there are only 3 references." + ESCAPE,
    ]
    assert report.advice == [
        "References 2, 3 are not cited in the body or an FAQ answer: cite each as [2] "
        "where the text relies on it, or remove it."
    ]
    assert citation_problems([("The body", "No citations.")], 0).advice == []


@pytest.mark.django_db
def test_approving_or_publishing_text_that_cites_a_missing_reference_is_refused(
    editor, reviewer
):
    article = ArticleFactory(body="Fever is common [2].")
    Reference.objects.create(
        article=article, position=1, title="A", url="https://nhs.uk/"
    )
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    with pytest.raises(TransitionNotAllowed, match=r"cites \[2\]"):
        workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    assert article.status == article.Status.IN_REVIEW


# What visitors and reviewers see ----------------------------------------------

STUDY = {
    "kind": "review",
    "authors": "Sullivan JE, Farrar HC.",
    "title": "Fever and antipyretic use in children",
    "publisher": "Pediatrics",
    "year": 2011,
    "doi": "10.1542/peds.2010-3852",
    "pmid": "21357332",
}
WEB = {
    "kind": "web",
    "authors": "NHS",
    "title": "High temperature (fever) in children",
    "url": "https://www.nhs.uk/conditions/fever-in-children/",
    "accessed_on": datetime.date(2026, 11, 2),
}


@pytest.fixture
def cited(editor, reviewer):
    article = ArticleFactory(body="## Fever\n\nMost fevers settle [1]. Check [2].\n")
    FAQFactory(
        article=article, position=1, question="Is it serious?", answer="Rarely [1]."
    )
    for position, fields in enumerate([STUDY, WEB], 1):
        Reference.objects.create(article=article, position=position, **fields)
    return make_published(article, editor=editor, reviewer=reviewer)


@pytest.mark.django_db
def test_the_page_lists_references_with_canonical_links_and_links_back(client, cited):
    page = client.get(cited.get_absolute_url()).content.decode()
    first = re.search(r'<li id="ref-1">(.*?)</li>', page, re.S)[1]
    assert (
        "Sullivan JE, Farrar HC. Fever and antipyretic use in children. Pediatrics; 2011."
        in first
    )
    assert 'href="https://doi.org/10.1542/peds.2010-3852"' in first
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21357332/"' in first
    # Back to both places that cite it: the body and the first FAQ's answer.
    assert re.findall(r'class="backlink" href="#([^"]+)"', first) == [
        "cite-1-1",
        "faq-1-cite-1-1",
    ]
    second = re.search(r'<li id="ref-2">(.*?)</li>', page, re.S)[1]
    assert "(accessed 2 November 2026)" in second
    for anchor in ("cite-1-1", "faq-1-cite-1-1", "cite-2-1"):
        assert page.count(f'id="{anchor}"') == 1


@pytest.mark.django_db
def test_the_json_ld_cites_each_reference(cited):
    graph = article_graph(cited.live_version, "https://example.org")
    citations = graph[0]["citation"]
    assert citations[0] == {
        "@type": "ScholarlyArticle",
        "name": "Fever and antipyretic use in children",
        "author": "Sullivan JE, Farrar HC.",
        "isPartOf": {"@type": "Periodical", "name": "Pediatrics"},
        "datePublished": "2011",
        "url": "https://doi.org/10.1542/peds.2010-3852",
        "sameAs": ["https://pubmed.ncbi.nlm.nih.gov/21357332/"],
        "identifier": [
            {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": "10.1542/peds.2010-3852",
            },
            {"@type": "PropertyValue", "propertyID": "PMID", "value": "21357332"},
        ],
    }
    assert citations[1]["@type"] == "WebPage"
    assert citations[1]["url"] == WEB["url"]


@pytest.mark.django_db
def test_the_feed_names_the_sources(client, cited):
    feed = client.get(reverse("feed")).content.decode()
    assert "Sources: [1] Sullivan JE, Farrar HC. Fever and antipyretic use" in feed
    assert "doi:10.1542/peds.2010-3852" in feed


def test_the_reviewer_sees_every_part_of_a_reference_in_the_diff():
    line = _reference_line({**STUDY, "citation": "", "url": ""})
    assert line == (
        "[review] Sullivan JE, Farrar HC. Fever and antipyretic use in children. "
        "Pediatrics; 2011. — doi:10.1542/peds.2010-3852 — PMID: 21357332"
    )


# The admin form ---------------------------------------------------------------


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.django_db
def test_an_editor_saves_a_structured_reference_and_is_advised_of_uncited_ones(
    client, editor, draft
):
    client.force_login(editor)
    data = form_data(
        client,
        change_url(draft),
        FORM_ID,
        body="Most fevers settle [1].\r\n",
        **{
            "references-0-kind": "study",
            "references-0-title": "Fever and antipyretic use in children",
            "references-0-doi": "doi:10.1542/peds.2010-3852",
            "references-1-title": "High temperature",
            "references-1-url": "www.nhs.uk/conditions/fever-in-children/",
            "references-1-position": "2",
            "references-TOTAL_FORMS": "2",
        },
    )
    response = client.post(change_url(draft), data, follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    refs = list(draft.references.order_by("position"))
    assert [(r.doi, r.url) for r in refs] == [
        ("10.1542/peds.2010-3852", ""),
        ("", "https://www.nhs.uk/conditions/fever-in-children/"),
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert any("Reference 2 is not cited" in m for m in messages)


@pytest.mark.django_db
def test_saving_a_citation_of_a_missing_reference_is_refused_and_changes_nothing(
    client, editor, draft
):
    client.force_login(editor)
    before = (draft.body, draft.revisions.count())
    data = form_data(
        client, change_url(draft), FORM_ID, body="Most fevers settle [1].\r\n"
    )
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert (
        "The body cites [1], but there are no references." in response.content.decode()
    )
    draft.refresh_from_db()
    assert (draft.body, draft.revisions.count()) == before


@pytest.mark.django_db
def test_a_citation_in_an_faq_answer_counts_against_the_references_being_saved(
    client, editor, draft
):
    client.force_login(editor)
    data = form_data(
        client,
        change_url(draft),
        FORM_ID,
        **{
            "faqs-0-question": "Is it serious?",
            "faqs-0-answer": "Rarely [2].",
            "references-0-title": "High temperature",
            "references-0-url": "https://www.nhs.uk/",
        },
    )
    response = client.post(change_url(draft), data)
    assert "FAQ 1 answer cites [2], but there is only 1 reference." in (
        response.content.decode()
    )
    assert not draft.references.exists()


@pytest.mark.django_db
def test_the_review_page_reports_citations(client, reviewer, editor):
    article = ArticleFactory(body="Fever [1].")
    Reference.objects.create(
        article=article, position=1, title="A", url="https://nhs.uk/"
    )
    Reference.objects.create(
        article=article, position=2, title="B", url="https://nhs.uk/b"
    )
    workflow.record_edit(article, user=editor)
    client.force_login(reviewer)
    page = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    assert "Reference 2 is not cited" in page.content.decode()


def test_citations_of_reads_the_content_shape():
    content = {
        "body": "[1]",
        "faqs": [{"question": "Q?", "answer": "[3]"}],
        "references": [{"citation": "A", "url": "https://a.org"}],
    }
    assert citations_of(content).refusals == [
        "FAQ 1 answer cites [3], but there is only 1 reference." + ESCAPE
    ]
    # Plain data, no database (this test has none): reference 1 is cited.
    assert citations_of(content).advice == []


def test_a_citation_inside_raw_html_stays_text_and_lends_no_link_its_id():
    html = render_markdown(
        'Read <a href="https://example.org/" title="[1]">this</a>, '
        '<abbr title="see [2]">NICE</abbr> and [1].'
    )
    assert 'title="[1]"' in html and 'title="see [2]"' in html
    assert re.findall(r'<a [^>]*id="([^"]+)"', html) == ["cite-1-1"]
    assert backlinks([html]) == {1: ["cite-1-1"]}


def test_only_the_renderers_citation_links_become_backlinks():
    html = render_markdown('Write id="cite-2-7" as text.\n\n<h2 id="cite-1-1">x</h2>')
    assert backlinks([html]) == {}


@pytest.mark.parametrize(
    "taken", ["ref-1", "cite-1-1", "faq-2", "main", "references-heading"]
)
def test_raw_html_cannot_give_a_heading_one_of_the_pages_ids(taken):
    html = render_markdown(f'<h3 id="{taken}">A heading</h3>\n\nText [1].')
    assert f'id="{taken}"' not in html.replace('id="cite-1-1"', "")


def test_a_doi_with_characters_that_end_a_path_links_to_the_whole_doi():
    doi = parse_doi(
        "https://doi.org/10.1002/%28SICI%291097-4636%28199706%2935:4%3C483::AID-JBM7%3E3.0.CO%3B2-%23"
    )
    assert doi == "10.1002/(SICI)1097-4636(199706)35:4<483::AID-JBM7>3.0.CO;2-#"
    assert doi_url(doi) == (
        "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4%3C483::AID-JBM7%3E3.0.CO;2-%23"
    )


@pytest.mark.django_db
def test_an_old_reference_without_a_link_does_not_block_a_correction_until_edited(
    client, editor, draft
):
    Reference.objects.create(article=draft, position=1, citation="NHS. Fever. 2019.")
    client.force_login(editor)
    data = form_data(
        client, change_url(draft), FORM_ID, short_answer="A corrected short answer."
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.short_answer == "A corrected short answer."

    data = form_data(
        client,
        change_url(draft),
        FORM_ID,
        **{"references-0-citation": "NHS. Fever. 2020."},
    )
    response = client.post(change_url(draft), data)
    assert "Give a URL, a DOI or a PMID" in response.content.decode()
    assert draft.references.get().citation == "NHS. Fever. 2019."


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["delete", "swap"])
def test_removing_or_moving_a_cited_reference_without_renumbering_is_refused(
    client, editor, change
):
    article = ArticleFactory(body="Paracetamol helps [1]. Ibuprofen is risky [2].")
    for position, title in enumerate(
        ["Paracetamol trial", "Ibuprofen cohort", "Unrelated page"], 1
    ):
        Reference.objects.create(
            article=article,
            position=position,
            title=title,
            url=f"https://example.org/{position}",
        )
    workflow.record_edit(article, user=editor)
    client.force_login(editor)
    if change == "delete":
        overrides = {"references-1-DELETE": "on"}
    else:
        overrides = {"references-1-position": "3", "references-2-position": "2"}
    data = form_data(client, change_url(article), FORM_ID, **overrides)
    response = client.post(change_url(article), data)
    assert (
        "[2] in the text would now cite “Unrelated page” instead of “Ibuprofen cohort”"
        in (response.content.decode())
    )
    assert [r.title for r in article.references.order_by("position")] == [
        "Paracetamol trial",
        "Ibuprofen cohort",
        "Unrelated page",
    ]
    # Renumbering the text in the same save is what the editor meant.
    data["body"] = (
        ["Paracetamol helps [1]. Ibuprofen is risky [3]."]
        if change == "swap"
        else ["Paracetamol helps [1]."]
    )
    assert client.post(change_url(article), data).status_code == 302


def test_a_bracket_in_a_care_card_heading_is_not_a_citation():
    text = "/// info | Pain scale [5]\nRate it.\n///\n\nText [1]."
    assert citations_in(text) == [1]


@pytest.mark.django_db
def test_a_site_page_has_no_citations():
    from articles.models import SitePage

    page = SitePage.objects.create(title="About", slug="about-x", body="See [1].")
    assert "#ref-" not in page.body_html and "[1]" in page.body_html
