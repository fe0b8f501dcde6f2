#!/usr/bin/env bash
# Fast checks of the deployment files, no root and no build needed:
#   - systemd-analyze security --offline=true: every service's exposure at
#     most 4.0 ("OK" or better); the scores are printed
#   - systemd-analyze verify on each unit, with stand-ins for the programs
#     (the full verify, with the real programs installed, is in test-deb.sh)
#   - the kiosk units run it with --config /etc/signpost/kiosk.toml and
#     repeat none of its settings as flags
#   - board-config/kiosk.toml is valid TOML with every key uncommented, and
#     (when content-sync is built) content-sync accepts it that way
#   - shellcheck on every deployment script (when shellcheck is installed)
#
# Usage: tests/deploy/test-units.sh [--content-sync PATH]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/deploy/lib.sh
source "$here/lib.sh"
units=$repo/deploy/systemd
# Run from the repository root: sourced-file paths in the scripts are relative to it.
cd "$repo"
max_exposure=4.0

content_sync=""
for c in "$SIGNPOST_BUILD_DIR/content-sync/content-sync" "$repo/build/dev/content-sync/content-sync"; do
  [[ -x $c ]] && content_sync=$c && break
done
while (($#)); do
  case $1 in
    --content-sync) content_sync=$2; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) say "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

say "== systemd-analyze security (exposure, lower is better; at most $max_exposure)"
for u in "$units"/*.service; do
  name=$(basename "$u")
  line=$(systemd-analyze security --offline=true "$u" 2>&1 | grep 'Overall exposure level' || true)
  score=$(sed -E 's/.*: ([0-9.]+) .*/\1/' <<<"$line")
  if [[ -n $score ]] && awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s <= m) }'; then
    pass "$name ${line#*: }"
  else
    fail "$name: ${line:-no score}"
  fi
done

say "== no service more exposed than before issue 16 (kiosk 0.8, cage 1.1, sync 1.2)"
declare -A baseline=([signpost-kiosk.service]=0.8 [signpost-kiosk-cage.service]=1.1
  [signpost-sync.service]=1.2 [signpost-sync-once.service]=1.2)
for name in "${!baseline[@]}"; do
  score=$(systemd-analyze security --offline=true "$units/$name" 2>&1 | sed -nE 's/.*Overall exposure level.*: ([0-9.]+) .*/\1/p')
  if [[ -n $score ]] && awk -v s="$score" -v m="${baseline[$name]}" 'BEGIN { exit !(s <= m) }'; then
    pass "$name exposure $score <= ${baseline[$name]}"
  else
    fail "$name exposure ${score:-?} > ${baseline[$name]}"
  fi
done

say "== resource backstops and network rules (issues 12, 16)"
for u in "$units"/*.service; do
  name=$(basename "$u")
  check "$name: MemoryMax and MemoryHigh" bash -c "grep -q '^MemoryMax=[0-9]' '$u' && grep -q '^MemoryHigh=[0-9]' '$u'"
  check "$name: TasksMax" grep -q '^TasksMax=[0-9]' "$u"
done
for u in signpost-kiosk.service signpost-kiosk-cage.service; do
  check "$u: PrivateNetwork=yes" grep -qx 'PrivateNetwork=yes' "$units/$u"
  check "$u: OOM score below the sync's" grep -q '^OOMScoreAdjust=-' "$units/$u"
  check_not "$u: writes only where the USB stick is mounted" grep -Eq '^ReadWritePaths=.*(-/media |-/media$|/mnt)' "$units/$u"
done
for u in signpost-sync.service signpost-sync-once.service; do
  check "$u: no link-local or multicast addresses" grep -qx 'IPAddressDeny=link-local multicast' "$units/$u"
  check "$u: cannot see the usage key" grep -qx 'InaccessiblePaths=-/var/lib/signpost/usage-key' "$units/$u"
  check "$u: killed first under memory pressure" grep -q '^OOMScoreAdjust=[1-9]' "$units/$u"
done

check "the timer set-up answers Update from USB too (path unit watches import-now)" \
  grep -qx 'PathExists=/var/lib/signpost/import-now' "$units/signpost-sync-now.path"

say "== systemd-analyze verify (programs stood in)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for u in "$units"/*.service "$units"/*.timer "$units"/*.path; do
  # Point ExecStart at stand-ins so verify checks the unit, not this machine.
  sed -E "s#/usr/bin/(content-sync|signpost-kiosk|cage)#$tmp/bin/\\1#g" "$u" >"$tmp/$(basename "$u")"
done
mkdir -p "$tmp/bin"
for b in content-sync signpost-kiosk cage; do printf '#!/bin/sh\n' >"$tmp/bin/$b" && chmod +x "$tmp/bin/$b"; done
for u in "$tmp"/*.service "$tmp"/*.timer "$tmp"/*.path; do
  name=$(basename "$u")
  out=$( (cd "$tmp" && systemd-analyze verify "$name" 2>&1) | grep -i 'signpost' | grep -v 'Failed to get unit file state' || true)
  if [[ -z $out ]]; then pass "verify $name"; else fail "verify $name: $out"; fi
done

say "== the kiosk units take their settings from kiosk.toml"
for u in signpost-kiosk.service signpost-kiosk-cage.service; do
  exec_start=$(grep '^ExecStart=' "$units/$u")
  check "$u: --config /etc/signpost/kiosk.toml" grep -q -- '/usr/bin/signpost-kiosk --config /etc/signpost/kiosk.toml ' <<<"$exec_start"
  check_not "$u: no setting repeated as a flag" grep -Eq -- '--(postcode|idle-timeout|rotate|catalogue|size|language)' <<<"$exec_start"
  check "$u: extra flags from /etc/default/signpost-kiosk still possible" bash -c \
    "grep -qx 'EnvironmentFile=-/etc/default/signpost-kiosk' '$units/$u' && grep -q '\$SIGNPOST_KIOSK_ARGS\$' <<<\"\$1\"" _ "$exec_start"
done

say "== udev rule for USB sticks"
# No udevadm verify in Debian 12's systemd 252: check the rule's grammar
# (every assignment well-formed, every GOTO has its LABEL) and that
# systemd-mount knows the options it is given.
check "90-signpost-usb.rules is well-formed" python3 -c "
import re, sys
labels, gotos = set(), set()
for n, line in enumerate(open('$repo/deploy/udev/90-signpost-usb.rules'), 1):
    line = line.strip()
    if not line or line.startswith('#'): continue
    for part in re.split(r',\\s*(?=[A-Z])', line):
        m = re.fullmatch(r'([A-Z_]+(\\{[a-z_A-Z]+\\})?)\\s*(==|!=|\\+=|=|:=)\\s*\"([^\"]*)\"', part.strip())
        if not m: sys.exit(f'line {n}: cannot parse {part!r}')
        if m.group(1) == 'LABEL': labels.add(m.group(4))
        if m.group(1) == 'GOTO': gotos.add(m.group(4))
        if m.group(1).startswith('RUN') and not m.group(4).startswith('/usr/bin/systemd-mount '): sys.exit(f'line {n}: unexpected RUN')
if gotos - labels: sys.exit(f'GOTO without LABEL: {gotos - labels}')
"
check "every USB mount is nosuid,nodev,noexec,nosymfollow" bash -c \
  "grep 'systemd-mount' '$repo/deploy/udev/90-signpost-usb.rules' | grep -v '^#' | grep -vc 'nosuid,nodev,noexec,nosymfollow' | grep -qx 0"
check "a stick that can hold links (not FAT/exFAT) is mounted read-only" \
  grep -q -- '--options=ro,nosuid,nodev,noexec,nosymfollow [$]devnode' "$repo/deploy/udev/90-signpost-usb.rules"
if command -v systemd-mount >/dev/null; then
  check "systemd-mount takes --automount, --collect and --options" bash -c \
    "systemd-mount --help | grep -q -- --automount && systemd-mount --help | grep -q -- --collect && systemd-mount --help | grep -q -- --options"
fi

say "== board-config/kiosk.toml"
all=$tmp/all-keys.toml
sed -E 's/^#([a-z_]+ = |\[\[feed\]\])/\1/' "$repo/board-config/kiosk.toml" >"$all"
check "valid TOML as shipped" python3 -c "import tomllib; tomllib.load(open('$repo/board-config/kiosk.toml','rb'))"
check "valid TOML with every key uncommented" python3 -c "
import tomllib; d = tomllib.load(open('$all','rb'))
k = d['kiosk']
for key in ('site_name','postcode','idle_timeout_s','still_there_s','languages','text_size','high_contrast',
            'dyslexia_font','read_aloud','catalogue','technician_pin_hash'):
    assert key in k, key
assert set(k['display']) == {'width','height','rotation'}
assert set(k['touch']) == {'matrix'} and len(k['touch']['matrix']) == 6
assert set(k['printer']) == {'enabled','device','paper_width_mm','charset'}
assert set(k['branding']) == {'host_name','logo','accent_colour'}
assert set(d['bundles']) == {'hub_urls','trusted_keys','trusted_key_files','state_file'}
assert len(d['feed']) == 3"  # courses, events, the school's local pack
if [[ -n $content_sync ]]; then
  check "content-sync accepts it as shipped" bash -c \
    "'$content_sync' --config '$repo/board-config/kiosk.toml' --catalogue '$tmp/none.db' status 2>&1; test \$? -ne 2"
  out=$("$content_sync" --config "$all" --catalogue "$tmp/none.db" status 2>&1 || true)
  if grep -qi 'unknown\|error' <<<"$out"; then fail "content-sync with every key: $out"; else
    pass "content-sync accepts every key, no unknown-key warnings"
  fi
else
  say "  (content-sync not built: skipped its checks)"
fi

if command -v shellcheck >/dev/null; then
  say "== shellcheck"
  check "deploy scripts and tests" shellcheck -x "$repo"/deploy/*.sh "$repo"/deploy/signpost-doctor \
    "$repo"/tests/deploy/*.sh
  check "maintainer scripts (POSIX sh)" shellcheck -s sh "$repo"/deploy/debian/*/postinst \
    "$repo"/deploy/debian/*/prerm "$repo"/deploy/debian/*/postrm
fi

summary
