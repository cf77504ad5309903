/* Must not compile: app/core does not know the simulators, not even by a longer path. */
#include "sim/tb-sim.h"
