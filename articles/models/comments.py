"""Reviewers' and editors' comments on parts of an article's text."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.articles import Article

MAX_COMMENT_LENGTH = 5_000


class PartComment(models.Model):
    """A comment on one part of the working copy (the short answer, the body
    or a section of it, FAQ n, takeaway n, reference n), or a reply to one.
    Kept with the article's history: comments are resolved, never deleted."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="part_comments"
    )
    part = models.CharField(
        max_length=40, help_text='Which part: "body", "faq:2", "takeaway:1", ...'
    )
    part_label = models.CharField(max_length=200)
    quote = models.CharField(
        max_length=300,
        blank=True,
        help_text="The part's text when the comment was made.",
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(max_length=MAX_COMMENT_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    content_hash = models.CharField(max_length=64, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "resolved_at"])]

    def __str__(self):
        return f"{self.part_label}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
