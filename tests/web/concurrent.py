"""Running the same work in several threads released at the same moment (concurrency tests)."""

from __future__ import annotations


def at_once(count: int, work) -> list[str]:
    """Run work(k) for k in 0..count-1 in threads released together; each thread closes its own
    database connection. Returns the outcomes in finishing order."""
    import threading

    from django.db import connection

    start = threading.Barrier(count)
    outcomes: list[str] = []

    def run(k: int) -> None:
        try:
            start.wait()
            outcomes.append(work(k))
        except Exception as exc:  # noqa: BLE001  (shown by the callers' assertions)
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
