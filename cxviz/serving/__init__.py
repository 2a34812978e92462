"""A live preview of specs in the browser: ``cxviz serve PATH``, or :func:`cxviz.preview`.

:mod:`cxviz.serving.gallery` watches the files and keeps each spec's last
good picture and its diagnostics; :mod:`cxviz.serving.server` serves the
page (``static/``), its JSON and a stream of change events on 127.0.0.1.
"""

from .server import DEFAULT_PORT, Preview

__all__ = ["Preview", "DEFAULT_PORT"]
