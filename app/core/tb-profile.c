/* tb-profile.c: which service principals a trust needs, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-profile"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-core-resources.h"
#include "tb-json.h"
#include "tb-profile.h"

#define DEFAULT_PROFILE_PATH "/io/github/trustbridge/TrustBridge/core/profiles/sfb-hybrid.json"
/* A profile is a few kilobytes; anything much larger is not one. */
#define PROFILE_MAX_SIZE (256 * 1024)

G_DEFINE_QUARK (tb-profile-error-quark, tb_profile_error)

struct _TbProfile
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *description;
  GArray  *targets;                  /* TbProfileTarget */
};

G_DEFINE_FINAL_TYPE (TbProfile, tb_profile, G_TYPE_OBJECT)

static void
target_clear (gpointer data)
{
  TbProfileTarget *target = data;

  g_clear_pointer (&target->app_id, g_free);
  g_clear_pointer (&target->display_name, g_free);
  g_clear_pointer (&target->notice, g_free);
}

static void
tb_profile_finalize (GObject *object)
{
  TbProfile *self = TB_PROFILE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->targets, g_array_unref);

  G_OBJECT_CLASS (tb_profile_parent_class)->finalize (object);
}

static void
tb_profile_class_init (TbProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_profile_finalize;
}

static void
tb_profile_init (TbProfile *self)
{
  self->targets = g_array_new (FALSE, TRUE, sizeof (TbProfileTarget));
  g_array_set_clear_func (self->targets, target_clear);
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, TB_PROFILE_ERROR, TB_PROFILE_ERROR_INVALID,
               _("The profile is not valid: %s."), what);
  return FALSE;
}

/* Strings in the shipped profile are in the message catalogue; a custom profile's
 * strings are shown as written. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            char       **out,
            GError     **error)
{
  const char *value = NULL;

  *out = NULL;
  switch (tb_json_member_string (object, member, &value))
    {
    case TB_JSON_MEMBER_MISSING:
    case TB_JSON_MEMBER_NULL:
      return required ? invalid (error, member) : TRUE;
    case TB_JSON_MEMBER_VALUE:
      *out = g_strdup (g_dgettext (GETTEXT_PACKAGE, value));
      return TRUE;
    case TB_JSON_MEMBER_WRONG_TYPE:
    default:
      return invalid (error, member);
    }
}

static gboolean
get_bool (JsonObject  *object,
          const char  *member,
          gboolean    *out,
          GError     **error)
{
  *out = FALSE;
  if (tb_json_member_boolean (object, member, out) == TB_JSON_MEMBER_WRONG_TYPE)
    return invalid (error, member);
  return TRUE;
}

static gboolean
is_guid (const char *text)
{
  if (strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

TbProfile *
tb_profile_new_from_data (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(TbProfile) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *targets;

  g_return_val_if_fail (data != NULL, NULL);

  if (length > PROFILE_MAX_SIZE)
    {
      invalid (error, _("too large"));
      return NULL;
    }
  /* A profile may come from a file: strict JSON with bounded nesting before json-glib, which
   * recurses, reads it. */
  root = tb_json_parse (data, length, TB_JSON_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      invalid (error, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, _("not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  self = g_object_new (TB_TYPE_PROFILE, NULL);
  if (!get_string (object, "id", TRUE, &self->id, error) ||
      !get_string (object, "name", TRUE, &self->name, error) ||
      !get_string (object, "description", FALSE, &self->description, error))
    return NULL;

  targets = json_object_get_member (object, "targets");
  if (targets == NULL || !JSON_NODE_HOLDS_ARRAY (targets) ||
      json_array_get_length (json_node_get_array (targets)) == 0)
    {
      invalid (error, "targets");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (targets)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (targets), i);
      TbProfileTarget target = { 0 };
      JsonObject *t;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, "targets");
          return NULL;
        }
      t = json_node_get_object (node);
      g_array_set_size (self->targets, self->targets->len + 1);
      if (!get_string (t, "app_id", TRUE, &target.app_id, error) ||
          !get_string (t, "name", TRUE, &target.display_name, error) ||
          !get_string (t, "notice", FALSE, &target.notice, error) ||
          !get_bool (t, "receives_certificate", &target.receives_certificate, error) ||
          !get_bool (t, "receives_spns", &target.receives_spns, error) ||
          !get_bool (t, "must_be_enabled", &target.must_be_enabled, error) ||
          !get_bool (t, "audit_only", &target.audit_only, error))
        {
          target_clear (&target);
          g_array_set_size (self->targets, self->targets->len - 1);
          return NULL;
        }
      g_array_index (self->targets, TbProfileTarget, self->targets->len - 1) = target;

      if (!is_guid (target.app_id))
        {
          invalid (error, "app_id");
          return NULL;
        }
      if (target.audit_only &&
          (target.receives_certificate || target.receives_spns || target.must_be_enabled))
        {
          invalid (error, _("an audit-only target cannot receive changes"));
          return NULL;
        }
      for (guint j = 0; j + 1 < self->targets->len; j++)
        if (g_ascii_strcasecmp (g_array_index (self->targets, TbProfileTarget, j).app_id,
                                target.app_id) == 0)
          {
            invalid (error, _("an app ID is listed twice"));
            return NULL;
          }
    }

  return g_steal_pointer (&self);
}

TbProfile *
tb_profile_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TbProfile *self;
  gsize length;
  const char *data;

  /* Looked up in the core resource directly: a static library drops the generated
   * constructor that would register it, unless something references it. */
  bytes = g_resource_lookup_data (tb_core_get_resource (), DEFAULT_PROFILE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &length);
  self = tb_profile_new_from_data (data, length, &error);
  /* Shipped data checked by the tests. */
  g_assert_no_error (error);
  return self;
}

const char *
tb_profile_get_name (TbProfile *self)
{
  g_return_val_if_fail (TB_IS_PROFILE (self), NULL);
  return self->name;
}

guint
tb_profile_get_n_targets (TbProfile *self)
{
  g_return_val_if_fail (TB_IS_PROFILE (self), 0);
  return self->targets->len;
}

const TbProfileTarget *
tb_profile_get_target (TbProfile *self,
                       guint      index)
{
  g_return_val_if_fail (TB_IS_PROFILE (self), NULL);
  g_return_val_if_fail (index < self->targets->len, NULL);
  return &g_array_index (self->targets, TbProfileTarget, index);
}

const TbProfileTarget *
tb_profile_find_target (TbProfile  *self,
                        const char *app_id)
{
  g_return_val_if_fail (TB_IS_PROFILE (self), NULL);

  for (guint i = 0; i < self->targets->len; i++)
    if (g_ascii_strcasecmp (g_array_index (self->targets, TbProfileTarget, i).app_id, app_id) == 0)
      return &g_array_index (self->targets, TbProfileTarget, i);
  return NULL;
}

GStrv
tb_profile_dup_app_ids (TbProfile *self)
{
  GStrv ids;

  g_return_val_if_fail (TB_IS_PROFILE (self), NULL);

  ids = g_new0 (char *, self->targets->len + 1);
  for (guint i = 0; i < self->targets->len; i++)
    ids[i] = g_strdup (g_array_index (self->targets, TbProfileTarget, i).app_id);
  return ids;
}
