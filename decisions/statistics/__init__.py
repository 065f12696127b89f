"""Statistics of any search, computed from the decisions themselves (issue 16).

- `tables`: the summary tables (cells of counts, one row per payment);
- `summary`: rebuilds them from the published decisions, at the end of every import
  and after the admin's edits;
- `selection`: which rows a search's statistics read: the cells (and the edge days of
  a date range) for filters alone, exact; the matches, or their sample, for a search;
- `figures`: the figures themselves, counted in one pass of each table;
- `league`: the league table of organisations, sortable;
- `comparison`: an organisation beside the median organisation, and of its kind;
- `charts`: the geometry of the server-rendered SVG charts;
- `downloads`: each table as CSV;
- `labels`: how a payment's purpose and other values read.

The figures are of the statements published in this archive, never of every complaint
the Ombudsman decided: the Ombudsman's own statistics count those, published or not.
"""
