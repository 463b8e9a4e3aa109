"""Oval's settings plus what only the benchmarks need (never loaded by the product):

- a static directory of the bench's own (OVAL_BENCH_STATIC), so WhiteNoise serves a file holding
  the very bytes of a snapshot from the same process (bench/snapshot.py);
- a URLconf with the bare write view beside Oval's own (bench/benchurls.py, bench/writepath.py).
"""
import os

from config.settings import *  # noqa: F403
from config.settings import STATICFILES_DIRS

ROOT_URLCONF = "bench.benchurls"
if os.environ.get("OVAL_BENCH_STATIC"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, ("bench", os.environ["OVAL_BENCH_STATIC"])]
if os.environ.get("OVAL_BENCH_NO_HEALTH_CHECKS"):
    # Only to measure what Django's per-request connection health check costs (bench/writepath.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
