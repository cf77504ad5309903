/* tb-audit.c: who holds credentials on Microsoft's own service principals in a tenant
 *
 * Graph lists credential metadata (keyId, dates, customKeyIdentifier, displayName) on a list
 * read, never the key itself; that is all the audit needs, so it never uses the rate-limited
 * single-object key read. Pages are classified as they arrive and dropped: memory grows with the
 * findings and one page, not with the tenant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit-private.h"
#include "tb-json.h"
#include "tb-service-principal.h"

/* Only what the audit reads; $top is Graph's largest page. */
#define AUDIT_SELECT "id,appId,displayName,appOwnerOrganizationId,keyCredentials,passwordCredentials"
#define AUDIT_TOP    "999"
/* A listing longer than this is a loop, not a tenant (999 × 2000 principals). */
#define MAX_PAGES    2000

static const char * const owners[] = {
  TB_AUDIT_MICROSOFT_OWNER,
  TB_AUDIT_MICROSOFT_OWNER_CORP,
};

static gboolean
is_microsoft_owner (const char *owner)
{
  if (owner == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    if (g_ascii_strcasecmp (owner, owners[i]) == 0)
      return TRUE;
  return FALSE;
}

/* ---- the audit ---------------------------------------------------------------------- */

struct _TbAudit
{
  GObject        parent_instance;

  TbGraphClient *client;
  GHashTable    *pool_thumbprints;   /* upper-case hex set */
  GHashTable    *known;              /* "keyid|SHA1" (lower-case keyId) → note */
  guint          warn_days;

  guint          scanned;
  guint          microsoft_owned;
  guint          pages;
  gboolean       fallback;
};

G_DEFINE_FINAL_TYPE (TbAudit, tb_audit, G_TYPE_OBJECT)

static void
tb_audit_finalize (GObject *object)
{
  TbAudit *self = TB_AUDIT (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->pool_thumbprints, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);

  G_OBJECT_CLASS (tb_audit_parent_class)->finalize (object);
}

static void
tb_audit_class_init (TbAuditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_audit_finalize;
}

static void
tb_audit_init (TbAudit *self)
{
  self->pool_thumbprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->warn_days = 30;
}

TbAudit *
tb_audit_new (TbGraphClient *client)
{
  TbAudit *self;

  g_return_val_if_fail (TB_IS_GRAPH_CLIENT (client), NULL);

  self = g_object_new (TB_TYPE_AUDIT, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
tb_audit_add_pool_thumbprint (TbAudit    *self,
                              const char *sha1)
{
  g_autofree char *clean = NULL;
  char *out;

  g_return_if_fail (TB_IS_AUDIT (self));

  if (sha1 == NULL)
    return;
  /* Windows shows thumbprints with spaces or colons at times: keep the hex digits. */
  clean = g_malloc (strlen (sha1) + 1);
  out = clean;
  for (const char *p = sha1; *p; p++)
    if (g_ascii_isxdigit (*p))
      *out++ = g_ascii_toupper (*p);
  *out = '\0';
  if (strlen (clean) == 40)
    g_hash_table_add (self->pool_thumbprints, g_steal_pointer (&clean));
}

void
tb_audit_add_pool_certificate (TbAudit       *self,
                               TbCertificate *certificate)
{
  g_return_if_fail (TB_IS_AUDIT (self));
  g_return_if_fail (TB_IS_CERTIFICATE (certificate));

  tb_audit_add_pool_thumbprint (self, tb_certificate_get_sha1 (certificate));
}

gboolean
tb_audit_add_pool_state (TbAudit     *self,
                         TbPoolState *state)
{
  const TbPoolCertificate *cert = NULL;

  g_return_val_if_fail (TB_IS_AUDIT (self), FALSE);
  g_return_val_if_fail (TB_IS_POOL_STATE (state), FALSE);

  /* Schema 1 reports the current OAuthTokenIssuer certificate only. */
  if (tb_pool_state_get_oauth_certificate (state, &cert) != TB_POOL_PRESENT || cert == NULL)
    return FALSE;
  if (cert->certificate != NULL)
    tb_audit_add_pool_certificate (self, cert->certificate);
  tb_audit_add_pool_thumbprint (self, cert->thumbprint);
  return cert->certificate != NULL || cert->thumbprint != NULL;
}

static char *
known_key (const char *key_id,
           const char *sha1)
{
  g_autofree char *lower = g_ascii_strdown (key_id, -1);
  g_autofree char *upper = g_ascii_strup (sha1 != NULL ? sha1 : "", -1);

  return g_strconcat (lower, "|", upper, NULL);
}

void
tb_audit_set_known (TbAudit    *self,
                    GSettings  *settings,
                    const char *tenant_id)
{
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *s_tenant, *s_key_id, *s_sha1, *s_note;

  g_return_if_fail (TB_IS_AUDIT (self));

  g_hash_table_remove_all (self->known);
  if (settings == NULL || tenant_id == NULL)
    return;

  value = g_settings_get_value (settings, "audit-known");
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &s_tenant, &s_key_id, &s_sha1, &s_note))
    if (g_ascii_strcasecmp (s_tenant, tenant_id) == 0)
      g_hash_table_insert (self->known, known_key (s_key_id, s_sha1), g_strdup (s_note));
}

void
tb_audit_set_warn_days (TbAudit *self,
                        guint    days)
{
  g_return_if_fail (TB_IS_AUDIT (self));
  self->warn_days = days;
}

guint
tb_audit_get_scanned (TbAudit *self)
{
  g_return_val_if_fail (TB_IS_AUDIT (self), 0);
  return self->scanned;
}

guint
tb_audit_get_microsoft_owned (TbAudit *self)
{
  g_return_val_if_fail (TB_IS_AUDIT (self), 0);
  return self->microsoft_owned;
}

guint
tb_audit_get_pages (TbAudit *self)
{
  g_return_val_if_fail (TB_IS_AUDIT (self), 0);
  return self->pages;
}

gboolean
tb_audit_get_used_fallback (TbAudit *self)
{
  g_return_val_if_fail (TB_IS_AUDIT (self), FALSE);
  return self->fallback;
}

static GDateTime *
member_date (JsonObject *object,
             const char *member)
{
  const char *text = tb_json_get_string (object, member);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static TbCertificateStatus
status_for (GDateTime *start,
            GDateTime *end,
            GDateTime *now,
            guint      warn_days)
{
  if (start != NULL && g_date_time_compare (start, now) > 0)
    return TB_CERTIFICATE_STATUS_NOT_YET_VALID;
  if (end != NULL && g_date_time_compare (end, now) <= 0)
    return TB_CERTIFICATE_STATUS_EXPIRED;
  if (end != NULL && g_date_time_difference (end, now) < (GTimeSpan) warn_days * G_TIME_SPAN_DAY)
    return TB_CERTIFICATE_STATUS_EXPIRING;
  return TB_CERTIFICATE_STATUS_VALID;
}

static TbAuditFinding *
finding_new (TbAudit     *self,
             JsonObject  *sp,
             JsonObject  *credential,
             TbAuditKind  kind,
             GDateTime   *now)
{
  TbAuditFinding *f = g_object_new (TB_TYPE_AUDIT_FINDING, NULL);
  const char *key_id = tb_json_get_string (credential, "keyId");

  f->app_id = g_strdup (tb_json_get_string (sp, "appId"));
  f->object_id = g_strdup (tb_json_get_string (sp, "id"));
  f->display_name = g_strdup (tb_json_get_string (sp, "displayName"));
  if (f->display_name == NULL)
    f->display_name = g_strdup (f->app_id);
  f->kind = kind;
  f->key_id = g_strdup (key_id);
  f->credential_name = g_strdup (tb_json_get_string (credential, "displayName"));
  f->start = member_date (credential, "startDateTime");
  f->end = member_date (credential, "endDateTime");
  f->status = status_for (f->start, f->end, now, self->warn_days);

  if (kind == TB_AUDIT_KIND_KEY)
    {
      /* The same careful customKeyIdentifier decoding as everywhere else (hex text, Base64 of
       * hex text, or Base64 of the 20 digest bytes); anything else is no thumbprint. */
      g_autoptr(TbKeyCredential) kc = key_id != NULL ? tb_key_credential_new_from_json (credential,
                                                                                      NULL)
                                                     : NULL;

      if (kc != NULL && tb_key_credential_get_thumbprint (kc) != NULL)
        f->sha1 = g_ascii_strup (tb_key_credential_get_thumbprint (kc), -1);
    }

  /* No documented reason exists for a secret on a first-party app; a key is this pool's,
   * documented hybrid use, or unexplained. */
  if (kind == TB_AUDIT_KIND_PASSWORD)
    f->classified = TB_AUDIT_ORIGIN_UNEXPLAINED;
  else if (f->sha1 != NULL && g_hash_table_contains (self->pool_thumbprints, f->sha1))
    f->classified = TB_AUDIT_ORIGIN_POOL;
  else if (tb_audit_is_documented_app (f->app_id))
    f->classified = TB_AUDIT_ORIGIN_DOCUMENTED;
  else
    f->classified = TB_AUDIT_ORIGIN_UNEXPLAINED;

  if (f->key_id != NULL)
    {
      g_autofree char *key = known_key (f->key_id, f->sha1);
      const char *note = g_hash_table_lookup (self->known, key);

      if (note != NULL)
        f->note = g_strdup (note);
    }
  return f;
}

static void
add_credentials (TbAudit     *self,
                 GPtrArray   *out,
                 JsonObject  *sp,
                 const char  *member,
                 TbAuditKind  kind,
                 GDateTime   *now)
{
  JsonNode *node = json_object_get_member (sp, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (out, finding_new (self, sp, json_node_get_object (element), kind, now));
    }
}

typedef struct
{
  TbAuditPageFunc  page_func;
  gpointer         page_data;
  guint            owner;        /* index into owners; G_N_ELEMENTS (owners) in fallback */
  guint            estimate;     /* sum of @odata.count seen */
  gboolean         first_page;   /* of the current listing */
} RunData;

static void run_next (GTask *task, const char *link);

static char *
listing_path (const char *owner)
{
  if (owner == NULL)
    return g_strdup ("servicePrincipals?$select=" AUDIT_SELECT "&$top=" AUDIT_TOP "&$count=true");
  /* appOwnerOrganizationId supports $filter with eq; the literal is a GUID, quotes escaped. */
  return g_strdup_printf ("servicePrincipals?$filter=appOwnerOrganizationId%%20eq%%20%%27%s%%27"
                          "&$select=" AUDIT_SELECT "&$top=" AUDIT_TOP "&$count=true", owner);
}

/* The findings of one page's Microsoft-owned principals, counted as they are looked at. */
static GPtrArray *
classify_page (TbAudit    *self,
               JsonObject *page)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonArray *value = json_object_get_array_member (page, "value");

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonNode *element = json_array_get_element (value, i);
      JsonObject *sp;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      sp = json_node_get_object (element);
      self->scanned++;
      if (!is_microsoft_owner (tb_json_get_string (sp, "appOwnerOrganizationId")))
        continue;
      self->microsoft_owned++;
      add_credentials (self, findings, sp, "keyCredentials", TB_AUDIT_KIND_KEY, now);
      add_credentials (self, findings, sp, "passwordCredentials", TB_AUDIT_KIND_PASSWORD, now);
    }
  return findings;
}

/* A tenant that refuses the owner filter ("Request_UnsupportedQuery", 400): page through
 * everything and keep Microsoft's principals here. Only before anything was reported, so
 * nothing is counted twice. Takes @task when it does. */
static gboolean
fall_back (GTask   **task,
           gboolean  first,
           GError   *error)
{
  TbAudit *self = g_task_get_source_object (*task);
  RunData *rd = g_task_get_task_data (*task);
  g_autofree char *path = NULL;

  if (!first || rd->owner != 0 || self->pages != 0 ||
      !g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REQUEST))
    return FALSE;

  g_debug ("Owner filter refused (%s); paging every service principal", error->message);
  path = listing_path (NULL);
  self->fallback = TRUE;
  rd->owner = G_N_ELEMENTS (owners);
  run_next (g_steal_pointer (task), path);
  return TRUE;
}

static void
on_run_page (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbAudit *self = g_task_get_source_object (task);
  RunData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  JsonNode *count;
  JsonNode *next;
  gboolean first = rd->first_page;

  page = tb_graph_client_get_page_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (page == NULL)
    {
      if (!fall_back (&task, first, error))
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->pages++;
  rd->first_page = FALSE;
  count = json_object_get_member (page, "@odata.count");
  if (first && count != NULL && JSON_NODE_HOLDS_VALUE (count) &&
      json_node_get_value_type (count) == G_TYPE_INT64 && json_node_get_int (count) >= 0)
    rd->estimate += (guint) MIN (json_node_get_int (count), G_MAXUINT);

  findings = classify_page (self, page);

  next = json_object_get_member (page, "@odata.nextLink");
  if (next != NULL && !JSON_NODE_HOLDS_NULL (next) &&
      (!JSON_NODE_HOLDS_VALUE (next) || json_node_get_value_type (next) != G_TYPE_STRING))
    {
      g_task_return_new_error (task, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY,
                               _("Microsoft Graph sent a reply that cannot be used: %s"),
                               _("a next-page link that is not text"));
      return;
    }

  if (rd->page_func != NULL)
    rd->page_func (self, findings, self->scanned, MAX (rd->estimate, self->scanned),
                   rd->page_data);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY,
                               _("Microsoft Graph sent a reply that cannot be used: %s"),
                               _("too many pages"));
      return;
    }

  if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
    {
      /* The page is dropped before the next one is asked for. */
      g_autofree char *link = g_strdup (json_node_get_string (next));

      g_clear_pointer (&page, json_object_unref);
      run_next (g_steal_pointer (&task), link);
      return;
    }

  if (rd->owner + 1 < G_N_ELEMENTS (owners))
    {
      g_autofree char *path = NULL;

      rd->owner++;
      rd->first_page = TRUE;
      path = listing_path (owners[rd->owner]);
      run_next (g_steal_pointer (&task), path);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
run_next (GTask      *task,
          const char *link)
{
  TbAudit *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  tb_graph_client_get_page_async (self->client, link, TRUE, cancellable, on_run_page, task);
}

void
tb_audit_run_async (TbAudit            *self,
                    TbAuditPageFunc     page_func,
                    gpointer            page_data,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  RunData *rd;

  g_return_if_fail (TB_IS_AUDIT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_audit_run_async);
  rd = g_new0 (RunData, 1);
  rd->page_func = page_func;
  rd->page_data = page_data;
  rd->first_page = TRUE;
  g_task_set_task_data (task, rd, g_free);

  self->scanned = 0;
  self->microsoft_owned = 0;
  self->pages = 0;
  self->fallback = FALSE;

  path = listing_path (owners[0]);
  run_next (g_steal_pointer (&task), path);
}

gboolean
tb_audit_run_finish (TbAudit       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_audit_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
