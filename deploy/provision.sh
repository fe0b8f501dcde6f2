#!/usr/bin/env bash
# provision.sh -- turns a fresh Raspberry Pi OS Bookworm Lite or Debian 12
# machine into a Signpost kiosk. Run it as root on the kiosk itself:
#
#   sudo deploy/provision.sh --board rpi4 --display dsi7 \
#        --site "Kirkhaven Academy" --postcode "KH1 2AB" --deb-dir ./debs
#
# It is safe to run again: each step checks first and changes only what
# differs, and a run that finds nothing to do says so. --dry-run shows what
# would change without changing anything.
#
# Steps: install the signpost-sync and signpost-kiosk packages; write
# /etc/signpost/kiosk.toml (from --config and/or --site/--postcode/
# --pin-hash, checked by content-sync before it is used); the technician
# PIN file; old start-up settings out of /etc/default/signpost-kiosk (the
# kiosk reads kiosk.toml itself); the board profile (config.txt /
# cmdline.txt on a Pi, GRUB on x86); touch calibration; console login off
# on the display and screen blanking off; enable the services; optionally
# the read-only (overlay) root.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: provision.sh [options]

  --board rpi4|rpi5|x86   board profile (default: detected)
  --display auto|dsi7|td2|hdmi
                          Raspberry Pi panel: auto-detect, official 7" DSI,
                          Touch Display 2, HDMI (default auto)
  --display-options OPTS  extra options for the panel's overlay, e.g. dsi0
  --rotate 0|90|180|270   display rotation (default: [kiosk.display] rotation)
  --site NAME             site name ([kiosk] site_name)
  --postcode PC           where the kiosk stands ([kiosk] postcode)
  --pin-hash HASH         technician PIN hash from `signpost-kiosk --hash-pin`
  --pin-hash-file FILE    the same, read from FILE's first line (keeps the hash
                          out of process lists and Ansible's output)
  --config FILE           start from this kiosk.toml instead of the one on
                          the machine (flags above still apply on top)
  --deb-dir DIR           install signpost-sync/-kiosk .debs from DIR
                          (default: apt-get from the configured repositories)
  --kiosk-variant kmsdrm|cage
                          run the kiosk on bare KMS/DRM (default) or under cage
  --sample-catalogue      load the bundled sample catalogue if there is none yet
  --read-only-root        turn on the overlay (read-only) root via raspi-config
                          (Raspberry Pi OS only; takes effect after a reboot)
  --dry-run               show what would change; change nothing
  --root DIR              provision the system mounted at DIR instead of /
                          (an SD card image, a test chroot)
  -h, --help

Exit status: 0 done (or nothing to do), 1 a step failed, 2 bad usage or
a bad config value (the message names the field).
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
board="" display=auto display_opts="" rotate="" site="" postcode="" pin_hash=""
config_file="" deb_dir="" variant=kmsdrm sample=0 ro_root=0 dry=0 root=/
site_set=0 postcode_set=0 pin_set=0

die() {
  printf 'provision: %s\n' "$1" >&2
  exit "${2:-1}"
}
need_arg() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)" 2; }

while (($#)); do
  case $1 in
    --board) need_arg "$@"; board=$2; shift ;;
    --display) need_arg "$@"; display=$2; shift ;;
    --display-options) need_arg "$@"; display_opts=$2; shift ;;
    --rotate) need_arg "$@"; rotate=$2; shift ;;
    --site) need_arg "$@"; site=$2; site_set=1; shift ;;
    --postcode) need_arg "$@"; postcode=$2; postcode_set=1; shift ;;
    --pin-hash) need_arg "$@"; pin_hash=$2; pin_set=1; shift ;;
    --pin-hash-file)
      need_arg "$@"
      [[ -r $2 ]] || die "--pin-hash-file $2: cannot read it" 2
      IFS= read -r pin_hash <"$2" || true
      pin_set=1
      shift
      ;;
    --config) need_arg "$@"; config_file=$2; shift ;;
    --deb-dir) need_arg "$@"; deb_dir=$2; shift ;;
    --kiosk-variant) need_arg "$@"; variant=$2; shift ;;
    --sample-catalogue) sample=1 ;;
    --read-only-root) ro_root=1 ;;
    --dry-run) dry=1 ;;
    --root) need_arg "$@"; root=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" 2 ;;
  esac
  shift
done

# ---- validate flags ---------------------------------------------------------
root=$(cd "$root" 2>/dev/null && pwd) || die "--root: no such directory" 2
R=${root%/} # prefix for paths: "" for /
if [[ -z $board ]]; then
  model=$(tr -d '\0' <"$R/proc/device-tree/model" 2>/dev/null || true)
  case $model in
    *"Raspberry Pi 5"*) board=rpi5 ;;
    *"Raspberry Pi 4"* | *"Compute Module 4"*) board=rpi4 ;;
    *) if [[ $(uname -m) == x86_64 ]]; then board=x86; else die "cannot tell the board: give --board rpi4|rpi5|x86" 2; fi ;;
  esac
fi
case $board in rpi4 | rpi5 | x86) ;; *) die "--board must be rpi4, rpi5 or x86, not '$board'" 2 ;; esac
case $display in auto | dsi7 | td2 | hdmi) ;; *) die "--display must be auto, dsi7, td2 or hdmi, not '$display'" 2 ;; esac
case $variant in kmsdrm | cage) ;; *) die "--kiosk-variant must be kmsdrm or cage, not '$variant'" 2 ;; esac
[[ -z $rotate || $rotate =~ ^(0|90|180|270)$ ]] || die "--rotate must be 0, 90, 180 or 270, not '$rotate'" 2
[[ $display_opts =~ ^[A-Za-z0-9_,=.-]*$ ]] || die "--display-options: letters, digits and , = . - _ only" 2
if [[ $site =~ [[:cntrl:]] ]]; then die "--site: no control characters" 2; fi
if ((postcode_set)) && [[ -n $postcode && ! $postcode =~ ^[A-Za-z0-9\ ]{2,8}$ ]]; then
  die "--postcode '$postcode' does not look like a UK postcode (e.g. LS1 4AP)" 2
fi
if ((pin_set)) && [[ ! $pin_hash =~ ^\$argon2id?\$ ]]; then
  die "--pin-hash must be the line from 'signpost-kiosk --hash-pin' (starts with \$argon2id\$)" 2
fi
[[ -z $config_file || -r $config_file ]] || die "--config $config_file: cannot read it" 2
if [[ -n $deb_dir ]]; then
  [[ -d $deb_dir ]] || die "--deb-dir $deb_dir: no such directory" 2
  deb_dir=$(cd "$deb_dir" && pwd)
fi
if ((ro_root)) && [[ $board == x86 ]]; then
  die "--read-only-root is for Raspberry Pi OS (raspi-config); not on x86" 2
fi
if ((!dry)) && [[ $(id -u) -ne 0 ]]; then die "run as root (sudo), or with --dry-run" 2; fi
# On a running kiosk with the overlay root on, changes would vanish at the
# next reboot: say how to turn it off first.
if ((!dry)) && [[ -z $R ]] && [[ $(findmnt -n -o FSTYPE / 2>/dev/null || true) == overlay ]]; then
  die "the root file system is read-only (overlay) now, so changes would be lost at reboot. Run
  sudo raspi-config nonint disable_overlayfs && sudo reboot
then provision.sh again (with --read-only-root to turn it back on)" 2
fi

# ---- reporting --------------------------------------------------------------
changes=0
reboot=0
changed() {
  changes=$((changes + 1))
  if ((dry)); then printf '  would change: %s\n' "$*"; else printf '  changed:      %s\n' "$*"; fi
}
same() { printf '  unchanged:    %s\n' "$*"; }
note() { printf '  note:         %s\n' "$*"; }
step() { printf '%s\n' "$*"; }

# run CMD...: runs a command in the target system (chroot for --root).
run() {
  if [[ -n $R ]]; then chroot "$R" "$@"; else "$@"; fi
}
# sysctl_ ARGS: systemctl against the target's unit files (works offline).
sysctl_() {
  if [[ -n $R ]]; then systemctl --root="$R" "$@"; else systemctl "$@"; fi
}

# put_file DEST MODE OWNER:GROUP < content -- writes DEST (a path in the
# target) only when its content or mode differ.
put_file() {
  local dest=$1 mode=$2 owner=$3 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [[ -f $R$dest ]] && cmp -s "$tmp" "$R$dest" &&
    [[ $(stat -c %a "$R$dest") == "$mode" ]]; then
    rm -f "$tmp"
    same "$dest"
    return 0
  fi
  changed "$dest"
  if ((!dry)); then
    mkdir -p "$(dirname "$R$dest")"
    install -m "$mode" "$tmp" "$R$dest"
    run chown "$owner" "$dest"
  fi
  rm -f "$tmp"
}

# ---- TOML helpers (for this file's simple one-line `key = value` form) ------
# toml_get FILE SECTION KEY: the raw value ("..." quotes removed), or nothing.
toml_get() {
  awk -v want="$2" -v key="$3" '
    /^[[:space:]]*\[/ { s = $0; gsub(/^[[:space:]]*\[+|\]+[[:space:]]*(#.*)?$/, "", s); sec = s; next }
    sec == want && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" {
      v = $0; sub(/^[^=]*=[[:space:]]*/, "", v)
      if (v ~ /^"/) { sub(/^"/, "", v); sub(/"[^"]*$/, "", v); gsub(/\\"/, "\"", v); gsub(/\\\\/, "\\", v) }
      else { sub(/[[:space:]]*#.*$/, "", v); sub(/[[:space:]]+$/, "", v) }
      print v; exit
    }' "$1"
}
# toml_set FILE SECTION KEY VALUE: prints FILE with KEY set to the TOML
# literal VALUE in [SECTION] (replacing a commented-out default if there is
# one; adding the section if missing).
toml_set() {
  # The value goes through the environment: awk -v would eat its backslashes.
  TOML_VAL=$4 awk -v want="$2" -v key="$3" '
    function emit() { print key " = " ENVIRON["TOML_VAL"]; done = 1 }
    /^[[:space:]]*\[/ {
      if (sec == want && !done) emit()
      s = $0; gsub(/^[[:space:]]*\[+|\]+[[:space:]]*(#.*)?$/, "", s); sec = s
      print; next
    }
    sec == want && !done && $0 ~ "^[[:space:]]*#?[[:space:]]*" key "[[:space:]]*=" { emit(); next }
    sec == want && done && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { next }
    { print }
    END {
      if (!done && sec == want) emit()
      else if (!done) { print ""; print "[" want "]"; emit() }
    }' "$1"
}
toml_string() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

((dry)) && step "Dry run: nothing will be changed."
step "Provisioning ${R:-/} as a Signpost kiosk (board $board)"

# ---- 1. packages --------------------------------------------------------------
step "1. packages"
# shellcheck disable=SC2016  # dpkg-query's own ${Status} ${Version}
installed_version() { run dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '$3 == "installed" { print $4 }' || true; }
apt_env=(env DEBIAN_FRONTEND=noninteractive)
apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef)
want_pkgs=(signpost-sync signpost-kiosk)
[[ $variant == cage ]] && want_pkgs+=(cage)
if [[ -n $deb_dir ]]; then
  to_install=()
  for p in signpost-sync signpost-kiosk; do
    best="" best_v=""
    for f in "$deb_dir"/"${p}"_*.deb; do
      [[ -e $f ]] || continue
      v=$(dpkg-deb -f "$f" Version)
      if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best_v"; then best=$f best_v=$v; fi
    done
    [[ -n $best ]] || die "--deb-dir $deb_dir has no ${p}_*.deb"
    have=$(installed_version "$p")
    if [[ $have == "$best_v" ]]; then
      same "$p $have installed"
    elif [[ -n $have ]] && dpkg --compare-versions "$have" gt "$best_v"; then
      same "$p $have installed (newer than $best_v in --deb-dir; left alone)"
    else
      changed "$p ${have:+$have -> }$best_v"
      to_install+=("$best")
    fi
  done
  extra=()
  [[ $variant == cage && -z $(installed_version cage) ]] && extra+=(cage) && changed "cage (from apt)"
  if ((!dry)) && ((${#to_install[@]} + ${#extra[@]})); then
    # A fresh folder with an unpredictable name (not a fixed /tmp path
    # another user could create first and fill with packages of their own).
    mkdir -p "$R/tmp"
    stage=$(mktemp -d "$R/tmp/signpost-provision-debs.XXXXXXXX")
    chmod 700 "$stage"
    paths=()
    for f in "${to_install[@]}"; do
      cp "$f" "$stage/"
      paths+=("/tmp/$(basename "$stage")/$(basename "$f")")
    done
    run "${apt_env[@]}" apt-get install "${apt_opts[@]}" "${paths[@]}" "${extra[@]}" >"$R/tmp/signpost-provision-apt.log" 2>&1 || {
      cat "$R/tmp/signpost-provision-apt.log" >&2
      die "installing the packages failed (apt's messages above)"
    }
    rm -f "$R/tmp/signpost-provision-apt.log"
    rm -rf "$stage"
  fi
else
  missing=()
  for p in "${want_pkgs[@]}"; do
    if [[ -n $(installed_version "$p") ]]; then same "$p installed"; else missing+=("$p"); changed "$p (from apt)"; fi
  done
  if ((!dry)) && ((${#missing[@]})); then
    mkdir -p "$R/tmp"
    run "${apt_env[@]}" apt-get install "${apt_opts[@]}" "${missing[@]}" >"$R/tmp/signpost-provision-apt.log" 2>&1 || {
      cat "$R/tmp/signpost-provision-apt.log" >&2
      die "apt-get install ${missing[*]} failed: is the Signpost repository configured? Or use --deb-dir DIR"
    }
    rm -f "$R/tmp/signpost-provision-apt.log"
  fi
fi
if ((dry)) && [[ -z $(installed_version signpost-sync) ]]; then
  note "the packages are not installed yet: later steps show the state before installing"
fi

# ---- 2. config ------------------------------------------------------------------
step "2. /etc/signpost/kiosk.toml"
cfg=/etc/signpost/kiosk.toml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n $config_file ]]; then
  cp "$config_file" "$work/kiosk.toml"
elif [[ -f $R$cfg ]]; then
  cp "$R$cfg" "$work/kiosk.toml"
elif [[ -f $here/../board-config/kiosk.toml ]]; then
  cp "$here/../board-config/kiosk.toml" "$work/kiosk.toml"
else
  die "no $cfg and no --config: install the packages first"
fi
apply() { toml_set "$work/kiosk.toml" "$1" "$2" "$3" >"$work/next" && mv "$work/next" "$work/kiosk.toml"; }
((site_set)) && apply kiosk site_name "$(toml_string "$site")"
((postcode_set)) && apply kiosk postcode "$(toml_string "$postcode")"
((pin_set)) && apply kiosk technician_pin_hash "$(toml_string "$pin_hash")"
[[ -n $rotate ]] && apply kiosk.display rotation "$rotate"
# Check it with content-sync's own parser (exit 2 names the bad field).
if [[ -x $R/usr/bin/content-sync ]]; then
  mkdir -p "$R/tmp"
  chk=$(mktemp "$R/tmp/signpost-provision-check.XXXXXX")
  cp "$work/kiosk.toml" "$chk"
  set +e
  msg=$(run /usr/bin/content-sync --config "${chk#"$R"}" --catalogue /nonexistent/signpost-check.db status 2>&1 >/dev/null)
  rc=$?
  set -e
  rm -f "$chk"
  if ((rc == 2)); then die "the config is not valid, nothing was changed: ${msg//${chk#"$R"}/kiosk.toml}" 2; fi
fi
# The kiosk's own fields provision.sh uses or can check cheaply. (The kiosk
# would start on the default for a bad one; here it stops before anything
# is written, naming the field.)
rot=$(toml_get "$work/kiosk.toml" kiosk.display rotation)
rot=${rot:-0}
[[ $rot =~ ^(0|90|180|270)$ ]] || die "[kiosk.display] rotation must be 0, 90, 180 or 270, not '$rot'" 2
pc=$(toml_get "$work/kiosk.toml" kiosk postcode)
idle=$(toml_get "$work/kiosk.toml" kiosk idle_timeout_s)
[[ -z $idle || $idle =~ ^[0-9]+$ ]] || die "[kiosk] idle_timeout_s must be a whole number of seconds, not '$idle'" 2
[[ -z $pc || $pc =~ ^[A-Za-z0-9\ ]{2,8}$ ]] || die "[kiosk] postcode '$pc' does not look like a UK postcode" 2
put_file "$cfg" 640 root:signpost <"$work/kiosk.toml"

# The technician PIN hash, where the kiosk reads it today.
hash=$(toml_get "$work/kiosk.toml" kiosk technician_pin_hash)
if [[ -n $hash ]]; then
  printf '%s\n' "$hash" | put_file /etc/signpost/technician-pin 640 root:signpost
elif [[ -e $R/etc/signpost/technician-pin ]]; then
  same "/etc/signpost/technician-pin (kept; no technician_pin_hash in the config)"
fi

# ---- 3. extra kiosk flags ------------------------------------------------------
# The kiosk units pass --config /etc/signpost/kiosk.toml: the kiosk reads its
# settings there itself. /etc/default/signpost-kiosk is only for a
# technician's SIGNPOST_KIOSK_ARGS="..." (flags that beat the file). Older
# versions of this script copied the postcode, idle timeout and rotation
# there; those lines would now only mislead, so they are taken out (the
# file goes when nothing else is in it).
step "3. /etc/default/signpost-kiosk (extra kiosk flags only)"
defaults=/etc/default/signpost-kiosk
if [[ -f $R$defaults ]]; then
  grep -Ev '^(SIGNPOST_(POSTCODE|IDLE_TIMEOUT|ROTATE)=|# Written by signpost provision\.sh|# file and run provision\.sh again)' \
    "$R$defaults" >"$work/defaults" || true
  if cmp -s "$work/defaults" "$R$defaults"; then
    same "$defaults (extra kiosk flags only)"
  elif grep -Eq '^[[:space:]]*[A-Za-z_]+=' "$work/defaults"; then
    put_file "$defaults" 644 root:root <"$work/defaults"
  else
    changed "$defaults removed (the kiosk reads kiosk.toml itself)"
    ((dry)) || rm -f "$R$defaults"
  fi
else
  same "no $defaults (no extra kiosk flags)"
fi

# ---- 4. board profile --------------------------------------------------------------
step "4. board profile ($board)"
profile=$here/../board-config/boards/$board
[[ -d $profile ]] || profile=$R/usr/share/signpost/boards/$board
[[ -d $profile ]] || die "no board profile for $board (board-config/boards/$board)"

# Replaces the "# BEGIN signpost" .. "# END signpost" block of FILE with
# stdin (or appends it).
put_block() {
  local file=$1 block new
  block=$(cat)
  new=$(mktemp)
  BLOCK=$block awk '
    /^# BEGIN signpost/ { skip = 1; if (!done) { print ENVIRON["BLOCK"]; done = 1 } ; next }
    /^# END signpost/ { skip = 0; next }
    !skip { print }
    END { if (!done) { print ""; print ENVIRON["BLOCK"] } }' "$R$file" >"$new"
  # No blank line growth on repeated runs.
  cat -s "$new" >"$new.s"
  if cmp -s "$new.s" "$R$file"; then
    same "$file"
  else
    changed "$file"
    reboot=1
    ((dry)) || cat "$new.s" >"$R$file"
  fi
  rm -f "$new" "$new.s"
}

if [[ $board == rpi4 || $board == rpi5 ]]; then
  boot=/boot/firmware
  [[ -f $R$boot/config.txt ]] || boot=/boot
  if [[ ! -f $R$boot/config.txt || ! -f $R$boot/cmdline.txt ]]; then
    note "no config.txt/cmdline.txt in /boot/firmware or /boot: not Raspberry Pi OS? board settings skipped"
  else
    # The kiosk turns its own picture and touches (signpost-kiosk --rotate,
    # from [kiosk.display] rotation), so the panel and its touch controller
    # stay in their native orientation here. Only the boot console is
    # turned to match, on the official panels (a kernel video= option).
    overlay="" video=""
    case $display in
      dsi7)
        overlay=vc4-kms-dsi-7inch
        [[ $rot != 0 ]] && video="video=DSI-1:800x480@60,rotate=$rot"
        ;;
      td2)
        overlay=vc4-kms-dsi-ili9881-7inch
        [[ $rot != 0 ]] && video="video=DSI-1:720x1280@60,rotate=$rot"
        ;;
    esac
    {
      echo "# BEGIN signpost -- managed by signpost provision.sh (board $board, display $display); edits here are overwritten"
      grep -v '^#' "$profile/config.txt" | sed '/^$/d'
      if [[ -n $overlay ]]; then
        echo "dtoverlay=$overlay${display_opts:+,$display_opts}"
      fi
      echo "# END signpost"
    } | put_block "$boot/config.txt"

    # cmdline.txt: one line of words. Ours replace any earlier value of the
    # same word; a video= rotation for a connector is ours too.
    read -r -a words <"$profile/cmdline.txt"
    [[ -n $video ]] && words+=("$video")
    cur=$(head -n1 "$R$boot/cmdline.txt")
    new_line=$(printf '%s\n' "$cur" | tr ' ' '\n' | sed '/^$/d' | awk -v ours="${words[*]}" '
      BEGIN { n = split(ours, w, " "); for (i = 1; i <= n; i++) { k = w[i]; sub(/=.*/, "", k); if (k != "video") mine[k] = 1 } }
      { k = $0; sub(/=.*/, "", k) }
      (k in mine) || (k == "video" && $0 ~ /rotate=/) { next }
      { out = out (out == "" ? "" : " ") $0 }
      END { for (i = 1; i <= n; i++) out = out (out == "" ? "" : " ") w[i]; print out }')
    if [[ $cur == "$new_line" ]]; then
      same "$boot/cmdline.txt"
    else
      changed "$boot/cmdline.txt (screen blanking off, quiet console${video:+, $video})"
      reboot=1
      ((dry)) || printf '%s\n' "$new_line" >"$R$boot/cmdline.txt"
    fi
  fi
else
  grep -v '^#' "$profile/grub.cfg" | sed '/^$/d' >"$work/grub.cfg"
  before=$changes
  put_file /etc/default/grub.d/signpost.cfg 644 root:root <"$work/grub.cfg"
  if ((changes > before)); then
    reboot=1
    if ((!dry)) && [[ -z $R ]] && command -v update-grub >/dev/null; then
      update-grub >/dev/null 2>&1 || note "update-grub failed: run it by hand"
    elif ((!dry)); then
      note "run update-grub on the kiosk itself to apply"
    fi
  fi
fi

# ---- 5. touch calibration -------------------------------------------------------------
step "5. touch calibration"
matrix=$(toml_get "$work/kiosk.toml" kiosk.touch matrix | tr -d '[] ' | tr ',' ' ')
rules=/etc/udev/rules.d/99-signpost-touch.rules
if [[ -n $matrix && $matrix != "1 0 0 0 1 0" ]]; then
  [[ $matrix =~ ^(-?[0-9.]+\ ){5}-?[0-9.]+$ ]] || die "[kiosk.touch] matrix must be six numbers, e.g. [1, 0, 0, 0, 1, 0]" 2
  echo "ENV{ID_INPUT_TOUCHSCREEN}==\"1\", ENV{LIBINPUT_CALIBRATION_MATRIX}=\"$matrix\"" |
    put_file "$rules" 644 root:root
elif [[ -e $R$rules ]]; then
  changed "$rules removed (identity matrix)"
  ((dry)) || rm -f "$R$rules"
else
  same "no calibration needed (identity matrix)"
fi

# ---- 6. console and services ------------------------------------------------------------
step "6. console login off on the display, services on"
link_is() { [[ -L $R$1 && $(readlink "$R$1") == "$2" ]]; }
if link_is /etc/systemd/system/getty@tty1.service /dev/null; then
  same "getty@tty1 (console login on the display) masked"
else
  changed "mask getty@tty1 (console login on the display)"
  ((dry)) || sysctl_ mask getty@tty1.service >/dev/null 2>&1
fi
# A keyboard plugged into the kiosk must not reach the system: no magic
# SysRq keys, no Ctrl+Alt+Del reboot, no login prompts on spare consoles.
printf '# Signpost kiosk (provision.sh): no magic SysRq keys\nkernel.sysrq = 0\n' |
  put_file /etc/sysctl.d/90-signpost-kiosk.conf 644 root:root
printf '# Signpost kiosk (provision.sh): no logins on spare virtual consoles\n[Login]\nNAutoVTs=0\nReserveVT=0\n' |
  put_file /etc/systemd/logind.conf.d/90-signpost-kiosk.conf 644 root:root
printf '# Signpost kiosk (provision.sh): Ctrl+Alt+Del does nothing\n[Manager]\nCtrlAltDelBurstAction=none\n' |
  put_file /etc/systemd/system.conf.d/90-signpost-kiosk.conf 644 root:root
if link_is /etc/systemd/system/ctrl-alt-del.target /dev/null; then
  same "ctrl-alt-del.target masked"
else
  changed "mask ctrl-alt-del.target (Ctrl+Alt+Del does not reboot the kiosk)"
  ((dry)) || sysctl_ mask ctrl-alt-del.target >/dev/null 2>&1
fi
if link_is /etc/systemd/system/default.target /lib/systemd/system/multi-user.target ||
  link_is /etc/systemd/system/default.target /usr/lib/systemd/system/multi-user.target; then
  same "boots to multi-user.target (no desktop)"
else
  changed "boot to multi-user.target (no desktop)"
  ((dry)) || sysctl_ set-default multi-user.target >/dev/null 2>&1
fi
if [[ $variant == cage ]]; then enable_units=(signpost-sync.service signpost-kiosk-cage.service) disable_units=(signpost-kiosk.service)
else enable_units=(signpost-sync.service signpost-kiosk.service) disable_units=(signpost-kiosk-cage.service); fi
wants=/etc/systemd/system/multi-user.target.wants
for u in "${enable_units[@]}"; do
  if [[ -L $R$wants/$u && -e $R/lib/systemd/system/$u ]]; then
    same "$u enabled"
  else
    changed "enable $u"
    ((dry)) || sysctl_ enable "$u" >/dev/null 2>&1 || die "systemctl enable $u failed"
  fi
done
for u in "${disable_units[@]}"; do
  if [[ -L $R$wants/$u ]]; then
    changed "disable $u"
    ((dry)) || sysctl_ disable "$u" >/dev/null 2>&1
  fi
done

# ---- 7. sample catalogue ----------------------------------------------------------------
if ((sample)); then
  step "7. sample catalogue"
  catpath=$(toml_get "$work/kiosk.toml" sync catalogue)
  catpath=${catpath:-/var/lib/signpost/catalogue.db}
  if [[ -s $R$catpath ]]; then
    same "a catalogue is already at $catpath"
  else
    changed "load the sample catalogue into $catpath"
    if ((!dry)); then
      run runuser -u signpost -- signpost-catalogue --catalogue "$catpath" load-sample >/dev/null ||
        die "loading the sample catalogue failed"
    fi
  fi
fi

# ---- 8. read-only root --------------------------------------------------------------------
if ((ro_root)); then
  step "8. read-only (overlay) root"
  boot=/boot/firmware
  [[ -f $R$boot/cmdline.txt ]] || boot=/boot
  if grep -qw 'boot=overlay' "$R$boot/cmdline.txt" 2>/dev/null; then
    same "overlay root already on"
  elif [[ -x $R/usr/bin/raspi-config ]]; then
    changed "turn on the overlay root (raspi-config nonint enable_overlayfs)"
    reboot=1
    if ((!dry)); then
      run raspi-config nonint enable_overlayfs || die "raspi-config nonint enable_overlayfs failed"
    fi
  else
    note "raspi-config is not installed (not Raspberry Pi OS): read-only root skipped"
  fi
fi

# ---- done -------------------------------------------------------------------------------------
echo
if ((changes == 0)); then
  echo "Nothing to change: this kiosk is already provisioned."
elif ((dry)); then
  echo "$changes change(s) would be made. Run again without --dry-run to make them."
else
  echo "$changes change(s) made."
fi
if ((reboot)) && ((changes)); then
  echo "Reboot to apply the board settings and start the kiosk: sudo reboot"
elif ((changes)) && ((!dry)) && [[ -z $R ]] && [[ -d /run/systemd/system ]]; then
  systemctl try-restart signpost-sync.service >/dev/null 2>&1 || true
  # Not restarted here: the kiosk takes over tty1, which may be this very
  # session. It picks up the new settings when it next starts.
  echo "Start (or restart) the kiosk with: sudo systemctl restart signpost-kiosk  (or reboot)"
  echo "Check with: signpost-doctor"
fi
exit 0
