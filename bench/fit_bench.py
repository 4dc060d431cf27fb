"""Benchmark Pacekeeper's FIT decoder against fitdecode and fitparse.

Usage (from the project root; the peers are benchmark-only, not project dependencies)::

    .venv/bin/pip install fitdecode fitparse
    .venv/bin/python bench/fit_bench.py [--repeat 3] [--data ../shared/data/fit]

Each tool runs in its own subprocess (single process, single thread) so timings and peak
RSS do not mix. Every tool decodes every ``*.fit`` file under the data folder, ``--repeat``
rounds; the best round is reported (and the first, "cold" round for Pacekeeper, which
includes compiling its per-definition decoders). The data messages each tool yields are
counted per file and per message name, and differences between tools are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "fit"
TOOLS = ("pacekeeper", "fitdecode", "fitparse")


def _rss_now_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _decode_pacekeeper() -> Any:
    sys.path.insert(0, str(ROOT / "src"))
    from pacekeeper.importers.fit_decode import FitDecodeError, decode

    def run(path: Path) -> tuple[Counter[str], str | None]:
        try:
            fit = decode(path)
        except FitDecodeError as exc:
            return Counter(), f"FitDecodeError: {exc}"
        names = Counter(m.name for m in fit.messages)
        note = "; ".join(str(p) for p in fit.problems[:2]) or None
        return names, note

    return run


def _decode_fitdecode() -> Any:
    import fitdecode  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def run(path: Path) -> tuple[Counter[str], str | None]:
        names: Counter[str] = Counter()
        try:
            with fitdecode.FitReader(
                str(path),
                check_crc=fitdecode.CrcCheck.READONLY,
                error_handling=fitdecode.ErrorHandling.IGNORE,
            ) as reader:
                for frame in reader:
                    if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                        names[frame.name] += 1
        except Exception as exc:  # the peers raise many kinds; count what came before
            return names, f"{type(exc).__name__}: {exc}"
        return names, None

    return run


def _decode_fitparse() -> Any:
    import fitparse  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def run(path: Path) -> tuple[Counter[str], str | None]:
        names: Counter[str] = Counter()
        try:
            for message in fitparse.FitFile(str(path), check_crc=True).get_messages():
                names[message.name] += 1
        except Exception as exc:  # the peers raise many kinds; count what came before
            return names, f"{type(exc).__name__}: {exc}"
        return names, None

    return run


def worker(tool: str, files: list[Path], repeat: int) -> dict[str, Any]:
    rss_before = _rss_now_kib()
    run = {
        "pacekeeper": _decode_pacekeeper,
        "fitdecode": _decode_fitdecode,
        "fitparse": _decode_fitparse,
    }[tool]()
    rss_imported = _rss_now_kib()
    rounds: list[float] = []
    per_file: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        total = 0.0
        for path in files:
            start = time.perf_counter()
            names, note = run(path)
            elapsed = time.perf_counter() - start
            total += elapsed
            per_file[path.name] = {"names": dict(names), "note": note}
        rounds.append(total)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "tool": tool,
        "rounds": rounds,
        "per_file": per_file,
        "messages": sum(sum(f["names"].values()) for f in per_file.values()),
        "peak_rss_kib": usage.ru_maxrss,
        "rss_start_kib": rss_before,
        "rss_after_import_kib": rss_imported,
    }


def _fit_files(data: Path) -> list[Path]:
    return sorted(p for p in data.rglob("*") if p.is_file() and p.suffix.lower() == ".fit")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    files = _fit_files(args.data)
    if args.worker:
        print(json.dumps(worker(args.worker, files, args.repeat)))
        return 0
    if not files:
        print(f"no .fit files under {args.data}", file=sys.stderr)
        return 1

    results: dict[str, dict[str, Any]] = {}
    for tool in args.tools.split(","):
        cmd = [sys.executable, __file__, "--worker", tool, "--repeat", str(args.repeat)]
        cmd += ["--data", str(args.data)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"{tool}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        results[tool] = json.loads(proc.stdout)

    total_bytes = sum(p.stat().st_size for p in files)
    print(f"{len(files)} FIT files, {total_bytes / 1e6:.2f} MB, {args.repeat} round(s) per tool")
    print(
        f"{'tool':<12}{'messages':>10}{'best s':>9}{'msgs/s':>12}{'first s':>9}"
        f"{'peak RSS MiB':>14}{'after import':>14}"
    )
    rates: dict[str, float] = {}
    for tool, res in results.items():
        best = min(res["rounds"])
        rates[tool] = res["messages"] / best
        print(
            f"{tool:<12}{res['messages']:>10}{best:>9.3f}{rates[tool]:>12,.0f}"
            f"{res['rounds'][0]:>9.3f}{res['peak_rss_kib'] / 1024:>14.1f}"
            f"{res['rss_after_import_kib'] / 1024:>14.1f}"
        )
    if "pacekeeper" in rates:
        for tool, rate in rates.items():
            if tool != "pacekeeper":
                print(f"pacekeeper / {tool}: {rates['pacekeeper'] / rate:.1f}x messages/s")

    print("\nmessage count differences (data messages per file):")
    ref = results.get("pacekeeper")
    differences = 0
    if ref is not None:
        for name, info in ref["per_file"].items():
            ours = Counter(info["names"])
            for tool, res in results.items():
                if tool == "pacekeeper":
                    continue
                theirs = Counter(res["per_file"][name]["names"])
                if sum(ours.values()) == sum(theirs.values()):
                    continue
                differences += 1
                diff = {
                    k: ours[k] - theirs[k]
                    for k in sorted(set(ours) | set(theirs))
                    if ours[k] != theirs[k]
                }
                print(
                    f"  {name}: pacekeeper {sum(ours.values())}, {tool} "
                    f"{sum(theirs.values())} (ours - theirs by name: {diff})"
                )
                print(f"      pacekeeper: {info['note']}")
                print(f"      {tool}: {res['per_file'][name]['note']}")
    if not differences:
        print("  none")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
