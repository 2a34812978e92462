"""User text made safe once, for every stage that reads it (validation, drawing, rendering)."""

from __future__ import annotations

import re

__all__ = ["clean"]

# C0/C1 controls, the bidirectional embedding, override and isolate marks, and
# the two noncharacters XML forbids: none of them belongs in a label, and the
# overrides can disguise text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop control and direction-override characters from user text."""
    if text.isascii() and text.isprintable():  # the common case, and far cheaper than the search
        return text
    return _UNSAFE.sub("", text)
