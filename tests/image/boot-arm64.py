#!/usr/bin/python3
"""Boots the Raspberry Pi 4 image's userland and kernel under qemu-system-aarch64 -M virt.

  tests/image/boot-arm64.py --image-dir build/image

QEMU cannot emulate a Pi 4's boot firmware, so this does what the firmware
does with the image's boot partition by hand: it takes the kernel, initramfs
and command line from the FAT partition (config.txt's kernel= and initramfs
lines, cmdline.txt) and starts them on QEMU's generic arm64 machine, with
the image as its disk (virtio) and the display on virtio-gpu. Debian's
linux-image-arm64 runs on both. It then waits for the kiosk's first frame
(SIGNPOST-BOOTED on the serial console), takes a screendump and checks the
screen is not black, runs signpost-doctor, and prints power-on to first
frame. Not in CI: the boot takes about a minute, but building the arm64
image runs every package script under qemu-user (45 minutes of CPU on 2
cores; the figures are in docs/flash-and-go.md).
"""
import argparse
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_vm as q  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image-dir", required=True)
    p.add_argument("--timeout", type=int, default=3600)
    a = p.parse_args()
    raws = sorted(glob.glob(os.path.join(a.image_dir, "signpost-rpi4-*.img")))
    if not raws:
        sys.exit("no signpost-rpi4-*.img in %s (build-image.sh --board rpi4 --keep-raw)" % a.image_dir)
    work = q.tmpdir("arm64-")
    img = q.Image(raws[-1], raws[-1][:-4] + ".build-info", work)
    img.fat_put("signpost.toml", "[kiosk]\nsite_name = \"QEMU arm64\"\n[image]\nsample_catalogue = true\n")
    config = img.fat_get("config.txt").decode()
    kernel = re.search(r"^kernel=(\S+)", config, re.M).group(1)
    initrd = re.search(r"^initramfs (\S+)", config, re.M).group(1)
    cmdline = img.fat_get("cmdline.txt").decode().strip()
    for name in (kernel, initrd):
        with open(os.path.join(work, name), "wb") as f:
            f.write(img.fat_get(name))
    # The Pi's serial console is ttyS1/ttyAMA0; virt's is ttyAMA0.
    cmdline = re.sub(r"console=\S+", "", cmdline) + " console=ttyAMA0,115200 console=tty1 signpost.serial_shell=1"
    vm = q.VM(img, work, arch="aarch64", name="arm64", kernel=os.path.join(work, kernel),
              initrd=os.path.join(work, initrd), append=cmdline, mem=2048)
    m = vm.wait_for(r"SIGNPOST-BOOTED kiosk=(\S+) setup=(\S+) uptime=([\d.]+)", a.timeout)
    t = vm.elapsed()
    shot = vm.screendump(os.path.join(work, "arm64-home.png"))
    dark, colours = q.screen_stats(shot)
    vm.shell_ready()
    rc, out = vm.run("uname -m; findmnt -n -o OPTIONS /; signpost-doctor", timeout=900)
    print(out)
    vm.shutdown()
    ok = m.group(1) == "active" and dark < 0.5 and colours > 50
    print("arm64 (qemu-system-aarch64 -M virt, TCG, 2 vCPUs): power-on to first frame %.1f s, kiosk %s, "
          "screen %.0f%% dark / %d colours, doctor exit %d; screendump %s"
          % (t, m.group(1), dark * 100, colours, rc, shot))
    print("%d passed, %d failed" % ((1, 0) if ok and rc == 0 else (0, 1)))
    sys.exit(0 if ok and rc == 0 else 1)


if __name__ == "__main__":
    main()
