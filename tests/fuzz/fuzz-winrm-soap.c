/* fuzz-winrm-soap.c: WS-Management SOAP replies (Create, Command, Receive, faults)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz.h"
#include "tb-winrm-soap.h"
#include "tb-xml.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbWinrmReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) xml_error = NULL;
  TbXmlNode *tree;

  tb_fuzz_init ();

  /* A tree or an error, never both. */
  tree = tb_xml_parse ((const char *) data, size, &xml_error);
  g_assert_true ((tree == NULL) != (xml_error == NULL));
  g_clear_pointer (&tree, tb_xml_node_free);

  reply = tb_winrm_reply_parse ((const char *) data, size, &error);
  if (reply == NULL)
    {
      tb_fuzz_check_refusal (error);
      return 0;
    }
  g_assert_null (error);

  return 0;
}
