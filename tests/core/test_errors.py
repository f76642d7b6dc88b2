"""A domain error says which field of the operation's input it refuses, when it knows."""

from __future__ import annotations

import pytest

from app.core.errors import DomainError, at_field


def test_a_refusal_names_no_field_unless_told():
    assert DomainError("potten är tom").field is None
    assert DomainError("potten är tom", field="line_id").field == "line_id"


def test_at_field_names_the_field_of_a_refusal_raised_inside():
    """Does at_field give a refusal without a field its own, keep one that has a field, and
    keep the refusal's type and message?"""

    class Refused(DomainError):
        pass

    with pytest.raises(Refused, match="^inget diarienummer$") as refused:
        with at_field("diary_number"):
            raise Refused("inget diarienummer")
    assert refused.value.field == "diary_number"
    with pytest.raises(DomainError) as named:
        with at_field("diary_number"):
            raise DomainError("fel år", field="year")
    assert named.value.field == "year"
    with pytest.raises(ValueError):
        with at_field("diary_number"):
            raise ValueError("inte ett domänfel")
