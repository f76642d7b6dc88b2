"""The form every form of the app derives from: it refuses, at the field, a character no
text may hold (app/core/text.py), whatever the field and however deep in the form."""

from __future__ import annotations

from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.fields import FieldList, FormField

from app.core.text import forbidden_message


class BaseForm(FlaskForm):
    """A FlaskForm whose `validate` also refuses forbidden characters in what was posted.

    The field's other messages give way to this one: "not a valid e-mail address" says
    nothing useful about a NUL byte pasted into it.
    """

    #: The form's field of each field of its operation's input that it names otherwise
    #: (CallForm's `line` is the call's `line_id`): where a refusal's field is shown.
    input_fields: ClassVar[dict[str, str]] = {}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return refuse_forbidden(self) and valid

    def field_for(self, name: str | None) -> str | None:
        """The name of the form's field for the input's field `name`, or None without one."""
        if name is None:
            return None
        name = self.input_fields.get(name, name)
        return name if name in self else None


def refuse_forbidden(form) -> bool:
    """Put the refusal at every field of `form` whose posted text holds a forbidden
    character, inside FormFields and FieldLists too; return True when there was none."""
    clean = True
    for field in form:
        if isinstance(field, FormField):
            clean = refuse_forbidden(field.form) and clean
        elif isinstance(field, FieldList):
            if not all([_refuse_in_field(entry) for entry in field.entries]):
                clean = False
                # A FieldList keeps its entries' errors from when it was validated.
                field.errors = [entry.errors for entry in field.entries]
        else:
            clean = _refuse_in_field(field) and clean
    return clean


def _refuse_in_field(field: Field) -> bool:
    if isinstance(field, FormField):
        return refuse_forbidden(field.form)
    for raw in field.raw_data or ():
        message = forbidden_message(raw) if isinstance(raw, str) else None
        if message is not None:
            field.errors = [message]
            return False
    return True
