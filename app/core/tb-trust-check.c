/* tb-trust-check.c: the state of the whole trust, pool and tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This file holds the report and the check of the whole trust; the checks of each half are
 * in tb-trust-check-pool.c and tb-trust-check-tenant.c (one function per check).
 */
#define G_LOG_DOMAIN "TrustBridge-trust-check"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit.h"
#include "tb-cloud.h"
#include "tb-core-enums.h"
#include "tb-enum.h"
#include "tb-format.h"
#include "tb-json.h"
#include "tb-pool-script.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-trust-check.h"
#include "tb-trust-check-private.h"

G_DEFINE_QUARK (tb-trust-check-error-quark, tb_trust_check_error)

/* Exchange Online's shared principal: Microsoft blocked Exchange hybrid through it on
 * 31 October 2025 (a tenant-owned dedicated hybrid app replaces it), and Exchange Online Web
 * Services are switched off on 1 April 2027. */

const char *
tb_trust_status_to_string (TbTrustStatus status)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_TRUST_STATUS, status);
}

const char *
tb_trust_half_to_string (TbTrustHalf half)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_TRUST_HALF, half);
}

static void
trust_check_free (TbTrustCheck *check)
{
  g_free (check->detail);
  g_free (check->fix);
  g_free (check);
}

static void
trust_expiry_free (TbTrustExpiry *expiry)
{
  g_free (expiry->app_id);
  g_free (expiry->key_id);
  g_free (expiry->thumbprint);
  g_clear_pointer (&expiry->not_after, g_date_time_unref);
  g_free (expiry);
}

void
tb_trust_report_free (TbTrustReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->checks);
  g_ptr_array_unref (report->expiries);
  g_free (report);
}

/* Takes @detail and @fix. */
void
_tb_trust_add (TbTrustReport *report,
               const char    *id,
               TbTrustHalf    half,
               TbTrustStatus  status,
               char          *detail,
               char          *fix)
{
  TbTrustCheck *check = g_new0 (TbTrustCheck, 1);

  check->id = id;
  check->half = half;
  check->status = status;
  check->detail = detail;
  check->fix = status == TB_TRUST_STATUS_OK ? (g_free (fix), NULL) : fix;
  g_ptr_array_add (report->checks, check);
}

void
_tb_trust_add_expiry (TbTrustReport *report,
                      const char    *role,
                      const char    *app_id,
                      const char    *key_id,
                      const char    *thumbprint,
                      GDateTime     *not_after)
{
  TbTrustExpiry *expiry;

  if (not_after == NULL)
    return;
  expiry = g_new0 (TbTrustExpiry, 1);
  expiry->role = role;
  expiry->app_id = g_strdup (app_id);
  expiry->key_id = g_strdup (key_id);
  expiry->thumbprint = g_strdup (thumbprint);
  expiry->not_after = g_date_time_ref (not_after);
  g_ptr_array_add (report->expiries, expiry);
}

/* ---- Inputs --------------------------------------------------------------------------- */

/* The ACS base without a trailing slash; https://, or http:// to loopback only (a metadata
 * document fetched in the clear could name any realm). */
static char *
normalize_acs_base (const char  *acs_base,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  const char *scheme;
  gsize len;

  if (acs_base == NULL)
    acs_base = TB_POOL_DEFAULT_ACS_BASE;
  uri = g_uri_parse (acs_base, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      !(g_ascii_strcasecmp (scheme, "https") == 0 ||
        (g_ascii_strcasecmp (scheme, "http") == 0 &&
         tb_cloud_host_is_loopback (g_uri_get_host (uri)))))
    {
      g_set_error (error, TB_TRUST_CHECK_ERROR, TB_TRUST_CHECK_ERROR_BAD_ACS_BASE,
                   _("The ACS address “%s” must be an https:// URL (http:// only to a loopback "
                     "address) without a query."), acs_base);
      return NULL;
    }
  base = g_strdup (acs_base);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_steal_pointer (&base);
}

const char *
_tb_trust_pool_missing_fix (void)
{
  return _("Read the pool: connect to a Front End on the Pool page (trust check --pool-host), or "
           "bring back the read script’s state file (--pool-state).");
}

char *
_tb_trust_pool_unknown (void)
{
  return g_strdup (_("Unknown: the pool has not been read."));
}

static char *
tenant_unknown (void)
{
  return g_strdup (_("Unknown: the tenant’s service principals have not been read."));
}

static const char *
tenant_missing_fix (void)
{
  return _("Sign in to the tenant (the app, or trust-bridge-cli principals show) so its service "
           "principals can be read.");
}

void
_tb_trust_add_pool_unread (TbTrustReport *report,
                           const char    *id,
                           TbTrustHalf    half)
{
  _tb_trust_add (report, id, half, TB_TRUST_STATUS_UNKNOWN, _tb_trust_pool_unknown (),
                 g_strdup (_tb_trust_pool_missing_fix ()));
}

void
_tb_trust_add_tenant_unread (TbTrustReport *report,
                             const char    *id)
{
  _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN,
                 tenant_unknown (), g_strdup (tenant_missing_fix ()));
}

/* ---- The whole trust -------------------------------------------------------------------- */

TbTrustReport *
tb_trust_check (TbWorkspace               *workspace,
                const TbTrustCheckOptions *options,
                GError                   **error)
{
  g_autoptr(TbTrustReport) report = NULL;
  g_autoptr(GPtrArray) pool_checks = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *expected = NULL;
  TbPoolState *state;
  const char *tenant_id;

  g_return_val_if_fail (TB_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (options != NULL && options->now != NULL, NULL);

  acs = normalize_acs_base (options->acs_base, error);
  if (acs == NULL)
    return NULL;
  state = tb_workspace_get_pool_state (workspace);
  tenant_id = tb_workspace_get_tenant_id (workspace);
  if (tenant_id != NULL)
    expected = g_strdup_printf ("%s/%s/metadata/json/1", acs, tenant_id);

  /* The pool's own items, without the tenant (the realm is checked here, against any ACS). */
  if (state != NULL)
    pool_checks = tb_pool_state_check (state, NULL, NULL, options->now, options->warn_days,
                                       NULL);

  report = g_new0 (TbTrustReport, 1);
  report->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) trust_check_free);
  report->expiries = g_ptr_array_new_with_free_func ((GDestroyNotify) trust_expiry_free);

  _tb_trust_check_tenant_realm (report, workspace, acs);
  _tb_trust_check_oauth_server (report, state, expected);
  _tb_trust_check_partner (report, state, pool_checks);
  _tb_trust_check_service_name (report, state, pool_checks);
  _tb_trust_check_pool_certificate (report, workspace, options);
  _tb_trust_check_credential (report, workspace, TB_TRUST_CHECK_SFB_CREDENTIAL,
                              TB_APP_ID_SKYPE_ONLINE,
                              _("Skype for Business Online"), "", FALSE);
  _tb_trust_check_credential (report, workspace, TB_TRUST_CHECK_EXCHANGE_CREDENTIAL,
                              TB_APP_ID_EXCHANGE_ONLINE, _("Office 365 Exchange Online"),
                              _(" Microsoft blocked Exchange hybrid through this shared principal "
                                "on 31 October 2025 and switches Exchange Online Web Services off "
                                "on 1 April 2027."), TRUE);
  _tb_trust_check_exchange_enabled (report, workspace);
  _tb_trust_check_spns (report, workspace);
  _tb_trust_check_next_certificate (report, workspace, options);
  _tb_trust_check_unexplained (report, workspace, options);

  return g_steal_pointer (&report);
}

const TbTrustCheck *
tb_trust_report_find (TbTrustReport *report,
                      const char    *id)
{
  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      if (g_str_equal (check->id, id))
        return check;
    }
  return NULL;
}

guint
tb_trust_report_count (TbTrustReport *report,
                       TbTrustStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (report != NULL, 0);

  for (guint i = 0; i < report->checks->len; i++)
    if (((const TbTrustCheck *) g_ptr_array_index (report->checks, i))->status == status)
      n++;
  return n;
}

TbTrustStatus
tb_trust_report_get_worst (TbTrustReport *report)
{
  if (tb_trust_report_count (report, TB_TRUST_STATUS_FAILED) > 0)
    return TB_TRUST_STATUS_FAILED;
  if (tb_trust_report_count (report, TB_TRUST_STATUS_WARNING) > 0)
    return TB_TRUST_STATUS_WARNING;
  if (tb_trust_report_count (report, TB_TRUST_STATUS_UNKNOWN) > 0)
    return TB_TRUST_STATUS_UNKNOWN;
  return TB_TRUST_STATUS_OK;
}

/* The source named in --json: the demo Front End is read live like any other. */
static const char *
json_pool_source (TbWorkspace *workspace)
{
  TbPoolSource source = tb_workspace_get_pool_source (workspace);

  return source == TB_POOL_SOURCE_DEMO ? "live" : tb_pool_source_to_string (source);
}

JsonNode *
tb_trust_report_to_json (TbTrustReport *report,
                         TbWorkspace   *workspace)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *server = tb_workspace_get_pool_server (workspace);

  json_builder_begin_object (b);
  tb_json_add_string (b, "tenant_id", tb_workspace_get_tenant_id (workspace));

  json_builder_set_member_name (b, "pool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, json_pool_source (workspace));
  tb_json_add_string (b, "server", server);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "checks");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, check->id);
      json_builder_set_member_name (b, "half");
      json_builder_add_string_value (b, tb_trust_half_to_string (check->half));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, tb_trust_status_to_string (check->status));
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, check->detail);
      tb_json_add_string (b, "fix", check->fix);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  for (TbTrustStatus s = TB_TRUST_STATUS_OK; s <= TB_TRUST_STATUS_UNKNOWN; s++)
    {
      json_builder_set_member_name (b, tb_trust_status_to_string (s));
      json_builder_add_int_value (b, tb_trust_report_count (report, s));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A label in the exposition format, after a comma unless it is the sample's first: the value
 * with backslash, double quote and line feed escaped. */
static void
append_label (GString    *out,
              const char *name,
              const char *value)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_printf (out, "%s=\"", name);
  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '"')
        g_string_append (out, "\\\"");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A sample's metric name and the labels every sample carries: the tenant and the pool. */
static void
begin_sample (GString     *out,
              const char  *metric,
              TbWorkspace *workspace)
{
  const char *tenant = tb_workspace_get_tenant_id (workspace);
  const char *server = tb_workspace_get_pool_server (workspace);

  g_string_append_printf (out, "%s{", metric);
  append_label (out, "tenant", tenant != NULL ? tenant : "");
  append_label (out, "pool", server != NULL ? server : "");
}

char *
tb_trust_report_to_prometheus (TbTrustReport *report,
                               TbWorkspace   *workspace)
{
  GString *out = g_string_new (NULL);

  g_string_append (out, "# HELP trust_bridge_check_status Trust check status: 0 ok, 1 warning, 2 "
                        "failed, 3 unknown.\n# TYPE trust_bridge_check_status gauge\n");
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      begin_sample (out, "trust_bridge_check_status", workspace);
      append_label (out, "check", check->id);
      append_label (out, "half", tb_trust_half_to_string (check->half));
      g_string_append_printf (out, "} %d\n", (int) check->status);
    }

  g_string_append (out, "# HELP trust_bridge_checks Number of trust checks with each status.\n# "
                        "TYPE trust_bridge_checks gauge\n");
  for (TbTrustStatus s = TB_TRUST_STATUS_OK; s <= TB_TRUST_STATUS_UNKNOWN; s++)
    {
      begin_sample (out, "trust_bridge_checks", workspace);
      append_label (out, "status", tb_trust_status_to_string (s));
      g_string_append_printf (out, "} %u\n", tb_trust_report_count (report, s));
    }

  g_string_append (out, "# HELP trust_bridge_certificate_expiry_timestamp_seconds When a "
                        "certificate of the trust ends, in seconds since the epoch.\n# TYPE "
                        "trust_bridge_certificate_expiry_timestamp_seconds gauge\n");
  for (guint i = 0; i < report->expiries->len; i++)
    {
      const TbTrustExpiry *e = g_ptr_array_index (report->expiries, i);

      begin_sample (out, "trust_bridge_certificate_expiry_timestamp_seconds", workspace);
      append_label (out, "role", e->role);
      append_label (out, "app_id", e->app_id);
      append_label (out, "key_id", e->key_id);
      append_label (out, "thumbprint", e->thumbprint);
      g_string_append_printf (out, "} %" G_GINT64_FORMAT "\n",
                              g_date_time_to_unix (e->not_after));
    }
  return g_string_free (out, FALSE);
}

/* ---- Monitoring --------------------------------------------------------------------------- */

static void
on_notify_flushed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

gboolean
tb_trust_report_notify (TbTrustReport *report,
                        GError       **error)
{
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GDBusConnection *bus;
  guint failed, warnings;
  gboolean flushed = FALSE;

  g_return_val_if_fail (report != NULL, FALSE);

  failed = tb_trust_report_count (report, TB_TRUST_STATUS_FAILED);
  warnings = tb_trust_report_count (report, TB_TRUST_STATUS_WARNING);
  if (failed == 0 && warnings == 0)
    return TRUE;

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      if (check->status == TB_TRUST_STATUS_FAILED || check->status == TB_TRUST_STATUS_WARNING)
        g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", check->detail);
    }

  /* Not unique: the window may be open; the notification still carries the app's ID, so the
   * desktop shows the app's name and icon and opens the app when it is clicked. */
  app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (app, NULL, error))
    return FALSE;
  bus = g_application_get_dbus_connection (app);
  if (bus == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("There is no session bus to send a desktop notification on."));
      return FALSE;
    }

  notification = g_notification_new (failed > 0 ? _("The hybrid trust is broken")
                                                : _("The hybrid trust needs attention"));
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, failed > 0 ? G_NOTIFICATION_PRIORITY_HIGH
                                                        : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s",
                                                "overview");
  g_application_send_notification (app, "trust-check", notification);

  /* The call is queued on the bus: it must leave before the process does. */
  g_dbus_connection_flush (bus, NULL, on_notify_flushed, &flushed);
  while (!flushed)
    g_main_context_iteration (NULL, TRUE);
  return TRUE;
}
