"""Turning graphs into pictures: Graphviz for SVG (and, later, canvases for PDF)."""
