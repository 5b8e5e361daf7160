"""Instructions per ledger of engine.py's CISSP workloads, counted by valgrind (a diagnostic).

``engine.py``'s targets are CPU-time ratios, and on a shared machine those move by 10 to
20 percent from one run to the next: too much to tell whether a change to the engine
saved 5 percent. The number of machine instructions a workload executes hardly moves:
callgrind counts them whatever else the machine is doing, and with Python's string
hashing fixed (``PYTHONHASHSEED=0``) one tree counts the same every run. This script
counts them per ledger for the hand loop, the verdict path and the explained path, in
this tree and, with ``--against``, in another tree's ``src`` (an older commit:
``git archive REV src | tar -x -C /tmp/old``). Two trees of the same code differ by up to
about 2 percent (the engine keeps some caches by object identity, so where objects lie in
memory moves a count a little): a change that saves more than that shows. Each tree's
bytecode is compiled first, into a directory of its own, so that no run counts a module
compiled at import (which moved a count by up to 14 percent where bytecode was stale and
not written back).

It is not a target and not how targets are judged: an instruction is not a unit of time
(the engine's instructions run slower than the hand loop's, since they reach for more
code and data: CPU time per instruction is about 1.5 times the hand loop's), so its
ratios are lower than ``engine.py``'s. Run it from the repository root; it needs
valgrind (Debian's package) and takes a minute or two::

    .venv/bin/python benchmarks/instructions.py
    .venv/bin/python benchmarks/instructions.py --against /tmp/old/src

Each count runs the workload once to warm up, then ``--rounds`` times (the explained
path a third as many), and subtracts a run with the warm-up alone: what is left is the
rounds' own instructions, divided by the ledgers evaluated.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = ("hand", "verdict", "explained")
BATCH = 40
"""Ledgers per round (engine.py's)."""


def _child(workload: str, rounds: int) -> None:
    """Run ``workload`` once, then ``rounds`` times over the same ledgers (under valgrind)."""
    sys.path.insert(0, str(HERE))
    import engine  # noqa: PLC0415 - engine.py's workloads, imported where they are run

    from cperules import Holding, Ledger, evaluate, verdict  # noqa: PLC0415

    holding = Holding(certification="isc2/cissp", earned=engine.EARNED, holder=engine.HOLDER)
    ledgers = [engine.cissp_ledger(seed) for seed in range(BATCH)]
    runs: dict[str, Callable[[Ledger], object]] = {
        "hand": engine.cissp_by_hand,
        "verdict": functools.partial(verdict, holding, as_of=engine.AS_OF),
        "explained": functools.partial(evaluate, holding, as_of=engine.AS_OF),
    }
    run = runs[workload]
    for _ in range(rounds + 1):
        for ledger in ledgers:
            run(ledger)


def compiled(src: Path, cache: Path) -> dict[str, str]:
    """The environment the runs of the tree ``src`` count in: its bytecode compiled first.

    Into ``cache`` (``PYTHONPYCACHEPREFIX``), with this directory's scripts: a module
    whose bytecode is missing or stale is compiled at import, and where bytecode is not
    written (``PYTHONDONTWRITEBYTECODE``) that happens in every run, which moves a count
    by up to 14 percent (seen here), more than most changes it is meant to show.
    """
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": str(src),
        "PYTHONPYCACHEPREFIX": str(cache),
    }
    writing = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(src), str(HERE)],
        env=writing,
        capture_output=True,
        check=True,
    )
    return env


def count(env: dict[str, str], workload: str, rounds: int) -> int:
    """Instructions callgrind counts for ``workload`` over ``rounds`` rounds (and a warm-up)."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            workload,
            str(rounds),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        where = env["PYTHONPATH"]
        raise SystemExit(f"valgrind failed on {workload} ({where}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_ledger(src: Path, rounds: dict[str, int]) -> dict[str, float]:
    """Instructions per ledger of every workload in the tree ``src``, two runs at a time."""
    jobs = [(workload, n) for workload in WORKLOADS for n in (0, rounds[workload])]
    with tempfile.TemporaryDirectory(prefix="cperules-bytecode-") as cache:
        env = compiled(src, Path(cache))
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            counts = dict(zip(jobs, pool.map(lambda job: count(env, *job), jobs), strict=True))
    return {
        workload: (counts[workload, rounds[workload]] - counts[workload, 0])
        / (rounds[workload] * BATCH)
        for workload in WORKLOADS
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="rounds of 40 ledgers counted")
    parser.add_argument("--against", type=Path, help="another tree's src, counted too")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("instructions.py needs valgrind: apt-get install valgrind")
    rounds = {"hand": args.rounds, "verdict": args.rounds, "explained": max(1, args.rounds // 3)}
    trees = {"this tree": HERE.parent / "src"}
    if args.against is not None:
        if not (args.against / "cperules").is_dir():
            raise SystemExit(f"--against {args.against}: no cperules package in it")
        trees["against"] = args.against
    found = {name: per_ledger(src, rounds) for name, src in trees.items()}
    print(f"Instructions per ledger (callgrind, PYTHONHASHSEED=0, {BATCH} CISSP ledgers):")
    header = f"  {'workload':<12}" + "".join(f"{name:>24}" for name in found)
    print(header + ("  change" if len(found) == 2 else ""))
    for workload in WORKLOADS:
        cells = "".join(
            f"{counts[workload]:>14,.0f} ({counts[workload] / counts['hand']:5.2f}x)"
            for counts in found.values()
        )
        change = ""
        if len(found) == 2:
            now, then = (counts[workload] for counts in found.values())
            change = f"  {(now - then) / then:+.2%}"
        print(f"  {workload:<12}{cells}{change}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
