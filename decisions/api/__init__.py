"""The read-only JSON API, /api/v1/ (README, "JSON API").

Its views build the same `DecisionSearch` as the list page (decisions/search/query.py),
so a search means the same thing in both: the same parameters, validated by the same
FilterSet, the same exact totals, ranking and facets. What the API adds is its own:
strict list options (a bad sort or cursor is a 400, where the page falls back with a
note), cursor paging for date order, validators for conditional requests, CORS, the
re-use terms on every response, throttling and the OpenAPI schema.

It is an app of its own (label "api") only for its migrations, which created the
throttle's old cache table and then dropped it (the throttle counts in decisions.limits).
"""
