"""How the review rules say no: one exception the admin and commands turn
into messages."""

from django.core.exceptions import ValidationError


class TransitionNotAllowed(Exception):
    """The article is not in a state where this transition is allowed."""


def refuse_invalid(obj, **options) -> None:
    """Model validation inside a transition; its complaints become refusals."""
    try:
        obj.full_clean(**options)
    except ValidationError as error:
        raise TransitionNotAllowed(" ".join(error.messages)) from error
