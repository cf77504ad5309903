/* Must not compile: the CLI has no GTK. */
#include <gtk/gtk.h>
