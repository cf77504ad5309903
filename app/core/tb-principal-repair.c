/* tb-principal-repair.c: what a read-back lost, and putting it back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principal-repair"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-credential-merge.h"
#include "tb-graph-client.h"
#include "tb-json.h"
#include "tb-principal-repair.h"

static TbKeyCredential *
find_key_id (TbServicePrincipal *principal,
             const char         *key_id)
{
  GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);

  for (guint i = 0; i < credentials->len; i++)
    if (g_ascii_strcasecmp (tb_key_credential_get_key_id (g_ptr_array_index (credentials, i)),
                            key_id) == 0)
      return g_ptr_array_index (credentials, i);
  return NULL;
}

static gboolean
has_key_id (TbServicePrincipal *principal,
            const char         *key_id)
{
  return find_key_id (principal, key_id) != NULL;
}

static gboolean
strv_has_nocase (const char * const *names,
                 const char         *name)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return TRUE;
  return FALSE;
}

char *
tb_principal_repair_describe_credential (JsonObject *credential)
{
  const char *key_id = tb_json_get_string (credential, "keyId");
  JsonNode *name = json_object_get_member (credential, "displayName");
  const char *display = name != NULL && JSON_NODE_HOLDS_VALUE (name) &&
                        json_node_get_value_type (name) == G_TYPE_STRING ? json_node_get_string (name) : NULL;

  if (display != NULL && *display != '\0')
    return g_strdup_printf (_("credential %s (%s)"), key_id != NULL ? key_id : "?", display);
  return g_strdup_printf (_("credential %s"), key_id != NULL ? key_id : "?");
}

gboolean
tb_principal_repair_check (TbPrincipalEdit     *edit,
                           TbServicePrincipal  *before,
                           TbServicePrincipal  *after,
                           gboolean            *in_place,
                           GPtrArray           *lost_credentials,
                           GPtrArray           *lost_names,
                           GError             **error)
{
  TbPrincipalEditKind kind = tb_principal_edit_get_kind (edit);
  GPtrArray *credentials = tb_service_principal_get_key_credentials (before);
  const char * const *names = tb_service_principal_get_names (before);
  const char * const *after_names = tb_service_principal_get_names (after);
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) local_error = NULL;

  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);
      const char *key_id = tb_key_credential_get_key_id (credential);

      if (kind == TB_PRINCIPAL_EDIT_REMOVE_CREDENTIAL &&
          g_ascii_strcasecmp (key_id, tb_principal_edit_get_key_id (edit)) == 0)
        continue;
      TbKeyCredential *now = find_key_id (after, key_id);

      if (now == NULL)
        g_ptr_array_add (lost_credentials, json_object_ref (tb_key_credential_get_json (credential)));
      else if (g_strcmp0 (tb_key_credential_get_key (credential), tb_key_credential_get_key (now)) != 0 ||
               g_strcmp0 (tb_key_credential_get_usage (credential), tb_key_credential_get_usage (now)) != 0 ||
               g_strcmp0 (tb_key_credential_get_key_type (credential),
                          tb_key_credential_get_key_type (now)) != 0)
        {
          /* Same keyId, another certificate or use: not something to put back blindly. */
          g_autofree char *what = tb_principal_repair_describe_credential (tb_key_credential_get_json (now));

          g_set_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED,
                       _("After the change, %s on %s differs from what was there before."),
                       what, tb_service_principal_get_app_id (after));
          return FALSE;
        }
    }

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (kind == TB_PRINCIPAL_EDIT_REMOVE_SPNS &&
          strv_has_nocase (tb_principal_edit_get_names (edit), names[i]))
        continue;
      if (!strv_has_nocase (after_names, names[i]))
        g_ptr_array_add (lost_names, g_strdup (names[i]));
    }

  /* The edit itself: computed on the read-back, it finds nothing to do. Removing a
   * credential or a name that is still there is not "in place" even when the rules would
   * refuse to remove the last one now. */
  change = tb_principal_edit_compute (edit, after, &patch, &local_error);
  if (change == NULL)
    {
      if (g_error_matches (local_error, TB_MERGE_ERROR, TB_MERGE_ERROR_WOULD_EMPTY))
        {
          *in_place = FALSE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *in_place = patch == NULL;
  return TRUE;
}

TbServicePrincipal *
tb_principal_repair_merge (TbServicePrincipal  *after,
                           GPtrArray           *lost_credentials,
                           GPtrArray           *lost_names,
                           GError             **error)
{
  JsonObject *source = tb_service_principal_get_json (after);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (source);
  JsonArray *credentials = json_array_new ();
  JsonArray *names = json_array_new ();
  GPtrArray *now = tb_service_principal_get_key_credentials (after);
  const char * const *now_names = tb_service_principal_get_names (after);

  /* Containers are shared with @after, never changed: only the two collections are new. */
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (object, l->data, json_node_copy (json_object_get_member (source, l->data)));

  for (guint i = 0; i < now->len; i++)
    json_array_add_object_element (credentials,
                                   json_object_ref (tb_key_credential_get_json (g_ptr_array_index (now, i))));
  for (guint i = 0; i < lost_credentials->len; i++)
    json_array_add_object_element (credentials, json_object_ref (g_ptr_array_index (lost_credentials, i)));
  json_object_set_array_member (object, "keyCredentials", credentials);

  for (guint i = 0; now_names != NULL && now_names[i] != NULL; i++)
    json_array_add_string_element (names, now_names[i]);
  for (guint i = 0; i < lost_names->len; i++)
    json_array_add_string_element (names, g_ptr_array_index (lost_names, i));
  json_object_set_array_member (object, "servicePrincipalNames", names);

  return tb_service_principal_new_from_json (object, error);
}

JsonObject *
tb_principal_repair_patch (TbPrincipalEdit     *edit,
                           TbServicePrincipal  *target,
                           gboolean             credentials_lost,
                           gboolean             names_lost,
                           GError             **error)
{
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(TbChange) change = NULL;

  change = tb_principal_edit_compute (edit, target, &patch, error);
  if (change == NULL)
    return NULL;
  if (patch == NULL && !credentials_lost && !names_lost)
    return NULL;
  if (patch == NULL)
    patch = json_object_new ();

  if (credentials_lost && !json_object_has_member (patch, "keyCredentials"))
    {
      GPtrArray *credentials = tb_service_principal_get_key_credentials (target);
      JsonArray *array = json_array_new ();

      /* Re-sending a credential without its key would fail or replace it. */
      if (!tb_service_principal_get_keys_complete (target))
        {
          json_array_unref (array);
          g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN,
                       _("Microsoft Graph did not return the key of every credential on %s, "
                         "so a lost credential cannot be put back safely."),
                       tb_service_principal_get_app_id (target));
          return NULL;
        }
      for (guint i = 0; i < credentials->len; i++)
        json_array_add_object_element (array,
                                       json_object_ref (tb_key_credential_get_json (g_ptr_array_index (credentials, i))));
      json_object_set_array_member (patch, "keyCredentials", array);
    }

  if (names_lost && !json_object_has_member (patch, "servicePrincipalNames"))
    {
      const char * const *names = tb_service_principal_get_names (target);
      JsonArray *array = json_array_new ();

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        json_array_add_string_element (array, names[i]);
      json_object_set_array_member (patch, "servicePrincipalNames", array);
    }

  return g_steal_pointer (&patch);
}

static gboolean
same_key_ids (TbServicePrincipal *a,
              TbServicePrincipal *b)
{
  GPtrArray *ca = tb_service_principal_get_key_credentials (a);
  GPtrArray *cb = tb_service_principal_get_key_credentials (b);

  if (ca->len != cb->len)
    return FALSE;
  for (guint i = 0; i < ca->len; i++)
    if (!has_key_id (b, tb_key_credential_get_key_id (g_ptr_array_index (ca, i))))
      return FALSE;
  return TRUE;
}

static gboolean
same_names (TbServicePrincipal *a,
            TbServicePrincipal *b)
{
  const char * const *na = tb_service_principal_get_names (a);
  const char * const *nb = tb_service_principal_get_names (b);
  guint la = na != NULL ? g_strv_length ((GStrv) na) : 0;
  guint lb = nb != NULL ? g_strv_length ((GStrv) nb) : 0;

  if (la != lb)
    return FALSE;
  for (guint i = 0; i < la; i++)
    if (!strv_has_nocase (nb, na[i]))
      return FALSE;
  return TRUE;
}

gboolean
tb_principal_repair_touches (TbPrincipalEdit     *edit,
                             TbServicePrincipal  *approved,
                             TbServicePrincipal  *current)
{
  switch (tb_principal_edit_get_kind (edit))
    {
    case TB_PRINCIPAL_EDIT_ADD_CERTIFICATE:
    case TB_PRINCIPAL_EDIT_REMOVE_CREDENTIAL:
      return !same_key_ids (approved, current);
    case TB_PRINCIPAL_EDIT_ADD_SPNS:
    case TB_PRINCIPAL_EDIT_REMOVE_SPNS:
      return !same_names (approved, current);
    case TB_PRINCIPAL_EDIT_ENABLE:
      return tb_service_principal_get_account_enabled (approved) !=
             tb_service_principal_get_account_enabled (current);
    default:
      g_assert_not_reached ();
    }
}
