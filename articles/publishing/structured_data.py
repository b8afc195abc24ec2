"""What an article page tells search engines and link previews: its canonical
address and Schema.org JSON-LD (who reviewed it and when, its FAQs, its place
in the site).

Everything comes from the ArticleVersion being shown, never from the working
copy, so structured data carries only approved text (DESIGN.md invariant 1).
"""

import datetime
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.text import figures
from articles.text.references import shown_reference

# The characters that could end a <script> element or open an HTML comment
# inside it; JSON keeps them as \u escapes (the same as Django's json_script).
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def site_origin(request) -> str:
    """ "https://example.org": the scheme and host (validated by ALLOWED_HOSTS)
    that absolute addresses start with."""
    return f"{request.scheme}://{request.get_host()}"


def article_head_context(version, origin: str) -> dict:
    """Context the article page's <head> needs (templates/articles/_head_meta.html);
    `origin` ("https://example.org") starts every absolute address."""
    return {
        "canonical_url": canonical_url(version, origin),
        "json_ld": article_json_ld(version, origin),
        "lead_image": lead_image(version, origin),
    }


def lead_image(version, origin: str) -> dict | None:
    """The article's first library image, for link previews and JSON-LD:
    its largest file in its own format up to LARGEST_SRC pixels wide."""
    images = getattr(version, "images", None) or []
    if not images:
        return None
    image = images[0]
    own = [f for f in image["files"] if f[2] == image["format"]]
    if not own:
        return None
    name, width, _ = max(
        (f for f in own if f[1] <= figures.LARGEST_SRC),
        key=lambda f: f[1],
        default=min(own, key=lambda f: f[1]),
    )
    return {
        "url": origin + figures.file_url(name),
        "width": width,
        "height": max(1, round(image["height"] * width / image["width"])),
        "alt": image["alt_text"],
        "caption": image.get("caption", ""),
        "credit": image.get("credit", ""),
        "licence": image.get("licence", ""),
    }


def _image_node(image: dict | None) -> dict | None:
    if image is None:
        return None
    return _without_empty(
        {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
            "caption": image["caption"] or image["alt"],
            "creditText": image["credit"],
            "license": image["licence"],
        }
    )


def canonical_url(version, origin: str) -> str:
    return origin + version.get_absolute_url()


def article_json_ld(version, origin: str) -> str:
    """One <script type="application/ld+json"> element, safe to print unescaped."""
    data = {"@context": "https://schema.org", "@graph": article_graph(version, origin)}
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def article_graph(version, origin: str) -> list[dict]:
    """The page (with its sources as `citation`), its FAQs (if any) and its
    breadcrumb trail, as Schema.org nodes."""
    url = canonical_url(version, origin)
    home_url = origin + reverse("articles:home")
    topic_url = origin + version.topic.get_absolute_url()
    page = _without_empty(
        {
            "@type": "MedicalWebPage",
            "@id": url,
            "url": url,
            "name": version.title,
            "description": version.short_answer,
            "inLanguage": "en-GB",
            "datePublished": _iso(version.first_published_at),
            "dateModified": _iso(version.content_updated_at),
            "lastReviewed": _iso(version.last_reviewed_on),
            "reviewedBy": person_node(
                version.reviewer_name,
                version.reviewer_credentials,
                version.reviewer,
                origin,
            ),
            "author": person_node(
                version.author_name, version.author_credentials, version.author, origin
            ),
            "about": {"@type": "Thing", "name": version.topic.name},
            "citation": [citation_node(r) for r in version.references] or None,
            "image": _image_node(lead_image(version, origin)),
            "isPartOf": {
                "@type": "WebSite",
                "name": settings.SITE_NAME,
                "url": home_url,
            },
            "publisher": {
                "@type": "Organization",
                "name": settings.SITE_NAME,
                "url": home_url,
            },
        }
    )
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            _crumb(1, "Home", home_url),
            _crumb(2, version.topic.name, topic_url),
            _crumb(3, version.title, url),
        ],
    }
    graph = [page, breadcrumbs]
    if version.faqs:
        graph.insert(1, _faq_page(version, url))
    return graph


# Schema.org types for each kind of reference (a guideline is a CreativeWork:
# schema.org's MedicalGuideline is not one, and `citation` expects one).
CITATION_TYPES = {
    "study": "ScholarlyArticle",
    "review": "ScholarlyArticle",
    "web": "WebPage",
}


def citation_node(reference: dict) -> dict:
    """A reference as a Schema.org CreativeWork: its title (or the citation as
    written), authors, journal or publisher, year, address and identifiers."""
    scholarly = CITATION_TYPES.get(reference.get("kind")) == "ScholarlyArticle"
    publisher = reference.get("publisher")
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name.upper(), "value": reference[name]}
        for name in ("doi", "pmid")
        if reference.get(name)
    ]
    shown = shown_reference(1, reference)
    return _without_empty(
        {
            "@type": CITATION_TYPES.get(reference.get("kind"), "CreativeWork"),
            "name": reference.get("title") or reference.get("citation"),
            "author": reference.get("authors"),
            "isPartOf": (
                {"@type": "Periodical", "name": publisher}
                if scholarly and publisher
                else None
            ),
            "publisher": (
                {"@type": "Organization", "name": publisher}
                if publisher and not scholarly
                else None
            ),
            "datePublished": str(reference["year"]) if reference.get("year") else None,
            "url": shown.main_url,
            "sameAs": [address for _, address in shown.links[1:]] or None,
            "identifier": identifiers or None,
        }
    )


def _faq_page(version, url) -> dict:
    """Answers are the sanitised HTML the page shows (Google allows simple tags)."""
    return {
        "@type": "FAQPage",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq["question"],
                "acceptedAnswer": {"@type": "Answer", "text": faq["answer_html"]},
            }
            for faq in version.faqs
        ],
    }


def person_node(name, credentials, person, origin: str):
    """A Schema.org Person: the name and credentials printed in the byline (the
    version's own copy), plus the profile's job title, page and other profiles."""
    if not name:
        return None  # an unsaved preview may not have a reviewer yet
    return _without_empty(
        {
            "@type": "Person",
            "name": name,
            "honorificSuffix": credentials,
            "jobTitle": person.job_title if person else None,
            "url": origin + person.get_absolute_url() if person else None,
            "sameAs": (person.links() or None) if person else None,
        }
    )


def profile_json_ld(person, origin: str) -> str:
    """A profile page's JSON-LD: a ProfilePage about the person."""
    node = person_node(person.name, person.credentials, person, origin)
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": origin + person.get_absolute_url(),
        "mainEntity": node,
    }
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _crumb(position, name, url) -> dict:
    return {"@type": "ListItem", "position": position, "name": name, "item": url}


def _iso(value):
    """ISO 8601; datetimes in the site's time zone, as the page prints them."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.isoformat()


def _without_empty(node: dict) -> dict:
    """Leave out what a version lacks (e.g. dates of an unpublished preview)."""
    return {key: value for key, value in node.items() if value not in (None, "")}
