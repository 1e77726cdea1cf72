"""Comparing outlets' coverage: what they share, and where they differ.

- `engine/`: the pure engine (no Django): article bodies in, links, groups, differences,
  framing and attributions out, with an incremental corpus index.
- `store.py`: writes the engine's results for each article's current revision
  (`comparison_refresh`).
- `page.py`: arranges stored results into the compare page (columns, passage groups, facts,
  framing and quotations).
"""
