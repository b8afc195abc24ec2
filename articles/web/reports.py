"""Readers' "Report a problem with this page": the form, its thanks page and
the guards that keep abuse from storing anything.

Why the article page stays cacheable: it carries a plain link here (with the
number of the version it shows), never the form. A form posting to Django
needs a CSRF token, and a token in the article page would make it one page
per visitor: a cookie to set, Vary: Cookie doing real work, and shared caches
and the page cache (web/page_cache.py) unable to keep it, or worse, keeping
one visitor's token for everyone. So the form lives at its own address,
answered afresh for each reader (Cache-Control: private, no-store; noindex)
with Django's normal CSRF token and cookie, and the article page, its stored
block and every cached copy of it stay exactly what they were.

A post is refused, storing nothing, in this order:
- a body over REPORT_MAX_BODY_BYTES: 413, from ReportBodyLimitMiddleware
  before CsrfViewMiddleware reads (and parses) the body, and again here;
- a missing or wrong CSRF token: 403 (CsrfViewMiddleware);
- the honeypot field filled in: the same thanks a person gets, so a robot
  learns nothing;
- more than REPORT_RATE_LIMIT reports from the reader's address within
  REPORT_RATE_WINDOW: 429 (counted in the database through
  ProblemReport.sender, a keyed hash, so every process shares the count);
- a field too long, empty, or holding control characters (the model's
  clean()): the form again with the message (400).
"""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import ArticleVersion, ProblemReport
from articles.text.newlines import normalise_newlines
from cms.security import client_ip

# A text field no person can see or reach; robots fill in every field.
HONEYPOT_FIELD = "website"
SENDER_SALT = "articles.web.reports.sender"
TEMPLATE = "articles/report_problem.html"


class ReaderText(forms.CharField):
    """Line breaks counted as one character each, as the browser counted them
    against the field's maxlength (it sends each one as "\\r\\n")."""

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["message", "contact"]
        field_classes = {"message": ReaderText, "contact": ReaderText}
        labels = {
            "message": "What is wrong?",
            "contact": "How can we contact you? (optional)",
        }
        help_texts = {
            "message": (
                "For example a mistake, something out of date, a broken link or "
                "something hard to understand. Up to "
                f"{ProblemReport.MAX_MESSAGE_LENGTH:,} characters."
            ),
            "contact": (
                "An email address or phone number, only if you would like a "
                "reply. We use it for nothing else."
            ),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 8, "cols": 60}),
            "contact": forms.TextInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)


def live_version_at(slug: str) -> ArticleVersion:
    """The live version at this address; 404 for a draft, a withdrawn article
    or no article (the report form exists only beside a public page)."""
    version = ArticleVersion.objects.live().listing().filter(slug=slug).first()
    if version is None:
        raise Http404("No public article at this address.")
    return version


def version_seen(live: ArticleVersion, number: str) -> ArticleVersion:
    """The version the reader read: the one numbered in their link if the
    article has it (every version was public once), otherwise the live one."""
    if number.isdigit() and len(number) < 10 and int(number) != live.number:
        seen = (
            ArticleVersion.objects.listing()
            .filter(article_id=live.article_id, number=int(number))
            .first()
        )
        if seen is not None:
            return seen
    return live


def sender_key(request) -> str:
    """A keyed hash (HMAC-SHA256 from SECRET_KEY) of the reader's address:
    the same address always gives the same key, and the key gives no address
    back, so the rate limit can count without storing where anyone is."""
    address = client_ip(request) or ""
    return salted_hmac(SENDER_SALT, address, algorithm="sha256").hexdigest()


def over_rate_limit(sender: str) -> bool:
    """True if this sender already sent REPORT_RATE_LIMIT reports within
    REPORT_RATE_WINDOW. Two posts at the same instant may both pass: the
    limit is against floods, not a count that must be exact."""
    since = timezone.now() - settings.REPORT_RATE_WINDOW
    sent = ProblemReport.objects.filter(sender=sender, received_at__gte=since)
    return sent.count() >= settings.REPORT_RATE_LIMIT


def body_too_large(request) -> bool:
    """Whether the declared body is over the limit (a missing or unreadable
    Content-Length is 0 to Django, which then reads nothing)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.REPORT_MAX_BODY_BYTES


def too_large_page(request):
    """The 413 page: rendered without the database (the body was not read)."""
    response = render(
        request,
        TEMPLATE,
        {
            "refusal": (
                "Your report was too long to send, so nothing was sent. A report "
                f"can be up to {ProblemReport.MAX_MESSAGE_LENGTH:,} characters, "
                f"and contact details up to {ProblemReport.MAX_CONTACT_LENGTH}. "
                "Go back, shorten it and send it again."
            )
        },
        status=413,
    )
    add_never_cache_headers(response)
    return response


def _window_words() -> str:
    minutes = int(settings.REPORT_RATE_WINDOW.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return "minute" if minutes == 1 else f"{minutes} minutes"


def _form_page(request, live, seen, form, *, status=200, refusal=""):
    return render(
        request,
        TEMPLATE,
        {
            "version": live,
            "seen": seen,
            "form": form,
            "honeypot": HONEYPOT_FIELD,
            "refusal": refusal,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_problem(request, slug):
    """The form (GET, for the version in ?version=) and its post, stored with
    the article and the version the reader saw, then the thanks page.

    Templates: articles/report_problem.html. Context: version (live), seen
    (the version reported on), form, honeypot (the trap field's name), refusal.
    """
    if body_too_large(request):
        return too_large_page(request)
    live = live_version_at(slug)
    given = request.POST if request.method == "POST" else request.GET
    seen = version_seen(live, given.get("version", ""))
    if request.method != "POST":
        return _form_page(request, live, seen, ProblemReportForm())
    if request.POST.get(HONEYPOT_FIELD, ""):
        return redirect("articles:report_thanks", slug=live.slug)
    sender = sender_key(request)
    if over_rate_limit(sender):
        # Their words are given back, so nothing they typed is lost.
        kept = ProblemReportForm(
            initial={
                name: request.POST.get(name, "") for name in ("message", "contact")
            }
        )
        limit = settings.REPORT_RATE_LIMIT
        response = _form_page(
            request,
            live,
            seen,
            kept,
            status=429,
            refusal=(
                f"We have already had {limit} report{'s' if limit != 1 else ''} "
                f"from your connection in the last {_window_words()}, the most we "
                "take, so this one was not sent. Please try again later; your "
                "text is still below."
            ),
        )
        response["Retry-After"] = str(int(settings.REPORT_RATE_WINDOW.total_seconds()))
        return response
    report = ProblemReport(article_id=live.article_id, version=seen, sender=sender)
    form = ProblemReportForm(request.POST, instance=report)
    if not form.is_valid():
        return _form_page(request, live, seen, form, status=400)
    form.save()
    return redirect("articles:report_thanks", slug=live.slug)


@never_cache
@require_safe
def report_thanks(request, slug):
    """After a report: thanks, what happens next, and the way back."""
    return render(
        request, "articles/report_thanks.html", {"version": live_version_at(slug)}
    )


class ReportBodyLimitMiddleware:
    """Refuse an oversized report (413) before CsrfViewMiddleware reads its
    body to find the token: without this, any body up to Django's 2.5 MB
    DATA_UPLOAD_MAX_MEMORY_SIZE is read and parsed first. Listed just before
    CsrfViewMiddleware, whose process_view then never runs for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is report_problem and body_too_large(request):
            return too_large_page(request)
        return None
