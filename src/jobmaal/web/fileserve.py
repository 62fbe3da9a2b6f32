"""Built files served as files: FileResponse (or nginx via X-Accel-Redirect when
JOBMAAL_ACCEL_REDIRECT is set), with ETag and Last-Modified so browsers and a CDN keep them
and ask again only with a conditional GET (answered 304 Not Modified when nothing changed)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def file_etag(path: Path) -> str:
    """The same on every server sharing the build folder: the file's name, size and time."""
    stat = path.stat()
    return f'"{path.name}-{stat.st_size:x}-{stat.st_mtime_ns:x}"'


def serve_file(request: HttpRequest, path: Path, *, filename: str, content_type: str,
               cache_control: str) -> HttpResponse:
    """Answer with the file at `path` (inside settings.BUILD_DIR) as an attachment."""
    etag = file_etag(path)
    modified = int(path.stat().st_mtime)
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        if settings.ACCEL_REDIRECT:
            response = HttpResponse(content_type=content_type)
            relative = path.resolve().relative_to(settings.BUILD_DIR).as_posix()
            response["X-Accel-Redirect"] = settings.ACCEL_REDIRECT.rstrip("/") + "/" + quote(relative)
        else:
            response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = cache_control
    return response
