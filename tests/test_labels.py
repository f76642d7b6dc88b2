"""Every code a user can meet has a name: each enum member and each audit action carries a
Swedish label, and the compiled English catalog translates it."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from app.core.audit import AuditAction
from app.core.labels import LabelledEnum, LazyText

MO_FILE = (Path(__file__).resolve().parents[1] / "app" / "translations" / "en" / "LC_MESSAGES"
           / "messages.mo")


def _labelled_enums(app) -> list[type[LabelledEnum]]:
    """Every LabelledEnum the application defines (all areas are imported by the factory)."""
    found, pending = [], list(LabelledEnum.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        if list(kind) and kind.__module__.startswith("app."):
            found.append(kind)
    return sorted(found, key=lambda k: (k.__module__, k.__qualname__))


def _members(app):
    return [(kind, member) for kind in _labelled_enums(app) for member in kind]


@pytest.fixture(scope="module")
def english():
    with MO_FILE.open("rb") as handle:
        catalog = read_mo(handle)
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and m.string}


def test_the_enums_of_every_area_are_found(app):
    names = {kind.__name__ for kind in _labelled_enums(app)}
    assert {"CallState", "ApplicationState", "Role", "OrganisationKind"} <= names
    assert len(AuditAction.registry()) >= 40


def test_every_member_has_a_swedish_label(app):
    unnamed = [f"{kind.__name__}.{m.name}" for kind, m in _members(app)
               if not isinstance(m._label, LazyText) or not m._label.text.strip()]
    assert not unnamed, unnamed


def test_every_label_has_an_english_translation_in_the_compiled_catalog(app, english):
    missing = [f"{kind.__name__}.{m.name}: {m._label.text!r}" for kind, m in _members(app)
               if isinstance(m._label, LazyText) and m._label.text not in english]
    assert not missing, missing


def test_every_audit_action_code_is_unique_and_named(app, english):
    registry = AuditAction.registry()
    codes = [m.value for kind in AuditAction.__subclasses__() for m in kind]
    assert len(codes) == len(set(codes))
    assert all(m._label.text in english for m in registry.values())


def test_an_unknown_code_is_shown_as_itself(app):
    assert AuditAction.label_of("no.such.action") == "no.such.action"


def test_the_audit_log_takes_only_registered_actions(ctx, actor):
    """Can a change be logged under a code nobody named? No: record() wants a member."""
    from app.core.audit import record

    with pytest.raises(TypeError):
        record(actor, "payment.approve", "payment", 1)
    entry = record(actor, AuditAction.registry()["payment.approve"], "payment", 1)
    assert entry.action == "payment.approve"
