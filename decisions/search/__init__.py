"""The read side: one search object (query.DecisionSearch) behind every way decisions
are read, and what it is made of: bounded counting (counting), facets (facets), the
active filters and the help for an empty result (active), highlighted matches
(highlight), figures of the whole archive cached per generation (whole_archive) and
similar decisions (similar).

Import what you need from its module: this package imports nothing itself, so loading
one part (the models need none of it) does not load the rest.
"""
