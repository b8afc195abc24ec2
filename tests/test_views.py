import datetime

import pytest
from django.utils import timezone

from articles.models import Article, add_months
from articles.review import roles, workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    ReferenceFactory,
    TopicFactory,
    UserFactory,
    make_editor,
    make_published,
    update_summary,
)

pytestmark = pytest.mark.django_db

NOT_FOUND_TEXT = "We could not find that page"


def make_named_reviewer(name, credentials):
    """A medical reviewer account whose public byline we know exactly."""
    user = UserFactory(groups=[roles.MEDICAL_REVIEWERS])
    PersonFactory(user=user, name=name, credentials=credentials)
    return user


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main_part(html):
    """The page from <main on: the site header and <head> are left out."""
    return html[html.index("<main") :]


def assert_not_found(response):
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()


def take_to_stage(article, stage, *, editor, reviewer):
    """Move a new working copy through the workflow up to `stage` (never published)."""
    workflow.record_edit(article, user=editor)
    if stage != Article.Status.DRAFT:
        workflow.submit_for_review(article, user=editor)
    if stage == Article.Status.CHANGES_REQUESTED:
        workflow.request_changes(article, user=reviewer, comment="Cite a source.")
    if stage == Article.Status.APPROVED:
        workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    assert article.status == stage
    assert article.live_version is None


@pytest.fixture
def ravi():
    return make_named_reviewer("Ravi Shah", "MBBS, MRCP")


@pytest.fixture
def full_article(editor, ravi):
    """A published article with a table, a takeaway, two FAQs and a reference."""
    article = ArticleFactory(
        title="Can cold weather trigger asthma?",
        short_answer="Yes, cold dry air can tighten the airways.",
        body="## Why cold air matters\n\nCold air is dry.\n\n| Trigger | Tip |\n|---|---|\n"
        "| Wind | Cover your mouth |\n",
        author=PersonFactory(name="Lena Ortiz", credentials="MPH"),
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
    return make_published(article, editor=editor, reviewer=ravi)


# Reading the live version ---------------------------------------------------------


def test_article_page_shows_its_parts_in_reading_order(client, full_article):
    html = main_part(page(client, full_article.get_absolute_url()))
    landmarks = [
        "<h1>Can cold weather trigger asthma?</h1>",
        'class="short-answer"',
        "Yes, cold dry air can tighten the airways.",
        "Written by</span> <a href=",
        'Lena Ortiz</a>, <span class="credentials">MPH</span>',
        "Medically reviewed by</span> <a href=",
        'Ravi Shah</a>, <span class="credentials">MBBS, MRCP</span>',
        "Published <time",
        '<h2 id="why-cold-air-matters">Why cold air matters</h2>',
        "<table>",
        "Key takeaways",
        "<li>Keep your reliever inhaler with you.</li>",
        "Frequently asked questions",
        "Is exercise safe?",
        "Does a scarf help?",
        "References",
        "Asthma body. Cold weather. 2024.",
        '<a href="https://www.example.org/cold" rel="noopener noreferrer">',
        "Page last reviewed: <time",
        "Next review due: <time",
        "Page history",
    ]
    positions = [html.find(text) for text in landmarks]
    assert -1 not in positions, [
        t for t, p in zip(landmarks, positions, strict=True) if p == -1
    ]
    assert positions == sorted(positions)


def test_short_answer_sits_in_its_highlighted_box(client, full_article):
    html = page(client, full_article.get_absolute_url())
    box = html[html.index('class="short-answer"') :]
    assert box.index("Yes, cold dry air") < box.index("</section>")


def test_each_faq_has_an_anchor_id_numbered_in_page_order(client, full_article):
    html = page(client, full_article.get_absolute_url())
    first = html[html.index('<div class="faq" id="faq-1">') :]
    second = html[html.index('<div class="faq" id="faq-2">') :]
    assert first.index("Is exercise safe?") < first.index("</div>")
    assert second.index("Does a scarf help?") < second.index("</div>")
    assert 'id="faq-3"' not in html


def test_page_title_and_description_come_from_the_live_version(client, full_article):
    html = page(client, full_article.get_absolute_url())
    assert "<title>Can cold weather trigger asthma? | Health Answers</title>" in html
    assert (
        '<meta name="description" content="Yes, cold dry air can tighten the airways.">'
        in html
    )
    assert '<meta name="robots"' not in html


def test_article_text_is_escaped_not_executed(client, editor, reviewer):
    article = ArticleFactory(
        title="Is <script>alert(1)</script> safe?",
        short_answer="<img src=x onerror=alert(1)>",
    )
    KeyTakeawayFactory(article=article, text="<b onmouseover=alert(2)>x</b>")
    FAQFactory(article=article, question="<svg onload=alert(3)>?", answer="No.")
    make_published(article, editor=editor, reviewer=reviewer)

    html = page(client, article.get_absolute_url())
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html
    assert "<b onmouseover" not in html
    assert "<svg onload" not in html
    assert "<h1>Is &lt;script&gt;alert(1)&lt;/script&gt; safe?</h1>" in html
    assert "<p>&lt;img src=x onerror=alert(1)&gt;</p>" in html
    assert "<li>&lt;b onmouseover=alert(2)&gt;x&lt;/b&gt;</li>" in html
    assert '<h3 class="faq__question">&lt;svg onload=alert(3)&gt;?</h3>' in html
    assert "<title>Is &lt;script&gt;alert(1)&lt;/script&gt; safe? | " in html


def test_unknown_slug_answers_404_with_a_friendly_page(client):
    response = client.get("/questions/no-such-question/")
    assert_not_found(response)
    assert "Browse all health questions" in response.content.decode()


def test_public_article_page_costs_a_fixed_number_of_queries(
    client, editor, reviewer, django_assert_max_num_queries
):
    article = ArticleFactory(title="Does counting queries help?")
    for n in range(1, 7):
        FAQFactory(article=article, position=n, question=f"Is FAQ number {n} here?")
        KeyTakeawayFactory(article=article, position=n, text=f"Takeaway number {n}.")
        ReferenceFactory(article=article, position=n, citation=f"Citation {n}.")
    make_published(article, editor=editor, reviewer=reviewer)

    # The validator, then the stored page with its version and topic.
    with django_assert_max_num_queries(2):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert [f"Is FAQ number {n} here?" in html for n in range(1, 7)] == [True] * 6
    assert [f"<li>Takeaway number {n}.</li>" in html for n in range(1, 7)] == [True] * 6
    assert 'id="faq-6"' in html


# What is public and what is not ---------------------------------------------------


def test_editors_draft_never_appears_on_any_public_page(client, editor, reviewer):
    sleep = TopicFactory(name="Sleep")
    make_published(editor=editor, reviewer=reviewer, topic=sleep, title="Do naps help?")
    in_sleep = ArticleFactory(topic=sleep, title="Is this sleep draft hidden?")
    workflow.record_edit(in_sleep, user=editor)
    hidden_topic = TopicFactory(name="Hidden topic")
    draft = ArticleFactory(topic=hidden_topic, title="Is the lone draft hidden?")
    workflow.record_edit(draft, user=editor)

    home = page(client, "/")
    assert "Do naps help?" in home
    assert "Sleep" in home
    assert "Is this sleep draft hidden?" not in home
    assert "Is the lone draft hidden?" not in home
    assert "Hidden topic" not in home

    topic_html = page(client, sleep.get_absolute_url())
    assert "Do naps help?" in topic_html
    assert "Is this sleep draft hidden?" not in topic_html

    assert_not_found(client.get(hidden_topic.get_absolute_url()))
    assert_not_found(client.get(in_sleep.get_absolute_url()))
    assert_not_found(client.get(draft.get_absolute_url()))


@pytest.mark.parametrize(
    "stage",
    [
        Article.Status.DRAFT,
        Article.Status.IN_REVIEW,
        Article.Status.CHANGES_REQUESTED,
        Article.Status.APPROVED,
    ],
)
def test_article_that_was_never_published_is_on_no_public_page(
    client, editor, reviewer, stage
):
    topic = TopicFactory(name="Allergies")
    make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is hay fever common?"
    )
    waiting = ArticleFactory(topic=topic, title="Is the waiting article hidden?")
    take_to_stage(waiting, stage, editor=editor, reviewer=reviewer)

    assert_not_found(client.get(waiting.get_absolute_url()))
    for url in ["/", topic.get_absolute_url()]:
        html = page(client, url)
        assert "Is hay fever common?" in html
        assert "Is the waiting article hidden?" not in html


def test_home_lists_public_questions_and_their_topics_only(client, editor, reviewer):
    make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is a public question shown?",
        topic=TopicFactory(name="Shown topic"),
    )
    ArticleFactory(
        title="Is a draft question hidden?", topic=TopicFactory(name="Hidden topic")
    )
    html = page(client, "/")
    assert "Is a public question shown?" in html
    assert '<a href="/topics/' in html
    assert "Shown topic" in html
    assert "Is a draft question hidden?" not in html
    assert "Hidden topic" not in html


def test_topic_page_lists_only_its_public_questions(client, editor, reviewer):
    topic = TopicFactory(name="Sleep")
    make_published(
        editor=editor,
        reviewer=reviewer,
        topic=topic,
        title="Do naps help?",
        short_answer="Short naps can help.",
    )
    ArticleFactory(topic=topic, title="Is this draft hidden?")
    make_published(
        editor=editor, reviewer=reviewer, title="Is another topic's question elsewhere?"
    )
    html = page(client, topic.get_absolute_url())
    assert "<h1>Sleep</h1>" in html
    assert "Do naps help?" in html
    assert '<p class="question-list__answer">Short naps can help.</p>' in html
    assert "Is this draft hidden?" not in html
    assert "another topic" not in html


def test_topic_without_public_questions_answers_404(client):
    topic = TopicFactory()
    ArticleFactory(topic=topic)
    assert_not_found(client.get(topic.get_absolute_url()))


def test_withdrawn_article_answers_410_and_leaves_home_and_topic_pages(
    client, editor, reviewer
):
    topic = TopicFactory(name="Skin")
    make_published(
        editor=editor, reviewer=reviewer, topic=topic, title="Is eczema contagious?"
    )
    withdrawn = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=topic,
        title="Is the withdrawn one gone?",
    )
    assert "Is the withdrawn one gone?" in page(client, withdrawn.get_absolute_url())

    workflow.unpublish(withdrawn, user=editor, comment="Guidance changed.")

    gone = client.get(withdrawn.get_absolute_url())
    assert gone.status_code == 410
    assert "This article has been withdrawn" in gone.content.decode()
    for url in ["/", topic.get_absolute_url()]:
        html = page(client, url)
        assert "Is eczema contagious?" in html
        assert "Is the withdrawn one gone?" not in html


def test_withdrawing_a_topics_only_article_removes_the_topic_page(
    client, editor, article
):
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    assert_not_found(client.get(article.topic.get_absolute_url()))
    assert article.topic.name not in page(client, "/")


# Editing a published article ------------------------------------------------------

OLD_TEXT = {
    "title": "Does walnut tea ease a cough?",
    "short_answer": "Walnut tea may soothe the throat.",
    "body": "## Walnut evidence\n\nSmall walnut studies only.\n",
    "faq_question": "Is walnut tea safe for children?",
    "faq_answer": "Walnut tea is safe after age one.",
    "takeaway": "Walnut tea is not a medicine.",
}
NEW_TEXT = {
    key: value.replace("Walnut", "Quasar").replace("walnut", "quasar")
    for key, value in OLD_TEXT.items()
}


def page_markers(text):
    """What each field of `text` looks like on the public article page."""
    word = "walnut" if "walnut" in text["title"] else "quasar"
    return [
        f"<h1>{text['title']}</h1>",
        f"<p>{text['short_answer']}</p>",
        f'<h2 id="{word}-evidence">{word.capitalize()} evidence</h2>',
        f"<p>Small {word} studies only.</p>",
        f'<h3 class="faq__question">{text["faq_question"]}</h3>',
        f"<p>{text['faq_answer']}</p>",
        f"<li>{text['takeaway']}</li>",
    ]


@pytest.fixture
def walnut(editor, reviewer):
    """A published article whose every field contains the word "walnut"."""
    article = ArticleFactory(
        title=OLD_TEXT["title"],
        short_answer=OLD_TEXT["short_answer"],
        body=OLD_TEXT["body"],
        topic=TopicFactory(name="Remedies"),
    )
    FAQFactory(
        article=article,
        position=1,
        question=OLD_TEXT["faq_question"],
        answer=OLD_TEXT["faq_answer"],
    )
    KeyTakeawayFactory(article=article, position=1, text=OLD_TEXT["takeaway"])
    return make_published(article, editor=editor, reviewer=reviewer)


def edit_to_new_text(article, *, editor):
    article.title = NEW_TEXT["title"]
    article.short_answer = NEW_TEXT["short_answer"]
    article.body = NEW_TEXT["body"]
    article.save()
    faq = article.faqs.get()
    faq.question = NEW_TEXT["faq_question"]
    faq.answer = NEW_TEXT["faq_answer"]
    faq.save()
    takeaway = article.key_takeaways.get()
    takeaway.text = NEW_TEXT["takeaway"]
    takeaway.save()
    workflow.record_edit(article, user=editor)
    article.refresh_from_db()


def test_edits_to_a_published_article_stay_private_until_the_new_version_is_published(
    client, editor, reviewer, walnut
):
    url = walnut.get_absolute_url()
    topic_url = walnut.topic.get_absolute_url()
    edit_to_new_text(walnut, editor=editor)
    assert walnut.status == Article.Status.DRAFT

    html = main_part(page(client, url))
    assert [marker in html for marker in page_markers(OLD_TEXT)] == [True] * 7
    assert "quasar" not in html.lower()
    for listing in ["/", topic_url]:
        html = page(client, listing)
        assert OLD_TEXT["title"] in html
        assert "quasar" not in html.lower()
    assert OLD_TEXT["short_answer"] in page(client, topic_url)

    workflow.submit_for_review(
        walnut, user=editor, change_summary=update_summary(walnut)
    )
    workflow.approve_medical_review(walnut, user=reviewer)
    html = main_part(page(client, url))
    assert "quasar" not in html.lower()  # approved is not yet published

    workflow.publish(walnut, user=editor)
    html = main_part(page(client, url))
    assert [marker in html for marker in page_markers(NEW_TEXT)] == [True] * 7
    assert "walnut" not in html.lower()
    for listing in ["/", topic_url]:
        html = page(client, listing)
        assert NEW_TEXT["title"] in html
        assert "walnut" not in html.lower()
    assert NEW_TEXT["short_answer"] in page(client, topic_url)


def test_changing_the_slug_takes_effect_only_when_the_new_version_is_published(
    client, editor, reviewer
):
    article = make_published(
        editor=editor,
        reviewer=reviewer,
        slug="old-address",
        title="Is the address stable?",
    )
    article.slug = "new-address"
    # A slug alone is not part of the reviewed text, so change the words too.
    article.title = "Is the new address live?"
    article.save()
    workflow.record_edit(article, user=editor)

    assert "Is the address stable?" in page(client, "/questions/old-address/")
    assert_not_found(client.get("/questions/new-address/"))
    assert 'href="/questions/old-address/"' in page(client, "/")

    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)

    assert "<h1>Is the new address live?</h1>" in page(
        client, "/questions/new-address/"
    )
    moved = client.get("/questions/old-address/")
    assert (moved.status_code, moved["Location"]) == (301, "/questions/new-address/")
    home = page(client, "/")
    assert 'href="/questions/new-address/"' in home
    assert 'href="/questions/old-address/"' not in home


def test_article_page_names_the_approving_reviewer_and_the_live_versions_dates(
    client, monkeypatch, editor, ravi
):
    article = make_published(
        editor=editor,
        reviewer=ravi,
        title="Who reviewed this?",
        review_interval_months=36,
    )
    amina = make_named_reviewer("Amina Bello", "MD, FACOG")
    article.short_answer = "Amina checked this text."
    article.save()
    workflow.record_edit(article, user=editor)
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    approved_at = timezone.now() - datetime.timedelta(days=40)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: approved_at)
        workflow.approve_medical_review(article, user=amina)
    workflow.publish(article, user=editor)
    article.refresh_from_db()

    reviewed = timezone.localdate(approved_at)
    due = add_months(reviewed, 36)
    assert article.live_version.number == 2
    assert article.live_version.last_reviewed_on == reviewed
    assert article.live_version.next_review_due == due

    html = page(client, article.get_absolute_url())
    assert 'Amina Bello</a>, <span class="credentials">MD, FACOG</span>' in html
    assert "Ravi Shah" not in html
    assert (
        f'Page last reviewed: <time datetime="{reviewed:%Y-%m-%d}">'
        f"{reviewed.day} {reviewed:%B %Y}</time>" in html
    )
    assert (
        f'Next review due: <time datetime="{due:%Y-%m-%d}">'
        f"{due.day} {due:%B %Y}</time>" in html
    )


# Staff preview --------------------------------------------------------------------


def test_staff_editor_previews_a_draft_with_a_banner_and_no_caching(
    client, editor, draft
):
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Draft preview, not public. Status: Draft.</strong>" in html
    assert f"<h1>{draft.title}</h1>" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "max-age=0"} <= directives


def test_anonymous_visitor_gets_404_for_a_draft_url(client, draft):
    assert_not_found(client.get(draft.get_absolute_url()))
    assert_not_found(client.get(draft.get_absolute_url() + "?preview=draft"))


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: UserFactory(is_staff=False), id="logged-in non-staff"),
        pytest.param(lambda: UserFactory(is_staff=True), id="staff without roles"),
        pytest.param(
            lambda: make_editor(is_staff=False), id="editor account without staff"
        ),
    ],
)
def test_users_who_may_not_preview_get_404_for_a_draft(client, draft, make_user):
    client.force_login(make_user())
    for query in ["", "?preview=draft"]:
        response = client.get(draft.get_absolute_url() + query)
        assert_not_found(response)
        assert draft.title not in response.content.decode()


def test_staff_see_the_live_version_by_default_and_pending_edits_with_preview_draft(
    client, editor, walnut
):
    edit_to_new_text(walnut, editor=editor)
    client.force_login(editor)

    live = client.get(walnut.get_absolute_url())
    html = main_part(live.content.decode())
    assert live.status_code == 200
    assert OLD_TEXT["title"] in html
    assert "quasar" not in html.lower()
    assert "Draft preview" not in html

    preview = client.get(walnut.get_absolute_url() + "?preview=draft")
    html = main_part(preview.content.decode())
    assert preview.status_code == 200
    assert "<strong>Draft preview, not public. Status: Draft.</strong>" in html
    assert [marker in html for marker in page_markers(NEW_TEXT)] == [True] * 7
    assert "walnut" not in html.lower()
    directives = {d.strip() for d in preview["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "max-age=0"} <= directives


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "non-staff"])
def test_visitors_asking_for_preview_draft_get_the_public_text(
    client, editor, walnut, logged_in
):
    edit_to_new_text(walnut, editor=editor)
    if logged_in:
        client.force_login(UserFactory(is_staff=False))

    response = client.get(walnut.get_absolute_url() + "?preview=draft")
    html = response.content.decode()
    assert "quasar" not in html.lower()
    assert "Draft preview" not in html
    assert response.status_code == 200
    assert [marker in html for marker in page_markers(OLD_TEXT)] == [True] * 7


def test_topic_pages_paginate_with_a_bounded_number_of_queries(
    client, editor, reviewer, django_assert_max_num_queries, monkeypatch
):
    from articles.web import views

    monkeypatch.setattr(views, "TOPIC_PAGE_SIZE", 3)
    topic = TopicFactory(name="Paged")
    for n in range(7):
        make_published(
            editor=editor, reviewer=reviewer, topic=topic, title=f"Is {n} paged?"
        )
    with django_assert_max_num_queries(4):
        first = client.get(topic.get_absolute_url())
    html = first.content.decode()
    assert html.count('class="question-list__answer"') == 3
    assert "Page 1 of 3" in html and 'rel="next"' in html
    last = client.get(topic.get_absolute_url() + "?page=99").content.decode()
    assert last.count('class="question-list__answer"') == 1
    assert client.get(topic.get_absolute_url() + "?page=abc").status_code == 200
