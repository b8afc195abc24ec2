"""Export and load: a round trip through an empty database reproduces everything."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command

from articles.models import (
    Article,
    ArticleVersion,
    DraftRevision,
    LibraryImage,
    PartComment,
    Person,
    PublicDetailChange,
    PublicState,
    RelatedPick,
    ReviewEvent,
    SitePage,
    SynonymGroup,
    Tag,
    Topic,
)
from articles.models.site_pages import ensure_site_pages
from articles.publishing import refresh
from articles.review import bylines, comments, workflow
from articles.transfer import backup, backup_load
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    KeyTakeawayFactory,
    ReferenceFactory,
    make_published,
    make_reviewer,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_content(editor, reviewer):
    """Articles in every interesting state, all made through the workflow."""
    live = make_published(editor=editor, reviewer=reviewer, title="Is this one live?")
    FAQFactory(
        article=live, position=1, question="Does it have an FAQ?", answer="**Yes**."
    )
    KeyTakeawayFactory(article=live, position=1, text="It has a takeaway.")
    ReferenceFactory(article=live, position=1, url="https://www.nhs.uk/")
    # A reference in parts, and one from before references needed a link.
    ReferenceFactory(
        article=live,
        position=2,
        citation="",
        url="",
        kind="review",
        authors="Sullivan JE, Farrar HC.",
        title="Fever and antipyretic use in children",
        publisher="Pediatrics",
        year=2011,
        doi="10.1542/peds.2010-3852",
        pmid="21357332",
        accessed_on=datetime.date(2026, 11, 2),
    )
    ReferenceFactory(article=live, position=3, citation="Old leaflet, 2019.", url="")
    live.short_answer = "Pending words that are not public yet."
    live.save()
    workflow.record_edit(live, user=editor)  # published, with a pending draft

    withdrawn = make_published(editor=editor, reviewer=reviewer)
    withdrawn.author.job_title = "Health writer"
    withdrawn.author.profile_links = "https://www.example.org/writer\n"
    withdrawn.author.save()
    withdrawn.short_answer = "A corrected answer."
    withdrawn.save()
    workflow.record_edit(withdrawn, user=editor)
    workflow.submit_for_review(
        withdrawn, user=editor, change_summary="Corrected the answer", correction=True
    )
    workflow.approve_medical_review(withdrawn, user=reviewer)
    workflow.publish(
        withdrawn, user=editor
    )  # the public change log and a profile are kept too
    workflow.unpublish(withdrawn, user=editor, comment="Outdated advice")

    rereviewed = make_published(editor=editor, reviewer=reviewer)
    workflow.reconfirm_review(
        rereviewed, user=make_reviewer(), attested=True, comment="Still right"
    )

    # Tags, an editor's related pick and an edited site page come back too.
    live.tags.set([Tag.objects.create(slug="sleep", name="Sleep")])
    RelatedPick.objects.create(article=live, target=rereviewed, position=1)
    refresh.links_changed(live)  # as the article admin does on saving them
    policy = SitePage.objects.get(slug="editorial-policy")
    policy.body = "Our own edited policy: every answer is reviewed by a clinician."
    policy.save()

    sent_back = ArticleFactory()
    workflow.record_edit(sent_back, user=editor)
    workflow.submit_for_review(sent_back, user=editor)
    workflow.request_changes(sent_back, user=reviewer, comment="Add a source")

    # Comments on parts of the text: a resolved thread with a reply, an open one.
    thread = comments.add_comment(
        live, user=reviewer, part="short_answer", text="Say when to see a GP."
    )
    comments.reply(thread, user=editor, text="Added a sentence on that.")
    comments.resolve(thread, user=reviewer)
    comments.add_comment(sent_back, user=reviewer, part="body", text="Which source?")
    run_queued_tasks()  # the site as it settles once the worker relinked neighbours
    return [live, withdrawn, rereviewed, sent_back]


def wipe_everything():
    PartComment.objects.all().delete()
    PublicDetailChange.objects.all().delete()
    ReviewEvent.objects.all().delete()
    DraftRevision.objects.all().delete()
    Article.objects.update(live_version=None, status=Article.Status.DRAFT)
    # QuerySet.delete does not call ArticleVersion.delete(), the guard for editors.
    ArticleVersion.objects.all().delete()
    Article.objects.all().delete()
    Person.objects.all().delete()
    Topic.objects.all().delete()
    Tag.objects.all().delete()
    SynonymGroup.objects.all().delete()
    LibraryImage.objects.all().delete()
    get_user_model().objects.all().delete()
    # A new database: migrate creates the site pages with their starting text.
    SitePage.objects.all().delete()
    ensure_site_pages(SitePage)


def tampered_file(tmp_path, change) -> str:
    """Export, empty the database, apply `change` to the first live article's
    record, and write the file: a backup someone altered."""
    data = backup.export_data()
    wipe_everything()
    change(next(a for a in data["articles"] if a["live_version"]))
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def comparable(export):
    return {key: value for key, value in export.items() if key != "exported_at"}


def test_export_then_load_into_an_empty_database_reproduces_everything(
    varied_content, tmp_path, capsys
):
    before = backup.export_data()
    path = tmp_path / "export.json"
    call_command("export_articles", "--output", str(path))

    wipe_everything()
    assert Article.objects.count() == 0
    call_command("load_articles", str(path))

    after = backup.export_data()
    assert comparable(after) == comparable(before)
    assert "Corrected the answer" in json.dumps(after)
    assert "https://www.example.org/writer" in json.dumps(after)
    output = capsys.readouterr().out
    assert "Loaded 4 articles, 5 published versions" in output
    assert "and 2 site pages." in output
    assert "Our own edited policy" in json.dumps(after)
    assert after["tags"] == [{"slug": "sleep", "name": "Sleep"}]
    assert (
        "hypertension = high blood pressure = raised blood pressure"
        in (after["synonym_groups"])
    )


def public_site(client) -> dict[str, bytes]:
    """Every page a visitor can reach, by address, as the site serves it."""
    urls = ["/", "/feed/", "/sitemap.xml", "/about/editorial-policy/"]
    urls += [f"/questions/{v.slug}/" for v in ArticleVersion.objects.live()]
    urls += [f"/topics/{t.slug}/" for t in Topic.objects.all()]
    urls += [f"/people/{p.slug}/" for p in Person.objects.all()]
    urls += [loc for loc in sitemap_sections(client)]
    return {url: body(client.get(url)) for url in urls}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def sitemap_sections(client):
    index = client.get("/sitemap.xml").content.decode()
    return [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", index)
    ]


def test_backup_drill_export_wipe_load_brings_back_the_whole_public_site(
    client, varied_content, tmp_path
):
    """The drill in the README: export, an empty database, load. Every public
    page (articles with their related links, topics, profiles, the site's own
    pages, feed and sitemaps) comes back byte for byte."""
    before = public_site(client)
    assert any(b"Our own edited policy" in page for page in before.values())
    path = tmp_path / "backup.json"
    call_command("export_articles", "-o", str(path))
    wipe_everything()
    assert ArticleVersion.objects.count() == 0
    generation = PublicState.objects.get().generation
    call_command("load_articles", str(path))
    assert PublicState.objects.get().generation > generation  # caches move on
    cache.clear()  # so "after" is rendered from the restored database alone
    after = public_site(client)
    assert after.keys() == before.keys()
    for url, page in before.items():
        assert after[url] == page, url


def test_round_trip_keeps_what_visitors_see_and_what_reviewers_decided(
    client, varied_content, tmp_path
):
    live = varied_content[0]
    page_before = client.get(live.live_version.get_absolute_url()).content
    path = tmp_path / "export.json"
    call_command("export_articles", "-o", str(path))
    wipe_everything()
    call_command("load_articles", str(path))

    restored = Article.objects.get(slug=live.slug)
    assert restored.status == Article.Status.DRAFT
    assert restored.short_answer == "Pending words that are not public yet."
    assert restored.live_version.short_answer != restored.short_answer
    assert client.get(restored.live_version.get_absolute_url()).content == page_before
    assert (
        restored.events.filter(action="publish").get().version == restored.live_version
    )
    assert Article.objects.get(slug=varied_content[1].slug).live_version is None
    assert (
        restored.approval_hash()
        == DraftRevision.objects.filter(article=restored).first().content_hash
    )
    loaded_editor = get_user_model().objects.get(username="editor")
    assert loaded_editor.is_active is False and not loaded_editor.has_usable_password()


def test_load_into_a_database_holding_the_same_article_changes_nothing(
    varied_content, tmp_path
):
    path = tmp_path / "export.json"
    call_command("export_articles", "-o", str(path))
    counts = (
        Article.objects.count(),
        ArticleVersion.objects.count(),
        ReviewEvent.objects.count(),
    )
    with pytest.raises(CommandError, match="already exists here; nothing was loaded"):
        call_command("load_articles", str(path))
    assert counts == (
        Article.objects.count(),
        ArticleVersion.objects.count(),
        ReviewEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
        (b"{ not json", "is not valid JSON"),
        (
            b'{"format": "something-else", "version": 1, "topics": [], "people": [], "articles": []}',
            "is not a health-answers-export file",
        ),
        (
            b'{"format": "health-answers-export", "version": 99, "topics": [], "people": [], "articles": []}',
            "Format version 99 is not supported",
        ),
        (
            b'{"format": "health-answers-export", "version": 1}',
            "lacks topics, people, articles",
        ),
        (b"[1, 2, 3]", "The file must be an object"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_loads_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_articles", str(path))
    assert Topic.objects.count() == 0


def test_a_file_broken_half_way_loads_nothing(varied_content, tmp_path):
    data = backup.export_data()
    wipe_everything()
    data["articles"][-1]["topic"] = "no-such-topic"
    path = tmp_path / "half.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown topic 'no-such-topic'"):
        call_command("load_articles", str(path))
    assert (Article.objects.count(), Topic.objects.count(), Person.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    "group, message",
    [(["shingles"], "at least two"), ([3], "must be text")],
)
def test_a_bad_synonym_group_in_a_file_loads_nothing(
    varied_content, tmp_path, group, message
):
    data = backup.export_data()
    wipe_everything()
    data["synonym_groups"] += group
    path = tmp_path / "synonyms.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_articles", str(path))
    assert (Article.objects.count(), SynonymGroup.objects.count()) == (0, 0)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_articles", str(tmp_path / "absent.json"))


def test_markup_in_a_file_is_never_trusted(client, varied_content, tmp_path):
    altered = {}

    def add_markup(live):
        version = live["versions"][-1]
        version["body_html"] = "<script>alert(1)</script>"
        for faq in version["faqs"]:
            faq["answer_html"] = "<img src=x onerror=alert(1)>"
        altered["slug"] = version["slug"]

    call_command("load_articles", tampered_file(tmp_path, add_markup))
    response = client.get(f"/questions/{altered['slug']}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "onerror" not in html


def test_a_version_whose_text_does_not_match_its_fingerprint_is_refused(
    varied_content, tmp_path
):
    def rewrite(live):
        live["versions"][-1]["body"] = "## Words no reviewer saw\n"

    with pytest.raises(CommandError, match="does not match its recorded fingerprint"):
        call_command("load_articles", tampered_file(tmp_path, rewrite))
    assert Article.objects.count() == 0


def test_a_published_status_without_a_live_version_is_refused(varied_content, tmp_path):
    def unlink(live):
        live["live_version"] = None
        live["status"] = "published"

    with pytest.raises(CommandError, match="does not fit the export format"):
        call_command("load_articles", tampered_file(tmp_path, unlink))
    assert Article.objects.count() == 0


def test_a_non_web_reference_url_in_a_file_is_refused(varied_content, tmp_path):
    def add_script_url(live):
        live["versions"][-1]["references"] = [
            {"citation": "Evil", "url": "javascript:alert(1)"}
        ]

    with pytest.raises(CommandError, match="is not an http\\(s\\) web address"):
        call_command("load_articles", tampered_file(tmp_path, add_script_url))
    assert Article.objects.count() == 0


def test_a_load_never_overwrites_a_site_page_an_administrator_edited(
    varied_content,
):
    data = backup.export_data()  # holds "Our own edited policy"
    wipe_everything()
    page = SitePage.objects.get(slug="editorial-policy")
    page.body = "Edited here after the backup was made."
    page.save()
    counts = backup_load.load_data(data)
    assert SitePage.objects.get(slug="editorial-policy").body == (
        "Edited here after the backup was made."
    )
    assert counts["site_pages"] == 1  # only how-we-review, still at its start text


def test_verified_credentials_and_the_change_logs_survive_a_round_trip(
    varied_content, tmp_path, admin_user
):
    person = Person.objects.filter(user__isnull=False).first()
    before = bylines.snapshot(person, bylines.PERSON_PUBLIC_FIELDS)
    person.bio = "A new biography."
    person.save()
    bylines.record_changes(person, user=admin_user, before=before)
    bylines.verify_credentials(person, user=admin_user)
    exported = backup.export_data()
    path = tmp_path / "export.json"
    call_command("export_articles", "-o", str(path))

    wipe_everything()
    call_command("load_articles", str(path))

    restored = Person.objects.get(slug=person.slug)
    assert restored.credentials_verified_by.username == admin_user.username
    assert [c.field for c in bylines.changes_of(restored).order_by("id")] == [
        "bio",
        "credentials verified",
    ]
    after = backup.export_data()
    assert after["people"] == exported["people"]
    assert after["topics"] == exported["topics"]


AT = datetime.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def test_comments_come_back_with_their_threads_authors_times_and_resolution(
    varied_content, reviewer, editor, tmp_path
):
    live = varied_content[0]
    thread = PartComment.objects.get(article=live, reply_to=None)
    answer = thread.replies.get()
    PartComment.objects.filter(pk=thread.pk).update(
        created_at=AT, resolved_at=AT + datetime.timedelta(days=2)
    )
    PartComment.objects.filter(pk=answer.pk).update(
        created_at=AT + datetime.timedelta(hours=1)
    )
    content_hash = thread.content_hash
    path = tmp_path / "export.json"
    call_command("export_articles", "-o", str(path))
    wipe_everything()
    assert PartComment.objects.count() == 0

    counts = backup_load.load_data(json.loads(path.read_text(encoding="utf-8")))

    assert counts["comments"] == 3
    restored = Article.objects.get(slug=live.slug)
    [thread] = comments.threads(restored, open_only=False)
    assert (thread.part, thread.part_label, thread.text) == (
        "short_answer",
        "Short answer",
        "Say when to see a GP.",
    )
    assert thread.quote == "Pending words that are not public yet."
    assert thread.content_hash == content_hash != ""
    assert (thread.author.username, thread.created_at) == (reviewer.username, AT)
    assert thread.resolved_by.username == reviewer.username
    assert thread.resolved_at == AT + datetime.timedelta(days=2)
    [answer] = thread.replies.all()
    assert (answer.author.username, answer.text) == (
        editor.username,
        "Added a sentence on that.",
    )
    assert answer.created_at == AT + datetime.timedelta(hours=1)
    assert (answer.part, answer.resolved_at, answer.resolved_by) == (
        "short_answer",
        None,
        None,
    )
    still_open = PartComment.objects.get(article__slug=varied_content[3].slug)
    assert (still_open.text, still_open.is_open) == ("Which source?", True)
    assert still_open.author.is_active is False  # accounts come back inactive


def test_a_backup_from_before_comments_were_exported_still_loads(varied_content):
    data = backup.export_data()
    wipe_everything()
    removed = [record.pop("comments") for record in data["articles"]]
    assert sum(len(items) for items in removed) == 3

    counts = backup_load.load_data(data)

    assert (counts["articles"], counts["comments"]) == (4, 0)
    assert Article.objects.count() == 4
    assert PartComment.objects.count() == 0


def _comment_author_missing(comments):
    comments[0]["author"] = None


def _comment_author_not_a_username(comments):
    comments[1]["author"] = 42


def _comment_text_missing(comments):
    del comments[0]["text"]


def _comment_text_blank(comments):
    comments[1]["text"] = "  \n"


def _reply_to_nowhere(comments):
    comments[1]["reply_to"] = 99


def _reply_to_a_reply(comments):
    comments.append({**comments[1], "number": 3, "reply_to": 2})


def _resolved_without_who(comments):
    comments[0]["resolved_by"] = None


def _created_at_not_a_time(comments):
    comments[1]["created_at"] = "yesterday"


@pytest.mark.parametrize(
    "change, message",
    [
        (_comment_author_missing, "comment 1 has no author"),
        (_comment_author_not_a_username, "comment 2: 42 is not a username"),
        (_comment_text_missing, "a comment lacks text"),
        (_comment_text_blank, "comment 2 has no text"),
        (
            _reply_to_nowhere,
            "comment 2 replies to comment 99, which is not an earlier comment",
        ),
        (_reply_to_a_reply, "comment 3 replies to comment 2, which is itself a reply"),
        (_resolved_without_who, "comment 1: a resolution needs both who and when"),
        (_created_at_not_a_time, "comment 2: 'yesterday' is not a date and time"),
    ],
)
def test_a_malformed_comment_is_refused_with_a_clear_message_and_loads_nothing(
    varied_content, tmp_path, change, message
):
    slug = varied_content[0].slug

    def alter(live):
        assert live["slug"] == slug and len(live["comments"]) == 2
        change(live["comments"])

    path = tampered_file(tmp_path, alter)
    with pytest.raises(CommandError, match=re.escape(f"Article {slug!r}")) as refused:
        call_command("load_articles", path)
    assert message in str(refused.value)
    assert "Nothing was loaded." in str(refused.value)
    assert (
        Article.objects.count(),
        PartComment.objects.count(),
        get_user_model().objects.count(),
    ) == (0, 0, 0)
