/* Must not compile: app/core does not know the simulators. */
#include "tb-sim.h"
