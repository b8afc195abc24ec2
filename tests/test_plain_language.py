"""The advisory plain-language checker: crafted texts, edge cases, odd input."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.review.plain_language import (
    MAX_CHARS,
    LongParagraph,
    LongSentence,
    PlainLanguageReport,
    check_parts,
    passive_phrases,
    prose_paragraphs,
    readability_report,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

WORDS_21 = (
    "Adults with a mild fever can usually rest at home, drink plenty of fluids "
    "and take paracetamol to feel more comfortable."
)
WORDS_20 = WORDS_21.replace("a mild fever", "a fever")


def test_a_21_word_sentence_is_flagged_long_and_a_20_word_one_is_not():
    report = readability_report(f"{WORDS_20} {WORDS_21}")

    assert report.sentence_count == 2
    assert report.long_sentences == (LongSentence(WORDS_21, 21),)


def test_abbreviations_and_decimals_do_not_end_a_sentence():
    text = (
        "Take approx. 1.5 mg a day, e.g. with breakfast. "
        "Dr. Patel says St. John's wort interacts with it, i.e. avoid both. "
        "Ask your pharmacist."
    )

    assert prose_paragraphs(text) == [
        [
            "Take approx. 1.5 mg a day, e.g. with breakfast.",
            "Dr. Patel says St. John's wort interacts with it, i.e. avoid both.",
            "Ask your pharmacist.",
        ]
    ]


def test_question_marks_exclamation_marks_and_single_letters_end_sentences():
    text = "Is it safe? Yes! Take vitamin D. It helps your bones."

    assert prose_paragraphs(text) == [
        ["Is it safe?", "Yes!", "Take vitamin D.", "It helps your bones."]
    ]


def test_a_paragraph_of_four_sentences_is_flagged_and_one_of_three_is_not():
    text = (
        "Rest at home. Drink water. Eat small meals.\n\n"
        "Wash your hands often. Cover coughs. Stay home. Call us if worse."
    )

    report = readability_report(text)

    assert report.long_paragraphs == (LongParagraph("Wash your hands often.", 4),)


def test_a_long_paragraph_is_quoted_by_its_first_six_words():
    text = "One two three four five six seven eight. Two. Three. Four."

    (paragraph,) = readability_report(text).long_paragraphs

    assert paragraph.opening == "One two three four five six…"


def test_lines_without_a_blank_line_between_them_are_one_paragraph():
    assert prose_paragraphs("Rest at home.\nDrink water.") == [
        ["Rest at home.", "Drink water."]
    ]


def test_each_list_item_is_its_own_paragraph():
    text = (
        "- Rest at home.\n"
        "- drink plenty of water\n"
        "* Take paracetamol. It eases pain.\n"
        "  It also lowers a fever. Ask a pharmacist.\n"
        "1. Call 111\n"
        "2) See a GP"
    )

    report = readability_report(text)

    assert prose_paragraphs(text) == [
        ["Rest at home."],
        ["drink plenty of water"],
        [
            "Take paracetamol.",
            "It eases pain.",
            "It also lowers a fever.",
            "Ask a pharmacist.",
        ],
        ["Call 111"],
        ["See a GP"],
    ]
    assert report.long_paragraphs == (LongParagraph("Take paracetamol.", 4),)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("The test was performed by a nurse.", "was performed"),
        ("Antibiotics are not needed.", "are not needed"),
        ("Antibiotics aren't needed.", "aren't needed"),
        ("It has been shown to work.", "been shown"),
        ("The dose is usually given at night.", "is usually given"),
        ("You are being treated for an infection.", "being treated"),
        ("Side effects were reported by few people.", "were reported"),
        ("They're taken with food.", "They're taken"),
    ],
)
def test_passive_constructions_are_detected(sentence, phrase):
    report = readability_report(sentence)

    assert passive_phrases(sentence) == (phrase,)
    assert [p.text for p in report.passive_sentences] == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "The nurse performed the test.",
        "You need antibiotics.",
        "Is bed rest needed?",
        "This is indeed a problem.",
        "It is red and sore.",
        "It is normal to feel this way.",
    ],
)
def test_active_sentences_are_not_flagged_passive(sentence):
    assert readability_report(sentence).passive_sentences == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "I am tired all the time.",
        "Many parents are worried about fevers.",
        "The advice is based on research.",
    ],
)
def test_adjectives_that_end_in_ed_are_not_flagged_passive(sentence):
    assert passive_phrases(sentence) == ()


def test_a_sentence_with_two_passives_reports_both_phrases():
    phrases = passive_phrases("It was made in 1990 and is sold everywhere.")

    assert phrases == ("was made", "is sold")


def test_headings_tables_and_code_are_ignored():
    long_heading = " ".join(["word"] * 25)
    text = (
        f"## {long_heading}\n\n"
        f"{long_heading}\n"
        "-------\n\n"
        "| Dose | When it was given by the nurse |\n"
        "|---|---|\n"
        "| 1 mg | It is taken at night and was given by the nurse. |\n\n"
        "```\n"
        "The code was written by someone. It was run by me. Then it was fixed.\n"
        "```\n\n"
        "    Indented code was written too.\n\n"
        "Rest at home. The `value was used` here."
    )

    report = readability_report(text)

    assert prose_paragraphs(text) == [["Rest at home.", "The here."]]
    assert report.issue_count == 0


def test_links_keep_their_text_and_lose_their_url():
    text = (
        "The guide was written by [NHS doctors](https://www.nhs.uk/a.b/c_(d)/). "
        "See https://example.org/x.y for more. ![A chart](chart.png)"
    )

    (passive,) = readability_report(text).passive_sentences

    assert passive.text == "The guide was written by NHS doctors."
    assert prose_paragraphs(text) == [
        ["The guide was written by NHS doctors.", "See for more."]
    ]


def test_emphasis_html_and_blockquote_markers_are_stripped():
    text = "> **Do not** take more than <em>8 tablets</em> in 24&nbsp;hours."

    assert prose_paragraphs(text) == [["Do not take more than 8 tablets in 24 hours."]]


def test_readings_with_less_than_and_greater_than_signs_stay_prose():
    assert prose_paragraphs("A reading of <120 and >80 is normal.") == [
        ["A reading of <120 and >80 is normal."]
    ]


def test_simple_text_gets_a_lower_grade_and_higher_ease_than_complex_text():
    simple = readability_report(
        "Drink water. Rest in bed. Take one pill a day. Call us."
    )
    complex_ = readability_report(
        "Pharmacological interventions for hypertension necessitate individualised "
        "evaluation of cardiovascular comorbidities and potential contraindications."
    )

    assert simple.reading_grade < complex_.reading_grade
    assert simple.reading_ease > complex_.reading_ease
    assert 0 <= complex_.reading_ease <= simple.reading_ease <= 100


def test_empty_and_markup_only_text_gives_an_empty_report():
    for text in ["", "   \n\n", "## Heading only\n\n| a | b |\n|---|---|", "🙂 …"]:
        report = readability_report(text)

        assert report.is_empty is True
        assert report.issue_count == 0
        assert report.reading_grade is None
        assert report.summary() == "No text to check."


def test_summary_counts_each_kind_of_issue():
    text = f"{WORDS_21}\n\nThe test was done. Rest. Drink. Sleep."

    report = readability_report(text)

    assert report.issue_count == 3
    assert report.summary().startswith(
        "1 long sentence, 1 long paragraph, 1 passive sentence; reading grade "
    )


def test_summary_of_clean_text_says_there_are_no_issues():
    report = readability_report("Drink water. Rest in bed.")

    assert report.is_empty is False
    assert report.summary() == (
        f"No plain-language issues; reading grade {report.reading_grade:.1f} "
        f"(reading ease {report.reading_ease:.0f})."
    )


def test_check_parts_returns_one_report_per_label_in_order():
    parts = [
        ("Short answer", "Antibiotics are not needed."),
        ("Body", f"## Why\n\n{WORDS_21}"),
        ("FAQ 1 answer", ""),
    ]

    reports = check_parts(parts)

    assert [label for label, _ in reports] == ["Short answer", "Body", "FAQ 1 answer"]
    short_answer, body, faq = (report for _, report in reports)
    assert len(short_answer.passive_sentences) == 1
    assert len(body.long_sentences) == 1
    assert faq.is_empty is True


def test_huge_input_is_cut_and_still_checked():
    report = readability_report("Rest now. " * 100_000)

    assert report.truncated is True
    assert report.word_count == MAX_CHARS // len("Rest now. ") * 2
    assert report.summary().endswith(
        f"Only the first {MAX_CHARS:,} characters were checked."
    )


def test_nul_bytes_emoji_and_right_to_left_text_do_not_raise():
    text = "Rest\x00 at home 🙂.\r\nשלום עולם! مرحبا بالعالم. \ud800 Done."

    report = readability_report(text)

    assert isinstance(report, PlainLanguageReport)
    assert report.sentence_count == 4


@given(st.text(st.characters(exclude_categories=())))
def test_arbitrary_text_never_raises(text):
    assert isinstance(readability_report(text), PlainLanguageReport)


MARKDOWN_PIECES = [
    "\n", "\n\n", " ", "    ", "#", "## ", "|", "|---|", "- ", "1. ", "> ", "```",
    "~~~", "---", "===", "*", "_", "`", "[", "]", "(", ")", "![", "](", "<b>", "<",
    ">", "https://x.y", "\\", ".", "?", "! ", "e.g. ", "Dr. ", "1.5", "was ",
    "given ", "not ", "is ", "A", "word ", "\x00", "🙂", "مرحبا", "&amp;", "\r",
]  # fmt: skip


@given(st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=3)))
def test_arbitrary_markdown_like_text_never_raises(pieces):
    report = readability_report("".join(pieces))

    assert report.issue_count >= 0
    assert isinstance(report.summary(), str)


def test_a_seed_article_gives_a_report():
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"no seed articles in {SEEDS}")

    report = readability_report(seeds[0].read_text(encoding="utf-8", errors="replace"))

    assert report.is_empty is False
    assert report.reading_grade is not None
