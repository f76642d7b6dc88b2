"""The names of the ledger's codes: every enum member and audit action has its Swedish label,
and the codes stored in the database are the ones they always were."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.core.audit import AuditAction
from app.ledger.models import LedgerAction
from app.ledger.rules import BudgetStatus, LineKind, RemainderRule

LEDGER = Path(__file__).resolve().parents[3] / "app" / "ledger"

# The codes stored in audit_entry.action: renaming one would orphan the log's old entries.
STORED_ACTIONS = {
    "allocation.import", "allocation.replace", "line.create", "line.update", "line.delete",
    "grant.create", "grant.update", "grant.delete", "year.close", "year.reopen",
    "earmark.create", "setting.update", "requisition.create", "requisition.decline",
    "payment.register", "payment.approve", "payment.reject",
    "sie.accounts", "sie.settings", "sie.export", "sie.export_again",
    "goal_area.create", "goal_area.rename", "goal_area.retire", "goal_area.restore",
    "goal_area.copy",
    "year.accept_missing", "allocation.create", "allocation.update", "budget.decide",
    "budget.revise",
}


def test_the_ledgers_actions_keep_their_stored_codes():
    assert {action.value for action in LedgerAction} == STORED_ACTIONS


@pytest.mark.parametrize("member", [*LedgerAction, *LineKind, *RemainderRule, *BudgetStatus], ids=str)
def test_every_code_of_the_ledger_has_a_swedish_name(member):
    assert member.label and member.label != member.value


def test_the_ledgers_actions_are_in_the_one_registry():
    registry = AuditAction.registry()
    assert all(registry[action.value] is action for action in LedgerAction)
    assert AuditAction.label_of("payment.approve") == "Attesterad utbetalning"


def test_the_labels_are_the_texts_users_have_always_read():
    """The Swedish texts are the catalog's msgids: changing one loses its translation."""
    assert [k.label for k in LineKind] == ["Aktivitet", "Utlysning", "Överföring"]
    assert RemainderRule.CARRY_OVER.label == "Förs över till nästa år"
    assert RemainderRule.PAY_BACK.label == "Betalas tillbaka till staten"


def _recorded_actions() -> list[tuple[str, ast.expr]]:
    found = []
    for path in LEDGER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and len(node.args) >= 2):
                found.append((f"{path.relative_to(LEDGER)}:{node.lineno}", node.args[1]))
    return found


def test_the_ledger_records_only_its_declared_actions():
    """Does every audit entry the ledger writes name a LedgerAction, never a bare string?"""
    recorded = _recorded_actions()
    assert len(recorded) >= len(STORED_ACTIONS)
    for where, action in recorded:
        assert isinstance(action, ast.Attribute), where
        assert isinstance(action.value, ast.Name) and action.value.id == "LedgerAction", where
        assert action.attr in LedgerAction.__members__, where
