"""The one look every diagram shares: colours, type sizes and spacing.

Colours are the Okabe-Ito set, safe for colour-blind readers, each with a
light tint for fills. Meaning never rests on colour alone: every coloured
mark also has a shape, a border weight or a label, so a greyscale print keeps
every distinction.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Palette", "PALETTE", "TypeScale", "TYPE", "FONT_FAMILY", "emotion_colour"]

#: The family every diagram is drawn in: Latin and Arabic in one design.
FONT_FAMILY = "IBM Plex Sans Arabic"


@dataclass(frozen=True)
class Palette:
    ink: str = "#1F2933"  # body text
    muted: str = "#52606D"  # captions, guiding questions
    faint: str = "#9AA5B1"  # dashed lines, empty areas
    rule: str = "#CBD2D9"  # borders
    paper: str = "#FFFFFF"
    panel: str = "#F5F7FA"  # lane labels, header bands

    orange: str = "#E69F00"
    sky: str = "#56B4E9"
    green: str = "#009E73"
    yellow: str = "#F0E442"
    blue: str = "#0072B2"
    vermillion: str = "#D55E00"
    purple: str = "#CC79A7"

    # Light tints of the same hues, for fills under dark text.
    orange_tint: str = "#FCEFD2"
    sky_tint: str = "#E1F1FB"
    green_tint: str = "#D6F0E8"
    yellow_tint: str = "#FCFADB"
    blue_tint: str = "#D9E9F4"
    vermillion_tint: str = "#F8E1D3"
    purple_tint: str = "#F6E6EF"

    # Darker shades for text and strokes on the tints (contrast >= 4.5:1).
    blue_dark: str = "#005A8C"
    green_dark: str = "#00684D"
    vermillion_dark: str = "#A34400"
    purple_dark: str = "#8E4670"
    orange_dark: str = "#8A5F00"


PALETTE = Palette()


@dataclass(frozen=True)
class TypeScale:
    """Font sizes in points (1 pt = 1 px in Graphviz's SVG at 100 %)."""

    title: float = 24
    heading: float = 16
    subheading: float = 14
    body: float = 13
    caption: float = 12


TYPE = TypeScale()


def emotion_colour(score: float, low: float, high: float) -> str:
    """Vermillion for the low third of the scale, orange for the middle, green for the top."""
    if high <= low:
        return PALETTE.orange
    position = (score - low) / (high - low)
    if position < 1 / 3:
        return PALETTE.vermillion
    if position > 2 / 3:
        return PALETTE.green
    return PALETTE.orange
