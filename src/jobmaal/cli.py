"""The `jobmaal` command: generate demo registers, compute indicators, show a summary."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobmaal import formats
from jobmaal.atomic import replace_folder
from jobmaal.catalogue import CatalogueError
from jobmaal.catalogue.docs import render_measures
from jobmaal.cli_django import setup_django
from jobmaal.cli_sources import add_commands as add_source_commands
from jobmaal.indicators.engine import EngineSettings
from jobmaal.indicators.output import read_release, run_compute
from jobmaal.indicators.summary import national_summary
from jobmaal.registers.contract import DATE_WINDOW, DateWindow
from jobmaal.registers.synth import generate
from jobmaal.registers.validate import RegisterContractError

console = Console()
errors = Console(stderr=True)
DEMO_DIR = Path("var/demo")
DEMO_SCALE = 0.02
DEMO_SEED = 2023


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_for_operator(args.run, args)


# -- what an operator sees when a command fails: a message and exit code 2, never a traceback --

_OS_ERRORS_DA = {
    errno.ENOSPC: "disken er fuld",
    errno.EDQUOT: "diskkvoten er brugt op",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ingen adgang",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOENT: "findes ikke",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EISDIR: "er en mappe",
}


def run_for_operator(run, args: argparse.Namespace) -> int:
    """Run one command. Whatever goes wrong ends as a plain message on stderr and exit code 2;
    outputs are written atomically, so a failed command leaves the old output (and the active
    release) as they were. JOBMAAL_TRACEBACK=1 shows the traceback of an unexpected error."""
    try:
        return run(args)
    except (RegisterContractError, CatalogueError, ValueError) as exc:  # incl. ReleaseLoadError
        return _fail(str(exc))
    except OSError as exc:
        return _fail(_os_error_text(exc, getattr(args, "out", None)))
    except KeyboardInterrupt:
        errors.print("Afbrudt; intet er ændret.")
        return 130
    except Exception as exc:  # noqa: BLE001 — the last line of defence before a traceback
        if _is_database_error(exc):
            _release_database()
            return _fail(_database_error_text(exc))
        if "No space left on device" in str(exc):  # e.g. DuckDB spilling to its temp folder
            return _fail(f"disken er fuld ({type(exc).__name__}). Intet er ændret. Frigør plads og kør igen.")
        if os.environ.get("JOBMAAL_TRACEBACK") == "1":
            raise
        return _fail(f"uventet fejl ({type(exc).__name__}: {exc}). Intet er ændret. "
                     "Kør igen med JOBMAAL_TRACEBACK=1 for at se hele forløbet.")


def _fail(message: str) -> int:
    errors.print("[bold red]Fejl:[/] " + escape(message), highlight=False, soft_wrap=True)
    return 2


def _os_error_text(exc: OSError, out: Path | None = None) -> str:
    what = _OS_ERRORS_DA.get(exc.errno, exc.strerror or str(exc))
    where = f"{exc.filename or out}: " if exc.filename or out else ""
    advice = " Frigør plads og kør igen." if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
    return f"{where}{what} (errno {exc.errno}). Intet er ændret.{advice}"


def _is_database_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(("django.db", "sqlite3", "psycopg"))


def _database_error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    if "disk is full" in text or "No space left" in text:
        text = "disken er fuld"
    elif "database is locked" in text:
        text = "databasen er optaget af en anden skrivning (prøv igen, eller hæv JOBMAAL_SQLITE_TIMEOUT)"
    return f"databasen kunne ikke gemme: {text}. Intet er gemt; den aktive udgivelse er uændret."


def _release_database() -> None:
    """After a failed load: roll back, empty SQLite's write-ahead log (on a full disk it holds
    the rolled-back rows and the space they took) and close every connection."""
    if "django.db" not in sys.modules:
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        try:
            if connection.vendor == "sqlite" and connection.connection is not None:
                if connection.in_atomic_block:
                    connection.set_rollback(True)
                connection.connection.rollback()
                connection.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001, S110 — best effort; closing below checkpoints too
            pass
        finally:
            connection.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobmaal", description="Jobmål: the employment-goal "
                                     "indicators of Denmark's 98 municipalities.")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    synth = sub.add_parser("synth", help="write synthetic register data (Parquet)")
    synth.add_argument("--scale", type=float, default=DEMO_SCALE, help="1.0 = Denmark's size")
    synth.add_argument("--seed", type=int, default=DEMO_SEED)
    synth.add_argument("--out", type=Path, required=True)
    synth.set_defaults(run=cmd_synth)

    compute = sub.add_parser("compute", help="compute the indicators of a year into OUT")
    compute.add_argument("--registers", type=Path, required=True)
    compute.add_argument("--year", type=int, required=True)
    compute.add_argument("--out", type=Path, required=True)
    compute.add_argument("--suppression-threshold", type=int, default=5)
    compute.add_argument("--earliest-date", type=_iso_date, default=DATE_WINDOW.earliest,
                         help=f"refuse register dates before this (default {DATE_WINDOW.earliest})")
    compute.add_argument("--latest-date", type=_iso_date, default=DATE_WINDOW.latest,
                         help=f"refuse register dates after this (default {DATE_WINDOW.latest})")
    compute.set_defaults(run=cmd_compute)

    summary = sub.add_parser("summary", help="print the national summary of a computed OUT")
    summary.add_argument("release", type=Path)
    summary.set_defaults(run=cmd_summary)

    docs = sub.add_parser("docs-measures", help="print docs/measures.md from the catalogue")
    docs.add_argument("--year", type=int, default=2023)
    docs.set_defaults(run=cmd_docs_measures)

    load = sub.add_parser("load", help="load a computed OUT folder into the web app as a release")
    load.add_argument("release", type=Path)
    load.add_argument("--name", help="name shown in the app (default: from the manifest)")
    load.add_argument("--publish", action="store_true",
                      help="publish it at once (same checks as `jobmaal publish`); a draft otherwise")
    load.add_argument("--no-build", action="store_true", help=_NO_BUILD_HELP)
    load.set_defaults(run=cmd_load)

    publish = sub.add_parser("publish", help="make a loaded release the one the public sees for its "
                             "year (also: go back to an earlier release)")
    publish.add_argument("release_id", type=int)
    publish.add_argument("--no-build", action="store_true", help=_NO_BUILD_HELP)
    publish.set_defaults(run=cmd_publish)

    worker = sub.add_parser("worker", help="run background tasks (building published releases, plan "
                            "PDFs) until stopped; run one beside the app servers")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
    worker.add_argument("--batch", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(run=cmd_worker)


    alerts = sub.add_parser("send-alerts", help="e-mail the subscribers the events of the newest "
                            "publications not yet sent (run after `jobmaal publish`)")
    alerts.add_argument("--base-url", default=None,
                        help="the site's address for the links (default: JOBMAAL_SITE_URL)")
    alerts.set_defaults(run=cmd_send_alerts)

    cleanup = sub.add_parser("cleanup-uploads", help="remove files of abandoned import previews "
                             "(older than JOBMAAL_UPLOAD_MAX_AGE_HOURS, default 24) and "
                             "releases left half-loaded by a killed load")
    cleanup.set_defaults(run=cmd_cleanup_uploads)

    serve = sub.add_parser("serve", help="start the web app on localhost")
    serve.add_argument("--demo", action="store_true",
                       help="first generate demo registers, compute 2023 and load the release")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="processes (one per core)")
    serve.add_argument("--threads", type=int, default=4, help="threads in each process")
    serve.add_argument("--dir", type=Path, default=DEMO_DIR, help="demo data folder")
    serve.add_argument("--scale", type=float, default=DEMO_SCALE)
    serve.add_argument("--seed", type=int, default=DEMO_SEED)
    serve.set_defaults(run=cmd_serve)

    users = sub.add_parser("demo-users", help="create the demo users of every role and the demo plans "
                           "in the app database (as `serve --demo` does)")
    users.set_defaults(run=cmd_demo_users)

    demo = sub.add_parser("demo", help="generate demo registers, compute 2023, print a summary")
    demo.add_argument("--dir", type=Path, default=DEMO_DIR)
    demo.add_argument("--scale", type=float, default=DEMO_SCALE)
    demo.add_argument("--seed", type=int, default=DEMO_SEED)
    demo.set_defaults(run=cmd_demo)

    add_source_commands(sub)  # import jobindsats|file|statbank, combine
    return parser


def cmd_synth(args: argparse.Namespace) -> int:
    if not 0 < args.scale <= 2:
        raise ValueError(f"--scale must be above 0 and at most 2, got {args.scale}")
    started = time.perf_counter()
    with _progress() as progress, replace_folder(args.out) as staging:
        task = progress.add_task("Genererer registre", total=1.0)

        def report(stage: str, fraction: float) -> None:
            progress.update(task, completed=fraction, description=f"Genererer: {stage}")

        result = generate(staging, scale=args.scale, seed=args.seed, progress=report)
        progress.update(task, completed=1.0)
    console.print(f"Syntetiske registre skrevet til {args.out} ({_count(sum(result.rows.values()))} "
                  f"rækker, {_seconds(time.perf_counter() - started)})")
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2099-12-31") from None


def cmd_compute(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    window = DateWindow(getattr(args, "earliest_date", DATE_WINDOW.earliest),
                        getattr(args, "latest_date", DATE_WINDOW.latest))
    settings = EngineSettings(suppression_threshold=args.suppression_threshold, date_window=window)
    with console.status(f"Beregner indikatorer for {args.year - 1}-{args.year} …"):
        manifest = run_compute(args.registers, args.year, args.out, settings)
    console.print(f"{_count(manifest['row_counts']['total'])} tal skrevet til {args.out} "
                  f"({_seconds(time.perf_counter() - started)})")
    for warning in manifest.get("warnings", []):
        errors.print(f"[bold yellow]Advarsel:[/] {warning}", highlight=False, soft_wrap=True)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    facts, manifest = read_release(args.release)
    print_summary(facts, manifest)
    return 0


def cmd_docs_measures(args: argparse.Namespace) -> int:
    sys.stdout.write(render_measures(args.year))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    setup_django()
    from jobmaal.web.publishing import cli_actor
    from jobmaal.web.releases import load_release

    started = time.perf_counter()
    with _progress() as progress:
        bars: dict[str, object] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in bars:
                bars[step] = progress.add_task(f"Indlæser {_LOAD_STEPS_DA.get(step, step)}", total=total)
            progress.update(bars[step], completed=done, total=total)

        release = load_release(args.release, name=args.name, activate=args.publish, actor=cli_actor(),
                               progress=report)
    state = ("udgivet og aktiv" if release.is_active
             else f"gemt som kladde; udgiv den med «jobmaal publish {release.pk}»")
    console.print(f"Udgivelse {release.pk} «{release.name}» indlæst: {_count(release.row_count)} tal, "
                  f"{state} ({_seconds(time.perf_counter() - started)})", highlight=False)
    if release.is_active:
        _build_published(release, args.no_build)
    return 0


_LOAD_STEPS_DA = {"facts": "tal", "framework": "rammevilkår", "revisions": "revisioner",
                  "expected": "forventet niveau", "peers": "sammenlignelige kommuner"}


_NO_BUILD_HELP = ("do not build the published release's pages and files here: leave them to the "
                  "queued task of `jobmaal worker` (visitors before it get each page built on demand)")


def _build_published(release, leave_to_worker: bool = False) -> None:
    """Build a just-published release's pages and files here, with progress bars (the worker's
    task for it then finds it built)."""
    from jobmaal.web.build import build_release

    if leave_to_worker:
        console.print("Siderne og filerne bygges af «jobmaal worker» (eller ved første besøg).",
                      highlight=False)
        return
    started = time.perf_counter()
    with _progress() as progress:
        bars: dict[str, object] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in bars:
                bars[label] = progress.add_task(f"Bygger: {label}", total=total)
            progress.update(bars[label], completed=done, total=total)

        built = build_release(release, report)
    console.print(f"{built['pages']} sider og {built['files']} filer bygget "
                  f"({_seconds(time.perf_counter() - started)}).")


def cmd_worker(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    options = ["--interval", str(args.interval), "--queue-name", "*"] + (["--batch"] if args.batch else [])
    call_command("db_worker", *options)
    return 0


def cmd_send_alerts(args: argparse.Namespace) -> int:
    setup_django()
    from jobmaal.web.followup.alerts import send_alerts

    sent = send_alerts(args.base_url)
    console.print(f"{sent} e-mail(s) med varsler sendt.", highlight=False)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    setup_django()
    from jobmaal.web.models import Release
    from jobmaal.web.publishing import PublishError, cli_actor, publish_release

    release = Release.objects.filter(pk=args.release_id).first()
    if release is None:
        raise PublishError(f"udgivelse {args.release_id} findes ikke")
    entry = publish_release(release, actor=cli_actor())
    before = f" i stedet for nr. {entry.replaced_id}" if entry.replaced_id else ""
    verb = "udgivet" if entry.action == "publish" else "gjort aktiv igen"
    console.print(f"Udgivelse {release.pk} «{release.name}» er {verb} for {release.year}{before}.",
                  highlight=False)
    _build_published(release, args.no_build)
    return 0


def cmd_cleanup_uploads(args: argparse.Namespace) -> int:
    setup_django()
    from jobmaal.web.releases import remove_abandoned_loads
    from jobmaal.web.uploads import cleanup_uploads

    console.print(f"{cleanup_uploads()} efterladte uploads fjernet.")
    console.print(f"{remove_abandoned_loads()} afbrudte indlæsninger fjernet.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.demo:
        import os

        os.environ.setdefault("JOBMAAL_SECURE_COOKIES", "0")  # the demo runs on plain http://localhost
        _prepare_demo(args)
    setup_django()
    from jobmaal.web.releases import remove_abandoned_loads
    from jobmaal.web.server import serve
    from jobmaal.web.uploads import cleanup_uploads

    cleanup_uploads()  # files of import previews abandoned while the server was down
    remove_abandoned_loads()  # rows of loads whose process was killed

    console.print(f"Jobmål kører på http://{args.host}:{args.port}/ (Ctrl+C stopper)")
    serve(args.host, args.port, workers=args.workers, threads=args.threads)
    return 0


def _prepare_demo(args: argparse.Namespace) -> None:
    """Generate, compute and load the demo release unless the same one is already active."""
    registers, release_dir = args.dir / "registers", args.dir / "release-2023"
    cmd_synth(argparse.Namespace(scale=args.scale, seed=args.seed, out=registers))
    cmd_compute(argparse.Namespace(registers=registers, year=2023, out=release_dir,
                                   suppression_threshold=5))
    setup_django()
    from jobmaal.web.queries import active_release
    from jobmaal.web.releases import load_release

    current = active_release(2023)
    manifest = read_release(release_dir)[1]
    if current and current.facts_sha256 == manifest["facts_sha256"]:
        console.print(f"Udgivelse {current.pk} er allerede indlæst og aktiv.")
    else:
        started = time.perf_counter()
        current = load_release(release_dir, activate=True, actor="demo")
        console.print(f"Udgivelse {current.pk} indlæst ({_count(current.row_count)} tal, "
                      f"{_seconds(time.perf_counter() - started)})")
    _prepare_demo_followup(current)


def _prepare_demo_followup(release) -> None:
    """Demo users of every role and filled-in demo plans (README lists them)."""
    from jobmaal.web.followup import demo
    from jobmaal.web.survey.demo import ensure_demo_survey

    users = demo.ensure_demo_users()
    made = demo.ensure_demo_plans(release)
    ensure_demo_survey()  # KL's survey of goal 1: rounds 2022–2024 with generated answers
    console.print(f"Demo-brugere (adgangskode «{demo.DEMO_PASSWORD}»): "
                  + ", ".join(u.username for u in users), highlight=False)
    if made:
        console.print(f"{made} demo-planer for {demo.YEAR} oprettet.")


def cmd_demo_users(args: argparse.Namespace) -> int:
    setup_django()
    from jobmaal.web.queries import active_release

    _prepare_demo_followup(active_release(2023))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    registers, release = args.dir / "registers", args.dir / "release-2023"
    cmd_synth(argparse.Namespace(scale=args.scale, seed=args.seed, out=registers))
    cmd_compute(argparse.Namespace(registers=registers, year=2023, out=release,
                                   suppression_threshold=5))
    return cmd_summary(argparse.Namespace(release=release))


def print_summary(facts, manifest: dict) -> None:
    year = manifest["year"]
    source = manifest["source"]
    if source.get("synthetic"):
        console.print(f"[bold yellow]SYNTETISKE DATA[/] — genereret (seed {source['seed']}, "
                      f"skala {source['scale']}); ingen tal her er virkelige.", highlight=False)
    table = Table(title=f"Ministerens mål {year}: hele landet", title_justify="left")
    for name in ("Mål", "Indikator", "Periode", str(year), str(year - 1), "Ændring",
                 "Tæller / nævner", "Vist / diskr."):
        table.add_column(name, justify="left" if name in ("Indikator", "Periode") else "right")
    rows = national_summary(facts, year)
    for row in rows:
        change = (row.value - row.value_year_before
                  if row.value is not None and row.value_year_before is not None else None)
        table.add_row(
            str(row.goal), row.indicator, row.period + ("*" if row.provisional else ""),
            _pct(row.value), _pct(row.value_year_before),
            _change(change),
            f"{_count(row.numerator)} / {_count(row.denominator)}",
            f"{row.areas_shown} / {row.areas_suppressed}",
        )
    console.print(table)
    for row in rows:
        console.print(f"  {row.indicator}: {row.name}", highlight=False)
    console.print("Værdier i pct., ændring i procentpoint. * = foreløbig. Vist / diskr.: "
                  "kommuner (RAR-områder for REKRUT) med tal / under diskretionsgrænsen.")
    console.print("Mål 1 og 4 har ingen national indikator; kommunerne følger selv op.")
    console.print(f"Kilde: {source['folder']}; beregnet {manifest['created']}; "
                  f"{_count(manifest['row_counts']['total'])} tal.", highlight=False)


def _change(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:+.1f}".replace(".", ",")
    return "0,0" if text in ("+0,0", "-0,0") else text


def _seconds(value: float) -> str:
    return f"{formats.decimal(value)} s"


def _pct(value: float | None) -> str:
    return formats.decimal(value)


def _count(value: float | None) -> str:
    return formats.count(value)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


if __name__ == "__main__":
    sys.exit(main())
