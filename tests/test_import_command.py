"""import_articles: plain-text files become drafts, one file at a time, all or nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Topic
from articles.review import workflow
from articles.transfer.plain_text import MAX_INPUT_CHARS
from tests.conftest import SEEDS_DIR
from tests.factories import (
    ArticleFactory,
    ReferenceFactory,
    TopicFactory,
    make_published,
    update_summary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_paths():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS_DIR}")
    return sorted(str(path) for path in SEEDS_DIR.glob("*.txt"))


def run(*args):
    call_command("import_articles", *args)


def test_seeds_import_as_drafts_that_no_visitor_sees(
    client, editor, seed_paths, capsys
):
    run(*seed_paths, "--user", "editor")
    output = capsys.readouterr().out
    assert "2 of 2 file(s) imported." in output
    assert "title: Can Sex After Implantation Cause A Miscarriage?" in output
    assert "short answer (proposed: please confirm):" in output
    articles = list(Article.objects.all())
    assert {a.title for a in articles} == {
        "Can having sex make you lose your mucus plug?",
        "Can Sex After Implantation Cause A Miscarriage?",
    }
    assert {a.status for a in articles} == {Article.Status.DRAFT}
    assert Article.objects.public().count() == 0
    assert all(a.revisions.get().saved_by == editor for a in articles)
    for article in articles:
        assert client.get(f"/questions/{article.slug}/").status_code == 404


def test_imported_seed_renders_through_the_normal_article_page(
    client, editor, reviewer, seed_paths
):
    seed_001 = next(path for path in seed_paths if "/001_" in path)
    run(seed_001, "--user", "editor", "--topic", TopicFactory(slug="pregnancy").slug)
    article = Article.objects.get()
    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)

    html = client.get(f"/questions/{article.slug}/").content.decode()
    html = html[html.index("<main") :]
    assert html.count("<table>") == 1
    assert "<td>Obstetrics &amp; Gynecology</td><td>1,000+</td>" in html.replace(
        "\n", ""
    )
    assert html.count("<ol>") >= 2 + 1  # two numbered lists, plus the references list
    assert "<li><strong>Emotional Connection:</strong>" in html
    assert "<ul>" in html
    takeaways = html[
        html.index("Key takeaways") : html.index("Frequently asked questions")
    ]
    assert takeaways.count("<li>") == 5
    faqs = html[html.index("Frequently asked questions") :]
    assert faqs.count('class="faq__question"') == 5
    assert html.index('<h2 id="conclusion">') < html.index("Key takeaways")


def test_dry_run_prints_the_structure_and_saves_nothing(seed_paths, capsys):
    run(*seed_paths, "--dry-run")
    output = capsys.readouterr().out
    assert "## Understanding Implantation and Pregnancy" in output
    assert "FAQ 1: Can sex after implantation cause a miscarriage?" in output
    assert "nothing saved (dry run)" in output
    assert Article.objects.count() == 0 and Topic.objects.count() == 0


def test_bad_files_are_named_and_the_good_ones_still_import(
    editor, seed_paths, tmp_path, capsys
):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 au lait: is it safe?\n".encode("latin-1"))
    no_title = tmp_path / "no-title.txt"
    no_title.write_text("Hello world.\nJust some text.\n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    huge.write_text(
        "Is this too long?\n\n" + "word " * MAX_INPUT_CHARS, encoding="utf-8"
    )
    files = [str(empty), str(latin1), str(no_title), str(huge), *seed_paths]

    with pytest.raises(CommandError, match="4 file\\(s\\) could not be imported"):
        run(*files, "--user", "editor")

    errors = capsys.readouterr().err
    for path in (empty, latin1, no_title, huge):
        assert str(path) in errors
    assert "No title found" in errors
    assert Article.objects.count() == 2


def test_reimporting_the_same_question_reports_the_clash_and_changes_nothing(
    editor, seed_paths, capsys
):
    run(*seed_paths, "--user", "editor")
    before = list(Article.objects.values_list("pk", "lock_version"))
    with pytest.raises(CommandError):
        run(*seed_paths, "--user", "editor")
    assert "already exists" in capsys.readouterr().err
    assert list(Article.objects.values_list("pk", "lock_version")) == before


def test_update_drafts_refreshes_the_draft_and_leaves_the_published_version_alone(
    client, editor, reviewer, tmp_path
):
    article = make_published(
        editor=editor,
        reviewer=reviewer,
        title="Is tea good for you?",
        short_answer="Old.",
    )
    path = tmp_path / "tea.txt"
    path.write_text(
        "Is tea good for you? | Old CMS\n\nIn moderation, tea is fine for most adults.\n\n"
        "Caffeine\n\nTea contains less caffeine than coffee.\n",
        encoding="utf-8",
    )
    run(str(path), "--user", "editor", "--update-drafts")

    article.refresh_from_db()
    assert article.short_answer == "In moderation, tea is fine for most adults."
    assert article.status == Article.Status.DRAFT
    assert article.live_version.short_answer == "Old."
    assert (
        "Old." in client.get(article.live_version.get_absolute_url()).content.decode()
    )


def test_unknown_topic_or_account_is_refused_before_anything_is_read(
    editor, seed_paths
):
    with pytest.raises(CommandError, match="No topic with slug 'nope'"):
        run(*seed_paths, "--user", "editor", "--topic", "nope")
    with pytest.raises(CommandError, match="No active account named 'ghost'"):
        run(*seed_paths, "--user", "ghost")
    assert Article.objects.count() == 0


# A references section becomes the draft's structured references.

SAMPLE = Path(__file__).resolve().parent / "data" / "article_with_references.txt"
SAMPLE_REFERENCES = [
    {
        "citation": "Berlin CM, Denson HM, Daniel CH, Ward RM. Disposition of dietary "
        "caffeine in milk, saliva, and plasma of lactating women. Pediatrics. "
        "1984;73(1):59-63.",
        "url": "",
        "pmid": "6691042",
    },
    {
        "citation": "McCreedy A, Bird S, Brown LJ, et al. Effects of maternal caffeine "
        "consumption on the breastfed child: a systematic review. Swiss Med Wkly. "
        "2018;148:w14665.",
        "url": "",
        "doi": "10.4414/smw.2018.14665",
    },
    {
        "citation": "NHS. Breastfeeding and diet. (accessed 2 May 2024).",
        "url": "https://www.nhs.uk/conditions/baby/breastfeeding-and-bottle-feeding/"
        "breastfeeding-and-lifestyle/diet/",
    },
    {
        "citation": "Drugs and Lactation Database (LactMed). Caffeine. Bethesda (MD): "
        "National Library of Medicine; 2006.",
        "url": "https://www.ncbi.nlm.nih.gov/books/NBK501467/",
    },
]
LEFT_OUT = "“A leaflet from the local clinic, 2019.”"


def test_a_references_section_becomes_structured_references_on_the_page(
    client, editor, reviewer, capsys
):
    run(str(SAMPLE), "--user", "editor")
    output = capsys.readouterr().out
    assert "references: 4" in output
    assert "warning: Left out source 5 of the references" in output
    assert f"as reference 5: {LEFT_OUT}" in output
    article = Article.objects.get()
    assert [r.as_content() for r in article.references.all()] == SAMPLE_REFERENCES
    assert "References" not in article.body and "Berlin CM" not in article.body
    assert "breast milk [1]." in article.body and "[2, 3]" in article.body

    workflow.submit_for_review(
        article, user=editor, change_summary=update_summary(article)
    )
    workflow.approve_medical_review(article, user=reviewer)
    workflow.publish(article, user=editor)
    html = client.get(f"/questions/{article.slug}/").content.decode()
    assert '<a href="#ref-1" id="cite-1-1"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/6691042/"' in html
    assert 'href="https://doi.org/10.4414/smw.2018.14665"' in html
    assert html.count('<li id="ref-') == 4


def test_dry_run_lists_the_references_and_saves_nothing(capsys):
    run(str(SAMPLE), "--dry-run")
    output = capsys.readouterr().out
    assert "  reference 2: McCreedy A, Bird S" in output
    assert "w14665. doi:10.4414/smw.2018.14665\n" in output
    assert "  reference 1: Berlin CM" in output and "PMID: 6691042\n" in output
    assert Article.objects.count() == 0


def test_update_drafts_replaces_the_references_only_when_the_text_lists_some(
    editor, reviewer, tmp_path
):
    article = ArticleFactory(title="Is tea good for you?")
    ReferenceFactory(article=article, position=1, citation="Own source.")
    make_published(article, editor=editor, reviewer=reviewer)
    path = tmp_path / "tea.txt"
    text = "Is tea good for you?\n\nIn moderation, tea is fine for most adults.\n\n"
    path.write_text(text + "Tea has less caffeine than coffee.\n", encoding="utf-8")
    run(str(path), "--user", "editor", "--update-drafts")
    assert [r.citation for r in article.references.all()] == ["Own source."]

    path.write_text(
        text + "Tea has less caffeine [1].\n\nSources\n\n"
        "- Food Standards Agency. Caffeine. https://www.food.gov.uk/caffeine\n",
        encoding="utf-8",
    )
    run(str(path), "--user", "editor", "--update-drafts")
    assert [r.as_content() for r in article.references.all()] == [
        {"citation": "Food Standards Agency. Caffeine.",
         "url": "https://www.food.gov.uk/caffeine"}
    ]  # fmt: skip
    article.refresh_from_db()
    assert [r["citation"] for r in article.live_version.references] == ["Own source."]
