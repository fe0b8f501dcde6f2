#!/usr/bin/env bash
# Builds the kiosk, loads the bundled sample catalogue (dates moved to today)
# and starts the kiosk on it, installing missing Debian packages first.
# With a display it opens a window; with none it renders headless and says
# where the screenshot went. Extra arguments go to signpost-kiosk, e.g.
#   scripts/run-kiosk.sh --size 720x1280
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target signpost-kiosk signpost-catalogue

catalogue=build/dev/sample-catalogue.db
build/dev/catalogue/signpost-catalogue --catalogue "${catalogue}" load-sample
# board-config/demo-kiosk.toml: a postcode in the sample's area (distances
# show) and English + Welsh on the language button.
exec build/dev/kiosk/signpost-kiosk --config board-config/demo-kiosk.toml \
  --catalogue "${catalogue}" "$@"
