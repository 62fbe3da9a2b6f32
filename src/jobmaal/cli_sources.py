"""The `jobmaal import …` and `jobmaal combine` commands (registered by cli.py).

`import jobindsats` and `import file` write an OUT folder like `compute` does (and load it with
`--load`); `import statbank` adds framework conditions to an OUT folder; `combine` makes a mixed
release in the app from indicators of loaded releases. The Jobindsats key is read from
JOBINDSATS_API_KEY and never printed.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobmaal import formats
from jobmaal.catalogue import load_catalogue
from jobmaal.cli_django import setup_django
from jobmaal.sources.common import SourceError
from jobmaal.sources.files import ParsedFile, parse_file
from jobmaal.sources.jobindsats import BASE_URL as JOBINDSATS_URL
from jobmaal.sources.jobindsats import DEFAULT_VERSION, JobindsatsClient, key_from_env
from jobmaal.sources.jobindsats_import import JobindsatsSource
from jobmaal.sources.release import add_framework, check_unique, complete_facts, facts_table, write_release
from jobmaal.sources.statbank import BASE_URL as STATBANK_URL
from jobmaal.sources.statbank import FRAMEWORK_VARIABLES, StatbankClient, StatbankSource

console = Console()
errors = Console(stderr=True)
IMPORT_DIR = Path("var/imports")
PREVIEW_ROWS = 40


def add_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="import published figures as a release "
                         "(Jobindsats, a file, Statistics Denmark)")
    isub = imp.add_subparsers(required=True, metavar="SOURCE")

    j = isub.add_parser("jobindsats", help="fetch the catalogue's tables from api.jobindsats.dk "
                        "(key in JOBINDSATS_API_KEY)")
    j.add_argument("--year", type=int, help="the release year (needed unless --list-tables/--find)")
    j.add_argument("--out", type=Path, help="OUT folder (default var/imports/jobindsats-YEAR)")
    j.add_argument("--load", action="store_true", help="load the release into the app and activate it")
    j.add_argument("--name", help="name shown in the app")
    j.add_argument("--indicator", action="append", help="only this indicator (repeatable)")
    j.add_argument("--api-version", type=int, choices=(2, 3), default=DEFAULT_VERSION,
                   help="Jobindsats API version (default 3; STAR retires 2 after 30 September 2026)")
    j.add_argument("--statbank", action="store_true",
                   help="also fetch framework conditions from Statistics Denmark")
    j.add_argument("--list-tables", action="store_true",
                   help="only list the API's tables (table_id and name)")
    j.add_argument("--find", nargs="+", metavar="WORD",
                   help="only list the tables whose id, name, subject or group hold every word")
    j.set_defaults(run=cmd_import_jobindsats)

    f = isub.add_parser("file", help="import figures from an Excel or CSV file")
    f.add_argument("path", type=Path)
    f.add_argument("--year", type=int, required=True)
    f.add_argument("--indicator", help="the indicator, when the file has no 'indikator' column")
    f.add_argument("--preview", action="store_true",
                   help="show the parsed rows and every error; store nothing")
    f.add_argument("--out", type=Path, help="OUT folder (default var/imports/file-YEAR)")
    f.add_argument("--load", action="store_true")
    f.add_argument("--name")
    f.set_defaults(run=cmd_import_file)

    s = isub.add_parser("statbank", help="population (FOLK1A) and people on public benefits "
                        "(AUK01) per municipality from api.statbank.dk, as framework conditions")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--out", type=Path, required=True,
                   help="an OUT folder to add framework.parquet to (or a new folder)")
    s.set_defaults(run=cmd_import_statbank)

    c = sub.add_parser("combine", help="make a mixed release: each indicator from a chosen release")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--pick", action="append", required=True, metavar="INDICATOR=RELEASE",
                   help="e.g. MM17=3 (repeat for each indicator)")
    c.add_argument("--framework-from", type=int, help="release whose framework conditions to use")
    c.add_argument("--name")
    c.add_argument("--publish", action="store_true",
                   help="publish it at once (same checks as `jobmaal publish`); a draft otherwise")
    c.set_defaults(run=cmd_combine)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True)


def _load(out: Path, name: str | None) -> None:
    setup_django()
    from jobmaal.web.publishing import cli_actor
    from jobmaal.web.releases import load_release

    release = load_release(out, name=name, actor=cli_actor())
    revised = release.revisions.count()
    note = (f"; {revised} revisioner mod udgivelse {release.previous_id}"
            if release.previous_id else "")
    console.print(f"Udgivelse {release.pk} «{release.name}» indlæst som kladde "
                  f"({release.row_count} tal{note}); udgiv den med «jobmaal publish {release.pk}».",
                  highlight=False)


def cmd_import_jobindsats(args: argparse.Namespace) -> int:
    key = key_from_env()
    base = os.environ.get("JOBINDSATS_BASE_URL", JOBINDSATS_URL)
    started = time.perf_counter()
    with JobindsatsClient(key, version=args.api_version, base_url=base) as client:
        if args.list_tables or args.find:
            return _print_tables(client, args.find)
        if args.year is None:
            raise SourceError("Angiv --year (eller brug --list-tables / --find).")
        source = JobindsatsSource(client, args.year, indicators=args.indicator)
        fetched = datetime.now(UTC)
        with _progress() as progress:
            task = progress.add_task("Henter fra Jobindsats", total=None)

            def report(text: str, done: int, total: int) -> None:
                progress.update(task, description=f"Jobindsats: {text}", completed=done, total=total)

            rows = source.fetch(report)
    framework = None
    if args.statbank:
        framework = _statbank_framework(args.year)
    check_unique(rows)
    catalogue = load_catalogue(args.year)
    facts = facts_table(complete_facts(rows, catalogue))
    out = args.out or IMPORT_DIR / f"jobindsats-{args.year}"
    r = source.report
    manifest = write_release(
        out, facts, kind="jobindsats", year=args.year, fetched=fetched, framework=framework,
        framework_variables=FRAMEWORK_VARIABLES if framework is not None else None,
        source={"url": base, "api_version": args.api_version, "tables": r.tables,
                "requests": r.requests, "skipped_areas": r.skipped_areas,
                "not_published": r.skipped_indicators})
    console.print(f"{manifest['row_counts']['total']} tal fra Jobindsats ({r.requests} kald) skrevet "
                  f"til {out} ({time.perf_counter() - started:.1f} s)".replace(".", ",", 1),
                  highlight=False)
    if r.skipped_areas:
        console.print("Områder uden kode i Jobmål blev sprunget over: "
                      + ", ".join(f"{k} ({v})" for k, v in sorted(r.skipped_areas.items())), highlight=False)
    if r.skipped_indicators:
        console.print("Ikke på Jobindsats (beregnes fra registre eller følges lokalt): "
                      + ", ".join(r.skipped_indicators), highlight=False)
    if args.load:
        _load(out, args.name)
    return 0


def _print_tables(client: JobindsatsClient, words: list[str] | None) -> int:
    tables = client.find_tables(words) if words else client.tables()
    for t in tables:
        where = " / ".join(x for x in (t.subject, t.group) if x)
        print(f"{t.id}\t{t.name}" + (f"\t({where})" if where else ""))  # tab-separated, unwrapped
    if words:
        console.print(f"{len(tables)} tabeller med «{' '.join(words)}».", highlight=False)
    return 0


def _statbank_framework(year: int):
    base = os.environ.get("STATBANK_BASE_URL", STATBANK_URL)
    with StatbankClient(base_url=base) as client, _progress() as progress:
        task = progress.add_task("Henter fra Danmarks Statistik", total=None)

        def report(text: str, done: int, total: int) -> None:
            progress.update(task, description=f"StatBank: {text}", completed=done, total=total)

        return StatbankSource(client, year).framework(report)


def cmd_import_statbank(args: argparse.Namespace) -> int:
    framework = _statbank_framework(args.year)
    source = {"type": "statbank", "url": os.environ.get("STATBANK_BASE_URL", STATBANK_URL),
              "tables": ["FOLK1A", "AUK01"], "fetched": datetime.now(UTC).isoformat(timespec="seconds")}
    if (args.out / "manifest.json").is_file():
        add_framework(args.out, framework, FRAMEWORK_VARIABLES, source)
        console.print(f"Rammevilkår fra Danmarks Statistik ({framework.num_rows} værdier) lagt i "
                      f"{args.out}; indlæs mappen igen for at bruge dem.", highlight=False)
    else:
        import pyarrow.parquet as pq

        from jobmaal.atomic import replace_folder
        from jobmaal.indicators.output import FRAMEWORK_FILE
        from jobmaal.sources.release import FRAMEWORK_SCHEMA

        with replace_folder(args.out) as staging:
            pq.write_table(framework.cast(FRAMEWORK_SCHEMA), staging / FRAMEWORK_FILE)
        console.print(f"Rammevilkår ({framework.num_rows} værdier) skrevet til "
                      f"{args.out / FRAMEWORK_FILE}.", highlight=False)
    return 0


def print_preview(parsed: ParsedFile) -> None:
    how = f"{parsed.encoding}" + (f", skilletegn «{parsed.delimiter}»" if parsed.delimiter else "")
    console.print(f"{parsed.name}: {how}; overskrift i række {parsed.header_row}; kolonner: "
                  + ", ".join(f"{role}=«{name}»" for role, name in parsed.columns.items()), highlight=False)
    table = Table(title=f"{len(parsed.rows)} gyldige rækker" + (
        f" (de første {PREVIEW_ROWS})" if len(parsed.rows) > PREVIEW_ROWS else ""), title_justify="left")
    for column in ("Række", "Indikator", "Periode", "Niveau", "Område", "Opdeling", "Tæller",
                   "Nævner", "Værdi", "Diskr."):
        table.add_column(column)
    for line, row in list(zip(parsed.line_of, parsed.rows, strict=True))[:PREVIEW_ROWS]:
        table.add_row(str(line), row["indicator"], row["period"], row["area_level"], row["area_code"],
                      f"{row['breakdown']}={row['breakdown_value']}", _num(row["numerator"]),
                      _num(row["denominator"]), _num(row["value"]), "ja" if row["suppressed"] else "")
    console.print(table)
    if parsed.errors:
        errors.print(f"[bold red]{len(parsed.errors)} fejl[/] — filen kan ikke indlæses, før de er rettet:")
        for e in parsed.errors:
            errors.print(f"  {e}", highlight=False, soft_wrap=True)
    else:
        console.print("Ingen fejl.")


def _num(value) -> str:
    return "" if value is None else formats.plain(value)


def cmd_import_file(args: argparse.Namespace) -> int:
    parsed = parse_file(args.path, args.year, indicator=args.indicator)
    if args.preview:
        print_preview(parsed)
        return 0 if parsed.ok else 2
    if not parsed.ok:
        print_preview(parsed)
        raise SourceError(f"{args.path}: intet er gemt")
    catalogue = load_catalogue(args.year)
    facts = facts_table(complete_facts(parsed.facts(), catalogue, mark_provisional=False))
    out = args.out or IMPORT_DIR / f"file-{args.year}"
    manifest = write_release(out, facts, kind="file", year=args.year,
                             source={"file": str(args.path.resolve()), "encoding": parsed.encoding,
                                     "delimiter": parsed.delimiter, "rows": len(parsed.rows)})
    console.print(f"{len(parsed.rows)} rækker fra {args.path.name} → {manifest['row_counts']['total']} "
                  f"tal skrevet til {out}", highlight=False)
    if args.load:
        _load(out, args.name)
    return 0


def cmd_combine(args: argparse.Namespace) -> int:
    picks = {}
    for pick in args.pick:
        indicator, _, release = pick.partition("=")
        if not release.isdigit():
            raise ValueError(f"--pick {pick!r}: skriv INDIKATOR=UDGIVELSESNUMMER, fx MM17=3")
        picks[indicator.strip().upper()] = int(release)
    setup_django()
    from jobmaal.web.publishing import cli_actor
    from jobmaal.web.vintages import combine_releases

    release = combine_releases(args.year, picks, name=args.name, framework_from=args.framework_from,
                               activate=args.publish, actor=cli_actor())
    console.print(f"Udgivelse {release.pk} «{release.name}» lavet af "
                  + ", ".join(f"{k} fra {v}" for k, v in sorted(picks.items()))
                  + f" ({release.row_count} tal)", highlight=False)
    return 0
