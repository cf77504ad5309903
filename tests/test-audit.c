/* test-audit.c: the audit of Microsoft-owned service principals, core and CLI, against the
 * simulator's mid-size tenant (5,000 principals, 600 of them Microsoft's) with planted
 * credentials, with the owner filter and with a tenant that refuses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-audit-private.h"
#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-graph-client.h"
#include "tb-http.h"
#include "tb-sim-private.h"
#include "tb-test-util.h"

#define SPO        "00000003-0000-0ff1-ce00-000000000000"
#define VOICEMAIL  "db7de2b5-2149-435e-8043-e080dd50afae"
#define GRAPH      "00000003-0000-0000-c000-000000000000"
#define MGMT       "c5393580-f805-4401-95e8-94b7a6ef2fc2"
#define SVC_MGMT   "797f4846-ba00-4fd7-ba43-dac1f8f63013"
#define PAYROLL    "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"

#define TOTAL      5000
#define MICROSOFT  600

typedef struct
{
  TbSim         *sim;
  TbAuth        *auth;
  TbGraphClient *client;
  char          *pool_sha1;      /* the planted pool certificate on Skype for Business Online */
  char          *pool_cert_path;
  char          *endpoints;
  TbTestCli     *cli;
} Fixture;

typedef struct
{
  gboolean refuse_filter;
  gboolean populate;
} Setup;

static const Setup filtered = { FALSE, TRUE };
static const Setup refused = { TRUE, TRUE };
static const Setup bare = { FALSE, FALSE };

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;

  fx->sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  if (setup->populate)
    tb_sim_set_population (fx->sim, TOTAL, MICROSOFT);
  tb_sim_set_owner_filter_refused (fx->sim, setup->refuse_filter);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);

  fx->client = tb_test_graph_client_new (fx->sim, TB_AUTH_ACCESS_READ, &fx->auth);

  if (setup->populate)
    {
      /* The pool's certificate as the service holds it (what an admin exports from the pool). */
      g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
      JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");
      JsonObject *kc = json_array_get_object_element (keys, 0);
      gsize len;
      g_autofree guchar *der = g_base64_decode (json_object_get_string_member (kc, "key"), &len);
      g_autofree char *sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, der, len);
      g_autofree char *dir = g_dir_make_tmp ("test-audit-XXXXXX", &error);

      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (keys), ==, 1);
      fx->pool_sha1 = g_ascii_strup (sha1, -1);
      fx->pool_cert_path = g_build_filename (dir, "pool-oauth.cer", NULL);
      g_assert_true (g_file_set_contents (fx->pool_cert_path, (const char *) der, len, &error));
    }
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->client);
  g_clear_object (&fx->auth);
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
  if (fx->pool_cert_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (fx->pool_cert_path);

      g_remove (fx->pool_cert_path);
      g_rmdir (dir);
    }
  g_free (fx->pool_cert_path);
  g_free (fx->pool_sha1);
}

typedef struct
{
  GPtrArray *findings;
  guint      calls;
  guint      last_scanned;
  guint      last_estimate;
  GCancellable *cancel_on_first;
} Collected;

#define COLLECTED_INIT { g_ptr_array_new_with_free_func (g_object_unref) }

static void
collected_clear (Collected *c)
{
  g_clear_pointer (&c->findings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Collected, collected_clear)

static void
collect (TbAudit   *audit,
         GPtrArray *findings,
         guint      scanned,
         guint      estimate,
         gpointer   user_data)
{
  Collected *c = user_data;

  c->calls++;
  g_assert_cmpuint (scanned, >=, c->last_scanned);
  c->last_scanned = scanned;
  c->last_estimate = estimate;
  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (c->findings, g_object_ref (g_ptr_array_index (findings, i)));
  if (c->cancel_on_first != NULL)
    g_cancellable_cancel (c->cancel_on_first);
}

static gboolean
run_audit (TbAudit       *audit,
           Collected     *c,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_audit_run_async (audit, collect, c, cancellable, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_audit_run_finish (audit, result, error);
}

/* Runs @audit to its end, which it must reach without an error. */
static void
run_audit_ok (TbAudit   *audit,
              Collected *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_audit (audit, c, NULL, &error));
  g_assert_no_error (error);
}

static TbAuditFinding *
find (GPtrArray   *findings,
      const char  *app_id,
      TbAuditKind  kind)
{
  TbAuditFinding *found = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      TbAuditFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (tb_audit_finding_get_app_id (f), app_id) &&
          tb_audit_finding_get_kind (f) == kind)
        {
          g_assert_null (found);   /* one planted credential of each kind per principal */
          found = f;
        }
    }
  g_assert_nonnull (found);
  return found;
}

static void
assert_planted (GPtrArray  *findings,
                const char *pool_sha1,
                gboolean    pool_known)
{
  TbAuditFinding *f;

  /* Seven credentials on Microsoft's principals; the tenant's own app is not Microsoft's. */
  g_assert_cmpuint (findings->len, ==, 7);
  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpstr (tb_audit_finding_get_app_id (g_ptr_array_index (findings, i)), !=, PAYROLL);

  f = find (findings, SKYPE, TB_AUDIT_KIND_KEY);
  g_assert_cmpstr (tb_audit_finding_get_sha1 (f), ==, pool_sha1);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==,
                   pool_known ? TB_AUDIT_ORIGIN_POOL : TB_AUDIT_ORIGIN_DOCUMENTED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_VALID);

  f = find (findings, SPO, TB_AUDIT_KIND_KEY);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_DOCUMENTED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_VALID);
  g_assert_cmpstr (tb_audit_finding_get_credential_name (f), ==, "CN=mail.contoso.com");
  g_assert_nonnull (tb_audit_finding_get_sha1 (f));

  f = find (findings, VOICEMAIL, TB_AUDIT_KIND_KEY);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_DOCUMENTED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_EXPIRED);

  f = find (findings, GRAPH, TB_AUDIT_KIND_KEY);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_VALID);
  g_assert_cmpstr (tb_audit_finding_get_credential_name (f), ==, "sync");
  g_assert_cmpuint (strlen (tb_audit_finding_get_sha1 (f)), ==, 40);

  f = find (findings, GRAPH, TB_AUDIT_KIND_PASSWORD);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_VALID);
  g_assert_null (tb_audit_finding_get_sha1 (f));

  f = find (findings, MGMT, TB_AUDIT_KIND_PASSWORD);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_EXPIRED);

  /* Owned by Microsoft's second tenant (72f988bf-…): found through the second filter. */
  f = find (findings, SVC_MGMT, TB_AUDIT_KIND_KEY);
  g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
  g_assert_cmpint (tb_audit_finding_get_status (f), ==, TB_CERTIFICATE_STATUS_NOT_YET_VALID);
}

static void
test_filtered (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TbAudit) audit = tb_audit_new (fx->client);
  g_auto(Collected) c = COLLECTED_INIT;
  guint requests = tb_sim_get_request_count (fx->sim);

  tb_audit_add_pool_thumbprint (audit, fx->pool_sha1);
  run_audit_ok (audit, &c);

  assert_planted (c.findings, fx->pool_sha1, TRUE);
  g_assert_false (tb_audit_get_used_fallback (audit));
  /* Only Microsoft's principals come over the wire. */
  g_assert_cmpuint (tb_audit_get_scanned (audit), ==, MICROSOFT);
  g_assert_cmpuint (tb_audit_get_microsoft_owned (audit), ==, MICROSOFT);
  g_assert_cmpuint (c.last_estimate, ==, MICROSOFT);
  /* One request a page: one page of at most 999 for each owner, no key reads, no retries. */
  g_assert_cmpuint (tb_audit_get_pages (audit), ==, 2);
  g_assert_cmpuint (c.calls, ==, 2);
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim) - requests, ==, 2);
}

static void
test_fallback (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TbAudit) audit = tb_audit_new (fx->client);
  g_auto(Collected) c = COLLECTED_INIT;
  guint requests = tb_sim_get_request_count (fx->sim);

  run_audit_ok (audit, &c);

  /* Without a certificate the pool's key is documented hybrid use like any other there. */
  assert_planted (c.findings, fx->pool_sha1, FALSE);
  g_assert_true (tb_audit_get_used_fallback (audit));
  g_assert_cmpuint (tb_audit_get_scanned (audit), ==, TOTAL);
  g_assert_cmpuint (tb_audit_get_microsoft_owned (audit), ==, MICROSOFT);
  g_assert_cmpuint (c.last_estimate, ==, TOTAL);
  /* The refused request, then ⌈5000 / 999⌉ pages. */
  g_assert_cmpuint (tb_audit_get_pages (audit), ==, 6);
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim) - requests, ==, 7);
}

static void
test_throttled (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(TbAudit) audit = tb_audit_new (fx->client);
  g_auto(Collected) c = COLLECTED_INIT;
  guint requests = tb_sim_get_request_count (fx->sim);

  tb_sim_inject_throttling (fx->sim, 2, "0.05");
  run_audit_ok (audit, &c);
  assert_planted (c.findings, fx->pool_sha1, FALSE);
  /* Each page once, plus the two throttled tries. */
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim) - requests, ==, 2 + 2);
}

static void
test_known (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.trustbridge.TrustBridge");
  const char *tenant = tb_sim_get_tenant_id (fx->sim);
  g_autoptr(TbAudit) audit = tb_audit_new (fx->client);
  g_auto(Collected) c = COLLECTED_INIT;
  g_auto(Collected) again = COLLECTED_INIT;
  TbAuditFinding *key;
  TbAuditFinding *secret;
  g_autofree char *note = NULL;

  run_audit_ok (audit, &c);
  key = find (c.findings, GRAPH, TB_AUDIT_KIND_KEY);
  secret = find (c.findings, GRAPH, TB_AUDIT_KIND_PASSWORD);

  /* The key is known by keyId and thumbprint; the same keyId with another thumbprint, or in
   * another tenant, is not. */
  g_assert_true (tb_audit_known_set (settings, tenant, tb_audit_finding_get_key_id (key),
                                     tb_audit_finding_get_sha1 (key), "Sync tool, ticket 4711"));
  g_assert_true (tb_audit_known_set (settings, tenant, tb_audit_finding_get_key_id (secret),
                                     "0000000000000000000000000000000000000000", "wrong"));
  g_assert_true (tb_audit_known_set (settings, "11111111-2222-3333-4444-555555555555",
                                     tb_audit_finding_get_key_id (secret), NULL, "other tenant"));
  note = tb_audit_known_lookup (settings, tenant, tb_audit_finding_get_key_id (key),
                                tb_audit_finding_get_sha1 (key));
  g_assert_cmpstr (note, ==, "Sync tool, ticket 4711");

  tb_audit_set_known (audit, settings, tenant);
  run_audit_ok (audit, &again);
  key = find (again.findings, GRAPH, TB_AUDIT_KIND_KEY);
  secret = find (again.findings, GRAPH, TB_AUDIT_KIND_PASSWORD);
  g_assert_cmpint (tb_audit_finding_get_origin (key), ==, TB_AUDIT_ORIGIN_KNOWN);
  g_assert_cmpint (tb_audit_finding_get_classified_origin (key), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
  g_assert_cmpstr (tb_audit_finding_get_note (key), ==, "Sync tool, ticket 4711");
  g_assert_cmpint (tb_audit_finding_get_origin (secret), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);

  /* Forgetting it makes it unexplained again. */
  g_assert_true (tb_audit_known_set (settings, tenant, tb_audit_finding_get_key_id (key),
                                     tb_audit_finding_get_sha1 (key), NULL));
  g_clear_pointer (&note, g_free);
  note = tb_audit_known_lookup (settings, tenant, tb_audit_finding_get_key_id (key),
                                tb_audit_finding_get_sha1 (key));
  g_assert_null (note);
  g_settings_reset (settings, "audit-known");
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(TbAudit) audit = tb_audit_new (fx->client);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Collected) c = COLLECTED_INIT;

  c.cancel_on_first = cancellable;
  g_assert_false (run_audit (audit, &c, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (c.calls, ==, 1);
}

/* Graph's list responses never carry the key itself, and a generated principal is readable on
 * its own like any other. */
static void
test_sim_behaves (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = NULL;
  JsonArray *value;
  const char *last_app_id = NULL;
  g_autoptr(TbServicePrincipal) sp = NULL;

  tb_graph_client_get_page_async (fx->client,
                                  "servicePrincipals?$select=id,appId,keyCredentials&$top=999",
                                  FALSE, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  page = tb_graph_client_get_page_finish (fx->client, result, &error);
  g_assert_no_error (error);
  value = json_object_get_array_member (page, "value");
  g_assert_cmpuint (json_array_get_length (value), ==, 999);
  g_assert_true (json_object_has_member (page, "@odata.nextLink"));
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *item = json_array_get_object_element (value, i);
      JsonArray *keys = json_object_get_array_member (item, "keyCredentials");

      for (guint k = 0; k < json_array_get_length (keys); k++)
        g_assert_true (json_object_get_null_member (json_array_get_object_element (keys, k),
                                                    "key"));
      last_app_id = json_object_get_string_member (item, "appId");
    }
  g_clear_object (&result);

  tb_graph_client_get_service_principal_async (fx->client, last_app_id, NULL, tb_test_store_result,
                                               NULL);
  result = tb_test_wait_result ();
  sp = tb_graph_client_get_service_principal_finish (fx->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_service_principal_get_app_id (sp), ==, last_app_id);
  g_clear_object (&result);

  /* A next-page link to any other host is refused before the token goes anywhere. */
  {
    guint requests = tb_sim_get_request_count (fx->sim);
    g_autoptr(GError) link_error = NULL;

    tb_graph_client_get_page_async (fx->client,
                                    "https://graph.example.net/v1.0/servicePrincipals", FALSE,
                                    NULL, tb_test_store_result, NULL);
    result = tb_test_wait_result ();
    g_assert_null (tb_graph_client_get_page_finish (fx->client, result, &link_error));
    g_assert_error (link_error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
    g_assert_cmpuint (tb_sim_get_request_count (fx->sim), ==, requests);
    g_clear_object (&result);
  }

  /* $top is capped at 999 as Graph caps it. */
  tb_graph_client_get_page_async (fx->client, "servicePrincipals?$top=1000", FALSE, NULL,
                                  tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  g_assert_null (tb_graph_client_get_page_finish (fx->client, result, &error));
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REQUEST);
}

/* ---- the CLI ------------------------------------------------------------------------ */

static const char * const finding_members[] = {
  "app_id", "object_id", "display_name", "kind", "key_id", "credential_name", "sha1", "start",
  "end", "status", "origin", NULL
};

/* Counts by origin of a `audit --json` report, after checking its exact shape. */
static void
check_json_report (Fixture    *fx,
                   const char *text,
                   guint       expect_scanned,
                   guint       counts[4])
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *findings;
  const char *origins[] = { "unexplained", "documented", "pool", "known" };

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (root, "tenant_id"), ==,
                   tb_sim_get_tenant_id (fx->sim));
  g_assert_cmpint (json_object_get_int_member (root, "scanned"), ==, expect_scanned);
  findings = json_object_get_array_member (root, "findings");
  memset (counts, 0, 4 * sizeof (guint));
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);
      const char *origin = json_object_get_string_member (f, "origin");
      const char *kind = json_object_get_string_member (f, "kind");
      gboolean matched = FALSE;

      g_assert_cmpuint (json_object_get_size (f), ==, g_strv_length ((char **) finding_members));
      for (guint m = 0; finding_members[m] != NULL; m++)
        g_assert_true (json_object_has_member (f, finding_members[m]));
      g_assert_true (g_str_equal (kind, "key") || g_str_equal (kind, "password"));
      for (guint o = 0; o < G_N_ELEMENTS (origins); o++)
        if (g_str_equal (origin, origins[o]))
          {
            counts[o]++;
            matched = TRUE;
          }
      g_assert_true (matched);
      /* Unexplained first: the report is sorted by group. */
      if (i > 0)
        {
          const char *before = json_object_get_string_member (json_array_get_object_element (findings,
                                                                                           i - 1),
                                                              "origin");
          guint a = 0, b = 0;

          for (guint o = 0; o < G_N_ELEMENTS (origins); o++)
            {
              if (g_str_equal (before, origins[o]))
                a = o;
              if (g_str_equal (origin, origins[o]))
                b = o;
            }
          g_assert_cmpuint (a, <=, b);
        }
    }
}

static void
test_cli_json (Fixture       *fx,
               gconstpointer  data)
{
  const Setup *setup = data;
  guint counts[4];
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "--json", "audit", "--cert", fx->pool_cert_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  check_json_report (fx, r.out, setup->refuse_filter ? TOTAL : MICROSOFT, counts);
  g_assert_cmpuint (counts[0], ==, 4);   /* unexplained */
  g_assert_cmpuint (counts[1], ==, 2);   /* documented */
  g_assert_cmpuint (counts[2], ==, 1);   /* this pool */
  g_assert_cmpuint (counts[3], ==, 0);   /* known */
  g_assert_nonnull (strstr (r.out, fx->pool_sha1));
  tb_test_run_clear (&r);
}

static void
test_cli_csv (Fixture       *fx,
              gconstpointer  data)
{
  g_auto(GStrv) lines = NULL;
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "audit", "--csv", NULL);
  g_assert_cmpint (r.status, ==, 1);
  lines = g_strsplit (r.out, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "app_id,object_id,display_name,kind,key_id,credential_name,sha1,start,end,"
                   "status,origin");
  /* Header, seven rows, and the empty rest after the last line end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  g_assert_cmpstr (lines[8], ==, "");
  for (guint i = 1; i < 8; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      /* No planted value holds a comma, so a plain split gives the columns. */
      g_assert_cmpuint (g_strv_length (cells), ==, 11);
      g_assert_true (tb_sim_get_tenant_id (fx->sim) != NULL);
    }
  g_assert_true (g_str_has_suffix (lines[1], ",unexplained"));
  g_assert_true (g_str_has_suffix (lines[7], ",documented"));
  tb_test_run_clear (&r);
}

static void
test_cli_text (Fixture       *fx,
               gconstpointer  data)
{
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "audit", "--cert", fx->pool_cert_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "4 unexplained, 2 documented hybrid use, 1 this pool, 0 known"));
  g_assert_nonnull (strstr (r.out, "Microsoft Graph (" GRAPH ")"));
  tb_test_run_clear (&r);
}

static void
test_cli_clean_tenant (Fixture       *fx,
                       gconstpointer  data)
{
  guint counts[4];
  TbTestRun r;

  /* The five well-known principals without credentials: nothing to report, exit 0. */
  tb_test_cli_run (fx->cli, &r, "--json", "audit", NULL);
  g_assert_cmpint (r.status, ==, 0);
  check_json_report (fx, r.out, 5, counts);
  g_assert_cmpuint (counts[0] + counts[1] + counts[2] + counts[3], ==, 0);
  tb_test_run_clear (&r);
}

static void
test_cli_bad_input (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-such-dir", "x.cer", NULL);
  guint requests = tb_sim_get_request_count (fx->sim);
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "audit", "--cert", missing, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_prefix (r.err, "trust-bridge-cli: "));
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "audit", "--cert", "a.cer", "--pool-state", "b.json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "--json", "audit", "--csv", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "audit", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "audit", "--tenant", "not a tenant", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  /* Bad input is refused before anything reaches the service. */
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim), ==, requests);
}

static void
test_cli_pool_state (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *state_path = g_strconcat (fx->pool_cert_path, ".state.json", NULL);
  g_autofree char *json = g_strdup_printf ("{\"schema\":1,\"oauthCertificate\":"
                                           "{\"thumbprint\":\"%s\",\"subject\":"
                                           "\"CN=oauth.contoso.com\"}}", fx->pool_sha1);
  g_autoptr(GError) error = NULL;
  guint counts[4];
  TbTestRun r;

  g_assert_true (g_file_set_contents (state_path, json, -1, &error));
  tb_test_cli_run (fx->cli, &r, "--json", "audit", "--pool-state", state_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  check_json_report (fx, r.out, MICROSOFT, counts);
  g_assert_cmpuint (counts[2], ==, 1);
  tb_test_run_clear (&r);
  g_remove (state_path);
}

/* customKeyIdentifier as uploaders leave it: the thumbprint as hex text, Base64 of that text, or
 * Base64 of the 20 digest bytes; anything else is no thumbprint. */
static void
test_thumbprint_forms (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char hex[] = "0123456789ABCDEF0123456789ABCDEF01234567";
  static const guint8 raw[20] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
                                  0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67 };
  g_autofree char *b64_text = g_base64_encode ((const guchar *) hex, 40);
  g_autofree char *b64_raw = g_base64_encode (raw, sizeof raw);
  g_autofree char *lower = g_ascii_strdown (hex, -1);
  const char *forms[] = { lower, b64_text, b64_raw, "bm90IGEgdGh1bWJwcmludA==" };
  g_autoptr(JsonObject) sp = json_object_new ();
  JsonArray *keys = json_array_new ();
  g_autoptr(TbAudit) audit = tb_audit_new (fixture->client);
  g_auto(Collected) c = COLLECTED_INIT;

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      JsonObject *kc = json_object_new ();
      g_autofree char *key_id = g_strdup_printf ("0000000%u-aaaa-4bbb-8ccc-000000000000", i);

      json_object_set_string_member (kc, "keyId", key_id);
      json_object_set_string_member (kc, "customKeyIdentifier", forms[i]);
      json_object_set_string_member (kc, "type", "AsymmetricX509Cert");
      json_object_set_string_member (kc, "usage", "Verify");
      json_object_set_string_member (kc, "endDateTime", "2099-01-01T00:00:00Z");
      json_array_add_object_element (keys, kc);
    }
  json_object_set_string_member (sp, "appId", "0a0a0a0a-1111-4222-8333-444444444444");
  json_object_set_string_member (sp, "displayName", "Office 365 Reports");
  json_object_set_string_member (sp, "appOwnerOrganizationId", TB_AUDIT_MICROSOFT_OWNER);
  json_object_set_array_member (sp, "keyCredentials", keys);
  tb_sim_put_service_principal (fixture->sim, sp);

  /* The pool's certificate, known by its thumbprint in any case and with separators. */
  tb_audit_add_pool_thumbprint (audit, "01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67");
  run_audit_ok (audit, &c);
  g_assert_cmpuint (c.findings->len, ==, G_N_ELEMENTS (forms));
  for (guint i = 0; i < c.findings->len; i++)
    {
      TbAuditFinding *f = g_ptr_array_index (c.findings, i);
      guint form = tb_audit_finding_get_key_id (f)[7] - '0';

      if (form < 3)
        {
          g_assert_cmpstr (tb_audit_finding_get_sha1 (f), ==, hex);
          g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_POOL);
        }
      else
        {
          g_assert_null (tb_audit_finding_get_sha1 (f));
          g_assert_cmpint (tb_audit_finding_get_origin (f), ==, TB_AUDIT_ORIGIN_UNEXPLAINED);
        }
    }
}

/* The CLI honours what the GUI marked known: the same "audit-known" setting. With every
 * unexplained credential known, nothing is unexplained and the exit status is 0. */
static void
test_cli_known (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TbAudit) audit = tb_audit_new (fixture->client);
  g_autoptr(GError) error = NULL;
  g_auto(Collected) c = COLLECTED_INIT;
  g_autofree char *config = g_dir_make_tmp ("test-audit-config-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autoptr(GString) value = g_string_new ("[");
  g_autofree char *contents = NULL;
  g_autoptr(TbTestCli) cli = tb_test_cli_new_for_endpoints (fixture->endpoints);
  TbTestRun r = { 0 };
  guint counts[4];
  guint n = 0;

  run_audit_ok (audit, &c);
  for (guint i = 0; i < c.findings->len; i++)
    {
      TbAuditFinding *f = g_ptr_array_index (c.findings, i);

      if (tb_audit_finding_get_origin (f) != TB_AUDIT_ORIGIN_UNEXPLAINED)
        continue;
      g_string_append_printf (value, "%s('%s', '%s', '%s', 'ticket %u')", n > 0 ? ", " : "",
                              tb_sim_get_tenant_id (fixture->sim),
                              tb_audit_finding_get_key_id (f),
                              tb_audit_finding_get_sha1 (f) != NULL
                              ? tb_audit_finding_get_sha1 (f) : "", n + 1);
      n++;
    }
  g_string_append (value, "]");
  g_assert_cmpuint (n, ==, 4);
  contents = g_strdup_printf ("[io/github/trustbridge/TrustBridge]\naudit-known=%s\n", value->str);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));

  tb_test_cli_setenv (cli, "GSETTINGS_BACKEND", "keyfile");
  tb_test_cli_setenv (cli, "XDG_CONFIG_HOME", config);
  tb_test_cli_run (cli, &r, "--json", "audit", NULL);

  g_assert_cmpint (r.status, ==, 0);
  check_json_report (fixture, r.out, MICROSOFT, counts);
  g_assert_cmpuint (counts[0], ==, 0);
  g_assert_cmpuint (counts[3], ==, 4);
  tb_test_run_clear (&r);
  g_remove (path);
  g_rmdir (dir);
  {
    g_autofree char *glib_dir = g_path_get_dirname (dir);

    g_rmdir (glib_dir);
  }
  g_rmdir (config);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define AUDIT_TEST(path, setup, func) \
  g_test_add (path, Fixture, &setup, fixture_setup, func, fixture_teardown)
  AUDIT_TEST ("/audit/filtered", filtered, test_filtered);
  AUDIT_TEST ("/audit/fallback", refused, test_fallback);
  AUDIT_TEST ("/audit/throttled", filtered, test_throttled);
  AUDIT_TEST ("/audit/known", filtered, test_known);
  AUDIT_TEST ("/audit/cancel", refused, test_cancel);
  AUDIT_TEST ("/audit/sim-behaves", filtered, test_sim_behaves);
  AUDIT_TEST ("/audit/cli/json", filtered, test_cli_json);
  AUDIT_TEST ("/audit/cli/json-fallback", refused, test_cli_json);
  AUDIT_TEST ("/audit/cli/csv", filtered, test_cli_csv);
  AUDIT_TEST ("/audit/cli/text", filtered, test_cli_text);
  AUDIT_TEST ("/audit/cli/clean-tenant", bare, test_cli_clean_tenant);
  AUDIT_TEST ("/audit/cli/bad-input", filtered, test_cli_bad_input);
  AUDIT_TEST ("/audit/cli/pool-state", filtered, test_cli_pool_state);
  AUDIT_TEST ("/audit/cli/known", filtered, test_cli_known);
  AUDIT_TEST ("/audit/thumbprint-forms", bare, test_thumbprint_forms);

  return g_test_run ();
}
