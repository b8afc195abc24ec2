"""Who may open or do what: every admin URL and workflow action against every role.

The expected outcomes are written by hand in MATRIX below, from the roles as
documented (README "Roles and the review workflow", articles/review/roles.py), never
computed from the code under test. The URLs are enumerated from the admin site
itself (every registered model, every action, every URL of get_urls()), so a
new model, action, admin view or workflow function without a row in the table
fails here until someone decides who may use it.
"""

import datetime
import inspect
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.background import jobs
from articles.images import library
from articles.models import (
    Article,
    Notification,
    NotificationSettings,
    PartComment,
    PartnerKey,
    ProblemReport,
    ReviewEvent,
    ScheduledChange,
    SitePage,
    SourceCheck,
    SynonymGroup,
    Tag,
)
from articles.review import schedules, workflow
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    make_editor,
    make_published,
    make_reviewer,
)
from tests.forms import form_data
from tests.images import png_bytes

ACTORS = ("anonymous", "visitor", "editor", "reviewer", "superuser")

# What a request (or a direct workflow call) by one actor must lead to.
OUTCOMES = {
    "login": "302 to the admin login page, with ?next= this address",
    "shown": "200: the page or form is shown",
    "read-only": "200: the change form is shown without a Save button",
    "403": "403 Forbidden",
    "404": "404 Not found",
    "405": "405 Method not allowed",
    "->change": "302 to the article's (or object's) admin change page",
    "->page": "302 to the page where this is confirmed (withdrawal, periodic review)",
    "->index": "302 to the admin index",
    "->public": "302 to the object's public address",
    "done": "the change happened",
    "refused": "302 back with an error message; nothing changed",
    "public-text": "200: the live text only, none of the draft's words",
    "draft-text": "200: the draft's words are shown",
    "denied": "PermissionDenied is raised; nothing changed",
}

# Rows: METHOD TARGET then one outcome per actor, in ACTORS order.
# A visitor account is signed in but not staff, so the admin treats it like
# anonymous. Editors and reviewers hold exactly roles.ROLE_PERMISSIONS: no
# permission on users, groups, site pages or the login records; view
# (reviewers) or add/change/view (editors) on topics, people and tags (and
# delete on synonym groups); add/change/
# view but not delete on articles. Only editors publish and withdraw; only
# reviewers approve, request changes and confirm periodic reviews.
MATRIX_TEXT = """
# method target                                   anonymous visitor editor    reviewer  superuser
# --- Groups and users: administrators only
GET   auth.group/changelist                         login   login   403       403       shown
GET   auth.group/add                                login   login   403       403       shown
GET   auth.group/change                             login   login   403       403       shown
GET   auth.group/delete                             login   login   403       403       shown
GET   auth.group/history                            login   login   403       403       shown
GET   auth.group/redirect                           login   login   ->change  ->change  ->change
POST  auth.group/add                                login   login   403       403       done
POST  auth.group/change                             login   login   403       403       done
POST  auth.group/delete                             login   login   403       403       done
POST  auth.group/action:delete_selected             login   login   403       403       done
GET   auth.user/changelist                          login   login   403       403       shown
GET   auth.user/add                                 login   login   403       403       shown
GET   auth.user/change                              login   login   403       403       shown
GET   auth.user/delete                              login   login   403       403       shown
GET   auth.user/history                             login   login   403       403       shown
GET   auth.user/redirect                            login   login   ->change  ->change  ->change
POST  auth.user/add                                 login   login   403       403       done
POST  auth.user/change                              login   login   403       403       done
POST  auth.user/delete                              login   login   403       403       done
POST  auth.user/action:delete_selected              login   login   403       403       done
GET   auth.user/password                            login   login   403       403       shown
POST  auth.user/password                            login   login   403       403       done
# --- The image library: editors upload and describe pictures (no delete: a published page may show one), reviewers look
GET   articles.libraryimage/changelist              login   login   shown     shown     shown
GET   articles.libraryimage/add                     login   login   shown     403       shown
GET   articles.libraryimage/change                  login   login   shown     read-only shown
GET   articles.libraryimage/delete                  login   login   403       403       shown
GET   articles.libraryimage/history                 login   login   shown     shown     shown
GET   articles.libraryimage/redirect                login   login   ->change  ->change  ->change
POST  articles.libraryimage/add                     login   login   done      403       done
POST  articles.libraryimage/change                  login   login   done      403       done
POST  articles.libraryimage/delete                  login   login   403       403       done
POST  articles.libraryimage/action:delete_selected  login   login   refused   refused   done
# --- Partner API keys: administrators only
GET   articles.partnerkey/changelist                login   login   403       403       shown
GET   articles.partnerkey/add                       login   login   403       403       shown
GET   articles.partnerkey/change                    login   login   403       403       shown
GET   articles.partnerkey/delete                    login   login   403       403       shown
GET   articles.partnerkey/history                   login   login   403       403       shown
GET   articles.partnerkey/redirect                  login   login   ->change  ->change  ->change
POST  articles.partnerkey/add                       login   login   403       403       done
POST  articles.partnerkey/change                    login   login   403       403       done
POST  articles.partnerkey/delete                    login   login   403       403       done
POST  articles.partnerkey/action:delete_selected    login   login   403       403       done
# --- Synonym groups: editors manage them (they only steer related questions), reviewers read them
GET   articles.synonymgroup/changelist              login   login   shown     shown     shown
GET   articles.synonymgroup/add                     login   login   shown     403       shown
GET   articles.synonymgroup/change                  login   login   shown     read-only shown
GET   articles.synonymgroup/delete                  login   login   shown     403       shown
GET   articles.synonymgroup/history                 login   login   shown     shown     shown
GET   articles.synonymgroup/redirect                login   login   ->change  ->change  ->change
POST  articles.synonymgroup/add                     login   login   done      403       done
POST  articles.synonymgroup/change                  login   login   done      403       done
POST  articles.synonymgroup/delete                  login   login   done      403       done
POST  articles.synonymgroup/action:delete_selected  login   login   done      refused   done
# --- Tags: like topics, editors manage them (no delete), reviewers read them
GET   articles.tag/changelist                       login   login   shown     shown     shown
GET   articles.tag/add                              login   login   shown     403       shown
GET   articles.tag/change                           login   login   shown     read-only shown
GET   articles.tag/delete                           login   login   403       403       shown
GET   articles.tag/history                          login   login   shown     shown     shown
GET   articles.tag/redirect                         login   login   ->change  ->change  ->change
POST  articles.tag/add                              login   login   done      403       done
POST  articles.tag/change                           login   login   done      403       done
POST  articles.tag/delete                           login   login   403       403       done
POST  articles.tag/action:delete_selected           login   login   refused   refused   done
# --- Topics and bylines: editors manage them (no delete), reviewers read them
GET   articles.topic/changelist                     login   login   shown     shown     shown
GET   articles.topic/add                            login   login   shown     403       shown
GET   articles.topic/change                         login   login   shown     read-only shown
GET   articles.topic/delete                         login   login   403       403       shown
GET   articles.topic/history                        login   login   shown     shown     shown
GET   articles.topic/redirect                       login   login   ->change  ->change  ->change
POST  articles.topic/add                            login   login   done      403       done
POST  articles.topic/change                         login   login   done      403       done
POST  articles.topic/delete                         login   login   403       403       done
POST  articles.topic/action:delete_selected         login   login   refused   refused   done
GET   articles.person/changelist                    login   login   shown     shown     shown
GET   articles.person/add                           login   login   shown     403       shown
GET   articles.person/change                        login   login   shown     read-only shown
GET   articles.person/delete                        login   login   403       403       shown
GET   articles.person/history                       login   login   shown     shown     shown
GET   articles.person/redirect                      login   login   ->change  ->change  ->change
POST  articles.person/add                           login   login   done      403       done
POST  articles.person/change                        login   login   done      403       done
POST  articles.person/delete                        login   login   403       403       done
POST  articles.person/action:delete_selected        login   login   refused   refused   done
POST  articles.person/action:verify_credentials_selected login login refused refused   done
# --- Site pages: the publisher's commitments, administrators only
GET   articles.sitepage/changelist                  login   login   403       403       shown
GET   articles.sitepage/add                         login   login   403       403       shown
GET   articles.sitepage/change                      login   login   403       403       shown
GET   articles.sitepage/delete                      login   login   403       403       shown
GET   articles.sitepage/history                     login   login   403       403       shown
GET   articles.sitepage/redirect                    login   login   ->change  ->change  ->change
POST  articles.sitepage/add                         login   login   403       403       done
POST  articles.sitepage/change                      login   login   403       403       done
POST  articles.sitepage/delete                      login   login   403       403       done
POST  articles.sitepage/action:delete_selected      login   login   403       403       done
# --- Articles: both roles write; nobody but superusers deletes a whole article
GET   articles.article/changelist                   login   login   shown     shown     shown
GET   articles.article/add                          login   login   shown     shown     shown
GET   articles.article/change                       login   login   shown     shown     shown
GET   articles.article/delete                       login   login   403       403       shown
GET   articles.article/history                      login   login   shown     shown     shown
GET   articles.article/redirect                     login   login   ->change  ->change  ->change
POST  articles.article/add                          login   login   done      done      done
POST  articles.article/change                       login   login   done      done      done
POST  articles.article/delete                       login   login   403       403       done
POST  articles.article/action:delete_selected       login   login   refused   refused   done
POST  articles.article/action:submit_selected       login   login   done      done      done
POST  articles.article/action:publish_selected      login   login   done      refused   done
POST  articles.article/action:unpublish_selected    login   login   done      refused   done
GET   articles.article/import                       login   login   shown     shown     shown
POST  articles.article/import                       login   login   done      done      done
GET   articles.article/workflow                     login   login   ->change  ->change  ->change
POST  articles.article/workflow:submit              login   login   done      done      done
POST  articles.article/workflow:approve             login   login   refused   done      done
POST  articles.article/workflow:request_changes     login   login   refused   done      done
POST  articles.article/workflow:publish             login   login   done      refused   done
POST  articles.article/workflow:unpublish           login   login   ->page    ->page    ->page
POST  articles.article/workflow:reconfirm           login   login   ->page    ->page    ->page
GET   articles.article/review                       login   login   shown     shown     shown
GET   articles.article/compare                      login   login   shown     shown     shown
GET   articles.article/withdraw                     login   login   shown     403       shown
POST  articles.article/withdraw                     login   login   done      403       done
GET   articles.article/reconfirm                    login   login   403       shown     shown
POST  articles.article/reconfirm                    login   login   403       done      done
GET   articles.article/comments                     login   login   ->change  ->change  ->change
POST  articles.article/comments                     login   login   done      done      done
GET   articles.article/version                      login   login   shown     shown     shown
GET   articles.article/restore                      login   login   405       405       405
POST  articles.article/restore                      login   login   done      done      done
# Scheduled go-live and expiry: like publishing, editors only (and superusers)
GET   articles.article/schedule                     login   login   405       405       405
POST  articles.article/schedule                     login   login   done      refused   done
GET   articles.article/cancel_schedule              login   login   405       405       405
POST  articles.article/cancel_schedule              login   login   done      refused   done
# --- The email outbox: administrators only; nobody writes or deletes a message
GET   articles.notification/changelist              login   login   403       403       shown
GET   articles.notification/add                     login   login   403       403       403
GET   articles.notification/change                  login   login   403       403       read-only
GET   articles.notification/delete                  login   login   403       403       403
GET   articles.notification/history                 login   login   403       403       shown
GET   articles.notification/redirect                login   login   ->change  ->change  ->change
POST  articles.notification/add                     login   login   403       403       403
POST  articles.notification/change                  login   login   403       403       403
POST  articles.notification/delete                  login   login   403       403       403
POST  articles.notification/action:delete_selected  login   login   403       403       refused
POST  articles.notification/action:send_again       login   login   403       403       done
# --- Each account's email choices: its own row only (the row here is the
# superuser's); the list, and "My email notifications", lead to one's own row
GET   articles.notificationsettings/changelist      login   login   ->change  ->change  ->change
GET   articles.notificationsettings/mine            login   login   ->change  ->change  ->change
GET   articles.notificationsettings/add             login   login   403       403       403
GET   articles.notificationsettings/change          login   login   403       403       shown
GET   articles.notificationsettings/delete          login   login   403       403       403
GET   articles.notificationsettings/history         login   login   403       403       shown
GET   articles.notificationsettings/redirect        login   login   ->change  ->change  ->change
POST  articles.notificationsettings/add             login   login   403       403       403
POST  articles.notificationsettings/change          login   login   403       403       done
POST  articles.notificationsettings/delete          login   login   403       403       403
POST  articles.notificationsettings/action:delete_selected login login ->change ->change ->change
# --- Login records (django-axes): administrators only, and nobody adds one
GET   axes.accessattempt/changelist                 login   login   403       403       shown
GET   axes.accessattempt/add                        login   login   403       403       403
GET   axes.accessattempt/change                     login   login   403       403       shown
GET   axes.accessattempt/delete                     login   login   403       403       shown
GET   axes.accessattempt/history                    login   login   403       403       shown
GET   axes.accessattempt/redirect                   login   login   ->change  ->change  ->change
POST  axes.accessattempt/add                        login   login   403       403       403
POST  axes.accessattempt/change                     login   login   403       403       done
POST  axes.accessattempt/delete                     login   login   403       403       done
POST  axes.accessattempt/action:delete_selected     login   login   403       403       done
POST  axes.accessattempt/action:cleanup_expired_attempts login login 403     403       done
GET   axes.accesslog/changelist                     login   login   403       403       shown
GET   axes.accesslog/add                            login   login   403       403       403
GET   axes.accesslog/change                         login   login   403       403       shown
GET   axes.accesslog/delete                         login   login   403       403       shown
GET   axes.accesslog/history                        login   login   403       403       shown
GET   axes.accesslog/redirect                       login   login   ->change  ->change  ->change
POST  axes.accesslog/add                            login   login   403       403       403
POST  axes.accesslog/change                         login   login   403       403       done
POST  axes.accesslog/delete                         login   login   403       403       done
POST  axes.accesslog/action:delete_selected         login   login   403       403       done
GET   axes.accessfailurelog/changelist              login   login   403       403       shown
GET   axes.accessfailurelog/add                     login   login   403       403       403
GET   axes.accessfailurelog/change                  login   login   403       403       shown
GET   axes.accessfailurelog/delete                  login   login   403       403       shown
GET   axes.accessfailurelog/history                 login   login   403       403       shown
GET   axes.accessfailurelog/redirect                login   login   ->change  ->change  ->change
POST  axes.accessfailurelog/add                     login   login   403       403       403
POST  axes.accessfailurelog/change                  login   login   403       403       done
POST  axes.accessfailurelog/delete                  login   login   403       403       done
POST  axes.accessfailurelog/action:delete_selected  login   login   403       403       done
# --- Readers' problem reports: both roles triage them; nobody adds or deletes one
GET   articles.problemreport/changelist             login   login   shown     shown     shown
GET   articles.problemreport/add                    login   login   403       403       403
GET   articles.problemreport/change                 login   login   shown     shown     shown
GET   articles.problemreport/delete                 login   login   403       403       403
GET   articles.problemreport/history                login   login   shown     shown     shown
GET   articles.problemreport/redirect               login   login   ->change  ->change  ->change
POST  articles.problemreport/add                    login   login   403       403       403
POST  articles.problemreport/change                 login   login   done      done      done
POST  articles.problemreport/delete                 login   login   403       403       403
POST  articles.problemreport/action:delete_selected login   login   refused   refused   refused

# --- Link checks: written by the checker; editors and reviewers read them
GET   articles.sourcecheck/changelist               login   login   shown     shown     shown
GET   articles.sourcecheck/add                      login   login   403       403       403
GET   articles.sourcecheck/change                   login   login   read-only read-only read-only
GET   articles.sourcecheck/delete                   login   login   403       403       403
GET   articles.sourcecheck/history                  login   login   shown     shown     shown
GET   articles.sourcecheck/redirect                 login   login   ->change  ->change  ->change
POST  articles.sourcecheck/add                      login   login   403       403       403
POST  articles.sourcecheck/change                   login   login   403       403       403
POST  articles.sourcecheck/delete                   login   login   403       403       403
POST  articles.sourcecheck/action:delete_selected   login   login   refused   refused   refused

# --- Background jobs (django-tasks-db): administrators read them, nobody edits
GET   django_tasks_database.dbtaskresult/changelist login   login   403       403       shown
GET   django_tasks_database.dbtaskresult/add        login   login   403       403       403
GET   django_tasks_database.dbtaskresult/change     login   login   403       403       read-only
GET   django_tasks_database.dbtaskresult/delete     login   login   403       403       403
GET   django_tasks_database.dbtaskresult/history    login   login   403       403       shown
GET   django_tasks_database.dbtaskresult/redirect   login   login   ->change  ->change  ->change
POST  django_tasks_database.dbtaskresult/add        login   login   403       403       403
POST  django_tasks_database.dbtaskresult/change     login   login   403       403       403
POST  django_tasks_database.dbtaskresult/delete     login   login   403       403       403
POST  django_tasks_database.dbtaskresult/action:delete_selected login login 403 403     refused
# --- The admin site's own pages
GET   admin/index                                   login   login   shown     shown     shown
GET   admin/login                                   shown   shown   ->index   ->index   ->index
GET   admin/logout                                  ->index ->index 405       405       405
POST  admin/logout                                  ->index ->index done      done      done
GET   admin/password_change                         login   login   shown     shown     shown
POST  admin/password_change                         login   login   done      done      done
GET   admin/password_change_done                    login   login   shown     shown     shown
GET   admin/jsi18n                                  login   login   shown     shown     shown
GET   admin/app_list:auth                           login   login   404       404       shown
GET   admin/app_list:articles                       login   login   shown     shown     shown
GET   admin/app_list:axes                           login   login   404       404       shown
GET   admin/app_list:django_tasks_database          login   login   404       404       shown
GET   admin/autocomplete:articles.article.topic     login   login   shown     shown     shown
GET   admin/autocomplete:articles.article.author    login   login   shown     shown     shown
GET   admin/autocomplete:articles.article.tags      login   login   shown     shown     shown
GET   admin/autocomplete:articles.relatedpick.target login  login   shown     shown     shown
GET   admin/view_on_site                            login   login   ->public  ->public  ->public
GET   admin/unknown-page                            login   login   404       404       404
# --- Outside the admin: the editor's Markdown preview and the staff draft preview
GET   tools/markdown-preview                        405     405     405       405       405
POST  tools/markdown-preview                        login   login   shown     shown     shown
GET   public/draft-preview                          public-text public-text draft-text draft-text draft-text
GET   public/unpublished-draft                      404     404     draft-text draft-text draft-text
# --- articles.review.workflow called directly (the admin, commands and demo loader use it)
CALL  workflow.record_edit                          denied  denied  done      done      done
CALL  workflow.submit_for_review                    denied  denied  done      done      done
CALL  workflow.approve_medical_review               denied  denied  denied    done      done
CALL  workflow.request_changes                      denied  denied  denied    done      done
CALL  workflow.publish                              denied  denied  done      denied    done
CALL  workflow.unpublish                            denied  denied  done      denied    done
CALL  workflow.reconfirm_review                     denied  denied  denied    done      done
CALL  workflow.restore_draft                        denied  denied  done      done      done
"""


def parse_matrix(text: str) -> dict[str, dict[str, str]]:
    rows = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        method, target, *outcomes = line.split()
        key = f"{method} {target}"
        assert len(outcomes) == len(ACTORS), f"{key}: one outcome per actor"
        assert key not in rows, f"{key} is in the table twice"
        assert set(outcomes) <= set(OUTCOMES), f"{key}: unknown outcome"
        rows[key] = dict(zip(ACTORS, outcomes, strict=True))
    return rows


MATRIX = parse_matrix(MATRIX_TEXT)

# The standard URLs of every registered model (GET), and what can be posted.
MODEL_GET_VIEWS = ("changelist", "add", "change", "delete", "history", "redirect")
MODEL_POST_VIEWS = ("add", "change", "delete")
# URLs some ModelAdmin adds in get_urls(), by label: (method, view) pairs.
CUSTOM_VIEWS = {
    "auth.user": [("GET", "password"), ("POST", "password")],
    "articles.article": [
        ("GET", "import"),
        ("POST", "import"),
        ("GET", "workflow"),
        *(
            ("POST", f"workflow:{name}")
            for name in (
                "submit",
                "approve",
                "request_changes",
                "publish",
                "unpublish",
                "reconfirm",
            )
        ),
        ("GET", "review"),
        ("GET", "compare"),
        ("GET", "withdraw"),
        ("POST", "withdraw"),
        ("GET", "reconfirm"),
        ("POST", "reconfirm"),
        ("GET", "comments"),
        ("POST", "comments"),
        ("GET", "version"),
        ("GET", "restore"),
        ("POST", "restore"),
        ("GET", "schedule"),
        ("POST", "schedule"),
        ("GET", "cancel_schedule"),
        ("POST", "cancel_schedule"),
    ],
    # "My email notifications" (admin:notification_settings).
    "articles.notificationsettings": [("GET", "mine")],
}
SITE_KEYS = [
    "GET admin/index",
    "GET admin/login",
    "GET admin/logout",
    "POST admin/logout",
    "GET admin/password_change",
    "POST admin/password_change",
    "GET admin/password_change_done",
    "GET admin/jsi18n",
    "GET admin/view_on_site",
    "GET admin/unknown-page",
    "GET tools/markdown-preview",
    "POST tools/markdown-preview",
    "GET public/draft-preview",
    "GET public/unpublished-draft",
]
# Project URLs outside the admin that anybody may read, by design.
PUBLIC_URL_NAMES = {
    "articles:home",
    "articles:topic",
    "articles:detail",
    "articles:search",
    "articles:person",
    "articles:site_page",
    "articles:report_problem",
    "articles:report_thanks",
    "sitemap",
    "sitemap-section",
    "feed",
    "robots",
    "healthz",
    "public_state",
    # The partner API: a key, not a staff role, decides (tests/test_api.py).
    "api-v1:articles",
    "api-v1:article",
    "api-v1:topics",
    "api-v1:people",
    "api-v1:search",
    "api-v1:changes",
    "api-v1:openapi-json",
    "api-v1:api-root",
    "library_file",  # library images, for pages and the admin (tests/test_images.py)
}


def model_admin_actions(model_admin) -> list[str]:
    return [name for _, name, _ in model_admin._get_base_actions()]


def autocomplete_fields() -> list[str]:
    """Every autocomplete field of the admin, as app_label.model.field."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *model_admin.inlines]:
            owner_model = model if owner is model_admin else owner.model
            for name in owner.autocomplete_fields:
                found.append(f"{owner_model._meta.label_lower}.{name}")
    return sorted(set(found))


def workflow_actions() -> list[str]:
    """Every public function the workflow offers (its own, and periodic review
    beside it) that acts as a user."""
    return [
        name
        for name, function in inspect.getmembers(workflow, inspect.isfunction)
        if function.__module__.startswith("articles.review.")
        and not name.startswith("_")
        and inspect.signature(function).parameters.get("user") is not None
        and inspect.signature(function).parameters["user"].kind
        == inspect.Parameter.KEYWORD_ONLY
    ]


def all_keys() -> list[str]:
    """Every URL and action the project has, found from the admin site itself."""
    keys = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        keys += [f"GET {label}/{view}" for view in MODEL_GET_VIEWS]
        keys += [f"POST {label}/{view}" for view in MODEL_POST_VIEWS]
        keys += [
            f"POST {label}/action:{name}" for name in model_admin_actions(model_admin)
        ]
        keys += [
            f"{method} {label}/{view}" for method, view in CUSTOM_VIEWS.get(label, [])
        ]
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    keys += [f"GET admin/app_list:{app_label}" for app_label in app_labels]
    keys += [f"GET admin/autocomplete:{name}" for name in autocomplete_fields()]
    keys += SITE_KEYS
    keys += [f"CALL workflow.{name}" for name in workflow_actions()]
    return keys


ALL_KEYS = all_keys()

# The draft text nobody outside the staff may read.
DRAFT_WORDS = "Quillfeather zebracorn marmalade draftonly."
UNPUBLISHED_WORDS = "Lanternwhistle okapi porridge neverlive."
LIVE_WORDS = "Sunlit gooseberry liveversion."
IMPORT_TEXT = """Is cold water bad for digestion?

No, drinking cold water does not harm digestion in healthy adults.

What the evidence says

Studies find no effect on digestion in healthy people.
"""
PASSWORD = "correct-horse-9"
NEW_PASSWORD = "Another-long-passphrase-42"


# ---------------------------------------------------------------------------
# The data every test reads: built once per module, inside a transaction that
# is rolled back at the end; each test runs in a savepoint of its own.


@dataclass
class World:
    users: dict[str, Any]
    published: Article  # live version 1, plus a newer working draft (DRAFT_WORDS)
    in_review: Article
    approved: Article
    draft: Article  # never published (UNPUBLISHED_WORDS), two saved revisions
    objects: dict[str, Any] = field(default_factory=dict)
    # A waiting withdrawal of `published`, set by the editor, for "cancel".
    scheduled: ScheduledChange | None = None

    def user(self, actor):
        return self.users[actor] or AnonymousUser()


def make_admin_objects(world) -> dict[str, Any]:
    """One real row for each registered model, for its change/delete/history URLs."""
    makers: dict[str, Callable[[], Any]] = {
        "auth.group": lambda: Group.objects.create(name="Spare group"),
        "auth.user": lambda: UserFactory(username="spare", is_staff=False),
        "articles.tag": lambda: Tag.objects.create(name="Spare tag", slug="spare-tag"),
        "articles.libraryimage": lambda: library.add_image(
            png_bytes(), user=None, alt_text="A spare chart"
        ),
        "articles.partnerkey": lambda: PartnerKey.issue(
            partner="Spare partner", created_by=None
        )[0],
        "articles.synonymgroup": lambda: SynonymGroup.objects.create(
            phrases="shingles = herpes zoster"
        ),
        "articles.topic": lambda: TopicFactory(name="Spare topic"),
        "articles.person": lambda: PersonFactory(name="Spare person"),
        "articles.sitepage": lambda: SitePage.objects.create(
            title="Spare page", slug="spare-page", body="Some text."
        ),
        "articles.article": lambda: world.draft,
        # The outbox row "send again" acts on: one that failed for good.
        "articles.notification": lambda: Notification.objects.create(
            key="matrix:failed",
            kind=Notification.Kind.PUBLISHED,
            recipient=world.users["editor"],
            to_address="editor@example.org",
            subject="Article published",
            body="Some text.\n",
            status=Notification.Status.FAILED,
            attempts=4,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        ),
        # The superuser's own choices; every other staff account has its own
        # row too, so "mine" never has to create one mid-request.
        "articles.notificationsettings": lambda: own_settings(world)["superuser"],
        "articles.problemreport": lambda: ProblemReport.objects.create(
            article=world.published,
            version=world.published.live_version,
            message="The dose in the table is wrong.",
            contact="reader@example.org",
            sender="0" * 64,
        ),
        "articles.sourcecheck": lambda: SourceCheck.objects.create(
            article=world.published, url="https://www.example.org/guidance"
        ),
        "django_tasks_database.dbtaskresult": lambda: DBTaskResult.objects.get(
            pk=jobs.sweep.enqueue().id
        ),
    }
    login_record = {
        "user_agent": "test",
        "ip_address": "192.0.2.1",
        "username": "someone",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    extra = {
        "axes.accessattempt": {
            "get_data": "",
            "post_data": "",
            "failures_since_start": 1,
        },
        "axes.accesslog": {},
        "axes.accessfailurelog": {"locked_out": False},
    }
    objects = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        if label in makers:
            objects[label] = makers[label]()
        elif label in extra:
            objects[label] = model.objects.create(**login_record, **extra[label])
        # Any other model has no row: its tests fail and ask for one.
    return objects


def own_settings(world) -> dict[str, NotificationSettings]:
    """Each staff account's email choices (all on), by actor."""
    return {
        actor: NotificationSettings.objects.get_or_create(user=world.users[actor])[0]
        for actor in ("editor", "reviewer", "superuser")
    }


def in_an_hour() -> str:
    """An hour from now in the site's time zone, as the schedule form takes it."""
    soon = timezone.localtime(timezone.now() + datetime.timedelta(hours=1))
    return soon.strftime("%Y-%m-%dT%H:%M")


def build_world() -> World:
    editor = make_editor(username="editor")
    reviewer = make_reviewer(username="reviewer")
    superuser = UserFactory(username="admin", is_superuser=True)
    # Superusers may approve too, which needs a byline to print.
    PersonFactory(user=superuser, name="Dr Admin", credentials="MD")
    visitor = UserFactory(username="visitor", is_staff=False)

    published = make_published(
        editor=editor, reviewer=reviewer, body=f"## Answer\n\n{LIVE_WORDS}\n"
    )
    published.body = f"## Answer\n\n{DRAFT_WORDS}\n"
    published.save()
    workflow.record_edit(published, user=editor)

    in_review = ArticleFactory()
    workflow.record_edit(in_review, user=editor)
    workflow.submit_for_review(in_review, user=editor)

    approved = ArticleFactory()
    workflow.record_edit(approved, user=editor)
    workflow.submit_for_review(approved, user=editor)
    workflow.approve_medical_review(approved, user=reviewer)

    draft = ArticleFactory(body=f"## Answer\n\n{UNPUBLISHED_WORDS}\n")
    workflow.record_edit(draft, user=editor)
    draft.short_answer = "A second saved revision."
    draft.save()
    workflow.record_edit(draft, user=editor)

    world = World(
        users={
            "anonymous": None,
            "visitor": visitor,
            "editor": editor,
            "reviewer": reviewer,
            "superuser": superuser,
        },
        published=Article.objects.get(pk=published.pk),
        in_review=Article.objects.get(pk=in_review.pk),
        approved=Article.objects.get(pk=approved.pk),
        draft=Article.objects.get(pk=draft.pk),
    )
    world.objects = make_admin_objects(world)
    world.scheduled = schedules.schedule(
        world.published,
        action=ScheduledChange.Action.WITHDRAW,
        run_at=timezone.now() + datetime.timedelta(days=1),
        user=editor,
        reason="Matrix test: expires.",
    )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5):
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


# ---------------------------------------------------------------------------
# What each key means: the request (or call) to make, and how to tell that a
# permitted change really happened.


@dataclass
class Call:
    method: str
    path: str = ""
    data: Callable[[Client], dict] | dict | None = None
    shown: str = ""  # text a "shown" page must contain (the form, the list)
    # Where a "->change"/"->public" redirect must point; a function of the
    # signed-in user where each is sent somewhere of their own.
    redirect_to: str | Callable[[Any], str] = ""
    done: Callable[[Any], bool] | None = None  # proof that a permitted POST acted
    changes_db: bool = True  # a permitted POST writes to the database
    invoke: Callable[[Any], Any] | None = None  # CALL: run as this user


def logged(user, action_flag, obj=None) -> bool:
    entries = LogEntry.objects.filter(user_id=getattr(user, "pk", None))
    if obj is not None:
        entries = entries.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
        )
    return entries.filter(action_flag=action_flag).exists()


def event_by(user, article, action) -> bool:
    return ReviewEvent.objects.filter(
        article_id=article.pk, user_id=user.pk, action=action
    ).exists()


ADD_VALUES = {
    "auth.group": {"name": "New group"},
    "auth.user": {
        "username": "newperson",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "articles.tag": {"name": "New tag", "slug": "new-tag"},
    "articles.synonymgroup": {"phrases": "chickenpox = varicella"},
    "articles.partnerkey": {"partner": "New partner", "requests_per_minute": "60"},
    "articles.topic": {"name": "New topic", "slug": "new-topic"},
    "articles.person": {"name": "New person", "slug": "new-person"},
    "articles.sitepage": {"title": "New page", "slug": "new-page", "body": "Text."},
}


def add_values(world, label) -> dict:
    if label == "articles.libraryimage":
        return {
            "upload": SimpleUploadedFile("chart.png", png_bytes(), "image/png"),
            "alt_text": "A new chart",
        }
    if label == "articles.article":
        return {
            "title": "Is a new question answered?",
            "slug": "new-question",
            "topic": str(world.draft.topic_id),
            "author": str(world.draft.author_id),
            "short_answer": "Yes.",
            "body": "Some text.",
        }
    assert label in ADD_VALUES, f"add ADD_VALUES for {label}"
    return ADD_VALUES[label]


def own_settings_page(user) -> str:
    """The change page of `user`'s own email choices."""
    own = NotificationSettings.objects.get(user_id=user.pk)
    return reverse("admin:articles_notificationsettings_change", args=[own.pk])


def notification_settings_call(world, view) -> Call | None:
    """Where "email choices" differ from a plain model: the list is each
    account's own row, and a change is the owner's choice."""
    obj = world.objects["articles.notificationsettings"]
    changelist = reverse("admin:articles_notificationsettings_changelist")
    match view:
        case "GET changelist":
            return Call("GET", changelist, redirect_to=own_settings_page)
        case "GET mine":
            return Call(
                "GET",
                reverse("admin:notification_settings"),
                redirect_to=own_settings_page,
            )
        case "POST change":
            # The same post (turning "submitted" off) from everyone: from the
            # owner it is their choice; from anyone else it must change nothing.
            return Call(
                "POST",
                reverse("admin:articles_notificationsettings_change", args=[obj.pk]),
                data=settings_post(),
                done=lambda user: (
                    not NotificationSettings.objects.get(pk=obj.pk).submitted
                    and logged(user, 2, obj)
                ),
            )
        case "POST action:delete_selected":
            return Call(
                "POST",
                changelist,
                data={
                    "action": "delete_selected",
                    "_selected_action": [str(obj.pk)],
                    "index": "0",
                    "post": "yes",
                },
                redirect_to=own_settings_page,
            )
    return None


def settings_post() -> dict:
    """The email choices form with every kind on except "submitted"."""
    return {kind: "on" for kind in NotificationSettings.KINDS if kind != "submitted"}


def handed_to_worker(notification) -> bool:
    """The row waits to be sent again, and a delivery job for it is queued."""
    row = Notification.objects.get(pk=notification.pk)
    jobs_for_it = [
        result
        for result in DBTaskResult.objects.ready().filter(
            task_path__endswith=".deliver"
        )
        if result.args_kwargs["args"] == [notification.pk]
    ]
    return row.status == Notification.Status.PENDING and bool(jobs_for_it)


def model_call(world, label, view) -> Call:
    if label == "articles.notificationsettings":
        special = notification_settings_call(world, view)
        if special is not None:
            return special
    model = apps.get_model(label)
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    obj = world.objects.get(label)
    needs_object = view not in ("GET changelist", "GET add", "POST add")
    if needs_object or view.startswith("POST action:"):
        assert obj is not None, f"make_admin_objects() has no row for {label}"
    form_id = f"{opts.model_name}_form"
    match view.split(" ", 1):
        case ["GET", "changelist"]:
            return Call("GET", reverse(f"{base}_changelist"), shown='id="changelist"')
        case ["GET", "add"]:
            return Call("GET", reverse(f"{base}_add"), shown=f'id="{form_id}"')
        case ["GET", "change"]:
            return Call(
                "GET", reverse(f"{base}_change", args=[obj.pk]), shown=f'id="{form_id}"'
            )
        case ["GET", "delete"]:
            return Call(
                "GET",
                reverse(f"{base}_delete", args=[obj.pk]),
                shown='name="post" value="yes"',
            )
        case ["GET", "history"]:
            return Call(
                "GET",
                reverse(f"{base}_history", args=[obj.pk]),
                shown='id="change-history"',
            )
        case ["GET", "redirect"]:
            change = reverse(f"{base}_change", args=[obj.pk])
            return Call("GET", change.removesuffix("change/"), redirect_to=change)
        case ["POST", "add"]:
            path = reverse(f"{base}_add")
            return Call(
                "POST",
                path,
                data=lambda client: form_data(
                    client, path, form_id, **add_values(world, label)
                ),
                done=lambda user: (
                    logged(user, 1)
                    and model.objects.filter(
                        **{
                            name: value
                            for name, value in add_values(world, label).items()
                            if name in ("name", "slug", "username", "title", "alt_text")
                        }
                    ).exists()
                ),
            )
        case ["POST", "change"]:
            path = reverse(f"{base}_change", args=[obj.pk])
            return Call(
                "POST",
                path,
                data=lambda client: form_data(client, path, form_id),
                done=lambda user: logged(user, 2, obj),
            )
        case ["POST", "delete"]:
            return Call(
                "POST",
                reverse(f"{base}_delete", args=[obj.pk]),
                data={"post": "yes"},
                done=lambda user: not model.objects.filter(pk=obj.pk).exists(),
            )
        case ["POST", action] if action.startswith("action:"):
            name = action.removeprefix("action:")
            target = {
                "submit_selected": world.draft,
                "publish_selected": world.approved,
                "unpublish_selected": world.published,
            }.get(name, obj)
            done = {
                "delete_selected": lambda user: (
                    not model.objects.filter(pk=obj.pk).exists()
                ),
                "submit_selected": lambda user: event_by(user, target, "submit"),
                "publish_selected": lambda user: event_by(user, target, "publish"),
                "unpublish_selected": lambda user: event_by(user, target, "unpublish"),
                "send_again": lambda user: handed_to_worker(target),
            }.get(name, lambda user: True)
            # Withdrawal asks first: this is the post from its confirmation page.
            confirmed = (
                {"confirm": "withdraw", "reason": "Matrix test."}
                if name == "unpublish_selected"
                else {}
            )
            return Call(
                "POST",
                reverse(f"{base}_changelist"),
                data={
                    "action": name,
                    "_selected_action": [str(target.pk)],
                    "index": "0",
                    "post": "yes",
                    **confirmed,
                },
                done=done,
                # Cleaning up expired login records finds none to delete here.
                changes_db=name != "cleanup_expired_attempts",
            )
    return custom_call(world, label, view)


def custom_call(world, label, view) -> Call:
    """The URLs a ModelAdmin adds in get_urls()."""
    draft, published = world.draft, world.published
    article_change = reverse("admin:articles_article_change", args=[draft.pk])
    if label == "auth.user":
        user = world.objects["auth.user"]
        path = reverse("admin:auth_user_password_change", args=[user.pk])
        if view == "GET password":
            return Call("GET", path, shown='id="user_form"')
        if view == "POST password":
            return Call(
                "POST",
                path,
                data=lambda client: form_data(
                    client,
                    path,
                    "user_form",
                    password1=NEW_PASSWORD,
                    password2=NEW_PASSWORD,
                ),
                done=lambda actor: (
                    get_user_model()
                    .objects.get(pk=user.pk)
                    .check_password(NEW_PASSWORD)
                ),
            )
    if label != "articles.article":
        raise AssertionError(f"no request is defined for {label} {view}")
    import_path = reverse("admin:articles_article_import")
    workflow_path = reverse("admin:articles_article_workflow", args=[draft.pk])
    transitions = {
        # name: (article, extra POST data, ReviewEvent action)
        "submit": (draft, {}, "submit"),
        "approve": (
            world.in_review,
            {"content_hash": world.in_review.approval_hash()},
            "approve",
        ),
        "request_changes": (
            world.in_review,
            {"comment": "Please cite the guideline."},
            "request_changes",
        ),
        "publish": (world.approved, {}, "publish"),
        "unpublish": (published, {}, "unpublish"),
        "reconfirm": (published, {}, "reconfirm"),
    }
    if view == "GET import":
        return Call("GET", import_path, shown='name="text"')
    if view == "POST import":
        return Call(
            "POST",
            import_path,
            data={"text": IMPORT_TEXT, "create": "1"},
            done=lambda user: Article.objects.filter(
                title="Is cold water bad for digestion?"
            ).exists(),
        )
    if view == "GET workflow":
        return Call("GET", workflow_path, redirect_to=article_change)
    if view.startswith("POST workflow:"):
        name = view.removeprefix("POST workflow:")
        article, extra, action = transitions[name]
        if name in ("unpublish", "reconfirm"):
            page = "withdraw" if name == "unpublish" else "reconfirm"
            return Call(
                "POST",
                reverse("admin:articles_article_workflow", args=[article.pk]),
                data={"transition": name, **extra},
                redirect_to=reverse(
                    f"admin:articles_article_{page}", args=[article.pk]
                ),
            )
        return Call(
            "POST",
            reverse("admin:articles_article_workflow", args=[article.pk]),
            data={"transition": name, **extra},
            done=lambda user: event_by(user, article, action),
        )
    if view == "GET review":
        return Call(
            "GET",
            reverse("admin:articles_article_review", args=[published.pk]),
            shown="Quillfeather",
        )
    if view == "GET compare":
        return Call(
            "GET",
            reverse("admin:articles_article_compare", args=[published.pk])
            + "?from=v1&to=draft",
            shown="Quillfeather",
        )
    withdraw_path = reverse("admin:articles_article_withdraw", args=[published.pk])
    if view == "GET withdraw":
        return Call("GET", withdraw_path, shown='name="reason"')
    if view == "POST withdraw":
        return Call(
            "POST",
            withdraw_path,
            data={"reason": "Matrix test."},
            done=lambda user: event_by(user, published, "unpublish"),
        )
    reconfirm_path = reverse("admin:articles_article_reconfirm", args=[published.pk])
    if view == "GET reconfirm":
        return Call("GET", reconfirm_path, shown='name="attest"')
    if view == "POST reconfirm":
        return Call(
            "POST",
            reconfirm_path,
            data={"attest": "on", "content_hash": published.live_version.content_hash},
            done=lambda user: event_by(user, published, "reconfirm"),
        )
    comments_path = reverse("admin:articles_article_comments", args=[draft.pk])
    if view == "GET comments":
        return Call("GET", comments_path, redirect_to=article_change)
    if view == "POST comments":
        return Call(
            "POST",
            comments_path,
            data={"action": "add", "part": "body", "text": "Matrix comment."},
            done=lambda user: PartComment.objects.filter(
                article_id=draft.pk, author_id=user.pk
            ).exists(),
        )
    if view == "GET version":
        return Call(
            "GET",
            reverse("admin:articles_article_version", args=[published.pk, 1]),
            shown="Version 1 of this article",
        )
    restore_path = reverse("admin:articles_article_restore", args=[draft.pk, 1])
    if view == "GET restore":
        return Call("GET", restore_path)
    if view == "POST restore":
        return Call(
            "POST",
            restore_path,
            done=lambda user: (
                event_by(user, draft, "restore")
                or Article.objects.get(pk=draft.pk).short_answer
                != "A second saved revision."
            ),
        )
    approved = world.approved
    schedule_path = reverse("admin:articles_article_schedule", args=[approved.pk])
    if view == "GET schedule":
        return Call("GET", schedule_path)
    if view == "POST schedule":
        return Call(
            "POST",
            schedule_path,
            data={"action": "publish", "run_at": in_an_hour(), "reason": ""},
            done=lambda user: ScheduledChange.objects.filter(
                article_id=approved.pk,
                action=ScheduledChange.Action.PUBLISH,
                state=ScheduledChange.State.WAITING,
                created_by_id=user.pk,
            ).exists(),
        )
    scheduled = world.scheduled
    cancel_path = reverse("admin:articles_article_cancel_schedule", args=[scheduled.pk])
    if view == "GET cancel_schedule":
        return Call("GET", cancel_path)
    if view == "POST cancel_schedule":
        return Call(
            "POST",
            cancel_path,
            done=lambda user: (
                ScheduledChange.objects.get(pk=scheduled.pk).state
                == ScheduledChange.State.CANCELLED
            ),
        )
    raise AssertionError(f"no request is defined for {label} {view}")


def site_call(world, target, method) -> Call:
    published = world.published
    if target.startswith("admin/app_list:"):
        app_label = target.removeprefix("admin/app_list:")
        return Call(
            "GET",
            reverse("admin:app_list", args=[app_label]),
            shown='id="content-main"',
        )
    if target.startswith("admin/autocomplete:"):
        app_label, model_name, field_name = target.removeprefix(
            "admin/autocomplete:"
        ).split(".")
        query = urllib.parse.urlencode(
            {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        )
        return Call(
            "GET", f"{reverse('admin:autocomplete')}?{query}", shown='"results"'
        )
    match (method, target):
        case ("GET", "admin/index"):
            return Call("GET", reverse("admin:index"), shown='id="content-main"')
        case ("GET", "admin/login"):
            return Call("GET", reverse("admin:login"), shown='id="login-form"')
        case (_, "admin/logout"):
            return Call(
                method,
                reverse("admin:logout"),
                changes_db=False,
                done=lambda client: "_auth_user_id" not in client.session,
            )
        case ("GET", "admin/password_change"):
            return Call(
                "GET", reverse("admin:password_change"), shown='name="old_password"'
            )
        case ("POST", "admin/password_change"):
            return Call(
                "POST",
                reverse("admin:password_change"),
                data={
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
                done=lambda user: (
                    get_user_model()
                    .objects.get(pk=user.pk)
                    .check_password(NEW_PASSWORD)
                ),
            )
        case ("GET", "admin/password_change_done"):
            return Call("GET", reverse("admin:password_change_done"))
        case ("GET", "admin/jsi18n"):
            return Call("GET", reverse("admin:jsi18n"), shown="django.gettext")
        case ("GET", "admin/view_on_site"):
            content_type = ContentType.objects.get_for_model(Article)
            return Call(
                "GET",
                reverse("admin:view_on_site", args=[content_type.pk, published.pk]),
                redirect_to=published.get_absolute_url(),
            )
        case ("GET", "admin/unknown-page"):
            return Call("GET", "/admin/no-such-page/")
        case (_, "tools/markdown-preview"):
            return Call(
                method,
                reverse("markdown_preview"),
                data={"content": "**bold**"},
                shown="<strong>bold</strong>",
            )
        case ("GET", "public/draft-preview"):
            return Call("GET", f"{published.get_absolute_url()}?preview=draft")
        case ("GET", "public/unpublished-draft"):
            return Call("GET", world.draft.get_absolute_url())
    raise AssertionError(f"no request is defined for {method} {target}")


def workflow_call(world, name) -> Call:
    draft, published = world.draft, world.published
    revision = draft.revisions.get(number=1)
    calls = {
        "record_edit": (draft, {}),
        "submit_for_review": (draft, {}),
        "approve_medical_review": (world.in_review, {}),
        "request_changes": (world.in_review, {"comment": "Cite the guideline."}),
        "publish": (world.approved, {}),
        "unpublish": (published, {"comment": "Matrix test."}),
        "reconfirm_review": (published, {"attested": True}),
        "restore_draft": (draft, {"revision": revision}),
    }
    assert name in calls, f"workflow_call() does not know how to call {name}"
    article, kwargs = calls[name]
    function = getattr(workflow, name)

    def invoke(user):
        fresh = Article.objects.get(pk=article.pk)
        if "revision" in kwargs:
            return function(fresh, kwargs["revision"], user=user)
        return function(fresh, user=user, **kwargs)

    return Call("CALL", invoke=invoke)


def make_call(world, key) -> Call:
    method, target = key.split(" ", 1)
    if method == "CALL":
        return workflow_call(world, target.removeprefix("workflow."))
    subject, _, view = target.partition("/")
    if "." in subject and subject not in ("admin", "tools", "public"):
        return model_call(world, subject, f"{method} {view}")
    return site_call(world, target, method)


# ---------------------------------------------------------------------------
# Checking one (actor, key) pair against its row.


def snapshot():
    """Every row of every table except sessions (signing in writes those)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session:
            continue
        state[model._meta.label] = list(
            model._base_manager.order_by("pk").values_list()
        )
    return state


def assert_same(before, after, context):
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"{context}: a refused request changed {changed}"


def login_location(path):
    return f"{reverse('admin:login')}?{urllib.parse.urlencode({'next': path})}"


def assert_redirect(response, expected_path, context):
    assert response.status_code == 302, f"{context}: status {response.status_code}"
    location = urllib.parse.unquote(response["Location"])
    assert location == urllib.parse.unquote(expected_path), context


# One test client for the whole module: building a client's request handler
# loads every middleware, and WhiteNoise then indexes every static file.
_CLIENT = Client()


def client_for(world, actor) -> Client:
    """The shared client, signed in as `actor` (or as nobody) from a clean slate."""
    _CLIENT.cookies = SimpleCookie()
    if world.users[actor] is not None:
        _CLIENT.force_login(world.users[actor])
    return _CLIENT


def error_messages(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level_tag == "error" or str(message) == "No action selected."
    ]


def check_call(world, actor, outcome, call: Call):
    user = world.user(actor)
    before = snapshot()
    try:
        result = call.invoke(user)
    except PermissionDenied:
        assert outcome == "denied", f"{actor} was refused; the table says {outcome}"
        assert_same(before, snapshot(), actor)
        return
    assert outcome == "done", f"{actor} was allowed; the table says {outcome}"
    assert isinstance(result, Article)
    assert snapshot() != before


def check_request(world, actor, outcome, call: Call):
    client = client_for(world, actor)
    user = world.users[actor]
    context = f"{actor} {call.method} {call.path}"
    data = call.data
    if callable(data):
        # A permitted actor posts the form as shown to them; for anyone else
        # the data does not matter, since the permission check comes first.
        data = data(client) if outcome == "done" else {"anything": "x"}
    before = snapshot() if call.method == "POST" else None
    if call.method == "POST":
        response = client.post(call.path, data or {})
    else:
        response = client.get(call.path)
    status = response.status_code
    body = response.content.decode(errors="replace")

    if call.method == "POST" and outcome != "done":
        assert_same(before, snapshot(), context)

    if outcome == "login":
        assert_redirect(response, login_location(call.path), context)
    elif outcome in ("shown", "read-only"):
        assert status == 200, f"{context}: status {status}"
        assert call.shown in body, f"{context}: {call.shown!r} not on the page"
        if outcome == "read-only":
            assert 'name="_save"' not in body, f"{context}: offers a Save button"
        elif call.shown.endswith('_form"') and "/change/" in call.path:
            assert 'name="_save"' in body, f"{context}: no Save button"
    elif outcome in ("403", "404", "405"):
        assert status == int(outcome), f"{context}: status {status}"
    elif outcome == "->change":
        expected = call.redirect_to
        if callable(expected):
            expected = expected(user)
        assert_redirect(response, expected, context)
    elif outcome == "->public":
        assert status == 302, f"{context}: status {status}"
        location = urllib.parse.urlsplit(response["Location"])
        assert location.netloc in ("", "testserver"), context
        assert location.path == call.redirect_to, context
    elif outcome == "->page":
        assert_redirect(response, call.redirect_to, context)
    elif outcome == "->index":
        assert_redirect(response, reverse("admin:index"), context)
    elif outcome == "refused":
        # Back with an error message, or (no action offered at all) the list
        # shown again; either way nothing changed (checked above).
        assert status in (200, 302), f"{context}: status {status}"
        if status == 302:
            assert error_messages(response), f"{context}: no error message"
    elif outcome == "done":
        assert status in (200, 302), f"{context}: status {status}"
        assert not error_messages(response), f"{context}: {error_messages(response)}"
        if call.method == "POST" and "logout" in call.path:
            assert call.done(client), f"{context}: still signed in"
        else:
            assert call.done(user), f"{context}: the change did not happen"
            if call.changes_db:
                assert snapshot() != before, f"{context}: nothing was written"
    elif outcome == "public-text":
        assert status == 200, f"{context}: status {status}"
        assert LIVE_WORDS in body and "Quillfeather" not in body, context
    elif outcome == "draft-text":
        assert status == 200, f"{context}: status {status}"
        assert "Quillfeather" in body or "Lanternwhistle" in body, context
        assert "Draft preview, not public" in body, context
    else:
        raise AssertionError(f"{context}: outcome {outcome} does not apply here")
    if outcome == "404" and "/questions/" in call.path:
        assert "Lanternwhistle" not in body and "Quillfeather" not in body, context


# ---------------------------------------------------------------------------
# The tests.


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", ALL_KEYS)
def test_each_role_gets_exactly_the_outcome_the_matrix_states(world, db, key, actor):
    row = MATRIX.get(key)
    if row is None:
        pytest.fail(
            f"No expected outcome for {key!r}: add a row to MATRIX_TEXT saying what "
            f"each of {', '.join(ACTORS)} may do there."
        )
    call = make_call(world, key)
    if call.method == "CALL":
        check_call(world, actor, row[actor], call)
    else:
        check_request(world, actor, row[actor], call)


def test_every_row_of_the_matrix_names_an_existing_url_or_action():
    stale = [key for key in MATRIX if key not in ALL_KEYS]
    assert stale == []


def url_routes(patterns, prefix="", namespace=""):
    """(route, namespaced name) of every URL pattern of the project."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if hasattr(pattern, "url_patterns"):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from url_routes(pattern.url_patterns, route, inner)
        else:
            yield route, f"{namespace}{pattern.name}"


def test_every_admin_and_tools_url_is_in_the_matrix(world, db):
    """Every URL pattern of the admin (and of admin-tools) is requested by some
    row; every other URL of the project is a public page by design."""
    requested = set()
    for key in ALL_KEYS:
        call = make_call(world, key)
        if call.path:
            requested.add(resolve(call.path.split("?")[0]).route)
    missing, unknown = [], []
    for route, name in url_routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "admin-tools/")):
            if route not in requested:
                missing.append(route)
        elif name not in PUBLIC_URL_NAMES:
            unknown.append(route)
    assert missing == []
    assert unknown == []


def test_each_role_holds_the_permissions_the_matrix_assumes(world, db):
    """The table above is written for these exact permissions; if the roles
    change, the table must be re-read."""
    editor, reviewer = world.users["editor"], world.users["reviewer"]
    assert editor.has_perm("articles.publish_article") is True
    assert editor.has_perm("articles.review_article") is False
    assert reviewer.has_perm("articles.review_article") is True
    assert reviewer.has_perm("articles.publish_article") is False
    for user in (editor, reviewer):
        assert user.has_perm("articles.delete_article") is False
        assert user.has_perm("auth.view_user") is False
        assert user.has_perm("articles.view_sitepage") is False
        assert user.has_perm("articles.view_notification") is False
        assert user.has_perm("django_tasks_database.view_dbtaskresult") is False
    visitor = world.users["visitor"]
    assert (visitor.is_active, visitor.is_staff, visitor.groups.exists()) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize("actor", ["editor", "reviewer"])
def test_nobody_changes_another_accounts_email_choices(world, db, actor):
    """The superuser's row, posted to by another staff account with a choice
    turned off: the row (and every other) stays as it was."""
    theirs = world.objects["articles.notificationsettings"]
    before_row = NotificationSettings.objects.filter(pk=theirs.pk).values().get()
    client = client_for(world, actor)
    before = snapshot()
    client.post(
        reverse("admin:articles_notificationsettings_change", args=[theirs.pk]),
        settings_post(),
    )
    assert NotificationSettings.objects.filter(pk=theirs.pk).values().get() == (
        before_row
    )
    assert before_row["submitted"] is True
    assert_same(before, snapshot(), f"{actor} posting the superuser's email choices")
