"""RSS feed of new and updated answers: /feed/.

An item is a live ArticleVersion: a new publication or a periodic re-review.
A withdrawn article leaves the feed, and a draft never enters it.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.dateformat import format as format_date
from django.utils.html import escape

from articles.models import LONG_VERSION_FIELDS, ArticleVersion
from articles.text.control_characters import strip_control_characters
from articles.text.references import shown_reference

ITEMS_IN_FEED = 30


def feed_text(text: str) -> str:
    """Escaped text without the control characters XML 1.0 cannot carry. The
    models refuse them now; a version saved before that must not take the
    whole feed down."""
    return escape(strip_control_characters(text))


class LatestArticlesFeed(Feed):
    link = "/"
    description = (
        "Health questions answered in plain language and checked by clinicians: "
        "newly published answers and answers a clinician has re-reviewed."
    )
    item_guid_is_permalink = False

    def title(self):
        # Read per request, so a changed SITE_NAME (or a test's) is honoured.
        return f"{settings.SITE_NAME}: new and updated answers"

    def get_object(self, request, *args, **kwargs):
        """Hand the request to items(): GUIDs need the site's address, and one
        Feed instance serves every request, so nothing may be stored on it."""
        return request

    def items(self, request):
        # The short listing, plus the references its items name as sources.
        long_fields = [f for f in LONG_VERSION_FIELDS if f != "references"]
        versions = list(
            ArticleVersion.objects.live()
            .defer(*long_fields)
            .order_by("-published_at", "-pk")[:ITEMS_IN_FEED]
        )
        for version in versions:
            # Unique per version and never changing: a re-review is a new item.
            version.feed_guid = request.build_absolute_uri(
                f"{version.get_absolute_url()}#version-{version.number}"
            )
        return versions

    def item_title(self, version):
        # Readers treat RSS titles and descriptions as HTML: escape the text
        # (as Django's default item_title does) so it shows as written.
        if version.is_correction:
            return feed_text(f"Corrected: {version.title}")
        return feed_text(version.title)

    def item_description(self, version):
        text = version.short_answer
        if version.kind == ArticleVersion.Kind.REREVIEW:
            reviewed = format_date(version.last_reviewed_on, "j F Y")
            text = f"Medically re-reviewed on {reviewed}: {text}"
        elif version.is_update and version.change_summary:
            # The public change log: what this version changed, and whether it
            # corrects an error, before the answer itself.
            label = "Correction" if version.is_correction else "Updated"
            text = f"{label}: {version.change_summary} — {text}"
        shown = [shown_reference(n, r) for n, r in enumerate(version.references, 1)]
        sources = [" ".join([r.text, *(label for label, _ in r.links)]) for r in shown]
        if sources:
            numbered = " ".join(
                f"[{n}] {source}" for n, source in enumerate(sources, 1)
            )
            text = f"{text} Sources: {numbered}"
        return feed_text(text)

    def item_link(self, version):
        return version.get_absolute_url()

    def item_guid(self, version):
        return version.feed_guid

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at
