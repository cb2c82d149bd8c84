"""The project's settings with the benchmark URLs added; used only by benchmarks/bench_*.py."""

from impactlog.config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.server.urls"
# bench_checkin sends as fast as 20 kiosks can: no device may be stopped by the rate limit.
KIOSK_RATE_LIMIT = 1_000_000
