"""Running the same work on two connections at once, as two clusters or two workers would."""

import threading

from django.db import connection


def at_once(work, times: int = 2) -> list:
    """Starts `work` in `times` threads released together (each on its own database connection) and returns what
    each returned; an error in any of them is raised here, not lost in its thread."""
    start = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(work())
        except Exception as error:  # raised below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
