/* Must not compile: app/core does not know the simulators, not even from the source root. */
#include "app/sim/tb-sim.h"
