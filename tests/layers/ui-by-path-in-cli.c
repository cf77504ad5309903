/* Must not compile: the CLI does not know the GUI, not even by a longer path. */
#include "ui/tb-window.h"
