/* tb-json.h: JSON from outside — one strict gate before json-glib, and getters that never
 * convert out of range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Nesting (objects and arrays) allowed in replies from Microsoft's services. */
#define TB_JSON_MAX_DEPTH 64

#define TB_JSON_ERROR (tb_json_error_quark ())

typedef enum
{
  TB_JSON_ERROR_SYNTAX,        /* not RFC 8259 JSON (also: comments, single quotes, NaN…) */
  TB_JSON_ERROR_TOO_DEEP,      /* nests deeper than allowed */
  TB_JSON_ERROR_ENCODING,      /* not UTF-8, or a NUL byte / \u0000 / lone surrogate */
  TB_JSON_ERROR_EMPTY,         /* nothing but white space */
  TB_JSON_ERROR_NUMBER,        /* an integer beyond gint64, which json-glib would wrap */
} TbJsonError;

GQuark     tb_json_error_quark   (void);

/* Checks that @data (@len bytes, not NUL-terminated) is one JSON text exactly as RFC 8259
 * defines it, in UTF-8, nesting at most @max_depth objects and arrays. The check is a loop,
 * not a recursion, so no input can exhaust the stack.
 *
 * json-glib recurses for each level and accepts more than JSON (comments, single-quoted
 * strings, bare words); a text that passes here is one json-glib reads exactly as written, and
 * every nesting level it will descend into was counted. The message of @error is English and
 * names the byte offset; callers wrap it in their own translated sentence. */
gboolean   tb_json_check         (const char  *data,
                                  gsize        len,
                                  guint        max_depth,
                                  GError     **error);

/* tb_json_check(), then json-glib. Returns the root node (a new copy) or NULL with @error
 * (TB_JSON_ERROR, or JSON_PARSER_ERROR for what json-glib itself refuses). */
JsonNode  *tb_json_parse         (const char  *data,
                                  gsize        len,
                                  guint        max_depth,
                                  GError     **error);
/* The same, for a caller that rewrites the tree: the nodes are mutable. */
JsonNode  *tb_json_parse_mutable (const char  *data,
                                  gsize        len,
                                  guint        max_depth,
                                  GError     **error);

/* A number from outside as an integer in [@min, @max]. Integers, finite doubles (truncated
 * towards zero) and decimal strings ("3599", as Azure AD v1 sends) are accepted; values beyond
 * the range (also 1e300, 2^63-1 and infinities) are clamped to it. Returns FALSE and leaves
 * @out alone when the member is missing, not a number, or NaN. */
gboolean   tb_json_get_int_clamped (JsonObject *object,
                                    const char *member,
                                    gint64      min,
                                    gint64      max,
                                    gint64     *out);
/* The same for a node. */
gboolean   tb_json_node_get_int_clamped (JsonNode *node,
                                         gint64    min,
                                         gint64    max,
                                         gint64   *out);

/* Strict readers: what @member of @object holds. *@out is set only for
 * TB_JSON_MEMBER_VALUE (borrowed from @object); @object may be NULL (missing). */
typedef enum
{
  TB_JSON_MEMBER_MISSING,
  TB_JSON_MEMBER_NULL,
  TB_JSON_MEMBER_VALUE,        /* of the type asked for */
  TB_JSON_MEMBER_WRONG_TYPE,
} TbJsonMember;

TbJsonMember tb_json_member_string  (JsonObject   *object,
                                     const char   *member,
                                     const char  **out);
TbJsonMember tb_json_member_boolean (JsonObject   *object,
                                     const char   *member,
                                     gboolean     *out);
TbJsonMember tb_json_member_object  (JsonObject   *object,
                                     const char   *member,
                                     JsonObject  **out);
TbJsonMember tb_json_member_array   (JsonObject   *object,
                                     const char   *member,
                                     JsonArray   **out);

/* Lenient getters that never fail: the member's value when it has that type, else
 * NULL/@fallback. @object may be NULL. */
const char  *tb_json_get_string     (JsonObject   *object,
                                     const char   *member);
gboolean     tb_json_get_boolean    (JsonObject   *object,
                                     const char   *member,
                                     gboolean      fallback);
gint64       tb_json_get_int        (JsonObject   *object,
                                     const char   *member,
                                     gint64        fallback);
/* Case-insensitive member lookup, for documents whose spelling varies (keyValue/keyvalue). */
JsonNode    *tb_json_get_member_ci  (JsonObject   *object,
                                     const char   *member);
const char  *tb_json_get_string_ci  (JsonObject   *object,
                                     const char   *member);
JsonObject  *tb_json_get_object_ci  (JsonObject   *object,
                                     const char   *member);

/* Strict standard Base64 (RFC 4648 §4): the alphabet, white space anywhere, '=' only as
 * final padding. NULL for anything else and for an empty result. g_base64_decode() silently
 * skips what it does not know, which would turn damage into different data instead of an
 * error. */
GBytes      *tb_json_base64_decode_strict (const char *text,
                                           gsize       len);
/* The same without white space, as OData's Edm.Binary is sent (a key credential's key and
 * customKeyIdentifier): the whole of @text is the alphabet and its padding. */
GBytes      *tb_json_base64_decode_binary (const char *text);

/* @member with @value, or null when @value is NULL. */
void         tb_json_add_string     (JsonBuilder  *builder,
                                     const char   *member,
                                     const char   *value);

G_END_DECLS
