"""Check a load test run against the database and write its report.

    python benchmarks/loadtest_verify.py OUT_DIR REPORT.md [--meta KEY=VALUE ...]

Run with the same environment as the server (``DATABASE_URL`` and the settings), after
locust has finished. Reads from OUT_DIR what ``benchmarks/locustfile.py`` wrote (the ledger of
saves, the status tallies, locust's ``--csv`` statistics of the mixed run and of the two
throughput phases) and checks every save against the database:

- an accepted save must be there (a row with its marker, the value it set, the history event
  it records); when the same locust user later saved the same field again, only the last
  value can be seen: the earlier ones count as *superseded*, not lost;
- a save refused as stale (the optimistic lock) or refused by validation must have left
  nothing behind: otherwise it is a *phantom* write.

Prints the report, writes it to REPORT.md and exits 1 when a request got a 5xx or no answer,
when an accepted save is missing (lost) or a refused one was written (phantom), or when no
save was accepted at all (the test did not test anything).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ibportal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from competencies.models import Goal, GoalAction  # noqa: E402
from schools.models import SchoolFigures  # noqa: E402
from tasks.models import CatalogueTask, PackageEvent, PackageItem  # noqa: E402

Kind = PackageEvent.Kind
LOGINS = "(logins, all roles)"  # the locustfile's bucket for the login form and the log-in


@dataclass
class Tally:
    sent: int = 0
    outcomes: Counter = field(default_factory=Counter)
    found: int = 0
    superseded: int = 0
    lost: list[str] = field(default_factory=list)
    phantom: list[str] = field(default_factory=list)


def read_ledger(path: Path) -> list[dict]:
    """One record per save: what was sent, with its outcome ('no answer' when interrupted)."""
    records: dict[int, dict] = {}
    if not path.exists():
        return []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["event"] == "sent":
            # Until its answer is read; locust stopping the user in between leaves it so.
            records[entry["seq"]] = {**entry, "outcome": "interrupted"}
        else:
            records[entry["seq"]].update(outcome=entry["outcome"], status=entry["status"])
    return [records[seq] for seq in sorted(records)]


# ---------------------------------------------------------------------------
# the checks: each takes the records of one kind and fills a Tally
# ---------------------------------------------------------------------------


def last_accepted(records: list[dict], key) -> dict[object, dict]:
    """Per row, the last accepted save (one locust user saves its rows one after another)."""
    last: dict[object, dict] = {}
    for record in records:
        if record["outcome"] == "accepted":
            last[key(record)] = record
    return last


def check_rows(tally: Tally, records: list[dict], present) -> None:
    """Saves that create a row: accepted ones must exist, refused ones must not."""
    for record in records:
        exists = present(record)
        if record["outcome"] == "accepted":
            if exists:
                tally.found += 1
            else:
                tally.lost.append(f"#{record['seq']} {record['kind']} by {record['user']}")
        elif record["outcome"] in ("stale", "refused") and exists:
            tally.phantom.append(f"#{record['seq']} {record['kind']} ({record['outcome']})")


# Outcomes the client never learnt or could not trust: such a save may or may not be written.
UNKNOWN = ("interrupted", "error")


def check_last_value(tally: Tally, records: list[dict], key, holds) -> None:
    """Saves that overwrite a field: the last accepted value must be there, no refused one.

    (Or the value of a later save whose outcome is unknown: it may have been written.)
    """
    last = last_accepted(records, key)
    for record in records:
        if record["outcome"] == "accepted":
            later_unknown = [
                r
                for r in records
                if key(r) == key(record) and r["seq"] > record["seq"] and r["outcome"] in UNKNOWN
            ]
            if last[key(record)] is not record:
                tally.superseded += 1
            elif holds(record):
                tally.found += 1
            elif any(holds(r) for r in later_unknown):
                tally.superseded += 1
            else:
                tally.lost.append(f"#{record['seq']} {record['kind']} by {record['user']}")
        elif record["outcome"] in ("stale", "refused") and holds(record):
            tally.phantom.append(f"#{record['seq']} {record['kind']} ({record['outcome']})")


def item_events(record: dict, kind: str) -> int:
    return PackageEvent.objects.filter(
        package_id=record["package"], kind=kind, detail__startswith=f"{record['title']}:"
    ).count()


def check_item_add(tally: Tally, records: list[dict], removed: set[str]) -> None:
    """The item is in the package (or was removed later by an accepted save), with its event."""

    def present(record: dict) -> bool:
        in_package = PackageItem.objects.filter(
            version__package_id=record["package"], title=record["title"]
        ).exists()
        return item_events(record, Kind.ITEM_ADDED) == 1 and (
            in_package or record["title"] in removed
        )

    check_rows(tally, records, present)


def check_item_edit(tally: Tally, records: list[dict], removed: set[str]) -> None:
    """One 'task changed' event per accepted change; the item holds the last one's values."""
    accepted = Counter(r["title"] for r in records if r["outcome"] == "accepted")
    unknown = Counter(r["title"] for r in records if r["outcome"] in UNKNOWN)
    for title in {r["title"] for r in records}:
        record = next(r for r in records if r["title"] == title)
        events = item_events(record, Kind.ITEM_CHANGED)
        if events < accepted[title]:
            tally.lost.append(f"{accepted[title] - events} change event(s) of {title}")
        elif events > accepted[title] + unknown[title]:
            extra = events - accepted[title] - unknown[title]
            tally.phantom.append(f"{extra} change event(s) of {title}")

    def holds(record: dict) -> bool:
        if record["title"] in removed:
            # Removed afterwards: nothing to read back (the change events are counted above).
            return record["outcome"] not in ("stale", "refused")
        item = PackageItem.objects.filter(pk=record["item"]).first()
        return item is not None and item.note == record["note"]

    check_last_value(tally, records, key=lambda r: r["item"], holds=holds)


def check_item_remove(tally: Tally, records: list[dict]) -> None:
    """An accepted removal: the item is gone, with its one event. A refused one (a stale
    removal is sent again with the current lock version) must not be what removed it."""
    removals = {r["item"] for r in records if r["outcome"] in ("accepted", *UNKNOWN)}

    def present(record: dict) -> bool:
        gone = not PackageItem.objects.filter(pk=record["item"]).exists()
        if record["outcome"] == "accepted":
            return gone and item_events(record, Kind.ITEM_REMOVED) == 1
        return gone and record["item"] not in removals

    check_rows(tally, records, present)


def verify(records: list[dict]) -> dict[str, Tally]:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_kind[record["kind"]].append(record)
    tallies: dict[str, Tally] = {}
    for kind, group in by_kind.items():
        tally = tallies[kind] = Tally(sent=len(group))
        tally.outcomes.update(record["outcome"] for record in group)
    # Removed by an accepted save, or perhaps by one whose outcome is unknown.
    removed = {r["title"] for r in by_kind["item_remove"] if r["outcome"] in ("accepted", *UNKNOWN)}
    checks = {
        "item_add": lambda t, g: check_item_add(t, g, removed),
        "item_edit": lambda t, g: check_item_edit(t, g, removed),
        "item_remove": check_item_remove,
        "goal_create": lambda t, g: check_rows(
            t, g, lambda r: Goal.objects.filter(title=r["title"]).exists()
        ),
        "action_create": lambda t, g: check_rows(
            t,
            g,
            lambda r: GoalAction.objects.filter(
                goal_id=r["goal"], description=r["description"]
            ).exists(),
        ),
        "goal_edit": lambda t, g: check_last_value(
            t,
            g,
            key=lambda r: r["goal"],
            holds=lambda r: Goal.objects.filter(pk=r["goal"], evidence=r["evidence"]).exists(),
        ),
        "task_create": lambda t, g: check_rows(
            t,
            g,
            lambda r: CatalogueTask.objects.filter(board_id=r["board"], title=r["title"]).exists(),
        ),
        "task_edit": lambda t, g: check_last_value(
            t,
            g,
            key=lambda r: r["task"],
            holds=lambda r: CatalogueTask.objects.filter(
                pk=r["task"], description=r["description"]
            ).exists(),
        ),
        "task_deactivate": lambda t, g: check_rows(
            t, g, lambda r: CatalogueTask.objects.filter(pk=r["task"], is_active=False).exists()
        ),
        "figures_save": lambda t, g: check_last_value(
            t,
            g,
            key=lambda r: (r["school"], r["year"]),
            holds=lambda r: SchoolFigures.objects.filter(
                school_id=r["school"],
                school_year__start_year=r["year"],
                pupils=r["pupils"],
                groups=r["groups"],
            ).exists(),
        ),
    }
    for kind, group in by_kind.items():
        checks[kind](tallies[kind], group)
    return tallies


# ---------------------------------------------------------------------------
# locust's statistics
# ---------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_status(path: Path) -> dict:
    if not path.exists():
        return {"status": {}, "role_times": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def aggregated(rows: list[dict]) -> dict:
    return next((row for row in rows if row["Name"] == "Aggregated"), {})


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
        f"{' (' + model + ')' if model else ''}{memory}"
    )


def report(out: Path, meta: dict[str, str]) -> tuple[str, bool]:
    records = read_ledger(out / "ledger.jsonl")
    tallies = verify(records)
    mixed = read_stats(out / "mixed_stats.csv")
    status = read_status(out / "mixed-status.json")
    phases = {name: read_status(out / f"{name}-status.json") for name in ("trivial", "package")}
    codes = Counter(status["status"])
    for phase in phases.values():
        codes.update(phase["status"])
    server_errors = sum(n for key, n in codes.items() if key == "5xx")
    no_answer = codes.get("no response", 0)
    lost = sum(len(t.lost) for t in tallies.values())
    phantom = sum(len(t.phantom) for t in tallies.values())
    errors = sum(t.outcomes["error"] for t in tallies.values())
    accepted = sum(t.outcomes["accepted"] for t in tallies.values())
    ok = not (server_errors or no_answer or lost or phantom or errors) and accepted > 0

    total = aggregated(mixed)
    role_times = {
        role: [duration for _end, duration in entries]
        for role, entries in status["role_times"].items()
    }
    logins = status["role_times"].get(LOGINS, [])
    last_login = max((end for end, _duration in logins), default=0)
    pages, steady = [], []
    for role, entries in status["role_times"].items():
        if role != LOGINS:
            pages += [duration for _end, duration in entries]
            steady += [duration for end, duration in entries if end > last_login]
    lines = [
        "# Load test: latest results",
        "",
        'Written by `scripts/loadtest.sh` (see README.md, "Load test"). Absolute times depend',
        "on the machine and on what else runs on it; compare runs by the ratios.",
        "",
        f"- Result: **{'PASS' if ok else 'FAIL'}**",
        f"- Date: {meta.get('date', '')}",
        f"- Machine: {machine()}",
        f"- Software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {connection.pg_version // 10000 if connection.vendor == 'postgresql' else '-'}"
        f" ({connection.vendor}), {meta.get('gunicorn', 'gunicorn')}",
    ]
    for key in ("server", "settings", "load", "throughput phase"):
        if key in meta:
            lines.append(f"- {key.capitalize()}: {meta[key]}")
    lines += [
        "",
        "## Requests",
        "",
        f"{int(total.get('Request Count', 0) or 0)} requests in the mixed run "
        f"({float(total.get('Requests/s', 0) or 0):.1f}/s), p95 "
        f"**{total.get('95%', '-')} ms**, median {total.get('50%', '-')} ms "
        f"(locust's percentiles, logins included); without the logins p95 "
        f"**{percentile(pages, 0.95):.0f} ms**, median {percentile(pages, 0.5):.0f} ms; "
        f"after the last login ({len(steady)} requests, every user logged in) p95 "
        f"**{percentile(steady, 0.95):.0f} ms**, median {percentile(steady, 0.5):.0f} ms. "
        "Status codes over all phases: "
        + ", ".join(f"{key}: {codes[key]}" for key in sorted(codes) if not key.startswith("5xx "))
        + f". **5xx: {server_errors}**, no response: {no_answer}.",
        "",
        "Per role (every response time of the mixed run; the logins apart, as they come in a",
        "burst at the start and each costs a PBKDF2 hash):",
        "",
        "| role | requests | median ms | p95 ms | p95 ms after the last login |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for role, times in sorted(role_times.items()):
        later = [d for end, d in status["role_times"][role] if end > last_login]
        lines.append(
            f"| {role} | {len(times)} | {percentile(times, 0.5):.0f} | "
            f"{percentile(times, 0.95):.0f} | "
            f"{f'{percentile(later, 0.95):.0f}' if later and role != LOGINS else '-'} |"
        )
    lines += [
        "",
        "Per endpoint (locust):",
        "",
        "| endpoint | requests | failures | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in mixed:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {row['Type']} {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} |"
        )
    lines += [
        "",
        "## Write ledger",
        "",
        "Every save carried a unique marker; after the run the database was read back.",
        'Stale: refused by the optimistic lock (`lock_version`) with the "someone else changed',
        'this package" message; nothing may be written. Superseded: an accepted value that the',
        "same user overwrote later (only the last one can be read back, and it was). Error:",
        "a 5xx or another unexpected answer. Interrupted: locust stopped the user at the end of",
        "the run before the answer came; the client never learnt the outcome, so it is neither",
        "lost nor phantom.",
        "",
        "| save | sent | accepted | stale | refused | error | interrupted | found | superseded "
        "| lost | phantom |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = Counter()
    for kind in sorted(tallies):
        t = tallies[kind]
        row = {
            "sent": t.sent,
            "accepted": t.outcomes["accepted"],
            "stale": t.outcomes["stale"],
            "refused": t.outcomes["refused"],
            "error": t.outcomes["error"],
            "interrupted": t.outcomes["interrupted"],
            "found": t.found,
            "superseded": t.superseded,
            "lost": len(t.lost),
            "phantom": len(t.phantom),
        }
        totals.update(row)
        lines.append(f"| {kind} | " + " | ".join(str(value) for value in row.values()) + " |")
    lines.append(
        "| **all** | "
        + " | ".join(
            f"**{totals[key]}**"
            for key in (
                "sent",
                "accepted",
                "stale",
                "refused",
                "error",
                "interrupted",
                "found",
                "superseded",
                "lost",
                "phantom",
            )
        )
        + " |"
    )
    for _kind, tally in sorted(tallies.items()):
        for problem in tally.lost:
            lines.append(f"- LOST: {problem}")
        for problem in tally.phantom:
            lines.append(f"- PHANTOM: {problem}")
    lines += throughput_section(out, meta)
    return "\n".join(lines) + "\n", ok


def throughput_section(out: Path, meta: dict[str, str]) -> list[str]:
    rows = {}
    for name in ("trivial", "package"):
        row = next(
            (r for r in read_stats(out / f"{name}_stats.csv") if r["Name"] != "Aggregated"), None
        )
        if row:
            rows[name] = row
    if len(rows) < 2:
        return ["", "## Throughput", "", "Not measured (throughput phase skipped or failed)."]
    trivial = float(rows["trivial"]["Requests/s"])
    package = float(rows["package"]["Requests/s"])
    lines = [
        "",
        "## Throughput: package page against a trivial authenticated page",
        "",
        f"Same server and settings, one logged-in session ({meta.get('throughput phase', '')}).",
        "The trivial page is `/account/password_change/` (a small form in the base layout: the",
        "portal has no lighter authenticated view); the package page is the director's draft",
        "package with its catalogue to add from, the heaviest form of that page.",
        "",
        "| page | requests | failures | requests/s | median ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in (("trivial", "trivial page"), ("package", "package page")):
        row = rows[name]
        lines.append(
            f"| {label} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
        )
    fraction = package / trivial if trivial else 0.0
    lines += [
        "",
        f"**The package page reaches {fraction:.2f} of the trivial page's throughput** "
        f"({package:.1f} against {trivial:.1f} requests/s).",
    ]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, target = Path(argv[1]), Path(argv[2])
    meta = {}
    for arg in argv[3:]:
        key, _, value = arg.removeprefix("--meta=").partition("=")
        meta[key] = value
    text, ok = report(out, meta)
    target.write_text(text, encoding="utf-8")
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
