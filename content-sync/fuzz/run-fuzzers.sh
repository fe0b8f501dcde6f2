#!/bin/sh
# run-fuzzers.sh [seconds-per-target]
# Configures the 'fuzz' preset into build/fuzz, builds every feed adapter's
# libFuzzer target and the search one (catalogue/fuzz), and runs each for the
# given time (default 20 s) with
# -timeout=5, seeded from tests/content_sync/fixtures/<kind>/. Fails on the
# first crash, leak, timeout or sanitizer report. Corpora grow in
# build/fuzz/corpus/<kind>/ (kept between runs, never in the source tree).
set -eu
seconds="${1:-20}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz"
jobs="${SIGNPOST_FUZZ_JOBS:-2}"

cd "$root"
cmake --preset fuzz >/dev/null
cmake --build "$build" -j"$jobs" --target fuzzers fuzz_search

status=0
# The feed parsers, seeded from their fixtures, then search over typed text.
for kind in find_a_course fat_vacancies standards job_profiles lmi_for_all discover_uni open_referral icalendar search; do
  corpus="$build/corpus/$kind"
  mkdir -p "$corpus" "$build/artifacts/$kind"
  if [ "$kind" = search ]; then
    binary="$build/catalogue/fuzz_search"
    seeds="$root/catalogue/fuzz/seeds"
  else
    binary="$build/content-sync/fuzz/fuzz_$kind"
    seeds="$root/tests/content_sync/fixtures/$kind"
  fi
  echo "== fuzz_$kind for ${seconds}s"
  if ! "$binary" "$corpus" "$seeds" \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$kind/" 2>"$build/fuzz_$kind.log"; then
    echo "fuzz_$kind FAILED; see $build/fuzz_$kind.log and $build/artifacts/$kind/" >&2
    tail -n 40 "$build/fuzz_$kind.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|cov:" "$build/fuzz_$kind.log" | tail -n 3
  fi
done
exit "$status"
