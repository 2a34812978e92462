"""Diagrams in documentation sites: cxviz specs drawn inline while the docs build.

* :mod:`cxviz.integrations.mkdocs`: an MkDocs plugin (``plugins: [cxviz]``)
  for fenced ``cxviz`` blocks and ``![cxviz](spec.yaml)`` lines;
* :mod:`cxviz.integrations.sphinx`: a Sphinx extension with the ``cxviz``
  directive, for a spec file or a spec written in the directive.

Both draw every diagram of a build in as few Graphviz runs as they can,
give each diagram's ids a prefix of its own (so that several diagrams share
a page safely), and report a spec's errors at the line of the page or spec
file they are on.
"""
