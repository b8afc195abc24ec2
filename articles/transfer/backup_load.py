"""Loading an export (backup.py describes the format) into a database that
holds none of its articles yet, in one transaction: a file that does not fit
changes nothing. Review state is restored as recorded (see backup.py for why).
Each article's history (draft revisions, review log, comments on its parts)
loads in backup_history.py.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import (
    Article,
    ArticleVersion,
    Person,
    PublicDetailChange,
    PublicState,
    RelatedPick,
    SitePage,
    SynonymGroup,
    Tag,
    Topic,
    add_months,
    content_fingerprint,
)
from articles.models.content_writer import with_newlines_normalised, write_parts
from articles.models.site_pages import DEFAULT_PAGES
from articles.publishing import refresh
from articles.text.rendering import render_markdown
from articles.transfer.backup import (
    ARTICLE_FIELDS,
    ARTICLE_UPDATE_NOTE,
    FORMAT_NAME,
    PERSON_PROFILE_FIELDS,
    READABLE_VERSIONS,
    VERSION_CHANGE_LOG,
    VERSION_DATES,
    VERSION_FIELDS,
    VERSION_TIMES,
    WEB_ADDRESS,
    LoadError,
    _lookup,
    _parse_date,
    _parse_time,
    _require_keys,
)
from articles.transfer.backup_history import load_history
from articles.transfer.backup_images import load_files, load_library, version_images


def load_data(data) -> dict[str, int]:
    """Load an export into this database; all or nothing. Returns what was created."""
    try:
        with transaction.atomic():
            counts = _load(data)
            # Loaded pages, policies and versions are new to visitors: indexes,
            # links and stored pages are rebuilt, and no cached page or
            # validator from before the load may stand.
            refresh.everything_changed()
            # The review log has new ids: partners' feed cursors must not
            # match it (articles/api/v1.py, "changes").
            PublicState.objects.update(history_epoch=secrets.token_hex(4))
            return counts
    except LoadError:
        raise
    except ValidationError as error:
        raise LoadError(
            f"The file holds invalid data: {'; '.join(error.messages)}"
        ) from error
    except (KeyError, TypeError, ValueError, AttributeError, IntegrityError) as error:
        raise LoadError(
            f"The file does not fit the export format ({type(error).__name__}: {error})."
        ) from error


def _load(data) -> dict[str, int]:
    _require_keys(
        data, ["format", "version", "topics", "people", "articles"], "The file"
    )
    if data["format"] != FORMAT_NAME:
        raise LoadError(
            f"This is not a {FORMAT_NAME} file (format is {data['format']!r})."
        )
    if data["version"] not in READABLE_VERSIONS:
        raise LoadError(
            f"Format version {data['version']!r} is not supported; this site reads "
            f"versions {', '.join(map(str, READABLE_VERSIONS))}."
        )
    User = get_user_model()
    users = {}

    def user(username, where):
        if username is None:
            return None
        if not isinstance(username, str) or not username:
            raise LoadError(f"{where}: {username!r} is not a username.")
        if username not in users:
            users[username], _ = User.objects.get_or_create(
                username=username, defaults={"is_active": False, "password": "!"}
            )
        return users[username]

    for record in data.get("users", []):
        _require_keys(record, ["username"], "A user")
        account = user(record["username"], "A user")
        if not account.email and record.get("email"):
            account.email = record["email"]
            account.first_name = record.get("first_name", "")
            account.last_name = record.get("last_name", "")
            account.save(update_fields=["email", "first_name", "last_name"])

    topics = {}
    for record in data["topics"]:
        _require_keys(record, ["slug", "name"], "A topic")
        topic, created = Topic.objects.get_or_create(
            slug=record["slug"],
            defaults={
                "name": record["name"],
                "description": record.get("description", ""),
            },
        )
        if created:
            topic.full_clean()
            _load_changes(topic, record.get("changes", []), user)
        topics[record["slug"]] = topic
    # Tags, synonyms, related picks and site pages are optional: earlier
    # exports lack them.
    tags = {}
    for record in data.get("tags", []):
        _require_keys(record, ["slug", "name"], "A tag")
        tag, created = Tag.objects.get_or_create(
            slug=record["slug"], defaults={"name": record["name"]}
        )
        if created:
            tag.full_clean()
        tags[tag.slug] = tag
    for phrases in data.get("synonym_groups", []):
        if not isinstance(phrases, str):
            raise LoadError(f"A synonym group must be text, not {phrases!r}.")
        group, created = SynonymGroup.objects.get_or_create(phrases=phrases)
        if created:
            group.full_clean()
    counts_site_pages = _load_site_pages(data.get("site_pages", []))
    # Pictures before articles: their texts name library images by key.
    image_files = load_files(data.get("image_files", {}))
    load_library(data.get("library_images", []), image_files, user=None)
    people = {}
    for record in data["people"]:
        _require_keys(record, ["slug", "name"], "A person")
        person, created = Person.objects.get_or_create(
            slug=record["slug"],
            defaults={
                "name": record["name"],
                "credentials": record.get("credentials", ""),
                **{field: record.get(field, "") for field in PERSON_PROFILE_FIELDS},
            },
        )
        if created:
            # Profiles are public (links, JSON-LD): the admin's rules apply.
            person.full_clean(exclude=["user"])
        if created:
            where = f"Person {record['slug']}"
            person.user = user(record.get("user"), where)
            person.credentials_verified_by = user(
                record.get("credentials_verified_by"), where
            )
            person.credentials_verified_at = _parse_time(
                record.get("credentials_verified_at"), where
            )
            if bool(person.credentials_verified_by) != bool(
                person.credentials_verified_at
            ):
                raise LoadError(f"{where}: a verification needs both who and when.")
            person.save(
                update_fields=[
                    "user",
                    "credentials_verified_by",
                    "credentials_verified_at",
                ]
            )
            _load_changes(person, record.get("changes", []), user)
        people[person.slug] = person

    counts = dict.fromkeys(
        ["articles", "versions", "events", "revisions", "comments"], 0
    )
    counts["site_pages"] = counts_site_pages
    picks = []  # (article, record, where): made once every article exists
    for record in data["articles"]:
        _require_keys(
            record,
            [*ARTICLE_FIELDS, "topic", "author", "faqs", "key_takeaways", "references"],
            "An article",
        )
        where = f"Article {record['slug']!r}"
        if Article.objects.filter(slug=record["slug"]).exists():
            raise LoadError(f"{where} already exists here; nothing was loaded.")
        # Text an approval or the live version covers loads exactly as recorded,
        # like the review state; other working copies get "\n" line breaks.
        if record["status"] not in (Article.Status.APPROVED, Article.Status.PUBLISHED):
            record = with_newlines_normalised(record)
        article = Article(
            **{name: record[name] for name in ARTICLE_FIELDS if name != "status"},
            **{
                name: record.get(name, default)
                for name, default in ARTICLE_UPDATE_NOTE.items()
            },
            topic=_lookup(topics, record["topic"], "topic", where),
            author=_lookup(people, record["author"], "person", where),
            medical_reviewer=_lookup(
                people, record.get("medical_reviewer"), "person", where
            ),
            approved_by=user(record.get("approved_by"), where),
            approved_at=_parse_time(record.get("approved_at"), where),
            first_published_at=_parse_time(record.get("first_published_at"), where),
            withdrawn_at=_parse_time(record.get("withdrawn_at"), where),
        )
        if record["status"] not in Article.Status.values:
            raise LoadError(f"{where}: unknown status {record['status']!r}.")
        article.full_clean(
            exclude=["medical_reviewer", "approved_by"], validate_constraints=False
        )
        article.save()
        article.tags.set(
            [_lookup(tags, slug, "tag", where) for slug in record.get("tags", [])]
        )
        picks.append((article, record.get("related_picks", []), where))
        write_parts(
            article,
            faqs=record["faqs"],
            key_takeaways=record["key_takeaways"],
            references=record["references"],
            as_it_was=True,
        )
        versions = {}
        for item in record.get("versions", []):
            version = ArticleVersion(
                article=article,
                **{
                    name: item[name]
                    for name in VERSION_FIELDS
                    if name != "contributor_ids"
                },
                **{
                    name: item.get(name, default)
                    for name, default in VERSION_CHANGE_LOG.items()
                },
                contributor_ids=[
                    user(name, where).pk for name in item.get("contributors", [])
                ],
                topic=_lookup(topics, item["topic"], "topic", where),
                author=_lookup(people, item["author"], "person", where),
                reviewer=_lookup(people, item["reviewer"], "person", where),
                review_interval_months=item.get(
                    "review_interval_months", article.review_interval_months
                ),
                approved_by=user(item["approved_by"], where),
                published_by=user(item["published_by"], where),
                **{name: _parse_time(item[name], where) for name in VERSION_TIMES},
                **{name: _parse_date(item[name], where) for name in VERSION_DATES},
            )
            # Never trust markup from a file: render it as publishing would, and
            # refuse a version whose words do not match their recorded fingerprint.
            version.images = version_images(item, image_files, where)
            shown = {image["key"]: image for image in version.images}
            version.body_html = render_markdown(version.body, images=shown)
            version.faqs = [
                {
                    "question": faq["question"],
                    "answer": faq["answer"],
                    "answer_html": render_markdown(
                        faq["answer"], cite_ids=f"faq-{number}-cite", images=shown
                    ),
                }
                for number, faq in enumerate(version.faqs, start=1)
            ]
            for reference in version.references:
                url = reference.get("url", "")
                if url:
                    try:
                        WEB_ADDRESS(url)
                    except ValidationError:
                        raise LoadError(
                            f"{where}, version {version.number}: reference URL "
                            f"{url!r} is not an http(s) web address."
                        ) from None
            if data["version"] == 1 and "review_interval_months" not in item:
                _upgrade_version_1(version)
            if content_fingerprint(version.content()) != version.content_hash:
                raise LoadError(
                    f"{where}, version {version.number}: the text does not match its "
                    "recorded fingerprint, so it may not be what a reviewer approved."
                )
            version.full_clean(exclude=["article"], validate_constraints=False)
            version.save()
            versions[version.number] = version
        history = load_history(
            article, record, versions=versions, user=user, where=where
        )
        # Review state last, once the version it points at exists; an update
        # keeps created_at/updated_at as recorded.
        Article.objects.filter(pk=article.pk).update(
            status=record["status"],
            live_version=_lookup(
                versions, record.get("live_version"), "version", where
            ),
            created_at=_parse_time(record.get("created_at"), where)
            or article.created_at,
        )
        counts["articles"] += 1
        counts["versions"] += len(versions)
        for kind, number in history.items():
            counts[kind] += number
    for article, items, where in picks:
        for item in items:
            _require_keys(item, ["position", "question"], f"{where}: a related pick")
            target = Article.objects.filter(slug=item["question"]).first()
            if target is None:
                raise LoadError(
                    f"{where}: unknown related question {item['question']!r}."
                )
            pick = RelatedPick(
                article=article, target=target, position=item["position"]
            )
            pick.full_clean()
            pick.save()
    return counts


def _upgrade_version_1(version: ArticleVersion) -> None:
    """A version from a version-1 file: take its review interval from its
    dates, and if its words match the old-shape fingerprint, give it the
    fingerprint of today's shape (which also covers the printed bylines)."""
    for months in range(1, 37):
        if add_months(version.last_reviewed_on, months) == version.next_review_due:
            version.review_interval_months = months
            break
    content = version.content()
    old_shape = {
        key: value
        for key, value in content.items()
        if key not in ("author_name", "author_credentials", "review_interval_months")
    }
    if content_fingerprint(old_shape) == version.content_hash:
        version.content_hash = content_fingerprint(content)


def _load_changes(obj, records, user) -> None:
    """The logged changes of a person or topic, as recorded."""
    where = f"{type(obj).__name__} {obj.slug}"
    for record in records:
        _require_keys(record, ["field", "old", "new", "by", "at"], f"{where}: a change")
        PublicDetailChange.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            field=record["field"],
            old_value=record["old"],
            new_value=record["new"],
            changed_by=user(record["by"], where),
            changed_at=_parse_time(record["at"], where),
        )


def _load_site_pages(records) -> int:
    """Create the site's pages the file has; replace one that exists only while
    it still holds the starting text (so a restore brings back the published
    policy, and a load never overwrites a page an administrator edited)."""
    starting_text = {slug: body for slug, _, body in DEFAULT_PAGES}
    loaded = 0
    for record in records:
        _require_keys(record, ["slug", "title", "body"], "A site page")
        page = SitePage.objects.filter(slug=record["slug"]).first()
        if page is not None and page.body != starting_text.get(page.slug):
            continue
        page = page or SitePage(slug=record["slug"])
        page.title, page.body = record["title"], record["body"]
        page.full_clean()
        page.save()
        loaded += 1
    return loaded
