"""Save parsed plain-text articles (articles.transfer.plain_text) as drafts.

Shared by the import_articles command and the admin's "Import from text" page.
An imported article is always a draft: it reaches visitors only through
medical review like any other text. The account that imports is recorded as
its writer, so it cannot approve the text itself.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Person, Topic
from articles.models.content_writer import write_article
from articles.review import workflow
from articles.transfer.plain_text import ParsedArticle

DEFAULT_TOPIC = {"slug": "imported", "name": "Imported (to sort)"}
DEFAULT_AUTHOR = {"slug": "editorial-team", "name": "Editorial team"}


class ImportClash(Exception):
    """An article with the same question exists; the message names it."""


@dataclass
class ImportResult:
    article: Article
    created: bool  # False when an existing draft was updated


def default_topic() -> Topic:
    topic, _ = Topic.objects.get_or_create(
        slug=DEFAULT_TOPIC["slug"], defaults={"name": DEFAULT_TOPIC["name"]}
    )
    return topic


def author_named(name: str) -> Person:
    """The byline with this name, created (without credentials) if it is new."""
    name = name.strip()
    person = Person.objects.filter(name__iexact=name).first()
    if person is None:
        person = Person.objects.create(name=name, slug=_free_slug(Person, name))
    return person


def default_author() -> Person:
    person, _ = Person.objects.get_or_create(
        slug=DEFAULT_AUTHOR["slug"], defaults={"name": DEFAULT_AUTHOR["name"]}
    )
    return person


def _free_slug(model, text: str) -> str:
    base = slugify(text)[:180] or "article"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def find_clash(parsed: ParsedArticle) -> Article | None:
    """An existing article asking the same question (case and spacing aside)."""
    question = " ".join(parsed.title.split())
    return Article.objects.filter(title__iexact=question).first()


@transaction.atomic
def save_draft(
    parsed: ParsedArticle,
    *,
    user,
    topic: Topic,
    author: Person,
    update_drafts: bool = False,
) -> ImportResult:
    """Create a draft from a parsed article, or with update_drafts refresh the
    working copy of the article asking the same question. The published
    version, if any, stays live until the new text is reviewed."""
    existing = find_clash(parsed)
    if existing is not None and not update_drafts:
        raise ImportClash(
            f"An article with this question already exists: “{existing.title}” "
            f"(/{existing.slug}/). Nothing was imported; use --update-drafts to "
            "replace its draft text."
        )
    article = existing or Article(slug=_free_slug(Article, parsed.title))
    content = {
        "title": " ".join(parsed.title.split()),
        "short_answer": parsed.short_answer,
        "body": parsed.body,
        "faqs": [{"question": q, "answer": a} for q, a in parsed.faqs],
        "key_takeaways": parsed.key_takeaways,
        # A references section replaces the draft's references; a text
        # without one (None) keeps the draft's own.
        # One whose every entry was left out (with warnings) keeps them too.
        "references": parsed.references or None,
        # Nor has it an update note: keep what the draft says.
        "change_summary": article.change_summary,
        "is_correction": article.is_correction,
    }
    write_article(article, content, topic=topic, author=author)
    workflow.record_edit(article, user=user)
    return ImportResult(article=article, created=existing is None)


def summary_lines(parsed: ParsedArticle) -> list[str]:
    """What the parser found, for the command's report and the admin preview."""
    lines = [
        f"title: {parsed.title}",
        f"short answer{' (proposed: please confirm)' if parsed.short_answer_is_proposed else ''}: "
        f"{parsed.short_answer}",
        f"sections ({len(parsed.sections)}): {'; '.join(parsed.sections) or 'none'}",
        f"lists: {parsed.numbered_lists} numbered, {parsed.bullet_lists} bulleted",
        f"tables: {len(parsed.tables)}",
        f"key takeaways: {len(parsed.key_takeaways)}",
        f"FAQs: {len(parsed.faqs)}",
        "references: no references section"
        if parsed.references is None
        else f"references: {len(parsed.references)}",
    ]
    lines += [f"warning: {warning}" for warning in parsed.warnings]
    return lines
