"""The review diff: what a medical reviewer reads before approving a draft."""

import re

from articles.review.diff import FieldDiff, diff_content, diff_text

TAG = re.compile(r"<[^>]*>")
ALLOWED_TAGS = {"<del>", "</del>", "<ins>", "</ins>", '<del class="flip">'}
ALLOWED_TAGS |= {'<ins class="flip">'}


def content(**overrides):
    base = {
        "title": "How much paracetamol can I take?",
        "short_answer": "Adults can take 2 tablets every 4 hours.",
        "body": "## Dose\n\nTake 2 tablets.\n\nIt is safe with food.\n",
        "faqs": [
            {"question": "Can children take it?", "answer": "Yes, in a lower dose."},
            {"question": "Can I drink alcohol?", "answer": "Avoid heavy drinking."},
        ],
        "key_takeaways": ["Read the label.", "Do not exceed 8 tablets a day."],
        "references": [
            {"citation": "NHS. Paracetamol for adults.", "url": "https://nhs.uk/p"}
        ],
        "slug": "paracetamol-dose",
        "topic": "medicines",
        "author": "hannah-okafor",
        "author_name": "Hannah Okafor",
        "author_credentials": "RN",
        "review_interval_months": 12,
    }
    return base | overrides


def by_label(diffs):
    return {d.label: d for d in diffs}


def test_identical_texts_show_no_change_and_no_flips():
    html, flips = diff_text("Take 2 tablets.", "Take 2 tablets.")
    assert html == "Take 2 tablets."
    assert flips == ()


def test_a_changed_word_shows_as_deleted_then_inserted():
    html, flips = diff_text("Drink water often.", "Drink milk often.")
    assert html == "Drink <del>water</del><ins>milk</ins> often."
    assert flips == ()


def test_consecutive_changed_words_are_grouped_into_one_pair():
    html, _ = diff_text("Rest in bed today.", "Walk a little today.")
    assert html == "<del>Rest in bed</del><ins>Walk a little</ins> today."


def test_changed_dose_number_is_flagged_as_a_flip():
    html, flips = diff_text("Take 2 tablets.", "Take 20 tablets.")
    assert '<del class="flip">2</del><ins class="flip">20</ins>' in html
    assert flips == ("number 2 → 20",)


def test_numbers_with_decimals_ranges_units_and_percentages_stay_whole():
    old = "Aim below 120/80 mmHg, 6g of salt, 2.5 mg, 1,000+ steps, 50% less."
    new = "Aim below 130/80 mmHg, 5g of salt, 2.5 mg, 1,000+ steps, 40% less."
    _, flips = diff_text(old, new)
    assert flips == ("number 120/80 → 130/80", "number 6g → 5g", "number 50% → 40%")


def test_added_and_removed_numbers_are_noted_on_their_own():
    assert diff_text("Take tablets.", "Take 2 tablets.")[1] == ("number added: 2",)
    assert diff_text("Take 2 tablets.", "Take tablets.")[1] == ("number removed: 2",)


def test_added_negation_is_flagged_as_a_flip():
    html, flips = diff_text("It is safe.", "It is not safe.")
    assert '<ins class="flip">not' in html
    assert flips == ('negation added: "not"',)


def test_removed_negation_is_flagged_as_a_flip():
    html, flips = diff_text("Never give aspirin.", "Give aspirin.")
    assert '<del class="flip">Never' in html
    assert flips == ('negation removed: "never"',)


def test_negation_with_a_curly_apostrophe_is_recognised():
    html, flips = diff_text("You should stop.", "You don’t need to stop.")
    assert '<ins class="flip">don’t' in html
    assert flips == ('negation added: "don\'t"',)


def test_changed_word_that_is_no_number_or_negation_has_no_flip_class():
    html, _ = diff_text("Drink water.", "Drink milk.")
    assert "flip" not in html


def test_example_from_the_review_screen():
    html, flips = diff_text(
        "Take 2 tablets. It is safe.", "Take 20 tablets. It is not safe."
    )
    assert html == (
        'Take <del class="flip">2</del><ins class="flip">20</ins> tablets. '
        'It is <ins class="flip">not </ins>safe.'
    )
    assert flips == ("number 2 → 20", 'negation added: "not"')


def test_hostile_content_is_escaped_and_only_del_and_ins_tags_are_emitted():
    hostile = content(
        title="<script>alert(1)</script>",
        body='Fine"><img src=x onerror=alert(1)>',
        faqs=[{"question": "<b>Q</b>?", "answer": "<iframe src=//evil>"}],
        key_takeaways=["<svg onload=alert(1)>"],
        references=[{"citation": "&lt;x&gt;", "url": "javascript:alert(1)"}],
    )
    for old in (None, content(), hostile):
        for diff in diff_content(old, hostile):
            assert "<script" not in diff.html and "<img" not in diff.html
            assert set(TAG.findall(diff.html)) <= ALLOWED_TAGS
    html, _ = diff_text("safe", "<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unchanged_hostile_text_is_escaped_too():
    html, _ = diff_text("<script>x</script>", "<script>x</script>")
    assert html == "&lt;script&gt;x&lt;/script&gt;"


def test_newlines_and_spacing_are_kept_as_they_are():
    old = "Line one.\n\n  Indented 2.\nLast line."
    new = "Line one.\n\n  Indented 3.\nLast line."
    html, _ = diff_text(old, new)
    assert TAG.sub("", html).replace("23", "") == old.replace("2", "")
    assert html.startswith("Line one.\n\n  Indented <del")
    assert html.endswith(".\nLast line.")


def test_with_no_live_version_everything_shows_as_added():
    new = content()
    diffs = diff_content(None, new)
    assert all(d.changed for d in diffs)
    assert all("<del" not in d.html for d in diffs)
    fields = by_label(diffs)
    assert fields["Question"].html == f"<ins>{new['title']}</ins>"
    assert "number added: 2" in fields["Short answer"].flips
    assert "FAQ 1 (added)" in fields and "FAQ 2 (added)" in fields


def test_unchanged_fields_are_returned_unchanged_with_escaped_text():
    old = content(title="Is 5 < 6?")
    fields = by_label(diff_content(old, old))
    assert not any(d.changed for d in fields.values())
    assert fields["Question"] == FieldDiff("Question", False, "Is 5 &lt; 6?", ())


def test_labels_follow_the_reading_order_of_the_page():
    labels = [d.label for d in diff_content(content(), content())]
    assert labels == [
        "Question",
        "Short answer",
        "Body",
        "FAQ 1: question",
        "FAQ 1: answer",
        "FAQ 2: question",
        "FAQ 2: answer",
        "Key takeaways",
        "References",
        "Address (slug)",
        "Topic (slug)",
        "Written by (person slug)",
        "Written by: name as printed",
        "Written by: credentials as printed",
        "Review interval in months (sets “Next review due”)",
    ]


def test_the_review_page_shows_the_public_note_about_the_update():
    new = content(change_summary="Now safe with food", is_correction=True)
    fields = by_label(diff_content(content(), new))
    assert (
        fields["Public summary of this update"].html == "<ins>Now safe with food</ins>"
    )
    assert fields["Marked as a correction"].changed is True
    assert "<ins>Yes</ins>" in fields["Marked as a correction"].html
    plain = by_label(diff_content(content(), content(change_summary="Clearer")))
    assert plain["Marked as a correction"].changed is False
    assert plain["Marked as a correction"].flips == ()
    assert fields["Question"].changed is False


def test_a_renamed_author_or_a_new_review_interval_shows_in_the_diff():
    fields = by_label(
        diff_content(
            content(),
            content(author_name="Dr Hannah Okafor", review_interval_months=36),
        )
    )
    assert fields["Written by: name as printed"].changed is True
    assert "36" in fields["Review interval in months (sets “Next review due”)"].html
    assert fields["Written by (person slug)"].changed is False


def test_a_byline_change_shows_in_the_diff():
    fields = by_label(
        diff_content(content(author="hannah-okafor"), content(author="priya-raman"))
    )
    assert fields["Written by (person slug)"].changed is True
    assert fields["Question"].changed is False


def test_faqs_pair_by_position_and_only_the_changed_part_is_marked():
    old = content()
    faqs = [old["faqs"][0], {**old["faqs"][1], "answer": "Do not drink alcohol."}]
    fields = by_label(diff_content(old, content(faqs=faqs)))
    assert not fields["FAQ 2: question"].changed
    assert fields["FAQ 2: answer"].changed
    assert 'negation added: "not"' in fields["FAQ 2: answer"].flips


def test_an_added_faq_is_labelled_and_shown_entirely_added():
    old = content()
    extra = {"question": "Is it safe in pregnancy?", "answer": "Usually, yes."}
    diffs = diff_content(old, content(faqs=[*old["faqs"], extra]))
    added = by_label(diffs)["FAQ 3 (added)"]
    assert added.changed
    assert added.html == "<ins>Is it safe in pregnancy?\nUsually, yes.</ins>"


def test_a_removed_faq_is_labelled_and_shown_entirely_removed():
    old = content()
    diffs = diff_content(old, content(faqs=old["faqs"][:1]))
    removed = by_label(diffs)["FAQ (removed, was 2)"]
    assert removed.html == (
        '<del class="flip">Can I drink alcohol?\nAvoid heavy drinking.</del>'
    )
    assert removed.flips == ('negation removed: "avoid"',)
    assert [d.label for d in diffs][5:8] == [
        "FAQ (removed, was 2)",
        "Key takeaways",
        "References",
    ]


def test_reordered_takeaways_show_the_moved_line():
    old = content(key_takeaways=["Rest.", "Drink fluids.", "See a GP."])
    new = content(key_takeaways=["See a GP.", "Rest.", "Drink fluids."])
    takeaways = by_label(diff_content(old, new))["Key takeaways"]
    assert takeaways.changed
    assert takeaways.html == (
        "<ins>See a GP.</ins>\nRest.\nDrink fluids.\n<del>See a GP.</del>"
    )


def test_an_added_takeaway_shows_as_its_own_added_line():
    old = content()
    new = content(key_takeaways=[*old["key_takeaways"], "Keep it away from children."])
    takeaways = by_label(diff_content(old, new))["Key takeaways"]
    assert takeaways.html == (
        "Read the label.\nDo not exceed 8 tablets a day."
        "\n<ins>Keep it away from children.</ins>"
    )


def test_references_diff_one_per_line_as_citation_and_url():
    old = content()
    new = content(
        references=[
            {"citation": "NHS. Paracetamol for adults.", "url": "https://nhs.uk/q"},
            {"citation": "BNF. Paracetamol.", "url": ""},
        ]
    )
    references = by_label(diff_content(old, new))["References"]
    assert references.html.startswith("NHS. Paracetamol for adults. — https://nhs.uk/")
    assert "<del>p</del><ins>q" in references.html
    assert references.html.endswith("</ins>\n<ins>BNF. Paracetamol.</ins>")


def test_changed_body_number_is_reported_on_the_body_field():
    new = content(body="## Dose\n\nTake 20 tablets.\n\nIt is safe with food.\n")
    body = by_label(diff_content(content(), new))["Body"]
    assert body.changed
    assert body.flips == ("number 2 → 20",)
    assert "## Dose\n\nTake " in body.html


def test_long_unchanged_stretches_are_folded_around_a_change():
    old = "".join(f"line {i}\n" for i in range(20))
    new = old.replace("line 10\n", "line ten\n")
    html, _ = diff_text(old, new)
    assert html.startswith('<span class="diff-skip">… 7 unchanged lines …</span>\n')
    assert html.endswith('<span class="diff-skip">… 6 unchanged lines …</span>\n')
    assert "line 6\n" not in html and "line 7\nline 8\nline 9\n" in html
    assert "line 11\nline 12\nline 13\n" in html and "line 14" not in html


def test_short_unchanged_stretches_are_shown_whole():
    old = "a\nb\nc\nd\ne\n"
    html, _ = diff_text(old, old.replace("c", "C"))
    assert "diff-skip" not in html
    assert html.startswith("a\nb\n") and html.endswith("d\ne")


def test_inserting_a_faq_marks_only_that_faq_and_raises_no_alarms():
    old = content()
    inserted = {"question": "Is it safe in pregnancy?", "answer": "Usually, yes."}
    new = content(faqs=[old["faqs"][0], inserted, old["faqs"][1]])
    diffs = [d for d in diff_content(old, new) if d.label.startswith("FAQ")]
    changed = [d.label for d in diffs if d.changed]
    assert changed == ["FAQ 2 (added)"]
    assert "FAQ 3 (was 2): answer" in [d.label for d in diffs]
    assert all(not d.flips for d in diffs)


def test_an_edited_faq_pairs_with_itself_when_another_is_inserted_before_it():
    old = content()
    inserted = {"question": "Is it safe in pregnancy?", "answer": "Usually, yes."}
    edited = {
        "question": "Can I drink alcohol?",
        "answer": "Avoid heavy drinking, never binge.",
    }
    new = content(faqs=[inserted, old["faqs"][0], edited])
    found = by_label(diff_content(old, new))
    assert found["FAQ 1 (added)"].changed
    assert not found["FAQ 2 (was 1): question"].changed
    answer = found["FAQ 3 (was 2): answer"]
    assert answer.html == 'Avoid heavy drinking<ins class="flip">, never binge</ins>.'
    assert answer.flips == ('negation added: "never"',)


def test_inserting_a_takeaway_in_the_middle_shows_one_added_line():
    old = content(
        key_takeaways=["Rest.", "Drink fluids.", "See a GP if it gets worse."]
    )
    new = content(
        key_takeaways=[
            "Rest.",
            "Do not take aspirin.",
            "Drink fluids.",
            "See a GP if it gets worse.",
        ]
    )
    takeaways = by_label(diff_content(old, new))["Key takeaways"]
    assert takeaways.html == (
        'Rest.\n<ins class="flip">Do not take aspirin.</ins>\nDrink fluids.\nSee a GP if it gets worse.'
    )
    assert takeaways.flips == ('negation added: "not"',)


def test_windows_line_endings_are_not_a_change():
    html, flips = diff_text(
        "## Dose\n\nTake 2 tablets.\n", "## Dose\r\n\r\nTake 2 tablets.\r\n"
    )
    assert "<ins>" not in html and "<del>" not in html
    assert flips == ()
