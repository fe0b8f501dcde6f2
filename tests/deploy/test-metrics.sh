#!/usr/bin/env bash
# Tests the fleet-health metrics (deploy/metrics/) end to end, with the real
# programs on 127.0.0.1 and nothing faked but the clock:
#   1. content-sync syncs a file:// feed into a real catalogue
#   2. signpost-metrics writes the textfile; promtool checks its syntax
#   3. Debian's prometheus-node-exporter (textfile collector) serves it, and a
#      real Prometheus scrapes it every second: the figures arrive with the
#      right values (records, last success, status ok, catalogue age)
#   4. the feed breaks (file gone): the next figures say result="failed" and
#      keep the old last success
#   5. four days later (SIGNPOST_NOW): the example alert's expression picks
#      this kiosk out; the alert rules pass `promtool test rules`
#   6. a metrics file is never half-written (written beside, then renamed)
#
# Usage: tests/deploy/test-metrics.sh [--bin-dir DIR]   (default $SIGNPOST_BUILD_DIR, or build/release)
# Needs prometheus, prometheus-node-exporter, jq (install-deps.sh --image-tools).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${SIGNPOST_BUILD_DIR:-$repo/build/release}
[[ ${1:-} == --bin-dir ]] && bin=$(cd "$2" && pwd)
for t in prometheus prometheus-node-exporter promtool jq curl; do
  command -v "$t" >/dev/null || {
    echo "$0: $t is missing: deploy/install-deps.sh --image-tools" >&2
    exit 2
  }
done
cs=$bin/content-sync/content-sync
[[ -x $cs ]] || {
  echo "$0: no $cs: build the release preset first" >&2
  exit 2
}

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { local w=$1; shift; if "$@" >/dev/null 2>&1; then ok "$w"; else bad "$w"; fi; }

work=$(mktemp -d /tmp/signpost-metrics-test.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export PATH=$bin/content-sync:$bin/catalogue:$PATH

cp "$repo/tests/content_sync/fixtures/icalendar/events.ics" "$work/events.ics"
cat >"$work/kiosk.toml" <<EOF
[kiosk]
site_name = "Metrics \"Test\" Academy"
[sync]
catalogue = "$work/catalogue.db"
[[feed]]
name = "events"
kind = "icalendar"
url = "file://$work/events.ics"
EOF
export SIGNPOST_CONFIG=$work/kiosk.toml SIGNPOST_SYSTEMD=0
mkdir -p "$work/textfile"
prom=$work/textfile/signpost.prom

echo "== 1. a real sync"
check "content-sync once imports the feed" content-sync --config "$work/kiosk.toml" once
records=$(content-sync --config "$work/kiosk.toml" status --json | jq '.feeds[0].records')
if ((records > 0)); then ok "the catalogue holds $records events"; else bad "no records after the sync"; fi

echo "== 2. the textfile"
sp_metrics() { "$repo/deploy/metrics/signpost-metrics" "$@"; }
sp_metrics "$prom"
check "promtool accepts the metrics" promtool check metrics <"$prom"
check "one line per feed with its record count" grep -qx "signpost_feed_records{feed=\"events\"} $records" "$prom"
check "the site name is escaped in signpost_info" grep -q 'site="Metrics \\"Test\\" Academy"' "$prom"
check "status ok for the feed" grep -qx 'signpost_feed_status{feed="events",result="ok"} 1' "$prom"
age=$(sed -n 's/^signpost_catalogue_age_seconds //p' "$prom")
if [[ $age =~ ^[0-9]+$ ]] && ((age < 120)); then ok "catalogue age ${age}s just after a sync"; else bad "catalogue age '$age'"; fi
check "free space on the data file system" grep -Eq '^signpost_data_free_bytes [1-9][0-9]*$' "$prom"
check_not_tmp() { ! compgen -G "$work/textfile/*.tmp" >/dev/null; }
check "no temporary file left beside it" check_not_tmp

echo "== 3. node exporter + Prometheus on 127.0.0.1"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ne_port=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$work/textfile" >"$work/ne.log" 2>&1 &
pids+=($!)
pr_port=$(free_port)
cp "$repo/deploy/metrics/signpost-alerts.yml" "$work/"
cat >"$work/prometheus.yml" <<EOF
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [signpost-alerts.yml]
scrape_configs:
  - job_name: signpost
    static_configs: [{ targets: ["127.0.0.1:$ne_port"] }]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$pr_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
# query EXPR -> the first sample's value ("" if none)
query() {
  curl -s --max-time 5 "http://127.0.0.1:$pr_port/api/v1/query" --data-urlencode "query=$1" |
    jq -r '.data.result[0].value[1] // ""' 2>/dev/null || true
}
# wait_value EXPR WANT: polls (at most 120 s) until the query returns WANT
wait_value() {
  local i v=""
  for ((i = 0; i < 240; i++)); do
    v=$(query "$1")
    [[ $v == "$2" ]] && return 0
    sleep 0.5
  done
  echo "        $1 = '$v', want '$2'" >&2
  return 1
}
check "Prometheus scrapes the kiosk (up == 1)" wait_value 'up{job="signpost"}' 1
check "Prometheus sees the feed's records" wait_value 'signpost_feed_records{feed="events"}' "$records"
check "Prometheus sees the feed ok" wait_value 'signpost_feed_status{feed="events",result="ok"}' 1
last_ok=$(query 'signpost_feed_last_success_timestamp_seconds{feed="events"}')
now=$(date +%s)
if [[ $last_ok =~ ^[0-9]+$ ]] && ((now - last_ok < 300)); then ok "last success is now ($last_ok)"; else bad "last success '$last_ok'"; fi

echo "== 4. the feed breaks"
rm "$work/events.ics"
content-sync --config "$work/kiosk.toml" once >/dev/null 2>&1 || true
sp_metrics "$prom"
check "Prometheus sees the feed failed" wait_value 'signpost_feed_status{feed="events",result="failed"}' 1
check "the last success is kept" wait_value 'signpost_feed_last_success_timestamp_seconds{feed="events"}' "$last_ok"
check "the records are kept (the old data stays)" wait_value 'signpost_feed_records{feed="events"}' "$records"

echo "== 5. four days on"
SIGNPOST_NOW=$((now + 4 * 86400)) sp_metrics "$prom"
check "the stale-catalogue alert's expression picks this kiosk" \
  wait_value 'count(signpost_catalogue_age_seconds > 3 * 86400)' 1
check "the rule files load in Prometheus" bash -c \
  "curl -s 'http://127.0.0.1:$pr_port/api/v1/rules' | jq -e '[.data.groups[].rules[]] | length >= 8'"
check "promtool test rules (the alerts fire and stay quiet as they should)" \
  promtool test rules "$repo/deploy/metrics/signpost-alerts.test.yml"

echo "== 6. a catalogue that cannot be opened"
sed "s#^catalogue = .*#catalogue = \"$work/missing/catalogue.db\"#" "$work/kiosk.toml" >"$work/broken.toml"
SIGNPOST_CONFIG=$work/broken.toml sp_metrics "$prom" || true
check "catalogue_ok 0, and the file is still complete" bash -c \
  "grep -qx 'signpost_catalogue_ok 0' '$prom' && grep -q '^signpost_metrics_last_run_timestamp_seconds' '$prom'"
check "Prometheus sees it" wait_value 'signpost_catalogue_ok' 0

echo "$passed passed, $failed failed"
((failed == 0))
