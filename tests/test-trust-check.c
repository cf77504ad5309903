/* test-trust-check.c: the trust check across pool and tenant, each check's states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-context.h"
#include "tb-format.h"
#include "tb-organization-private.h"
#include "tb-profile.h"
#include "tb-test-certs.h"
#include "tb-trust-check.h"
#include "tb-workspace-private.h"
#include "tb-test-util.h"

#define TENANT "6f1d2c3b-4a59-4e8f-9b0a-1c2d3e4f5a6b"
#define OTHER_TENANT "11111111-2222-4333-8444-555555555555"
#define ACS "https://accounts.accesscontrol.windows.net"
#define SFB TB_APP_ID_SKYPE_ONLINE

typedef struct
{
  TbCertificate *current;
  TbCertificate *older;
  GDateTime     *now;
} Fixture;

static TbCertificate *
make_cert (const char *cn,
           guint       bits,
           gint64      not_after)
{
  TbTestCertSpec spec = { .common_name = cn, .rsa_bits = bits, .not_after = not_after,
                          .serial = g_random_int () };

  return tb_test_cert_new (&spec);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  f->current = make_cert ("oauth-2026.contoso.com", 2048, now + 400 * 86400);
  f->older = make_cert ("oauth-2024.contoso.com", 2048, now + 20 * 86400);
  f->now = g_date_time_new_now_utc ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->current);
  g_clear_object (&f->older);
  g_date_time_unref (f->now);
}

/* A pool state document as the read script prints it. */
static TbPoolState *
pool_state (TbCertificate *cert,
            const char    *metadata_url,
            const char    *external_fqdn)
{
  g_autofree char *raw = tb_certificate_dup_base64 (cert);
  g_autofree char *json = g_strdup_printf (
    "{\"schema\": 1, \"server\": {\"fqdn\": \"fe01.contoso.com\"},"
    " \"oauthServers\": [{\"identity\": \"microsoft.sts\", \"metadataUrl\": \"%s\"}],"
    " \"partnerApplications\": [{\"identity\": \"microsoft.exchange\","
    "   \"applicationIdentifier\": \"" EXO "\", \"applicationTrustLevel\": \"Full\","
    "   \"useOAuthServer\": true, \"enabled\": true}],"
    " \"oauthConfiguration\": {\"serviceName\": \"" SFB "\"},"
    " \"webServices\": [{\"poolFqdn\": \"pool.contoso.com\", \"externalFqdn\": \"%s\"}],"
    " \"oauthCertificate\": {\"thumbprint\": \"%s\", \"rawData\": \"%s\"}, \"errors\": []}",
    metadata_url, external_fqdn, tb_certificate_get_sha1 (cert), raw);
  g_autoptr(GError) error = NULL;
  TbPoolState *state = tb_pool_state_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return state;
}

static JsonObject *
credential (TbCertificate *cert,
            const char    *key_id,
            GDateTime     *end)
{
  JsonObject *kc = json_object_new ();
  g_autofree char *b64 = tb_certificate_dup_base64 (cert);
  g_autofree char *end_text = tb_format_iso8601_utc (end != NULL ? end
                                                     : tb_certificate_get_not_after (cert));

  json_object_set_string_member (kc, "keyId", key_id);
  json_object_set_string_member (kc, "type", "AsymmetricX509Cert");
  json_object_set_string_member (kc, "usage", "Verify");
  json_object_set_string_member (kc, "key", b64);
  json_object_set_string_member (kc, "displayName", tb_certificate_get_subject (cert));
  json_object_set_string_member (kc, "endDateTime", end_text);
  return kc;
}

/* A principal with @credentials (taken) and "<appId>/<fqdn>" SPNs. */
static TbServicePrincipal *
principal (const char         *app_id,
           gboolean            enabled,
           GPtrArray          *credentials,
           const char * const *fqdns)
{
  g_autoptr(JsonObject) sp = json_object_new ();
  JsonArray *keys = json_array_new ();
  JsonArray *names = json_array_new ();
  g_autoptr(GError) error = NULL;
  TbServicePrincipal *result;

  json_object_set_string_member (sp, "id", app_id[7] == '4' ? "sp-sfb" : "sp-exo");
  json_object_set_string_member (sp, "appId", app_id);
  json_object_set_string_member (sp, "displayName", app_id[7] == '4'
                                                    ? "Skype for Business Online"
                                                    : "Office 365 Exchange Online");
  json_object_set_boolean_member (sp, "accountEnabled", enabled);
  json_array_add_string_element (names, app_id);
  json_array_add_string_element (names, SFB "/*.lync.com");
  for (guint i = 0; fqdns != NULL && fqdns[i] != NULL; i++)
    json_array_add_string_element (names, g_strdup_printf ("%s/%s", app_id, fqdns[i]));
  for (guint i = 0; credentials != NULL && i < credentials->len; i++)
    json_array_add_object_element (keys, json_object_ref (g_ptr_array_index (credentials, i)));
  json_object_set_array_member (sp, "servicePrincipalNames", names);
  json_object_set_array_member (sp, "keyCredentials", keys);
  result = tb_service_principal_new_from_json (sp, &error);
  g_assert_no_error (error);
  return result;
}

static TbGraphSnapshot *
snapshot (TbServicePrincipal *sfb,
          TbServicePrincipal *exo)
{
  TbGraphSnapshot *s = g_new0 (TbGraphSnapshot, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser,
    "{\"id\": \"" TENANT "\", \"displayName\": \"Contoso\", \"verifiedDomains\": ["
    " {\"name\": \"contoso.onmicrosoft.com\", \"isInitial\": true, \"isDefault\": false},"
    " {\"name\": \"contoso.com\", \"isInitial\": false, \"isDefault\": true}]}", -1, NULL));
  s->organization = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  s->principals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (sfb != NULL)
    g_hash_table_insert (s->principals, g_strdup (SFB), sfb);
  if (exo != NULL)
    g_hash_table_insert (s->principals, g_strdup (EXO), exo);
  return s;
}

static GPtrArray *
creds (JsonObject *first,
       ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  va_list args;

  va_start (args, first);
  for (JsonObject *o = first; o != NULL; o = va_arg (args, JsonObject *))
    g_ptr_array_add (array, o);
  va_end (args);
  return array;
}

static TbTrustReport *
run (Fixture            *f,
     TbWorkspace        *ws,
     const char * const *known)
{
  TbTrustCheckOptions options = { .acs_base = ACS, .now = f->now, .warn_days = 30,
                                  .known_key_ids = known };
  g_autoptr(GError) error = NULL;
  TbTrustReport *report = tb_trust_check (ws, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->checks->len, ==, 11);
  return report;
}

static void
assert_status (TbTrustReport *report,
               const char    *id,
               TbTrustStatus  status,
               const char    *in_detail,
               const char    *in_fix)
{
  const TbTrustCheck *check = tb_trust_report_find (report, id);

  g_assert_nonnull (check);
  if (check->status != status)
    g_error ("%s is %s (%s), expected %s", id, tb_trust_status_to_string (check->status),
             check->detail, tb_trust_status_to_string (status));
  g_assert_nonnull (check->detail);
  if (in_detail != NULL && strstr (check->detail, in_detail) == NULL)
    g_error ("%s detail “%s” lacks “%s”", id, check->detail, in_detail);
  if (status == TB_TRUST_STATUS_OK)
    g_assert_null (check->fix);
  else
    g_assert_nonnull (check->fix);
  if (in_fix != NULL && strstr (check->fix, in_fix) == NULL)
    g_error ("%s fix “%s” lacks “%s”", id, check->fix, in_fix);
}

/* A healthy trust: pool and tenant agree. Without the ACS metadata read, only the realm is
 * unknown. */
static TbWorkspace *
healthy (Fixture *f)
{
  TbWorkspace *ws = tb_workspace_new ();
  g_autoptr(TbPoolState) state = pool_state (f->current, ACS "/" TENANT "/metadata/json/1",
                                             "webext.contoso.com");
  const char *fqdns[] = { "webext.contoso.com", NULL };
  g_autoptr(GPtrArray) sfb = creds (credential (f->current, "k-sfb", NULL), NULL);
  g_autoptr(GPtrArray) exo = creds (credential (f->current, "k-exo", NULL), NULL);

  tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_STATE_FILE, "state.json");
  tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb, fqdns),
                                            principal (EXO, TRUE, exo, NULL)));
  return ws;
}

static void
test_healthy (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TbWorkspace) ws = healthy (f);
  g_autoptr(TbTrustReport) report = run (f, ws, NULL);

  /* The tenant of record came from the organization read. */
  g_assert_cmpstr (tb_workspace_get_tenant_id (ws), ==, TENANT);
  g_assert_cmpint (tb_workspace_get_tenant_source (ws), ==, TB_TENANT_SOURCE_SIGN_IN);
  g_assert_cmpstr (tb_organization_get_display_name (tb_workspace_get_organization (ws)), ==,
                   "Contoso");
  g_assert_cmpstr (tb_organization_get_default_domain (tb_workspace_get_organization (ws)), ==,
                   "contoso.com");

  assert_status (report, "tenant-realm", TB_TRUST_STATUS_UNKNOWN, "ACS metadata", NULL);
  for (guint i = 1; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      assert_status (report, check->id, TB_TRUST_STATUS_OK, NULL, NULL);
    }
  assert_status (report, "spns", TB_TRUST_STATUS_OK, "webext.contoso.com", NULL);
  assert_status (report, "next-certificate", TB_TRUST_STATUS_OK, "no staged", NULL);
  g_assert_cmpint (tb_trust_report_get_worst (report), ==, TB_TRUST_STATUS_UNKNOWN);
  /* The pool certificate and both credentials are watched for expiry. */
  g_assert_cmpuint (report->expiries->len, ==, 3);
}

/* Nothing read: every check says what would provide its input. */
static void
test_missing_inputs (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbWorkspace) ws = tb_workspace_new ();
  g_autoptr(TbTrustReport) report = run (f, ws, NULL);

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      assert_status (report, check->id, TB_TRUST_STATUS_UNKNOWN, "nknown", NULL);
    }
  assert_status (report, "sfb-credential", TB_TRUST_STATUS_UNKNOWN, NULL, "Sign in");
  assert_status (report, "oauth-server", TB_TRUST_STATUS_UNKNOWN, NULL, "--pool-state");

  /* Tenant read, pool not: the M365 checks need the pool's certificate, or a chosen one. */
  tb_workspace_set_tenant_id (ws, TENANT, TB_TENANT_SOURCE_OPTION);
  tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, NULL, NULL),
                                            principal (EXO, TRUE, NULL, NULL)));
  tb_workspace_set_external_fqdns (ws, (const char *[]) { "WebExt.contoso.com", NULL });
  {
    g_autoptr(TbTrustReport) r2 = run (f, ws, NULL);

    assert_status (r2, "sfb-credential", TB_TRUST_STATUS_UNKNOWN, "certificate", NULL);
    assert_status (r2, "spns", TB_TRUST_STATUS_FAILED, SFB "/webext.contoso.com", "spn add");
    assert_status (r2, "exchange-enabled", TB_TRUST_STATUS_OK, NULL, NULL);
  }
  tb_workspace_set_certificate (ws, f->current);
  {
    g_autoptr(TbTrustReport) r3 = run (f, ws, NULL);

    assert_status (r3, "pool-certificate", TB_TRUST_STATUS_OK, tb_certificate_get_sha1 (f->current),
                   NULL);
    assert_status (r3, "sfb-credential", TB_TRUST_STATUS_FAILED, NULL, "credentials add");
    assert_status (r3, "tenant-realm", TB_TRUST_STATUS_UNKNOWN, NULL, NULL);
  }
}

/* The demo's breakages: the cloud holds an older certificate, an SPN is missing, the metadata
 * URL names another tenant. Each shows in its own check with the exact fix. */
static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TbWorkspace) ws = tb_workspace_new ();
  g_autoptr(TbPoolState) state = pool_state (f->current,
                                             ACS "/" OTHER_TENANT "/metadata/json/1",
                                             "webext.contoso.com");
  g_autoptr(GPtrArray) sfb = creds (credential (f->older, "k-old", NULL), NULL);
  g_autoptr(GPtrArray) exo = creds (credential (f->current, "k-exo", NULL), NULL);
  g_autoptr(TbTrustReport) report = NULL;
  g_autoptr(TbTrustReport) known = NULL;

  tb_workspace_set_tenant_id (ws, TENANT, TB_TENANT_SOURCE_OPTION);
  tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_LIVE, "fe01.contoso.com");
  tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb,
                                                       (const char *[]) { "old.contoso.com",
                                                                          NULL }),
                                            principal (EXO, FALSE, exo, NULL)));
  report = run (f, ws, NULL);

  assert_status (report, "tenant-realm", TB_TRUST_STATUS_FAILED, OTHER_TENANT,
                 "Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl " ACS "/" TENANT
                 "/metadata/json/1");
  assert_status (report, "oauth-server", TB_TRUST_STATUS_OK, NULL, NULL);
  assert_status (report, "sfb-credential", TB_TRUST_STATUS_FAILED,
                 tb_certificate_get_sha1 (f->current), "--to " SFB);
  assert_status (report, "exchange-credential", TB_TRUST_STATUS_OK, "31 October 2025", NULL);
  assert_status (report, "exchange-enabled", TB_TRUST_STATUS_FAILED, "disabled",
                 "principals enable " EXO);
  /* The missing one fails; the one the pool no longer has is reported in the same line. */
  assert_status (report, "spns", TB_TRUST_STATUS_FAILED, SFB "/webext.contoso.com", NULL);
  assert_status (report, "unexplained-credentials", TB_TRUST_STATUS_WARNING, "k-old",
                 "credentials remove");
  g_assert_cmpint (tb_trust_report_get_worst (report), ==, TB_TRUST_STATUS_FAILED);

  /* A credential the admin marked as known is explained. */
  known = run (f, ws, (const char *[]) { "k-old", NULL });
  assert_status (known, "unexplained-credentials", TB_TRUST_STATUS_OK, NULL, NULL);

  /* Also when the audit's setting knows it, by keyId and thumbprint. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    TbTrustCheckOptions options = { .acs_base = ACS, .now = f->now, .warn_days = 30,
                                    .known_settings = settings };
    g_autoptr(TbTrustReport) by_setting = NULL;
    g_autoptr(TbTrustReport) other_cert = NULL;

    g_assert_true (tb_audit_known_set (settings, TENANT, "k-old",
                                       tb_certificate_get_sha1 (f->older), "old pool, until May"));
    by_setting = tb_trust_check (ws, &options, NULL);
    assert_status (by_setting, "unexplained-credentials", TB_TRUST_STATUS_OK, NULL, NULL);
    /* The same keyId with another thumbprint is not the credential the admin knew. */
    g_assert_true (tb_audit_known_set (settings, TENANT, "k-old",
                                       tb_certificate_get_sha1 (f->older), NULL));
    g_assert_true (tb_audit_known_set (settings, TENANT, "k-old",
                                       tb_certificate_get_sha1 (f->current), "other"));
    other_cert = tb_trust_check (ws, &options, NULL);
    assert_status (other_cert, "unexplained-credentials", TB_TRUST_STATUS_WARNING, "k-old",
                   NULL);
    g_settings_reset (settings, "audit-known");
  }
}

static void
test_warnings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TbWorkspace) ws = tb_workspace_new ();
  g_autoptr(TbPoolState) state = pool_state (f->older, ACS "/" TENANT "/metadata/json/1",
                                             "webext.contoso.com");
  g_autoptr(GDateTime) early = g_date_time_add_days (tb_certificate_get_not_after (f->older), -5);
  g_autoptr(GPtrArray) sfb = creds (credential (f->older, "k-sfb", early), NULL);
  g_autoptr(GPtrArray) exo = creds (credential (f->older, "k-exo", NULL), NULL);
  g_autoptr(TbTrustReport) report = NULL;

  tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_LIVE, "fe01.contoso.com");
  tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb,
                                                       (const char *[]) { "webext.contoso.com",
                                                                          "old.contoso.com",
                                                                          NULL }),
                                            principal (EXO, TRUE, exo, NULL)));
  report = run (f, ws, NULL);

  /* 20 days left with a 30-day threshold. */
  assert_status (report, "pool-certificate", TB_TRUST_STATUS_WARNING, NULL, "-Roll");
  /* The credential ends before the certificate. */
  assert_status (report, "sfb-credential", TB_TRUST_STATUS_WARNING, "before", "k-sfb");
  assert_status (report, "exchange-credential", TB_TRUST_STATUS_OK, NULL, NULL);
  /* An SPN on the organization's domain that the pool no longer has: reported, not removed. */
  assert_status (report, "spns", TB_TRUST_STATUS_WARNING, SFB "/old.contoso.com", "spn remove");
  g_assert_cmpint (tb_trust_report_get_worst (report), ==, TB_TRUST_STATUS_WARNING);
}

/* The pool was renewed: its previous OAuthTokenIssuer certificate (schema 2) is what the
 * cloud still holds. That credential is the pool's own (not unexplained); Skype for Business
 * Online fails without the current one. The Exchange Online upload is opt-in: none there is
 * ok, and its principal being disabled matters only while it holds a certificate of the
 * pool; holding only the earlier one warns. */
static void
test_renewed_and_exchange_opt_in (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *raw = tb_certificate_dup_base64 (f->current);
  g_autofree char *old_raw = tb_certificate_dup_base64 (f->older);
  g_autofree char *json = g_strdup_printf (
    "{\"schema\": 2, \"server\": {\"fqdn\": \"fe01.contoso.com\"},"
    " \"oauthServers\": [{\"identity\": \"microsoft.sts\", \"metadataUrl\": \""
    ACS "/" TENANT "/metadata/json/1\"}],"
    " \"partnerApplications\": [{\"identity\": \"microsoft.exchange\","
    "   \"applicationIdentifier\": \"" EXO "\", \"applicationTrustLevel\": \"Full\","
    "   \"useOAuthServer\": true, \"enabled\": true}],"
    " \"oauthConfiguration\": {\"serviceName\": \"" SFB "\"},"
    " \"webServices\": [{\"poolFqdn\": \"pool.contoso.com\", \"externalFqdn\": \"webext.contoso.com\"}],"
    " \"oauthCertificate\": {\"thumbprint\": \"%s\", \"rawData\": \"%s\"},"
    " \"oauthCertificates\": [{\"role\": \"current\", \"thumbprint\": \"%s\", \"rawData\": \"%s\"},"
    "   {\"role\": \"previous\", \"thumbprint\": \"%s\", \"rawData\": \"%s\"}],"
    " \"errors\": []}",
    tb_certificate_get_sha1 (f->current), raw, tb_certificate_get_sha1 (f->current), raw,
    tb_certificate_get_sha1 (f->older), old_raw);
  const char *fqdns[] = { "webext.contoso.com", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = tb_pool_state_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);

  /* Only the earlier certificate on Skype for Business Online; Exchange Online empty and
   * disabled, as the seed procedure finds it. */
  {
    g_autoptr(TbWorkspace) ws = tb_workspace_new ();
    g_autoptr(GPtrArray) sfb = creds (credential (f->older, "k-old", NULL), NULL);
    g_autoptr(TbTrustReport) report = NULL;

    tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_LIVE, "fe01.contoso.com");
    tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb, fqdns),
                                              principal (EXO, FALSE, NULL, NULL)));
    report = run (f, ws, NULL);
    assert_status (report, "sfb-credential", TB_TRUST_STATUS_FAILED,
                   tb_certificate_get_sha1 (f->older), "--to " SFB);
    assert_status (report, "sfb-credential", TB_TRUST_STATUS_FAILED, "earlier", NULL);
    assert_status (report, "unexplained-credentials", TB_TRUST_STATUS_OK, NULL, NULL);
    assert_status (report, "exchange-credential", TB_TRUST_STATUS_OK, "optional", NULL);
    assert_status (report, "exchange-enabled", TB_TRUST_STATUS_OK, "disabled", NULL);
  }

  /* Exchange Online holds only the earlier certificate: stale, a warning; disabled while it
   * holds one of the pool's certificates: failed. */
  {
    g_autoptr(TbWorkspace) ws = tb_workspace_new ();
    g_autoptr(GPtrArray) sfb = creds (credential (f->current, "k-sfb", NULL), NULL);
    g_autoptr(GPtrArray) exo = creds (credential (f->older, "k-exo-old", NULL), NULL);
    g_autoptr(TbTrustReport) report = NULL;

    tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_LIVE, "fe01.contoso.com");
    tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb, fqdns),
                                              principal (EXO, FALSE, exo, NULL)));
    report = run (f, ws, NULL);
    assert_status (report, "sfb-credential", TB_TRUST_STATUS_OK, NULL, NULL);
    assert_status (report, "exchange-credential", TB_TRUST_STATUS_WARNING, "earlier",
                   "--to " EXO);
    assert_status (report, "exchange-enabled", TB_TRUST_STATUS_FAILED, "disabled",
                   "principals enable " EXO);
    assert_status (report, "unexplained-credentials", TB_TRUST_STATUS_OK, NULL, NULL);
  }

  /* No Exchange Online principal at all: nothing of this trust needs one. */
  {
    g_autoptr(TbWorkspace) ws = tb_workspace_new ();
    g_autoptr(GPtrArray) sfb = creds (credential (f->current, "k-sfb", NULL), NULL);
    g_autoptr(TbTrustReport) report = NULL;

    tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_LIVE, "fe01.contoso.com");
    tb_workspace_take_snapshot (ws, snapshot (principal (SFB, TRUE, sfb, fqdns), NULL));
    report = run (f, ws, NULL);
    assert_status (report, "exchange-credential", TB_TRUST_STATUS_OK, "optional", NULL);
    assert_status (report, "exchange-enabled", TB_TRUST_STATUS_OK, NULL, NULL);
    g_assert_cmpuint (tb_trust_report_count (report, TB_TRUST_STATUS_FAILED), ==, 0);
    g_assert_cmpuint (tb_trust_report_count (report, TB_TRUST_STATUS_WARNING), ==, 0);
  }
}

static void
test_weak_and_absent (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TbCertificate) weak = make_cert ("weak.contoso.com", 1024, 0);
  g_autoptr(TbPoolState) weak_state = pool_state (weak, ACS "/" TENANT "/metadata/json/1",
                                                  "webext.contoso.com");
  g_autoptr(TbPoolState) bare = NULL;
  const char *bare_json = "{\"schema\": 1, \"oauthServers\": [], \"partnerApplications\": [],"
                          " \"oauthConfiguration\": null, \"webServices\": [],"
                          " \"oauthCertificate\": null}";
  g_autoptr(TbWorkspace) ws = tb_workspace_new ();
  g_autoptr(GError) error = NULL;

  tb_workspace_set_tenant_id (ws, TENANT, TB_TENANT_SOURCE_OPTION);
  tb_workspace_set_pool_state (ws, weak_state, TB_POOL_SOURCE_LIVE, "fe01");
  {
    g_autoptr(TbTrustReport) report = run (f, ws, NULL);

    assert_status (report, "pool-certificate", TB_TRUST_STATUS_FAILED, "1024", NULL);
  }

  bare = tb_pool_state_new_from_data (bare_json, strlen (bare_json), &error);
  g_assert_no_error (error);
  tb_workspace_set_pool_state (ws, bare, TB_POOL_SOURCE_STATE_FILE, "bare.json");
  {
    g_autoptr(TbTrustReport) report = run (f, ws, NULL);

    assert_status (report, "tenant-realm", TB_TRUST_STATUS_FAILED, NULL, "New-CsOAuthServer");
    assert_status (report, "oauth-server", TB_TRUST_STATUS_FAILED, NULL,
                   "New-CsOAuthServer -Identity microsoft.sts -MetadataUrl " ACS "/" TENANT);
    assert_status (report, "partner-application", TB_TRUST_STATUS_FAILED, NULL,
                   "New-CsPartnerApplication -Identity microsoft.exchange "
                   "-ApplicationIdentifier " EXO);
    assert_status (report, "oauth-service-name", TB_TRUST_STATUS_FAILED, NULL,
                   "Set-CsOAuthConfiguration -ServiceName " SFB);
    assert_status (report, "pool-certificate", TB_TRUST_STATUS_FAILED, NULL,
                   "Set-CsCertificate -Type OAuthTokenIssuer");
  }
}

static void
test_realm (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbTenant) tenant = NULL;
  g_autoptr(TbWorkspace) ws = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autofree char *url = NULL;
  TbCloud *cloud;
  const char *tenant_id;

  g_assert_true (tb_test_start_demo (context, &error));
  cloud = tb_context_get_cloud (context);
  ws = tb_context_new_workspace (context);
  tenant_id = tb_workspace_get_tenant_id (ws);
  g_assert_nonnull (tenant_id);
  g_assert_cmpint (tb_workspace_get_tenant_source (ws), ==, TB_TENANT_SOURCE_DEMO);

  tb_tenant_resolve_async (cloud, tb_context_get_session (context), tenant_id, NULL,
                           tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_tenant_resolve");
  tenant = tb_tenant_resolve_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tb_tenant_check_metadata_async (tenant, tb_context_get_session (context), NULL,
                                  tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_tenant_check_metadata");
  g_assert_true (tb_tenant_check_metadata_finish (tenant, result, &error));
  g_assert_no_error (error);
  tb_workspace_set_tenant (ws, tenant);

  url = g_strdup_printf ("%s/%s/metadata/json/1", tb_cloud_get_acs (cloud), tenant_id);
  state = pool_state (f->current, url, "webext.contoso.com");
  tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_DEMO, "fe01");
  {
    TbTrustCheckOptions options = { .acs_base = tb_cloud_get_acs (cloud), .now = f->now,
                                    .warn_days = 30 };
    g_autoptr(TbTrustReport) report = tb_trust_check (ws, &options, &error);

    g_assert_no_error (error);
    assert_status (report, "tenant-realm", TB_TRUST_STATUS_OK, tenant_id, NULL);
  }
  /* Plain http is for loopback only. */
  {
    TbTrustCheckOptions options = { .acs_base = "http://acs.example.com", .now = f->now };

    g_assert_null (tb_trust_check (ws, &options, &error));
    g_assert_error (error, TB_TRUST_CHECK_ERROR, TB_TRUST_CHECK_ERROR_BAD_ACS_BASE);
  }
}

static void
test_json_shape (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TbWorkspace) ws = healthy (f);
  g_autoptr(TbTrustReport) report = run (f, ws, NULL);
  g_autoptr(JsonNode) root = tb_trust_report_to_json (report, ws);
  JsonObject *o = json_node_get_object (root);
  JsonObject *summary = json_object_get_object_member (o, "summary");
  JsonArray *checks = json_object_get_array_member (o, "checks");

  g_assert_cmpstr (json_object_get_string_member (o, "tenant_id"), ==, TENANT);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "pool"),
                                                  "source"), ==, "state-file");
  g_assert_cmpint (json_array_get_length (checks), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (checks, 0),
                                                  "id"), ==, "tenant-realm");
  g_assert_cmpint (json_object_get_int_member (summary, "ok"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (summary, "unknown"), ==, 1);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (checks, 1), "fix"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/trust-check/healthy", Fixture, NULL, fixture_set_up, test_healthy,
              fixture_tear_down);
  g_test_add ("/trust-check/missing-inputs", Fixture, NULL, fixture_set_up, test_missing_inputs,
              fixture_tear_down);
  g_test_add ("/trust-check/broken", Fixture, NULL, fixture_set_up, test_broken,
              fixture_tear_down);
  g_test_add ("/trust-check/warnings", Fixture, NULL, fixture_set_up, test_warnings,
              fixture_tear_down);
  g_test_add ("/trust-check/weak-and-absent", Fixture, NULL, fixture_set_up,
              test_weak_and_absent, fixture_tear_down);
  g_test_add ("/trust-check/renewed-exchange-opt-in", Fixture, NULL, fixture_set_up,
              test_renewed_and_exchange_opt_in, fixture_tear_down);
  g_test_add ("/trust-check/realm", Fixture, NULL, fixture_set_up, test_realm,
              fixture_tear_down);
  g_test_add ("/trust-check/json", Fixture, NULL, fixture_set_up, test_json_shape,
              fixture_tear_down);
  return g_test_run ();
}
