"""Versioned prompt files, loaded by id, so every answer can record the exact prompt it used.

A prompt lives in ``<package>/prompts/<id>.md``, beside the stage that uses it
(``retrieval``, ``assistant``, ``experiments``); only this loader is shared. Its first line
is ``id: <id>`` (checked against the file name, so a copied file cannot silently keep its
old id); further ``key: value`` lines up to the first blank line are notes for people.
The body is split into chat messages by lines that read exactly ``## system``, ``## user``
or ``## assistant``, and ``{{name}}`` placeholders are filled in one pass, so text put into
a placeholder (a retrieved passage, say) is never itself treated as a template.

Changing a prompt's wording means adding a new id, never editing an old file: the
``sha256`` recorded with each answer makes an edit in place detectable.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from core.errors import ConfigError
from core.llm import Message, Role

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SECTION_RE = re.compile(r"^## (system|user|assistant)[ \t]*$", re.M)
_PLACEHOLDER_RE = re.compile(r"\{\{(\w+)\}\}")
_FENCE_RE = re.compile(r"<\s*/?\s*[A-Za-z][\w-]{0,40}\s*>")
_ROLES: dict[str, Role] = {"system": "system", "user": "user", "assistant": "assistant"}


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    text: str  # the whole file, as hashed
    sha256: str

    def sections(self) -> list[tuple[Role, str]]:
        """(role, template) pairs in file order."""
        pieces = _SECTION_RE.split(self.text)  # [header, role, body, role, body...]
        return [
            (_ROLES[role], body.strip())
            for role, body in zip(pieces[1::2], pieces[2::2], strict=True)
        ]

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER_RE.findall(self.text))

    def render(self, **values: str) -> list[Message]:
        """The chat messages with every ``{{name}}`` replaced; all names must match exactly."""
        wanted = self.placeholders()
        if wanted != set(values):
            missing, extra = sorted(wanted - set(values)), sorted(set(values) - wanted)
            raise ValueError(f"prompt {self.id}: missing values {missing}, unknown values {extra}")
        return [
            Message(role, _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], body))
            for role, body in self.sections()
        ]


def quote_untrusted(text: str, max_chars: int) -> str:
    """User-supplied ``text`` made safe to put between ``<tag>`` fences in a prompt.

    Whitespace (newlines included) collapses to single spaces, the text is cut to
    ``max_chars``, and anything shaped like an opening or closing fence tag is dropped,
    so a question cannot end its own ``<question>`` block and pose as instructions.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    text = " ".join(_FENCE_RE.sub(" ", text).split())
    return text[:max_chars].rstrip()


def available_prompts(package: str) -> list[str]:
    """The prompt ids ``package`` ships, sorted."""
    return sorted(
        entry.name.removesuffix(".md")
        for entry in _folder(package).iterdir()
        if entry.name.endswith(".md")
    )


def load_prompt(package: str, prompt_id: str) -> Prompt:
    """The prompt ``prompt_id`` of ``package`` (e.g. ``"assistant"``, ``"answer-v1"``)."""
    ids = available_prompts(package)
    if prompt_id not in ids or not _ID_RE.match(prompt_id):
        raise ConfigError(
            f"unknown prompt {prompt_id!r} in {package}/prompts; available: {', '.join(ids)}"
        )
    raw = (_folder(package) / f"{prompt_id}.md").read_bytes()
    text = raw.decode("utf-8")
    header = text.split("\n", 1)[0].strip()
    if header != f"id: {prompt_id}":
        raise ConfigError(
            f"{package}/prompts/{prompt_id}.md must start with the line 'id: {prompt_id}', "
            f"found {header!r}"
        )
    prompt = Prompt(prompt_id, text, hashlib.sha256(raw).hexdigest())
    if not prompt.sections():
        raise ConfigError(
            f"{package}/prompts/{prompt_id}.md has no '## system' or '## user' section"
        )
    return prompt


def _folder(package: str) -> Traversable:
    try:
        folder = resources.files(package) / "prompts"
    except ModuleNotFoundError:
        raise ConfigError(f"no package named {package!r} to load prompts from") from None
    if not folder.is_dir():
        raise ConfigError(f"package {package!r} has no prompts/ folder")
    return folder
