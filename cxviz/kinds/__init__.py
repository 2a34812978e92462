"""One package per diagram kind; :mod:`cxviz.registry` lists them."""
