# Debian packages (CONTRACT §7) with CPack: `latchkey` from the install component `runtime`, and
# `latchkey-dev` from `dev` (cmake/LatchkeyInstall.cmake), each with the files only a package has
# (/etc/latchkey/latchkey.json, the systemd unit, /usr/share/doc, manual pages) in a component of
# its own that a plain `cmake --install` leaves out (EXCLUDE_FROM_ALL). script/package runs
# `cpack -G DEB`; the package test (tests/package) runs it against the build it tests.
include(CPackComponent)

set(LATCHKEY_DEB_MAINTAINER "Latchkey maintainers <maintainers@latchkey.example>" CACHE STRING
    "Maintainer field of the Debian packages")
set(LATCHKEY_DEB_HOMEPAGE "" CACHE STRING "Homepage field of the Debian packages (none when empty)")
set(_latchkey_packaging ${PROJECT_SOURCE_DIR}/packaging)
set(_latchkey_generated ${PROJECT_BINARY_DIR}/packaging)

# What only the package carries. Absolute destinations: CPack's DEB generator stages with DESTDIR.
install(FILES ${_latchkey_packaging}/latchkey.json DESTINATION /etc/latchkey
        COMPONENT deb_runtime EXCLUDE_FROM_ALL)
install(FILES ${_latchkey_packaging}/latchkey.service DESTINATION /lib/systemd/system
        COMPONENT deb_runtime EXCLUDE_FROM_ALL)

# /usr/share/doc/<package>: copyright, changelog.gz (compressed as dpkg-buildpackage would:
# gzip -9n, no name or time stamp), and for the server the packaging guide as README.Debian.
configure_file(${_latchkey_packaging}/debian/changelog.in ${_latchkey_generated}/changelog @ONLY)
execute_process(COMMAND gzip -9n -c ${_latchkey_generated}/changelog
                OUTPUT_FILE ${_latchkey_generated}/changelog.gz COMMAND_ERROR_IS_FATAL ANY)
foreach(package_component IN ITEMS latchkey:deb_runtime latchkey-dev:deb_dev)
  string(REPLACE ":" ";" pair ${package_component})
  list(GET pair 0 package)
  list(GET pair 1 component)
  install(FILES ${_latchkey_packaging}/debian/copyright ${_latchkey_generated}/changelog.gz
          DESTINATION share/doc/${package} COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()
# Manual pages of the two programs, compressed the same way.
foreach(page latchkey.1 latchkey-auth.1)
  configure_file(${_latchkey_packaging}/man/${page} ${_latchkey_generated}/${page} @ONLY)
  execute_process(COMMAND gzip -9n -c ${_latchkey_generated}/${page}
                  OUTPUT_FILE ${_latchkey_generated}/${page}.gz COMMAND_ERROR_IS_FATAL ANY)
  install(FILES ${_latchkey_generated}/${page}.gz DESTINATION share/man/man1
          COMPONENT deb_runtime EXCLUDE_FROM_ALL)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/docs/PACKAGING.md DESTINATION share/doc/latchkey
        RENAME README.Debian COMPONENT deb_runtime EXCLUDE_FROM_ALL)

# Two packages, each one group of components.
cpack_add_component_group(main)
cpack_add_component_group(dev)
cpack_add_component(runtime GROUP main)
cpack_add_component(deb_runtime GROUP main)
cpack_add_component(dev GROUP dev)
cpack_add_component(deb_dev GROUP dev)
set(CPACK_COMPONENTS_ALL runtime deb_runtime dev deb_dev)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME latchkey)
set(CPACK_PACKAGE_VENDOR "The Latchkey authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LATCHKEY_DEB_MAINTAINER}")
if(LATCHKEY_DEB_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${LATCHKEY_DEB_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)  # liblatchkey_embed.so.0 → DEBIAN/shlibs
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_MAIN_PACKAGE_NAME latchkey)
set(CPACK_DEBIAN_MAIN_PACKAGE_SECTION httpd)
# Linked libraries come from dpkg-shlibdeps. Loaded with dlopen, so named here: SOCI's SQLite
# backend (the default config's database), libcurl (SMTP mail, a Google JWKS URL), and the
# backends of the other databases.
set(CPACK_DEBIAN_MAIN_PACKAGE_DEPENDS "adduser, libsoci-sqlite3-4.0")  # adduser: postinst
set(CPACK_DEBIAN_MAIN_PACKAGE_RECOMMENDS "libcurl4")
set(CPACK_DEBIAN_MAIN_PACKAGE_SUGGESTS "libsoci-postgresql4.0, libsoci-mysql4.0")
set(CPACK_DEBIAN_MAIN_DESCRIPTION "JWT authentication server and plugin host
Latchkey is an HTTP host (Pistache) with a stable C plugin ABI and a JWT
authentication plugin: registration with email confirmation, login,
refresh-token rotation, logout and Google sign-in, on SQLite, PostgreSQL or
MySQL.
.
This package holds the host (latchkey), the operator CLI (latchkey-auth), the
auth plugin, the library for embedding Latchkey in an existing Pistache
server, the SQL migrations, the OpenAPI and config schemas, the browser
client, and a systemd unit that runs the host as the unprivileged user
latchkey with /etc/latchkey/latchkey.json.")
set(CPACK_DEBIAN_MAIN_PACKAGE_CONTROL_EXTRA
    ${_latchkey_packaging}/debian/conffiles ${_latchkey_packaging}/debian/postinst
    ${_latchkey_packaging}/debian/prerm ${_latchkey_packaging}/debian/postrm
    ${_latchkey_packaging}/debian/triggers)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME latchkey-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "latchkey (= ${PROJECT_VERSION}), libpistache-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "JWT authentication server and plugin host - development files
Headers, CMake package and pkg-config file for building Latchkey plugins in C
or C++ (latchkey/plugin.h, latchkey/plugin.hpp) and for embedding Latchkey in
an existing Pistache server (latchkey/embed.hpp, liblatchkey_embed.so):
find_package(Latchkey) or pkg-config latchkey-plugin.")

include(CPack)
