# Cross-compiling Signpost for arm64 (Raspberry Pi 4/5 running Raspberry Pi
# OS Bookworm 64-bit, or any Debian 12 arm64 board) on a Debian 12 amd64
# machine, with Debian's own cross toolchain and multiarch libraries:
#
#   deploy/install-deps.sh --arm64          # crossbuild-essential-arm64,
#                                           # qemu-user-static, the :arm64 -dev libs
#   cmake --preset arm64 && cmake --build --preset arm64
#   ctest --preset arm64                    # the unit tests, under qemu-user
#
# (scripts/cross-arm64.sh does all of it and times each step.)
#
# Libraries and headers come from the :arm64 packages in the multiarch
# directories (/usr/lib/aarch64-linux-gnu, /usr/include/aarch64-linux-gnu);
# CMake finds them through CMAKE_LIBRARY_ARCHITECTURE, which it reads from
# the cross compiler, and pkg-config through Debian's triplet wrapper. No
# sysroot: the build machine's own /usr is the target root, as in Debian's
# own cross builds (dpkg-buildpackage -a arm64).
#
# Tests: CMAKE_CROSSCOMPILING_EMULATOR makes ctest (and gtest_discover_tests)
# run each arm64 test binary under qemu-aarch64-static. The arm64 dynamic
# loader and libraries are the multiarch libc6:arm64 etc. that the -dev
# packages pull in (the same builds a Pi runs); when /lib/ld-linux-aarch64.so.1
# is missing, qemu is pointed at the cross toolchain's copy instead
# (QEMU_LD_PREFIX / -L /usr/aarch64-linux-gnu).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SIGNPOST_CROSS_TRIPLET aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${SIGNPOST_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${SIGNPOST_CROSS_TRIPLET}-g++)

# FindPkgConfig: the wrapper sets PKG_CONFIG_LIBDIR to the arm64 .pc dirs only.
find_program(SIGNPOST_CROSS_PKG_CONFIG ${SIGNPOST_CROSS_TRIPLET}-pkg-config REQUIRED)
set(PKG_CONFIG_EXECUTABLE ${SIGNPOST_CROSS_PKG_CONFIG} CACHE FILEPATH "pkg-config for arm64")

# Programs run at build time (msgfmt) are the host's; libraries, headers and
# CMake package configs must be the target's. With no CMAKE_FIND_ROOT_PATH
# this is what CMAKE_LIBRARY_ARCHITECTURE gives (lib/aarch64-linux-gnu is
# searched, lib/x86_64-linux-gnu is not).

find_program(SIGNPOST_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(SIGNPOST_QEMU_AARCH64)
  if(EXISTS /lib/ld-linux-aarch64.so.1)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGNPOST_QEMU_AARCH64})
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR ${SIGNPOST_QEMU_AARCH64} -L /usr/${SIGNPOST_CROSS_TRIPLET})
  endif()
else()
  message(WARNING "qemu-aarch64-static not found (Debian package qemu-user-static): "
                  "the arm64 build works but its tests cannot run here")
endif()
