"""Specs written in other diagram languages, for places that render only those.

Each language draws less than cxviz does, so an export is lossy; each module
says what it keeps and what it leaves out.
"""
