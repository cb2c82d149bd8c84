"""Discover and run benchmarks/bench_*.py; see the package docstring."""

import importlib
import os
import pkgutil
import sys

import benchmarks


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactlog.config.settings")
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if info.name.startswith("bench_")
    )
    if not names:
        print("no benchmarks yet")
        return 0
    short = False
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        for line in module.run():
            print(line, flush=True)
            short = short or line.rstrip().endswith("SHORT")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
