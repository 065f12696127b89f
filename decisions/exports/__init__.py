"""Data out: downloads of any search (CSV and JSON lines), the search's Atom feed, and
the bulk dump of the archive (`manage.py export_decisions`).

Every search door reads through the one `DecisionSearch` (decisions.search.query), so a
filter means on a download and in a feed what it means on the list page. Each carries
the Ombudsman's re-use terms (`licence`).
"""
