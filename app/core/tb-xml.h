/* tb-xml.h: a small, bounded XML tree for SOAP envelopes and CLIXML
 *
 * Built on GMarkupParser, which knows only the five predefined entities and numeric
 * references. On top of that: DOCTYPE and entity declarations are refused, the input size,
 * the nesting depth and the number of elements are capped, and names are kept without their
 * namespace prefix. That is enough for WS-Management replies, whose prefixes vary between
 * servers ("s:" or "env:"), and it keeps remote input from driving memory use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_XML_MAX_SIZE     (8 * 1024 * 1024)
#define TB_XML_MAX_DEPTH    48
#define TB_XML_MAX_ELEMENTS 20000

typedef struct _TbXmlNode TbXmlNode;

struct _TbXmlNode
{
  char       *name;         /* local name, prefix removed */
  char       *prefix;       /* "s", "rsp"…, or NULL */
  char      **attr_names;   /* local names */
  char      **attr_values;
  GString    *text;         /* character data directly inside this element */
  GPtrArray  *children;     /* of TbXmlNode */
  TbXmlNode  *parent;
};

/* Returns the root element, or NULL with a G_MARKUP_ERROR when the document is malformed,
 * declares a DOCTYPE/entities, or exceeds the limits above. */
TbXmlNode  *tb_xml_parse           (const char  *data,
                                    gssize       len,
                                    GError     **error);
void        tb_xml_node_free       (TbXmlNode   *node);

const char *tb_xml_node_get_attr   (const TbXmlNode *node,
                                    const char      *local_name);
/* Text with surrounding white space removed; "" when there is none. */
const char *tb_xml_node_get_text   (const TbXmlNode *node);
/* First direct child with this local name. */
TbXmlNode  *tb_xml_node_child      (const TbXmlNode *node,
                                    const char      *local_name);
/* Follows direct children by local names separated by '/': "Header/Action". */
TbXmlNode  *tb_xml_node_path       (const TbXmlNode *node,
                                    const char      *path);
/* First descendant (depth first, the node itself excluded) with this local name, and
 * optionally an attribute with a given value. */
TbXmlNode  *tb_xml_node_find       (const TbXmlNode *node,
                                    const char      *local_name,
                                    const char      *attr_name,
                                    const char      *attr_value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbXmlNode, tb_xml_node_free)

G_END_DECLS
