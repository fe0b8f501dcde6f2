#!/usr/bin/env bash
# build-image.sh -- builds a flashable Signpost kiosk image from Debian 12
# packages and the project's own signpost-sync / signpost-kiosk .debs.
#
#   sudo deploy/image/build-image.sh --board x86 --deb-dir build/release/packages --out build/image
#   sudo deploy/image/build-image.sh --board rpi4 --deb-dir build/arm64-release/packages --out build/image
#
# Outputs in --out (NAME = signpost-<board>-<version>):
#   NAME.img.xz         the disk image (flash it with Raspberry Pi Imager,
#                       bmaptool, or any image writer)
#   NAME.img.bmap       bmaptool's block map (writes only the used blocks)
#   NAME.img.xz.sha256  checksum of the compressed image
#   NAME.img            the raw image (kept with --keep-raw; the QEMU tests use it)
#   NAME.rpi-imager.json  a Raspberry Pi Imager custom repository listing it
#
# How: mmdebstrap makes the root file system from Debian's archive (the
# board's kernel and firmware, Mesa, systemd-networkd, wpa_supplicant...);
# deploy/provision.sh then installs the .debs and applies the board profile
# in that root exactly as it does on a running Raspberry Pi OS (--root); the
# files in deploy/image/files/ add the image's own boot-time setup. The disk
# is assembled without loop devices or mounts (mke2fs -d, mkfs.vfat + mtools,
# sfdisk on a file), so it also builds inside a container.
#
# Disk layout (MBR, so the partition table is one 512-byte sector and
# growing the data partition at first boot is a single-sector write):
#   1  SIGNPOST  FAT32  256 MiB  boot files and signpost.toml (mounted
#                                read-only at /boot/firmware)
#   2  system A  ext4   --system-mb, mounted read-only at /
#   3  system B  ext4   same size, empty: the slot an update writes
#   4  data      ext4   --data-mb, grown to fill the card at first boot;
#                                mounted at /var/lib/signpost
#
# Needs root (chroot into the new root), and: mmdebstrap, e2fsprogs,
# dosfstools, mtools, fdisk, xz-utils, bmap-tools (deploy/install-deps.sh
# --image-tools). The arm64 image on an amd64 machine also needs
# qemu-user-static and binfmt_misc (see docs/flash-and-go.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

usage() { sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; }

board="" deb_dir="" out="" mirror=${SIGNPOST_MIRROR:-http://deb.debian.org/debian}
security_mirror=${SIGNPOST_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
system_mb="" data_mb=128 boot_mb=256 keep_raw=0 xz_level=6 version="" base_cache=""
die() {
  printf 'build-image: %s\n' "$1" >&2
  exit "${2:-1}"
}
while (($#)); do
  case $1 in
    --board) board=${2:?}; shift ;;
    --deb-dir) deb_dir=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --mirror) mirror=${2:?}; shift ;;
    --system-mb) system_mb=${2:?}; shift ;;
    --data-mb) data_mb=${2:?}; shift ;;
    --version) version=${2:?}; shift ;;
    --keep-raw) keep_raw=1 ;;
    --xz-level) xz_level=${2:?}; shift ;;
    # Developers only: reuse a root made by an earlier run (never in CI).
    --base-cache) base_cache=${2:?}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" 2 ;;
  esac
  shift
done
case $board in
  x86) arch=amd64 ;;
  rpi4) arch=arm64 ;;
  rpi5) die "the Raspberry Pi 5 is not supported by Debian 12's kernel: use Raspberry Pi OS and deploy/provision.sh (docs/flash-and-go.md)" 2 ;;
  *) die "--board must be x86 or rpi4" 2 ;;
esac
[[ -n $deb_dir && -d $deb_dir ]] || die "--deb-dir DIR (with signpost-sync_*.deb and signpost-kiosk_*.deb) is needed" 2
[[ -n $out ]] || die "--out DIR is needed" 2
[[ $(id -u) -eq 0 ]] || die "run as root (it chroots into the new root file system)" 2
deb_dir=$(cd "$deb_dir" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
for t in mmdebstrap mke2fs mkfs.vfat mcopy sfdisk xz bmaptool; do
  command -v "$t" >/dev/null || die "$t is missing: run deploy/install-deps.sh --image-tools" 2
done

pick_deb() { # NAME -> newest NAME_*_ARCH.deb in deb_dir
  local best="" best_v="" f v
  for f in "$deb_dir/$1"_*_"$arch".deb; do
    [[ -e $f ]] || continue
    v=$(dpkg-deb -f "$f" Version)
    if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$best_v"; then best=$f best_v=$v; fi
  done
  [[ -n $best ]] || die "no $1_*_$arch.deb in $deb_dir"
  echo "$best"
}
sync_deb=$(pick_deb signpost-sync)
kiosk_deb=$(pick_deb signpost-kiosk)
[[ -n $version ]] || version=$(dpkg-deb -f "$sync_deb" Version)
name=signpost-$board-$version
say() { printf '[%4ds] %s\n' "$SECONDS" "$*"; }
say "building $name from $(basename "$sync_deb") $(basename "$kiosk_deb")"

# ---- packages from Debian -----------------------------------------------------
common_pkgs=(
  systemd systemd-sysv udev dbus systemd-timesyncd systemd-resolved
  initramfs-tools zstd kbd console-setup-linux
  e2fsprogs cloud-guest-utils fdisk util-linux procps iproute2 ca-certificates sqlite3
  wpasupplicant wireless-regdb
  # the display path: KMS/DRM through Mesa (GBM + EGL + GLES)
  libgl1-mesa-dri libegl1 libegl-mesa0 libgles2 libgbm1
  # off by default; signpost.toml [image] metrics = true turns it on
  prometheus-node-exporter
)
case $board in
  x86) board_pkgs=(linux-image-amd64 grub-efi-amd64-bin firmware-iwlwifi firmware-realtek) ;;
  rpi4) board_pkgs=(linux-image-arm64 raspi-firmware firmware-brcm80211) ;;
esac
include=$(
  IFS=,
  echo "${common_pkgs[*]},${board_pkgs[*]}"
)

# A foreign architecture (arm64 on amd64): its programs run under qemu-user.
# With binfmt_misc (qemu-user-static registered) chroot just works; without
# it (in a container, usually) mmdebstrap runs in proot mode and `chroot`
# below is proot with qemu, for provision.sh too.
mode=root
host_arch=$(dpkg --print-architecture)
work=${SIGNPOST_IMAGE_WORK:-/var/tmp/signpost-image}/$board
if [[ $arch != "$host_arch" ]] && ! grep -qs '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  command -v proot >/dev/null && command -v qemu-aarch64-static >/dev/null ||
    die "building for $arch here needs binfmt_misc, or proot and qemu-user-static (apt-get install proot qemu-user-static)" 2
  mode=proot
  mkdir -p "$work.shim"
  cat >"$work.shim/chroot" <<'SHIM'
#!/bin/sh
# chroot ROOT CMD... for a foreign-architecture root without binfmt_misc
root=$1
shift
exec proot -q qemu-aarch64-static -0 -r "$root" -b /proc -b /sys -b /dev -w / "$@"
SHIM
  chmod +x "$work.shim/chroot"
  export PATH=$work.shim:$PATH
fi
rootfs=$work/rootfs
mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    m=${mounted[$i]}
    mountpoint -q "$m" && umount -l "$m"
  done
}
trap cleanup EXIT
# An earlier run that was killed may have left its root's /proc, /sys, /dev
# and /run mounted: unmount them first, and never delete across a mount.
# (grep finds nothing on a clean machine: that is not a failure.)
{ findmnt -rn -o TARGET | grep -F "$work/" || true; } | sort -r | while read -r m; do umount -l "$m"; done
rm -rf --one-file-system "$work"
mkdir -p "$work"
say "mode: $mode (host $host_arch, image $arch)"

# ---- 1. the root file system ---------------------------------------------------------
sources="deb $mirror bookworm main non-free-firmware
deb $mirror bookworm-updates main non-free-firmware
deb $security_mirror bookworm-security main non-free-firmware"
if [[ -n $base_cache && -d $base_cache/usr ]]; then
  say "1. root file system: copying the cached root $base_cache (developer option)"
  cp -a "$base_cache/." "$rootfs/"
else
  say "1. root file system: mmdebstrap bookworm $arch (${#common_pkgs[@]} + ${#board_pkgs[@]} packages and their dependencies)"
  mmdebstrap --mode="$mode" --variant=minbase --architectures="$arch" --components=main,non-free-firmware \
    --include="$include" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --aptopt='APT::Install-Recommends "false"' --dpkgopt=force-unsafe-io \
    --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && printf "# Signpost image: any storage controller, zstd for speed.\nMODULES=most\nCOMPRESS=zstd\n" >"$1/etc/initramfs-tools/conf.d/signpost.conf"' \
    bookworm "$rootfs" - <<<"$sources" >"$work/mmdebstrap.log" 2>&1 || {
    tail -30 "$work/mmdebstrap.log" >&2
    die "mmdebstrap failed (log: $work/mmdebstrap.log)"
  }
  if [[ -n $base_cache ]]; then
    rm -rf "$base_cache"
    mkdir -p "$base_cache"
    cp -a "$rootfs/." "$base_cache/"
  fi
fi

mnt() { # SRC DEST [mount options...]
  mkdir -p "$2"
  mount "${@:3}" "$1" "$2"
  mounted+=("$2")
}
mnt proc "$rootfs/proc" -t proc
mnt sysfs "$rootfs/sys" -t sysfs
mnt /dev "$rootfs/dev" --bind
mnt devpts "$rootfs/dev/pts" -t devpts
mnt tmpfs "$rootfs/run" -t tmpfs
cp /etc/resolv.conf "$rootfs/etc/resolv.conf.build" 2>/dev/null || true
rm -f "$rootfs/etc/resolv.conf"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
in_root() { chroot "$rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# mmdebstrap empties the root's package lists when it finishes; provision.sh
# installs the .debs' dependencies with apt, so it needs them back (they are
# removed again in step 7).
in_root apt-get update -qq >"$work/apt-update.log" 2>&1 ||
  die "apt-get update in the new root failed: $work/apt-update.log"
if [[ -n $base_cache ]]; then # a cached root may lack packages added since
  in_root apt-get install -y -qq --no-install-recommends \
    "${common_pkgs[@]}" "${board_pkgs[@]}" >"$work/apt-cache-topup.log" 2>&1 ||
    die "topping up the cached root failed: $work/apt-cache-topup.log"
fi

# ---- 2. the signpost user, with fixed ids ---------------------------------------------
# The data partition outlives the system partition (an update replaces the
# system, the data stays), so the owner of /var/lib/signpost must have the
# same uid in every image. The package's postinst keeps an existing user.
say "2. the signpost user (uid/gid 980) and the .debs, through deploy/provision.sh --root"
sp_id=980
if in_root getent group $sp_id >/dev/null || in_root getent passwd $sp_id >/dev/null; then
  die "uid/gid $sp_id is taken in the new root: pick another in build-image.sh"
fi
in_root groupadd --system --gid $sp_id signpost
in_root useradd --system --uid $sp_id --gid signpost --home-dir /var/lib/signpost \
  --no-create-home --shell /usr/sbin/nologin --comment "Signpost kiosk" signpost

# ---- 3. provision.sh: packages, config, board profile, services -----------------------
# The same script a technician runs on Raspberry Pi OS, pointed at this root.
mkdir -p "$work/debs"
cp "$sync_deb" "$kiosk_deb" "$work/debs/"
prov_args=(--root "$rootfs" --board "$board" --deb-dir "$work/debs")
[[ $board == rpi4 ]] && prov_args+=(--display auto)
if [[ $board == rpi4 ]]; then
  # raspi-firmware's kernel hook wrote /boot/firmware/{config,cmdline}.txt
  # for Debian's kernel; provision.sh adds the board profile's block.
  [[ -f $rootfs/boot/firmware/config.txt ]] || die "raspi-firmware did not populate /boot/firmware"
fi
"$repo/deploy/provision.sh" "${prov_args[@]}" >"$work/provision.log" 2>&1 || {
  cat "$work/provision.log" >&2
  die "provision.sh --root failed"
}
sed 's/^/    /' "$work/provision.log"

# ---- 4. the image's own files ------------------------------------------------------------
say "4. image files (boot-time setup from signpost.toml, read-only system, data partition)"
cp -a "$here/files/." "$rootfs/"
lib=$rootfs/usr/lib/signpost-image
mkdir -p "$lib/deploy" "$lib/board-config"
# provision.sh and the board profiles, for the boot-time setup: the same
# code, not a copy of its logic (it finds ../board-config/boards/BOARD).
install -m 0755 "$repo/deploy/provision.sh" "$lib/deploy/provision.sh"
cp -a "$repo/board-config/boards" "$lib/board-config/"
install -m 0644 "$here/signpost.toml" "$lib/signpost.toml.default"
echo "$board" >"$lib/board"
echo "$version" >"$lib/version"
chmod 0755 "$lib"/signpost-* 2>/dev/null || true

# The MBR disk id is the same in every Signpost image, so a system built
# later (an update written into the other slot) finds its partitions by the
# same PARTUUIDs (5167a05e-01..04) on a card flashed earlier.
disk_id=5167a05e
uuid_sys_a=$(cat /proc/sys/kernel/random/uuid)
uuid_data=$(cat /proc/sys/kernel/random/uuid)
fat_id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
cat >"$rootfs/etc/fstab" <<EOF
# Signpost image ($name). The system is read-only: nothing writes it in
# normal running. Persistent data lives on partition 4; logs and /tmp in RAM.
# nofail: a partition that will not mount never ends in emergency mode (a
# console nobody can use); signpost-image-setup shows what is wrong instead.
PARTUUID=$disk_id-02  /                  ext4   ro,noatime                                   0 0
PARTUUID=$disk_id-01  /boot/firmware     vfat   ro,noatime,fmask=0133,dmask=0022,nofail,x-systemd.device-timeout=3min  0 0
PARTUUID=$disk_id-04  /var/lib/signpost  ext4   rw,noatime,nosuid,nodev,noexec,errors=remount-ro,commit=5,nofail,x-systemd.device-timeout=3min  0 2
tmpfs                 /tmp               tmpfs  mode=1777,nosuid,nodev,size=25%              0 0
tmpfs                 /var/tmp           tmpfs  mode=1777,nosuid,nodev,size=10%              0 0
tmpfs                 /var/log           tmpfs  mode=0755,nosuid,nodev,size=32M              0 0
tmpfs                 /etc/signpost      tmpfs  mode=0755,nosuid,nodev,noexec,size=2M        0 0
tmpfs                 /var/lib/systemd/timesync tmpfs mode=0755,nosuid,nodev,noexec,size=1M 0 0
tmpfs                 /var/lib/prometheus tmpfs mode=0755,nosuid,nodev,noexec,size=4M       0 0
EOF
echo "$disk_id" >"$lib/disk-id"
mkdir -p "$rootfs/boot/firmware" "$rootfs/var/lib/signpost" "$rootfs/var/lib/systemd/timesync" "$rootfs/var/lib/prometheus"
# StateDirectory= of units that run here must exist already (read-only /var).
install -d -m 0755 "$rootfs/var/lib/systemd/linger"

# Read-only root: the few files other programs rewrite point into /run.
ln -sf /run/systemd/resolve/stub-resolv.conf "$rootfs/etc/resolv.conf"
rm -f "$rootfs/etc/resolv.conf.build"
mkdir -p "$rootfs/etc/wpa_supplicant" "$rootfs/etc/udev/rules.d"
ln -sf /run/signpost/wpa_supplicant-wlan0.conf "$rootfs/etc/wpa_supplicant/wpa_supplicant-wlan0.conf"
ln -sf /run/signpost/99-signpost-touch.rules "$rootfs/etc/udev/rules.d/99-signpost-touch.rules"
echo signpost-kiosk >"$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tsignpost-kiosk\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$rootfs/etc/hosts"
# A new machine id every boot (RAM), never a shared one baked into every card.
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id"

# Services: on, off, and never (nothing may try to write the system).
in_root systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service \
  signpost-image-setup.service signpost-grow-data.service signpost-update-confirm.service >/dev/null 2>&1
serial=ttyS0
[[ $board == rpi4 ]] && serial=ttyAMA0
in_root systemctl enable "signpost-serial-shell@$serial.service" "signpost-boot-marker@$serial.service" >/dev/null 2>&1
in_root systemctl disable prometheus-node-exporter.service >/dev/null 2>&1 || true
for u in systemd-firstboot.service "serial-getty@$serial.service" apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  e2scrub_reap.service fstrim.timer man-db.timer systemd-random-seed.service \
  prometheus-node-exporter-apt.timer prometheus-node-exporter-smartmon.timer \
  prometheus-node-exporter-nvme.timer prometheus-node-exporter-ipmitool-sensor.timer \
  prometheus-node-exporter-mellanox-hca-temp.timer; do
  in_root systemctl mask "$u" >/dev/null 2>&1 || true
done

# ---- 5. kernel, initramfs and boot files ------------------------------------------------------
say "5. initramfs and boot files"
# The kernel package made the initramfs with signpost.conf (set before
# any package was installed). A root from --base-cache may predate it.
initrd=$(readlink -f "$rootfs/initrd.img")
if [[ $(od -An -N4 -tx1 "$initrd" | tr -d ' ') != 28b52ffd ]]; then
  printf '# Signpost image: any storage controller, zstd for speed.\nMODULES=most\nCOMPRESS=zstd\n' \
    >"$rootfs/etc/initramfs-tools/conf.d/signpost.conf"
  in_root update-initramfs -u -k all >"$work/initramfs.log" 2>&1 || {
    cat "$work/initramfs.log" >&2
    die "update-initramfs failed"
  }
fi
cmdline_words=$(sed -n 's/^GRUB_CMDLINE_LINUX_DEFAULT="\$GRUB_CMDLINE_LINUX_DEFAULT \(.*\)"$/\1/p' "$repo/board-config/boards/x86/grub.cfg")
boot=$work/boot
mkdir -p "$boot"
case $board in
  x86)
    kver=$(basename "$(readlink -f "$rootfs/vmlinuz")" | sed 's/^vmlinuz-//')
    mkdir -p "$boot/EFI/BOOT" "$boot/EFI/signpost"
    in_root grub-mkimage -O x86_64-efi -o /tmp/BOOTX64.EFI -p /EFI/signpost \
      part_msdos fat ext2 normal linux configfile search search_fs_uuid search_label \
      loadenv test echo all_video efi_gop gzio regexp sleep reboot halt cat true
    mv "$rootfs/tmp/BOOTX64.EFI" "$boot/EFI/BOOT/BOOTX64.EFI"
    sed -e "s/@DISK_ID@/$disk_id/g" -e "s/@CMDLINE@/$cmdline_words/" \
      "$here/boot/grub.cfg" >"$boot/EFI/signpost/grub.cfg"
    # GRUB's environment block: exactly 1024 bytes, rewritten in place.
    python3 -c 'import sys; h = b"# GRUB Environment Block\nslot=A\n"; sys.stdout.buffer.write(h + b"#" * (1024 - len(h)))' \
      >"$boot/EFI/signpost/grubenv"
    # Removable-media path only: the image needs no NVRAM boot entry, so
    # the same card/SSD boots in any UEFI PC (Secure Boot off).
    ;;
  rpi4)
    kver=$(basename "$(readlink -f "$rootfs/vmlinuz")" | sed 's/^vmlinuz-//')
    cp -a "$rootfs/boot/firmware/." "$boot/"
    # Debian's kernel, not Raspberry Pi OS's: root from our partition,
    # serial console on the GPIO UART, the board profile's words.
    old=$(head -n1 "$boot/cmdline.txt")
    words=$(tr ' ' '\n' <<<"$old" | grep -Ev '^(root|rootfstype|rw|ro|fsck\.repair|rootwait)=?' | tr '\n' ' ')
    echo "root=PARTUUID=$disk_id-02 ro rootfstype=ext4 rootwait net.ifnames=0 ${words% }" | tr -s ' ' >"$boot/cmdline.txt"
    ;;
esac
rm -rf "$rootfs/boot/firmware"/*

# ---- 6. clean, then the file systems -----------------------------------------------------
say "6. clean up, make the file systems"
in_root apt-get clean
rm -rf "$rootfs/var/lib/apt/lists"/* "$rootfs/var/cache/apt"/*.bin "$rootfs/var/log"/* \
  "$rootfs/tmp"/* "$rootfs/var/tmp"/* "$rootfs/etc/signpost"/* 2>/dev/null || true
cp /dev/null "$rootfs/etc/resolv.conf.tmp" 2>/dev/null && rm -f "$rootfs/etc/resolv.conf.tmp"
cleanup
mounted=()
trap - EXIT

used_mb=$(du -sxm "$rootfs" | cut -f1)
if [[ -z $system_mb ]]; then
  # Room for updates to grow: the slot size is fixed for the life of a
  # deployed card, so leave a lot.
  system_mb=$(((used_mb * 2 + 255) / 256 * 256))
  ((system_mb >= 1536)) || system_mb=1536
fi
((used_mb * 100 / system_mb <= 80)) || die "the root is $used_mb MB: too big for a $system_mb MB slot (--system-mb)"
say "    root file system: $used_mb MB in a $system_mb MB slot (x2: A and B)"
mke2fs -q -t ext4 -L sys-a -U "$uuid_sys_a" -d "$rootfs" -E root_owner=0:0 \
  -O ^has_journal -m 0 "$work/sys-a.ext4" "${system_mb}M"
# Data: the root of the partition is /var/lib/signpost (owner signpost).
mkdir -p "$work/data-root"
mke2fs -q -t ext4 -L signpost-data -U "$uuid_data" -d "$work/data-root" -E root_owner=$sp_id:$sp_id \
  -m 1 "$work/data.ext4" "${data_mb}M"
chmod 0750 "$work/data-root"
mkfs.vfat -F 32 -n SIGNPOST -i "$fat_id" -C "$work/boot.vfat" $((boot_mb * 1024)) >/dev/null
install -m 0644 "$here/signpost.toml" "$boot/signpost.toml"
install -m 0644 "$here/boot/README.txt" "$boot/README.txt"
sed -i 's/$/\r/' "$boot/signpost.toml" "$boot/README.txt" # Windows Notepad line ends
(cd "$boot" && MTOOLS_SKIP_CHECK=1 mcopy -s -i "$work/boot.vfat" ./* ::/)

# ---- 7. the disk --------------------------------------------------------------------
say "7. disk image"
img=$work/$name.img
start1=2048 # sectors (1 MiB)
s() { echo $(($1 * 2048)); }
p1=$start1 p2=$((p1 + $(s $boot_mb))) p3=$((p2 + $(s $system_mb))) p4=$((p3 + $(s $system_mb)))
total=$((p4 + $(s "$data_mb")))
truncate -s $((total * 512)) "$img"
fat_type=c
[[ $board == x86 ]] && fat_type=ef
sfdisk -q "$img" <<EOF
label: dos
label-id: 0x$disk_id
unit: sectors
1 : start=$p1, size=$(s $boot_mb), type=$fat_type, bootable
2 : start=$p2, size=$(s $system_mb), type=83
3 : start=$p3, size=$(s $system_mb), type=83
4 : start=$p4, size=$(s "$data_mb"), type=83
EOF
dd if="$work/boot.vfat" of="$img" bs=1M seek=$((p1 / 2048)) conv=notrunc,sparse status=none
dd if="$work/sys-a.ext4" of="$img" bs=1M seek=$((p2 / 2048)) conv=notrunc,sparse status=none
dd if="$work/data.ext4" of="$img" bs=1M seek=$((p4 / 2048)) conv=notrunc,sparse status=none

# ---- 8. outputs -----------------------------------------------------------------------
say "8. bmap, xz, sha256, Raspberry Pi Imager JSON"
rm -f "$out/$name".*
mv "$img" "$out/$name.img"
bmaptool -q create -o "$out/$name.img.bmap" "$out/$name.img"
cat >"$out/$name.build-info" <<EOF
name=$name
board=$board
version=$version
kernel=$kver
disk_id=$disk_id
system_mb=$system_mb
root_used_mb=$used_mb
data_mb=$data_mb
boot_mb=$boot_mb
p1=$p1
p2=$p2
p3=$p3
p4=$p4
EOF
xz -T0 -"$xz_level" -k -c "$out/$name.img" >"$out/$name.img.xz"
(cd "$out" && sha256sum "$name.img.xz" >"$name.img.xz.sha256")
python3 "$here/rpi-imager-json.py" --image "$out/$name.img" --xz "$out/$name.img.xz" \
  --board "$board" --version "$version" >"$out/$name.rpi-imager.json"
((keep_raw)) || rm -f "$out/$name.img"
rm -rf --one-file-system "$work"
say "done: $(ls -1 "$out" | grep -F "$name" | tr '\n' ' ')"
du -h "$out/$name.img.xz" | sed 's/^/    /'
