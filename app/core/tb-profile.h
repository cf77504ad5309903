/* tb-profile.h: which service principals a trust needs, as data
 *
 * A profile names its targets by appId and says what each one receives: the certificate,
 * service principal names, being enabled, or nothing (shown for audit only), with a notice
 * the admin must see where they act. The default profile is a JSON file compiled in; others
 * can be loaded from files of the same shape.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_PROFILE_ERROR (tb_profile_error_quark ())

typedef enum
{
  TB_PROFILE_ERROR_INVALID,          /* not JSON, or a member missing or of the wrong type */
} TbProfileError;

GQuark tb_profile_error_quark (void);

#define TB_APP_ID_SKYPE_ONLINE     "00000004-0000-0ff1-ce00-000000000000"
#define TB_APP_ID_EXCHANGE_ONLINE  "00000002-0000-0ff1-ce00-000000000000"
#define TB_APP_ID_SHAREPOINT       "00000003-0000-0ff1-ce00-000000000000"

typedef struct
{
  char     *app_id;
  char     *display_name;            /* translated */
  gboolean  receives_certificate;
  gboolean  receives_spns;           /* "<appId>/<external web services FQDN>" */
  gboolean  must_be_enabled;
  gboolean  audit_only;              /* shown, never changed by the plan */
  char     *notice;                  /* translated, or NULL */
} TbProfileTarget;

#define TB_TYPE_PROFILE (tb_profile_get_type ())
G_DECLARE_FINAL_TYPE (TbProfile, tb_profile, TB, PROFILE, GObject)

/* "Skype for Business Server hybrid". */
TbProfile             *tb_profile_new_default   (void);
TbProfile             *tb_profile_new_from_data (const char  *data,
                                                 gsize        length,
                                                 GError     **error);

const char            *tb_profile_get_name      (TbProfile   *self);
guint                  tb_profile_get_n_targets (TbProfile   *self);
const TbProfileTarget *tb_profile_get_target    (TbProfile   *self,
                                                 guint        index);
/* NULL when @app_id is not a target. */
const TbProfileTarget *tb_profile_find_target   (TbProfile   *self,
                                                 const char  *app_id);
/* Every target's appId, NULL-terminated, in profile order: what a page's snapshot reads. */
GStrv                  tb_profile_dup_app_ids   (TbProfile   *self);

G_END_DECLS
