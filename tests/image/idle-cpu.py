#!/usr/bin/python3
"""The kiosk's idle cost in the image, on KMS/DRM (virtio-gpu) under QEMU.

Boots a fresh copy of the x86-64 image (sample catalogue, no feeds), waits for
the attract loop, then reads signpost-kiosk's CPU ticks and context switches
from /proc over serial: on the attract loop, and on Home after a touch
(twice; the session's idle timeout, 90 s, ends the second window on the
attract loop). The kiosk sleeps in poll(2) between frames on KMS/DRM
(platform.cpp); a kiosk that polled for input every 10 ms would show at
least 100 context switches a second here.

Under TCG every instruction is emulated and llvmpipe draws in software, so
the CPU shares are far above a real Pi's or PC's; the context switches are
not. A script for docs/flash-and-go.md, not a CI test:

    /usr/bin/python3 tests/image/idle-cpu.py --image-dir /work/image-out [--seconds 60]
"""
import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402


spec = importlib.util.spec_from_file_location(
    "test_image", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-image.py"))
ti = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ti)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image-dir", required=True)
    p.add_argument("--seconds", type=int, default=60, help="length of each window")
    args = p.parse_args()
    args.old_events, args.new_events = 5, 5
    run = ti.Run(args)
    img = run.fresh("idle", ti.SAMPLE_TOML)
    vm, m = run.boot(img, "idle")
    try:
        print("booted: %s after %.1f s" % (m.group(0), vm.elapsed()), flush=True)
        run.wait_screen(vm, os.path.join(img.workdir, "idle-attract.png"))
        vm.shell_ready()

        def sh(command):
            rc, out = vm.run(command, 120)
            if rc != 0:
                sys.exit("failed in the guest: %s\n%s" % (command, out))
            return out.strip()

        print(sh("journalctl -b -u signpost-kiosk --no-pager | grep -iE 'renderer|polling' | tail -3"))
        pid = sh("systemctl show -p MainPID --value signpost-kiosk")
        hz = int(sh("getconf CLK_TCK"))
        probe = ("awk '{print $14+$15}' /proc/%s/stat; "
                 "awk '/^(voluntary|nonvoluntary)_ctxt/ {print $2}' /proc/%s/status" % (pid, pid))

        def sample():
            ticks, vol, nonvol = (int(x) for x in sh(probe).split())
            return ticks, vol + nonvol

        def window(what):
            t0 = time.monotonic()
            c0, s0 = sample()
            time.sleep(args.seconds)
            c1, s1 = sample()
            dt = time.monotonic() - t0
            print("%-26s %5.1f s: %4d ticks = %5.2f%% of an emulated core; %4d context switches (%.1f/s)"
                  % (what, dt, c1 - c0, 100.0 * (c1 - c0) / hz / dt, s1 - s0, (s1 - s0) / dt), flush=True)
            return (s1 - s0) / dt

        rates = [window("attract loop, untouched")]
        vm.tap(400, 200)  # a visitor's touch: the attract loop gives way to Home
        time.sleep(8)
        vm.screendump(os.path.join(img.workdir, "idle-home.png"))
        rates.append(window("home, untouched"))
        rates.append(window("home, then attract again"))
        vm.shutdown()
        ok = max(rates) < 20
        print("%s: at most %.1f context switches a second (a 10 ms input poll would be >= 100)"
              % ("ok" if ok else "FAIL", max(rates)))
        return 0 if ok else 1
    finally:
        vm.close()
        run.server.stop()
        shutil.rmtree(run.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
