"""One module a scenario of `python -m bench` (bench/__main__.py lists them), each with
`add_arguments(parser)` and `run(args)`; and two helpers of theirs, distinct_urls.py
(the load scenario's --mix) and machine_limit.py (the import's --machine-limit)."""
