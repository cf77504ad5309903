/* tb-credential-merge.c: read-merge-write rules for keyCredentials and servicePrincipalNames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-credential-merge"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-json.h"

G_DEFINE_QUARK (tb-merge-error-quark, tb_merge_error)

JsonObject *
tb_credential_new_json (TbCertificate  *cert,
                        const char     *display_name,
                        gboolean        with_dates,
                        GError        **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (TB_IS_CERTIFICATE (cert), NULL);

  if (display_name != NULL &&
      (!g_utf8_validate (display_name, -1, NULL) ||
       g_utf8_strlen (display_name, -1) > TB_KEY_CREDENTIAL_DISPLAY_NAME_MAX))
    {
      g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID,
                   _("A credential’s display name can have at most %d characters."),
                   TB_KEY_CREDENTIAL_DISPLAY_NAME_MAX);
      return NULL;
    }

  json_object_set_string_member (object, "type", "AsymmetricX509Cert");
  json_object_set_string_member (object, "usage", "Verify");
  /* Standard Base64 of the DER bytes: PEM text or base64url fails as Edm.Binary. */
  {
    g_autofree char *b64 = tb_certificate_dup_base64 (cert);
    json_object_set_string_member (object, "key", b64);
  }
  if (display_name != NULL && *display_name != '\0')
    json_object_set_string_member (object, "displayName", display_name);
  if (with_dates)
    {
      /* Exactly the certificate's validity: a later end date is refused by Graph. */
      g_autofree char *start = tb_format_iso8601_utc (tb_certificate_get_not_before (cert));
      g_autofree char *end = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));

      json_object_set_string_member (object, "startDateTime", start);
      json_object_set_string_member (object, "endDateTime", end);
    }

  return g_steal_pointer (&object);
}

static const char *
principal_label (TbServicePrincipal *principal)
{
  const char *name = tb_service_principal_get_display_name (principal);

  return name != NULL && *name != '\0' ? name : tb_service_principal_get_app_id (principal);
}

/* Re-sending a credential whose key we never saw would either fail or, worse, replace it:
 * Graph needs the key of every kept credential. */
static gboolean
check_keys_known (TbServicePrincipal  *principal,
                  GError             **error)
{
  if (tb_service_principal_get_keys_complete (principal))
    return TRUE;

  g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN,
               _("Microsoft Graph did not return the key of every existing credential on %s, "
                 "so they cannot be kept safely; nothing was changed."),
               principal_label (principal));
  return FALSE;
}

JsonArray *
tb_credential_merge_add (TbServicePrincipal  *principal,
                         TbCertificate       *cert,
                         const char          *display_name,
                         gboolean             with_dates,
                         TbKeyCredential    **present,
                         GError             **error)
{
  GPtrArray *credentials;
  g_autoptr(JsonArray) result = NULL;
  g_autoptr(JsonObject) added = NULL;

  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (principal), NULL);
  g_return_val_if_fail (TB_IS_CERTIFICATE (cert), NULL);

  if (present != NULL)
    *present = NULL;

  credentials = tb_service_principal_get_key_credentials (principal);
  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);

      if (tb_key_credential_matches_certificate (credential, cert))
        {
          if (present != NULL)
            *present = credential;
          return NULL;
        }
    }

  if (!check_keys_known (principal, error))
    return NULL;

  added = tb_credential_new_json (cert, display_name, with_dates, error);
  if (added == NULL)
    return NULL;

  result = json_array_sized_new (credentials->len + 1);
  for (guint i = 0; i < credentials->len; i++)
    json_array_add_object_element (result,
                                   json_object_ref (tb_key_credential_get_json (g_ptr_array_index (credentials, i))));
  json_array_add_object_element (result, g_steal_pointer (&added));

  return g_steal_pointer (&result);
}

JsonArray *
tb_credential_merge_remove (TbServicePrincipal  *principal,
                            const char          *key_id,
                            gboolean             allow_empty,
                            TbKeyCredential    **removed,
                            GError             **error)
{
  GPtrArray *credentials;
  g_autoptr(JsonArray) result = NULL;
  TbKeyCredential *found = NULL;

  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (principal), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  if (removed != NULL)
    *removed = NULL;

  credentials = tb_service_principal_get_key_credentials (principal);
  result = json_array_sized_new (credentials->len);
  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);

      if (found == NULL && g_ascii_strcasecmp (tb_key_credential_get_key_id (credential), key_id) == 0)
        found = credential;
      else
        json_array_add_object_element (result, json_object_ref (tb_key_credential_get_json (credential)));
    }

  if (found == NULL)
    return NULL;

  /* The removed one may lack its key; every kept one must have it. */
  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);

      if (credential != found && tb_key_credential_get_key (credential) == NULL)
        {
          g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN,
                       _("Microsoft Graph did not return the key of every existing credential on "
                         "%s, so they cannot be kept safely; nothing was changed."),
                       principal_label (principal));
          return NULL;
        }
    }

  if (json_array_get_length (result) == 0 && !allow_empty)
    {
      g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_WOULD_EMPTY,
                   _("Removing credential %s would leave %s without any credential; "
                     "confirm removing all credentials to do that."),
                   key_id, principal_label (principal));
      return NULL;
    }

  if (removed != NULL)
    *removed = found;

  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------------------ */
/* Verification */

/* ------------------------------------------------------------------------------------ */
/* Service principal names */

gboolean
tb_spn_is_valid_fqdn (const char *fqdn)
{
  gsize len;
  guint labels = 0;
  const char *label;

  if (fqdn == NULL)
    return FALSE;
  len = strlen (fqdn);
  if (len == 0 || len > 253)
    return FALSE;

  label = fqdn;
  while (TRUE)
    {
      const char *dot = strchr (label, '.');
      gsize label_len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (label_len == 0 || label_len > 63)
        return FALSE;
      if (label[0] == '-' || label[label_len - 1] == '-')
        return FALSE;
      for (gsize i = 0; i < label_len; i++)
        if (!g_ascii_isalnum (label[i]) && label[i] != '-')
          return FALSE;
      labels++;
      if (dot == NULL)
        break;
      label = dot + 1;
    }

  /* The top-level label of a real name is not all digits (that would be an IPv4 address). */
  {
    const char *last = strrchr (fqdn, '.');
    gboolean digits = TRUE;

    for (const char *p = last != NULL ? last + 1 : fqdn; *p; p++)
      if (!g_ascii_isdigit (*p))
        digits = FALSE;
    if (digits)
      return FALSE;
  }

  return labels >= 2;
}

char *
tb_spn_for_fqdn (const char  *app_id,
                 const char  *fqdn,
                 GError     **error)
{
  g_return_val_if_fail (app_id != NULL, NULL);

  if (!tb_spn_is_valid_fqdn (fqdn))
    {
      g_set_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID,
                   _("“%s” is not a fully qualified host name such as webext.contoso.com."),
                   fqdn != NULL ? fqdn : "");
      return NULL;
    }

  return g_strdup_printf ("%s/%s", app_id, fqdn);
}

static gboolean
strv_contains_nocase (GPtrArray  *names,
                      const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static GStrv
ptr_array_to_strv (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

GStrv
tb_spn_merge_add (const char * const *existing,
                  const char * const *add,
                  gboolean           *changed)
{
  GPtrArray *names = g_ptr_array_new ();
  gboolean any = FALSE;

  for (guint i = 0; existing != NULL && existing[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (existing[i]));

  for (guint i = 0; add != NULL && add[i] != NULL; i++)
    if (!strv_contains_nocase (names, add[i]))
      {
        g_ptr_array_add (names, g_strdup (add[i]));
        any = TRUE;
      }

  if (changed != NULL)
    *changed = any;
  return ptr_array_to_strv (names);
}

GStrv
tb_spn_merge_remove (const char * const  *existing,
                     const char * const  *remove,
                     gboolean             allow_empty,
                     gboolean            *changed,
                     GError             **error)
{
  g_autoptr(GPtrArray) removing = g_ptr_array_new ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gboolean any = FALSE;

  for (guint i = 0; remove != NULL && remove[i] != NULL; i++)
    g_ptr_array_add (removing, (gpointer) remove[i]);

  for (guint i = 0; existing != NULL && existing[i] != NULL; i++)
    {
      if (strv_contains_nocase (removing, existing[i]))
        any = TRUE;
      else
        g_ptr_array_add (names, g_strdup (existing[i]));
    }

  if (changed != NULL)
    *changed = any;

  if (any && names->len == 0 && !allow_empty)
    {
      g_ptr_array_unref (names);
      g_set_error_literal (error, TB_MERGE_ERROR, TB_MERGE_ERROR_WOULD_EMPTY,
                           _("Removing these names would leave the service principal without any "
                             "service principal name; confirm removing all names to do that."));
      return NULL;
    }

  g_ptr_array_set_free_func (names, NULL);
  return ptr_array_to_strv (names);
}

