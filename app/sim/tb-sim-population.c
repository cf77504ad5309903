/* tb-sim-population.c: large tenants, made up on demand, and credentials planted for the audit
 *
 * A tenant of 100,000 service principals would take hundreds of megabytes as JSON objects.
 * Generated principals are therefore a function of their index: a list page builds the few it
 * returns and drops them; a principal read or written by ID or appId is built once and kept
 * (it can change from then on, as any other). Stored principals (the well-known ones, the demo's,
 * the planted ones) come first in listing order, generated ones after.
 *
 * The demo tenant's own 1,500 applications are stored the same way, compactly: their slot in
 * the listing holds an index, their GUIDs are kept, and their JSON is built when a listing
 * reads them; read or written by key, one is kept as JSON in its slot from then on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-population"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-sim-private.h"

/* Microsoft's second owner tenant: some first-party applications are registered there. */
#define MICROSOFT_CORP_TENANT "72f988bf-86f1-41af-91ab-2d7cd011db47"

#define ID_PREFIX     "0e0c"
#define APP_ID_PREFIX "a0d1"
#define DAY           (24 * 3600)

#define SFB_APP_ID        "00000004-0000-0ff1-ce00-000000000000"
#define SPO_APP_ID        "00000003-0000-0ff1-ce00-000000000000"
#define VOICEMAIL_APP_ID  "db7de2b5-2149-435e-8043-e080dd50afae"

static const char * const words_a[] = {
  "Microsoft", "Office 365", "Azure", "Windows", "Dynamics", "Power", "Intune", "Teams",
};
static const char * const words_b[] = {
  "Graph", "Insights", "Connector", "Compliance", "Reporting", "Discovery", "Scheduler",
  "Search", "Sync", "Gateway", "Notification", "Policy",
};
static const char * const words_c[] = {
  "Service", "API", "Portal", "Agent", "Worker", "Broker",
};

guint
tb_sim_population_size (TbSim *self)
{
  return self->principals->len + self->generated;
}

static gboolean
generated_is_microsoft (TbSim *self,
                        guint  index)
{
  guint64 n = self->generated;
  guint64 m = self->generated_microsoft;

  /* Exactly m of n, spread evenly: index i is Microsoft's when ⌊(i+1)m/n⌋ steps up. */
  return n > 0 && ((index + 1) * m) / n != (index * m) / n;
}

static char *
generated_guid (const char *prefix,
                guint       index)
{
  return g_strdup_printf ("%s%04x-0000-4000-8000-%012x", prefix, (index >> 16) & 0xffff,
                          index & 0xffff);
}

/* The index behind a generated ID or appId (lower case), or G_MAXUINT. */
static guint
generated_index (TbSim      *self,
                 const char *guid,
                 const char *prefix)
{
  unsigned int high = 0;
  unsigned int low = 0;
  char tail = 0;
  guint index;
  g_autofree char *expected = NULL;

  if (guid == NULL || !g_str_has_prefix (guid, prefix) || strlen (guid) != 36)
    return G_MAXUINT;
  if (sscanf (guid + 4, "%4x-0000-4000-8000-%12x%c", &high, &low, &tail) != 2)
    return G_MAXUINT;
  index = (high << 16) | low;
  expected = generated_guid (prefix, index);
  if (index >= self->generated || g_ascii_strcasecmp (expected, guid) != 0)
    return G_MAXUINT;
  return index;
}

static JsonObject *
build_generated (TbSim *self,
                 guint  index)
{
  JsonObject *sp = json_object_new ();
  g_autofree char *id = generated_guid (ID_PREFIX, index);
  g_autofree char *app_id = generated_guid (APP_ID_PREFIX, index);
  gboolean microsoft = generated_is_microsoft (self, index);
  g_autofree char *name = NULL;
  JsonArray *names = json_array_new ();
  const char *owner;

  if (microsoft)
    {
      name = g_strdup_printf ("%s %s %s %u", words_a[index % G_N_ELEMENTS (words_a)],
                              words_b[(index / 7) % G_N_ELEMENTS (words_b)],
                              words_c[(index / 3) % G_N_ELEMENTS (words_c)], index + 1);
      owner = index % 5 == 0 ? MICROSOFT_CORP_TENANT : TB_SIM_MICROSOFT_TENANT;
    }
  else
    {
      name = g_strdup_printf ("Line-of-business app %u", index + 1);
      owner = self->tenant_id;
    }

  json_object_set_string_member (sp, "id", id);
  json_object_set_boolean_member (sp, "accountEnabled", TRUE);
  json_object_set_string_member (sp, "appDisplayName", name);
  json_object_set_string_member (sp, "appId", app_id);
  json_object_set_string_member (sp, "appOwnerOrganizationId", owner);
  json_object_set_string_member (sp, "displayName", name);
  json_object_set_string_member (sp, "servicePrincipalType", "Application");
  json_object_set_string_member (sp, "signInAudience",
                                 microsoft ? "AzureADMultipleOrgs" : "AzureADMyOrg");
  json_array_add_string_element (names, app_id);
  json_object_set_array_member (sp, "servicePrincipalNames", names);
  json_object_set_array_member (sp, "tags", json_array_new ());
  json_object_set_array_member (sp, "keyCredentials", json_array_new ());
  json_object_set_array_member (sp, "passwordCredentials", json_array_new ());
  return sp;
}

void
tb_sim_principal_slot_free (gpointer slot)
{
  if (!TB_SIM_SLOT_IS_COMPACT (slot))
    json_object_unref (slot);
}

/* Compact principal @i becomes JSON in its slot, indexed as any stored principal. */
static JsonObject *
keep_compact (TbSim *self,
              guint  i)
{
  JsonObject *sp = tb_sim_data_build_compact (self, i);
  guint slot = 0;
  gboolean found;

  found = g_ptr_array_find (self->principals, TB_SIM_COMPACT_SLOT (i), &slot);
  g_assert (found);
  g_ptr_array_index (self->principals, slot) = sp;
  self->compact[i].kept = TRUE;
  tb_sim_index_principal (self, sp);
  return sp;
}

JsonObject *
tb_sim_lookup_stored (TbSim      *self,
                      const char *key,
                      gboolean    by_app_id)
{
  JsonObject *sp = g_hash_table_lookup (by_app_id ? self->by_app_id : self->by_id, key);

  if (sp != NULL || key == NULL)
    return sp;
  /* A kept one is in the index above, or was deleted: never made up again. */
  for (guint i = 0; i < self->n_compact; i++)
    if (!self->compact[i].kept &&
        g_str_equal (by_app_id ? self->compact[i].app_id : self->compact[i].id, key))
      return keep_compact (self, i);
  return NULL;
}

gboolean
tb_sim_spn_taken_elsewhere (TbSim      *self,
                            JsonObject *sp,
                            const char *name)
{
  for (guint i = 0; i < self->principals->len; i++)
    {
      gpointer slot = g_ptr_array_index (self->principals, i);
      JsonObject *other = slot;
      JsonArray *names;

      /* A compact principal's only servicePrincipalName is its appId. */
      if (TB_SIM_SLOT_IS_COMPACT (slot))
        {
          if (g_ascii_strcasecmp (self->compact[TB_SIM_SLOT_COMPACT_INDEX (slot)].app_id,
                                  name) == 0)
            return TRUE;
          continue;
        }
      if (other == sp)
        continue;
      names = json_object_get_array_member (other, "servicePrincipalNames");
      for (guint j = 0; names != NULL && j < json_array_get_length (names); j++)
        if (g_ascii_strcasecmp (json_array_get_string_element (names, j), name) == 0)
          return TRUE;
    }
  return FALSE;
}

JsonObject *
tb_sim_population_get (TbSim *self,
                       guint  index)
{
  JsonObject *kept;

  if (index < self->principals->len)
    {
      gpointer slot = g_ptr_array_index (self->principals, index);

      if (TB_SIM_SLOT_IS_COMPACT (slot))
        return tb_sim_data_build_compact (self, TB_SIM_SLOT_COMPACT_INDEX (slot));
      return json_object_ref (slot);
    }

  index -= self->principals->len;
  g_return_val_if_fail (index < self->generated, NULL);
  kept = self->materialized != NULL
         ? g_hash_table_lookup (self->materialized, GUINT_TO_POINTER (index + 1)) : NULL;
  if (kept != NULL)
    return json_object_ref (kept);
  return build_generated (self, index);
}

JsonObject *
tb_sim_population_lookup (TbSim      *self,
                          const char *key,
                          gboolean    by_app_id)
{
  JsonObject *sp;
  guint index;

  sp = tb_sim_lookup_stored (self, key, by_app_id);
  if (sp != NULL || self->generated == 0)
    return sp;

  index = generated_index (self, key, by_app_id ? APP_ID_PREFIX : ID_PREFIX);
  if (index == G_MAXUINT)
    return NULL;

  /* From now on this principal is stored: a write to it must stick. */
  sp = build_generated (self, index);
  if (self->materialized == NULL)
    self->materialized = g_hash_table_new_full (NULL, NULL, NULL,
                                                (GDestroyNotify) json_object_unref);
  g_hash_table_insert (self->materialized, GUINT_TO_POINTER (index + 1), sp);
  tb_sim_index_principal (self, sp);
  return sp;
}

/* ---- planted credentials ------------------------------------------------------------ */

static JsonObject *
key_for (GBytes     *der,
         const char *display_name)
{
  JsonObject *kc = tb_sim_key_credential_for (der);
  const char *sha1 = json_object_get_string_member (kc, "customKeyIdentifier");
  g_autofree char *cki = g_base64_encode ((const guchar *) sha1, strlen (sha1));

  /* Windows tools send the thumbprint text; Graph keeps it Base64 encoded. Members keep
   * their place when set again. */
  json_object_set_string_member (kc, "customKeyIdentifier", cki);
  if (display_name != NULL)
    json_object_set_string_member (kc, "displayName", display_name);
  return kc;
}

static JsonObject *
password_for (const char *display_name,
              gint64      start,
              gint64      end)
{
  JsonObject *pc = json_object_new ();
  g_autofree char *key_id = tb_sim_new_guid ();
  g_autoptr(GDateTime) s = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) e = g_date_time_new_from_unix_utc (end);
  g_autofree char *start_text = tb_format_iso8601_utc (s);
  g_autofree char *end_text = tb_format_iso8601_utc (e);

  /* Graph never returns the secret after creation: secretText is null, hint its start. */
  json_object_set_null_member (pc, "customKeyIdentifier");
  json_object_set_string_member (pc, "displayName", display_name);
  json_object_set_string_member (pc, "endDateTime", end_text);
  json_object_set_string_member (pc, "hint", "q8X");
  json_object_set_string_member (pc, "keyId", key_id);
  json_object_set_null_member (pc, "secretText");
  json_object_set_string_member (pc, "startDateTime", start_text);
  return pc;
}

static JsonObject *
stored_or_new (TbSim      *self,
               const char *app_id,
               const char *display_name,
               const char *owner)
{
  g_autofree char *key = g_ascii_strdown (app_id, -1);
  JsonObject *sp = tb_sim_lookup_stored (self, key, TRUE);
  g_autoptr(JsonObject) fresh = NULL;
  JsonArray *names;

  if (sp != NULL)
    {
      if (!json_object_has_member (sp, "passwordCredentials"))
        json_object_set_array_member (sp, "passwordCredentials", json_array_new ());
      return sp;
    }

  fresh = json_object_new ();
  json_object_set_string_member (fresh, "appId", app_id);
  json_object_set_string_member (fresh, "displayName", display_name);
  json_object_set_string_member (fresh, "appDisplayName", display_name);
  json_object_set_string_member (fresh, "appOwnerOrganizationId", owner);
  json_object_set_string_member (fresh, "servicePrincipalType", "Application");
  names = json_array_new ();
  json_array_add_string_element (names, app_id);
  json_object_set_array_member (fresh, "servicePrincipalNames", names);
  json_object_set_array_member (fresh, "passwordCredentials", json_array_new ());
  tb_sim_put_service_principal (self, fresh);
  return tb_sim_lookup_stored (self, key, TRUE);
}

static void
plant (TbSim      *self,
       const char *app_id,
       const char *display_name,
       const char *owner,
       JsonObject *credential,
       gboolean    password)
{
  JsonObject *sp = stored_or_new (self, app_id, display_name, owner);

  json_array_add_object_element (json_object_get_array_member (sp, password
                                                                   ? "passwordCredentials"
                                                                   : "keyCredentials"),
                                 credential);
}

void
tb_sim_set_population (TbSim *self,
                       guint  total,
                       guint  microsoft_owned)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint stored;

  g_return_if_fail (TB_IS_SIM (self));
  g_return_if_fail (self->generated == 0);
  g_return_if_fail (microsoft_owned <= total);

  {
    /* What an audit must find, on principals stored before the generated ones. */
    g_autoptr(GBytes) pool = tb_sim_data_make_certificate ("oauth.contoso.com", now - 30 * DAY,
                                                           now + 700 * DAY);
    g_autoptr(GBytes) exchange = tb_sim_data_make_certificate ("mail.contoso.com",
                                                               now - 90 * DAY, now + 300 * DAY);
    g_autoptr(GBytes) voicemail = tb_sim_data_make_certificate ("um.contoso.com",
                                                                now - 900 * DAY, now - 20 * DAY);
    g_autoptr(GBytes) intruder = tb_sim_data_make_certificate ("svc-sync", now - 5 * DAY,
                                                               now + 365 * DAY);
    g_autoptr(GBytes) later = tb_sim_data_make_certificate ("deploy-2030", now + 10 * DAY,
                                                            now + 400 * DAY);
    g_autoptr(GBytes) lob = tb_sim_data_make_certificate ("lob.contoso.com", now - 10 * DAY,
                                                          now + 300 * DAY);

    plant (self, SFB_APP_ID, "Skype for Business Online", TB_SIM_MICROSOFT_TENANT,
           key_for (pool, "CN=oauth.contoso.com"), FALSE);
    plant (self, SPO_APP_ID, "Office 365 SharePoint Online", TB_SIM_MICROSOFT_TENANT,
           key_for (exchange, NULL), FALSE);
    plant (self, VOICEMAIL_APP_ID, "Cloud Voicemail", TB_SIM_MICROSOFT_TENANT,
           key_for (voicemail, NULL), FALSE);
    plant (self, "00000003-0000-0000-c000-000000000000", "Microsoft Graph",
           TB_SIM_MICROSOFT_TENANT, key_for (intruder, "sync"), FALSE);
    plant (self, "00000003-0000-0000-c000-000000000000", "Microsoft Graph",
           TB_SIM_MICROSOFT_TENANT, password_for ("automation", now - 2 * DAY, now + 180 * DAY),
           TRUE);
    plant (self, "c5393580-f805-4401-95e8-94b7a6ef2fc2", "Office 365 Management APIs",
           TB_SIM_MICROSOFT_TENANT, password_for (NULL, now - 400 * DAY, now - 35 * DAY), TRUE);
    plant (self, "797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API",
           MICROSOFT_CORP_TENANT, key_for (later, NULL), FALSE);
    /* The tenant's own app: credentials there are the tenant's business, not the audit's. */
    plant (self, "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b", "Contoso Payroll Connector",
           self->tenant_id, key_for (lob, NULL), FALSE);
    plant (self, "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b", "Contoso Payroll Connector",
           self->tenant_id, password_for ("ci", now - 2 * DAY, now + 90 * DAY), TRUE);
  }

  /* The total counts the stored principals too. */
  stored = self->principals->len;
  self->generated = total > stored ? total - stored : 0;
  {
    guint stored_microsoft = 0;

    for (guint i = 0; i < stored; i++)
      {
        JsonObject *sp = g_ptr_array_index (self->principals, i);
        const char *owner;

        /* Compact principals are the tenant's own. */
        if (TB_SIM_SLOT_IS_COMPACT (sp))
          continue;
        owner = json_object_get_string_member_with_default (sp, "appOwnerOrganizationId", "");
        if (g_str_equal (owner, TB_SIM_MICROSOFT_TENANT) ||
            g_str_equal (owner, MICROSOFT_CORP_TENANT))
          stored_microsoft++;
      }
    self->generated_microsoft = microsoft_owned > stored_microsoft
                                ? MIN (microsoft_owned - stored_microsoft, self->generated) : 0;
  }
}

void
tb_sim_set_owner_filter_refused (TbSim    *self,
                                 gboolean  refused)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->owner_filter_refused = refused;
}
