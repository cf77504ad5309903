/* tb-principal-edit.c: one intended change to a service principal, and what it amounts to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principal-edit"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-credential-merge.h"
#include "tb-graph-client.h"
#include "tb-guards.h"
#include "tb-principal-edit.h"

/* ------------------------------------------------------------------------------------ */
/* TbPrincipalEdit */

struct _TbPrincipalEdit
{
  GObject               parent_instance;

  TbPrincipalEditKind   kind;
  TbPrincipalEditFlags  flags;
  char                 *app_id;
  TbCertificate        *cert;
  char                 *display_name;
  char                 *key_id;
  GStrv                 names;
};

G_DEFINE_FINAL_TYPE (TbPrincipalEdit, tb_principal_edit, G_TYPE_OBJECT)

static void
tb_principal_edit_finalize (GObject *object)
{
  TbPrincipalEdit *self = TB_PRINCIPAL_EDIT (object);

  g_clear_pointer (&self->app_id, g_free);
  g_clear_object (&self->cert);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->names, g_strfreev);

  G_OBJECT_CLASS (tb_principal_edit_parent_class)->finalize (object);
}

static void
tb_principal_edit_class_init (TbPrincipalEditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_principal_edit_finalize;
}

static void
tb_principal_edit_init (TbPrincipalEdit *self)
{
}

static TbPrincipalEdit *
edit_new (TbPrincipalEditKind  kind,
          const char          *app_id,
          TbPrincipalEditFlags flags)
{
  TbPrincipalEdit *self = g_object_new (TB_TYPE_PRINCIPAL_EDIT, NULL);

  self->kind = kind;
  self->app_id = g_strdup (app_id);
  self->flags = flags;
  return self;
}

TbPrincipalEdit *
tb_principal_edit_new_add_certificate (const char            *app_id,
                                       TbCertificate         *cert,
                                       const char            *display_name,
                                       TbPrincipalEditFlags   flags,
                                       GError               **error)
{
  g_autoptr(TbPrincipalEdit) self = NULL;
  g_autoptr(JsonObject) probe = NULL;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (TB_IS_CERTIFICATE (cert), NULL);

  /* Refuse a bad display name before anything is read from the tenant. */
  probe = tb_credential_new_json (cert, display_name, FALSE, error);
  if (probe == NULL)
    return NULL;

  self = edit_new (TB_PRINCIPAL_EDIT_ADD_CERTIFICATE, app_id, flags);
  self->cert = g_object_ref (cert);
  self->display_name = g_strdup (display_name);
  return g_steal_pointer (&self);
}

TbPrincipalEdit *
tb_principal_edit_new_remove_credential (const char          *app_id,
                                         const char          *key_id,
                                         TbPrincipalEditFlags flags)
{
  TbPrincipalEdit *self;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  self = edit_new (TB_PRINCIPAL_EDIT_REMOVE_CREDENTIAL, app_id, flags);
  self->key_id = g_strdup (key_id);
  return self;
}

TbPrincipalEdit *
tb_principal_edit_new_enable (const char *app_id)
{
  g_return_val_if_fail (app_id != NULL, NULL);
  return edit_new (TB_PRINCIPAL_EDIT_ENABLE, app_id, 0);
}

TbPrincipalEdit *
tb_principal_edit_new_add_spns (const char          *app_id,
                                const char * const  *fqdns,
                                GError             **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  TbPrincipalEdit *self;

  g_return_val_if_fail (app_id != NULL, NULL);

  for (guint i = 0; fqdns != NULL && fqdns[i] != NULL; i++)
    {
      char *spn = tb_spn_for_fqdn (app_id, fqdns[i], error);

      if (spn == NULL)
        return NULL;
      g_ptr_array_add (names, spn);
    }
  if (names->len == 0)
    {
      g_set_error_literal (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID,
                           _("Name at least one host name."));
      return NULL;
    }
  g_ptr_array_add (names, NULL);

  self = edit_new (TB_PRINCIPAL_EDIT_ADD_SPNS, app_id, 0);
  g_ptr_array_set_free_func (names, NULL);
  self->names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return self;
}

TbPrincipalEdit *
tb_principal_edit_new_remove_spns (const char           *app_id,
                                   const char * const   *values,
                                   TbPrincipalEditFlags  flags,
                                   GError              **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  TbPrincipalEdit *self;

  g_return_val_if_fail (app_id != NULL, NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      char *spn;

      /* A whole SPN, or the bare appId (Microsoft's), is taken as it is; else a host name. */
      if (strchr (values[i], '/') != NULL || g_ascii_strcasecmp (values[i], app_id) == 0)
        spn = g_strdup (values[i]);
      else if ((spn = tb_spn_for_fqdn (app_id, values[i], error)) == NULL)
        return NULL;
      g_ptr_array_add (names, spn);
      /* Names Microsoft manages are never removed (tb-guards.h). */
      if (!tb_spn_check_removable (app_id, spn, error))
        return NULL;
    }
  if (names->len == 0)
    {
      g_set_error_literal (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID,
                           _("Name at least one service principal name."));
      return NULL;
    }
  g_ptr_array_add (names, NULL);

  self = edit_new (TB_PRINCIPAL_EDIT_REMOVE_SPNS, app_id, flags);
  g_ptr_array_set_free_func (names, NULL);
  self->names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return self;
}

TbPrincipalEditKind
tb_principal_edit_get_kind (TbPrincipalEdit *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), 0);
  return self->kind;
}

const char *
tb_principal_edit_get_app_id (TbPrincipalEdit *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), NULL);
  return self->app_id;
}

TbCertificate *
tb_principal_edit_get_certificate (TbPrincipalEdit *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), NULL);
  return self->cert;
}

const char *
tb_principal_edit_get_key_id (TbPrincipalEdit *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), NULL);
  return self->key_id;
}

const char * const *
tb_principal_edit_get_names (TbPrincipalEdit *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), NULL);
  return (const char * const *) self->names;
}

static const char *
label (TbServicePrincipal *principal)
{
  const char *name = tb_service_principal_get_display_name (principal);

  return name != NULL && *name != '\0' ? name : tb_service_principal_get_app_id (principal);
}

static JsonArray *
strv_to_array (const char * const *names)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_array_add_string_element (array, names[i]);
  return array;
}

/* The names of @names not already on @principal, or already on it (@present). */
static char *
join_names (const char * const *names,
            const char * const *existing,
            gboolean            present)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean there = FALSE;

      for (guint j = 0; existing != NULL && existing[j] != NULL; j++)
        if (g_ascii_strcasecmp (names[i], existing[j]) == 0)
          there = TRUE;
      if (there != present)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, names[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What an edit does to @principal in Microsoft 365, told in @detail. */
static TbChange *
m365_change (TbServicePrincipal *principal,
             TbChangeAction      action,
             const char         *detail)
{
  return tb_change_new (TB_TRUST_HALF_MICROSOFT365, tb_service_principal_get_app_id (principal),
                        action, detail);
}

/* A PATCH body that sets the collection @member to @array (taken): Graph replaces a
 * collection whole, so @array holds what stays as well as what changes. */
static JsonObject *
patch_collection (const char *member,
                  JsonArray  *array)
{
  JsonObject *patch = json_object_new ();

  json_object_set_array_member (patch, member, array);
  return patch;
}

/* One function per kind of edit: the change @principal needs, and the PATCH body in @patch
 * (left NULL when nothing needs to change). */

static TbChange *
compute_add_certificate (TbPrincipalEdit     *self,
                         TbServicePrincipal  *principal,
                         JsonObject         **patch,
                         GError             **error)
{
  guint n_credentials = tb_service_principal_get_key_credentials (principal)->len;
  TbKeyCredential *present = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) array = NULL;
  g_autofree char *detail = NULL;

  array = tb_credential_merge_add (principal, self->cert, self->display_name,
                                   (self->flags & TB_PRINCIPAL_EDIT_FLAGS_WITH_DATES) != 0,
                                   &present, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (array == NULL)
    {
      detail = g_strdup_printf (_("%s already holds certificate %s (key ID %s)."),
                                label (principal), tb_certificate_get_sha1 (self->cert),
                                tb_key_credential_get_key_id (present));
      return m365_change (principal, TB_CHANGE_ACTION_NONE, detail);
    }
  *patch = patch_collection ("keyCredentials", g_steal_pointer (&array));
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Add certificate %s (SHA-1 %s) to %s, keeping its %u existing credential.",
                                         "Add certificate %s (SHA-1 %s) to %s, keeping its %u existing credentials.",
                                         n_credentials),
                            tb_certificate_get_common_name (self->cert)
                              ?: tb_certificate_get_subject (self->cert),
                            tb_certificate_get_sha1 (self->cert), label (principal), n_credentials);
  return m365_change (principal, TB_CHANGE_ACTION_ADD_CREDENTIAL, detail);
}

static TbChange *
compute_remove_credential (TbPrincipalEdit     *self,
                           TbServicePrincipal  *principal,
                           JsonObject         **patch,
                           GError             **error)
{
  guint n_credentials = tb_service_principal_get_key_credentials (principal)->len;
  TbKeyCredential *removed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonArray) array = NULL;
  g_autofree char *detail = NULL;
  const char *name;

  array = tb_credential_merge_remove (principal, self->key_id,
                                      (self->flags & TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY) != 0,
                                      &removed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (array == NULL)
    {
      detail = g_strdup_printf (_("%s has no credential with key ID %s; nothing to remove."),
                                label (principal), self->key_id);
      return m365_change (principal, TB_CHANGE_ACTION_NONE, detail);
    }
  *patch = patch_collection ("keyCredentials", g_steal_pointer (&array));
  name = tb_key_credential_get_display_name (removed);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Remove credential %s%s%s%s from %s, keeping its %u other credential.",
                                         "Remove credential %s%s%s%s from %s, keeping its %u other credentials.",
                                         n_credentials - 1),
                            tb_key_credential_get_key_id (removed),
                            name != NULL ? " (" : "", name != NULL ? name : "",
                            name != NULL ? ")" : "",
                            label (principal), n_credentials - 1);
  return m365_change (principal, TB_CHANGE_ACTION_REMOVE_CREDENTIAL, detail);
}

static TbChange *
compute_enable (TbPrincipalEdit     *self,
                TbServicePrincipal  *principal,
                JsonObject         **patch)
{
  g_autofree char *detail = NULL;

  if (tb_service_principal_get_account_enabled (principal))
    {
      detail = g_strdup_printf (_("%s is already enabled."), label (principal));
      return m365_change (principal, TB_CHANGE_ACTION_NONE, detail);
    }
  *patch = json_object_new ();
  json_object_set_boolean_member (*patch, "accountEnabled", TRUE);
  detail = g_strdup_printf (_("Enable %s."), label (principal));
  return m365_change (principal, TB_CHANGE_ACTION_ENABLE, detail);
}

static TbChange *
compute_add_spns (TbPrincipalEdit     *self,
                  TbServicePrincipal  *principal,
                  JsonObject         **patch)
{
  const char * const *wanted = (const char * const *) self->names;
  const char * const *existing = tb_service_principal_get_names (principal);
  gboolean changed = FALSE;
  g_auto(GStrv) merged = tb_spn_merge_add (existing, wanted, &changed);
  g_autofree char *names = join_names (wanted, existing, !changed);
  g_autofree char *detail = NULL;

  if (!changed)
    {
      detail = g_strdup_printf (_("%s already has %s."), label (principal), names);
      return m365_change (principal, TB_CHANGE_ACTION_NONE, detail);
    }
  *patch = patch_collection ("servicePrincipalNames",
                             strv_to_array ((const char * const *) merged));
  detail = g_strdup_printf (_("Add the service principal name %s to %s."), names,
                            label (principal));
  return m365_change (principal, TB_CHANGE_ACTION_ADD_SPN, detail);
}

static TbChange *
compute_remove_spns (TbPrincipalEdit     *self,
                     TbServicePrincipal  *principal,
                     JsonObject         **patch,
                     GError             **error)
{
  const char * const *unwanted = (const char * const *) self->names;
  const char * const *existing = tb_service_principal_get_names (principal);
  gboolean changed = FALSE;
  g_auto(GStrv) merged = NULL;
  g_autofree char *names = NULL;
  g_autofree char *detail = NULL;

  merged = tb_spn_merge_remove (existing, unwanted,
                                (self->flags & TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY) != 0,
                                &changed, error);
  if (merged == NULL)
    return NULL;
  if (!changed)
    {
      names = g_strjoinv (", ", self->names);
      detail = g_strdup_printf (_("%s has none of %s; nothing to remove."), label (principal),
                                names);
      return m365_change (principal, TB_CHANGE_ACTION_NONE, detail);
    }
  names = join_names (unwanted, existing, TRUE);
  *patch = patch_collection ("servicePrincipalNames",
                             strv_to_array ((const char * const *) merged));
  detail = g_strdup_printf (_("Remove the service principal name %s from %s."), names,
                            label (principal));
  return m365_change (principal, TB_CHANGE_ACTION_REMOVE_SPN, detail);
}

TbChange *
tb_principal_edit_compute (TbPrincipalEdit     *self,
                           TbServicePrincipal  *principal,
                           JsonObject         **patch,
                           GError             **error)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (self), NULL);
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (principal), NULL);
  g_return_val_if_fail (patch != NULL, NULL);

  *patch = NULL;
  switch (self->kind)
    {
    case TB_PRINCIPAL_EDIT_ADD_CERTIFICATE:
      return compute_add_certificate (self, principal, patch, error);
    case TB_PRINCIPAL_EDIT_REMOVE_CREDENTIAL:
      return compute_remove_credential (self, principal, patch, error);
    case TB_PRINCIPAL_EDIT_ENABLE:
      return compute_enable (self, principal, patch);
    case TB_PRINCIPAL_EDIT_ADD_SPNS:
      return compute_add_spns (self, principal, patch);
    case TB_PRINCIPAL_EDIT_REMOVE_SPNS:
      return compute_remove_spns (self, principal, patch, error);
    default:
      g_assert_not_reached ();
    }
}

