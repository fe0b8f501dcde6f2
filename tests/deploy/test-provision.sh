#!/usr/bin/env bash
# Tests deploy/provision.sh for real in a throwaway Debian 12 root (see
# lib.sh) made to look like a fresh Raspberry Pi OS Bookworm Lite: a
# /boot/firmware with the stock config.txt and cmdline.txt, a console login
# on tty1, and a stand-in raspi-config that turns on the overlay root the
# way the real one does (boot=overlay on the kernel line).
#
#   1. first run (rpi4, 7" display rotated 180, site, postcode, PIN hash,
#      .debs from a directory, sample catalogue, read-only root): packages,
#      user, config values (accepted by content-sync and by the kiosk
#      itself), PIN file, no /etc/default/signpost-kiosk, config.txt block,
#      cmdline.txt words, getty masked, units enabled, catalogue present
#   2. second run, same flags: "Nothing to change", no file touched
#   3. --dry-run with a new postcode: says what would change, changes nothing
#   4. a bad value in --config: exit 2 naming the field, nothing changed
#   5. --board x86 on the same root: GRUB fragment, then idempotent; an
#      /etc/default/signpost-kiosk from an older provision.sh loses the
#      settings copied from kiosk.toml (removed when nothing else is left),
#      a technician's SIGNPOST_KIOSK_ARGS line survives
#   6. signpost-doctor (from the package) on the result: what is fine, the
#      problems a chroot has (no display), a bad config field named, extra
#      kiosk flags noted, stale /etc/default settings flagged
#
# Usage: sudo tests/deploy/test-provision.sh [--deb-dir DIR]
#   (default DIR: build/release/packages; make it with tests/deploy/test-deb.sh
#   or cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr && ... && cpack -G DEB)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/deploy/lib.sh
source "$here/lib.sh"

parse_deb_args 2,22 "$@"
need_root
need_debs
deb_dir=$DEB_DIR

ensure_base_root
new_test_root
say "test root: $TEST_ROOT"
R=$TEST_ROOT
prov=$repo/deploy/provision.sh

make_pi_like_root "$R"

# The PIN hash exactly as the kiosk makes it.
hash=$(echo 246813 | "$SIGNPOST_BUILD_DIR/kiosk/signpost-kiosk" --hash-pin 2>/dev/null || true)
if [[ $hash != \$argon2* ]]; then
  # shellcheck disable=SC2016  # a literal hash
  hash='$argon2id$v=19$m=8192,t=3,p=1$c2lnbnBvc3R0ZXN0$4dWcBQ8l2Y1oJvGugcP0wYgGqCWq3ZB4aVQ5m3A1F0s'
fi
flags=(--root "$R" --board rpi4 --display dsi7 --rotate 180 --site 'Kirkhaven "Academy"'
  --postcode "KH1 2AB" --pin-hash "$hash" --deb-dir "$deb_dir" --sample-catalogue --read-only-root)
snapshot() {
  (cd "$R" && find etc/signpost etc/default boot/firmware etc/systemd/system \
    var/lib/signpost/catalogue.db -xdev \( -type f -o -type l \) -printf '%p %m %l\n' | sort &&
    find etc/signpost etc/default boot/firmware -type f -exec md5sum {} + | sort)
}
cfg=$R/etc/signpost/kiosk.toml

# ---------------------------------------------------------------------------
say "== 1. first run"
if "$prov" "${flags[@]}" >"$R/tmp/run1.log" 2>&1; then pass "provision.sh exits 0"; else
  fail "provision.sh exits 0"
  cat "$R/tmp/run1.log"
fi
check "reports changes" grep -q '^  changed:' "$R/tmp/run1.log"
check "signpost-sync installed" in_root dpkg-query -W signpost-sync
check "signpost-kiosk installed" in_root dpkg-query -W signpost-kiosk
check "signpost user" in_root getent passwd signpost
check "site_name set (quotes escaped)" grep -qx 'site_name = "Kirkhaven \\"Academy\\""' "$cfg"
check "postcode set" grep -qx 'postcode = "KH1 2AB"' "$cfg"
check "rotation set" grep -qx 'rotation = 180' "$cfg"
check "PIN hash in the config" grep -qF "technician_pin_hash = \"$hash\"" "$cfg"
check "config still parses (content-sync)" bash -c \
  "in_root content-sync --config /etc/signpost/kiosk.toml status; rc=\$?; test \$rc -ne 2 -a \$rc -ne 127"
check "config is valid TOML with the values (python tomllib)" python3 -c "
import tomllib,sys; d=tomllib.load(open('$cfg','rb'))
assert d['kiosk']['site_name']=='Kirkhaven \"Academy\"' and d['kiosk']['postcode']=='KH1 2AB'
assert d['kiosk']['display']['rotation']==180"
check "config root:signpost 640" test "$(in_root stat -c '%U:%G %a' /etc/signpost/kiosk.toml)" = "root:signpost 640"
check "PIN file holds the hash" test "$(cat "$R/etc/signpost/technician-pin")" = "$hash"
check "PIN file root:signpost 640" test "$(in_root stat -c '%U:%G %a' /etc/signpost/technician-pin)" = "root:signpost 640"
check_not "no settings copied to /etc/default/signpost-kiosk (the kiosk reads kiosk.toml)" \
  test -e "$R/etc/default/signpost-kiosk"
check "the kiosk unit reads kiosk.toml" grep -q '^ExecStart=.*signpost-kiosk --config /etc/signpost/kiosk.toml' \
  "$R/lib/systemd/system/signpost-kiosk.service"
# The kiosk's own parser on the written file, run as the unit runs it
# (user signpost, --config): no warning means every value was taken.
if in_root runuser -u signpost -- env TMPDIR=/tmp signpost-kiosk --config /etc/signpost/kiosk.toml \
  --headless --screen home --screenshot /tmp/prov-home.png >"$R/tmp/kiosk.log" 2>&1 &&
  [[ -s $R/tmp/prov-home.png ]] && ! grep -q 'warning' "$R/tmp/kiosk.log"; then
  pass "the kiosk takes the written config with no warning"
else
  fail "the kiosk takes the written config with no warning: $(head -5 "$R/tmp/kiosk.log")"
fi
rm -f "$R/tmp/prov-home.png"
ct=$R/boot/firmware/config.txt
check "config.txt: one signpost block" test "$(grep -c '^# BEGIN signpost' "$ct")" = 1
check "config.txt: 7\" overlay (touch left native: the kiosk turns it)" grep -qx 'dtoverlay=vc4-kms-dsi-7inch' "$ct"
check "config.txt: gpu_mem from the rpi4 profile" grep -qx 'gpu_mem=128' "$ct"
check "config.txt: stock settings kept" grep -qx 'camera_auto_detect=1' "$ct"
cl=$R/boot/firmware/cmdline.txt
check "cmdline.txt: still one line" test "$(wc -l <"$cl")" = 1
check "cmdline.txt: stock words kept" grep -q 'root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait' "$cl"
check "cmdline.txt: screen blanking off" grep -qw 'consoleblank=0' "$cl"
check "cmdline.txt: boot console turned 180" grep -qF 'video=DSI-1:800x480@60,rotate=180' "$cl"
check "read-only root turned on once" test "$(grep -c enable_overlayfs "$R/tmp/raspi-config.calls")" = 1
check "getty@tty1 masked" test "$(readlink "$R/etc/systemd/system/getty@tty1.service")" = /dev/null
check "no magic SysRq keys" grep -qx 'kernel.sysrq = 0' "$R/etc/sysctl.d/90-signpost-kiosk.conf"
check "no logins on spare consoles" grep -qx 'NAutoVTs=0' "$R/etc/systemd/logind.conf.d/90-signpost-kiosk.conf"
check "Ctrl+Alt+Del masked" test "$(readlink "$R/etc/systemd/system/ctrl-alt-del.target")" = /dev/null
check "Ctrl+Alt+Del burst does nothing" grep -qx 'CtrlAltDelBurstAction=none' "$R/etc/systemd/system.conf.d/90-signpost-kiosk.conf"
check "no predictable package folder left in /tmp" bash -c "! ls -d '$R'/tmp/signpost-provision-debs* 2>/dev/null"
check "boots to multi-user.target" bash -c "readlink '$R/etc/systemd/system/default.target' | grep -q multi-user.target"
for u in signpost-sync.service signpost-kiosk.service; do
  check "$u enabled" test -L "$R/etc/systemd/system/multi-user.target.wants/$u"
done
check "sample catalogue loaded" test -s "$R/var/lib/signpost/catalogue.db"
check "reboot asked for" grep -q 'Reboot' "$R/tmp/run1.log"
before=$(snapshot)

# ---------------------------------------------------------------------------
say "== 2. second run, same flags"
if "$prov" "${flags[@]}" >"$R/tmp/run2.log" 2>&1; then pass "provision.sh exits 0"; else fail "second run exits 0"; fi
check "says nothing to change" grep -q 'Nothing to change' "$R/tmp/run2.log"
check_not "no 'changed:' lines" grep -q '^  changed:' "$R/tmp/run2.log"
if [[ $(snapshot) == "$before" ]]; then pass "no file changed"; else
  fail "files changed on the second run:"
  diff <(echo "$before") <(snapshot) || true
fi
check "raspi-config not called again" test "$(grep -c enable_overlayfs "$R/tmp/raspi-config.calls")" = 1
grep 'changed:\|unchanged:' "$R/tmp/run2.log" | head -3 | sed 's/^/        /'

# ---------------------------------------------------------------------------
say "== 3. dry run with a new postcode"
if "$prov" "${flags[@]}" --postcode "LS1 4AP" --dry-run >"$R/tmp/run3.log" 2>&1; then pass "exits 0"; else fail "dry run exits 0"; fi
check "would change kiosk.toml" grep -q 'would change: /etc/signpost/kiosk.toml' "$R/tmp/run3.log"
check "would change nothing else" test "$(grep -c 'would change:' "$R/tmp/run3.log")" = 1
if [[ $(snapshot) == "$before" ]]; then pass "dry run changed nothing"; else fail "dry run changed files"; fi

# ---------------------------------------------------------------------------
say "== 4. a bad value in --config"
sed 's/^#interval_minutes = 360/interval_minutes = "often"/' "$repo/board-config/kiosk.toml" >"$R/tmp/bad.toml"
set +e
"$prov" --root "$R" --board rpi4 --deb-dir "$deb_dir" --config "$R/tmp/bad.toml" >"$R/tmp/run4.log" 2>&1
rc=$?
set -e
if ((rc == 2)); then pass "exit 2"; else fail "exit $rc, want 2"; fi
check "message names the field" grep -q 'interval_minutes' "$R/tmp/run4.log"
if [[ $(snapshot) == "$before" ]]; then pass "nothing changed"; else fail "files changed after a bad config"; fi
sed -n '1,20p' "$R/tmp/run4.log" | grep -i 'interval' | sed 's/^/        /'

# ---------------------------------------------------------------------------
say "== 5. --board x86 (and an /etc/default/signpost-kiosk from an older provision.sh)"
defaults=$R/etc/default/signpost-kiosk
old_settings() {
  echo "# Written by signpost provision.sh from /etc/signpost/kiosk.toml; edit that"
  echo "# file and run provision.sh again, not this one."
  echo 'SIGNPOST_POSTCODE="KH1 2AB"'
  echo 'SIGNPOST_IDLE_TIMEOUT=90'
  echo 'SIGNPOST_ROTATE=180'
}
old_settings >"$defaults"
if "$prov" --root "$R" --board x86 --deb-dir "$deb_dir" >"$R/tmp/run5.log" 2>&1; then pass "x86 run exits 0"; else fail "x86 run exits 0"; fi
check "GRUB fragment written" grep -q 'consoleblank=0' "$R/etc/default/grub.d/signpost.cfg"
check_not "old settings-only /etc/default/signpost-kiosk removed" test -e "$defaults"
check "says it removed it" grep -q 'changed: .*/etc/default/signpost-kiosk removed' "$R/tmp/run5.log"
{
  old_settings
  echo 'SIGNPOST_KIOSK_ARGS="--size 1280x720"'
} >"$defaults"
"$prov" --root "$R" --board x86 --deb-dir "$deb_dir" >"$R/tmp/run6.log" 2>&1
check "a technician's extra kiosk flags kept" grep -qx 'SIGNPOST_KIOSK_ARGS="--size 1280x720"' "$defaults"
check_not "the copied settings taken out" grep -Eq 'SIGNPOST_(POSTCODE|IDLE_TIMEOUT|ROTATE)|Written by' "$defaults"
"$prov" --root "$R" --board x86 --deb-dir "$deb_dir" >"$R/tmp/run7.log" 2>&1
check "x86 third run: nothing to change" grep -q 'Nothing to change' "$R/tmp/run7.log"
check "the existing config was kept (site still set)" grep -q 'Kirkhaven' "$cfg"

# ---------------------------------------------------------------------------
say "== 6. signpost-doctor on the provisioned root"
if [[ -x $R/usr/bin/signpost-doctor ]]; then
  set +e
  in_root signpost-doctor >"$R/tmp/doctor.log" 2>&1
  rc=$?
  set -e
  sed 's/^/        /' "$R/tmp/doctor.log"
  check "doctor: packages OK" grep -q 'OK       installed: signpost-sync' "$R/tmp/doctor.log"
  check "doctor: config OK" grep -q 'OK       config /etc/signpost/kiosk.toml reads fine' "$R/tmp/doctor.log"
  check "doctor: catalogue counted" grep -q 'OK       catalogue: [1-9][0-9]* opportunities' "$R/tmp/doctor.log"
  check "doctor: warns about sample data" grep -q 'SAMPLE catalogue' "$R/tmp/doctor.log"
  check "doctor: no display in a chroot is a problem" grep -q 'PROBLEM  no graphics device' "$R/tmp/doctor.log"
  check "doctor: notes the extra kiosk flags" grep -q 'note     extra kiosk flags .*--size 1280x720' "$R/tmp/doctor.log"
  check_not "doctor: no stale-settings warning yet" grep -q 'no longer reads' "$R/tmp/doctor.log"
  if ((rc == 1)); then pass "doctor exits 1 when there is a problem"; else fail "doctor exit $rc, want 1"; fi
  sed -i 's/^#interval_minutes = 360/interval_minutes = -5/' "$cfg"
  echo 'SIGNPOST_ROTATE=90' >>"$defaults"
  set +e
  in_root signpost-doctor >"$R/tmp/doctor2.log" 2>&1
  set -e
  check "doctor: names a bad config field" grep -q 'PROBLEM  the config has a mistake: .*interval_minutes' "$R/tmp/doctor2.log"
  check "doctor: flags a setting left in /etc/default that the kiosk ignores" \
    grep -q 'WARNING  /etc/default/signpost-kiosk still sets SIGNPOST_ROTATE' "$R/tmp/doctor2.log"
  grep 'config has a mistake\|still sets' "$R/tmp/doctor2.log" | sed 's/^/        /'
else
  fail "signpost-doctor not installed by signpost-sync"
fi

summary
