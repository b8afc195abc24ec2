"""The reviewer's and publisher's pages around the article form: the review
page (decision first, the article as visitors will read it, the source diff
one click away), comparing any two texts, and the confirmation pages for
withdrawal and periodic re-confirmation. Every decision is the workflow's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.admin.article_forms import plain_language_report
from articles.models import Article, ArticleVersion, ReviewEvent
from articles.publishing import stored_pages as pages
from articles.review import comments, four_eyes, workflow
from articles.review.diff import diff_content
from articles.text.citations import citations_of

Action = ReviewEvent.Action
VIEWS = {
    "changes": "What changed",
    "rendered": "Read as visitors will",
    "source": "Source of every field",
}


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y %H:%M}"


def text_choices(article: Article) -> list[tuple[str, str]]:
    """Every text of an article that can be compared, newest first:
    the working copy, each published version and each saved draft revision."""
    choices = [("draft", "The working copy (as saved now)")]
    choices += [
        (
            f"v{version.number}",
            f"Version {version.number}, published {_when(version.published_at)}",
        )
        for version in article.versions.order_by("-number")
    ]
    choices += [
        (
            f"r{revision.number}",
            f"Draft revision {revision.number}, saved {_when(revision.saved_at)}",
        )
        for revision in article.revisions.order_by("-number")
    ]
    return choices


def text_of(article: Article, key: str) -> dict:
    """The content named by a text_choices() key; 404 for anything else."""
    if key == "draft":
        return article.approval_content()
    kind, number = key[:1], key[1:]
    if kind not in ("v", "r") or not number.isdecimal():
        raise Http404("No such text to compare.")
    if kind == "v":
        return get_object_or_404(article.versions, number=int(number)).content()
    return get_object_or_404(article.revisions, number=int(number)).content


def _last_seen(article: Article, user):
    """The text on which this reviewer last asked for changes, when the article
    has moved on since: (label, content), or None. After an approval the
    baseline is the live version (what that approval put on the site)."""
    event = (
        article.events.filter(user=user, action=Action.REQUEST_CHANGES)
        .order_by("-at", "-id")
        .first()
    )
    if event is None or event.content_hash == article.approval_hash():
        return None
    revision = (
        article.revisions.filter(content_hash=event.content_hash)
        .order_by("-number")
        .first()
    )
    if revision is None:
        return None
    doing = (
        "asked for changes" if event.action == Action.REQUEST_CHANGES else "approved"
    )
    return (f"what you saw when you {doing} on {_when(event.at)}", revision.content)


def _baselines(article: Article, user) -> dict[str, tuple[str, dict]]:
    found = {}
    if seen := _last_seen(article, user):
        found["seen"] = seen
    if live := article.live_version:
        found["live"] = (
            f"the live version {live.number}, published {_when(live.published_at)}",
            live.content(),
        )
    return found


class ReviewPages:
    """Mixed into ArticleAdmin: needs admin_site, model, message_user and _get_article."""

    def _page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def review_view(self, request, article_id):
        """The reviewer's page: the decision first, then the changes."""
        article = self._get_article(request, article_id)
        user = request.user
        baselines = _baselines(article, user)
        against = request.GET.get("against")
        if against not in baselines:
            against = next(iter(baselines), None)
        view = request.GET.get("view")
        if view not in VIEWS:
            view = "changes" if against else "rendered"
        content = article.approval_content()
        label, old = (
            baselines[against] if against else ("nothing: never published", None)
        )
        diffs = diff_content(old, content)
        in_review = article.status == Article.Status.IN_REVIEW
        submission = (
            article.events.filter(action=Action.SUBMIT)
            .select_related("user")
            .order_by("-at", "-id")
            .first()
            if in_review
            else None
        )
        return self._page(
            request,
            "review.html",
            f"Review: {article}",
            article=article,
            submission=submission,
            baselines=[(key, text) for key, (text, _) in baselines.items()],
            against=against,
            against_label=label,
            view=view,
            views=VIEWS,
            diffs=diffs if view == "source" else [d for d in diffs if d.changed],
            rendered=pages.render_content(
                ArticleVersion.from_article(article), with_links=False
            )
            if view == "rendered"
            else "",
            content_hash=article.approval_hash(),
            part_comments=comments.threads(article),
            comment_parts=[
                (key, label) for key, label, _ in comments.parts_of(content)
            ],
            can_review=user.has_perm("articles.review_article"),
            four_eyes_conflict=four_eyes.approval_conflict(article, user),
            in_review=in_review,
            plain_language=plain_language_report(article),
            citations=citations_of(content),
        )

    def comments_view(self, request, article_id):
        """Add, answer or resolve a comment on a part of the text (POST only)."""
        article = self._get_article(request, article_id)
        # Back to the page the form was on, by name: no return address is read
        # from the request, so the form cannot be turned into an open redirect.
        page = "review" if request.POST.get("from_page") == "review" else "change"
        back = reverse(f"admin:articles_article_{page}", args=[article.pk])
        if request.method != "POST":
            return redirect(back)
        action = request.POST.get("action")
        text = request.POST.get("text", "")
        try:
            if action == "add":
                comments.add_comment(
                    article,
                    user=request.user,
                    part=request.POST.get("part", ""),
                    text=text,
                )
                done = "Comment added."
            elif action in ("reply", "resolve"):
                number = request.POST.get("comment", "")
                thread = article.part_comments.filter(
                    pk=int(number) if number.isdecimal() else None
                ).first()
                if thread is None:
                    raise workflow.TransitionNotAllowed(
                        "That comment is not on this article."
                    )
                if action == "reply":
                    comments.reply(thread, user=request.user, text=text)
                    done = "Reply added."
                else:
                    comments.resolve(thread, user=request.user)
                    done = "Comment resolved."
            else:
                raise workflow.TransitionNotAllowed("Unknown comment action.")
        except (workflow.TransitionNotAllowed, PermissionDenied) as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect(back)

    def compare_view(self, request, article_id):
        """Any two texts of one article, with the review page's field diff."""
        article = self._get_article(request, article_id)
        choices = text_choices(article)
        keys = [key for key, _ in choices]
        old_key = request.GET.get("from") or (keys[1] if len(keys) > 1 else "draft")
        new_key = request.GET.get("to") or "draft"
        everything = request.GET.get("all") == "1"
        diffs = diff_content(text_of(article, old_key), text_of(article, new_key))
        return self._page(
            request,
            "compare.html",
            f"Compare texts: {article}",
            article=article,
            choices=choices,
            old_key=old_key,
            new_key=new_key,
            old_label=dict(choices).get(old_key, old_key),
            new_label=dict(choices).get(new_key, new_key),
            everything=everything,
            diffs=diffs if everything else [d for d in diffs if d.changed],
        )

    def withdraw_view(self, request, article_id):
        """Confirm a withdrawal and say why; only the POST from here withdraws."""
        article = self._get_article(request, article_id, "publish_article")
        if not article.is_public():
            self.message_user(
                request, f"“{article}” is not on the site.", messages.ERROR
            )
            return redirect("admin:articles_article_change", article.pk)
        error = ""
        if request.method == "POST":
            reason = request.POST.get("reason", "").strip()
            try:
                workflow.unpublish(article, user=request.user, comment=reason)
            except (workflow.TransitionNotAllowed, PermissionDenied) as refusal:
                error = str(refusal)
            else:
                self.message_user(
                    request, f"Withdrawn from the site: “{article}”.", messages.SUCCESS
                )
                return redirect("admin:articles_article_change", article.pk)
        return self._page(
            request,
            "withdraw.html",
            f"Withdraw from the site: {article}",
            articles=[article],
            error=error,
            reason=request.POST.get("reason", ""),
        )

    def withdraw_selected(self, request, queryset):
        """The bulk action: a confirmation page listing every article, then a reason."""
        live = list(
            queryset.filter(live_version__isnull=False).select_related("live_version")
        )
        skipped = queryset.count() - len(live)
        error = ""
        if request.POST.get("confirm") == "withdraw":
            reason = request.POST.get("reason", "").strip()
            try:
                workflow.require_withdrawal_reason(reason)
            except workflow.TransitionNotAllowed as refusal:
                error = str(refusal)
            else:
                self._run_transition(request, live, "unpublish", comment=reason)
                return None
        return self._page(
            request,
            "withdraw.html",
            f"Withdraw {len(live)} article{'s' if len(live) != 1 else ''} from the site",
            articles=live,
            skipped=skipped,
            error=error,
            reason=request.POST.get("reason", ""),
            bulk=True,
            selected=request.POST.getlist("_selected_action"),
        )

    def reconfirm_view(self, request, article_id):
        """Periodic re-confirmation, on a page that shows the live text and its sources."""
        article = self._get_article(request, article_id, "review_article")
        version = article.live_version
        if version is None:
            self.message_user(
                request,
                "Only published articles have periodic reviews.",
                messages.ERROR,
            )
            return redirect("admin:articles_article_change", article.pk)
        error = ""
        if request.method == "POST":
            try:
                workflow.reconfirm_review(
                    article,
                    user=request.user,
                    attested=request.POST.get("attest") == "on",
                    comment=request.POST.get("comment", "").strip(),
                    seen_content_hash=request.POST.get("content_hash", ""),
                )
            except (workflow.TransitionNotAllowed, PermissionDenied) as refusal:
                error = str(refusal)
            else:
                self.message_user(
                    request,
                    f"Periodic review recorded for “{article}”: new review dates, same words.",
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", article.pk)
        version = ArticleVersion.objects.select_related(
            "topic", "author", "reviewer"
        ).get(pk=version.pk)
        return self._page(
            request,
            "reconfirm.html",
            f"Confirm periodic review: {article}",
            article=article,
            version=version,
            rendered=pages.render_content(version, with_links=False),
            conflict=four_eyes.reconfirm_conflict(article, request.user),
            error=error,
            comment=request.POST.get("comment", ""),
        )

    def version_view(self, request, article_id, number):
        """A past or present public version, exactly as visitors saw it."""
        article = self._get_article(request, article_id)
        version = get_object_or_404(
            ArticleVersion.objects.select_related("topic", "author", "reviewer"),
            article=article,
            number=number,
        )
        later = article.versions.filter(number__gt=number).order_by("number").first()
        if article.live_version_id == version.pk:
            state = "live now"
        elif later is not None:
            state = (
                f"replaced by version {later.number} on {later.published_at:%-d %B %Y}"
            )
        else:
            state = (
                f"withdrawn on {article.withdrawn_at:%-d %B %Y}"
                if article.withdrawn_at
                else "not live"
            )
        banner = (
            f"Version {version.number} of this article, published "
            f"{_when(version.published_at)} ({state})."
        )
        return TemplateResponse(
            request,
            "articles/article_detail.html",
            pages.preview_context(version, banner=banner, article=article),
        )
