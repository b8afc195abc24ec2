"""Scheduling a go-live or an expiry from the article, and cancelling one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import ScheduledChange
from articles.models.comments import MAX_COMMENT_LENGTH
from articles.review import schedules
from articles.review.steps import TransitionNotAllowed


class ScheduleForm(forms.Form):
    action = forms.ChoiceField(choices=ScheduledChange.Action.choices)
    run_at = forms.DateTimeField(
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Give the date and time.",
            "invalid": "Give the date and time as YYYY-MM-DD HH:MM.",
        },
    )
    reason = forms.CharField(required=False, max_length=MAX_COMMENT_LENGTH)


def time_zone_label() -> str:
    """e.g. "Europe/London (UTC+00:00)": the zone the form's times are in."""
    name = timezone.get_current_timezone_name()
    if name == "UTC":
        return name
    offset = timezone.localtime().strftime("%z")
    return f"{name} (UTC{offset[:3]}:{offset[3:]})"


class SchedulePages:
    """Mixed into ArticleAdmin: needs admin_site, message_user and _get_article."""

    def schedule_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:article_id>/schedule/",
                view(require_POST(self.schedule_view)),
                name="articles_article_schedule",
            ),
            path(
                "schedules/<int:change_id>/cancel/",
                view(require_POST(self.cancel_schedule_view)),
                name="articles_article_cancel_schedule",
            ),
        ]

    def schedule_view(self, request, article_id):
        article = self._get_article(request, article_id)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            problems = [e for errors in form.errors.values() for e in errors]
            self.message_user(
                request, "Not scheduled: " + " ".join(problems), messages.ERROR
            )
            return redirect("admin:articles_article_change", article.pk)
        data = form.cleaned_data
        try:
            change = schedules.schedule(
                article,
                action=data["action"],
                run_at=data["run_at"],
                user=request.user,
                reason=data["reason"],
            )
        except (TransitionNotAllowed, PermissionDenied) as error:
            self.message_user(request, f"Not scheduled: {error}", messages.ERROR)
        else:
            when = timezone.localtime(change.run_at)
            self.message_user(
                request,
                f"Scheduled: “{article}” will be "
                f"{'published' if change.action == 'publish' else 'withdrawn'} at "
                f"{when:%d %b %Y, %H:%M} ({time_zone_label()}). Editing the text "
                "before then cancels a scheduled publication.",
                messages.SUCCESS,
            )
        return redirect("admin:articles_article_change", article.pk)

    def cancel_schedule_view(self, request, change_id):
        change = get_object_or_404(ScheduledChange, pk=change_id)
        try:
            schedules.cancel(change, user=request.user)
        except (TransitionNotAllowed, PermissionDenied) as error:
            self.message_user(request, f"Not cancelled: {error}", messages.ERROR)
        else:
            self.message_user(
                request,
                f"Cancelled: {change.get_action_display().lower()} “{change.article}”.",
                messages.SUCCESS,
            )
        if request.POST.get("from") == "dashboard":
            return redirect("admin:index")
        return redirect("admin:articles_article_change", change.article_id)
