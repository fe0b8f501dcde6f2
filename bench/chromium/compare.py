#!/usr/bin/env python3
"""The kiosk beside Debian's Chromium showing the same catalogue data.

A: signpost-kiosk on a catalogue. B: chromium on a static HTML page made from
the same catalogue (the home screen's tiles and the first 2,000 results for a
common query, rendered by the same search code through signpost-catalogue).
The runs alternate A B A B so a busy machine slows both alike, and every
figure is reported for each run, as a median, and as a ratio (B / A).

Measured, as a user meets them (a fresh process each time):
  start   start-to-first-screen, headless: wall time and CPU time (user+sys of
          the whole process tree) from exec until the program has drawn its
          first screen into a PNG and exited. The kiosk also to the search
          results for the query (typed, one keystroke per frame).
  pss     memory: summed PSS of the process tree (/proc/PID/smaps_rollup),
          windowed under Xvfb, once the first screen is up.
  idle    CPU over 60 s untouched, windowed under Xvfb: the process tree's
          CPU (/proc/PID/task/*/schedstat), and the X server's, as % of one
          core. The kiosk on Home and on its attract loop; it also reports
          the frames it drew.

Not a CI test: its figures go in bench/README.md. Needs chromium and xvfb
(deploy/install-deps.sh installs both). Takes about 2 + 3 x reps minutes.

  bench/chromium/compare.py [--build build/bench] [--catalogue PATH]
                            [--query engineer] [--reps 3] [--idle-seconds 60]
"""

import argparse
import html
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WIDTH, HEIGHT = 800, 480

# The home screen's tiles, as the kiosk shows them (kiosk/screens/home.cpp).
TILES = [
    ("Further education & T Levels", "College courses, T Levels and sixth form"),
    ("Apprenticeships", "A real job with training, and a wage"),
    ("Higher education", "University and degree-level courses"),
    ("Careers", "Jobs, pay and how to get in"),
    ("Open days & events", "Visit colleges, unis and employers"),
    ("What can I do with the subjects I like?", ""),
    ("Search everything", "Type what you are looking for"),
    ("Help", "Talk to an adviser, or call for free"),
]
ROUTES = {"fe": "Further education", "tlevel": "T Level", "he": "Higher education",
          "apprenticeship": "Apprenticeship"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# [SECTION] Inputs: the catalogue and the static page ---------------------------------

def ensure_catalogue(cli, path, size):
    if os.path.exists(path):
        return
    log(f"generating a {size:,}-opportunity catalogue at {path} (once; about a minute)")
    subprocess.run([cli, "--catalogue", path, "generate", "--opportunities", str(size)],
                   check=True, stdout=subprocess.DEVNULL)


def write_page(cli, catalogue, query, limit, out):
    rows = subprocess.run(
        [cli, "--catalogue", catalogue, "search", query, "--limit", str(limit), "--json",
         "--seed", "1"], check=True, capture_output=True, text=True).stdout.splitlines()
    items = [json.loads(r) for r in rows if r.strip()]
    e = html.escape
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8><title>Signpost</title>",
        "<style>body{font:18px 'DejaVu Sans',sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}"
        "header{background:#1f3a5f;color:#fff;padding:12px 16px;font-size:24px;font-weight:bold}"
        ".tiles{display:grid;grid-template-columns:1fr 1fr;gap:12px;padding:12px}"
        ".tile{background:#fff;border-radius:10px;padding:14px;border-left:10px solid #2d6cdf}"
        ".tile b{display:block;font-size:20px}.tile span{color:#555}"
        "ol{list-style:none;padding:0 12px;margin:0}"
        "li{background:#fff;border-radius:8px;margin:8px 0;padding:10px 14px}"
        "li b{display:block}li span{color:#555;font-size:15px}</style>",
        "<header>What could you do next?</header><section class=tiles>",
    ]
    for title, sub in TILES:
        parts.append(f"<div class=tile><b>{e(title)}</b><span>{e(sub)}</span></div>")
    parts.append(f"</section><h2 style='padding:0 12px'>{len(items):,} results for "
                 f"&ldquo;{e(query)}&rdquo;</h2><ol>")
    for it in items:
        bits = [ROUTES.get(it.get("route", ""), it.get("route", ""))]
        if it.get("level", -1) >= 0:
            bits.append(f"Level {it['level']}")
        if it.get("town"):
            bits.append(it["town"])
        if "distance_km" in it:
            bits.append(f"{it['distance_km'] * 0.621371:.0f} miles away")
        if it.get("start"):
            bits.append(f"starts {it['start']}")
        parts.append(f"<li><b>{e(it['title'])}</b><span>{e(it.get('provider', ''))} &middot; "
                     f"{e(' · '.join(bits))}</span></li>")
    parts.append("</ol></html>\n")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(parts))
    return len(items)


# [SECTION] Measuring processes -----------------------------------------------------

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_run(argv, env=None):
    """Wall and CPU seconds of a program run to completion (its whole tree:
    the CPU of every descendant it waited for is in RUSAGE_CHILDREN)."""
    cpu0, t0 = children_cpu(), time.monotonic()
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, cpu = time.monotonic() - t0, children_cpu() - cpu0
    if p.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {p.returncode}: {p.stderr[-500:]}")
    return wall, cpu


def tree(pid):
    """pid and all its descendants (from /proc/*/stat)."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    s = f.read()
                parent[int(d)] = int(s[s.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c, pp in parent.items() if pp == p)
    return out


def pss_kb(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_ns(pids):
    """CPU time of every thread of these processes (schedstat: ns on a CPU)."""
    total = 0
    for p in pids:
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
        except OSError:
            pass
    return total


class Xvfb:
    def __init__(self):
        r, w = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
             "-nolisten", "tcp", "-noreset"], pass_fds=[w], stderr=subprocess.DEVNULL)
        os.close(w)
        number = b""
        deadline = time.monotonic() + 10
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(r, 16)
            if not chunk:
                break
            number += chunk
        os.close(r)
        if not number.endswith(b"\n"):
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.display = ":" + number.decode().strip()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def windowed(argv, settle_s, idle_s, wait_exit=False):
    """Starts argv on a fresh Xvfb, waits settle_s for its first screen, then
    reads PSS of its tree and the CPU of the tree and of the X server over
    idle_s untouched; then stops it (or, wait_exit, lets it end by itself).
    Returns (pss_kb, cpu_pct, xserver_cpu_pct, stdout)."""
    x = Xvfb()
    try:
        env = dict(os.environ, DISPLAY=x.display)
        env.pop("SDL_VIDEODRIVER", None)
        env.pop("WAYLAND_DISPLAY", None)
        p = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, start_new_session=True)
        time.sleep(settle_s)
        if p.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited early ({p.returncode})")
        pids = tree(p.pid)
        pss = pss_kb(pids)
        c0, x0, t0 = cpu_ns(tree(p.pid)), cpu_ns([x.proc.pid]), time.monotonic()
        time.sleep(idle_s)
        c1, x1, t1 = cpu_ns(tree(p.pid)), cpu_ns([x.proc.pid]), time.monotonic()
        elapsed = t1 - t0
        if not wait_exit:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            out, _ = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, _ = p.communicate()
        return (pss, 100 * (c1 - c0) / 1e9 / elapsed, 100 * (x1 - x0) / 1e9 / elapsed, out)
    finally:
        x.stop()


# [SECTION] The comparison ----------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--catalogue", default=os.environ.get("SIGNPOST_BENCH_DB",
                                                          "/tmp/signpost-bench-250k.db"))
    ap.add_argument("--opportunities", type=int, default=250000)
    ap.add_argument("--query", default="engineer")
    ap.add_argument("--results", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--idle-seconds", type=float, default=60)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    a = ap.parse_args()

    kiosk = os.path.join(a.build, "kiosk", "signpost-kiosk")
    cli = os.path.join(a.build, "catalogue", "signpost-catalogue")
    for exe in (kiosk, cli):
        if not os.access(exe, os.X_OK):
            sys.exit(f"compare.py: {exe} is missing: cmake --preset bench && "
                     "cmake --build --preset bench --target signpost-kiosk signpost-catalogue")
    for tool in ("Xvfb", a.chromium):
        if not shutil.which(tool):
            sys.exit(f"compare.py: {tool} is missing: deploy/install-deps.sh")

    ensure_catalogue(cli, a.catalogue, a.opportunities)
    work = tempfile.mkdtemp(prefix="signpost-chromium-")
    page = os.path.join(work, "catalogue.html")
    n = write_page(cli, a.catalogue, a.query, a.results, page)
    log(f"static page: the home tiles + {n:,} results for '{a.query}', "
        f"{os.path.getsize(page) / 1e6:.1f} MB ({page})")
    script = os.path.join(work, "search.txt")
    with open(script, "w") as f:
        f.write(f"screen search\ntype {a.query}\nscreenshot {work}/kiosk-search.png\n")
    shot = os.path.join(work, "shot.png")
    url = "file://" + page

    def chromium_argv(headless, profile):
        argv = [a.chromium] + CHROMIUM_FLAGS + [f"--user-data-dir={profile}",
                                                 f"--window-size={WIDTH},{HEIGHT}"]
        if headless:
            return argv + ["--headless", f"--screenshot={shot}", url]
        return argv + ["--kiosk", url]

    def fresh_profile():
        return tempfile.mkdtemp(prefix="profile-", dir=work)

    kiosk_common = [kiosk, "--catalogue", a.catalogue, "--usage", "none",
                    "--size", f"{WIDTH}x{HEIGHT}"]
    results = {k: [] for k in ("kiosk_wall", "kiosk_cpu", "kiosk_search_wall", "kiosk_search_cpu",
                               "chrome_wall", "chrome_cpu")}
    log(f"start-to-first-screen, headless, {a.reps} x A B A B")
    for i in range(a.reps):
        w, c = timed_run(kiosk_common + ["--headless", "--screen", "home", "--screenshot", shot])
        results["kiosk_wall"].append(w)
        results["kiosk_cpu"].append(c)
        w, c = timed_run(chromium_argv(True, fresh_profile()))
        results["chrome_wall"].append(w)
        results["chrome_cpu"].append(c)
        w, c = timed_run(kiosk_common + ["--headless", "--script", script])
        results["kiosk_search_wall"].append(w)
        results["kiosk_search_cpu"].append(c)
        log(f"  run {i + 1}: kiosk {results['kiosk_wall'][-1] * 1e3:.0f} ms, "
            f"chromium {results['chrome_wall'][-1] * 1e3:.0f} ms")

    idle = {k: [] for k in ("kiosk_pss", "kiosk_cpu", "kiosk_x", "kiosk_frames", "attract_cpu",
                            "attract_x", "attract_frames", "chrome_pss", "chrome_cpu", "chrome_x")}
    idle_reps = max(1, min(a.reps, 2))
    # The kiosk ends by itself a few seconds after the measurement and says
    # how many frames it drew (--run-for); chromium is stopped.
    run_for = f"{a.idle_seconds + 4:.0f}"
    log(f"memory and {a.idle_seconds:.0f} s untouched under Xvfb, {idle_reps} x A B A B")

    def frames_of(out):
        for line in out.splitlines():
            if "frames drawn" in line:
                return line.strip()
        return "(no report)"

    for i in range(idle_reps):
        pss, cpu, xcpu, out = windowed(
            kiosk_common + ["--screen", "home", "--idle-timeout", "600", "--run-for", run_for],
            3, a.idle_seconds, wait_exit=True)
        idle["kiosk_pss"].append(pss)
        idle["kiosk_cpu"].append(cpu)
        idle["kiosk_x"].append(xcpu)
        idle["kiosk_frames"].append(frames_of(out))
        pss, cpu, xcpu, out = windowed(chromium_argv(False, fresh_profile()), 10, a.idle_seconds)
        idle["chrome_pss"].append(pss)
        idle["chrome_cpu"].append(cpu)
        idle["chrome_x"].append(xcpu)
        _, cpu, xcpu, out = windowed(
            kiosk_common + ["--screen", "attract", "--run-for", run_for], 3, a.idle_seconds,
            wait_exit=True)
        idle["attract_cpu"].append(cpu)
        idle["attract_x"].append(xcpu)
        idle["attract_frames"].append(frames_of(out))
        log(f"  run {i + 1}: kiosk Home {idle['kiosk_cpu'][-1]:.3f}% "
            f"(PSS {idle['kiosk_pss'][-1] / 1024:.0f} MB), attract {idle['attract_cpu'][-1]:.3f}%, "
            f"chromium {idle['chrome_cpu'][-1]:.3f}% (PSS {idle['chrome_pss'][-1] / 1024:.0f} MB)")

    med = statistics.median
    print(f"\nSignpost kiosk (A) vs Chromium {chromium_version(a.chromium)} (B), "
          f"{WIDTH}x{HEIGHT}, catalogue {a.catalogue}")
    print(f"static page: home tiles + {n:,} results for '{a.query}'\n")
    print("| what | kiosk (A) | chromium (B) | B / A |")
    print("| --- | --- | --- | --- |")

    def row(label, ka, cb, unit, scale=1.0, fmt="{:.0f}"):
        ka_s = ", ".join(fmt.format(v * scale) for v in ka)
        cb_s = ", ".join(fmt.format(v * scale) for v in cb)
        ratio = med(cb) / med(ka) if med(ka) > 0 else float("inf")
        print(f"| {label} | {fmt.format(med(ka) * scale)} {unit} ({ka_s}) | "
              f"{fmt.format(med(cb) * scale)} {unit} ({cb_s}) | {ratio:.1f}x |")

    row("start to first screen, wall (headless)", results["kiosk_wall"], results["chrome_wall"],
        "ms", 1e3)
    row("start to first screen, CPU (headless)", results["kiosk_cpu"], results["chrome_cpu"],
        "ms", 1e3)
    row(f"kiosk to results for '{a.query}' vs the page, wall", results["kiosk_search_wall"],
        results["chrome_wall"], "ms", 1e3)
    row(f"kiosk to results for '{a.query}' vs the page, CPU", results["kiosk_search_cpu"],
        results["chrome_cpu"], "ms", 1e3)
    row("PSS, process tree (windowed, Xvfb)", idle["kiosk_pss"], idle["chrome_pss"], "MB",
        1 / 1024)
    row(f"CPU over {a.idle_seconds:.0f} s untouched: kiosk Home", idle["kiosk_cpu"],
        idle["chrome_cpu"], "%", 1, "{:.3f}")
    row(f"... and the X server meanwhile", idle["kiosk_x"], idle["chrome_x"], "%", 1, "{:.3f}")
    row(f"CPU over {a.idle_seconds:.0f} s: kiosk attract loop", idle["attract_cpu"],
        idle["chrome_cpu"], "%", 1, "{:.3f}")
    row(f"... and the X server meanwhile", idle["attract_x"], idle["chrome_x"], "%", 1, "{:.3f}")
    for f in idle["kiosk_frames"]:
        print(f"\nkiosk Home: {f}")
    for f in idle["attract_frames"]:
        print(f"kiosk attract loop: {f}")
    shutil.rmtree(work, ignore_errors=True)


def chromium_version(exe):
    try:
        return subprocess.run([exe, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.split()[1]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


if __name__ == "__main__":
    main()
