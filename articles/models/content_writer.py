"""Writing an article's content back into its rows: the one writer behind
restoring an earlier draft, importing plain text and loading a backup.

Content has the shape of Article.content() (and of DraftRevision.content):
faqs as {question, answer}, key takeaways as text, references as
Reference.as_content() stores them. Every row is validated as the admin would validate it.
write_article() stores line breaks as "\\n" (articles/text/newlines.py); a
backup load decides for itself (articles/transfer/backup_load.py).
"""

from articles.models.articles import Article
from articles.models.parts import FAQ, KeyTakeaway, Reference
from articles.text.newlines import normalise_newlines

TEXT_FIELDS = ["title", "short_answer", "body", "slug"]
UPDATE_NOTE = {"change_summary": "", "is_correction": False}
PARTS = ["faqs", "key_takeaways", "references"]


def with_newlines_normalised(content: dict) -> dict:
    """`content` with "\\n" line breaks in its text and in its parts' text;
    every other key (such as a backup's versions) is left as it is."""

    def normalised(value):
        if isinstance(value, str):
            return normalise_newlines(value)
        if isinstance(value, dict):
            return {key: normalised(item) for key, item in value.items()}
        if isinstance(value, list):
            return [normalised(item) for item in value]
        return value

    names = [*TEXT_FIELDS, "change_summary", *PARTS]
    return {
        key: normalised(value) if key in names else value
        for key, value in content.items()
    }


def write_article(
    article: Article, content: dict, *, topic, author, as_it_was: bool = False
) -> Article:
    """Set the article's text, address, topic and author byline from `content`,
    validate and save it, then replace its FAQs, takeaways and references
    (`as_it_was`: a restored draft keeps references from before they needed
    a link, see write_parts)."""
    content = with_newlines_normalised(content)
    for name in TEXT_FIELDS:
        if name in content:
            setattr(article, name, content[name])
    article.topic, article.author = topic, author
    article.review_interval_months = content.get(
        "review_interval_months", article.review_interval_months
    )
    for name, default in UPDATE_NOTE.items():
        setattr(article, name, content.get(name, default))
    article.full_clean(validate_constraints=False)
    article.save()
    write_parts(
        article,
        faqs=content.get("faqs", []),
        key_takeaways=content.get("key_takeaways", []),
        references=content.get("references", []),  # None keeps them
        as_it_was=as_it_was,
    )
    return article


def write_parts(
    article: Article,
    *,
    faqs=None,
    key_takeaways=None,
    references=None,
    as_it_was: bool = False,
):
    """Replace the given parts, in order (None keeps that part as it is). A row
    may carry its own "position" (a backup keeps the positions it had);
    `as_it_was` (a backup, a restored draft) keeps references from before
    they needed a link."""
    parts = [
        (FAQ, "faqs", faqs),
        (KeyTakeaway, "key_takeaways", key_takeaways),
        (Reference, "references", references),
    ]
    for model, name, rows in parts:
        if rows is None:
            continue
        getattr(article, name).all().delete()
        for number, row in enumerate(rows, start=1):
            fields = {"text": row} if isinstance(row, str) else dict(row)
            fields.setdefault("position", number)
            part = model(article=article, **fields)
            part.loaded_as_it_was = as_it_was
            part.full_clean(exclude=["article"])
            part.save()
