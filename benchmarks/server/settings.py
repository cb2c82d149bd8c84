"""The project's settings with the benchmark URLs added; used only by benchmarks/bench_*.py."""

from impactlog.config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.server.urls"
