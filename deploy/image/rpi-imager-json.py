#!/usr/bin/env python3
"""Writes a Raspberry Pi Imager custom repository (JSON) listing one image.

Raspberry Pi Imager opens it with "Use custom" -> the JSON file, or
`rpi-imager --repo URL-or-file`. The image's url is --base-url + the .img.xz
file name (default: the bare file name, for a repository served from the
same folder as the image). Imager checks extract_sha256 after writing.

Used by deploy/image/build-image.sh; standard library only.
"""
import argparse
import datetime
import hashlib
import json
import os
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--image", required=True, help="the raw .img")
    p.add_argument("--xz", required=True, help="the compressed .img.xz")
    p.add_argument("--board", required=True, choices=["x86", "rpi4"])
    p.add_argument("--version", required=True)
    p.add_argument("--base-url", default="", help="where the .img.xz will be served")
    a = p.parse_args()
    names = {"x86": "x86-64 PC (UEFI)", "rpi4": "Raspberry Pi 4"}
    entry = {
        "name": "Signpost careers kiosk %s (%s)" % (a.version, names[a.board]),
        "description": "Offline careers kiosk: read-only system, set up by editing "
        "signpost.toml on the card's SIGNPOST drive before first boot.",
        "url": a.base_url + os.path.basename(a.xz),
        "extract_size": os.path.getsize(a.image),
        "extract_sha256": sha256(a.image),
        "image_download_size": os.path.getsize(a.xz),
        "image_download_sha256": sha256(a.xz),
        "release_date": datetime.date.today().isoformat(),
        # Imager's own OS customisation (user, Wi-Fi, SSH) does not apply:
        # the kiosk is set up from signpost.toml instead.
        "devices": ["pi4-64bit"] if a.board == "rpi4" else [],
    }
    json.dump({"os_list": [entry]}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
