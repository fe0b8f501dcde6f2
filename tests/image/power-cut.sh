#!/usr/bin/env bash
# Power-cut soak: at least 20 cuts of the x86-64 image under QEMU, at random
# points during a sync and during first-boot setup, each followed by the
# checks of tests/image/test-image.py (system partition byte-identical, data
# partition clean, PRAGMA integrity_check ok, old or new catalogue, the next
# boot shows the kiosk). Not in CI (about 3 minutes per cut here); the
# figures it prints go in docs/flash-and-go.md.
#
#   sudo tests/image/power-cut.sh [--image-dir build/image] [--sync-cuts 12] [--first-boot-cuts 8] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=build/image sync=12 first=8 seed=$(date +%s)
while (($#)); do
  case $1 in
    --image-dir) dir=$2; shift ;;
    --sync-cuts) sync=$2; shift ;;
    --first-boot-cuts) first=$2; shift ;;
    --seed) seed=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
exec /usr/bin/python3 tests/image/test-image.py --image-dir "$dir" --only sync,firstcut \
  --cuts "$sync" --first-boot-cuts "$first" --seed "$seed"
