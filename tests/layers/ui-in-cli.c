/* Must not compile: the CLI does not know the GUI. */
#include "tb-window.h"
