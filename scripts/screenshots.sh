#!/usr/bin/env bash
# Regenerates the kiosk screenshots in docs/screenshots/ from the headless
# renderer (no display needed): the main screens at 1280x800 and 800x480,
# Home in high contrast at 800x480, and Home, the attract loop and Help on a
# portrait totem (1080x1920). Each size is one kiosk process driven by a
# script of the kiosk's own words (kiosk/README.md), on the bundled sample
# catalogue (dates moved to today) with board-config/demo-kiosk.toml.
#
#   scripts/screenshots.sh              # builds the kiosk (dev preset) first
#   scripts/screenshots.sh --no-build   # uses what build/dev already holds
#   OUT=/tmp/shots scripts/screenshots.sh
#
# About 1-2 minutes on 2 cores once built. Look at every picture afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/dev
out=${OUT:-docs/screenshots}
if [[ ${1:-} != --no-build ]]; then
  [[ -f $build/build.ninja ]] || cmake --preset dev >/dev/null
  cmake --build --preset dev -j "$(nproc)" --target signpost-kiosk signpost-catalogue
fi
kiosk=$build/kiosk/signpost-kiosk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$build/catalogue/signpost-catalogue" --catalogue "$tmp/sample.db" load-sample >/dev/null

# The slides of the attract loop come in a fixed order (welcome, an open
# day, an apprenticeship, local jobs, a former student's story, the
# adviser), 8 s each: "wait 33s" after the first lands on the story.
landscape() {  # size
  local s=$1
  cat <<EOF
screen attract
wait 1s
screenshot $out/attract-$s.png
wait 8s
screenshot $out/attract-coming-up-$s.png
wait 24s
screenshot $out/attract-story-$s.png
screen home
screenshot $out/home-$s.png
tap-label Apprenticeships
expect-screen search
screenshot $out/search-apprenticeships-$s.png
screen home
tap-label Search everything
type engineering
screenshot $out/search-keyboard-$s.png
key return
screenshot $out/search-engineering-$s.png
screen detail
screenshot $out/detail-$s.png
tap-label Add to shortlist
screen career
screenshot $out/career-$s.png
screen events
screenshot $out/events-$s.png
screen subjects
scroll-to Biology
tap-label Biology
screenshot $out/subjects-biology-$s.png
screen shortlist
expect-shortlist 1
screenshot $out/shortlist-$s.png
screen help
screenshot $out/help-$s.png
EOF
}

run() {  # size script
  "$kiosk" --config board-config/demo-kiosk.toml --catalogue "$tmp/sample.db" --headless \
    --size "$1" --script "$2" >/dev/null
}

for size in 1280x800 800x480; do
  landscape "$size" >"$tmp/$size.txt"
  run "$size" "$tmp/$size.txt"
done

cat >"$tmp/contrast.txt" <<EOF
screen home
tap-label High contrast
screenshot $out/home-high-contrast-800x480.png
EOF
run 800x480 "$tmp/contrast.txt"

cat >"$tmp/portrait.txt" <<EOF
screen attract
wait 1s
screenshot $out/attract-1080x1920.png
wait 32s
screenshot $out/attract-story-1080x1920.png
screen home
screenshot $out/home-1080x1920.png
screen help
screenshot $out/help-1080x1920.png
EOF
run 1080x1920 "$tmp/portrait.txt"

ls "$out"/*.png | wc -l | xargs echo "screenshots in $out:"
