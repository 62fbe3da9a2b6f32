"""Reading an uploaded Excel file (.xlsx) safely: size limits are checked before parsing.

An .xlsx is a zip of XML files. A few MB of zip can unpack to gigabytes (a "zip bomb": 8 MB of
shared strings that are 3 GB unpacked), and openpyxl reads all shared strings into memory when
it opens the workbook. So the zip's directory is read first and the file refused when its
members together unpack to more than the limit; the sizes in the directory are binding, since
Python's zipfile never unpacks more than a member declares (a lie fails its checksum). The
first sheet is then read in openpyxl's read-only mode, ignoring the sheet's own claimed
dimensions, and stopped at the row and cell limits.

The limits are settings with safe defaults, read from the environment:

JOBMAAL_XLSX_MAX_UNPACKED_MB  all members of the zip together, unpacked (default 200)
JOBMAAL_XLSX_MAX_ROWS         rows of the first sheet (default 500000)
JOBMAAL_XLSX_MAX_CELLS        cells of the first sheet (default 5000000)
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass


class XlsxError(ValueError):
    """The file cannot be read as Excel or is over a limit: `reason` in plain Danish; the
    message is "file: reason"."""

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True)
class XlsxLimits:
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_rows: int = 500_000
    max_cells: int = 5_000_000

    @classmethod
    def from_environment(cls) -> XlsxLimits:
        env = os.environ
        return cls(
            max_unpacked_bytes=int(env.get("JOBMAAL_XLSX_MAX_UNPACKED_MB", "200")) * 1024 * 1024,
            max_rows=int(env.get("JOBMAAL_XLSX_MAX_ROWS", "500000")),
            max_cells=int(env.get("JOBMAAL_XLSX_MAX_CELLS", "5000000")),
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB".replace(",", ".")


def check_archive(data: bytes, name: str, limits: XlsxLimits) -> None:
    """Refuse a file that is no zip or unpacks to more than the limit, before any parsing."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise XlsxError(name, "filen kan ikke læses som Excel-fil (.xlsx); den er ikke en "
                        "hel .xlsx-fil (måske afkortet eller beskadiget)") from None
    if unpacked > limits.max_unpacked_bytes:
        raise XlsxError(name, f"filen fylder {_mb(unpacked)} udpakket; højst "
                        f"{_mb(limits.max_unpacked_bytes)} er tilladt. Filen er ikke læst. Fjern "
                        "overflødige ark og data, eller del filen op")


def read_rows(data: bytes, name: str, limits: XlsxLimits | None = None) -> list[tuple[int, list]]:
    """The first sheet's rows as (row number from 1, cell values), within the limits."""
    from openpyxl import load_workbook

    limits = limits or XlsxLimits.from_environment()
    check_archive(data, name, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds on a damaged file
        raise XlsxError(name, "filen kan ikke læses som Excel-fil (.xlsx) (beskadiget fil)") from None
    try:
        if not book.worksheets:
            raise XlsxError(name, "Excel-filen har intet ark")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a sheet may claim A1:XFD1048576; read what is there
        rows: list[tuple[int, list]] = []
        cells = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.max_rows:
                raise XlsxError(name, f"over {limits.max_rows:,} rækker; del filen op".replace(",", "."))
            cells += len(row)
            if cells > limits.max_cells:
                raise XlsxError(name, f"over {limits.max_cells:,} celler; del filen op".replace(",", "."))
            rows.append((number, list(row)))
        return rows
    except XlsxError:
        raise
    except Exception:  # noqa: BLE001 — a damaged or cut-off sheet inside a valid zip
        raise XlsxError(name, "Excel-arket kan ikke læses (beskadiget eller afkortet fil)") from None
    finally:
        book.close()
