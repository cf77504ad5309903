/* Must compile: the control, so the failures above are about the layers and not the setup. */
#include "tb-context.h"

GType tb_layers_probe (void);

GType
tb_layers_probe (void)
{
  return tb_context_get_type ();
}
