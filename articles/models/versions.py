"""What was published and who decided it: the immutable ArticleVersion
snapshots visitors read, the audit log (ReviewEvent) and the draft history
(DraftRevision). Kept together because the review workflow writes them as it
moves an article along, and none of them is edited afterwards.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.models.articles import Article, content_fingerprint, public_article_q
from articles.models.people import Person, Topic
from articles.text.citations import backlinks
from articles.text.references import ShownReference, reference_content, shown_reference
from articles.text.rendering import render_markdown

# Columns of a version that only its own page needs.
LONG_VERSION_FIELDS = (
    "body",
    "body_html",
    "search_vector",
    "rank_vector",
    "relevance_terms",
    "references",
    "key_takeaways",
)


class ArticleVersionQuerySet(models.QuerySet):
    def live(self):
        """Versions visitors see now: the live version of each public article
        (public_article_q, through the article this version is live for)."""
        return self.filter(public_article_q("live_for__"))

    def listing(self):
        """Without the long texts (body, HTML, search index): for lists, links and
        sitemaps, which show titles and short answers only."""
        return self.defer(*LONG_VERSION_FIELDS)

    def overdue_for_review(self, today: datetime.date):
        """Live versions whose periodic medical review date has passed."""
        return self.live().filter(next_review_due__lt=today)


class ArticleVersion(models.Model):
    """An immutable snapshot of a published article: what visitors were shown.

    Every version that was ever public is kept, so the site can answer "what did
    we tell people on date X?". The HTML is rendered once, when it is created.
    """

    class Kind(models.TextChoices):
        PUBLICATION = "publication", "New text published"
        REREVIEW = "rereview", "Periodic review, text unchanged"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    short_answer = models.TextField()
    body = models.TextField()
    body_html = models.TextField()
    # An article may have no FAQs, takeaways or references: empty lists are valid.
    faqs = models.JSONField(default=list, blank=True)
    key_takeaways = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    # The library images it shows, as approved (LibraryImage.snapshot()):
    # their files never change, so neither does this version's page.
    images = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="versions")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    author_credentials = models.CharField(max_length=120, blank=True)
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=120)
    reviewer_credentials = models.CharField(max_length=120, blank=True)
    revision_number = models.PositiveIntegerField(
        default=0, help_text="The draft revision whose text this version published."
    )
    contributor_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="Accounts that edited this text since the previous version.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    content_updated_at = models.DateTimeField()
    last_reviewed_on = models.DateField()
    next_review_due = models.DateField()
    review_interval_months = models.PositiveSmallIntegerField(default=12)
    change_summary = models.CharField(
        max_length=200,
        blank=True,
        help_text="The public one-line summary of what changed in this version.",
    )
    is_correction = models.BooleanField(
        default=False, help_text="This version corrects an error in the previous one."
    )
    # PostgreSQL full-text index of the words (articles.publishing.search fills it once,
    # when the version is created); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The same index for the title, FAQ questions and short answer only: search
    # ranks matches with this small vector, not the whole text's.
    rank_vector = SearchVectorField(null=True, editable=False)
    # Its weighted terms for finding related questions (articles.text.relevance),
    # written once when it is published, like the search vectors.
    relevance_terms = models.JSONField(null=True, editable=False)

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        indexes = [
            models.Index(fields=["slug"]),
            models.Index(fields=["next_review_due"]),
            # The home page's "recently updated": read in this order, stopping
            # after a dozen live ones, instead of sorting every version.
            models.Index(fields=["-content_updated_at"], name="version_updated_idx"),
            # The sitemap index's lastmod: the newest live publication, read
            # from the top of this index instead of every live version.
            models.Index(fields=["-published_at"], name="version_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__gt=F("last_reviewed_on")),
                name="version_review_due_after_review",
            ),
        ]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Published versions are immutable; publish a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        raise TypeError("Published versions are kept forever.")

    @classmethod
    def from_article(cls, article: Article) -> "ArticleVersion":
        """An unsaved snapshot of the working copy's text and bylines.

        Publishing stamps and saves it; the staff preview renders it unsaved, so
        a preview shows exactly what publishing would store.
        """
        content = article.content()
        reviewer = article.medical_reviewer
        images = content.get("images", [])
        shown = {image["key"]: image for image in images}
        return cls(
            article=article,
            title=content["title"],
            slug=article.slug,
            short_answer=content["short_answer"],
            body=content["body"],
            body_html=render_markdown(content["body"], images=shown),
            faqs=[
                {
                    **faq,
                    "answer_html": render_markdown(
                        faq["answer"], cite_ids=f"faq-{number}-cite", images=shown
                    ),
                }
                for number, faq in enumerate(content["faqs"], start=1)
            ],
            images=images,
            key_takeaways=content["key_takeaways"],
            references=content["references"],
            content_hash=content_fingerprint(content),
            topic=article.topic,
            author=article.author,
            author_name=article.author.name,
            author_credentials=article.author.credentials,
            reviewer=reviewer,
            reviewer_name=reviewer.name if reviewer else "",
            reviewer_credentials=reviewer.credentials if reviewer else "",
            review_interval_months=content["review_interval_months"],
            change_summary=article.change_summary,
            is_correction=article.is_correction,
        )

    def content(self) -> dict:
        """What this version shows, in the same shape as Article.content()."""
        content = {
            "title": self.title,
            "short_answer": self.short_answer,
            "body": self.body,
            "faqs": [
                {"question": f["question"], "answer": f["answer"]} for f in self.faqs
            ],
            "key_takeaways": list(self.key_takeaways),
            "references": [reference_content(r) for r in self.references],
            "slug": self.slug,
            "topic": self.topic.slug,
            "author": self.author.slug,
            "author_name": self.author_name,
            "author_credentials": self.author_credentials,
            "review_interval_months": self.review_interval_months,
        }
        if self.images:
            content["images"] = list(self.images)
        return content

    @property
    def is_update(self) -> bool:
        """A later publication of new text (not the first one, not a periodic
        review): the page and the feed show its change summary as an update."""
        return self.kind == self.Kind.PUBLICATION and self.number > 1

    def reference_list(self) -> list[ShownReference]:
        """The references as the page lists them, each with links back to
        the places in the body and FAQ answers that cite it."""
        links = backlinks([self.body_html, *(f["answer_html"] for f in self.faqs)])
        return [
            shown_reference(number, reference, links.get(number))
            for number, reference in enumerate(self.references, start=1)
        ]

    def faq_items(self) -> list[dict]:
        """FAQs with the anchor each one has on the page (#faq-1, #faq-2, ...)."""
        return [
            {**faq, "anchor": f"faq-{number}"}
            for number, faq in enumerate(self.faqs, start=1)
        ]


class ReviewEvent(models.Model):
    """One line of an article's audit log: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved"
        REQUEST_CHANGES = "request_changes", "Changes requested"
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Withdrawn"
        RECONFIRM = "reconfirm", "Periodic review confirmed"
        EDIT = "edit", "Edited"
        RESTORE = "restore", "Earlier draft restored"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        ArticleVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    comment = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # A submission the editor addressed to one medical reviewer (emailed alone).
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class DraftRevision(models.Model):
    """The working copy's text after one save: draft history that can be restored,
    and the record of who edited since the last approval (four eyes)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    responsible_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="Accounts whose unapproved writing is in this text: the savers "
        "since the last approval, or, after a restore, those of the restored text.",
    )

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number"
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.article}”"
