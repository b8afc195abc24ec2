import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleVersion,
    Tag,
    add_months,
    content_fingerprint,
)
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    PersonFactory,
    ReferenceFactory,
    TopicFactory,
    make_published,
    republish,
    update_summary,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


def take_to_stage(article, stage, *, editor, reviewer):
    """Move a new working copy through the workflow up to `stage` (never published)."""
    workflow.record_edit(article, user=editor)
    if stage != Status.DRAFT:
        workflow.submit_for_review(article, user=editor)
    if stage == Status.APPROVED:
        workflow.approve_medical_review(article, user=reviewer)
    article.refresh_from_db()
    assert article.status == stage
    return article


def withdraw_and_republish(article, *, editor, reviewer):
    workflow.unpublish(article, user=editor, comment="Withdrawn for a test.")
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    article.refresh_from_db()
    return article


# What is public --------------------------------------------------------------------


def test_public_returns_exactly_the_articles_with_a_live_version(editor, reviewer):
    draft = take_to_stage(
        ArticleFactory(), Status.DRAFT, editor=editor, reviewer=reviewer
    )
    in_review = take_to_stage(
        ArticleFactory(), Status.IN_REVIEW, editor=editor, reviewer=reviewer
    )
    approved = take_to_stage(
        ArticleFactory(), Status.APPROVED, editor=editor, reviewer=reviewer
    )
    published = make_published(editor=editor, reviewer=reviewer)
    pending_edits = make_published(editor=editor, reviewer=reviewer)
    pending_edits.title = "Is this edit still private?"
    pending_edits.save()
    workflow.record_edit(pending_edits, user=editor)
    withdrawn = make_published(editor=editor, reviewer=reviewer)
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    republished = withdraw_and_republish(
        make_published(editor=editor, reviewer=reviewer),
        editor=editor,
        reviewer=reviewer,
    )

    assert set(Article.objects.public()) == {published, pending_edits, republished}

    expected = {
        draft: False,
        in_review: False,
        approved: False,
        published: True,
        pending_edits: True,
        withdrawn: False,
        republished: True,
    }
    public_ids = set(Article.objects.public().values_list("pk", flat=True))
    for article, is_public in expected.items():
        fresh = Article.objects.get(pk=article.pk)
        assert fresh.is_public() is is_public, fresh.status
        assert (fresh.pk in public_ids) is is_public


def test_live_returns_exactly_the_current_version_of_each_public_article(
    editor, reviewer
):
    take_to_stage(ArticleFactory(), Status.APPROVED, editor=editor, reviewer=reviewer)
    published = make_published(editor=editor, reviewer=reviewer)
    withdrawn = make_published(editor=editor, reviewer=reviewer)
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    republished = withdraw_and_republish(
        make_published(editor=editor, reviewer=reviewer),
        editor=editor,
        reviewer=reviewer,
    )
    edited = republish(
        make_published(editor=editor, reviewer=reviewer),
        editor=editor,
        reviewer=reviewer,
        title="Is the second text live?",
    )

    live = set(ArticleVersion.objects.live())
    assert live == {
        published.versions.get(number=1),
        republished.versions.get(number=2),
        edited.versions.get(number=2),
    }
    assert {v.pk for v in live} == {
        published.live_version_id,
        republished.live_version_id,
        edited.live_version_id,
    }
    assert withdrawn.versions.count() == 1
    assert republished.versions.count() == 2
    assert edited.live_version.title == "Is the second text live?"


# Immutable versions ----------------------------------------------------------------


def test_saving_an_existing_version_raises_and_changes_nothing(article):
    version = article.live_version
    original_title = version.title
    version.title = "Was this quietly changed?"
    with pytest.raises(TypeError, match="Published versions are immutable"):
        version.save()
    with pytest.raises(TypeError, match="Published versions are immutable"):
        version.save(update_fields=["title"])
    assert ArticleVersion.objects.get(pk=version.pk).title == original_title


def test_deleting_a_version_raises_and_keeps_it(article):
    version = article.live_version
    with pytest.raises(TypeError, match="Published versions are kept forever"):
        version.delete()
    assert ArticleVersion.objects.filter(pk=version.pk).exists()


def test_every_publication_is_kept_as_a_numbered_version(editor, reviewer):
    article = make_published(
        editor=editor, reviewer=reviewer, title="Is the first text kept?"
    )
    republish(
        article, editor=editor, reviewer=reviewer, title="Is the second text live?"
    )

    versions = ArticleVersion.objects.filter(article=article).order_by("number")
    assert [(v.number, v.title) for v in versions] == [
        (1, "Is the first text kept?"),
        (2, "Is the second text live?"),
    ]
    assert article.live_version.number == 2
    assert str(article.live_version) == "Is the second text live? (version 2)"


def test_a_version_stores_rendered_html_and_children_in_position_order(
    editor, reviewer
):
    article = ArticleFactory(body="## Signs\n\n- fever\n")
    for position in [3, 1, 2]:
        FAQFactory(
            article=article,
            position=position,
            question=f"Q{position}?",
            answer=f"**A{position}**",
        )
        KeyTakeawayFactory(article=article, position=position, text=f"T{position}")
        ReferenceFactory(
            article=article,
            position=position,
            citation=f"R{position}",
            url=f"https://example.org/{position}",
        )
    version = make_published(article, editor=editor, reviewer=reviewer).live_version

    assert version.body_html == '<h2 id="signs">Signs</h2>\n<ul>\n<li>fever</li>\n</ul>'
    assert version.faqs == [
        {
            "question": "Q1?",
            "answer": "**A1**",
            "answer_html": "<p><strong>A1</strong></p>",
        },
        {
            "question": "Q2?",
            "answer": "**A2**",
            "answer_html": "<p><strong>A2</strong></p>",
        },
        {
            "question": "Q3?",
            "answer": "**A3**",
            "answer_html": "<p><strong>A3</strong></p>",
        },
    ]
    assert version.key_takeaways == ["T1", "T2", "T3"]
    assert version.references == [
        {"citation": "R1", "url": "https://example.org/1"},
        {"citation": "R2", "url": "https://example.org/2"},
        {"citation": "R3", "url": "https://example.org/3"},
    ]


def test_faq_anchors_on_a_version_number_the_faqs_in_page_order(editor, reviewer):
    article = ArticleFactory()
    FAQFactory(article=article, position=7, question="Is this second?")
    FAQFactory(article=article, position=3, question="Is this first?")
    version = make_published(article, editor=editor, reviewer=reviewer).live_version
    assert [(f["anchor"], f["question"]) for f in version.faq_items()] == [
        ("faq-1", "Is this first?"),
        ("faq-2", "Is this second?"),
    ]


# Content fingerprint ---------------------------------------------------------------


@pytest.fixture
def rich_article():
    article = ArticleFactory(
        title="Is the fingerprint stable?",
        short_answer="Only when nothing reviewed changes.",
        body="## Detail\n\nText.\n",
    )
    FAQFactory(article=article, position=1, question="First FAQ?", answer="One.")
    FAQFactory(article=article, position=2, question="Second FAQ?", answer="Two.")
    KeyTakeawayFactory(article=article, position=1, text="A takeaway.")
    ReferenceFactory(
        article=article,
        position=1,
        citation="A citation. 2024.",
        url="https://example.org/a",
    )
    return article


def set_fields(article, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()


def set_child(manager, **fields):
    child = manager.order_by("position").first()
    for name, value in fields.items():
        setattr(child, name, value)
    child.save()


def swap_faq_order(article):
    first, second = article.faqs.order_by("position")
    first.position = 3
    first.save()
    second.position = 1
    second.save()
    first.position = 2
    first.save()


REVIEWED_CHANGES = {
    "title": lambda a: set_fields(a, title="Is the fingerprint different?"),
    "short answer": lambda a: set_fields(a, short_answer="It changes."),
    "body": lambda a: set_fields(a, body="## Detail\n\nOther text.\n"),
    "faq question": lambda a: set_child(a.faqs, question="Changed FAQ?"),
    "faq answer": lambda a: set_child(a.faqs, answer="Changed."),
    "faq order": swap_faq_order,
    "takeaway": lambda a: set_child(a.key_takeaways, text="Another takeaway."),
    "reference citation": lambda a: set_child(a.references, citation="Other. 2025."),
    "reference url": lambda a: set_child(a.references, url="https://example.org/b"),
    "faq added": lambda a: FAQFactory(article=a, position=3),
    "takeaway removed": lambda a: a.key_takeaways.all().delete(),
    # What a version shows besides the text: an approval covers these too.
    "slug": lambda a: set_fields(a, slug="another-address"),
    "topic": lambda a: set_fields(a, topic=TopicFactory()),
    "author": lambda a: set_fields(a, author=PersonFactory()),
    "author renamed": lambda a: set_fields(a.author, name="Dr Someone Else"),
    "author credentials": lambda a: set_fields(a.author, credentials="FRCP"),
    # It sets the public "Next review due" date.
    "review interval": lambda a: set_fields(a, review_interval_months=3),
}

UNREVIEWED_CHANGES = {
    "tags": lambda a: a.tags.add(Tag.objects.create(name="Sleep", slug="sleep")),
}


@pytest.mark.parametrize("change", REVIEWED_CHANGES.values(), ids=REVIEWED_CHANGES)
def test_content_hash_changes_when_any_reviewed_text_changes(rich_article, change):
    before = Article.objects.get(pk=rich_article.pk).content_hash()
    change(rich_article)
    after = Article.objects.get(pk=rich_article.pk).content_hash()
    assert after != before


@pytest.mark.parametrize("change", UNREVIEWED_CHANGES.values(), ids=UNREVIEWED_CHANGES)
def test_content_hash_ignores_fields_outside_the_reviewed_text(rich_article, change):
    before = Article.objects.get(pk=rich_article.pk).content_hash()
    change(rich_article)
    after = Article.objects.get(pk=rich_article.pk).content_hash()
    assert after == before


def test_content_hash_is_the_fingerprint_of_the_content_a_version_stores(
    rich_article, editor, reviewer
):
    article = make_published(rich_article, editor=editor, reviewer=reviewer)
    version = article.live_version
    assert article.content_hash() == content_fingerprint(article.content())
    assert version.content() == article.content()
    assert version.content_hash == article.content_hash()
    assert article.approved_content_hash == article.approval_hash()
    assert len(article.content_hash()) == 64


# Database constraints --------------------------------------------------------------


def test_database_refuses_a_published_article_without_a_live_version(article):
    assert article.status == Status.PUBLISHED
    assert article.live_version_id is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(live_version=None)


def test_model_validation_explains_the_published_constraint():
    article = ArticleFactory.build(
        status=Status.PUBLISHED, topic=TopicFactory(), author=PersonFactory()
    )
    with pytest.raises(
        ValidationError, match="A published article needs a live version"
    ):
        article.full_clean()


@pytest.mark.parametrize(
    "missing",
    [{"approved_by": None}, {"medical_reviewer": None}, {"approved_content_hash": ""}],
    ids=["approver", "reviewer", "fingerprint"],
)
def test_database_refuses_an_approved_article_without_approver_or_fingerprint(
    editor, reviewer, missing
):
    approved = take_to_stage(
        ArticleFactory(), Status.APPROVED, editor=editor, reviewer=reviewer
    )
    assert approved.approved_by == reviewer
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=approved.pk).update(**missing)
    # The same fields may be empty while the article is a draft.
    assert Article.objects.filter(pk=approved.pk).update(status=Status.DRAFT, **missing)


def test_database_refuses_to_create_an_approved_article_with_no_approval():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Status.APPROVED)


@pytest.mark.parametrize("field", ["title", "slug", "short_answer"])
def test_database_refuses_an_article_with_an_empty_required_text(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(**{field: ""})


def test_database_refuses_two_articles_with_the_same_slug():
    ArticleFactory(slug="same")
    ArticleFactory(slug="different")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "different",
        "same",
    ]


@pytest.mark.parametrize("factory", [FAQFactory, KeyTakeawayFactory, ReferenceFactory])
def test_two_parts_of_one_article_cannot_share_a_position(factory):
    article = ArticleFactory()
    factory(article=article, position=1)
    factory(article=article, position=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(article=article, position=1)


@pytest.mark.parametrize("factory", [FAQFactory, KeyTakeawayFactory, ReferenceFactory])
def test_parts_of_different_articles_may_share_a_position(factory):
    first, second = factory(position=1), factory(position=1)
    assert first.article_id != second.article_id


def test_parts_come_back_ordered_by_position_not_by_creation():
    article = ArticleFactory()
    for position in [3, 1, 2]:
        FAQFactory(article=article, position=position, question=f"Q{position}?")
        KeyTakeawayFactory(article=article, position=position, text=f"T{position}")
        ReferenceFactory(article=article, position=position, citation=f"R{position}")
    assert [f.question for f in article.faqs.all()] == ["Q1?", "Q2?", "Q3?"]
    assert [t.text for t in article.key_takeaways.all()] == ["T1", "T2", "T3"]
    assert [r.citation for r in article.references.all()] == ["R1", "R2", "R3"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x"])
def test_database_refuses_a_reference_url_that_is_not_a_web_address(url):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceFactory(url=url)


@pytest.mark.parametrize("url", ["", "https://example.org/a", "http://example.org/b"])
def test_database_accepts_a_web_address_or_no_reference_url(url):
    assert ReferenceFactory(url=url).url == url


# Model validation of the slug ------------------------------------------------------


def test_clean_refuses_a_slug_that_another_articles_live_version_uses(editor, reviewer):
    moved = make_published(editor=editor, reviewer=reviewer, slug="taken-address")
    moved.slug = "moved-address"  # the live version still uses taken-address
    moved.save()
    other = ArticleFactory(slug="free-address")

    other.clean()  # an address nobody publishes is fine
    other.slug = "moved-address"
    other.clean()  # a working copy's unpublished slug does not reserve the address
    other.slug = "taken-address"
    with pytest.raises(
        ValidationError, match="Another published article uses this address."
    ) as refused:
        other.clean()
    assert refused.value.message_dict == {
        "slug": ["Another published article uses this address."]
    }

    moved.slug = "taken-address"
    moved.clean()  # an article may keep the address of its own live version

    workflow.unpublish(moved, user=editor, comment="Withdrawn for a test.")
    other.clean()  # a withdrawn article no longer holds its address


# Review dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 11, 15), 12, datetime.date(2025, 11, 15)),
        (datetime.date(2024, 12, 1), 1, datetime.date(2025, 1, 1)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 8, 31), 36, datetime.date(2027, 8, 31)),
    ],
)
def test_add_months_keeps_the_day_or_uses_the_last_day_of_a_shorter_month(
    day, months, expected
):
    assert add_months(day, months) == expected


def test_overdue_for_review_returns_exactly_the_live_versions_past_their_date(
    editor, reviewer
):
    today = timezone.localdate()
    due_soon = make_published(
        editor=editor, reviewer=reviewer, review_interval_months=1
    ).live_version
    due_later = make_published(
        editor=editor, reviewer=reviewer, review_interval_months=12
    ).live_version
    withdrawn = make_published(
        editor=editor, reviewer=reviewer, review_interval_months=1
    )
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    withdrawn_version = withdrawn.versions.get()
    assert due_soon.next_review_due == add_months(today, 1)
    assert due_later.next_review_due == add_months(today, 12)
    assert withdrawn_version.next_review_due == add_months(today, 1)

    # Versions are immutable, so move "today" instead of their dates.
    six_months_on = add_months(today, 6)
    assert set(ArticleVersion.objects.overdue_for_review(six_months_on)) == {due_soon}
    assert set(ArticleVersion.objects.overdue_for_review(today)) == set()
    assert set(ArticleVersion.objects.overdue_for_review(due_soon.next_review_due)) == (
        set()
    )
    assert set(ArticleVersion.objects.overdue_for_review(add_months(today, 13))) == {
        due_soon,
        due_later,
    }


# Rendering, strings and addresses --------------------------------------------------


def test_saving_an_article_stores_its_rendered_body():
    article = ArticleFactory(body="## Signs\n\n- fever\n- rash\n")
    assert '<h2 id="signs">Signs</h2>' in article.body_html
    assert "<li>fever</li>" in article.body_html

    article.body = "## Causes\n"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == '<h2 id="causes">Causes</h2>'


def test_saving_an_faq_stores_its_rendered_answer():
    faq = FAQFactory(answer="Usually **not**.")
    assert faq.answer_html == "<p>Usually <strong>not</strong>.</p>"
    faq.answer = "Rarely *ever*."
    faq.save()
    faq.refresh_from_db()
    assert faq.answer_html == "<p>Rarely <em>ever</em>.</p>"


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
