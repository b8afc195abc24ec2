"""The limits and checks every editor-written text passes, whichever model it
belongs to: the longest text each free-text field may hold, and the one check
(check_text_fields) the models' clean() methods call. Kept apart so every model
module shares one message and one set of refused characters.
"""

from django.core.exceptions import ValidationError
from django.db import models

from articles.text.control_characters import control_character_problem

# The longest text an editor may write in each free-text field. Checked by the
# models' clean(), so the admin, the importer and the backup loader all apply
# them with the same message; a limit keeps one paste of a whole book (or a
# hostile megabyte) from reaching the renderer, the search index and the page.
MAX_FAQ_ANSWER_LENGTH = 20_000
MAX_BIO_LENGTH = 5_000
MAX_PROFILE_LINKS_LENGTH = 2_000
MAX_TOPIC_DESCRIPTION_LENGTH = 1_000


def check_text_fields(instance, limits: dict[str, int] | None = None) -> None:
    """Refuse control characters in any text field the editor fills, and texts
    over their limit, saying where the character is or how long the text is."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or not isinstance(
            field, (models.CharField, models.TextField)
        ):
            continue
        problem = control_character_problem(getattr(instance, field.attname) or "")
        if problem:
            errors[field.name] = problem
    for name, limit in (limits or {}).items():
        length = len(getattr(instance, name) or "")
        if length > limit and name not in errors:
            errors[name] = (
                f"This text is {length:,} characters long; the limit is "
                f"{limit:,}. Shorten it or split it up."
            )
    if errors:
        raise ValidationError(errors)
