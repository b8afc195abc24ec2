"""Migrations: none missing, and data migrations on rows made before them."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, ArticleVersion, Person, content_fingerprint


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    # --check exits non-zero (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


BEFORE = [("articles", "0013_article_list_index")]
AFTER = [("articles", "0014_approval_covers_bylines_and_public_details")]


def old_content(article) -> dict:
    """Article.content() before migration 0014."""
    return {
        "title": article.title,
        "short_answer": article.short_answer,
        "body": article.body,
        "faqs": [],
        "key_takeaways": [],
        "references": [],
        "slug": article.slug,
        "topic": article.topic.slug,
        "author": article.author.slug,
    }


# Serialized rollback like the other transactional tests: its closing flush then
# does not recreate content types under new ids (which the next one would clash with).
@pytest.fixture
def back_to_latest_afterwards():
    """Tests that migrate the database backwards leave it at the latest
    migration again, pass or fail, for the tests that run after them."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_latest_afterwards")
def test_0014_recomputes_fingerprints_and_keeps_published_articles_unchanged():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Topic, OldPerson = (
        apps.get_model("articles", "Topic"),
        apps.get_model("articles", "Person"),
    )
    OldArticle = apps.get_model("articles", "Article")
    OldVersion = apps.get_model("articles", "ArticleVersion")
    user = User.objects.create(username="old-editor")
    topic = Topic.objects.create(name="Sleep", slug="sleep")
    author = OldPerson.objects.create(
        name="Dr Ann Writer", slug="ann", credentials="BSc"
    )
    reviewer = OldPerson.objects.create(name="Ben Doctor", slug="ben", credentials="MD")
    now = timezone.now()

    def article(slug, status):
        return OldArticle.objects.create(
            title=f"Is {slug} fine?",
            slug=slug,
            short_answer="Yes.",
            body="Words.",
            topic=topic,
            author=author,
            status=status,
            review_interval_months=6,
            created_at=now,
        )

    published = article("published", "draft")
    reviewed = datetime.date(2026, 1, 10)
    version = OldVersion.objects.create(
        article=published,
        number=1,
        kind="publication",
        title=published.title,
        slug=published.slug,
        short_answer="Yes.",
        body="Words.",
        body_html="<p>Words.</p>",
        content_hash=content_fingerprint(old_content(published)),
        topic=topic,
        author=author,
        author_name="Dr Ann Writer",
        author_credentials="BSc",
        reviewer=reviewer,
        reviewer_name="Ben Doctor",
        approved_by=user,
        approved_at=now,
        published_by=user,
        published_at=now,
        first_published_at=now,
        content_updated_at=now,
        last_reviewed_on=reviewed,
        next_review_due=datetime.date(2026, 7, 10),
        change_summary="Clearer advice",
    )
    OldArticle.objects.filter(pk=published.pk).update(
        live_version=version, status="published"
    )
    approved = article("approved", "draft")
    OldArticle.objects.filter(pk=approved.pk).update(
        status="approved",
        approved_by=user,
        medical_reviewer=reviewer,
        approved_content_hash=content_fingerprint(old_content(approved)),
    )

    executor.loader.build_graph()
    executor.migrate(AFTER)
    # The later migrations (to today's models, which the checks below use)
    # must keep those fingerprints too.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    published = Article.objects.get(slug="published")
    live = ArticleVersion.objects.get(pk=version.pk)
    assert live.review_interval_months == 6
    assert live.content_hash == published.content_hash()
    assert published.change_summary == "Clearer advice"
    approved = Article.objects.get(slug="approved")
    assert approved.approved_content_hash == approved.approval_hash()
    assert Person.objects.get(slug="ann").name_key == "ann writer"


BEFORE_PARTS = [("articles", "0017_notifications_and_schedules")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_latest_afterwards")
def test_0018_keeps_old_citations_as_written_and_every_fingerprint():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_PARTS)
    apps = executor.loader.project_state(BEFORE_PARTS).apps
    OldArticle = apps.get_model("articles", "Article")
    OldReference = apps.get_model("articles", "Reference")
    topic = apps.get_model("articles", "Topic").objects.create(
        name="Sleep", slug="sleep"
    )
    author = apps.get_model("articles", "Person").objects.create(
        name="Dr Ann Writer", slug="ann", name_key="ann writer"
    )
    article = OldArticle.objects.create(
        title="Is a nap fine?",
        slug="nap",
        short_answer="Yes.",
        body="Words.",
        topic=topic,
        author=author,
        created_at=timezone.now(),
    )
    citations = [
        ("NHS. Insomnia. 2024.", "https://www.nhs.uk/conditions/insomnia/"),
        ("Smith J. Sleep in adults. Lancet; 2019.", ""),
    ]
    for position, (citation, url) in enumerate(citations, 1):
        OldReference.objects.create(
            article=article, position=position, citation=citation, url=url
        )
    old_shape = [{"citation": c, "url": u} for c, u in citations]

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    article = Article.objects.get(slug="nap")
    rows = list(article.references.order_by("position"))
    assert [(r.citation, r.url) for r in rows] == citations
    assert all(not (r.title or r.authors or r.doi or r.pmid or r.year) for r in rows)
    # The stored shape, and so every approval's and version's fingerprint, is the old one.
    assert article.content()["references"] == old_shape
    shown = ArticleVersion(references=old_shape, body_html="", faqs=[]).reference_list()
    assert [(s.text, s.links) for s in shown] == [
        (citations[0][0], [(citations[0][1], citations[0][1])]),
        (citations[1][0], []),
    ]
