#!/usr/bin/env bash
# run-fuzzers.sh [seconds-per-target]
# Configures the 'fuzz' preset into build/fuzz, builds every feed adapter's
# libFuzzer target, the shared parsers' targets (bounded JSON, CSV, ZIP, HTML
# text and time-zone names) and the search one (catalogue/fuzz), and runs
# each for the given time (default 20 s) with -timeout=10 and
# -rss_limit_mb=512 (a parser that needs more than that for one input is a
# bug: the kiosk is a Pi). Seeds: tests/content_sync/fixtures/<kind>/ and a
# depth corpus generated here (JSON and iCalendar nested 100,000 deep,
# 60,000 levels of objects, a 1 MB string, a CSV quoted field that never
# ends, a tiny ZIP that claims a gigabyte). Fails on the first crash, leak,
# timeout, RSS overrun or sanitizer report (after the other targets have
# run; as many run at once as there are cores). Corpora grow in
# build/fuzz/corpus/<target>/ (kept between runs, never in the source tree).
set -eu
seconds="${1:-20}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz"
jobs="${SIGNPOST_FUZZ_JOBS:-2}"

cd "$root"
cmake --preset fuzz >/dev/null
cmake --build "$build" -j"$jobs" --target fuzzers fuzz_search

# The depth corpus: inputs that broke parsers elsewhere (unbounded recursion,
# memory many times the input). Regenerated each run; small on disk.
depth="$build/depth-corpus"
rm -rf "$depth"
mkdir -p "$depth"
python3 - "$depth" <<'EOF'
import sys, zlib, struct
d = sys.argv[1]
def w(name, data):
    open(f"{d}/{name}", "wb").write(data if isinstance(data, bytes) else data.encode())
n = 100000
w("json-arrays", "[" * n + "]" * n)
w("json-objects", '{"a":' * 60000 + "1" + "}" * 60000)
w("json-contacts", '{"contents":[{"id":"x","name":"y","contacts":' + '[{"contacts":' * 20000 + "[]" + "}]" * 20000 + "}]}")
w("json-long-string", '[{"title":"' + "x" * (1 << 20) + '"}]')
w("json-many-empty", "[" + "{}," * 200000 + "{}]")
w("json-truncated", '{"vacancies":[{"title":"cut')
w("json-big-numbers", '{"vacancies":[{"hoursPerWeek":1e308,"course":{"level":-1e308}}],"totalPages":1e10,"total_pages":1e999}')
w("ics-nested", "BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\n" * n + "END:VEVENT\r\n" * n + "END:VCALENDAR\r\n")
w("ics-endless", "BEGIN:VCALENDAR\r\n" + "".join(
    f"BEGIN:VEVENT\r\nUID:{i}\r\nSUMMARY:x\r\nDTSTART:20260901T090000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
    for i in range(3000)) + "END:VCALENDAR\r\n")
w("ics-no-end", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:b\r\nDTSTART:20270101\r\n")
w("csv-open-quote", 'PUBUKPRN,UKPRN,LEGAL_NAME\n1,1,"' + "n" * 200000)
packed = zlib.compressobj(9, zlib.DEFLATED, -15)
data = packed.compress(b"\0" * (64 << 20)) + packed.flush()
crc = zlib.crc32(b"\0" * (64 << 20))
name = b"KISCOURSE.csv"
local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), 1 << 30, len(name), 0) + name + data
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), 1 << 30, len(name), 0, 0, 0, 0, 0, 0) + name
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
w("zip-bomb", local + central + end)
EOF

# -timeout is wall-clock time: the depth corpus's 200,000 empty records take
# about 2.4 s of CPU under ASan in the standards adapter, 7.9 s of wall time
# on a machine shared with other builds. 10 s still stops a hang or a
# quadratic parser on these inputs.
# ASan keeps freed memory in a quarantine (256 MB by default) to catch a use
# after free. It counts in RSS: on a corpus grown to 1 MB inputs it filled
# -rss_limit_mb=512 by itself (538 MB, of which the parser's live heap was
# 34 MB; 179 MB with this). A small quarantine keeps the limit about the
# parser's own memory.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=32"
export ASAN_OPTIONS

# One target: its output is printed in one piece when it ends, so that
# targets run side by side (one per core) do not mix their lines.
run_target() {
  local target=$1 binary seeds args=() out
  local corpus="$build/corpus/$target"
  mkdir -p "$corpus" "$build/artifacts/$target"
  seeds="$depth"
  case "$target" in
    search)
      binary="$build/catalogue/fuzz_search"
      seeds="$root/catalogue/fuzz/seeds"
      ;;
    json_stream | text) binary="$build/content-sync/fuzz/fuzz_$target" ;;
    csv_reader | zip_reader)
      binary="$build/content-sync/fuzz/fuzz_$target"
      args=("$root/tests/content_sync/fixtures/discover_uni")
      ;;
    *)
      binary="$build/content-sync/fuzz/fuzz_$target"
      args=("$root/tests/content_sync/fixtures/$target")
      ;;
  esac
  out="== fuzz_$target for ${seconds}s"
  if ! "$binary" "$corpus" "$seeds" "${args[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -malloc_limit_mb=512 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target/" \
    2>"$build/fuzz_$target.log"; then
    printf '%s\n' "$out"
    echo "fuzz_$target FAILED; see $build/fuzz_$target.log and $build/artifacts/$target/" >&2
    tail -n 40 "$build/fuzz_$target.log" >&2
    return 1
  fi
  printf '%s\n%s\n' "$out" "$(grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" \
    "$build/fuzz_$target.log" | tail -n 3)"
}

# Each libFuzzer run is one process on one core: as many at once as there
# are cores (SIGNPOST_FUZZ_PARALLEL), each still for its full time.
parallel="${SIGNPOST_FUZZ_PARALLEL:-$(nproc)}"
status=0 running=0
for target in find_a_course fat_vacancies standards job_profiles lmi_for_all discover_uni \
  open_referral icalendar json_stream csv_reader zip_reader text search; do
  run_target "$target" &
  running=$((running + 1))
  if ((running >= parallel)); then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
