"""The plain-text importer: the two seed exports, each parsing rule, and fuzzing."""

import html
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Reference
from articles.text.rendering import render_markdown
from articles.transfer.plain_text import (
    MAX_INPUT_CHARS,
    ArticleImportError,
    ParsedArticle,
    decode_text,
    parse_article,
)

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"

SEED_001_SECTIONS = [
    "Understanding Implantation and Pregnancy",
    "Sexual Activity During Early Pregnancy",
    "Benefits of Maintaining Intimacy",
    "Miscarriage Concerns",
    "Research Insights on Miscarriage Risks",
    "When Should You Avoid Sex?",
    "The Role of Communication in Relationships",
    "The Emotional Aspect of Pregnancy Intimacy",
    "The Importance of Self-Care During Pregnancy",
    "Conclusion",
]


def read_seed(prefix: str) -> str:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed articles not found at {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_001() -> ParsedArticle:
    return parse_article(read_seed("001"))


@pytest.fixture(scope="module")
def seed_000() -> ParsedArticle:
    return parse_article(read_seed("000"))


def render(body: str) -> str:
    return markdown.markdown(body, extensions=["tables", "sane_lists"])


def article(*blocks: str) -> str:
    return "\n\n".join(["Is it safe to run every day?", "Mostly, yes.", *blocks])


# Seed 001: a title line with a site name, a short answer line, every structure.


def test_seed_001_title_drops_the_site_name(seed_001):
    assert seed_001.title == "Can Sex After Implantation Cause A Miscarriage?"


def test_seed_001_short_answer_is_the_line_after_the_title(seed_001):
    assert seed_001.short_answer == (
        "Engaging in sexual intercourse after implantation does not increase the "
        "risk of miscarriage in a healthy pregnancy."
    )
    assert seed_001.short_answer_is_proposed is False
    assert seed_001.short_answer not in seed_001.body


def test_seed_001_sections_are_the_body_headings_in_order(seed_001):
    assert seed_001.sections == SEED_001_SECTIONS
    headings = re.findall(r"^## (.+)$", seed_001.body, flags=re.MULTILINE)
    assert headings == SEED_001_SECTIONS


def test_seed_001_numbered_lists_have_bold_labels(seed_001):
    assert seed_001.numbered_lists == 2
    assert "1. **Emotional Connection:** Physical intimacy" in seed_001.body
    assert "\n4. **Normalcy:** Continuing" in seed_001.body
    assert "\n4. **Infections:** If there" in seed_001.body


def test_seed_001_studies_table_has_exact_cells(seed_001):
    assert seed_001.tables == [
        [
            ["Study", "Participants", "Findings"],
            [
                "Obstetrics & Gynecology",
                "1,000+",
                "No correlation between sex and miscarriage risk.",
            ],
            [
                "American Journal of Obstetrics",
                "500+",
                "Sexual activity deemed safe for most women.",
            ],
            [
                "Journal of Reproductive Medicine",
                "750+",
                "No significant increase in miscarriage rates linked to intercourse.",
            ],
        ]
    ]
    assert "| Study | Participants | Findings |\n|---|---|---|\n" in seed_001.body


def test_seed_001_three_bullets_form_one_list(seed_001):
    assert seed_001.bullet_lists == 1
    assert (
        "- Stay Active: Regular gentle exercise boosts mood and energy levels.\n"
        "- Eat Well: Nutritious meals fuel both body and mind.\n"
        "- Rest Adequately: Prioritizing sleep helps manage fatigue common during "
        "early stages.\n\n"
    ) in seed_001.body


def test_seed_001_key_takeaways_are_the_five_lines(seed_001):
    assert seed_001.key_takeaways == [
        "Sex is generally safe after implantation.",
        "Miscarriage risk is not increased by intercourse.",
        "Consult your doctor for personalized advice.",
        "Emotional factors can impact pregnancy health.",
        "Listen to your body and communicate with your partner.",
    ]
    assert "Key Takeaways" not in seed_001.body
    assert "Sex is generally safe after implantation." not in seed_001.body


def test_seed_001_faqs_keep_multi_paragraph_answers(seed_001):
    questions = [question for question, _ in seed_001.faqs]
    assert questions == [
        "Can sex after implantation cause a miscarriage?",
        "What happens during implantation in relation to sex after implantation?",
        "Are there any risks associated with sex after implantation?",
        "Should I be concerned about sexual activity if I’ve had previous "
        "miscarriages?",
        "What are the benefits of maintaining intimacy after implantation?",
    ]
    first_answer = seed_001.faqs[0][1]
    assert first_answer.count("\n\n") == 1
    assert first_answer.startswith("Engaging in sexual intercourse")
    assert first_answer.endswith("should not affect the pregnancy negatively.")
    assert "Frequently Asked Questions" not in seed_001.body
    assert not any(question in seed_001.body for question in questions)


def test_seed_001_conclusion_is_the_last_body_section(seed_001):
    assert seed_001.sections[-1] == "Conclusion"
    conclusion = seed_001.body.rsplit("## ", 1)[1]
    assert conclusion.startswith("Conclusion\n\nIn summary, engaging")
    assert conclusion.endswith("from conception through delivery!")


def test_seed_001_parses_without_warnings(seed_001):
    assert seed_001.warnings == []


def test_seeds_have_no_references_section_so_the_draft_keeps_its_own(
    seed_000, seed_001
):
    assert seed_000.references is None and seed_001.references is None


def test_seed_001_body_renders_to_table_lists_and_ordered_headings(seed_001):
    html = render(seed_001.body)
    assert html.count("<table>") == 1
    assert html.count("<tr>") == 4
    assert "<td>1,000+</td>" in html
    assert html.count("<ol>") == 2
    assert html.count("<ul>") == 1
    assert "<li><strong>Emotional Connection:</strong> Physical" in html
    assert re.findall(r"<h2>(.*?)</h2>", html) == SEED_001_SECTIONS


# Seed 000: no title line, paragraphs on consecutive lines, no short answer line.


def test_seed_000_title_is_the_opening_question_sentence(seed_000):
    assert seed_000.title == "Can having sex make you lose your mucus plug?"
    assert seed_000.body.startswith("This is a common question among women")


def test_seed_000_short_answer_is_proposed_from_the_answering_sentence(seed_000):
    assert seed_000.short_answer_is_proposed is True
    assert seed_000.short_answer.startswith("The answer is yes, it can.")
    assert "yes" in seed_000.short_answer.lower()
    assert seed_000.short_answer in read_seed("000")
    assert seed_000.warnings == [
        "Short answer proposed from the text; please confirm it."
    ]


def test_seed_000_each_line_is_its_own_paragraph(seed_000):
    paragraphs = seed_000.body.split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[1].startswith("The mucus plug is a thick, jelly-like substance")
    assert paragraphs[-1].startswith("In conclusion, having sex can indeed")
    assert render(seed_000.body).count("<p>") == 7


def test_seed_000_has_no_sections_lists_takeaways_or_faqs(seed_000):
    assert seed_000.sections == []
    assert seed_000.key_takeaways == []
    assert seed_000.faqs == []
    assert seed_000.tables == []
    assert (seed_000.numbered_lists, seed_000.bullet_lists) == (0, 0)


# Errors the person importing must understand.


@pytest.mark.parametrize(
    "text", ["", "   \n\t \n", "Hello world.\nJust text.", "Intro\n\nNo questions."]
)
def test_text_without_a_title_question_is_refused(text):
    with pytest.raises(ArticleImportError, match=r"^No title found: "):
        parse_article(text)


def test_oversized_text_is_refused_with_the_limit():
    with pytest.raises(ArticleImportError, match="500,000"):
        parse_article("Is it big?\n" + "x" * MAX_INPUT_CHARS)


def test_decode_text_refuses_bytes_that_are_not_utf8():
    with pytest.raises(ArticleImportError, match="article.txt.*not UTF-8"):
        decode_text(b"\xff\xfe\x00bad", name="article.txt")


@pytest.mark.parametrize(
    "data",
    [b"", b" \r\n ", b"a" * (MAX_INPUT_CHARS + 1), b"a" * (4 * MAX_INPUT_CHARS + 1)],
)
def test_decode_text_refuses_empty_and_oversized_bytes(data):
    with pytest.raises(ArticleImportError, match="Cannot import the file: "):
        decode_text(data)


def test_decode_text_refuses_utf16_that_decodes_as_utf8():
    with pytest.raises(ArticleImportError, match="UTF-16"):
        decode_text("Is it safe?".encode("utf-16-le"))


def test_decode_text_accepts_a_bom_and_normalises_line_breaks():
    data = "\ufeffIs it safe?\r\nYes, mostly.\rSee below.\n".encode()
    assert decode_text(data) == "Is it safe?\nYes, mostly.\nSee below.\n"


# One small input per rule.


@pytest.mark.parametrize("separator", [" | ", " - ", " – ", " — "])
def test_title_loses_a_trailing_site_name(separator):
    parsed = parse_article(f"Can I run with a cold?{separator}Site Name\n\nMostly.")
    assert parsed.title == "Can I run with a cold?"


def test_a_short_line_before_the_title_is_left_out_with_a_warning():
    parsed = parse_article("Health Blog\nCan I run with a cold?\n\nMostly, yes.")
    assert parsed.title == "Can I run with a cold?"
    assert parsed.short_answer == "Mostly, yes."
    assert any("Health Blog" in warning for warning in parsed.warnings)


def test_two_short_sentences_after_the_title_line_are_the_short_answer():
    text = "Can I run with a cold?\n\nColds are common in winter. They pass in a week."
    parsed = parse_article(text)
    assert parsed.short_answer == "Colds are common in winter. They pass in a week."
    assert parsed.short_answer_is_proposed is False


def test_the_first_statement_is_proposed_when_no_sentence_answers():
    parsed = parse_article("Can I run with a cold? Colds are common. Rest helps.")
    assert parsed.short_answer == "Colds are common. Rest helps."
    assert parsed.short_answer_is_proposed is True


def test_bullets_with_mixed_markers_and_indents_form_one_list():
    parsed = parse_article(article("Pack these:", "• Water\n  * Snacks\n\n    - Map"))
    assert parsed.bullet_lists == 1
    assert "Pack these:\n\n- Water\n- Snacks\n- Map" in parsed.body
    assert render(parsed.body).count("<li>") == 3


def test_numbered_items_with_parentheses_become_a_numbered_list():
    parsed = parse_article(article("Steps:", "1) Warm up\n2) Run: slowly"))
    assert parsed.numbered_lists == 1
    assert "1. Warm up\n2. **Run:** slowly" in parsed.body


def test_a_long_part_before_a_colon_is_not_bolded():
    text = article("1. This is a long sentence with many words: and more text")
    assert "1. This is a long sentence with many words: and" in parse_article(text).body


@pytest.mark.parametrize("gap", ["  ", "   ", "\t"])
def test_tables_with_spaced_or_tab_columns_are_split_on_the_gaps(gap):
    rows = [["Drug", "Dose", "Notes"], ["Ibuprofen", "200 mg", "With food"]]
    rows.append(["Paracetamol", "500 mg", "Up to 4 a day"])
    table = "\n".join(gap.join(row) for row in rows)
    parsed = parse_article(article("Common doses:", table))
    assert parsed.tables == [rows]
    assert "| Drug | Dose | Notes |\n|---|---|---|\n| Ibuprofen | 200 mg |" in (
        parsed.body
    )
    assert render(parsed.body).count("<tr>") == 3


def test_pipes_inside_table_cells_are_escaped():
    parsed = parse_article(article("Option  Meaning\nA|B  Either one"))
    assert parsed.tables == [[["Option", "Meaning"], ["A|B", "Either one"]]]
    assert "| A\\|B | Either one |" in parsed.body
    assert "<td>A|B</td>" in render(parsed.body)


def test_a_table_with_a_misfit_row_stays_paragraphs_with_a_warning():
    rows = "Study Participants Findings\nSmith 2019 500+ Safe.\nJones 300 Safe."
    parsed = parse_article(article(rows))
    assert parsed.tables == []
    assert parsed.sections == []
    assert "Table row 2 has 4 columns, expected 3" in " ".join(parsed.warnings)
    assert "Study Participants Findings\n\nSmith 2019 500+ Safe." in parsed.body


def test_a_question_alone_before_a_paragraph_is_a_heading():
    parsed = parse_article(article("When should I stop?", "Stop if it hurts."))
    assert parsed.sections == ["When should I stop?"]
    assert "## When should I stop?\n\nStop if it hurts." in parsed.body


def test_a_heading_like_last_line_stays_a_paragraph_with_a_warning():
    parsed = parse_article(article("Some text here.", "Stay well"))
    assert parsed.sections == []
    assert parsed.body.endswith("Stay well")
    assert any("Stay well" in warning for warning in parsed.warnings)


def test_key_takeaways_list_items_lose_their_markers():
    text = article("Key Takeaways:", "- Rest: sleep well\n- Drink water", "Body", "Ok.")
    parsed = parse_article(text)
    assert parsed.key_takeaways == ["Rest: sleep well", "Drink water"]
    assert parsed.sections == ["Body"]
    assert "Key Takeaways" not in parsed.body


def test_an_faq_answer_can_span_three_paragraphs():
    answer = ["First part.", "Second part.", "Third part."]
    parsed = parse_article(article("FAQs", "Q: Can I swim?", *answer, "Why?", "Ok."))
    assert parsed.faqs == [("Can I swim?", "\n\n".join(answer)), ("Why?", "Ok.")]
    assert parsed.body == ""


def test_conclusion_after_the_faqs_ends_the_body():
    text = article(
        "Background", "Some text.", "Conclusion:", "Run gently.", "FAQ",
        "Can I swim?", "Yes.", "Later Section", "More text.",
    )  # fmt: skip
    parsed = parse_article(text)
    assert parsed.sections == ["Background", "Later Section", "Conclusion"]
    assert parsed.body.endswith("## Conclusion\n\nRun gently.")
    assert parsed.faqs == [("Can I swim?", "Yes.")]
    assert any("Moved the Conclusion to the end" in w for w in parsed.warnings)


def test_a_section_after_the_conclusion_is_moved_before_it_with_a_warning():
    text = article("Conclusion", "Run gently.", "Later Section", "More text.")
    parsed = parse_article(text)
    assert parsed.sections == ["Later Section", "Conclusion"]
    assert any("Moved the Conclusion to the end" in w for w in parsed.warnings)


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "Running every day is safe for most adults who build up\n"
        "slowly and rest when something hurts. Start with short\n"
        "runs.\n"
        "Listen to your body.\n"
    )
    parsed = parse_article(article(wrapped))
    assert parsed.body == (
        "Running every day is safe for most adults who build up slowly and rest "
        "when something hurts. Start with short runs.\n\nListen to your body."
    )


def test_a_wrapped_export_with_numbered_faq_questions_is_understood():
    text = (
        "How Much Sleep Do Teenagers Need? – Health Site\n\n"
        "Teenagers need 8 to 10 hours of sleep a night.\n\n"
        "Why Sleep Matters\n"
        "Sleep helps memory, mood and growth. Teenagers who sleep less than 8\n"
        "hours a night are more likely to feel low and to have accidents, and\n"
        "their school work often suffers.\n"
        "Most teenagers fall asleep later than younger children.\n\n"
        "FAQs\n\n"
        "1. Is napping OK?\n"
        "Short naps of 20 minutes are fine.\n"
        "2. Can teens catch up at weekends?\n"
        "A: Partly. A lie-in helps a little.\n\n"
        "It does not fully repay the debt.\n"
    )
    parsed = parse_article(text)
    assert parsed.title == "How Much Sleep Do Teenagers Need?"
    assert parsed.short_answer == "Teenagers need 8 to 10 hours of sleep a night."
    assert parsed.sections == ["Why Sleep Matters"]
    assert parsed.body.split("\n\n") == [
        "## Why Sleep Matters",
        "Sleep helps memory, mood and growth. Teenagers who sleep less than 8 hours "
        "a night are more likely to feel low and to have accidents, and their school "
        "work often suffers.",
        "Most teenagers fall asleep later than younger children.",
    ]
    assert parsed.faqs == [
        ("Is napping OK?", "Short naps of 20 minutes are fine."),
        (
            "Can teens catch up at weekends?",
            "Partly. A lie-in helps a little.\n\nIt does not fully repay the debt.",
        ),
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "line", ["# Not a heading.", "2024. A year.", "> Not a quote.", "+ Plus.", "---"]
)
def test_markdown_characters_at_the_start_of_a_line_stay_text(line):
    parsed = parse_article(article("Some text.", line))
    assert render(parsed.body) == f"<p>Some text.</p>\n<p>{html.escape(line)}</p>"


# The references section: structured references, out of the body.

CITATION = "Smith J. Sex in pregnancy. BMJ. 2020;368:m1234."


def references_of(*entries: str, heading: str = "References") -> ParsedArticle:
    return parse_article(article("Studies agree [1].", heading, "\n".join(entries)))


def test_numbered_references_of_each_shape_become_structured_references():
    parsed = references_of(
        "1. Smith J. First study. BMJ. 2020. https://www.bmj.com/content/1",
        "2) Brown A. Second study. Lancet. 2019. doi:10.1016/S0140-6736(19)30000-0",
        "[3] Lee C. Third study. 2018. PMID: 31978945",
        "(4) NHS. Running. https://www.nhs.uk/live-well/exercise/running/",
    )
    assert parsed.references == [
        {"citation": "Smith J. First study. BMJ. 2020.",
         "url": "https://www.bmj.com/content/1"},
        {"citation": "Brown A. Second study. Lancet. 2019.", "url": "",
         "doi": "10.1016/S0140-6736(19)30000-0"},
        {"citation": "Lee C. Third study. 2018.", "url": "", "pmid": "31978945"},
        {"citation": "NHS. Running.",
         "url": "https://www.nhs.uk/live-well/exercise/running/"},
    ]  # fmt: skip
    assert parsed.body == "Studies agree [1]."
    assert parsed.warnings == []


def test_bulleted_references_may_wrap_over_several_lines():
    parsed = references_of(
        "• Jones K, Patel R. A long title that wraps over",
        "a second line. Obstet Gynecol. 2015;125(3):1-9.",
        "  doi:10.1097/AOG.0000000000000687",
        "- World Health Organization. Physical activity. Geneva: WHO; 2020.",
        "    Available from: https://www.who.int/news-room/fact-sheets/detail/x",
        "* Lee C. Third. PMID: 31978945",
    )
    assert [r["citation"] for r in parsed.references] == [
        "Jones K, Patel R. A long title that wraps over a second line. Obstet "
        "Gynecol. 2015;125(3):1-9.",
        "World Health Organization. Physical activity. Geneva: WHO; 2020.",
        "Lee C. Third.",
    ]
    assert parsed.references[0]["doi"] == "10.1097/AOG.0000000000000687"
    assert parsed.references[1]["url"].endswith("/detail/x")
    assert parsed.bullet_lists == 0 and "Jones" not in parsed.body


def test_references_one_a_paragraph_without_markers_are_read_too():
    parsed = references_of(
        "Smith J. First. https://example.org/a",
        "",
        "Brown A. Second, wrapped",
        "over two lines. https://example.org/b",
        "Green D. Third. https://example.org/c",
    )
    assert [(r["citation"], r["url"]) for r in parsed.references] == [
        ("Smith J. First.", "https://example.org/a"),
        ("Brown A. Second, wrapped over two lines.", "https://example.org/b"),
        ("Green D. Third.", "https://example.org/c"),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "doi:10.1136/bmj.m1234", "DOI: 10.1136/bmj.m1234", "DOI 10.1136/bmj.m1234",
        "10.1136/bmj.m1234", "(doi:10.1136/bmj.m1234)", "https://doi.org/10.1136/bmj.m1234",
        "http://dx.doi.org/10.1136/bmj.m1234", "https://doi.org/10.1136%2Fbmj.m1234",
        "Available at: https://doi.org/10.1136/bmj.m1234.", "<https://doi.org/10.1136/bmj.m1234>",
    ],
)  # fmt: skip
def test_a_doi_in_any_shape_becomes_the_doi_not_the_url(written):
    parsed = references_of(f"1. {CITATION} {written}")
    assert parsed.references == [
        {"citation": CITATION, "url": "", "doi": "10.1136/bmj.m1234"}
    ]


@pytest.mark.parametrize(
    "written",
    [
        "PMID: 31978945", "PMID 31978945", "PubMed PMID: 31978945.", "pmid:31978945",
        "https://pubmed.ncbi.nlm.nih.gov/31978945/",
        "https://www.ncbi.nlm.nih.gov/pubmed/31978945",
        "pubmed.ncbi.nlm.nih.gov/31978945",
    ],
)  # fmt: skip
def test_a_pmid_or_pubmed_link_becomes_the_pmid_not_the_url(written):
    parsed = references_of(f"1. {CITATION} {written}")
    assert parsed.references == [{"citation": CITATION, "url": "", "pmid": "31978945"}]


@pytest.mark.parametrize(
    "written, url",
    [
        ("https://www.nhs.uk/pregnancy/.", "https://www.nhs.uk/pregnancy/"),
        ("Available at: <https://www.nhs.uk/a>", "https://www.nhs.uk/a"),
        ("(https://en.wikipedia.org/wiki/Caffeine_(drug))",
         "https://en.wikipedia.org/wiki/Caffeine_(drug)"),
        ("URL: www.who.int/health-topics/", "https://www.who.int/health-topics/"),
        ("Retrieved from http://example.org/page?id=3,", "http://example.org/page?id=3"),
    ],
)  # fmt: skip
def test_a_web_address_becomes_the_url_without_its_label_or_punctuation(written, url):
    parsed = references_of(f"- {CITATION} {written}")
    assert parsed.references == [{"citation": CITATION, "url": url}]


def test_an_entry_keeps_its_url_doi_and_pmid_and_the_text_around_them():
    parsed = references_of(
        "1. NHS. Sex in pregnancy. Available at: https://www.nhs.uk/sex/ "
        "(accessed 1 May 2024). doi:10.1136/bmj.m1234. PMID: 31978945."
    )
    assert parsed.references == [
        {
            "citation": "NHS. Sex in pregnancy. (accessed 1 May 2024).",
            "url": "https://www.nhs.uk/sex/",
            "doi": "10.1136/bmj.m1234",
            "pmid": "31978945",
        }
    ]


def test_an_entry_without_a_link_is_left_out_and_quoted_in_a_warning():
    parsed = references_of(
        "1. Smith J. First. https://example.org/a",
        "2. A leaflet from the local clinic,",
        "   given out in 2019.",
    )
    assert [r["citation"] for r in parsed.references] == ["Smith J. First."]
    assert parsed.warnings == [
        "Left out source 2 of the references, which has no web address, DOI or "
        "PMID that can be saved. Add it by hand, with a link, as reference 2: "
        "“A leaflet from the local clinic, given out in 2019.”"
    ]


def test_citations_after_a_left_out_entry_are_flagged():
    parsed = parse_article(
        article("Text [1], [2] and [3].", "Sources", "1. No link.",
                "2. A. https://a.org/", "3. B. https://b.org/")
    )  # fmt: skip
    assert [r["url"] for r in parsed.references] == ["https://a.org/", "https://b.org/"]
    assert parsed.warnings[1] == (
        "Check the citations [1] (left out), [2] (now reference 1), [3] (now "
        "reference 2): the imported references are numbered from 1 in the order "
        "listed, without the sources left out, so these no longer point at the "
        "source the text meant."
    )


def test_an_entry_that_is_only_a_link_keeps_the_link_as_its_text():
    parsed = references_of("1. https://www.nhs.uk/pregnancy/")
    assert parsed.references == [
        {"citation": "https://www.nhs.uk/pregnancy/", "url": "https://www.nhs.uk/pregnancy/"}
    ]  # fmt: skip
    assert parsed.warnings == [
        "Reference 1 is only a link (https://www.nhs.uk/pregnancy/): give its "
        "title by hand."
    ]


def test_an_entry_too_long_for_a_reference_is_left_out_with_a_warning():
    long_title = "word " * 120
    parsed = references_of(f"1. {long_title} https://example.org/a")
    assert parsed.references == []
    assert "too long for one reference (the limit is 500)" in parsed.warnings[0]
    assert long_title.strip() in parsed.warnings[0]


@pytest.mark.parametrize(
    "heading",
    ["References", "REFERENCES:", "references :", "Reference list", "Sources",
     "sources:", "Sources and references", "Bibliography", "Works Cited",
     "Citations"],
)  # fmt: skip
def test_the_references_heading_has_several_names(heading):
    parsed = references_of("1. Smith J. First. https://example.org/a", heading=heading)
    assert parsed.references == [
        {"citation": "Smith J. First.", "url": "https://example.org/a"}
    ]
    assert heading.strip(" :").lower() not in parsed.body.lower()


def test_a_sources_section_of_prose_stays_in_the_body():
    parsed = parse_article(
        article("Sources", "Folate is found in leafy greens and cereals.", "More.")
    )
    assert parsed.references is None
    assert parsed.sections == ["Sources"]
    assert "Folate is found" in parsed.body


def test_the_section_ends_at_the_next_section_and_leaves_the_others_alone():
    parsed = parse_article(
        article(
            "Background", "Some text [1].", "References",
            "1. Smith J. First. https://example.org/a",
            "About the author", "Jane is a midwife.", "Key Takeaways",
            "- Rest well.", "FAQs", "Can I swim?", "Yes.", "Sources:",
            "- Brown A. Second. https://example.org/b",
        )
    )  # fmt: skip
    assert parsed.sections == ["Background", "About the author"]
    assert parsed.body == (
        "## Background\n\nSome text [1].\n\n## About the author\n\nJane is a midwife."
    )
    assert parsed.key_takeaways == ["Rest well."]
    assert parsed.faqs == [("Can I swim?", "Yes.")]
    assert [r["url"] for r in parsed.references] == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_without_a_references_section_there_are_no_references():
    parsed = parse_article(article("Background", "Some text."))
    assert parsed.references is None
    assert parsed.warnings == []


def test_inline_citations_survive_the_import_as_written():
    text = article(
        "[1] Large studies agree.", "Reviews agree [2, 3], and so do trials [2-4].",
        "Sources", "1. A. https://a.org/", "2. B. https://b.org/", "3. C. https://c.org/",
        "4. D. https://d.org/",
    )  # fmt: skip
    parsed = parse_article(text)
    assert parsed.body == (
        "[1] Large studies agree.\n\nReviews agree [2, 3], and so do trials [2-4]."
    )
    assert parsed.warnings == []
    html = render_markdown(parsed.body)
    # "[2-4]" links its first and last numbers.
    assert re.findall(r'href="#ref-(\d)"', html) == ["1", "2", "3", "2", "4"]


def test_a_citation_with_no_entry_gets_a_warning():
    parsed = parse_article(
        article("Text [1] and [5, 7].", "References", "1. A. https://a.org/")
    )
    assert parsed.warnings == [
        "The text cites [5], [7], but the references section has no entries with "
        "those numbers: add the reference or correct the citation."
    ]


def test_citations_without_a_references_section_get_a_warning():
    parsed = parse_article(article("Text [1] here.", "FAQs", "Why?", "See [2]."))
    assert parsed.references is None
    assert parsed.warnings == [
        "The text cites [1], [2] but has no references section: the draft keeps "
        "the references it has; add or check them by hand."
    ]


# Properties: any text gives a result or a clear refusal, never a crash.

TRICKY_LINES = st.sampled_from(
    [
        "", "  ", "Is it safe?", "Is it safe? | Site", "Key Takeaways:", "FAQs",
        "Frequently Asked Questions", "Conclusion – Is it safe?", "1. Label: text",
        "2) Item", "• Bullet", "  - Bullet", "* Bullet", "– Dash item",
        "Study Participants Findings", "Trial A 1,000+ Safe.", "Name  Dose",
        "Aspirin  75 mg", "A\tB\tC", "Short heading", "A full sentence here.",
        "Why? Because. Yes, it can.", "The answer is no.", "# hash", "| pipe |",
        "\x00\x0b\x0c\x1c\x85\u2028", "\u202eRTL مرحبا שלום", "😀" * 40, "x" * 3000,
        "\ufeffBOM", "Q: Really?", "A: Yes.", "References", "Sources:",
        "1. Smith J. Title. doi:10.1136/bmj.m1234", "[2] NHS https://www.nhs.uk/x",
        "- PMID: 31978945", "  https://doi.org/10.1000/x(1)", "See [1], [2-4].",
        "www.", "https://", "(3) Lee. <https://a.org/(b>",
    ]
)  # fmt: skip
LINES = st.one_of(TRICKY_LINES, st.text(max_size=200))


def assert_well_formed(parsed: ParsedArticle) -> None:
    assert isinstance(parsed, ParsedArticle)
    assert isinstance(parsed.title, str) and parsed.title.strip()
    assert isinstance(parsed.short_answer, str)
    assert isinstance(parsed.short_answer_is_proposed, bool)
    assert isinstance(parsed.body, str)
    for strings in (parsed.sections, parsed.key_takeaways, parsed.warnings):
        assert isinstance(strings, list) and all(isinstance(s, str) for s in strings)
    assert all(isinstance(q, str) and isinstance(a, str) for q, a in parsed.faqs)
    for table in parsed.tables:
        assert all(len(row) == len(table[0]) for row in table)
        assert all(isinstance(cell, str) and cell for row in table for cell in row)
    assert isinstance(parsed.numbered_lists, int) and parsed.numbered_lists >= 0
    assert isinstance(parsed.bullet_lists, int) and parsed.bullet_lists >= 0
    for fields in parsed.references or []:
        reference = Reference(**fields)  # saves as it is, or the import fails
        reference.clean_fields(exclude=["article"])
        reference.clean()
    render(parsed.body)


def parses_or_refuses(text: str) -> None:
    try:
        parsed = parse_article(text)
    except ArticleImportError as error:
        assert str(error).strip()
    else:
        assert_well_formed(parsed)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=5000))
def test_any_text_parses_or_is_refused_with_a_message(text):
    parses_or_refuses(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40).map("\n".join))
def test_any_mix_of_article_like_lines_parses_or_is_refused(text):
    parses_or_refuses(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=30).map("\n".join))
def test_any_references_section_gives_references_that_save(lines):
    parses_or_refuses(article("Studies agree [1], [2].", "References", lines))


WORDS = st.sampled_from(
    ["water", "sleep", "rest", "dose", "fever", "child", "adult", "heart", "café"]
)
PHRASE = st.lists(WORDS, min_size=2, max_size=8).map(" ".join)
SENTENCE = PHRASE.map(lambda words: words.capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
MARKER = st.sampled_from(["- ", "• ", "* ", "– ", "  - ", "    • "])
BULLETS = st.lists(st.tuples(MARKER, PHRASE, st.booleans()), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(PHRASE, st.lists(st.tuples(PARAGRAPH, BULLETS), min_size=1, max_size=5))
def test_structured_articles_keep_their_title_and_bullet_lists(title, blocks):
    title = title.capitalize() + "?"
    text = title
    for paragraph, bullets in blocks:
        items = "".join(("\n\n" if gap else "\n") + m + i for m, i, gap in bullets)
        text += f"\n\n{paragraph}{items}"
    parsed = parse_article(text)
    assert parsed.title == title
    assert parsed.bullet_lists == len(blocks)
    assert render(parsed.body).count("<ul>") == len(blocks)
    for _, bullets in blocks:
        for _, item, _ in bullets:
            assert f"- {item}" in parsed.body


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=5000))
def test_any_bytes_decode_to_clean_text_or_are_refused(data):
    try:
        text = decode_text(data, name="upload.txt")
    except ArticleImportError as error:
        assert "upload.txt" in str(error)
    else:
        assert text.strip() and "\r" not in text


def test_a_sources_section_without_a_single_link_stays_in_the_body():
    text = (
        "Where do I get vitamin D?\n\nMostly from sunlight.\n\n"
        "Sources\n\n- Oily fish\n- Egg yolks\n\n"
        "How much do I need?\n\nTen micrograms a day.\n"
    )
    parsed = parse_article(text)
    assert parsed.references is None
    assert "Oily fish" in parsed.body and "Egg yolks" in parsed.body
    assert not any("reference" in w.lower() for w in parsed.warnings)
