"""Related questions are truly related: the hand-marked pairs of
tests/data/related_pairs.txt, over the demo site and generated content.

Every link shown on a page the file names must be labelled there, so a change
to the ranking cannot hide a wrong link by showing one nobody has judged.
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles.models import ArticleVersion, RelatedLink, SynonymGroup
from articles.publishing import refresh
from articles.text import relevance
from bench.generate import generate
from tests.factories import TopicFactory, make_published
from tests.tasks import run_queued_tasks

PAIRS = Path(__file__).parent / "data" / "related_pairs.txt"
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.6  # reported in the issue note; a fall below this is a regression


def labelled_pairs(section: str) -> dict[tuple[str, str], bool]:
    """{(page question, linked question): related?} of one section."""
    pairs, current = {}, None
    for line in PAIRS.read_text().splitlines():
        if line.startswith("# Demo site"):
            current = "demo"
        elif line.startswith("# Generated content"):
            current = "generated"
        elif line.strip() and not line.startswith("#") and current == section:
            label, page, linked = (part.strip() for part in line.split("|"))
            assert label in ("related", "unrelated"), line
            pairs[(page, linked)] = label == "related"
    return pairs


def shown_links() -> dict[str, set[str]]:
    """Every page's related questions as visitors see them: picked and
    computed links (FAQ links are a separate, strict rule)."""
    shown = {}
    for page, linked in RelatedLink.objects.exclude(kind="faq").values_list(
        "article__live_version__title", "target__live_version__title"
    ):
        shown.setdefault(page, set()).add(linked)
    return shown


def score(pairs: dict, shown: dict, titles: set[str]) -> tuple[float, float]:
    missing = {title for pair in pairs for title in pair} - titles
    assert not missing, f"no live article asks {sorted(missing)}"
    pages = {page for page, _ in pairs}
    unlabelled = [
        (page, linked)
        for page in pages
        for linked in shown.get(page, ())
        if (page, linked) not in pairs
    ]
    assert not unlabelled, f"label these shown links in {PAIRS.name}: {unlabelled}"
    shown_pairs = [pair for pair in pairs if pair[1] in shown.get(pair[0], ())]
    right = sum(pairs[pair] for pair in shown_pairs)
    should = [pair for pair, related in pairs.items() if related]
    found = sum(pair[1] in shown.get(pair[0], ()) for pair in should)
    return right / len(shown_pairs), found / len(should)


@pytest.mark.django_db
def test_the_demo_site_shows_only_related_questions(settings, capsys):
    settings.DEBUG = True  # load_demo refuses to run on a production site
    call_command("load_demo", stdout=open("/dev/null", "w"))
    pairs = labelled_pairs("demo")
    shown = shown_links()
    titles = {title for page in shown for title in shown[page]} | set(shown)
    titles |= set(ArticleVersion.objects.live().values_list("title", flat=True))
    precision, recall = score(pairs, shown, titles)
    with capsys.disabled():
        print(
            f"\nrelated questions, demo: precision {precision:.2f}, recall {recall:.2f}"
        )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    # The complaint that started this: the fever page listed blood pressure.
    fever = shown.get("When should I worry about my child's fever?", set())
    assert not any("blood pressure" in title for title in fever)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_generated_content_shows_only_related_questions(capsys):
    generate(400, seed=7, workflow_count=0, say=lambda message: None)
    titles = set(ArticleVersion.objects.live().values_list("title", flat=True))
    precision, recall = score(labelled_pairs("generated"), shown_links(), titles)
    with capsys.disabled():
        print(
            f"\nrelated questions, generated: precision {precision:.2f}, "
            f"recall {recall:.2f}"
        )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_synonyms_make_plain_and_medical_words_one_term():
    phrases = relevance.parse_synonyms(["hypertension = high blood pressure"])
    plain = relevance.profile(
        title="Is 150/95 high blood pressure?",
        short_answer="",
        faq_questions=[],
        body="",
        phrases=phrases,
    )
    medical = relevance.profile(
        title="How is hypertension treated?",
        short_answer="",
        faq_questions=[],
        body="",
        phrases=phrases,
    )
    assert set(plain) & set(medical) == {"~hypertens"}
    without = relevance.profile(
        title="Is 150/95 high blood pressure?",
        short_answer="",
        faq_questions=[],
        body="",
    )
    assert not set(without) & set(medical)


def test_stemming_and_stop_words_in_english():
    assert relevance.stems("Why do children keep waking up?") == [
        "children",
        "keep",
        "wake",
    ]


@pytest.mark.django_db
def test_a_synonym_group_needs_two_different_phrases():
    with pytest.raises(ValidationError, match="at least two"):
        SynonymGroup(phrases="hypertension").full_clean()
    with pytest.raises(ValidationError, match="at least two"):
        SynonymGroup(phrases="the = a").full_clean()


@pytest.mark.django_db
def test_synonyms_an_editor_adds_in_the_admin_relink_every_article(
    client, editor, reviewer
):
    skin = TopicFactory(name="Skin")
    shingles = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=skin,
        title="Is shingles contagious?",
        short_answer="Shingles spreads only through fluid from its blisters.",
        body="## Blisters\n\nKeep the rash covered until it crusts over.\n",
    )
    vaccine = make_published(
        editor=editor,
        reviewer=reviewer,
        topic=skin,
        title="Who can have the herpes zoster vaccine?",
        short_answer="Most people from 65: it lowers the risk of herpes zoster.",
        body="## Herpes zoster\n\nTwo doses protect against herpes zoster.\n",
    )
    for title, text in [
        ("What causes migraines?", "Triggers include stress and missed meals."),
        ("How do I treat a sprained ankle?", "Rest it, ice it and raise it."),
        ("Is coffee bad for the heart?", "Up to four cups a day is fine."),
    ]:
        make_published(
            editor=editor, reviewer=reviewer, title=title, short_answer=text, body=text
        )
    refresh.links_changed(shingles)
    run_queued_tasks()  # the publications' notifications and relinks

    def linked():
        return RelatedLink.objects.filter(article=shingles, target=vaccine).exists()

    assert not linked()
    client.force_login(editor)
    add_url = reverse("admin:articles_synonymgroup_add")
    refused = client.post(add_url, {"phrases": "shingles"})
    assert "at least two" in refused.content.decode()
    assert not SynonymGroup.objects.filter(phrases__contains="shingles").exists()
    assert run_queued_tasks() == []  # nothing saved, nothing to recompute

    response = client.post(
        add_url, {"phrases": "shingles\r\n= herpes zoster"}, follow=True
    )
    assert "being recomputed" in response.content.decode()
    assert not linked()  # the worker's job
    assert run_queued_tasks().count("synonyms_changed") == 1
    assert linked()
    assert (
        "~shingl"
        in ArticleVersion.objects.get(pk=vaccine.live_version_id).relevance_terms
    )
