/* Must not compile: app/core does not know the GUI. */
#include "tb-window.h"
