"""When a second process may be forked to use the machine's other core.

Forking copies the whole process, so the child inherits what it needs without anything being sent
to it; but a process with other threads running (the live preview's server, a test's browser) may
hold locks a forked child would find taken, and some systems have no fork at all. Spawning instead
would import the caller's main script again, which a build script without an
``if __name__ == "__main__"`` guard does not survive. So: fork where it is safe, else stay in one process.
"""

from __future__ import annotations

import multiprocessing
import threading


def can_fork() -> bool:
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
