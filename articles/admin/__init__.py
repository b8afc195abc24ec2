"""Editors' and reviewers' admin.

Articles are edited with a live-preview Markdown editor and ordered inlines.
Review state is read-only here: every button and action calls articles.review.workflow,
which holds the rules; this module only turns their refusals into messages.
"""

# Registering is a side effect of importing each module.
from articles.admin import (  # noqa: F401
    articles,
    login_attempts,
    shown_to_visitors,
)
