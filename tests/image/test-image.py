#!/usr/bin/python3
"""Boot tests of the x86-64 Signpost image under QEMU (TCG + OVMF), as CI runs them.

  sudo tests/image/test-image.py --image-dir build/image [--cuts N]

One image (built once by deploy/image/build-image.sh --keep-raw), copied
fresh for each scenario:

  1. first boot: power-on to the kiosk's first frame (its unit is
     Type=notify, READY=1 after the first frame) on the real display path
     (SDL KMS/DRM on virtio-gpu); the attract loop touched through the
     virtio tablet, then a screendump compared with the home screen
     the same kiosk renders headless; the system mounted read-only, the data
     partition grown to fill the "card", logs in RAM, /tmp in RAM, the
     settings from signpost.toml applied
  2. power cut during a sync (--cuts times, at random points): the system
     partition byte-identical, the data partition clean after its journal
     replays, PRAGMA integrity_check ok, the catalogue the old or the new
     one (never a mix), and the next boot shows the home screen
  3. power cut during first-boot setup (growing the data partition,
     applying signpost.toml): the next boot completes; after the first
     one, signpost-doctor over the serial console exits 0 (sample catalogue)
  4. a broken signpost.toml: the screen (text console, read glyph by glyph
     with the console font) says what is wrong and on which line; the kiosk
     is not started; the journal has the same words

Prints `N passed, N failed`; exit 1 if any failed. Needs root only for
nothing (files are images, no loop devices); qemu-system-x86, ovmf,
mtools, e2fsprogs, sqlite3, python3-pil.
"""
import argparse
import glob
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_vm as q  # noqa: E402

passed = failed = 0
failures = []


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("  ok    %s" % what)
    else:
        failed += 1
        failures.append(what)
        print("  FAIL  %s%s" % (what, (": " + detail) if detail else ""))
    sys.stdout.flush()
    return ok


GOOD_TOML = """\
# signpost.toml for the QEMU tests
[kiosk]
site_name = "QEMU Test Academy"
postcode = "KH1 2AB"
languages = ["en", "cy"]

[kiosk.display]
rotation = 0

[wifi]
ssid = ""
password = ""
country = "GB"

[sync]
interval_minutes = 10080
jitter_minutes = 0

[[feed]]
name = "events"
kind = "icalendar"
url = "http://10.0.2.100/events.ics"

[image]
hostname = "qemu-kiosk"
sample_catalogue = true
metrics = false
"""

# Sample catalogue only (no feed): what signpost-doctor checks (it counts opportunities).
SAMPLE_TOML = GOOD_TOML[:GOOD_TOML.index("[[feed]]")] + GOOD_TOML[GOOD_TOML.index("[image]"):]

BAD_LINE = 4  # the postcode line in GOOD_TOML
BAD_TOML = GOOD_TOML.replace('postcode = "KH1 2AB"', 'postcode = "KH1 2AB 9ZZ"')


def ics(prefix, n):
    """An iCalendar feed of n events titled PREFIX event i."""
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Signpost tests//EN"]
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        out += ["BEGIN:VEVENT", "UID:%s-%d@signpost.test" % (prefix, i),
                "DTSTAMP:20260101T000000Z",
                "DTSTART:2027%02d%02dT100000Z" % (month, day),
                "DTEND:2027%02d%02dT120000Z" % (month, day),
                "SUMMARY:%s event %d: open day" % (prefix, i),
                "LOCATION:Kirkhaven College\\, Moor Lane\\, KH1 4QT",
                "DESCRIPTION:" + ("Come and see the workshops and meet the tutors. " * 4),
                "END:VEVENT"]
    out.append("END:VCALENDAR")
    return "\r\n".join(out) + "\r\n"


class Run:
    def __init__(self, args):
        self.args = args
        raws = sorted(glob.glob(os.path.join(args.image_dir, "signpost-x86-*.img")))
        if not raws:
            sys.exit("no signpost-x86-*.img in %s: build with deploy/image/build-image.sh --keep-raw" % args.image_dir)
        self.raw = raws[-1]
        self.info = self.raw[:-4] + ".build-info"
        self.work = q.tmpdir("run-")
        self.feeds = os.path.join(self.work, "feeds")
        os.makedirs(self.feeds)
        self.server = q.FeedServer(self.feeds)
        self.n_old, self.n_new = args.old_events, args.new_events
        self.serve("Old", self.n_old)
        self.font = None
        self.sys_sha = None
        self.boot_times = []
        self.all_boots = []  # power-on to the kiosk's first frame (or setup failing), every boot
        self.home_times = []
        self.outcomes = {"old": 0, "new": 0, "mix or lost": 0}
        self.cuts = []

    def serve(self, prefix, n):
        tmp = os.path.join(self.feeds, "events.ics.tmp")
        with open(tmp, "w") as f:
            f.write(ics(prefix, n))
        os.replace(tmp, os.path.join(self.feeds, "events.ics"))

    def fresh(self, name, toml=GOOD_TOML):
        d = os.path.join(self.work, name)
        os.makedirs(d)
        img = q.Image(self.raw, self.info, d)
        img.fat_put("signpost.toml", toml.replace("\n", "\r\n"))  # as Notepad saves it
        img.fat_put("EFI/signpost/extra.cfg", 'set extra_cmdline="signpost.serial_shell=1"\n')
        if self.sys_sha is None:
            self.sys_sha = img.part_sha256(2)
        return img

    def boot(self, img, name, timeout=900):
        vm = q.VM(img, img.workdir, name=name, http_port=self.server.port)
        m = vm.wait_for(r"SIGNPOST-BOOTED kiosk=(\S+) setup=(\S+) uptime=([\d.]+)", timeout)
        self.all_boots.append(vm.elapsed())
        return vm, m

    # ------------------------------------------------------------------------------
    def first_boot(self):
        print("== 1. first boot")
        img = self.fresh("first")
        data_before = img.part_size(4)
        vm, m = self.boot(img, "first")
        t = vm.elapsed()
        self.boot_times.append(t)
        check(m.group(1) == "active", "the kiosk is running after the first boot (%s)" % m.group(1))
        print("        power-on to first frame: %.1f s (guest uptime %s s)" % (t, m.group(3)))
        shot, t_home = self.wait_screen(vm, os.path.join(img.workdir, "first-home.png"))
        print("        power-on to the first screen drawn (the attract loop): %.1f s" % t_home)
        self.home_times.append(t_home)
        vm.shell_ready()
        self.check_home(vm, shot, "first boot")
        rc, out = vm.run("findmnt -n -o OPTIONS /")
        check(out.split(",")[0] == "ro", "the system is mounted read-only", out)
        rc, out = vm.run("findmnt -n -o FSTYPE,OPTIONS /var/lib/signpost")
        check(out.split()[:1] == ["ext4"] and out.split()[1].startswith("rw,"), "the data partition is mounted at /var/lib/signpost (ext4, rw)", out)
        rc, out = vm.run("lsblk -b -n -o SIZE /dev/vda4")
        check(rc == 0 and int(out.split()[0]) > data_before + 900 * 1024 * 1024,
              "the data partition grew to fill the card", "%s -> %s" % (data_before, out))
        rc, out = vm.run("df -B1M --output=size /var/lib/signpost | tail -n1")
        check(rc == 0 and int(out.split()[0]) > 900, "its file system grew too", out + " MB")
        rc, out = vm.run("findmnt -n -o FSTYPE /tmp; test -d /run/log/journal && ! test -d /var/log/journal && echo volatile")
        check(out.split() == ["tmpfs", "volatile"], "/tmp in RAM, the journal in RAM", out)
        rc, out = vm.run("hostname; grep -c . /etc/signpost/kiosk.toml; grep -E '^(site_name|postcode)' /etc/signpost/kiosk.toml")
        check("qemu-kiosk" in out and 'site_name = "QEMU Test Academy"' in out and 'postcode = "KH1 2AB"' in out,
              "signpost.toml applied (hostname, site, postcode in /etc/signpost/kiosk.toml)", out)
        rc, out = vm.run("grep -c password /etc/signpost/kiosk.toml")
        check(out.strip() == "0", "no [wifi] lines copied into kiosk.toml", out)
        rc, out = vm.run("systemctl --failed --no-legend --plain | grep -v '^$' || true")
        check(out.strip() == "", "no failed units", out)
        # The first sync (the daemon syncs when it starts) brought the old feed.
        self.wait_events(vm, self.n_old, "Old")
        vm.shutdown()
        check(img.part_sha256(2) == self.sys_sha, "the system partition is byte-identical after a boot and a sync")
        return img

    def wait_screen(self, vm, path, timeout=240):
        """Screendumps until the kiosk has drawn its screen (its first frame
        may be only the background while the catalogue loads)."""
        deadline = time.monotonic() + timeout
        while True:
            vm.screendump(path)
            dark, colours = q.screen_stats(path)
            if (dark < 0.5 and colours > 50) or time.monotonic() > deadline:
                return path, vm.elapsed()
            time.sleep(2)

    def wait_events(self, vm, n, prefix, timeout=600):
        deadline = time.monotonic() + timeout
        got = {}
        while time.monotonic() < deadline:
            got = self.count_events(vm)
            if got.get(prefix[:3]) == n:
                break
            time.sleep(5)
        return check(got == {prefix[:3]: n}, "the sync imported the %s feed (%d events)" % (prefix.lower(), n), str(got))

    def check_home(self, vm, shot, when):
        dark, colours = q.screen_stats(shot)
        check(dark < 0.5 and colours > 50, "%s: the screen is not black or a text console" % when,
              "%.0f%% dark, %d colours" % (dark * 100, colours))
        # The same kiosk, same config and catalogue, rendered headless in the guest.
        ref_guest = "/var/lib/signpost/reference-home.png"
        rc, out = vm.run("runuser -u signpost -- signpost-kiosk --config /etc/signpost/kiosk.toml "
                         "--headless --usage none --size 800x480 --screen home --screenshot %s" % ref_guest,
                         timeout=300)
        if not check(rc == 0, "%s: a headless reference of the home screen" % when, out[-300:]):
            return
        rc, b64 = vm.run("base64 -w0 %s; rm -f %s" % (ref_guest, ref_guest), timeout=300)
        ref = shot.replace(".png", "-reference.png")
        import base64
        with open(ref, "wb") as f:
            f.write(base64.b64decode(b64.strip()))
        # An untouched kiosk shows its attract loop ("Touch the screen to
        # start"): touch it, as a visitor would, and wait for Home.
        vm.tap(400, 200)
        deadline = time.monotonic() + 60
        while True:
            sim, why = q.compare_screens(vm.screendump(shot), ref)
            if sim >= 0.90 or time.monotonic() > deadline:
                break
            time.sleep(2)
        check(sim >= 0.90, "%s: a touch leaves the attract loop and the screen shows the home screen "
              "(%.1f%% of pixels match the headless render)" % (when, sim * 100), why)

    # ------------------------------------------------------------------------------
    def sync_cut(self, img, i, rng, when):
        """Boots img, starts a sync of a different feed, cuts the power at `when` s."""
        print("== 2.%d power cut %.1f s into a sync" % (i, when))
        self.cuts.append(("sync", when))
        vm, m = self.boot(img, "sync%d-a" % i)
        vm.shell_ready()
        before = self.count_events(vm)
        prefix, n = ("New", self.n_new) if before.get("Old") else ("Old", self.n_old)
        self.serve(prefix, n)
        vm.run("touch /var/lib/signpost/sync-now && chown signpost:signpost /var/lib/signpost/sync-now")
        t0 = time.monotonic()
        while time.monotonic() - t0 < when:
            time.sleep(0.05)
        vm.power_cut()
        self.after_cut(img, "sync%d" % i, before, prefix)

    def count_events(self, vm):
        rc, out = vm.run("sqlite3 -readonly /var/lib/signpost/catalogue.db "
                         "\"SELECT substr(title,1,3), count(*) FROM event WHERE feed = 'events' GROUP BY 1\" 2>&1 || true")
        got = {}
        for line in out.splitlines():
            k, _, v = line.partition("|")
            if v.isdigit():
                got[k] = int(v)
        return got

    def after_cut(self, img, name, before, prefix):
        check(img.part_sha256(2) == self.sys_sha, "%s: the system partition is byte-identical" % name)
        data = img.extract_part(4, os.path.join(img.workdir, "data.ext4"))
        r = subprocess.run(["e2fsck", "-E", "journal_only", "-y", data], capture_output=True, text=True)
        r = subprocess.run(["e2fsck", "-f", "-n", data], capture_output=True, text=True)
        check(r.returncode == 0, "%s: the data partition is clean once its journal replays" % name,
              (r.stdout + r.stderr)[-400:])
        dump = os.path.join(img.workdir, "dump")
        shutil.rmtree(dump, ignore_errors=True)
        os.makedirs(dump)
        for f in ("catalogue.db", "catalogue.db-wal"):
            q.debugfs(data, "dump /%s %s/%s" % (f, dump, f))
        db = os.path.join(dump, "catalogue.db")
        if os.path.exists(db) and os.path.getsize(db) > 0:
            r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, text=True)
            check(r.stdout.strip() == "ok", "%s: PRAGMA integrity_check ok" % name, r.stdout[-300:] + r.stderr)
            r = subprocess.run(["sqlite3", db, "SELECT substr(title,1,3), count(*) FROM event WHERE feed = 'events' GROUP BY 1"],
                               capture_output=True, text=True)
            got = {}
            for line in r.stdout.splitlines():
                k, _, v = line.partition("|")
                got[k] = int(v)
            old_ok = got == before
            new_ok = got == {prefix[:3]: self.n_new if prefix == "New" else self.n_old}
            self.outcomes["new" if new_ok and not old_ok else "old" if old_ok else "mix or lost"] += 1
            check(old_ok or new_ok, "%s: the catalogue is the old one or the new one, never a mix (%s)" % (
                name, "new" if new_ok and not old_ok else "old"), "before %s, after %s" % (before, got))
        else:
            check(False, "%s: the catalogue survived" % name)
        os.unlink(data)
        vm, m = self.boot(img, name + "-b")
        check(m.group(1) == "active", "%s: the next boot starts the kiosk" % name, m.group(0))
        shot, _ = self.wait_screen(vm, os.path.join(img.workdir, name + "-after.png"))
        dark, colours = q.screen_stats(shot)
        check(dark < 0.5 and colours > 50, "%s: the next boot shows the kiosk, not a black screen" % name)
        vm.shell_ready()
        rc, out = vm.run("sqlite3 -readonly /var/lib/signpost/catalogue.db 'PRAGMA integrity_check'")
        check(out.strip() == "ok", "%s: integrity_check ok in the kiosk after the boot" % name, out)
        vm.shutdown()

    # ------------------------------------------------------------------------------
    def first_boot_cut(self, i, when):
        print("== 3.%d power cut %.1f s into the first boot" % (i, when))
        self.cuts.append(("first boot", when))
        img = self.fresh("firstcut%d" % i, SAMPLE_TOML)
        vm = q.VM(img, img.workdir, name="firstcut%d-a" % i, http_port=self.server.port)
        while vm.elapsed() < when and vm.alive():
            time.sleep(0.05)
        vm.power_cut()
        check(img.part_sha256(2) == self.sys_sha, "first boot cut %d: the system partition is byte-identical" % i)
        vm, m = self.boot(img, "firstcut%d-b" % i)
        check(m.group(1) == "active", "first boot cut %d: the next boot starts the kiosk" % i, m.group(0))
        vm.shell_ready()
        rc, out = vm.run("df -B1M --output=size /var/lib/signpost | tail -n1; systemctl is-active signpost-grow-data")
        check(rc == 0 and int(out.split()[0]) > 900 and out.split()[1] == "active",
              "first boot cut %d: the data partition grew after all" % i, out)
        if i == 1:
            # On the sample catalogue: signpost-doctor counts opportunities,
            # and the test's one feed is events only.
            rc, out = vm.run("signpost-doctor", timeout=300)
            print("\n".join("        | " + l for l in out.splitlines()))
            check(rc == 0, "signpost-doctor over the serial console exits 0", "exit %d" % rc)
        vm.shutdown()
        data = img.extract_part(4, os.path.join(img.workdir, "data.ext4"))
        r = subprocess.run(["e2fsck", "-f", "-n", data], capture_output=True, text=True)
        check(r.returncode == 0, "first boot cut %d: the data partition is clean" % i, r.stdout[-300:])
        os.unlink(data)

    # ------------------------------------------------------------------------------
    def bad_config(self):
        print("== 4. a broken signpost.toml")
        img = self.fresh("badconfig", BAD_TOML)
        vm, m = self.boot(img, "badconfig")
        check(m.group(1) != "active", "the kiosk does not start on a broken signpost.toml", m.group(0))
        check(m.group(2) == "failed", "signpost-image-setup reports the failure", m.group(0))
        time.sleep(2)
        shot = vm.screendump(os.path.join(img.workdir, "bad-config.png"))
        vm.shell_ready()
        rc, font = vm.run("base64 -w0 /usr/share/consolefonts/Uni2-TerminusBold32x16.psf.gz")
        fontfile = os.path.join(img.workdir, "font.psf.gz")
        import base64
        with open(fontfile, "wb") as f:
            f.write(base64.b64decode(font.strip()))
        lines = q.read_console(shot, q.load_psf(fontfile))
        screen = "\n".join(l for l in lines if l.strip())
        print("\n".join("        screen| " + l for l in screen.splitlines()))
        flat = " ".join(screen.split())
        check("signpost.toml has a mistake" in flat, "the screen says signpost.toml has a mistake")
        check(("line %d" % BAD_LINE) in flat and "postcode" in flat,
              "the screen names the line (%d) and the field (postcode)" % BAD_LINE)
        check("KH1 2AB 9ZZ" in flat, "the screen quotes the wrong value")
        check("SD card" in flat, "the screen says where to fix it (the SD card)")
        rc, out = vm.run("journalctl -b -u signpost-image-setup -o cat | grep -i 'error: line %d'" % BAD_LINE)
        check(rc == 0 and "postcode" in out, "the journal has the same words", out)
        vm.shutdown()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image-dir", required=True)
    p.add_argument("--cuts", type=int, default=1, help="power cuts during a sync")
    p.add_argument("--first-boot-cuts", type=int, default=1)
    p.add_argument("--old-events", type=int, default=300)
    p.add_argument("--new-events", type=int, default=3000)
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--only", default="", help="comma list: first,sync,firstcut,bad")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args()
    rng = random.Random(args.seed)
    print("seed %d (rerun the same cut points with --seed %d)" % (args.seed, args.seed))
    run = Run(args)
    only = set(filter(None, args.only.split(",")))
    times = []

    def timed(what, fn, *a):
        t = time.monotonic()
        r = fn(*a)
        times.append((what, time.monotonic() - t))
        print("        (%s: %.0f s)" % (what, times[-1][1]))
        return r

    try:
        img = None
        if not only or "first" in only or "sync" in only:
            img = timed("first boot", run.first_boot)
        if not only or "sync" in only:
            for i in range(args.cuts):
                # A full sync of the new feed takes some seconds under TCG:
                # cut anywhere from just after the request to well past it.
                timed("sync cut %d" % (i + 1), run.sync_cut, img, i + 1, rng, rng.uniform(1.0, 25.0))
        if not only or "firstcut" in only:
            for i in range(args.first_boot_cuts):
                timed("first-boot cut %d" % (i + 1), run.first_boot_cut, i + 1, rng.uniform(8.0, 60.0))
        if not only or "bad" in only:
            timed("broken signpost.toml", run.bad_config)
    except Exception as e:  # a hang or a crash is a failure, with the logs kept
        check(False, "the test ran to the end", repr(e))
        args.keep = True
    finally:
        run.server.stop()
    if times:
        print("scenario times: %s" % ", ".join("%s %.0f s" % t for t in times))
    if run.boot_times:
        print("power-on to first frame (x86-64, TCG, 2 vCPUs): %s s" % ", ".join("%.1f" % t for t in run.boot_times))
        print("power-on to the first screen drawn (the attract loop): %s s" % ", ".join("%.1f" % t for t in run.home_times))
    if run.all_boots:
        print("power-on to SIGNPOST-BOOTED, every boot (%d): min %.0f s, median %.0f s, max %.0f s" % (
            len(run.all_boots), min(run.all_boots), sorted(run.all_boots)[len(run.all_boots) // 2], max(run.all_boots)))
    if run.cuts:
        print("power cuts: %d (%s); after a sync cut the catalogue was: %s" % (
            len(run.cuts), ", ".join("%s at %.1fs" % c for c in run.cuts),
            ", ".join("%s %d" % kv for kv in run.outcomes.items())))
    if args.keep or failed:
        print("work folder kept: %s" % run.work)
    else:
        shutil.rmtree(run.work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
