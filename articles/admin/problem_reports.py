"""Readers' problem reports in the admin, and their dashboard section.

Editors and medical reviewers triage each report (new, in hand, fixed, not a
problem) with a note; whoever changes the state is recorded as handling it.
What the reader wrote, and the version they read, are never edited, and no
report is added or deleted here: the record is kept. "Start an edit" saves
the report (marking a new one in hand) and opens the article's edit form.
"""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from articles.admin.desk import Row, Section
from articles.models import ProblemReport

State = ProblemReport.State
OPEN_STATES = [State.NEW, State.IN_HAND]
START_EDIT = "_start_edit"  # the name of the change form's "Start an edit" button
LIMIT = 10  # rows, as in the dashboard's other sections
EXCERPT_LENGTH = 100


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["article", "received_at", "state", "excerpt"]
    list_filter = ["state"]
    list_select_related = ["article"]
    search_fields = ["message", "editor_note", "article__title"]
    readonly_fields = [
        "article_link",
        "version_link",
        "received_at",
        "message",
        "contact",
        "handled_by",
        "start_edit",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_start_edit(self, request, obj) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "articles.change_article"
        )

    def get_fieldsets(self, request, obj=None):
        triage = ["state", "editor_note", "handled_by"]
        if obj is not None and self._may_start_edit(request, obj):
            triage.append("start_edit")
        return [
            (
                "What the reader reported (never shown publicly)",
                {
                    "fields": [
                        "article_link",
                        "version_link",
                        "received_at",
                        "message",
                        "contact",
                    ]
                },
            ),
            ("Triage", {"fields": triage}),
        ]

    @admin.display(description="What is wrong")
    def excerpt(self, obj):
        if len(obj.message) <= EXCERPT_LENGTH:
            return obj.message
        return obj.message[:EXCERPT_LENGTH].rstrip() + "…"

    @admin.display(description="Article")
    def article_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.article_id]),
            obj.article,
        )

    @admin.display(description="Version the reader saw")
    def version_link(self, obj):
        version = obj.version
        return format_html(
            '<a href="{}">Version {}</a>, published {}',
            reverse(
                "admin:articles_article_version",
                args=[obj.article_id, version.number],
            ),
            version.number,
            f"{timezone.localtime(version.published_at):%-d %B %Y %H:%M}",
        )

    @admin.display(description="Fix the article")
    def start_edit(self, obj):
        # A second submit button of the change form itself: the report is
        # saved with whatever was typed above, then response_change() opens
        # the article (no separate form, which could not sit inside this one).
        return format_html(
            '<button type="submit" class="button" name="{}" value="1">'
            "Start an edit</button>"
            '<div class="help">Saves this report (a new one becomes “In hand”, '
            "handled by you) and opens the article's edit form. The correction "
            "then goes through review like any other edit.</div>",
            START_EDIT,
        )

    def save_model(self, request, obj, form, change):
        starting = START_EDIT in request.POST and self._may_start_edit(request, obj)
        if starting and obj.state == State.NEW:
            obj.state = State.IN_HAND
        if obj.state != form.initial.get("state"):
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # Called after save_model(): a state that "Start an edit" changed is
        # in the history too, though the form did not change it.
        message = super().construct_change_message(request, form, formsets, add)
        if "state" in form.changed_data or form.instance.state == form.initial.get(
            "state"
        ):
            return message
        for part in message:
            if "changed" in part:
                part["changed"]["fields"].append("State")
                return message
        return [*message, {"changed": {"fields": ["State"]}}]

    def response_change(self, request, obj):
        if START_EDIT in request.POST and self._may_start_edit(request, obj):
            self.message_user(
                request,
                f"The report is {obj.get_state_display().lower()}. Edit the "
                "article below; mark the report fixed once the correction is "
                "published.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", obj.article_id)
        return super().response_change(request, obj)


def problem_reports(user) -> Section | None:
    """New and in-hand reports, oldest first, for those who triage them."""
    if not user.has_perm("articles.view_problemreport"):
        return None
    waiting = (
        ProblemReport.objects.filter(state__in=OPEN_STATES)
        .select_related("article", "handled_by")
        .only(
            "state",
            "received_at",
            "message",
            "article__title",
            "handled_by__username",
            "handled_by__first_name",
            "handled_by__last_name",
        )
        .order_by("received_at", "pk")
    )
    shown = list(waiting[:LIMIT])
    # One query while the list is short (as it should be), a count beyond.
    count = len(shown) if len(shown) < LIMIT else waiting.count()
    changelist = reverse("admin:articles_problemreport_changelist")
    return Section(
        slug="problem-reports",
        title="Problems readers reported",
        headings=("State", "Received", "What the reader wrote"),
        rows=[
            Row(
                title=report.article.title,
                url=reverse("admin:articles_problemreport_change", args=[report.pk]),
                detail=_state(report),
                when=report.received_at,
                when_text=f"{timezone.localtime(report.received_at):%-d %b %Y %H:%M}",
                note=report.message,
            )
            for report in shown
        ],
        count=count,
        empty="No reader has reported a problem that is waiting.",
        see_all_url=f"{changelist}?{urlencode({'state__in': ','.join(OPEN_STATES)})}",
        see_all_text="All new and in-hand problem reports",
    )


def _state(report) -> str:
    if report.state == State.IN_HAND and report.handled_by is not None:
        name = report.handled_by.get_full_name() or report.handled_by.get_username()
        return f"In hand ({name})"
    return report.get_state_display()
