"""Reading the text of a document as YAML (JSON is YAML too) strictly: a key written twice,
a tag, nesting or aliases beyond what the format holds are refused with their place; an
integer YAML 1.1 would read in another base, one too long to be an amount, or an impossible
date is kept for the reader to refuse with its place; and each field's line, to point every
error at it."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from flask_babel import gettext as _

from app.core.errors import ImportRefused, Problem
from app.core.text import join_surrogate_pairs
from app.ledger.exchange.schema import join_path

# The format nests nine levels at most (document, allocations, an allocation, its lines, a
# line, its grants, a grant, its partners, a name); deeper is no file of this format, and would
# exhaust Python's stack.
MAX_DEPTH = 12
# Values in the file once every alias is expanded: many times what a file within the size
# limit holds, far below what a few lines of nested aliases would expand to.
MAX_NODES = 1_000_000
# Integer digits kept as a number: amounts in öre and years have far fewer. Longer ones stay
# text for the reader to refuse with its place (Python refuses to read 4300 digits or more).
MAX_INT_DIGITS = 30

_CORE = "tag:yaml.org,2002:"


def decode_text(data: bytes) -> str:
    """Return a file's bytes as text; raise ImportRefused, with the line, when they are not
    UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportRefused([Problem(
            "", _("filen är inte en textfil i UTF-8: byte 0x%(byte)s på plats %(column)s i raden "
                  "går inte att läsa", byte=format(data[exc.start], "02X"), column=column),
            line)]) from None


def parse_text(text: str) -> tuple[Any, dict[str, int]]:
    """Return the document's loaded data and the line of each field path; raise ImportRefused
    (with the line, and the field path where it is known) when the text is not YAML or JSON
    or goes beyond what the format can hold."""
    text = _json_tabs_as_spaces(text)
    try:
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
            raw = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except _Refused as refused:
        raise ImportRefused([refused.problem]) from None
    except yaml.reader.ReaderError as exc:
        raise ImportRefused([_unreadable_character(text, exc)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = _("filen är inte giltig YAML/JSON: %(what)s", what=what)
        if context:
            message = _("filen är inte giltig YAML/JSON: %(what)s (%(context)s)", what=what,
                        context=context)
        raise ImportRefused([Problem("", message, line)]) from None
    return raw, _line_map(root)


def _unreadable_character(text: str, exc: yaml.reader.ReaderError) -> Problem:
    """Word YAML's refusal of a control character (or a lone surrogate) written as it is."""
    position = exc.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem("", _("filen innehåller ett tecken som inte får finnas i text (tecken "
                         "0x%(code)s på plats %(column)s i raden)", code=format(code, "02X"),
                         column=column), line)


class _Refused(Exception):
    """A document refused while it is being read, with its place."""

    def __init__(self, path: str, message: str, mark) -> None:
        super().__init__(message)
        self.problem = Problem(path, message, mark.line + 1 if mark is not None else None)


def _line_map(root: yaml.Node | None) -> dict[str, int]:
    """Map each field path to its 1-based line in the YAML text, to point errors at it."""
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


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that reads only what the format can hold.

    It refuses a key written twice in one mapping (YAML would keep the last), any tag but the
    plain ones (`!!binary` would be read as bytes, `!!set` as a set), nesting deeper than
    MAX_DEPTH, an alias that contains itself and more than MAX_NODES values once aliases are
    expanded; each refusal names its line and field path.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._paths: list[str] = []  # the field path of each node being composed
        self._open_anchors: list[str] = []
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node): (height, values), expanded

    def _path_of(self, parent, index) -> str:
        here = self._paths[-1] if self._paths else ""
        if parent is None or index is None:  # the root, or a key
            return here
        if isinstance(index, int):
            return f"{here}[{index}]"
        return join_path(here, str(index.value) if isinstance(index, yaml.ScalarNode) else "?")

    def compose_node(self, parent, index):
        path = self._path_of(parent, index)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if event.anchor in self._open_anchors:
                raise _Refused(path, _("aliaset *%(anchor)s pekar på något som innehåller aliaset "
                                       "självt", anchor=event.anchor), event.start_mark)
            if target is not None and len(self._paths) + self._sizes[id(target)][0] > MAX_DEPTH:
                raise _Refused(path, _too_deep(), event.start_mark)
            return super().compose_node(parent, index)
        if len(self._paths) >= MAX_DEPTH:
            raise _Refused(path, _too_deep(), event.start_mark)
        allowed = {None, "!", _CORE + {yaml.ScalarEvent: "str", yaml.SequenceStartEvent: "seq",
                                       yaml.MappingStartEvent: "map"}.get(type(event), "")}
        if event.tag not in allowed:
            raise _Refused(path, _("taggen %(tag)s hör inte till formatet; skriv värdet utan tagg",
                                   tag=_tag(event.tag)), event.start_mark)
        self._paths.append(path)
        if event.anchor is not None:
            self._open_anchors.append(event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._paths.pop()
            if event.anchor is not None:
                self._open_anchors.pop()
        self._measure(node, path)
        return node

    def _measure(self, node: yaml.Node, path: str) -> None:
        """Keep the node's height and number of values with every alias expanded; refuse a
        node that holds too many."""
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        measured = [self._sizes[id(child)] for child in children]
        height = 1 + max((h for h, _ in measured), default=0)
        values = 1 + sum(n for _, n in measured)
        if values > MAX_NODES:
            raise _Refused(path, _("filen håller fler än %(most)s värden när dess alias "
                                   "skrivs ut", most=MAX_NODES), node.start_mark)
        self._sizes[id(node)] = (height, values)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                continue  # a list or mapping as key: the base class refuses it with its line
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    _("fältet %(key)r står två gånger (först på rad %(line)s)", key=key,
                      line=seen[key]),
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # YAML 1.1 also reads 0x10, 010 (octal: 8) and 1:30 (base 60: 90) as integers; an amount
        # written so is a slip, so keep it as text for the reader to refuse with its place.
        text = self.construct_scalar(node)
        if not _DECIMAL_INT.match(text) or len(text.replace("_", "")) > MAX_INT_DIGITS:
            return text
        return super().construct_yaml_int(node)

    def construct_yaml_str(self, node):
        # JSON writes a character beyond U+FFFF as an escaped surrogate pair, which YAML
        # decodes as two halves: join them. A lone half stays, for the reader to refuse.
        return join_surrogate_pairs(super().construct_yaml_str(node))

    def construct_yaml_timestamp(self, node):
        # An impossible date such as 2021-13-01 would raise a bare ValueError: keep it as text
        # for the reader to refuse with its place.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


def _too_deep() -> str:
    return _("värdena är nästlade djupare än formatet tillåter (högst %(most)s nivåer)",
             most=MAX_DEPTH)


_StrictLoader.add_constructor(_CORE + "int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor(_CORE + "str", _StrictLoader.construct_yaml_str)
_StrictLoader.add_constructor(_CORE + "timestamp", _StrictLoader.construct_yaml_timestamp)
# A lone "=" is YAML 1.1's "value" key, which a safe loader cannot construct: it is text here.
_StrictLoader.add_constructor(_CORE + "value", _StrictLoader.construct_yaml_str)


def _json_tabs_as_spaces(text: str) -> str:
    """Return a JSON document indented with tabs with spaces instead, so YAML can read it.

    JSON allows tabs between tokens, YAML does not; a valid JSON document has no raw tab
    inside a string (it would be escaped), so every tab in it is whitespace.
    """
    if "\t" not in text:
        return text
    try:
        json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):  # not JSON, or nested too deep: YAML says which
        return text
    return text.replace("\t", " ")

