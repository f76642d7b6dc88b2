"""Reading the text of a document as YAML (JSON is YAML too) strictly: a key written twice,
an integer YAML 1.1 would read in another base, or an impossible date is kept for the reader to
refuse with its place; and each field's line, to point every error at it."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from app.core.errors import ImportRefused, Problem
from app.ledger.exchange.schema import join_path


def parse_text(text: str) -> tuple[Any, dict[str, int]]:
    """Return the document's loaded data and the line of each field path; raise ImportRefused
    (with the line) when the text is not YAML or JSON."""
    text = _json_tabs_as_spaces(text)
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"filen är inte giltig YAML/JSON: {what}"
        if context:
            message += f" ({context})"
        raise ImportRefused([Problem("", message, line)]) from None
    return raw, _line_map(text)


def _line_map(text: str) -> dict[str, int]:
    """Map each field path to its 1-based line in the YAML text, to point errors at it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    walked: set[int] = set()

    def walk(node: yaml.Node, path: str) -> None:
        found.setdefault(path, node.start_mark.line + 1)
        # An alias is the node of its anchor again: walking it each time would take exponential
        # time on a few lines of nested aliases.
        if id(node) in walked:
            return
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                found[join_path(path, key)] = key_node.start_mark.line + 1
                walk(value_node, join_path(path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return found


_DECIMAL_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                continue  # a list or mapping as key: the base class refuses it with its line
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"fältet {key!r} står två gånger (först på rad {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # YAML 1.1 also reads 0x10, 010 (octal: 8) and 1:30 (base 60: 90) as integers; an amount
        # written so is a slip, so keep it as text for the reader to refuse with its place.
        if not _DECIMAL_INT.match(self.construct_scalar(node)):
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        # An impossible date such as 2021-13-01 would raise a bare ValueError: keep it as text
        # for the reader to refuse with its place.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _UniqueKeyLoader.construct_yaml_int)
_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp
)


def _json_tabs_as_spaces(text: str) -> str:
    """Return a JSON document indented with tabs with spaces instead, so YAML can read it.

    JSON allows tabs between tokens, YAML does not; a valid JSON document has no raw tab
    inside a string (it would be escaped), so every tab in it is whitespace.
    """
    if "\t" not in text:
        return text
    try:
        json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return text
    return text.replace("\t", " ")

