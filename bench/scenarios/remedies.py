"""Precision and recall of the remedy rules on the labelled set (tests/fixtures/README.md,
"remedy_labelled.jsonl"), per split, per role money plays, and the misses.

    python -m bench remedies                    # every split, then all
    python -m bench remedies --split heldout3

A payment is right when its amount is one of the item's remedy amounts (a multiset: two
£100 payments are two). A flag is right when it is set exactly where the label says.
tests/test_remedy_labelled.py asserts the thresholds on the same figures.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from bench import ROOT
from decisions.parsing import Remedies, parse_decision
from decisions.parsing.remedies import extract_remedies

LABELLED = ROOT / "tests" / "fixtures" / "remedy_labelled.jsonl"
FLAGS = ("apology", "service_improvement")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def page_of(source: str) -> tuple[str, str | None]:
    """The page a "file:line" (JSON lines) or "file" (text) source names, and its URL."""
    name, _, line = source.partition(":")
    path = Path(name) if Path(name).is_absolute() else ROOT / name
    if not line:
        return path.read_text(encoding="utf-8"), None
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[int(line) - 1])
    return record["text"], record.get("url")


def remedies_of(item: dict) -> Remedies:
    """What the parser finds in a labelled item: a whole page, or a section's paragraphs."""
    if item["kind"] == "page":
        text, url = page_of(item["source"])
        return parse_decision(text, url=url).remedies
    paragraphs = item["paragraphs"]
    if item["section"] == "Summary":
        return extract_remedies(" ".join(paragraphs), [], outcome=item["outcome"])
    return extract_remedies("", [(item["section"], paragraphs)], outcome=item["outcome"])


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positive + self.false_negative
        return self.true_positive / labelled if labelled else 1.0


@dataclass
class Scores:
    payments: Tally = field(default_factory=Tally)
    flags: dict[str, Tally] = field(default_factory=lambda: {flag: Tally() for flag in FLAGS})
    # Remedy roles: how many were found of how many; other roles: how many were taken.
    remedy_roles: dict[str, list[int]] = field(default_factory=dict)
    other_roles: dict[str, list[int]] = field(default_factory=dict)
    purposes_right: int = 0
    purposes_compared: int = 0
    misses: list[str] = field(default_factory=list)


def score(items: list[dict]) -> Scores:
    scores = Scores()
    for item in items:
        remedies = remedies_of(item)
        found = Counter(f"{payment.amount:.2f}" for payment in remedies.payments)
        labelled = Counter(amount for amount, _, _ in item["remedies"])
        right, extra, missing = found & labelled, found - labelled, labelled - found
        scores.payments.true_positive += sum(right.values())
        scores.payments.false_positive += sum(extra.values())
        scores.payments.false_negative += sum(missing.values())
        _roles(scores, item, found, extra)
        _purposes(scores, item, remedies)
        for amount in extra.elements():
            role = next((r for a, r in item["not_remedies"] if a == amount), "unlabelled")
            scores.misses.append(f"{item['id']}: £{amount} taken as a payment ({role})")
        for amount in missing.elements():
            scores.misses.append(f"{item['id']}: £{amount} missed")
        for flag in FLAGS:
            got, want = getattr(remedies, flag), bool(item[flag])
            tally = scores.flags[flag]
            tally.true_positive += got and want
            tally.false_positive += got and not want
            tally.false_negative += want and not got
            if got != want:
                scores.misses.append(f"{item['id']}: {flag} {'set' if got else 'not set'}")
    return scores


def _roles(scores: Scores, item: dict, found: Counter, extra: Counter) -> None:
    left = Counter(found)
    for amount, _, role in item["remedies"]:
        counts = scores.remedy_roles.setdefault(role, [0, 0])
        counts[1] += 1
        if left[amount] > 0:
            left[amount] -= 1
            counts[0] += 1
    taken = Counter(extra)
    for amount, role in item["not_remedies"]:
        counts = scores.other_roles.setdefault(role, [0, 0])
        counts[1] += 1
        if taken[amount] > 0:
            taken[amount] -= 1
            counts[0] += 1


def _purposes(scores: Scores, item: dict, remedies: Remedies) -> None:
    wanted: dict[Decimal, list[str]] = {}
    for amount, purpose, _ in item["remedies"]:
        wanted.setdefault(Decimal(amount), []).append(purpose)
    for payment in remedies.payments:
        purposes = wanted.get(payment.amount)
        if not purposes:
            continue
        scores.purposes_compared += 1
        if payment.purpose in purposes:
            purposes.remove(payment.purpose)
            scores.purposes_right += 1
        else:
            scores.misses.append(
                f"{item['id']}: £{payment.amount:.2f} purpose {payment.purpose!r}, labelled "
                f"{purposes.pop(0)!r}"
            )


def report(name: str, scores: Scores) -> str:
    payments = scores.payments
    lines = [
        f"{name}: payments precision {payments.precision:.3f} recall {payments.recall:.3f} "
        f"({payments.true_positive} right, {payments.false_positive} wrong, "
        f"{payments.false_negative} missed)",
    ]
    for flag, tally in scores.flags.items():
        lines.append(
            f"  {flag}: precision {tally.precision:.3f} recall {tally.recall:.3f} "
            f"({tally.true_positive} right, {tally.false_positive} wrong, "
            f"{tally.false_negative} missed)"
        )
    if scores.purposes_compared:
        lines.append(
            f"  purposes: {scores.purposes_right} of {scores.purposes_compared} payments found "
            "have the labelled purpose"
        )
    for role, (got, total) in sorted(scores.remedy_roles.items()):
        lines.append(f"  remedy {role}: recall {got}/{total}")
    for role, (taken, total) in sorted(scores.other_roles.items()):
        lines.append(f"  not a remedy, {role}: {taken}/{total} wrongly taken as payments")
    lines.extend(f"  miss {miss}" for miss in scores.misses)
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", default="all", help="A split of the labelled set, or all.")


def run(args: argparse.Namespace) -> int:
    items = load_labelled()
    names = list(dict.fromkeys(item["split"] for item in items))
    if args.split not in (*names, "all"):
        raise SystemExit(f"--split: one of {', '.join(names)} or all")
    splits = names if args.split == "all" else [args.split]
    for split in splits:
        print(report(split, score([item for item in items if item["split"] == split])))
    if args.split == "all":
        print(report("all", score(items)).split("\n  miss")[0])
    return 0
