# The flags of the fuzz build (LATCHKEY_FUZZ=ON), set before any target so that every library the
# fuzz targets link is built the same way: libFuzzer's coverage instrumentation (fuzzer-no-link),
# ASan and UBSan, every UBSan report fatal (halt_on_error, ubsan_options.cpp). pointer-overflow is
# left recoverable only so that ubsan.supp can silence one known report in Debian's RapidJSON
# 1.1.0 headers (internal/stack.h: null + n on an empty stack, fixed upstream after 1.1.0).
# Only the fuzz targets link libFuzzer itself (its main).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LATCHKEY_FUZZ needs clang's libFuzzer: configure with CC=clang CXX=clang++")
endif()
set(LATCHKEY_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fsanitize-recover=pointer-overflow -fno-omit-frame-pointer)
add_compile_options(-fsanitize=fuzzer-no-link ${LATCHKEY_SANITIZER_FLAGS})
add_link_options(${LATCHKEY_SANITIZER_FLAGS})
