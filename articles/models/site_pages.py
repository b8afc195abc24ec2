"""The pages about the site that the footer links to (editorial policy, how
content is reviewed), with a starting text the publisher edits in the admin.
Created by migration 0009 and, if missing (say, after a database flush), by
load_demo.
"""

from articles.text.rendering import render_markdown

EDITORIAL_POLICY = """Every answer on this site is written for people looking for clear, reliable health information, and checked by a clinician before anyone can read it.

## What we publish

- Answers to real questions people ask, in plain language.
- Advice based on current guidance from national health bodies and on good-quality research, listed as references under each answer.
- No advertising and no sponsored content. Nobody pays to appear in an answer.

## Who writes and checks it

Each answer names its writer and the clinician who medically reviewed it. Their profiles list their qualifications and the other answers they worked on.

## Keeping answers up to date

Every answer has a date for its next review, usually within 12 months. When we change an answer we say what changed at the top of the page; when we correct a mistake we say so, in a "Corrections" note on the page.

## Tell us about a mistake

If you think something on this site is wrong, please tell us. We check every report and correct errors openly.
"""

HOW_WE_REVIEW = """Nothing on this site is public until a clinician has approved it.

1. **A writer drafts the answer** from current guidance and research, and lists the sources.
2. **A medical reviewer checks it**: a registered clinician who did not write it. They see exactly what changed since the last public version, with changed numbers and negations highlighted, and either approve the text or send it back with comments.
3. **An editor publishes the approved text.** If anyone changes a word after approval, the approval no longer applies and the text goes back for review.
4. **Regular re-review.** Each answer shows when it was last reviewed and when its next review is due. A clinician re-checks it by then, and the page shows the new review date.

Each page shows its review dates at the bottom and, under "Page history", every change we published.
"""


DEFAULT_PAGES = [
    ("editorial-policy", "Editorial policy", EDITORIAL_POLICY),
    ("how-we-review", "How we review content", HOW_WE_REVIEW),
]


def ensure_site_pages(site_page_model) -> int:
    """Create the default pages that do not exist; never change existing ones.
    Takes the model so the data migration can pass its historical one."""
    created = 0
    for slug, title, body in DEFAULT_PAGES:
        _, new = site_page_model.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "body": body, "body_html": render_markdown(body)},
        )
        created += new
    return created
