"""Editors' and reviewers' admin.

Articles are edited with a live-preview Markdown editor and ordered inlines.
Review state is read-only here: every button and action calls articles.review.workflow,
which holds the rules; this module only turns their refusals into messages.
"""

from django.contrib import admin

# Registering is a side effect of importing each module.
from articles.admin import (  # noqa: F401
    articles,
    dashboard,
    images,
    login_attempts,
    notifications,
    partner_keys,
    problem_reports,
    shown_to_visitors,
    source_checks,
)

# The admin home is each role's dashboard, above Django's list of models. Set
# while the admin is discovered, before the URLconf reads admin.site.index.
admin.site.index_template = "admin/dashboard.html"
# Four models do not need a second navigation column: without it the article
# list fits a 1280 px screen and forms get the width.
admin.site.enable_nav_sidebar = False
admin.site.index = dashboard.with_dashboard(admin.site.index)
