#!/usr/bin/env bash
# Tests the Ansible playbook (deploy/ansible) for real: runs it with a local
# connection against a throwaway Raspberry-Pi-OS-like root (see lib.sh), the
# role's signpost_root pointing there.
#
#   1. --syntax-check on the playbook and the example inventory
#   2. --check (provision.sh --dry-run): reports changes, changes nothing
#   3. first run: the kiosk is provisioned with the inventory's per-site
#      values rendered through templates/kiosk.toml.j2
#   4. second run: changed=0 (provision.sh said "Nothing to change")
#   5. a new postcode: only kiosk.toml changes, and the kiosk restart is
#      asked for (the handler itself skips a chroot)
#
# Usage: sudo tests/deploy/test-ansible.sh [--deb-dir DIR]
# Needs ansible-core (apt-get install ansible-core) and the .debs (default
# build/release/packages; tests/deploy/test-deb.sh builds them).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/deploy/lib.sh
source "$here/lib.sh"

parse_deb_args 2,14 "$@"
need_root
need_debs
deb_dir=$DEB_DIR
command -v ansible-playbook >/dev/null || {
  say "installing ansible-core"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible-core >/dev/null
}
ans=$repo/deploy/ansible
export ANSIBLE_CONFIG=$ans/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

say "== 1. syntax"
check "ansible-playbook --syntax-check (example inventory)" \
  ansible-playbook --syntax-check -i "$ans/inventory/example.yml" "$ans/site.yml"
check "example inventory lists the kiosks" bash -c \
  "ansible-inventory -i '$ans/inventory/example.yml' --list | grep -q kha-library"

ensure_base_root
new_test_root
R=$TEST_ROOT
make_pi_like_root "$R"
say "test root: $R"
inv=$R/tmp/inventory.yml
cat >"$inv" <<YAML
all:
  children:
    kiosks:
      vars:
        ansible_connection: local
        ansible_become: false
        ansible_python_interpreter: $(command -v python3)
        signpost_root: "$R"
        signpost_deb_dir: "$deb_dir"
        signpost_config_template: "$ans/templates/kiosk.toml.j2"
        signpost_hub_url: "https://signpost-hub.example.gov.uk"
        signpost_read_only_root: true
        signpost_reboot: true
      children:
        test_school:
          vars:
            signpost_site: "Test School"
            signpost_postcode: "TS1 1AA"
          hosts:
            test-kiosk:
              signpost_board: rpi5
              signpost_display: td2
              signpost_rotate: 90
YAML
play() { ansible-playbook -i "$inv" "$ans/site.yml" "$@"; }

say "== 2. --check"
if play --check >"$R/tmp/check.log" 2>&1; then pass "check run exits 0"; else
  fail "check run"
  tail -30 "$R/tmp/check.log"
fi
check "check run reports a change" grep -Eq 'changed=[1-9]' "$R/tmp/check.log"
check_not "check run wrote no config" test -e "$R/etc/signpost/kiosk.toml"

say "== 3. first run"
if play >"$R/tmp/run1.log" 2>&1; then pass "first run exits 0"; else
  fail "first run"
  tail -40 "$R/tmp/run1.log"
fi
cfg=$R/etc/signpost/kiosk.toml
check "site from the inventory" grep -qx 'site_name = "Test School"' "$cfg"
check "postcode from the inventory" grep -qx 'postcode = "TS1 1AA"' "$cfg"
check "rotation from the host vars" grep -qx 'rotation = 90' "$cfg"
check "hub feeds rendered" grep -q 'url = "https://signpost-hub.example.gov.uk/feeds/find-a-course.json"' "$cfg"
check "content-sync accepts the rendered config" bash -c \
  "in_root content-sync --config /etc/signpost/kiosk.toml status; rc=\$?; test \$rc -ne 2 -a \$rc -ne 127"
check "Touch Display 2 overlay" grep -qx 'dtoverlay=vc4-kms-dsi-ili9881-7inch' "$R/boot/firmware/config.txt"
check_not "no settings copied to /etc/default/signpost-kiosk (the kiosk reads kiosk.toml)" \
  test -e "$R/etc/default/signpost-kiosk"
check "boot console turned 90" grep -qF 'video=DSI-1:720x1280@60,rotate=90' "$R/boot/firmware/cmdline.txt"
check "overlay root turned on" grep -qw 'boot=overlay' "$R/boot/firmware/cmdline.txt"
check "kiosk enabled" test -L "$R/etc/systemd/system/multi-user.target.wants/signpost-kiosk.service"
check "no real reboot for a chroot" bash -c "! grep -q 'RUNNING HANDLER \[signpost_kiosk : Reboot' '$R/tmp/run1.log' || grep -q 'skipping' '$R/tmp/run1.log'"

say "== 4. second run"
if play >"$R/tmp/run2.log" 2>&1; then pass "second run exits 0"; else
  fail "second run"
  tail -30 "$R/tmp/run2.log"
fi
check "second run: changed=0" grep -Eq 'test-kiosk +: ok=[0-9]+ +changed=0 ' "$R/tmp/run2.log"
grep -E 'test-kiosk +:' "$R/tmp/run2.log" | sed 's/^/        /'

say "== 5. a new postcode"
if play -e '{"signpost_postcode": "TS2 2BB"}' >"$R/tmp/run3.log" 2>&1; then pass "third run exits 0"; else
  fail "third run"
  tail -30 "$R/tmp/run3.log"
fi
check "new postcode in kiosk.toml" grep -qx 'postcode = "TS2 2BB"' "$cfg"
check "the kiosk restart was asked for" grep -q 'RUNNING HANDLER \[signpost_kiosk : Restart the kiosk\]' "$R/tmp/run3.log"
check_not "no reboot for a config change" grep -q 'RUNNING HANDLER \[signpost_kiosk : Reboot' "$R/tmp/run3.log"

summary
