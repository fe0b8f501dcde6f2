# shellcheck shell=bash disable=SC2034  # (DEB_BUILD, SYNC_DEB, KIOSK_DEB: set here for the scripts that source this)
# Helpers for the deployment tests: a throwaway Debian 12 root made with
# debootstrap (from Debian's archive), copied fresh for every test so the
# host is never touched.
#
#   SIGNPOST_BASE_ROOT  cached pristine root (default
#                       /var/tmp/signpost-test/bookworm-base); made once,
#                       about 300 MB, a few minutes
#   SIGNPOST_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   SIGNPOST_KEEP_ROOT  1 = leave the test root in place for inspection
#   SIGNPOST_BUILD_DIR  the build whose programs and .debs are tested
#                       (default build/release; CI uses build/ci, configured
#                       for /usr, so the .debs hold the very programs its
#                       unit tests ran)
#
# Needs root (chroot, mount). Sourced by the tests in this folder.

: "${SIGNPOST_BASE_ROOT:=/var/tmp/signpost-test/bookworm-base}"
: "${SIGNPOST_MIRROR:=http://deb.debian.org/debian}"
: "${SIGNPOST_KEEP_ROOT:=0}"

# What the packages need at run time, installed into the base once so each
# test needs no network.
SIGNPOST_BASE_PACKAGES=(
  systemd systemd-sysv adduser ca-certificates
  libsdl2-2.0-0 libsqlite3-0 libcurl4 libsodium23 libqrencode4 libespeak-ng1
  espeak-ng-data libzstd1 libsystemd0 libtomlplusplus3 libstb0
  fonts-dejavu-core fonts-opendyslexic libicu72 libstemmer0d wbritish
  libical3  # content-sync: iCalendar feeds
)

failures=0
checks=0
TEST_ROOT=""
SIGNPOST_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SIGNPOST_BUILD_DIR:=$SIGNPOST_REPO/build/release}"
DEB_DIR=""
DEB_BUILD=1
SYNC_DEB=""
KIOSK_DEB=""

say() { printf '%s\n' "$*"; }
pass() { checks=$((checks + 1)); printf '  ok    %s\n' "$*"; }
fail() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  printf '  FAIL  %s\n' "$*"
}
# check "description" command...   (the command's status decides)
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}
check_not() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then fail "$what"; else pass "$what"; fi
}

# parse_deb_args HELP_LINES ARGS...: the options every root test takes.
#   --deb-dir DIR  test the .debs in DIR (default $SIGNPOST_BUILD_DIR/packages)
#   --no-build     do not build them first (only test-deb.sh builds)
#   -h, --help     print lines HELP_LINES (a sed range, e.g. 2,15) of the script
# Sets DEB_DIR, and DEB_BUILD (0 after --deb-dir or --no-build).
parse_deb_args() {
  local help=$1
  shift
  DEB_DIR=$SIGNPOST_BUILD_DIR/packages
  DEB_BUILD=1
  while (($#)); do
    case $1 in
      --deb-dir)
        [[ $# -ge 2 && -n $2 ]] || {
          say "$0: --deb-dir needs a directory" >&2
          exit 2
        }
        DEB_DIR=$(cd "$2" 2>/dev/null && pwd) || {
          say "$0: --deb-dir $2: no such directory" >&2
          exit 2
        }
        DEB_BUILD=0
        shift
        ;;
      --no-build) DEB_BUILD=0 ;;
      -h | --help)
        sed -n "${help}p" "$0"
        exit 0
        ;;
      *)
        say "$0: unknown option $1 (see --help)" >&2
        exit 2
        ;;
    esac
    shift
  done
}

# need_debs: DEB_DIR must hold a signpost-sync and a signpost-kiosk .deb;
# sets SYNC_DEB and KIOSK_DEB (the newest version of each when there are
# several). Exits 2 saying how to make them.
need_debs() {
  local p f v best best_v
  for p in signpost-sync signpost-kiosk; do
    best="" best_v=""
    for f in "$DEB_DIR/${p}"_*.deb; do
      [[ -e $f ]] || continue
      v=$(dpkg-deb -f "$f" Version)
      if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best_v"; then best=$f best_v=$v; fi
    done
    if [[ -z $best ]]; then
      say "$0: no ${p}_*.deb in $DEB_DIR: build them with tests/deploy/test-deb.sh (or see docs/deploy.md)" >&2
      exit 2
    fi
    if [[ $p == signpost-sync ]]; then SYNC_DEB=$best; else KIOSK_DEB=$best; fi
  done
}

need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    say "$0: needs root (debootstrap, chroot, mount); run with sudo" >&2
    exit 2
  fi
}

# Makes (once) the cached base root, and tops it up when the package list grows.
ensure_base_root() {
  if [[ ! -x "$SIGNPOST_BASE_ROOT/usr/bin/apt-get" ]]; then
    command -v debootstrap >/dev/null || {
      say "installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
    }
    say "debootstrap bookworm into $SIGNPOST_BASE_ROOT (once; a few minutes)"
    mkdir -p "$(dirname "$SIGNPOST_BASE_ROOT")"
    local inc
    inc=$(
      IFS=,
      echo "${SIGNPOST_BASE_PACKAGES[*]}"
    )
    debootstrap --variant=minbase --include="$inc" bookworm "$SIGNPOST_BASE_ROOT.new" \
      "$SIGNPOST_MIRROR" >"$(dirname "$SIGNPOST_BASE_ROOT")/debootstrap.log" 2>&1 || {
      say "debootstrap failed; see $(dirname "$SIGNPOST_BASE_ROOT")/debootstrap.log" >&2
      exit 1
    }
    mv "$SIGNPOST_BASE_ROOT.new" "$SIGNPOST_BASE_ROOT"
  fi
  local missing=() p
  for p in "${SIGNPOST_BASE_PACKAGES[@]}"; do
    # shellcheck disable=SC2016  # dpkg-query's own ${Status}
    chroot "$SIGNPOST_BASE_ROOT" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
      grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "adding ${missing[*]} to the base root"
    cp /etc/resolv.conf "$SIGNPOST_BASE_ROOT/etc/resolv.conf"
    mount_root "$SIGNPOST_BASE_ROOT"
    chroot "$SIGNPOST_BASE_ROOT" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$SIGNPOST_BASE_ROOT" \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    chroot "$SIGNPOST_BASE_ROOT" apt-get clean
    umount_root "$SIGNPOST_BASE_ROOT"
  fi
}

mount_root() {
  local r=$1
  mount -t proc proc "$r/proc"
  mount -t tmpfs tmpfs "$r/run"
  mkdir -p "$r/dev/pts"
}

umount_root() {
  local r=$1 m
  for m in "$r/run" "$r/proc"; do
    if mountpoint -q "$m"; then umount -l "$m"; fi
  done
}

# Copies the base root to a fresh throwaway root: sets TEST_ROOT.
new_test_root() {
  TEST_ROOT=$(mktemp -d /var/tmp/signpost-test/root.XXXXXX)
  cp -a "$SIGNPOST_BASE_ROOT/." "$TEST_ROOT/"
  cp /etc/resolv.conf "$TEST_ROOT/etc/resolv.conf"
  mount_root "$TEST_ROOT"
  export TEST_ROOT
  trap cleanup_test_root EXIT
}

cleanup_test_root() {
  if [[ -n "$TEST_ROOT" && -d "$TEST_ROOT" ]]; then
    umount_root "$TEST_ROOT"
    if [[ "$SIGNPOST_KEEP_ROOT" == 1 ]]; then
      say "test root kept: $TEST_ROOT"
    else
      rm -rf --one-file-system "$TEST_ROOT"
    fi
  fi
}

# in_root CMD...: runs a command inside the test root.
in_root() { chroot "$TEST_ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
export -f in_root

# make_pi_like_root DIR: makes DIR look like a fresh Raspberry Pi OS
# Bookworm Lite: /boot/firmware with the stock config.txt and cmdline.txt, a
# console login on tty1, and a stand-in raspi-config that turns on the
# overlay root the way the real one does (boot=overlay on the kernel line)
# and records its calls in /tmp/raspi-config.calls.
SIGNPOST_STOCK_CMDLINE=""
make_pi_like_root() {
  local r=$1
  mkdir -p "$r/boot/firmware"
  cat >"$r/boot/firmware/config.txt" <<'EOF'
# For more options and information see
# http://rptl.io/configtxt
dtparam=audio=on
camera_auto_detect=1
display_auto_detect=1
auto_initramfs=1
dtoverlay=vc4-kms-v3d
max_framebuffers=2
disable_fw_kms_setup=1
arm_64bit=1
disable_overscan=1
arm_boost=1

[cm4]
otg_mode=1

[all]
EOF
  SIGNPOST_STOCK_CMDLINE="console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait"
  echo "$SIGNPOST_STOCK_CMDLINE" >"$r/boot/firmware/cmdline.txt"
  mkdir -p "$r/etc/systemd/system/getty.target.wants"
  ln -sf /lib/systemd/system/getty@.service "$r/etc/systemd/system/getty.target.wants/getty@tty1.service"
  cat >"$r/usr/bin/raspi-config" <<'EOF'
#!/bin/sh
# test stand-in: records the call, and does what enable_overlayfs does to
# the kernel command line
echo "$*" >>/tmp/raspi-config.calls
[ "$1 $2" = "nonint enable_overlayfs" ] && sed -i '1s/^/boot=overlay /' /boot/firmware/cmdline.txt
exit 0
EOF
  chmod +x "$r/usr/bin/raspi-config"
}

summary() {
  if ((failures)); then
    say "$failures of $checks checks FAILED"
    return 1
  fi
  say "all $checks checks passed"
}
