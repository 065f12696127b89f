"""python -m bench <scenario> [options]: every benchmark, one runner (bench/README.md).

Each scenario is a module of bench/scenarios/ with `add_arguments(parser)` and
`run(args)`; `python -m bench <scenario> --help` says what it measures and how.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Scenario name -> module of bench/scenarios ("import" is a keyword: importing.py).
SCENARIOS = {
    "corpus": "corpus",
    "import": "importing",
    "million": "million",
    "mix": "mix",
    "engine": "engine",
    "datasette": "datasette",
    "load": "load",
    "soak": "soak",
    "freshness": "freshness",
    "alerts": "alerts",
    "export": "export",
    "fuzz": "fuzz",
    "remedies": "remedies",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    scenarios = parser.add_subparsers(dest="scenario", required=True, metavar="scenario")
    # Only the scenario asked for is imported (the others may need what this virtualenv
    # lacks: Datasette's has no Django); all of them for --help or a mistyped name.
    named = argv[:1] if argv and argv[0] in SCENARIOS else list(SCENARIOS)
    for name in named:
        module = importlib.import_module(f"bench.scenarios.{SCENARIOS[name]}")
        doc = module.__doc__ or ""
        sub = scenarios.add_parser(
            name,
            help=doc.split("\n\n")[0],
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    args.argv = argv
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
