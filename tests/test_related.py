"""Related questions: computed at publish time, public targets only."""

import re
from html import unescape

import pytest
from django.core.management import call_command

from articles.models import Article, RelatedLink, RelatedPick, Tag
from articles.publishing import refresh, related
from articles.review import workflow
from tests.factories import (
    ArticleFactory,
    FAQFactory,
    TopicFactory,
    make_published,
    update_summary,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def related_titles(client, article):
    html = client.get(
        Article.objects.get(pk=article.pk).live_version.get_absolute_url()
    )
    html = html.content.decode()
    if 'class="related"' not in html:
        return []
    section = html[html.index('class="related"') :]
    section = section[: section.index("</section>")]
    return [
        unescape(title) for title in re.findall(r'<a href="[^"]+">([^<]+)</a>', section)
    ]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return list(Article.objects.public())


def test_every_demo_article_shows_public_related_questions_without_padding(
    client, demo
):
    public_titles = {a.live_version.title for a in Article.objects.public()}
    shown = {}
    for article in demo:
        titles = related_titles(client, article)
        shown[article.slug] = titles
        assert 1 <= len(titles) <= related.MAX_LINKS, article.slug
        assert set(titles) <= public_titles
        assert article.live_version.title not in titles
    # Fewer rather than padded: no page lists every other article.
    assert max(len(titles) for titles in shown.values()) < len(demo) - 1


def test_withdrawing_an_article_removes_every_link_to_it_at_once(client, demo, editor):
    withdrawn = demo[0]
    title = withdrawn.live_version.title
    assert any(title in related_titles(client, a) for a in demo[1:])
    workflow.unpublish(withdrawn, user=editor, comment="Withdrawn for a test.")
    assert RelatedLink.objects.filter(target=withdrawn).count() == 0
    for article in demo[1:]:
        titles = related_titles(client, article)
        assert title not in titles


def test_same_topic_and_shared_words_link_and_an_unrelated_question_does_not(
    editor, reviewer
):
    sleep, heart = TopicFactory(name="Sleep"), TopicFactory(name="Heart")
    subject = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=sleep,
        title="How much sleep do babies need?",
    )
    close = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=sleep,
        title="How much sleep do toddlers need?",
    )
    far = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=heart,
        title="Is coffee bad for the heart?",
    )
    refresh.links_changed(subject)
    targets = list(
        RelatedLink.objects.filter(article=subject, kind="computed").values_list(
            "target", flat=True
        )
    )
    assert close.pk in targets
    assert far.pk not in targets


def test_a_shared_tag_lets_alike_texts_link_across_topics(
    editor, reviewer, monkeypatch
):
    # Equally alike questions in three topics, with a floor that any shared
    # word clears and no texts can clear alone: only the tag tells them apart.
    monkeypatch.setattr(related, "SIMILAR", 0.01)
    monkeypatch.setattr(related, "VERY_SIMILAR", 1.01)
    tag = Tag.objects.create(name="Medicines", slug="medicines")
    subject = make_published(
        editor=editor, reviewer=reviewer, title="Is ibuprofen safe?"
    )
    subject.tags.add(tag)
    tagged = make_published(editor=editor, reviewer=reviewer, title="Is aspirin safe?")
    tagged.tags.add(tag)
    other = make_published(editor=editor, reviewer=reviewer, title="Is eczema safe?")
    refresh.links_changed(subject)
    targets = list(
        RelatedLink.objects.filter(article=subject).values_list("target", flat=True)
    )
    assert targets == [tagged.pk]
    assert other.pk not in targets


def test_the_floor_needs_a_shared_topic_or_tag_unless_the_texts_are_very_alike():
    def candidate(pk, topic_id, tag_ids=()):
        return related.Candidate(
            pk=pk,
            topic_id=topic_id,
            tag_ids=frozenset(tag_ids),
            terms={},
            title_words=frozenset(),
            published_at=None,
        )

    me = candidate(1, topic_id=1, tag_ids={7})
    same_topic, same_tag, stranger = (
        candidate(2, 1),
        candidate(3, 2, {7}),
        candidate(4, 3),
    )
    alike, very_alike = related.SIMILAR, related.VERY_SIMILAR
    assert related.is_related(me, same_topic, alike)
    assert related.is_related(me, same_tag, alike)
    assert not related.is_related(me, stranger, alike)
    assert related.is_related(me, stranger, very_alike)
    assert not related.is_related(me, same_topic, alike - 0.01)


def test_the_same_topic_is_considered_however_many_newer_articles_share_a_tag(
    editor, reviewer, monkeypatch
):
    monkeypatch.setattr(related, "CANDIDATE_LIMIT", 2)
    sleep, heart = TopicFactory(name="Sleep"), TopicFactory(name="Heart")
    tag = Tag.objects.create(name="Children", slug="children")
    close = make_published(
        editor=editor, reviewer=reviewer, topic=sleep, title="Do toddlers nap?"
    )
    for n in range(3):  # newer, sharing the subject's tag, in another topic
        newer = make_published(
            editor=editor, reviewer=reviewer, topic=heart, title=f"Is heart {n} ok?"
        )
        newer.tags.add(tag)
    subject = make_published(
        editor=editor, reviewer=reviewer, topic=sleep, title="Do babies nap?"
    )
    subject.tags.add(tag)

    refresh.links_changed(subject)

    targets = list(
        RelatedLink.objects.filter(article=subject, kind="computed").values_list(
            "target", flat=True
        )
    )
    assert targets[0] == close.pk


def test_editor_picks_come_first_and_only_while_public(client, editor, reviewer):
    subject = make_published(editor=editor, reviewer=reviewer, title="Is tea healthy?")
    for n in range(3):
        make_published(editor=editor, reviewer=reviewer, title=f"Is drink {n} healthy?")
    chosen = make_published(
        editor=editor, reviewer=reviewer, title="Is green tea better?"
    )
    draft = ArticleFactory(title="Is this draft ever linked?")
    RelatedPick.objects.create(article=subject, target=draft, position=1)
    RelatedPick.objects.create(article=subject, target=chosen, position=2)
    refresh.links_changed(subject)

    titles = related_titles(client, subject)
    assert titles[0] == "Is green tea better?"
    assert "Is this draft ever linked?" not in titles
    assert RelatedLink.objects.filter(target=draft).count() == 0


def test_an_faq_answered_by_another_article_links_to_it(client, editor, reviewer):
    answer = make_published(
        editor=editor, reviewer=reviewer, title="Can children take ibuprofen?"
    )
    subject = ArticleFactory(title="Which painkillers are safe?")
    FAQFactory(article=subject, position=1, question="Can children take ibuprofen?")
    FAQFactory(article=subject, position=2, question="Is it safe in pregnancy?")
    make_published(subject, editor=editor, reviewer=reviewer)

    html = client.get(
        Article.objects.get(pk=subject.pk).live_version.get_absolute_url()
    )
    html = html.content.decode()
    faq_1 = html[html.index('id="faq-1"') : html.index('id="faq-2"')]
    assert (
        f'<a href="{answer.live_version.get_absolute_url()}">Read the full answer'
        in faq_1
    )
    assert (
        "Read the full answer"
        not in html[html.index('id="faq-2"') :].split("</div>")[1]
    )


def test_people_also_ask_links_to_faq_anchors_of_related_articles(
    client, editor, reviewer
):
    exercise = TopicFactory(name="Exercise")
    other = ArticleFactory(title="Is walking good exercise?", topic=exercise)
    FAQFactory(article=other, position=1, question="How far should I walk each day?")
    make_published(other, editor=editor, reviewer=reviewer)
    subject = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=exercise,
        title="Is running good exercise?",
    )
    html = client.get(
        Article.objects.get(pk=subject.pk).live_version.get_absolute_url()
    )
    section = html.content.decode().split('id="also-ask-heading"')[1]
    url = Article.objects.get(pk=other.pk).live_version.get_absolute_url()
    assert f'<a href="{url}#faq-1">How far should I walk each day?</a>' in section


def test_an_edit_to_a_published_article_does_not_change_the_links_shown(
    client, editor, reviewer
):
    subject = make_published(
        editor=editor, reviewer=reviewer, title="Is salt bad for you?"
    )
    make_published(editor=editor, reviewer=reviewer, title="Is sugar bad for you?")
    subject.refresh_from_db()
    refresh.links_changed(subject)
    neighbour = Article.objects.get(title="Is sugar bad for you?")
    before = related_titles(client, neighbour)
    subject.title = "Is this unreviewed title shown anywhere?"
    subject.save()
    workflow.record_edit(subject, user=editor)
    assert related_titles(client, neighbour) == before
    assert "Is this unreviewed title shown anywhere?" not in before


def test_faqs_never_link_to_an_article_about_something_else(client, editor, reviewer):
    make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is it safe to take paracetamol during pregnancy?",
    )
    subject = ArticleFactory(title="Which painkillers can I take?")
    FAQFactory(
        article=subject,
        position=1,
        question="Is it safe to take ibuprofen during pregnancy?",
        answer="No, avoid it.",
    )
    make_published(subject, editor=editor, reviewer=reviewer)
    assert RelatedLink.objects.filter(article=subject, kind="faq").count() == 0


def test_a_picked_article_shows_again_when_it_is_published_again(
    client, editor, reviewer
):
    subject = make_published(editor=editor, reviewer=reviewer, title="Is rice healthy?")
    picked = make_published(editor=editor, reviewer=reviewer, title="Is pasta healthy?")
    RelatedPick.objects.create(article=subject, target=picked, position=1)
    refresh.links_changed(subject)
    workflow.unpublish(picked, user=editor, comment="Withdrawn for a test.")
    assert "Is pasta healthy?" not in related_titles(client, subject)

    picked.refresh_from_db()
    picked.short_answer = "Yes, in moderation."
    picked.save()
    workflow.record_edit(picked, user=editor)
    workflow.submit_for_review(
        picked, user=editor, change_summary=update_summary(picked)
    )
    workflow.approve_medical_review(picked, user=reviewer)
    workflow.publish(picked, user=editor)
    assert "Is pasta healthy?" not in related_titles(client, subject)
    run_queued_tasks()  # the worker's part: the articles that pick it
    assert related_titles(client, subject)[0] == "Is pasta healthy?"


def test_a_draft_picked_in_advance_shows_once_published(client, editor, reviewer):
    subject = make_published(
        editor=editor, reviewer=reviewer, title="Is bread healthy?"
    )
    upcoming = ArticleFactory(title="Is rye bread healthier?")
    RelatedPick.objects.create(article=subject, target=upcoming, position=1)
    make_published(upcoming, editor=editor, reviewer=reviewer)
    run_queued_tasks()
    assert related_titles(client, subject)[0] == "Is rye bread healthier?"
