# SPDX-License-Identifier: GPL-2.0
"""report.py - turns the guest's BENCH lines into a table, results.json, summary.md and a PNG chart."""

import json
import os
import subprocess
import sys
from collections import defaultdict

MODES = ["ucmd", "raw", "async", "async-lazy", "raw-async", "async-later", "raw-later", "nop", "vec"]
BATCHES = [1, 8, 32, 128]


def load(path):
    rows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a console line cut by other output
    return rows


def fmt(v):
    return "-" if v is None else f"{v:.3f}"


def summarise(rows, flavour, clock, out):
    sel = [r for r in rows if r.get("flavour") == flavour and r.get("clock") == clock]
    if not sel:
        return []
    kernel = sel[0].get("kernel", "?")
    mops = defaultdict(dict)
    for r in sel:
        if "mops" in r and "batch" in r:
            mops[(r["mode"], r.get("ring"), r.get("file"))][r["batch"]] = r["mops"]
    what = ("guest instructions (icount: 1 instruction = 1 ns; counts instructions, not cache misses)"
            if clock == "icount" else "plain TCG wall clock (emulated, noisy)")
    lines = [f"### {flavour} ({kernel}), {what}", "",
             "M ops/s, SINGLE_ISSUER|DEFER_TASKRUN ring, fixed file:", "",
             "| mode | " + " | ".join(f"batch {b}" for b in BATCHES) + " |",
             "|---|" + "---|" * len(BATCHES)]
    ioctl = mops.get(("ioctl", "none", "normal"), {}).get(1)
    if ioctl:
        lines.append("| ioctl | " + fmt(ioctl) + " |" + " |" * (len(BATCHES) - 1))
    raw_ioctl = mops.get(("raw-ioctl", "none", "normal"), {}).get(1)
    if raw_ioctl:
        lines.append("| raw-ioctl | " + fmt(raw_ioctl) + " |" + " |" * (len(BATCHES) - 1))
    for m in MODES:
        d = mops.get((m, "defer", "fixed"), {})
        lines.append(f"| {m} | " + " | ".join(fmt(d.get(b)) for b in BATCHES) + " |")
    lines += ["", "Batch 32 across ring kinds and files (M ops/s):", "",
              "| mode | default/normal | default/fixed | defer/normal | defer/fixed | sqpoll/fixed |",
              "|---|---|---|---|---|---|"]
    for m in MODES:
        cells = [mops.get((m, ring, f), {}).get(32) for ring, f in
                 [("default", "normal"), ("default", "fixed"), ("defer", "normal"),
                  ("defer", "fixed"), ("sqpoll", "fixed")]]
        lines.append(f"| {m} | " + " | ".join(fmt(c) for c in cells) + " |")
    lat = [r for r in sel if r.get("latency") == "qd1"]
    if lat:
        lines += ["", "Queue depth 1 latency (ns):", "", "| mode | p50 | p99 | p99.9 |", "|---|---|---|---|"]
        for r in lat:
            lines.append(f"| {r['mode']} | {r['p50_ns']:.0f} | {r['p99_ns']:.0f} | {r['p999_ns']:.0f} |")

    def at(m, b=32):
        return mops.get((m, "defer", "fixed"), {}).get(b)

    goals = []
    u, r, a, n, v = at("ucmd"), at("raw"), at("async"), at("nop"), at("vec")
    if u and r:
        goals.append(f"framework / raw handler at batch 32: {100 * u / r:.1f}% (goal >= 97%)")
    if u and a:
        goals.append(f"task_work async / sync at batch 32: {100 * a / u:.1f}% (goal >= 70%)")
    if v and n:
        goals.append(f"vectored (32 per SQE) / io_uring NOP floor: {100 * v / n:.1f}% (goal > 100%)")
    if v and ioctl:
        goals.append(f"vectored / ioctl: {v / ioctl:.2f}x (goal >= 4x)")
    crypto = [x for x in sel if x.get("bench") == "ucrypto" or ("alg" in x and x.get("bench") != "ossl")]
    if crypto:
        lines += ["", "ucrypto against AF_ALG (libkcapi):", "",
                  "| " + " | ".join(str(k) for k in crypto[0].keys() if k not in ("clock", "flavour", "kernel")) + " |"]
        lines.append("|" + "---|" * (len(crypto[0]) - 3))
        for x in crypto:
            lines.append("| " + " | ".join(str(v) for k, v in x.items()
                                         if k not in ("clock", "flavour", "kernel")) + " |")
    lines += accel_table(crypto)
    lines += ossl_table([x for x in sel if x.get("bench") == "ossl"])
    if goals:
        lines += ["", "Goals:", ""] + [f"- {g}" for g in goals]
    lines.append("")
    plot(mops, flavour, clock, kernel, out)
    return lines


def accel_table(crypto):
    """The same rows with the accelerated drivers (ucrypto_bench -D accel) beside the generic ones."""
    def key(x):
        return (x["alg"], x["size"], x["iface"], x["batch"])
    gen = {key(x): x for x in crypto if x.get("drivers", "generic") == "generic"}
    acc = [x for x in crypto if x.get("drivers", "generic").startswith("accel")]
    if not acc:
        return []
    lines = ["", "The same with the accelerated drivers a Debian host loads (MB/s; driver the crypto API picked):", "",
             "| alg | size | iface | batch | generic | MB/s | accelerated | MB/s | speed-up |",
             "|---|---|---|---|---|---|---|---|---|"]
    for x in acc:
        g = gen.get(key(x), {})
        gm, am = g.get("mb_per_s"), x.get("mb_per_s")
        up = f"{am / gm:.2f}x" if gm and am else "-"
        iface = x["iface"] + (" (async session)" if x["drivers"] == "accel-async" and "afalg" not in x["iface"] else "")
        lines.append(f"| {x['alg']} | {x['size']} | {iface} | {x['batch']} | {g.get('driver', '-')} | "
                     f"{fmt(gm)} | {x.get('driver', '-')} | {fmt(am)} | {up} |")
    return lines


def ossl_table(ossl):
    """openssl speed (bench/ossl_speed): MB/s per implementation, algorithm and size."""
    if not ossl:
        return []
    sizes = sorted({x["size"] for x in ossl if x.get("size")})
    cells = defaultdict(dict)
    for x in ossl:
        if x.get("size"):
            cells[(x["algorithm"], x["impl"])][x["size"]] = x.get("mb_per_s")
    lines = ["", "openssl speed -elapsed, MB/s (ucrypto provider, afalg engine, default provider):", "",
             "| algorithm | implementation | " + " | ".join(f"{s} B" for s in sizes) + " |",
             "|---|---|" + "---|" * len(sizes)]
    for (alg, impl), d in sorted(cells.items()):
        lines.append(f"| {alg} | {impl} | " + " | ".join(
            "-" if d.get(s) is None else f"{d[s]:.2f}" for s in sizes) + " |")
    for x in ossl:
        if not x.get("size"):
            lines.append(f"- {x['algorithm']} {x['impl']}: no figures ({x.get('note', '')})")
    return lines


def plot(mops, flavour, clock, kernel, out):
    data = os.path.join(out, f"{flavour}-{clock}.dat")
    with open(data, "w", encoding="utf-8") as f:
        f.write("# batch " + " ".join(MODES) + "\n")
        for b in BATCHES:
            f.write(f"{b} " + " ".join(str(mops.get((m, "defer", "fixed"), {}).get(b, "NaN"))
                                      for m in MODES) + "\n")
    png = os.path.join(out, f"{flavour}-{clock}.png")
    script = "\n".join([
        "set terminal pngcairo size 900,540" if has_cairo() else "set terminal png size 900,540",
        f"set output '{png}'",
        f"set title 'ucmd on {kernel}: M ops/s vs batch ({clock}; DEFER_TASKRUN ring, fixed file)'",
        "set logscale x 2", "set xlabel 'commands per submit'", "set ylabel 'M ops/s'",
        "set key outside right", "set grid",
        "plot " + ", ".join(f"'{data}' using 1:{i + 2} with linespoints title '{m}'"
                            for i, m in enumerate(MODES)),
    ])
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: no chart ({e})", file=sys.stderr)


def has_cairo():
    try:
        r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
        return "pngcairo" in (r.stdout + r.stderr)
    except OSError:
        return False


def main():
    rows = load(sys.argv[1])
    out = sys.argv[2]
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=1)
    lines = []
    for flavour in sorted({r.get("flavour") for r in rows}):
        for clock in ("icount", "wall"):
            lines += summarise(rows, flavour, clock, out)
    text = "\n".join(lines)
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nresults: {out}/results.json, {out}/summary.md, {out}/*.png")
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
