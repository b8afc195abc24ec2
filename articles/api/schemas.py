"""What the partner API returns, as typed shapes (django-ninja Schemas, which
make the OpenAPI description), and the one place that turns a live version
into them: exactly the approved text, never the working copy."""

import datetime

from ninja import Schema

from articles.models import ArticleVersion, Person, Topic
from articles.text.figures import file_url


class TopicOut(Schema):
    slug: str
    name: str
    description: str
    url: str


class PersonOut(Schema):
    slug: str
    name: str
    credentials: str
    job_title: str
    specialty: str
    url: str


class Byline(Schema):
    """A byline as the approved version prints it (name and credentials are
    pinned when it is published), with the person's public profile."""

    name: str
    credentials: str
    profile_url: str


class FAQOut(Schema):
    question: str
    answer_markdown: str
    answer_html: str


class ReferenceOut(Schema):
    """A structured reference (articles/text/references.py); an older one
    holds only the citation as written."""

    kind: str = ""
    authors: str = ""
    title: str = ""
    publisher: str = ""
    year: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    accessed_on: str = ""
    citation: str = ""


class ImageFile(Schema):
    url: str
    width: int
    format: str  # "WEBP", "JPEG" or "PNG"


class ImageOut(Schema):
    """A library picture the text shows, as approved; its files never change."""

    key: str
    alt_text: str
    caption: str
    credit: str
    licence: str
    width: int
    height: int
    files: list[ImageFile]


class ChangeLogEntry(Schema):
    version: int
    kind: str  # "publication", or "rereview" (periodic review, text unchanged)
    published_at: datetime.datetime
    last_reviewed_on: datetime.date
    summary: str
    is_correction: bool


class ArticleSummary(Schema):
    id: int
    slug: str
    title: str
    short_answer: str
    topic: str
    updated_at: datetime.datetime
    url: str
    api_url: str


class ArticleOut(ArticleSummary):
    version: int
    content_hash: str
    body_markdown: str
    body_html: str
    key_takeaways: list[str]
    faqs: list[FAQOut]
    references: list[ReferenceOut]
    images: list[ImageOut]
    author: Byline
    medical_reviewer: Byline
    first_published_at: datetime.datetime
    published_at: datetime.datetime
    last_reviewed_on: datetime.date
    next_review_due: datetime.date
    change_log: list[ChangeLogEntry]


class Page(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class ArticlePage(Page):
    results: list[ArticleSummary]


class SearchResultOut(Schema):
    slug: str
    title: str
    url: str
    api_url: str
    snippet_html: str


class SearchOut(Page):
    query: str
    message: str
    results: list[SearchResultOut]


class Change(Schema):
    """One change partners act on: "published" (new or updated text) or
    "reviewed" (a periodic review: dates and reviewer): fetch it again;
    "withdrawn": remove it. Poll again with after=`cursor` of the last one."""

    id: int
    cursor: str
    action: str
    article_id: int
    slug: str
    at: datetime.datetime
    api_url: str | None


class ChangeFeed(Schema):
    since: datetime.datetime | None
    results: list[Change]
    next: str | None


class Problem(Schema):
    detail: str


def _absolute(origin: str, path: str) -> str:
    return origin + path


def topic_out(topic: Topic, origin: str) -> dict:
    return {
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "url": _absolute(origin, topic.get_absolute_url()),
    }


def person_out(person: Person, origin: str) -> dict:
    return {
        "slug": person.slug,
        "name": person.name,
        "credentials": person.credentials,
        "job_title": person.job_title,
        "specialty": person.specialty,
        "url": _absolute(origin, person.get_absolute_url()),
    }


def summary_out(version: ArticleVersion, origin: str, api_url: str) -> dict:
    return {
        "id": version.article_id,
        "slug": version.slug,
        "title": version.title,
        "short_answer": version.short_answer,
        "topic": version.topic.slug,
        "updated_at": version.content_updated_at,
        "url": _absolute(origin, version.get_absolute_url()),
        "api_url": api_url,
    }


def article_out(version: ArticleVersion, origin: str, api_url: str) -> dict:
    history = ArticleVersion.objects.filter(
        article_id=version.article_id, number__lte=version.number
    ).order_by("-number")
    return summary_out(version, origin, api_url) | {
        "version": version.number,
        "content_hash": version.content_hash,
        "body_markdown": version.body,
        "body_html": version.body_html,
        "key_takeaways": list(version.key_takeaways),
        "faqs": [
            {
                "question": faq["question"],
                "answer_markdown": faq["answer"],
                "answer_html": faq["answer_html"],
            }
            for faq in version.faqs
        ],
        "references": [
            {key: str(value) for key, value in reference.items() if value is not None}
            for reference in version.references
        ],
        "images": [
            {
                **{
                    name: image.get(name, "")
                    for name in ("key", "alt_text", "caption", "credit", "licence")
                },
                "width": image["width"],
                "height": image["height"],
                "files": [
                    {"url": origin + file_url(name), "width": width, "format": kind}
                    for name, width, kind in image["files"]
                ],
            }
            for image in version.images
        ],
        "author": {
            "name": version.author_name,
            "credentials": version.author_credentials,
            "profile_url": _absolute(origin, version.author.get_absolute_url()),
        },
        "medical_reviewer": {
            "name": version.reviewer_name,
            "credentials": version.reviewer_credentials,
            "profile_url": _absolute(origin, version.reviewer.get_absolute_url()),
        },
        "first_published_at": version.first_published_at,
        "published_at": version.published_at,
        "last_reviewed_on": version.last_reviewed_on,
        "next_review_due": version.next_review_due,
        "change_log": [
            {
                "version": entry.number,
                "kind": entry.kind,
                "published_at": entry.published_at,
                "last_reviewed_on": entry.last_reviewed_on,
                "summary": entry.change_summary,
                "is_correction": entry.is_correction,
            }
            for entry in history
        ],
    }
