#!/usr/bin/env bash
# Tests the signpost-sync and signpost-kiosk .deb packages for real, in a
# throwaway Debian 12 root (debootstrap; see lib.sh), never on this machine:
#
#   1. install both            user, /var/lib/signpost, config perms, units
#                              enabled, programs run, units verify, sample
#                              catalogue loads, kiosk renders headless
#   2. reinstall over itself   edited config kept, state kept
#   3. upgrade to a newer      edited config kept (new default beside it as
#      version                 .dpkg-dist), admin's disabled unit stays disabled,
#                              settings an older provision.sh copied into
#                              /etc/default/signpost-kiosk taken out (extra
#                              kiosk flags kept)
#   4. remove                  programs and units gone; config, data, user kept
#   5. purge                   nothing left: user, group, /var/lib/signpost,
#                              /etc/signpost, unit symlinks, statoverride
#
# Usage: sudo tests/deploy/test-deb.sh [--no-build] [--deb-dir DIR]
#   --no-build     use the packages already in $SIGNPOST_BUILD_DIR/packages
#   --deb-dir DIR  test the .debs in DIR instead of building
# Builds with: cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr, -j2, cpack;
# with SIGNPOST_BUILD_DIR set to another build (CI: build/ci), cpack there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/deploy/lib.sh
source "$here/lib.sh"

parse_deb_args 2,18 "$@"
need_root

if ((DEB_BUILD)) && [[ $SIGNPOST_BUILD_DIR != "$repo/build/release" ]]; then
  # Another build (CI: build/ci, already built and unit-tested): package it
  # as it is, if it was configured for /usr.
  say "== package $SIGNPOST_BUILD_DIR"
  grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' "$SIGNPOST_BUILD_DIR/CMakeCache.txt" 2>/dev/null || {
    say "$0: $SIGNPOST_BUILD_DIR is not a build configured with CMAKE_INSTALL_PREFIX=/usr" >&2
    exit 2
  }
  (cmake --build "$SIGNPOST_BUILD_DIR" -j2 | tail -1)
  rm -f "$DEB_DIR"/*.deb
  (cd "$SIGNPOST_BUILD_DIR" && cpack -G DEB >/dev/null)
elif ((DEB_BUILD)); then
  say "== build the release packages"
  extra=()
  # Until the root CMakeLists.txt include()s SignpostPackaging, pull it in.
  if ! grep -q 'SignpostPackaging' "$repo/CMakeLists.txt"; then
    extra+=("-DCMAKE_PROJECT_INCLUDE=$here/include-packaging.cmake")
  fi
  (cd "$repo" && cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr "${extra[@]}" >/dev/null)
  (cd "$repo" && cmake --build --preset release -j2 | tail -1)
  rm -f "$DEB_DIR"/*.deb
  (cd "$repo/build/release" && cpack -G DEB >/dev/null)
fi
need_debs
sync_deb=$SYNC_DEB
kiosk_deb=$KIOSK_DEB
say "packages: $(basename "$sync_deb") $(basename "$kiosk_deb")"

ensure_base_root
new_test_root
say "test root: $TEST_ROOT"
mkdir -p "$TEST_ROOT/tmp/debs"
cp "$sync_deb" "$kiosk_deb" "$TEST_ROOT/tmp/debs/"
sync_base=/tmp/debs/$(basename "$sync_deb")
kiosk_base=/tmp/debs/$(basename "$kiosk_deb")

apt_install() {
  DEBIAN_FRONTEND=noninteractive chroot "$TEST_ROOT" apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confold "$@" >"$TEST_ROOT/tmp/apt.log" 2>&1 || {
    cat "$TEST_ROOT/tmp/apt.log"
    return 1
  }
}
wants() { echo "$TEST_ROOT/etc/systemd/system/multi-user.target.wants/$1"; }
stat_of() { in_root stat -c '%U:%G %a' "$1"; }
# expect_stat PATH "owner:group mode"
expect_stat() {
  local s
  s=$(stat_of "$1")
  if [[ $s == "$2" ]]; then pass "$1 is $s"; else fail "$1 is $s, want $2"; fi
}
cfg=/etc/signpost/kiosk.toml

# ---------------------------------------------------------------------------
say "== 1. install"
apt_install "$sync_base" "$kiosk_base"
check "both packages installed" in_root dpkg-query -W signpost-sync signpost-kiosk
check "signpost user exists" in_root getent passwd signpost
uid=$(in_root id -u signpost)
if ((uid < 1000)); then pass "signpost is a system user (uid $uid)"; else fail "uid $uid >= 1000"; fi
check "signpost has no login shell" bash -c "in_root getent passwd signpost | grep -q ':/usr/sbin/nologin$'"
check "signpost group exists" in_root getent group signpost
expect_stat /var/lib/signpost "signpost:signpost 750"
expect_stat $cfg "root:signpost 640"
check "kiosk.toml is a conffile" bash -c "in_root dpkg-query -W -f='\${Conffiles}' signpost-sync | grep -q $cfg"
check "signpost-sync.service enabled" test -L "$(wants signpost-sync.service)"
check "signpost-kiosk.service enabled" test -L "$(wants signpost-kiosk.service)"
check_not "cage variant not enabled" test -e "$(wants signpost-kiosk-cage.service)"
check_not "sync timer not enabled (conflicts with the daemon)" \
  test -e "$TEST_ROOT/etc/systemd/system/timers.target.wants/signpost-sync-once.timer"
check "content-sync runs" in_root content-sync --version
check "signpost-catalogue runs" in_root signpost-catalogue --help
check "signpost-kiosk runs" in_root signpost-kiosk --version
check "sample catalogue loads from /usr/share/signpost/sample" \
  in_root runuser -u signpost -- signpost-catalogue --catalogue /var/lib/signpost/catalogue.db load-sample
check "content-sync reads the default config as the signpost user" \
  in_root runuser -u signpost -- content-sync --config $cfg status
check "catalogue stats" bash -c \
  "in_root runuser -u signpost -- signpost-catalogue --catalogue /var/lib/signpost/catalogue.db stats | grep -qi sample"
if in_root runuser -u signpost -- env TMPDIR=/tmp signpost-kiosk --headless \
  --catalogue /var/lib/signpost/catalogue.db --screen home --screenshot /tmp/home.png \
  >"$TEST_ROOT/tmp/kiosk.log" 2>&1 && [[ -s $TEST_ROOT/tmp/home.png ]]; then
  pass "installed kiosk renders the home screen headless"
else
  fail "installed kiosk renders the home screen headless: $(tail -3 "$TEST_ROOT/tmp/kiosk.log")"
fi
# systemd-analyze verify inside the root (it has systemd 252); a stand-in
# for cage, which is only Suggested.
printf '#!/bin/sh\nexit 0\n' >"$TEST_ROOT/usr/bin/cage"
chmod +x "$TEST_ROOT/usr/bin/cage"
for u in signpost-sync.service signpost-sync-once.service signpost-sync-once.timer \
  signpost-kiosk.service signpost-kiosk-cage.service; do
  out=$(in_root systemd-analyze verify "/lib/systemd/system/$u" 2>&1 | grep -v 'Failed to get unit file state' || true)
  # Messages about units outside Signpost (the minimal root has no
  # plymouth, and no getty@ instance) are not ours.
  mine=$(grep -i 'signpost' <<<"$out" || true)
  if [[ -z $mine ]]; then pass "systemd-analyze verify $u"; else fail "verify $u: $mine"; fi
done
rm -f "$TEST_ROOT/usr/bin/cage"

# ---------------------------------------------------------------------------
say "== 2. reinstall over itself"
sed -i 's/^site_name = ""/site_name = "Edited by test-deb"/' "$TEST_ROOT$cfg"
check "config edited" grep -q 'Edited by test-deb' "$TEST_ROOT$cfg"
echo marker >"$TEST_ROOT/var/lib/signpost/marker"
apt_install --reinstall "$sync_base" "$kiosk_base"
check "edited config kept on reinstall" grep -q 'Edited by test-deb' "$TEST_ROOT$cfg"
check "state kept on reinstall" test -f "$TEST_ROOT/var/lib/signpost/marker"
check "catalogue kept on reinstall" test -s "$TEST_ROOT/var/lib/signpost/catalogue.db"
check "same uid after reinstall" test "$(in_root id -u signpost)" = "$uid"
expect_stat $cfg "root:signpost 640"

# ---------------------------------------------------------------------------
say "== 3. upgrade to a newer version (whose default config also changed)"
# An admin switched this kiosk to the cage variant: the upgrade must keep that.
in_root systemctl disable signpost-kiosk.service >/dev/null 2>&1
work=$TEST_ROOT/tmp/repack
for deb in "$sync_deb" "$kiosk_deb"; do
  rm -rf "$work"
  mkdir -p "$work"
  dpkg-deb -R "$deb" "$work/pkg"
  ver=$(dpkg-deb -f "$deb" Version)
  sed -i "s/^Version: .*/Version: ${ver}+test1/; s/(= ${ver})/(= ${ver}+test1)/" "$work/pkg/DEBIAN/control"
  if [[ -f $work/pkg$cfg ]]; then
    echo '# a new default from the upgrade' >>"$work/pkg$cfg"
    # md5sums must match the changed file
    (cd "$work/pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
  fi
  dpkg-deb --root-owner-group -b "$work/pkg" "$TEST_ROOT/tmp/debs/" >/dev/null
done
# What an older provision.sh left for the old units' command line.
defaults=$TEST_ROOT/etc/default/signpost-kiosk
cat >"$defaults" <<'EOF'
# Written by signpost provision.sh from /etc/signpost/kiosk.toml; edit that
# file and run provision.sh again, not this one.
SIGNPOST_POSTCODE="KH1 2AB"
SIGNPOST_IDLE_TIMEOUT=90
SIGNPOST_ROTATE=180
SIGNPOST_KIOSK_ARGS="--size 1280x720"
EOF
apt_install "/tmp/debs/signpost-sync_${ver}+test1_$(dpkg-deb -f "$sync_deb" Architecture).deb" \
  "/tmp/debs/signpost-kiosk_${ver}+test1_$(dpkg-deb -f "$kiosk_deb" Architecture).deb"
check "upgraded to ${ver}+test1" bash -c "in_root dpkg-query -W -f='\${Version}' signpost-sync | grep -q test1"
check "edited config kept on upgrade" grep -q 'Edited by test-deb' "$TEST_ROOT$cfg"
check "new default config beside it (.dpkg-dist)" test -f "$TEST_ROOT$cfg.dpkg-dist"
check "state kept on upgrade" test -f "$TEST_ROOT/var/lib/signpost/marker"
check "signpost-sync.service still enabled" test -L "$(wants signpost-sync.service)"
check_not "kiosk unit the admin disabled stays disabled" test -e "$(wants signpost-kiosk.service)"
check "same uid after upgrade" test "$(in_root id -u signpost)" = "$uid"
check_not "settings copied into /etc/default/signpost-kiosk taken out" \
  grep -Eq '^SIGNPOST_(POSTCODE|IDLE_TIMEOUT|ROTATE)=|Written by' "$defaults"
check "extra kiosk flags kept there" grep -qx 'SIGNPOST_KIOSK_ARGS="--size 1280x720"' "$defaults"
check "the upgrade said so" grep -q 'took out the settings copied from kiosk.toml' "$TEST_ROOT/tmp/apt.log"
in_root systemctl enable signpost-kiosk.service >/dev/null 2>&1

# ---------------------------------------------------------------------------
say "== 4. remove"
DEBIAN_FRONTEND=noninteractive chroot "$TEST_ROOT" apt-get remove -y -q signpost-kiosk signpost-sync >"$TEST_ROOT/tmp/apt.log" 2>&1
for f in /usr/bin/content-sync /usr/bin/signpost-catalogue /usr/bin/signpost-kiosk \
  /lib/systemd/system/signpost-sync.service /lib/systemd/system/signpost-kiosk.service \
  /usr/share/signpost/sample; do
  check_not "removed: $f" test -e "$TEST_ROOT$f"
done
# As with any Debian package using deb-systemd-helper: removed units are
# masked (-> /dev/null), so nothing starts, while their enablement is
# remembered for a reinstall; purge takes both away (checked below).
for u in signpost-sync.service signpost-kiosk.service; do
  check "$u masked after remove" test "$(readlink "$TEST_ROOT/etc/systemd/system/$u")" = /dev/null
done
check "config kept after remove" grep -q 'Edited by test-deb' "$TEST_ROOT$cfg"
check "data kept after remove" test -f "$TEST_ROOT/var/lib/signpost/catalogue.db"
check "user kept after remove" in_root getent passwd signpost

# ---------------------------------------------------------------------------
say "== 5. purge"
DEBIAN_FRONTEND=noninteractive chroot "$TEST_ROOT" apt-get purge -y -q signpost-kiosk signpost-sync >"$TEST_ROOT/tmp/apt.log" 2>&1
check_not "no signpost user" in_root getent passwd signpost
check_not "no signpost group" in_root getent group signpost
check_not "no /var/lib/signpost" test -e "$TEST_ROOT/var/lib/signpost"
check_not "no /etc/signpost" test -e "$TEST_ROOT/etc/signpost"
check_not "no dpkg statoverride left" bash -c "in_root dpkg-statoverride --list | grep -q signpost"
check_not "packages gone from dpkg" bash -c "in_root dpkg -l 'signpost*' 2>/dev/null | grep -q '^[a-z][a-z] '"
left=$(find "$TEST_ROOT" -xdev -path "$TEST_ROOT/tmp" -prune -o -name '*signpost*' -print |
  sed "s|^$TEST_ROOT||" | grep -v '^/var/cache/apt' || true)
if [[ -z $left ]]; then pass "no file named *signpost* left anywhere"; else fail "left behind: $left"; fi

summary
