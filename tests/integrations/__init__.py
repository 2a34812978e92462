"""Docs integrations, tested by building tiny real sites."""

#: A small spec both integrations draw.
WHYS = """\
kind: whys
title: Late deliveries
problem: Orders arrive a day late
whys:
  - because: Couriers collect after the cut-off
    whys:
      - because: The cut-off moved to 3 pm
        root: true
"""
