"""A small SIE 4 reader written for the tests from the standard, independent of the app's
writer: it reads the bytes as code page 437, splits each CR LF line into fields (quoted ones
with their backslash escapes, an object list in braces), and gathers the vouchers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Row:
    account: str
    objects: list[tuple[str, str]]
    amount: Decimal
    fields: list


@dataclass
class Ver:
    series: str
    number: str
    date: str
    text: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class SieDocument:
    posts: list[tuple[str, list]]  # every post outside the vouchers: (label, fields)
    vouchers: list[Ver]

    def all(self, label: str) -> list[list]:
        return [fields for name, fields in self.posts if name == label]

    def one(self, label: str) -> list:
        found = self.all(label)
        assert len(found) == 1, (label, found)
        return found[0]


def fields_of(line: str) -> list:
    """Split a post's line into its fields; an object list becomes a list of strings."""
    out: list = []
    stack: list[list] = [out]
    i = 0
    while i < len(line):
        char = line[i]
        if char in " \t":
            i += 1
        elif char == "{":
            group: list = []
            stack[-1].append(group)
            stack.append(group)
            i += 1
        elif char == "}":
            stack.pop()
            i += 1
        elif char == '"':
            i += 1
            text = []
            while line[i] != '"':
                if line[i] == "\\":
                    i += 1
                text.append(line[i])
                i += 1
            stack[-1].append("".join(text))
            i += 1
        else:
            start = i
            while i < len(line) and line[i] not in ' \t{}"':
                i += 1
            stack[-1].append(line[start:i])
    return out


def read_sie(content: bytes) -> SieDocument:
    text = content.decode("cp437")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "lines end in CR LF"
    posts, vouchers = [], []
    current: Ver | None = None
    inside = False
    for line in text.split("\r\n")[:-1]:
        stripped = line.strip()
        if stripped == "{":
            assert current is not None and not inside
            inside = True
            continue
        if stripped == "}":
            assert inside
            inside, current = False, None
            continue
        label, *rest = fields_of(stripped)
        if inside:
            assert label == "#TRANS", line
            account, objects, amount, *more = rest
            pairs = list(zip(objects[::2], objects[1::2]))
            current.rows.append(Row(account, pairs, Decimal(amount), more))
        elif label == "#VER":
            series, number, day, text_, *_ = rest
            current = Ver(series, number, day, text_)
            vouchers.append(current)
        else:
            posts.append((label, rest))
    assert not inside
    return SieDocument(posts, vouchers)
