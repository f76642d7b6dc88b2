"""The characters no text may hold: found with their place, refused by every form (nested
fields too), cleaned out of what a file must show."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, StringField

from app.core.forms import BaseForm
from app.core.text import clean_text, first_forbidden, first_forbidden_in, forbidden_message


@pytest.mark.parametrize("text, code, place", [
    ("abcd\x00", "0x00", 5),
    ("\x01", "0x01", 1),
    ("a\x08", "0x08", 2),
    ("ab\x0b", "0x0B", 3),
    ("a\x0c", "0x0C", 2),
    ("a\x1fb", "0x1F", 2),
    ("a\x7f", "0x7F", 2),
    ("a\rb", "0x0D", 2),  # a carriage return alone is no line break
    ("é\ud800", "0xD800", 2),
    ("\udfff", "0xDFFF", 1),
    ("x\uffff", "0xFFFF", 2),
])
def test_the_first_forbidden_character_is_found_with_its_place(text, code, place):
    found = first_forbidden(text)
    assert (found.code, found.place) == (code, place)


@pytest.mark.parametrize("text", [
    "", "Åre kommun", "tab\there", "rad\nrad", "rad\r\nrad", "€ – ”citat” \u00a0\U0001F600",
    "\u0085\u00a0",  # C1 controls and the no-break space are text
])
def test_ordinary_text_holds_none(text):
    assert first_forbidden(text) is None and forbidden_message(text) is None
    assert clean_text(text) == text


def test_the_message_says_which_character_and_where():
    assert forbidden_message("abcd\x00") == ("Fältet innehåller ett tecken som inte får finnas i "
                                             "text (tecken 0x00 på plats 5). Ta bort det och "
                                             "försök igen.")


def test_cleaning_drops_the_characters_and_keeps_line_breaks():
    assert clean_text("a\x00b\x0bc\x0cd\re\r\nf\ud800\x7f") == "ab\nc\nd\ne\r\nf"
    assert clean_text("\ud83d\ude00\x01") == "\U0001F600"


def test_a_json_value_is_searched_in_keys_and_nested_values():
    assert first_forbidden_in({"a": [1, "ok", {"b": "x\x00"}]})[0] == "a[2].b"
    assert first_forbidden_in({"k\x0b": 1})[0] == "k\x0b"
    assert first_forbidden_in(["fine", 2, None]) is None


class Person(Form):
    name = StringField()


class Nested(BaseForm):
    class Meta:
        csrf = False

    title = StringField()
    people = FieldList(FormField(Person), min_entries=1)
    tags = FieldList(StringField(), min_entries=1)
    leader = FormField(Person)


@pytest.mark.parametrize("field, value, where", [
    ("title", "T\x00", lambda f: f.title.errors),
    ("people-0-name", "A\x0bB", lambda f: f.people[0].form.name.errors),
    ("people-1-name", "\x01", lambda f: f.people[1].form.name.errors),
    ("tags-0", "x\x7f", lambda f: f.tags[0].errors),
    ("leader-name", "\ud800", lambda f: f.leader.form.name.errors),
])
def test_every_form_refuses_at_the_field_however_deep(app, field, value, where):
    """Does the base form put the message at a field inside a FieldList or FormField?"""
    with app.test_request_context():
        form = Nested(formdata=MultiDict({"title": "ok", "people-0-name": "ok", field: value}))
        assert form.validate() is False
        [message] = where(form)
        assert "tecken som inte får finnas i text" in message
        assert form.errors  # and the summary at the top of the page names it


def test_a_clean_nested_form_is_valid(app):
    with app.test_request_context():
        form = Nested(formdata=MultiDict({"title": "Rad\r\nrad\tflik", "people-0-name": "Å"}))
        assert form.validate() is True


def test_every_form_of_the_app_derives_from_the_base_form(app):
    """Is there no form left that would let the characters through?"""
    import inspect

    from flask_wtf import FlaskForm

    from app.accounts import forms as accounts
    from app.admin import forms as admin
    from app.call import forms as call
    from app.followup import forms as followup
    from app.ledger import forms as ledger

    found = [cls for module in (accounts, admin, call, followup, ledger)
             for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, FlaskForm) and cls is not FlaskForm]
    assert len(found) > 25 and all(issubclass(cls, BaseForm) for cls in found)
    with app.test_request_context():
        assert isinstance(call.assessment_form(["Samverkan"]), BaseForm)
