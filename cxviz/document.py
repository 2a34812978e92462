"""The header every spec shares, whatever its kind."""

from __future__ import annotations

from .schema import Date, record, spec

__all__ = ["FORMAT_VERSION", "Document", "credits"]

#: The spec format this cxviz reads. A spec may say ``cxviz: 1`` to pin it.
FORMAT_VERSION = 1


@record("The fields every spec has.")
class Document:
    kind: str = spec("Which diagram this spec describes.", required=True)
    cxviz: int = spec(
        "The spec format version, so that the format can evolve without breaking old specs.",
        default=FORMAT_VERSION,
        minimum=1,
    )
    title: str = spec("The title shown on the diagram.", required=True)
    lang: str = spec(
        "Language of the built-in words (headings, lane names, legends): en, id, ar, jv, "
        "or a language of your own (--locale-dir). Arabic lays the diagram out right to left.",
        default="en",
    )
    description: str | None = spec("A sentence on what the diagram shows; also read by screen readers.", default=None)
    version: str | None = spec("The spec's own version, shown in the footer.", default=None)
    date: Date | None = spec("When the diagram was made or last changed.", default=None)
    authors: tuple[str, ...] = spec("Who made it.", default=())


def credits(document: Document, locale) -> list[tuple[str, str]]:
    """(label, value) for the date, version and authors a spec gives, labelled in its language."""
    pairs = [
        (locale["common.date"], document.date),
        (locale["common.version"], document.version),
        (locale["common.designed_by"], ", ".join(document.authors)),
    ]
    return [(label, value) for label, value in pairs if value]
