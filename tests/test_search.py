"""Search finds only live, approved text, ranks it, highlights it safely, and
answers odd input with a helpful message. Runs on SQLite and PostgreSQL."""

import re

import pytest
from django.utils.html import escape

from articles.models import Article, ArticleVersion
from articles.publishing.search_index import index_version
from articles.review import workflow
from articles.web import search
from articles.web.search import search_page
from tests.factories import ArticleFactory, FAQFactory, make_reviewer, update_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(editor, reviewer):
    """Publish through the real workflow, then index the new version (until
    workflow does it itself; a second call is harmless)."""

    def publish(article=None, **fields):
        article = article or ArticleFactory(**fields)
        workflow.record_edit(article, user=editor)
        workflow.submit_for_review(
            article, user=editor, change_summary=update_summary(article)
        )
        workflow.approve_medical_review(article, user=reviewer)
        workflow.publish(article, user=editor)
        article.refresh_from_db()
        index_version(article.live_version)
        return article

    return publish


def found(query, page="1"):
    results = search_page(query, page)
    return [] if results.page_obj is None else list(results.page_obj)


def found_titles(query, page="1"):
    return [result.title for result in found(query, page)]


# Finding and ranking --------------------------------------------------------------


def test_finds_an_article_by_a_word_only_in_one_of_its_faq_answers(publish):
    article = ArticleFactory(title="Do cheekbones change with age?")
    FAQFactory(article=article, question="Can they be broken?", answer="Rarely.")
    FAQFactory(
        article=article,
        question="What is the bone called?",
        answer="It is the **zygomatic** bone.",
    )
    publish(article)
    publish(title="Is an unrelated question answered?")

    assert found_titles("zygomatic") == ["Do cheekbones change with age?"]


def test_finds_an_article_by_its_title_short_answer_or_faq_question(publish):
    publish(title="Is a zygomatic fracture serious?")
    publish(title="Can cheeks swell?", short_answer="Yes, the zygomatic area can.")
    faq_article = ArticleFactory(title="Why do faces ache?")
    FAQFactory(article=faq_article, question="Is the zygomatic arch involved?")
    publish(faq_article)

    assert sorted(found_titles("zygomatic")) == [
        "Can cheeks swell?",
        "Is a zygomatic fracture serious?",
        "Why do faces ache?",
    ]


def test_finds_an_article_whose_title_and_short_answer_mention_a_style_tag(publish):
    """PostgreSQL's parser skips the words after "<style"; the index must not."""
    publish(
        title="Why does <style> in a page hide the zygomatic answer?",
        short_answer="<script> aside, the maxillary sinus is nearby.",
    )
    assert found_titles("zygomatic") == [
        "Why does <style> in a page hide the zygomatic answer?"
    ]
    assert len(found_titles("maxillary")) == 1


def test_ranks_a_title_match_above_a_body_only_match_for_the_same_word(publish):
    publish(
        title="Are cheekbones fragile?",  # sorts first by title
        body="## Anatomy\n\nThe zygomatic bone, zygomatic arch and zygomatic nerve.",
    )
    publish(title="Is zygomatic pain common?", body="## Pain\n\nIt happens.")

    results = found("zygomatic")

    assert [r.title for r in results] == [
        "Is zygomatic pain common?",
        "Are cheekbones fragile?",
    ]
    assert results[0].rank > results[1].rank


def test_ranks_an_faq_question_match_above_a_body_only_match(publish):
    publish(title="Are cheekbones fragile?", body="The zygomatic bone is strong.")
    faq_article = ArticleFactory(title="Why do faces ache?")
    FAQFactory(article=faq_article, question="Is the zygomatic arch involved?")
    publish(faq_article)

    assert found_titles("zygomatic") == [
        "Why do faces ache?",
        "Are cheekbones fragile?",
    ]


def test_ranks_a_short_answer_match_above_a_body_only_match(publish):
    publish(title="Are cheekbones fragile?", body="The zygomatic bone is strong.")
    publish(title="Do faces swell?", short_answer="The zygomatic area can.")

    assert found_titles("zygomatic") == ["Do faces swell?", "Are cheekbones fragile?"]


def test_title_matches_come_first_even_when_body_matches_fill_the_cap(
    publish, monkeypatch
):
    for n in range(4):
        publish(title=f"Are bones {n} fragile?", body="The zygomatic bone is strong.")
    publish(title="Is zygomatic pain common?")  # published last
    monkeypatch.setattr(search, "MAX_MATCHES", 3)

    results = search_page("zygomatic", "1")

    assert results.capped is True
    assert [r.title for r in results.page_obj][0] == "Is zygomatic pain common?"


def test_every_word_must_occur_somewhere_in_the_article(publish):
    publish(title="Is zygomatic pain common?", short_answer="Yes, after a fall.")
    publish(title="Is zygomatic swelling normal?", short_answer="For a few days.")

    assert found_titles("zygomatic fall") == ["Is zygomatic pain common?"]


def test_a_quoted_phrase_finds_the_article_that_has_it(publish):
    publish(title="Is it a fracture?", body="Pain over the zygomatic arch.")
    publish(title="Is an unrelated question answered?")

    assert found_titles('"zygomatic arch"') == ["Is it a fracture?"]
    assert found_titles('"zygomatic arch" pain') == ["Is it a fracture?"]


def test_a_word_after_a_minus_sign_excludes_articles_that_contain_it(publish):
    publish(title="Is it a fracture?", body="A zygomatic fracture needs an X-ray.")
    publish(title="Is it a bruise?", body="A zygomatic bruise fades.")

    assert sorted(found_titles("zygomatic")) == ["Is it a bruise?", "Is it a fracture?"]
    assert found_titles("zygomatic -fracture") == ["Is it a bruise?"]


def test_a_minus_word_in_the_body_excludes_an_article_whose_title_matches(publish):
    publish(title="Is zygomatic pain common?", body="A fracture needs an X-ray.")
    publish(title="Is zygomatic swelling normal?", body="It fades in days.")

    assert found_titles("zygomatic -fracture") == ["Is zygomatic swelling normal?"]


def test_finds_words_with_accents(publish):
    publish(title="Is decaf coffee safe?", body="A café crème has less caffeine.")

    assert found_titles("café") == ["Is decaf coffee safe?"]


def test_result_items_carry_the_version_its_topic_address_and_rank(publish):
    article = publish(title="Is zygomatic pain common?", slug="zygomatic-pain")

    (result,) = found("zygomatic")

    assert result.version == article.live_version
    assert result.version.topic == article.topic
    assert result.url == "/questions/zygomatic-pain/"
    assert result.rank > 0


# Only the live, approved text ----------------------------------------------------


def test_never_finds_drafts(editor):
    draft = ArticleFactory(title="Is zygomatic draft text public?")
    workflow.record_edit(draft, user=editor)
    workflow.submit_for_review(draft, user=editor)

    assert found_titles("zygomatic") == []


def test_never_finds_approved_but_unpublished_articles(editor, reviewer):
    article = ArticleFactory(body="Approved zygomatic text, not yet published.")
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor)
    workflow.approve_medical_review(article, user=reviewer)

    assert found_titles("zygomatic") == []


def test_never_finds_an_approved_edit_of_a_live_article_before_it_is_published(
    publish, editor, reviewer
):
    article = publish(title="Is it a fracture?", body="Old words only.")
    article.body = "New zygomatic words, approved but not published."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(article, user=editor, change_summary="New words.")
    workflow.approve_medical_review(article, user=reviewer)

    assert found_titles("zygomatic") == []
    assert found_titles("old words") == ["Is it a fracture?"]


def test_never_finds_withdrawn_articles(publish, editor):
    article = publish(title="Is zygomatic pain common?")
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")

    assert found_titles("zygomatic") == []


def test_finds_only_the_new_text_of_an_article_whose_new_version_replaced_it(
    publish,
):
    article = publish(title="Is it a fracture?", body="The zygomatic bone is hurt.")
    article.body = "The maxillary bone is hurt."
    article.save()
    publish(article)

    assert found_titles("zygomatic") == []
    (result,) = found("maxillary")
    assert result.version.number == 2
    assert ArticleVersion.objects.filter(article=article).count() == 2


def test_a_periodic_review_keeps_the_article_findable_once(publish):
    article = publish(title="Is zygomatic pain common?")
    workflow.reconfirm_review(article, user=make_reviewer(), attested=True)
    article.refresh_from_db()
    index_version(article.live_version)

    (result,) = found("zygomatic")
    assert result.version == article.live_version
    assert result.version.number == 2


def test_indexing_a_version_twice_is_harmless(publish):
    article = publish(title="Is zygomatic pain common?")
    index_version(article.live_version)
    index_version(article.live_version)

    assert found_titles("zygomatic") == ["Is zygomatic pain common?"]


# Snippets ------------------------------------------------------------------------


def test_snippets_highlight_the_matched_words(publish):
    publish(
        title="Is it a fracture?",
        short_answer="Usually not.",
        body="## Signs\n\nSwelling over the **zygomatic** arch, see "
        "[the NHS page](https://www.example.org/zygomatic).\n\n"
        "| Sign | Zygomatic |\n|---|---|\n| Pain | Often |\n",
    )

    (result,) = found("zygomatic")

    assert "<mark>zygomatic</mark>" in result.snippet
    assert "Swelling over the" in result.snippet
    assert "the NHS page" in result.snippet
    assert not re.search(r"[#*|\[\]]|---|https?:", result.snippet)


def test_a_match_outside_the_text_shows_the_start_of_the_short_answer(publish):
    publish(title="Is zygomatic pain common?", short_answer="Yes, after a fall.")

    (result,) = found("zygomatic")

    assert result.snippet.startswith("Yes, after a fall.")


def test_snippets_escape_hostile_content(publish):
    publish(
        title="Is it <b>bold</b>?",
        short_answer="Maybe <img src=x onerror=alert(2)> zygomatic.",
        body="<script>alert(1)</script> zygomatic & <em>friends</em>",
    )

    (result,) = found("zygomatic")

    assert "<script" not in result.snippet
    assert "<img" not in result.snippet
    assert "<mark>zygomatic</mark>" in result.snippet
    assert re.sub(r"</?mark>", "", result.snippet).count("<") == 0


def test_the_results_page_escapes_hostile_content_and_queries(client, publish):
    publish(
        title="Is <script>alert(3)</script> zygomatic?",
        body="<script>alert(1)</script> zygomatic",
    )

    for query in ["zygomatic", "<script>alert(4)</script> zygomatic"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "<script" not in response.content.decode()


def test_a_long_body_gives_a_short_snippet_around_the_match(publish):
    filler = "Plain words about health. " * 60
    publish(title="Is it long?", body=f"{filler}The zygomatic bone. {filler}")

    (result,) = found("zygomatic")

    assert "<mark>zygomatic</mark>" in result.snippet
    assert len(re.sub(r"</?mark>", "", result.snippet)) < 400


# Pagination ------------------------------------------------------------------------


@pytest.fixture
def twelve_matches(publish):
    return [publish(title=f"Is zygomatic question {n:02} answered?") for n in range(12)]


def test_results_come_ten_to_a_page(twelve_matches):
    first, second = search_page("zygomatic", "1"), search_page("zygomatic", "2")

    assert first.total == second.total == 12
    assert len(first.page_obj) == 10
    assert len(second.page_obj) == 2
    assert {r.title for r in [*first.page_obj, *second.page_obj]} == {
        a.title for a in twelve_matches
    }


def test_odd_page_numbers_give_the_first_or_last_page(twelve_matches):
    assert search_page("zygomatic", "abc").page_obj.number == 1
    assert search_page("zygomatic", "").page_obj.number == 1
    assert search_page("zygomatic", "99").page_obj.number == 2
    assert search_page("zygomatic", "-1").page_obj.number == 2
    assert search_page("zygomatic", "9" * 5000).page_obj.number == 1


def test_the_results_page_links_to_other_pages_keeping_the_query(
    client, twelve_matches
):
    response = client.get("/search/", {"q": "zygomatic answered", "page": "2"})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'href="/search/?q=zygomatic+answered&amp;page=1"' in html
    assert re.search(
        r'href="/search/\?q=zygomatic\+answered&amp;page=2" aria-current="page"', html
    )
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert "12 answers for “zygomatic answered”, showing 11 to 12." in html


def test_more_matches_than_the_cap_are_counted_as_more_than_the_cap(
    twelve_matches, monkeypatch
):
    monkeypatch.setattr(search, "MAX_MATCHES", 5)

    results = search_page("zygomatic", "1")

    assert results.capped is True
    assert results.total == 5
    assert len(results.page_obj) == 5
    assert results.page_obj.paginator.num_pages == 1


def test_as_many_matches_as_the_cap_are_counted_exactly(twelve_matches, monkeypatch):
    monkeypatch.setattr(search, "MAX_MATCHES", 12)

    results = search_page("zygomatic", "1")

    assert results.capped is False
    assert results.total == 12


def test_pages_of_a_capped_search_split_the_best_matches_without_overlap(
    twelve_matches, monkeypatch
):
    monkeypatch.setattr(search, "MAX_MATCHES", 5)
    monkeypatch.setattr(search, "RESULTS_PER_PAGE", 2)

    pages = [search_page("zygomatic", str(n)) for n in (1, 2, 3, 4)]
    titles = [[r.title for r in results.page_obj] for results in pages]

    assert [len(t) for t in titles] == [2, 2, 1, 1]
    assert titles[3] == titles[2]  # past the end: the last page
    assert len(set(titles[0] + titles[1] + titles[2])) == 5
    assert titles[0] + titles[1] + titles[2] == sorted(
        titles[0] + titles[1] + titles[2]
    )
    assert not pages[2].next_href


def test_the_results_page_says_more_than_the_cap_for_a_capped_search(
    client, twelve_matches, monkeypatch
):
    monkeypatch.setattr(search, "MAX_MATCHES", 5)
    monkeypatch.setattr(search, "RESULTS_PER_PAGE", 2)

    html = client.get("/search/", {"q": "zygomatic"}).content.decode()

    assert "More than 5 answers for “zygomatic”, showing 1 to 2." in html
    assert 'href="/search/?q=zygomatic&amp;page=3"' in html
    assert "page=4" not in html


# The page and odd input -------------------------------------------------------------


def test_the_search_page_has_a_labelled_form_one_heading_and_noindex(client, publish):
    publish(title="Is zygomatic pain common?", topic__name="Bones and joints")

    response = client.get("/search/", {"q": "zygomatic"})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<label for="search-q">Search health questions</label>' in html
    assert re.search(r'<input[^>]+name="q"[^>]+value="zygomatic"', html)
    assert '<meta name="robots" content="noindex">' in html
    assert "<title>zygomatic – Search |" in html
    assert "Bones and joints" in html
    assert "style=" not in html and "<script" not in html


def test_an_empty_search_invites_a_question(client):
    response = client.get("/search/")

    assert response.status_code == 200
    assert "Type a health question or a few words" in response.content.decode()
    assert response.context["results"].page_obj is None


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 1000,
        "blood pressure " * 70,
        "))((",
        "&&&",
        "'; DROP TABLE articles; --",
        "\x00",
        "zygomatic\x00",
        "🤒🤒",
        "the of and",
        "<script>alert(1)</script>",
        '"unclosed quote',
        "- -- ---",
        "!():*&|<->",
        "OR or AND",
        "％ _ % \\",
    ],
)
def test_odd_queries_get_a_helpful_message_and_no_error(client, publish, query):
    publish(title="Is an unrelated question answered?")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    results = response.context["results"]
    assert results.message
    assert results.page_obj is None
    assert escape(results.message) in response.content.decode()
    assert len(results.query) <= 200
    assert Article.objects.count() == 1


def test_a_nul_character_inside_a_query_is_ignored(publish):
    publish(title="Is zygomatic pain common?")

    assert found_titles("\x00zygomatic\x00") == ["Is zygomatic pain common?"]


def test_a_search_page_costs_a_fixed_number_of_queries(
    client, publish, django_assert_max_num_queries
):
    for n in range(12):
        article = ArticleFactory(
            title=f"Is zygomatic question {n:02} answered?",
            body=f"## Part {n}\n\nThe zygomatic arch.",
        )
        FAQFactory(article=article, question="Is the zygomatic arch involved?")
        publish(article)

    # One for the cache validator (articles.web.page_cache), one to count the matches,
    # one for the page of versions with their topics.
    with django_assert_max_num_queries(3):
        response = client.get("/search/", {"q": "zygomatic"})
    assert response.status_code == 200
    assert response.content.decode().count("<mark>") >= 10
