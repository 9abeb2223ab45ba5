"""Guardrails on what advisors type, and the risk tier that decides what happens to an answer.

Two kinds of work, split on purpose:

* ``mask_personal_data`` is a pure rewrite and runs *first*, before the question reaches a
  model, a log line or the audit table: account numbers, IBANs, card numbers, social
  security numbers, e-mail addresses and phone numbers become placeholders.
* ``check_input`` looks for attempts to instruct the model (prompt injection) and for
  oversized input. The HTTP service runs it concurrently with retrieval and generation and
  discards the answer when it fails, so a clean question pays no latency for it.

Only what the *user* types is checked: text inside documents is data, quoted to the model
as sources, never obeyed, and never scanned here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Tier = Literal["low", "medium", "high"]

MAX_QUESTION_CHARS = 4000

# -- normalisation ---------------------------------------------------------------------------

# Invisible characters that split a word or a number without showing: zero-width space,
# joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))


def normalise(text: str) -> str:
    """NFKC (full-width letters, digits and ``＠`` become ASCII) without invisible characters.

    Masking and the input checks both match on this form, so ``１２３-４５-６７８９`` or a
    zero-width space inside a card number cannot slip past a pattern.
    """
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


# -- personal data --------------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
# Spelled out to dodge filters: "john.doe at example dot com", "jane [at] firm [dot] co [dot] uk".
# A bracketed "[at]" takes any dots; a bare " at " only spelled ones, or "look at acme.com"
# would be masked.
_LOCAL = r"\b[\w+-]{1,64}(?:\.[\w+-]{1,64}){0,3}"
_TLD = r"(?:com|net|org|edu|gov|mil|int|info|biz|io|co|[a-z]{2})\b"
_DOT_SPELLED = r"(?:\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_DOT_ANY = r"(?:" + _DOT_SPELLED + r"|\.)"
_SPELLED_EMAIL = re.compile(
    _LOCAL
    + r"\s*[\[(]\s*at\s*[\])]\s*[\w-]{1,63}(?:"
    + _DOT_ANY
    + r"[\w-]{1,63}){0,3}"
    + _DOT_ANY
    + _TLD
    + r"|"
    + _LOCAL
    + r"\s+at\s+[\w-]{1,63}(?:"
    + _DOT_SPELLED
    + r"[\w-]{1,63}){0,3}"
    + _DOT_SPELLED
    + _TLD,
    re.IGNORECASE,
)
# Upper case as IBANs are printed; any other case must also pass the ISO 13616 checksum.
_IBAN = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)
_SSN = re.compile(r"\b\d{3}([- .])\d{2}\1\d{4}\b")
# 13-19 digits, optionally grouped by spaces, dashes or dots: a card if the Luhn check passes.
_CARD = re.compile(r"(?<![\d.-])\d(?:[ .-]?\d){12,18}(?![\d-]|\.\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?!\w)"
    r"|(?<![\w+])\+\d{9,15}(?!\w)"
)
# An account number named as such ("account 4471-2290", "acct no. 12345678"), or any long
# bare digit run that is not an amount (no currency sign before it, no % after it).
_NAMED_ACCOUNT = re.compile(
    r"\b(?P<label>(?:account|acct|a/c)(?:\s+(?:number|no\.?|#))?[:#]?\s*)"
    r"(?P<number>\d[\d -]{3,22}\d)\b",
    re.IGNORECASE,
)
# Security identifiers named as such (CUSIP 037833100, ISIN US0378331005) are not accounts.
_BARE_ACCOUNT = re.compile(
    r"(?<!cusip )(?<!isin )(?<!sedol )(?<![\w$€£¥.,])\d{8,17}(?![\d%.,])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Masked:
    """A text with personal data replaced, and which kinds were found (for the audit)."""

    text: str
    found: tuple[str, ...]


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_checksum(value: str) -> bool:
    compact = re.sub(r"\s", "", value).upper()
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _iban_like(value: str) -> bool:
    """At least 15 characters (the shortest IBAN; an ISIN has 12); in upper case as IBANs
    are printed, or passing the checksum."""
    compact = re.sub(r"\s", "", value)
    return len(compact) >= 15 and (compact.isupper() or _iban_checksum(compact))


def mask_personal_data(text: str) -> Masked:
    """Replace personal data in ``text`` with ``[EMAIL]``, ``[IBAN]``, ``[CARD]`` and the like.

    The text is normalised first (``normalise``), so the masked text is in that form.
    Order matters: e-mail and IBAN first (they contain digits the later patterns would
    split), cards before phones (a grouped card number also looks like a phone number).
    """
    found: list[str] = []
    text = normalise(text)

    def sub(pattern: re.Pattern[str], label: str, value: str) -> str:
        def replace(match: re.Match[str]) -> str:
            kind = label
            if label == "CARD" and not _luhn(re.sub(r"\D", "", match.group())):
                kind = "ACCOUNT"  # a long grouped number that is no card: still an account
            if label == "IBAN" and not _iban_like(match.group()):
                return match.group()
            found.append(kind.lower())
            return f"[{kind}]"

        return pattern.sub(replace, value)

    text = sub(_EMAIL, "EMAIL", text)
    text = sub(_SPELLED_EMAIL, "EMAIL", text)
    text = sub(_IBAN, "IBAN", text)
    text = sub(_SSN, "SSN", text)
    text = sub(_CARD, "CARD", text)

    def account(match: re.Match[str]) -> str:
        found.append("account")
        return f"{match['label']}[ACCOUNT]"

    text = _NAMED_ACCOUNT.sub(account, text)
    text = sub(_PHONE, "PHONE", text)
    text = sub(_BARE_ACCOUNT, "ACCOUNT", text)
    return Masked(text, tuple(dict.fromkeys(found)))


# -- input checks ------------------------------------------------------------------------------

# Instructions aimed at the assistant. Each pattern must read as an order to *this* model,
# not a report of one: "an e-mail told me to ignore previous instructions" is a fair
# research question (the IT security policy answers it), so the override verbs only count
# at the start of a clause, not after "to" or "me to".
_CLAUSE = r"(?:^|[.!?;:\n]\s*|\b(?:now|please|and|then)\s+)"
_INJECTION: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "override",
        re.compile(
            _CLAUSE + r"(?:please\s+)?(?:ignore|disregard|forget|override|bypass)\s+"
            r"(?:all\s+|any\s+|the\s+|your\s+|my\s+)*(?:previous|prior|above|earlier|system|"
            r"preceding)?\s*(?:instructions?|prompts?|rules|guidelines|guardrails|directives)",
            re.IGNORECASE,
        ),
    ),
    (
        "role_change",
        re.compile(
            r"\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b|\bact\s+as\s+(?:an?\s+)?"
            r"(?:unrestricted|unfiltered|jailbroken|different)|\bdeveloper\s+mode\b",
            re.IGNORECASE,
        ),
    ),
    (
        "prompt_leak",
        re.compile(
            r"\b(?:reveal|print|show|repeat|output|leak)\s+(?:me\s+)?(?:your|the)\s+"
            r"(?:system\s+|hidden\s+|initial\s+)?(?:prompt|instructions)",
            re.IGNORECASE,
        ),
    ),
    (
        "markup",
        re.compile(
            r"<\|(?:im_start|im_end|system|endoftext)\|>|\[/?INST\]|</?system>|^\s*system\s*:",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    (
        "entitlement",
        re.compile(
            r"\b(?:ignore|bypass|disable|skip|without)\s+(?:the\s+|my\s+|all\s+)?"
            r"(?:entitlements?|access\s+(?:controls?|restrictions?)|permissions?|"
            r"allowed[_ ]groups)",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of the input checks; ``reason`` is shown to the user when ``passed`` is False."""

    passed: bool
    check: str = ""
    reason: str = ""


PASSED = Verdict(True)


# Digits and signs written for letters ("1gn0re 4ll prev10us 1nstruct10ns"); "1" reads as
# "i" or "l", so both readings are checked.
_LEET = str.maketrans("0345789@$", "oeasbtgas")
_ONE = (str.maketrans("1!|", "iii"), str.maketrans("1!|", "lll"))


def _readings(text: str) -> list[str]:
    """The forms the injection patterns are matched on: normalised, and with leetspeak read."""
    plain = normalise(text)
    spelled = plain.translate(_LEET)
    return [plain, *(spelled.translate(one) for one in _ONE)]


def check_input(text: str) -> Verdict:
    """Reject input that tries to instruct the model or is too large; the first failure wins.

    Patterns match on the normalised text (full-width letters, zero-width characters) and
    on its leetspeak reading, so ``ｉｇｎｏｒｅ`` or ``1gn0re`` is caught like ``ignore``.
    """
    if len(text) > MAX_QUESTION_CHARS:
        return Verdict(False, "size", f"the message is longer than {MAX_QUESTION_CHARS} characters")
    if "\x00" in text:
        return Verdict(False, "size", "the message contains a NUL character")
    readings = _readings(text)
    for name, pattern in _INJECTION:
        if any(pattern.search(reading) for reading in readings):
            return Verdict(
                False,
                f"injection:{name}",
                "the message reads as an instruction to the assistant rather than a question "
                "about the research library; rephrase it as a question",
            )
    return PASSED


# -- risk tiers ------------------------------------------------------------------------------------


def tier(outcome: str, risk: str) -> Tier:
    """The tier that decides handling: any escalation is high; otherwise the classifier's risk.

    high: a request to act, never executed, queued for a reviewer. medium: reads as advice
    for a specific client, answered with the firm's disclaimer and flagged. low: answered.
    """
    if outcome == "escalated" or risk == "high":
        return "high"
    return "medium" if risk == "medium" else "low"


def with_disclaimer(text: str, disclaimer: str) -> str:
    """The answer text followed by the disclaimer, once."""
    if disclaimer in text:
        return text
    return f"{text.rstrip()}\n\n{disclaimer}"
