# SignpostPackaging: install() rules and CPack for the two Debian packages.
#
#   signpost-sync   content-sync, signpost-catalogue, the sample catalogue,
#                   the default /etc/signpost/kiosk.toml (a conffile), the
#                   sync units, the signpost user and /var/lib/signpost
#   signpost-kiosk  signpost-kiosk, its translations, the kiosk units;
#                   depends on signpost-sync of the same version
#
# Include it at the END of the top-level CMakeLists.txt (it needs the targets):
#   include(SignpostPackaging)
# Then, configured with the /usr prefix (compiled-in data paths use it):
#   cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build --preset release
#   (cd build/release && cpack -G DEB)      -> build/release/packages/*.deb
# tests/deploy/test-deb.sh does exactly this and then installs, upgrades,
# removes and purges the packages in a throwaway Debian root.
#
# Each program's own CMakeLists.txt may also install() it without a
# component ("Unspecified"); that component is left out of the packages, so
# every file a package ships is listed here, once, with its component.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(SIGNPOST_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR}/../deploy)
set(SIGNPOST_BOARD_CONFIG_DIR ${CMAKE_CURRENT_LIST_DIR}/../board-config)
cmake_path(NORMAL_PATH SIGNPOST_DEPLOY_DIR)
cmake_path(NORMAL_PATH SIGNPOST_BOARD_CONFIG_DIR)
set(SIGNPOST_UNIT_DIR /lib/systemd/system CACHE PATH "Where the packages install systemd units")

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "SignpostPackaging: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; "
                 ".deb packages want -DCMAKE_INSTALL_PREFIX=/usr (programs look for their "
                 "data under the prefix they were built with)")
endif()

# ---- signpost-sync ----------------------------------------------------------
if(TARGET content-sync)
  install(TARGETS content-sync RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sync)
endif()
if(TARGET signpost-catalogue)
  install(TARGETS signpost-catalogue RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sync)
endif()
if(EXISTS ${SIGNPOST_DEPLOY_DIR}/signpost-doctor)
  install(PROGRAMS ${SIGNPOST_DEPLOY_DIR}/signpost-doctor
          DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sync)
endif()
if(DEFINED SIGNPOST_SOURCE_DATA_DIR AND IS_DIRECTORY ${SIGNPOST_SOURCE_DATA_DIR}/sample)
  install(DIRECTORY ${SIGNPOST_SOURCE_DATA_DIR}/sample/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/signpost/sample COMPONENT sync)
endif()
# The default config: a conffile (deploy/debian/sync/conffiles), so a
# technician's edits survive upgrades. A pristine copy stays in /usr/share
# for provision.sh and for reference.
install(FILES ${SIGNPOST_BOARD_CONFIG_DIR}/kiosk.toml
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/signpost COMPONENT sync)
install(FILES ${SIGNPOST_BOARD_CONFIG_DIR}/kiosk.toml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/signpost RENAME kiosk.toml.example COMPONENT sync)
# The careers leader's local content pack example, to copy onto a USB stick.
install(DIRECTORY ${SIGNPOST_BOARD_CONFIG_DIR}/local-content-example/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/signpost/local-content-example COMPONENT sync)
install(FILES ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-sync.service
              ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-sync-once.service
              ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-sync-once.timer
              ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-sync-now.path
        DESTINATION ${SIGNPOST_UNIT_DIR} COMPONENT sync)
# Fleet health for Prometheus (prometheus-node-exporter's textfile
# collector): the exporter script and its timer, not enabled by default.
install(PROGRAMS ${SIGNPOST_DEPLOY_DIR}/metrics/signpost-metrics
        DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sync)
install(FILES ${SIGNPOST_DEPLOY_DIR}/metrics/signpost-metrics.service
              ${SIGNPOST_DEPLOY_DIR}/metrics/signpost-metrics.timer
        DESTINATION ${SIGNPOST_UNIT_DIR} COMPONENT sync)
install(FILES ${SIGNPOST_DEPLOY_DIR}/metrics/signpost-alerts.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/signpost/prometheus COMPONENT sync)
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../docs/deploy.md)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/../docs/deploy.md
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/signpost-sync COMPONENT sync)
endif()

# ---- signpost-kiosk ---------------------------------------------------------
if(TARGET signpost-kiosk)
  install(TARGETS signpost-kiosk RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
  # UI translations built by kiosk/ (kiosk/po/*.po -> <build>/kiosk/locale).
  install(DIRECTORY ${CMAKE_BINARY_DIR}/kiosk/locale/
          DESTINATION ${CMAKE_INSTALL_LOCALEDIR} COMPONENT kiosk OPTIONAL
          FILES_MATCHING PATTERN "*.mo")
  # Other bundled assets (fonts, images) besides the sample catalogue.
  if(DEFINED SIGNPOST_SOURCE_DATA_DIR AND IS_DIRECTORY ${SIGNPOST_SOURCE_DATA_DIR})
    install(DIRECTORY ${SIGNPOST_SOURCE_DATA_DIR}/
            DESTINATION ${CMAKE_INSTALL_DATADIR}/signpost COMPONENT kiosk
            PATTERN "sample" EXCLUDE)
  endif()
  install(FILES ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-kiosk.service
                ${SIGNPOST_DEPLOY_DIR}/systemd/signpost-kiosk-cage.service
          DESTINATION ${SIGNPOST_UNIT_DIR} COMPONENT kiosk)
  # USB sticks mount at /media/signpost-usb (Update from USB, usage export).
  install(FILES ${SIGNPOST_DEPLOY_DIR}/udev/90-signpost-usb.rules
          DESTINATION /lib/udev/rules.d COMPONENT kiosk)
endif()

# ---- CPack: two .deb packages ---------------------------------------------
set(CPACK_PACKAGE_NAME signpost)
set(CPACK_PACKAGE_VENDOR "Signpost")
set(CPACK_PACKAGE_CONTACT "Signpost maintainers <signpost@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Offline careers kiosk for schools and colleges")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://signpost.invalid/")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_COMPONENTS_ALL sync)
if(TARGET signpost-kiosk)
  list(APPEND CPACK_COMPONENTS_ALL kiosk)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A cross build's packages are for the machine it targets: cpack would
# otherwise ask dpkg, which answers for the build machine (arm64 programs
# in an "amd64" package, which an arm64 system refuses).
if(CMAKE_CROSSCOMPILING)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|amd64)$")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
  else()
    message(FATAL_ERROR "SignpostPackaging: no Debian architecture for ${CMAKE_SYSTEM_PROCESSOR}")
  endif()
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Scripts get 0755, control files 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_COMPONENT_SYNC_DISPLAY_NAME "Signpost content sync")
set(CPACK_DEBIAN_SYNC_PACKAGE_NAME signpost-sync)
set(CPACK_DEBIAN_SYNC_PACKAGE_SECTION net)
# shlibdeps adds the shared libraries; these are what the maintainer
# scripts run (adduser, deb-systemd-helper) and the TLS roots.
# jq: signpost-metrics reads `content-sync status --json`.
set(CPACK_DEBIAN_SYNC_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54), ca-certificates, jq")
# Search checks whether a word is English before "correcting" it (spelling.h);
# it works without the list, only less carefully.
set(CPACK_DEBIAN_SYNC_PACKAGE_RECOMMENDS "wbritish")
set(CPACK_DEBIAN_SYNC_PACKAGE_SUGGESTS "prometheus-node-exporter")
string(CONCAT CPACK_DEBIAN_SYNC_DESCRIPTION
    "Signpost careers kiosk - content sync daemon and catalogue tools\n"
    "content-sync keeps the kiosk's local SQLite catalogue fresh from National\n"
    "Careers Service, DfE and local-authority feeds whenever the network is\n"
    "there. Includes signpost-catalogue, the sample catalogue, the default\n"
    "/etc/signpost/kiosk.toml and the signpost-sync systemd units.")
set(CPACK_DEBIAN_SYNC_PACKAGE_CONTROL_EXTRA
    ${SIGNPOST_DEPLOY_DIR}/debian/sync/conffiles
    ${SIGNPOST_DEPLOY_DIR}/debian/sync/postinst
    ${SIGNPOST_DEPLOY_DIR}/debian/sync/prerm
    ${SIGNPOST_DEPLOY_DIR}/debian/sync/postrm)

set(CPACK_COMPONENT_KIOSK_DISPLAY_NAME "Signpost kiosk")
set(CPACK_COMPONENT_KIOSK_DEPENDS sync)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME signpost-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "init-system-helpers (>= 1.54), fonts-dejavu-core, fonts-opendyslexic, espeak-ng-data, wbritish")
set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS "cage")
string(CONCAT CPACK_DEBIAN_KIOSK_DESCRIPTION
    "Signpost careers kiosk - the touch screen\n"
    "A touch-first careers explorer covering every route after 16 and 18,\n"
    "working offline from the local catalogue. Runs full screen without a\n"
    "desktop (KMS/DRM, or under cage) as the signpost-kiosk systemd unit.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    ${SIGNPOST_DEPLOY_DIR}/debian/kiosk/postinst
    ${SIGNPOST_DEPLOY_DIR}/debian/kiosk/prerm
    ${SIGNPOST_DEPLOY_DIR}/debian/kiosk/postrm)

include(CPack)
