// latchkey: the server front door. Everything it does is in liblatchkey_embed (server_main.cpp).
#include "server_main.h"

int main(int argc, char** argv) { return latchkey::host::run_server(argc, argv); }
