"""Build at publish: everything the public sees of a release, made once and shared.

A release never changes, so its pages and files are built when it is published (by the worker,
`web/tasks.py`, or in the command's own process for `jobmaal publish`): the page data and HTML
of the overview, the 98 municipality pages and the indicator pages go into the shared cache
(`pagecache`), the bulk CSV and Parquet files and the national PDF into `settings.BUILD_DIR`.
Whatever a visitor asks for before the build has reached it is built on demand and stored the
same way, so the first visitor always gets the right page, only slower.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from jobmaal.catalogue import load_catalogue
from jobmaal.facts import FACTS_SCHEMA
from jobmaal.filetext import csv_line
from jobmaal.geography import load_geography
from jobmaal.periods import period_window_da
from jobmaal.web.models import Fact, Release

# progress(label, done, total): what a build reports after each step (CLI bars, task progress).
Progress = Callable[[str, int, int], None]

# The bulk files carry each survey round's posting window beside its code (REKRUT's `2023H1` is
# December 2022–May 2023); empty for every other row. Loading such a Parquet file drops it.
WINDOW_COLUMN = "period_window"
BULK_SCHEMA = FACTS_SCHEMA.append(pa.field(WINDOW_COLUMN, pa.string()))
BULK_FORMATS = ("csv", "parquet")


def _quiet(label: str, done: int, total: int) -> None:
    return None


# -- pages ---------------------------------------------------------------------------------------

def page_paths(release: Release) -> list[str]:
    """The public pages of a release at their default period: the overview, the 98
    municipalities, and each indicator the release has. A release that is not the one shown
    by default (an older year's) is asked for by `?udgivelse=`."""
    from jobmaal.web.queries import active_release, indicators_of

    codes = load_geography(release.year).municipality_codes
    catalogue = load_catalogue(release.catalogue_year)
    present = indicators_of(release)
    indicators = [i.id for i in catalogue.indicators if i.id in present]
    paths = ["/", *(f"/kommune/{code}/" for code in codes), *(f"/indikator/{i}/" for i in indicators)]
    default = active_release()
    if default is None or default.pk != release.pk:
        paths = [f"{p}?udgivelse={release.pk}" for p in paths]
    return paths


def build_pages(release: Release, progress: Progress = _quiet, paths: list[str] | None = None) -> int:
    """Render the public pages of `release` into the shared cache as an anonymous visitor sees
    them (page data keyed by release, HTML by release and URL); returns the number of pages."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve

    paths = page_paths(release) if paths is None else paths
    factory = RequestFactory()
    for done, path in enumerate(paths, start=1):
        request = factory.get(path, HTTP_HOST=_host())
        request.user = AnonymousUser()  # built pages are the public ones
        match = resolve(path.split("?", 1)[0])
        match.func(request, *match.args, **match.kwargs)
        progress("Sider", done, len(paths))
    return len(paths)


def _host() -> str:
    """A host name the settings allow (pages built outside a request need one)."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    return hosts[0] if hosts else "localhost"


# -- files ---------------------------------------------------------------------------------------

def release_dir(release: Release) -> Path:
    """The folder of a release's built files: its id and load time, so a database made anew
    (whose ids start again) never finds files of another release under the same id."""
    return settings.BUILD_DIR / f"release-{release.pk}-{release.loaded_at:%Y%m%d%H%M%S%f}"


def bulk_path(release: Release, fmt: str) -> Path:
    """The bulk file of a release, built now if it is not there yet."""
    if fmt not in BULK_FORMATS:
        raise ValueError(f"ukendt format {fmt}")
    path = release_dir(release) / f"facts.{fmt}"
    if not path.exists():
        write_atomically(path, _csv_chunks(release) if fmt == "csv" else iter([_parquet_bytes(release)]))
    return path


def national_pdf_path(year: int, *, published_only: bool) -> Path:
    """The national PDF of `year` as the public (published plans only) or the ministry and KL
    (every plan) see it, built now unless built already for the same release and plan state."""
    from jobmaal.web.followup.documents import renderer
    from jobmaal.web.followup.report_data import national_report
    from jobmaal.web.pagecache import followup_stamp
    from jobmaal.web.queries import active_release

    release = active_release(year) or active_release()
    scope = "offentlige" if published_only else "alle"
    folder = release_dir(release) if release is not None else settings.BUILD_DIR / "no-release"
    path = folder / f"landsoverblik-{year}-{scope}-planer{followup_stamp()}.pdf"
    if not path.exists():
        body = renderer("national_pdf", "render_national_pdf")(
            national_report(year, published_only=published_only))
        write_atomically(path, iter([body]))
    return path


def write_atomically(path: Path, chunks: Iterator[bytes]) -> None:
    """Write to a file of this process and thread beside `path`, then rename it into place:
    a reader (or another server building the same file) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with temporary.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _survey_round_indicators(release: Release) -> set[str]:
    return {i.id for i in load_catalogue(release.catalogue_year).indicators if i.survey_rounds}


def _window(code: str, indicator: str, rounds: set[str]) -> str | None:
    return period_window_da(code) if indicator in rounds else None


def _fact_rows(release: Release, *, with_source: bool) -> Iterator[tuple]:
    """Every fact of the release in file order, with its posting window (and source) added."""
    columns = FACTS_SCHEMA.names + (["source"] if with_source else [])
    rounds = _survey_round_indicators(release)
    query = Fact.objects.filter(release=release).order_by("id").values_list(*columns)
    for row in query.iterator(chunk_size=5000):
        yield (*row, _window(row[1], row[0], rounds))


def _csv_chunks(release: Release) -> Iterator[bytes]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    buffer.write(csv_line([*FACTS_SCHEMA.names, "source", WINDOW_COLUMN]))
    for row in _fact_rows(release, with_source=True):
        buffer.write(csv_line(row))
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _parquet_bytes(release: Release) -> bytes:
    names = BULK_SCHEMA.names
    rows = [dict(zip(names, r, strict=True)) for r in _fact_rows(release, with_source=False)]
    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=BULK_SCHEMA), out, compression="zstd")
    return out.getvalue()


# -- the whole release ---------------------------------------------------------------------------

def build_release(release: Release, progress: Progress = _quiet) -> dict[str, int]:
    """Build every page and file the public sees of `release` (see the module's docstring);
    returns how many pages and files were built."""
    pages = build_pages(release, progress)
    for done, fmt in enumerate(BULK_FORMATS, start=1):
        bulk_path(release, fmt)
        progress("Downloadfiler", done, len(BULK_FORMATS))
    national_pdf_path(release.year, published_only=True)
    progress("Landsoverblik (PDF)", 1, 1)
    cache.set(_built_key(release), True, DEFAULT_TIMEOUT)
    return {"pages": pages, "files": len(BULK_FORMATS) + 1}


def is_built(release: Release) -> bool:
    """Whether `build_release` has finished for this release (in any process or server)."""
    return bool(cache.get(_built_key(release)))


def _built_key(release: Release) -> str:
    return f"built:{release.pk}:{release.loaded_at:%Y%m%d%H%M%S%f}"
