"""Start-up time of the command line: ``accord --version`` and ``accord --help``.

Target (issue 17): both under 0.5 s on the project's 2-core machine. Each command is run
``--reps`` times as a fresh process (interpreter start included, as a user sees it); the best
and median wall times are printed. Pass ``--compare OTHER_ACCORD`` (another installation's
``accord`` script, e.g. an older checkout's ``.venv/bin/accord``) to time both alternately in
one run: this VM's speed drifts, so compare ratios measured together.

    .venv/bin/python benchmarks/cli_startup.py --reps 15
    .venv/bin/python benchmarks/cli_startup.py --compare ../main/.venv/bin/accord
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.5


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=11, help="runs per command (default 11)")
    ap.add_argument("--compare", type=Path, help="another accord script to time alongside")
    args = ap.parse_args()
    here = Path(sys.executable).parent / "accord"
    subjects = {"this": here}
    if args.compare is not None:
        subjects["compare"] = args.compare
    times: dict[tuple[str, str], list[float]] = {}
    for exe in subjects.values():  # warm the file cache once, untimed
        subprocess.run([str(exe), "--version"], capture_output=True, check=True)
    for _ in range(args.reps):
        for name, exe in subjects.items():  # alternate: drift hits both alike
            for flag in ("--version", "--help"):
                times.setdefault((name, flag), []).append(_time([str(exe), flag]))
    print(f"accord start-up, {args.reps} runs each (wall time of a fresh process)")
    print(f"{'accord':<10}{'command':<12}{'best s':>8}{'median s':>10}  target < {TARGET_S} s")
    ok = True
    for (name, flag), ts in times.items():
        best, med = min(ts), statistics.median(ts)
        verdict = ""
        if name == "this":
            verdict = "ok" if med < TARGET_S else "SLOWER THAN TARGET"
            ok &= med < TARGET_S
        print(f"{name:<10}{flag:<12}{best:>8.2f}{med:>10.2f}  {verdict}")
    if args.compare is not None:
        for flag in ("--version", "--help"):
            r = statistics.median(times[("compare", flag)]) / statistics.median(
                times[("this", flag)])
            print(f"{flag}: compare / this = {r:.1f}x")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
