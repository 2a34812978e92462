"""Building Graphviz graphs: DOT text for layered diagrams and fixed-position boards."""

from .dot import DotGraph, Html, TextStyle, attrs, html_text, quote, styled_text, wrap

__all__ = ["DotGraph", "Html", "TextStyle", "attrs", "html_text", "quote", "styled_text", "wrap"]
