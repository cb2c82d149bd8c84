""" "Show this question only if…": the expressions a question's `relevant` may hold.

The language is the part of XLSForm's `relevant` column that surveys really use, so that an
imported form keeps its conditions and an exported one means the same to pyxform:

    ${name} = 'value'      ${name} != 'value'     ${age} >= 13     ${age} < 18.5
    selected(${name}, 'value')                    not(selected(${name}, 'value'))
    ${name} != ''          (an answer was given)  a and b      a or b      ( … )

Values are quoted texts or numbers. `parse` raises ConditionError with the reason for anything
else (`names` lists the questions an expression reads, for "earlier questions only");
`holds` evaluates a parsed expression on the answers given so far. A question that was not
answered (or was hidden) compares as the empty text: it is never equal to a value and never
greater or less than a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_LENGTH = 500
OPERATORS = ("=", "!=", ">=", "<=", ">", "<")
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|(?P<text>'[^']*'|\"[^\"]*\")"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<op>!=|>=|<=|=|>|<)|(?P<punct>[(),])"
    r"|(?P<word>[A-Za-z_-]+))"
)


class ConditionError(ValueError):
    """The expression is not one the survey understands; str() says why, for the editor."""


@dataclass(frozen=True)
class Compare:
    name: str
    op: str
    value: str | Decimal


@dataclass(frozen=True)
class Selected:
    name: str
    value: str


@dataclass(frozen=True)
class Not:
    inner: Expression


@dataclass(frozen=True)
class Both:
    op: str  # "and" or "or"
    left: Expression
    right: Expression


Expression = Compare | Selected | Not | Both
# What `holds` reads: a question's name to its answer (a text, a number, or the values ticked).
Answers = Mapping[str, str | Decimal | list[str] | None]


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    at = 0
    text = text.rstrip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise ConditionError(
                _("The condition could not be read at “%(rest)s”.") % {"rest": text[at:][:20]}
            )
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, kind: str, value: str | None = None) -> str:
        got_kind, got = self.peek()
        if got_kind != kind or (value is not None and got != value):
            wanted = value or kind
            raise ConditionError(
                _("The condition expected “%(wanted)s” but found “%(found)s”.")
                % {"wanted": wanted, "found": got or _("its end")}
            )
        self.at += 1
        return got

    def expression(self) -> Expression:
        left = self.conjunction()
        while self.peek() == ("word", "or"):
            self.at += 1
            left = Both("or", left, self.conjunction())
        return left

    def conjunction(self) -> Expression:
        left = self.term()
        while self.peek() == ("word", "and"):
            self.at += 1
            left = Both("and", left, self.term())
        return left

    def term(self) -> Expression:
        kind, value = self.peek()
        if (kind, value) == ("punct", "("):
            self.at += 1
            inner = self.expression()
            self.take("punct", ")")
            return inner
        if kind == "word" and value in ("not", "selected"):
            self.at += 1
            self.take("punct", "(")
            if value == "not":
                inner = self.expression()
                self.take("punct", ")")
                return Not(inner)
            name = _name(self.take("ref"))
            self.take("punct", ",")
            choice = _literal(self.take("text"))
            self.take("punct", ")")
            return Selected(name, choice)
        if kind == "ref":
            name = _name(self.take("ref"))
            op = self.take("op")
            literal_kind, literal = self.peek()
            if literal_kind == "text":
                self.at += 1
                if op not in ("=", "!="):
                    raise ConditionError(_("Texts can only be compared with = or !=."))
                return Compare(name, op, _literal(literal))
            return Compare(name, op, Decimal(self.take("number")))
        raise ConditionError(
            _("The condition cannot start with “%(found)s”.") % {"found": value or _("nothing")}
        )


def _name(ref: str) -> str:
    return ref[2:-1]


def _literal(quoted: str) -> str:
    return quoted[1:-1]


def parse(text: str) -> Expression | None:
    """The expression in `text` (None for an empty text); ConditionError if not understood."""
    if not text.strip():
        return None
    if len(text) > MAX_LENGTH:
        raise ConditionError(_("The condition is too long."))
    parser = _Parser(_tokens(text))
    expression = parser.expression()
    if parser.at != len(parser.tokens):
        raise ConditionError(
            _("The condition has more after its end: “%(rest)s”.")
            % {"rest": parser.tokens[parser.at][1]}
        )
    return expression


def names(expression: Expression | None) -> set[str]:
    """The questions an expression reads."""
    if expression is None:
        return set()
    if isinstance(expression, Compare | Selected):
        return {expression.name}
    if isinstance(expression, Not):
        return names(expression.inner)
    return names(expression.left) | names(expression.right)


def _number(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def _compare(given: object, op: str, value: str | Decimal) -> bool:
    if isinstance(given, list):
        given = given[0] if len(given) == 1 else ("" if not given else None)
    if isinstance(value, str):
        text = "" if given is None else str(given)
        return (text == value) if op == "=" else (text != value)
    number = _number(given) if given not in (None, "") else None
    if number is None:
        return op == "!="
    return {
        "=": number == value,
        "!=": number != value,
        ">": number > value,
        ">=": number >= value,
        "<": number < value,
        "<=": number <= value,
    }[op]


def holds(expression: Expression | None, answers: Answers) -> bool:
    """Whether the expression holds for these answers (no expression: always)."""
    if expression is None:
        return True
    if isinstance(expression, Compare):
        return _compare(answers.get(expression.name), expression.op, expression.value)
    if isinstance(expression, Selected):
        given = answers.get(expression.name)
        ticked = given if isinstance(given, list) else ([str(given)] if given else [])
        return expression.value in ticked
    if isinstance(expression, Not):
        return not holds(expression.inner, answers)
    if expression.op == "and":
        return holds(expression.left, answers) and holds(expression.right, answers)
    return holds(expression.left, answers) or holds(expression.right, answers)


def write(expression: Expression | None) -> str:
    """The expression as text, in the syntax `parse` reads (and XLSForm's)."""
    if expression is None:
        return ""
    if isinstance(expression, Compare):
        value = (
            f"'{expression.value}'" if isinstance(expression.value, str) else str(expression.value)
        )
        return f"${{{expression.name}}} {expression.op} {value}"
    if isinstance(expression, Selected):
        return f"selected(${{{expression.name}}}, '{expression.value}')"
    if isinstance(expression, Not):
        return f"not({write(expression.inner)})"
    left, right = write(expression.left), write(expression.right)
    if expression.op == "and":  # `and` binds tighter: an `or` inside it needs brackets
        left = (
            f"({left})"
            if isinstance(expression.left, Both) and expression.left.op == "or"
            else left
        )
        right = (
            f"({right})"
            if isinstance(expression.right, Both) and expression.right.op == "or"
            else right
        )
    return f"{left} {expression.op} {right}"
