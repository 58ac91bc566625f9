# `cmake --install build --prefix P`: the layout of CONTRACT §7, in two components (the Debian
# packages: `runtime` → latchkey, `dev` → latchkey-dev). Relocatable: the installed programs find
# what they need relative to themselves ($ORIGIN RPATHs, migrations compiled in), and the CMake and
# pkg-config files compute the prefix from where they lie.
include(CMakePackageConfigHelpers)

set(LATCHKEY_PLUGIN_DIR lib/latchkey/plugins)

# Programs and the auth plugin. The host finds liblatchkey_embed.so beside ../lib; nothing else of
# ours is linked dynamically (the build tree's RPATH is replaced at install).
set_target_properties(latchkey PROPERTIES INSTALL_RPATH "$ORIGIN/../lib")
install(TARGETS latchkey latchkey-auth RUNTIME DESTINATION bin COMPONENT runtime)
install(TARGETS latchkey_auth LIBRARY DESTINATION ${LATCHKEY_PLUGIN_DIR} COMPONENT runtime)
if(TARGET latchkey_embed)
  install(TARGETS latchkey_embed
          LIBRARY DESTINATION lib COMPONENT runtime NAMELINK_COMPONENT dev)
endif()

# Headers for plugin authors and embedding applications.
install(FILES host/include/latchkey/plugin.h DESTINATION include/latchkey COMPONENT dev)
foreach(header plugin.hpp embed.hpp)
  if(EXISTS ${PROJECT_SOURCE_DIR}/host/include/latchkey/${header})
    install(FILES host/include/latchkey/${header} DESTINATION include/latchkey COMPONENT dev)
  endif()
endforeach()

# Migrations (copies to read: the plugin carries its own), the machine-readable descriptions, the
# browser client and a config for this layout.
install(DIRECTORY schemas/ DESTINATION share/latchkey/schemas COMPONENT runtime
        FILES_MATCHING PATTERN "*.sql" PATTERN "*.json")
install(FILES examples/web/latchkey-client.js DESTINATION share/latchkey/web COMPONENT runtime)
install(FILES packaging/latchkey.example.json DESTINATION share/latchkey/examples
        RENAME latchkey.json COMPONENT runtime)

# find_package(Latchkey) and pkg-config.
configure_file(cmake/LatchkeyConfig.cmake.in ${PROJECT_BINARY_DIR}/cmake/LatchkeyConfig.cmake @ONLY)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/LatchkeyConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/LatchkeyConfig.cmake ${PROJECT_BINARY_DIR}/cmake/LatchkeyConfigVersion.cmake
        DESTINATION lib/cmake/Latchkey COMPONENT dev)
configure_file(cmake/latchkey-plugin.pc.in ${PROJECT_BINARY_DIR}/cmake/latchkey-plugin.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/latchkey-plugin.pc DESTINATION lib/pkgconfig COMPONENT dev)
