"""Mutation testing of the engine: a seeded sample of mutmut's mutants in a time budget.

``make mutation`` runs this. It asks mutmut (configured in pyproject.toml's
``[tool.mutmut]``) to write every mutant of the engine modules, draws a seeded sample of
them, runs the sample for at most ``--budget`` seconds, and writes the verdicts and every
surviving mutant's diff to ``mutation-report.txt``. Survivors that cannot change an
answer are listed, each with its reason, in ``tests/mutation-equivalent.md``; the score
leaves them out: killed / (checked - equivalent).

    python tools/mutation.py --seed 18 --sample 300 --budget 1200
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import re
import signal
import subprocess
import sys
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "mutation-report.txt"
EQUIVALENT = ROOT / "tests" / "mutation-equivalent.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}


def _mutmut() -> Any:
    """The module behind the mutmut command (its helpers are not typed as exports)."""
    return importlib.import_module("mutmut.__main__")


def all_mutants() -> list[str]:
    """Write every mutant (mutmut's own generation step) and return their names."""
    mm = _mutmut()
    with redirect_stdout(StringIO()):
        mm.copy_src_dir()
        mm.copy_also_copy_files()
        mm.setup_source_paths()
        mm.store_lines_covered_by_tests()
        mm.create_mutants(os.cpu_count() or 2)
    return sorted(key for _, key, _ in mm.collect_source_file_mutation_data(mutant_names=[])[0])


def verdicts(names: set[str]) -> dict[str, str]:
    """Each sampled mutant's status as mutmut recorded it ("not checked" if never run)."""
    mm = _mutmut()
    found: dict[str, str] = {}
    for path in mm.walk_mutatable_files():
        data = mm.SourceFileMutationData(path=path)
        data.load()
        for key, code in data.exit_code_by_key.items():
            if key in names:
                found[key] = mm.status_by_exit_code[code]
    return {name: found.get(name, "not checked") for name in sorted(names)}


def equivalent() -> dict[str, str]:
    """Mutants listed as equivalent: ``- `name`: reason`` lines of the committed file."""
    if not EQUIVALENT.is_file():
        return {}
    pattern = re.compile(r"^- `([^`]+)`: (.+)$")
    return {
        match[1]: match[2]
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines()
        if (match := pattern.match(line))
    }


def run_sample(sample: list[str], budget: float, children: int) -> bool:
    """Run mutmut over the sample; stop it when the budget is spent. True if it finished."""
    command = [*MUTMUT, "run", "--max-children", str(children), *sample]
    with (ROOT / "mutants" / "run.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )
        try:
            process.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            return False
    return process.returncode == 0


def diff(name: str) -> str:
    """The mutant's change, as ``mutmut show`` prints it."""
    shown = subprocess.run(
        [*MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return shown.stdout.strip()


def main() -> None:
    """Sample, run, and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--sample", type=int, default=300, help="mutants to run")
    parser.add_argument("--budget", type=float, default=1200, help="seconds for the run")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    os.chdir(ROOT)
    started = time.monotonic()
    names = all_mutants()
    sample = sorted(random.Random(args.seed).sample(names, min(args.sample, len(names))))
    print(f"{len(names)} mutants; running a sample of {len(sample)} (seed {args.seed})")
    finished = run_sample(sample, args.budget, args.max_children)
    status = verdicts(set(sample))
    listed = equivalent()
    checked = {n: s for n, s in status.items() if s not in {"not checked", "no tests"}}
    killed = [n for n, s in checked.items() if s in DETECTED]
    survived = [n for n, s in checked.items() if s not in DETECTED]
    same = [n for n in survived if n in listed]
    live = [n for n in survived if n not in listed]
    denominator = len(checked) - len(same)
    score = len(killed) / denominator if denominator else 1.0
    counts: dict[str, int] = {}
    for s in status.values():
        counts[s] = counts.get(s, 0) + 1
    lines = [
        f"mutation testing: {len(names)} mutants, sample of {len(sample)} (seed {args.seed}), "
        f"{'finished' if finished else 'stopped at the budget'} in "
        f"{time.monotonic() - started:.0f} s",
        "verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        f"score: {len(killed)} killed / ({len(checked)} checked - {len(same)} equivalent) "
        f"= {score:.1%}",
        "",
        f"{len(live)} survivors not listed in {EQUIVALENT.relative_to(ROOT)}:",
        "",
    ]
    for name in live:
        lines += [f"## {name}", diff(name), ""]
    if same:
        lines += ["Survivors listed as equivalent:", *(f"- {n}: {listed[n]}" for n in same)]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:3]))
    print(f"survivors written to {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
