/* tb-cloud.h: a named set of Microsoft endpoints (login, Graph, ACS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_CLOUD_ERROR (tb_cloud_error_quark ())

typedef enum
{
  TB_CLOUD_ERROR_UNKNOWN_CLOUD,
  TB_CLOUD_ERROR_BAD_FILE,       /* unreadable key file, missing [Endpoints] or a key */
  TB_CLOUD_ERROR_BAD_URL,        /* not an absolute URL, or http:// to a non-loopback host */
} TbCloudError;

GQuark tb_cloud_error_quark (void);

#define TB_TYPE_CLOUD (tb_cloud_get_type ())
G_DECLARE_FINAL_TYPE (TbCloud, tb_cloud, TB, CLOUD, GObject)

TbCloud            *tb_cloud_new_builtin       (const char  *name,
                                                GError     **error);
/* GKeyFile with [Endpoints] Login=, Graph=, Acs= base URLs (a path prefix is allowed).
 * https:// always; http:// only for loopback hosts (127.0.0.0/8, ::1, localhost). */
TbCloud            *tb_cloud_new_from_file     (const char  *path,
                                                GError     **error);
/* The same from the file's bytes (checked here: UTF-8, no NUL, no backslash escapes before
 * GKeyFile reads them); @display_name names the file in messages. */
TbCloud            *tb_cloud_new_from_data     (const char  *data,
                                                gsize        len,
                                                const char  *display_name,
                                                GError     **error);
TbCloud            *tb_cloud_new               (const char  *name,
                                                const char  *login,
                                                const char  *graph,
                                                const char  *acs,
                                                GError     **error);

const char         *tb_cloud_get_name          (TbCloud     *self);
/* A translated display name: "Global", "US Government GCC High", … or "Custom endpoints". */
const char         *tb_cloud_get_display_name  (TbCloud     *self);
const char         *tb_cloud_get_login         (TbCloud     *self);
const char         *tb_cloud_get_graph         (TbCloud     *self);
const char         *tb_cloud_get_acs           (TbCloud     *self);
gboolean            tb_cloud_is_custom         (TbCloud     *self);

/* {Login}/{tenant}/{path}, tenant escaped as a path segment. */
char               *tb_cloud_login_uri         (TbCloud     *self,
                                                const char  *tenant,
                                                const char  *path);
/* {Graph}/v1.0/{path}; @path is already escaped (built with tb_graph_escape or literals). */
char               *tb_cloud_graph_uri         (TbCloud     *self,
                                                const char  *path);
/* {Acs}/{tenant_id}/metadata/json/1: the MetadataUrl the pool's microsoft.sts needs. */
char               *tb_cloud_acs_metadata_uri  (TbCloud     *self,
                                                const char  *tenant_id);
/* Full scope URI on this cloud's Graph resource: "https://graph.microsoft.com/Application.Read.All". */
char               *tb_cloud_graph_scope       (TbCloud     *self,
                                                const char  *permission);
/* TRUE when @uri has the same scheme, host and port as the Graph base: where tokens and
 * @odata.nextLink may go. */
gboolean            tb_cloud_is_graph_uri      (TbCloud     *self,
                                                const char  *uri);

/* "localhost" or a literal loopback address (127.0.0.0/8, ::1): where plain http:// may go. */
gboolean            tb_cloud_host_is_loopback  (const char  *host);
/* http:// is only for loopback; used for every URL the app is given. */
gboolean            tb_cloud_check_url         (const char  *url,
                                                GError     **error);

G_END_DECLS
