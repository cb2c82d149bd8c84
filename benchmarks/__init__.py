"""Performance benchmarks, run with ``make bench`` (``python -m benchmarks``).

Contract: every module ``benchmarks/bench_<name>.py`` exposes
``run() -> list[str]`` and returns one line per benchmark, formatted as

    bench <name>: <measured> (target <target>) ok
    bench <name>: <measured> (target <target>) SHORT

``<measured>`` is a ratio against a baseline measured in the same run (for
example "3.2x faster than the naive query"), never an absolute time, so the
result does not depend on the machine. The line ends in ``ok`` when the
target is met and ``SHORT`` when it is not.

The runner runs every ``bench_*`` module in a process of its own, calls ``run()`` and prints the
lines; it exits 1 if any line ends in ``SHORT``. ``DJANGO_SETTINGS_MODULE``
defaults to the project settings; a module needing Django calls
``django.setup()`` itself.
"""
