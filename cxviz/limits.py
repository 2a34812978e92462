"""Limits that keep hostile or accidental input from exhausting the machine.

The defaults are far above what a real map needs; every one can be raised.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """Upper bounds applied while loading, validating and rendering a spec."""

    max_file_bytes: int = 2_000_000
    max_yaml_nodes: int = 100_000
    max_depth: int = 64
    max_items: int = 2_000
    max_text_chars: int = 2_000
    layout_seconds: float = 30.0
    # Graphviz holds the whole bitmap in memory while it draws: 4 bytes a pixel.
    max_png_pixels: int = 50_000_000

