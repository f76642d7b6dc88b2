"""The form every form of the app derives from: it refuses, at the field, a character no
text may hold (app/core/text.py), whatever the field and however deep in the form."""

from __future__ import annotations

from collections.abc import Iterator

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.fields import FieldList, FormField

from app.core.text import forbidden_message


class BaseForm(FlaskForm):
    """A FlaskForm whose `validate` also refuses forbidden characters in what was posted.

    The field's other messages give way to this one: "not a valid e-mail address" says
    nothing useful about a NUL byte pasted into it.
    """

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return refuse_forbidden(self) and valid


def refuse_forbidden(form) -> bool:
    """Put the refusal at every field of `form` whose posted text holds a forbidden
    character; return True when there was none."""
    clean = True
    for field in _leaf_fields(form):
        for raw in field.raw_data or ():
            message = forbidden_message(raw) if isinstance(raw, str) else None
            if message is not None:
                # In place: a FieldList keeps the lists of its entries' errors.
                if isinstance(field.errors, list):
                    field.errors[:] = [message]
                else:
                    field.errors = [message]
                clean = False
                break
    return clean


def _leaf_fields(form) -> Iterator[Field]:
    """Yield every field of `form` that holds posted values, inside FormFields and
    FieldLists too."""
    for field in form:
        if isinstance(field, FormField):
            yield from _leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _leaf_fields(entry.form)
                else:
                    yield entry
        else:
            yield field
