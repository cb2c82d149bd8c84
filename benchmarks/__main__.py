"""Discover and run benchmarks/bench_*.py; see the package docstring.

`python -m benchmarks` runs each benchmark in a process of its own (each sets up Django with its
own database); `python -m benchmarks bench_logbook` runs one in this process.
"""

import importlib
import os
import pkgutil
import subprocess
import sys

import benchmarks


def _run_here(name: str) -> bool:
    """Run one benchmark module in this process; whether any of its lines fell short."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactlog.config.settings")
    module = importlib.import_module(f"benchmarks.{name}")
    short = False
    for line in module.run():
        print(line, flush=True)
        short = short or line.rstrip().endswith("SHORT")
    return short


def main() -> int:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )
    if len(sys.argv) > 1:
        return 1 if any(_run_here(name) for name in sys.argv[1:]) else 0
    if not names:
        print("no benchmarks yet")
        return 0
    failed = False
    for name in names:
        # A process per benchmark: Django is set up once per process, with that one's database.
        failed = subprocess.call([sys.executable, "-m", "benchmarks", name]) != 0 or failed  # noqa: S603 (our own modules)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
