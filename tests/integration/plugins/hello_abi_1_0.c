/* The hello example rebuilt against a copy of the ABI 1.0 header (tests/data/abi/1.0): the
** build fails here if another plugin.h was found first, so the test loads a real 1.0 plugin. */
#include <latchkey/plugin.h>

#if LK_ABI_MAJOR != 1 || LK_ABI_MINOR != 0
#error "hello_abi_1_0 must be built against tests/data/abi/1.0/latchkey/plugin.h"
#endif

#include "../../../examples/hello/hello.c"
