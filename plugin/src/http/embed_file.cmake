# Writes the bytes of IN as a C array initializer (0x.., 0x.., ...) into OUT, so any file can be
# compiled into the plugin without quoting trouble. Usage: cmake -DIN=... -DOUT=... -P embed_file.cmake
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}.tmp" "${bytes}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
