import re
import signal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.text.callouts import CALLOUT_HELP, callout_problems
from articles.text.rendering import render_markdown


def card(kind: str, body: str = "- chest pain\n- fainting", heading: str = "") -> str:
    opener = f"/// {kind} | {heading}" if heading else f"/// {kind}"
    return f"{opener}\n{body}\n///\n"


class TookTooLong(BaseException):
    """Not an Exception, so no ``except Exception`` in the parser swallows it."""


def finishes(function, text: str, seconds: float = 2.0):
    """``function(text)``, failing the test after ``seconds`` instead of hanging."""

    def give_up(signum, frame):
        if frame is not None and frame.f_code is finishes.__code__:
            return  # finishing or cancelling: nothing to interrupt
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, give_up)
    # The timer repeats: a signal that arrives while a gc callback or finaliser
    # runs (Hypothesis installs a gc callback) raises there, and Python only
    # prints that exception.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        return function(text)
    except TookTooLong:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # Outside the except block, so the runaway parser's frames are freed.
    pytest.fail(f"{function.__name__}({text!r}) took over {seconds}s", pytrace=False)


def classes_in(html: str) -> set[str]:
    return {
        name for value in re.findall(r'class="([^"]*)"', html) for name in value.split()
    }


@pytest.mark.parametrize(
    ("kind", "prefix", "heading"),
    [
        ("non-urgent", "Non-urgent advice: ", "Speak to your clinician if:"),
        ("urgent", "Urgent advice: ", "Get urgent medical advice if:"),
        ("emergency", "Emergency advice: ", "Call 999 now if:"),
    ],
)
def test_care_card_renders_heading_hidden_prefix_and_list(kind, prefix, heading):
    html = render_markdown(card(kind))
    assert html.startswith(f'<div class="care-card care-card--{kind}">')
    assert re.search(
        r'<h3 class="care-card__heading" id="[^"]+">'
        rf'<span class="visually-hidden">{prefix}</span>{re.escape(heading)}</h3>',
        html,
    )
    assert '<div class="care-card__content">' in html
    assert "<ul>\n<li>chest pain</li>\n<li>fainting</li>\n</ul>" in html


def test_text_after_the_bar_replaces_the_default_heading():
    html = render_markdown(card("urgent", heading="Get urgent advice from 111 if:"))
    assert (
        '<span class="visually-hidden">Urgent advice: </span>'
        "Get urgent advice from 111 if:</h3>"
    ) in html
    assert "Get urgent medical advice if:" not in html


def test_heading_is_plain_text_not_markdown_or_html():
    html = render_markdown(card("urgent", heading="Call <b>111</b> or [go](/x) if:"))
    assert "Call &lt;b&gt;111&lt;/b&gt; or [go](/x) if:</h3>" in html
    assert "<a " not in html


def test_emergency_heading_names_the_number_from_settings(settings):
    settings.SITE_EMERGENCY_NUMBER = "112"
    html = render_markdown(card("emergency"))
    assert "</span>Call 112 now if:</h3>" in html
    assert "999" not in html


def test_emergency_heading_falls_back_to_words_without_a_number(settings):
    settings.SITE_EMERGENCY_NUMBER = ""
    assert "</span>Call emergency services now if:</h3>" in render_markdown(
        card("emergency")
    )


def test_emergency_heading_defaults_to_999_without_the_setting(settings):
    del settings.SITE_EMERGENCY_NUMBER
    assert "</span>Call 999 now if:</h3>" in render_markdown(card("emergency"))


def test_card_headings_get_ids_and_body_headings_keep_theirs():
    html = render_markdown("## Red flags\n\n" + card("urgent") + card("urgent"))
    assert '<h2 id="red-flags">Red flags</h2>' in html
    ids = re.findall(r'<h3 class="care-card__heading" id="([^"]+)"', html)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_important_callout_has_a_heading_and_free_markdown():
    html = render_markdown(card("important", "Do **not** take ibuprofen.\n\n- one"))
    assert html.startswith('<div class="callout callout--important">')
    assert re.search(
        r'<h3 class="callout__heading" id="[^"]+">'
        r'<span class="visually-hidden">Important: </span>Important</h3>',
        html,
    )
    assert "<p>Do <strong>not</strong> take ibuprofen.</p>" in html
    assert "<li>one</li>" in html


def test_information_callout_has_a_hidden_prefix_and_no_visible_heading():
    html = render_markdown(card("info", "Most colds get better in 7 days."))
    assert html.startswith(
        '<div class="callout callout--info">'
        '<span class="visually-hidden">Information: </span>'
        '<div class="callout__content">'
    )
    assert "<h3" not in html
    assert "<p>Most colds get better in 7 days.</p>" in html


def test_information_callout_can_be_given_a_heading():
    html = render_markdown(card("info", "Text.", heading="Good to know"))
    assert "Information: </span>Good to know</h3>" in html


def test_block_type_is_not_case_sensitive():
    assert 'class="care-card care-card--urgent"' in render_markdown(card("URGENT"))


def test_care_card_without_a_list_still_renders():
    html = render_markdown(card("urgent", "You feel unwell."))
    assert 'class="care-card care-card--urgent"' in html
    assert "<p>You feel unwell.</p>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "- <script>alert(1)</script>",
        '- <img src="x" onerror="alert(1)">',
        '- <a href="javascript:alert(1)">click</a>',
        "- [click](javascript:alert(1))",
        '- <span style="color:red" onclick="alert(1)">x</span>',
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_sanitiser_still_cleans_inside_cards(hostile):
    html = render_markdown(card("urgent", hostile)).lower()
    assert "<script" not in html and "alert(1)</" not in html
    assert re.search(r"\son\w+\s*=", html) is None
    assert "javascript:" not in html
    assert "style=" not in html


def test_only_generated_card_classes_survive():
    html = render_markdown(
        card("urgent", '- <span class="evil care-card">x</span>\n- y')
        + '\n<div class="care-card care-card--emergency">fake</div>\n\n'
        + '<p class="visually-hidden">hidden</p>\n\n'
        + '<span class="callout">x</span>\n'
    )
    assert classes_in(html) == {
        "care-card",
        "care-card--urgent",
        "care-card__heading",
        "care-card__content",
        "visually-hidden",
    }
    assert html.count('class="care-card') == 3  # the card, its heading, its content
    assert "<div>fake</div>" in html and "<p>hidden</p>" in html


def test_raw_html_outside_cards_cannot_carry_any_class():
    html = render_markdown('<div class="care-card care-card--emergency">x</div>')
    assert "class=" not in html


def test_block_options_cannot_add_classes_or_ids():
    html = render_markdown(
        "/// urgent\n    attrs: {class: evil, id: main, onclick: x}\n- y\n///\n"
    )
    assert classes_in(html) <= {
        "care-card",
        "care-card--urgent",
        "care-card__heading",
        "care-card__content",
        "visually-hidden",
    }
    assert "evil" not in html
    assert 'id="main"' not in html and "onclick" not in html


@pytest.mark.parametrize(
    ("body", "link"),
    [
        ("- call [111 online](https://111.nhs.uk/)", '"111 online"'),
        ("- see <https://111.nhs.uk/>", '"https://111.nhs.uk/"'),
        ('- <a href="https://111.nhs.uk/">111</a>', '"https://111.nhs.uk/"'),
        ('<p>Or <A HREF="tel:111">ring</A></p>', '"tel:111"'),
    ],
)
def test_link_in_an_emergency_card_is_reported_naming_the_card(body, link):
    text = card("urgent") + card("emergency", f"- chest pain\n{body}")
    assert callout_problems(text) == [
        f'The emergency card "Call 999 now if:" (the 2nd care card) contains a '
        f"link ({link}). Emergency cards may not contain links: people in an "
        "emergency should call, not click."
    ]


def test_emergency_card_message_uses_its_own_heading(settings):
    settings.SITE_EMERGENCY_NUMBER = "112"
    problems = callout_problems(
        card("emergency", "- [a](/a)\n- [b](/b)", heading="Ring 112 if:")
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        'The emergency card "Ring 112 if:" (the 1st care card) contains links '
        '("a", "b").'
    )


def test_links_in_urgent_cards_and_callouts_are_fine():
    text = (
        card("non-urgent", "- see [your GP](/gp)")
        + card("urgent", "- use <https://111.nhs.uk/>")
        + card("important", 'Read <a href="/x">this</a>.')
        + card("info", "[More](/more)")
        + card("emergency")
    )
    assert callout_problems(text) == []


def test_bare_url_in_an_emergency_card_is_not_a_link():
    text = card("emergency", "- you cannot reach www.nhs.uk/111")
    assert "<a " not in render_markdown(text)
    assert callout_problems(text) == []


def test_text_without_blocks_has_no_problems():
    assert callout_problems("") == []
    assert callout_problems("Just [a link](/x) and\n\n- a list\n") == []


def test_unknown_block_type_is_reported_with_a_suggestion():
    problems = callout_problems("Intro\n\n/// urgnet\n- chest pain\n///\n")
    assert problems == [
        'Line 3: "/// urgnet" is not a block type we know. Did you mean "urgent"? '
        "Use one of non-urgent, urgent, emergency, important, info, with an "
        'optional heading after "|", e.g. "/// urgent | Get advice from 111 if:".'
    ]


def test_heading_without_a_bar_is_reported():
    problems = callout_problems("/// urgent Get advice if:\n- x\n///\n")
    assert len(problems) == 1
    assert problems[0].startswith('Line 1: "/// urgent Get advice if:" is not')


def test_unclosed_block_is_reported_naming_the_card():
    text = card("urgent") + "/// emergency | Ring now if:\n- chest pain\n"
    assert callout_problems(text) == [
        'The emergency card "Ring now if:" (the 2nd care card) is never closed. '
        'Add a line "///" where it ends.'
    ]


def test_unclosed_callout_is_counted_among_callouts():
    text = card("urgent") + card("info", "x") + "/// important\nTake care.\n"
    assert callout_problems(text) == [
        'The important callout "Important" (the 2nd callout) is never closed. '
        'Add a line "///" where it ends.'
    ]


def test_closing_line_without_an_open_block_is_reported():
    problems = callout_problems(card("urgent") + "\n///\n")
    assert problems == [
        'Line 6: "///" closes a block, but no block is open. '
        "Remove it, or start a block above it."
    ]


def test_blocks_nest_when_the_outer_one_has_more_slashes():
    text = "//// info\nWhen to get help:\n\n" + card("urgent") + "////\n"
    html = render_markdown(text)
    assert re.search(
        r'callout--info">.*care-card--urgent">.*</div>\n</div>', html, re.S
    )
    assert callout_problems(text) == []


def test_nesting_with_the_same_number_of_slashes_is_reported():
    problems = callout_problems("/// info\nText\n/// urgent\n- a\n///\n///\n")
    assert problems[0] == (
        'Line 3: "/// urgent" starts a block inside another block that also uses '
        '3 slashes, so the first "///" line closes the outer block. Give the outer '
        'block more slashes, e.g. "////" on its opening and closing lines.'
    )


def test_indented_first_line_is_reported():
    problems = callout_problems("/// urgent\n    - chest pain\n///\n")
    assert problems[0] == (
        'Line 2: the line after "/// urgent" is indented, so Markdown reads it as '
        "settings for the block, not as its content. Remove the indent."
    )


def test_care_card_without_a_bulleted_list_is_reported():
    text = card("urgent") + card("non-urgent", "1. numbered\n2. list")
    assert callout_problems(text) == [
        'The non-urgent card "Speak to your clinician if:" (the 2nd care card) has '
        'no bulleted list. Write each sign on its own line starting with "- ".'
    ]


def test_callouts_do_not_need_a_list():
    assert callout_problems(card("important", "Text.") + card("info", "Text.")) == []


def test_help_text_shows_every_block_type():
    for opener in ["/// non-urgent", "/// urgent", "/// emergency"]:
        assert opener in CALLOUT_HELP
    assert "/// important" in CALLOUT_HELP and "/// info" in CALLOUT_HELP
    for text in re.findall(r"<pre>(.*?)</pre>", CALLOUT_HELP, re.DOTALL):
        assert callout_problems(text) == []


PIECES = st.sampled_from(
    [
        "/// urgent",
        "/// emergency | Call now if:",
        "/// info",
        "/// important |",
        "//// non-urgent",
        "/// urgnet",
        "/// urgent care",
        "///",
        "////",
        "    attrs: {class: x}",
        "    - indented",
        "    attrs: [1, 2",
        "- item",
        "* [link](https://x.example)",
        "<https://x.example>",
        '<a href="/x">x</a>',
        "<div>",
        "</div>",
        "> /// urgent",
        "1. one",
        "## Heading",
        "| a | b |\n|---|---|",
        "",
    ]
)
MARKED_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=40).map(
    "\n".join
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(MARKED_TEXT)
def test_any_text_with_block_markers_renders_and_validates(text):
    html = finishes(render_markdown, text)
    assert isinstance(html, str)
    problems = finishes(callout_problems, text)
    assert all(isinstance(problem, str) and problem for problem in problems)
    assert classes_in(html) <= {
        "care-card",
        "care-card--non-urgent",
        "care-card--urgent",
        "care-card--emergency",
        "care-card__heading",
        "care-card__content",
        "callout",
        "callout--important",
        "callout--info",
        "callout__heading",
        "callout__content",
        "visually-hidden",
    }


def test_deeply_nested_blocks_do_not_break_rendering():
    text = "/// info\n" * 2000 + "text\n" + "///\n" * 2000
    assert "text" in render_markdown(text)
    assert isinstance(callout_problems(text), list)


# A block opened in a quote and a later opener in the same Markdown block (a
# closing line outside the quote joins it as a lazy continuation line) used to
# loop forever: pymdownx's test() cached the later block, parsed the quote
# first, and the quote's own block took the cache.
BLOCKS_AFTER_A_QUOTED_BLOCK = [
    ">/// emergency\n/// \n/// urgent  ",
    ">/// emergency\n///\n/// urgent",
    ">/// urgent\n- a\n///\n/// info\nx\n///",
    "> /// urgent\n> - a\n///\n/// emergency\n- b\n///",
    ">>/// urgent\n///\n/// info",
    ">>/// urgent\n- a\n>///\n/// emergency\n- b\n///",
    ">/// urgent\n>>/// info\n///\n/// urgent",
    ">/// info\nx\n///\n///\n///\n/// urgent\n- a\n///",
    "text\n>/// emergency\n- a\n///\n/// urgent\n- b\n///",
    "- item\n  >/// urgent\n///\n/// info",
]


@pytest.mark.parametrize("function", [render_markdown, callout_problems])
@pytest.mark.parametrize("text", BLOCKS_AFTER_A_QUOTED_BLOCK)
def test_block_after_a_block_opened_in_a_quote_does_not_hang(function, text):
    finishes(function, text)


def test_block_after_a_quoted_block_renders_after_the_quote():
    html = finishes(render_markdown, ">/// emergency\n/// \n/// urgent  ")
    quote_end = html.index("</blockquote>")
    assert 0 <= html.index("care-card--emergency") < quote_end
    assert html.index("care-card--urgent") > quote_end


def test_block_after_a_quoted_block_is_checked_in_document_order():
    problems = finishes(callout_problems, ">/// emergency\n/// \n/// urgent  ")
    assert any(
        problem.startswith('The emergency card "Call 999 now if:" (the 1st care card)')
        for problem in problems
    )
    assert (
        'The urgent card "Get urgent medical advice if:" (the 2nd care card) is '
        'never closed. Add a line "///" where it ends.'
    ) in problems


def test_cards_on_both_sides_of_a_quote_keep_their_content():
    text = "text\n>/// emergency\n- a\n///\n/// urgent\n- b\n///"
    html = finishes(render_markdown, text)
    assert re.search(r"care-card--emergency.*<li>a</li>.*</blockquote>", html, re.S)
    assert re.search(r"</blockquote>.*care-card--urgent.*<li>b</li>", html, re.S)
    assert not any("never closed" in p for p in finishes(callout_problems, text))
