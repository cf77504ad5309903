/* Must not compile: the simulators have no GTK. */
#include <gtk/gtk.h>
