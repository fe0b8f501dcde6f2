#!/usr/bin/env bash
# Every deployment test, in order. What CI runs for deploy/ (as root: the
# package, provisioning and Ansible tests use a throwaway debootstrap root).
#
#   sudo tests/deploy/run-all.sh            build the release .debs, then test
#   sudo tests/deploy/run-all.sh --no-build test the .debs already built
#   sudo tests/deploy/run-all.sh --deb-dir DIR   test the .debs in DIR
#
# First run: debootstraps a Debian 12 base into /var/tmp/signpost-test (a few
# minutes, ~300 MB, from deb.debian.org); later runs copy it (seconds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rc=0
run() {
  echo "#### $*"
  "$@" || rc=1
}
# test-deb.sh builds the .debs (unless --no-build or --deb-dir); the others
# test the same ones (the same --deb-dir). test-units.sh goes after the
# build so that it can check the config with the content-sync just built.
run "$here/test-deb.sh" "$@"
run "$here/test-units.sh"
run "$here/test-provision.sh" "$@"
run "$here/test-ansible.sh" "$@"
run "$here/test-systemd.sh" "$@"
if ((rc)); then echo "deploy tests: FAILED"; else echo "deploy tests: all passed"; fi
exit "$rc"
