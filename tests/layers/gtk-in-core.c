/* Must not compile: app/core has no GTK. */
#include <gtk/gtk.h>
