"""`zhaoshang demo` stops its background worker however it is stopped: Ctrl+C, or SIGTERM/SIGHUP from a
service manager or a closed terminal (issue 16)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from zhaoshang.demo.management.commands.demo import signals_exit, stop


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_runs_the_cleanup_that_stops_the_worker(signame):
    sig = getattr(signal, signame)
    before = signal.getsignal(sig)
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        with pytest.raises(SystemExit), signals_exit():
            os.kill(os.getpid(), sig)
            signal.pause()  # the server's loop, waiting; never reached past the signal
    finally:
        stop(worker)
    assert worker.poll() is not None  # the worker is gone
    assert signal.getsignal(sig) == before  # the previous handler is back
