/* test-renewal.c: the renewal of the pool's OAuth certificate without the network: pool state
 * schema 2, the renewal scripts and their limits, the phases and the refusals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-pool-script-private.h"
#include "tb-pool-state-private.h"
#include "tb-renewal.h"
#include "tb-test-certs.h"

#define SKYPE "00000004-0000-0ff1-ce00-000000000000"
#define EXO   "00000002-0000-0ff1-ce00-000000000000"

typedef struct
{
  GBytes *old_der;
  GBytes *new_der;
  GBytes *other_der;
  char   *old_b64;
  char   *new_b64;
  char   *other_b64;
  char   *old_sha1;
  char   *new_sha1;
} Certs;

static Certs certs;

static char *
sha1_upper (GBytes *der)
{
  g_autofree char *lower = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);

  return g_ascii_strup (lower, -1);
}

static void
make_certs (void)
{
  TbTestCertSpec spec = { .common_name = "fe01.contoso.local", .key_type = TB_TEST_KEY_RSA };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  spec.not_after = now + 20 * 86400;
  certs.old_der = tb_test_cert_make (&spec, NULL);
  spec.common_name = "oauth2028.contoso.com";
  spec.not_after = now + 800 * 86400;
  certs.new_der = tb_test_cert_make (&spec, NULL);
  spec.common_name = "someone-else.contoso.com";
  certs.other_der = tb_test_cert_make (&spec, NULL);
  certs.old_b64 = g_base64_encode (g_bytes_get_data (certs.old_der, NULL),
                                   g_bytes_get_size (certs.old_der));
  certs.new_b64 = g_base64_encode (g_bytes_get_data (certs.new_der, NULL),
                                   g_bytes_get_size (certs.new_der));
  certs.other_b64 = g_base64_encode (g_bytes_get_data (certs.other_der, NULL),
                                     g_bytes_get_size (certs.other_der));
  certs.old_sha1 = sha1_upper (certs.old_der);
  certs.new_sha1 = sha1_upper (certs.new_der);
}

/* A schema 2 state: @staged_hours (0: none) ahead, or @switched (old is previous). */
static TbPoolState *
load_state (const char  *json,
            GError     **error)
{
  return tb_pool_state_new_from_data (json, strlen (json), error);
}

static TbPoolState *
make_state (int       staged_hours,
            gboolean  switched)
{
  g_autoptr(GString) json = g_string_new ("{\"schema\":2,\"oauthCertificates\":[");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) staged = g_date_time_add_hours (now, staged_hours);
  g_autofree char *staged_text = g_date_time_format_iso8601 (staged);
  g_autoptr(GError) error = NULL;
  TbPoolState *state;

  if (switched)
    g_string_append_printf (json, "{\"role\":\"current\",\"thumbprint\":\"%s\","
                                  "\"effectiveDate\":\"2026-01-01T00:00:00Z\",\"keySize\":2048,"
                                  "\"rawData\":\"%s\"},"
                                  "{\"role\":\"previous\",\"thumbprint\":\"%s\","
                                  "\"effectiveDate\":\"2024-01-01T00:00:00Z\",\"rawData\":\"%s\"}",
                            certs.new_sha1, certs.new_b64, certs.old_sha1, certs.old_b64);
  else
    {
      g_string_append_printf (json, "{\"role\":\"current\",\"thumbprint\":\"%s\","
                                    "\"effectiveDate\":null,\"keySize\":2048,\"rawData\":\"%s\"}",
                              certs.old_sha1, certs.old_b64);
      if (staged_hours > 0)
        g_string_append_printf (json, ",{\"role\":\"staged\",\"thumbprint\":\"%s\","
                                      "\"effectiveDate\":\"%s\",\"rawData\":\"%s\"}",
                                certs.new_sha1, staged_text, certs.new_b64);
    }
  g_string_append_printf (json, "],\"candidates\":[{\"thumbprint\":\"%s\",\"subject\":"
                                "\"CN=oauth2028.contoso.com\",\"issuer\":\"CN=Contoso CA\","
                                "\"keySize\":2048,\"rawData\":\"%s\"}],\"errors\":[]}",
                          certs.new_sha1, certs.new_b64);

  state = tb_pool_state_new_from_data (json->str, json->len, &error);
  g_assert_no_error (error);
  return state;
}

/* A principal holding credentials for the given Base64 certificates (NULL-terminated). */
static TbServicePrincipal *
make_principal (const char *app_id,
                ...)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  TbServicePrincipal *sp;
  va_list args;
  guint n = 0;

  g_string_printf (json, "{\"id\":\"%s-obj\",\"appId\":\"%s\",\"displayName\":\"%s\","
                         "\"keyCredentials\":[", app_id, app_id, app_id);
  va_start (args, app_id);
  for (const char *b64 = va_arg (args, const char *); b64 != NULL;
       b64 = va_arg (args, const char *), n++)
    g_string_append_printf (json, "%s{\"keyId\":\"00000000-0000-0000-0000-00000000000%u\","
                                  "\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\","
                                  "\"startDateTime\":\"2025-01-01T00:00:00Z\","
                                  "\"endDateTime\":\"2030-01-01T00:00:00Z\",\"key\":\"%s\"}",
                            n > 0 ? "," : "", n, b64);
  va_end (args);
  g_string_append (json, "]}");

  json_parser_load_from_data (parser, json->str, -1, &error);
  g_assert_no_error (error);
  sp = tb_service_principal_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                           &error);
  g_assert_no_error (error);
  return sp;
}

static GPtrArray *
principals (TbServicePrincipal *a,
            TbServicePrincipal *b)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (list, a);
  if (b != NULL)
    g_ptr_array_add (list, b);
  return list;
}

static void
test_state_schema_2 (void)
{
  g_autoptr(TbPoolState) state = make_state (18, FALSE);
  g_autoptr(TbPoolState) old = NULL;
  g_autoptr(TbPoolState) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const TbPoolCertificate *candidate;

  g_assert_cmpuint (tb_pool_state_get_schema (state), ==, 2);
  g_assert_cmpuint (tb_pool_state_get_oauth_certificates (state)->len, ==, 2);
  g_assert_nonnull (tb_pool_state_get_staged_certificate (state));
  g_assert_cmpstr (tb_certificate_get_sha1 (tb_pool_state_get_staged_certificate (state)), ==,
                   certs.new_sha1);
  g_assert_nonnull (tb_pool_state_get_staged_effective_date (state));
  candidate = g_ptr_array_index (tb_pool_state_get_candidates (state), 0);
  g_assert_cmpstr (candidate->issuer, ==, "CN=Contoso CA");
  g_assert_cmpint (candidate->key_size, ==, 2048);
  g_assert_null (candidate->role);

  /* The normalised document keeps schema 2 and reads back the same. */
  node = tb_pool_state_to_json_node (state);
  text = json_to_string (node, FALSE);
  again = tb_pool_state_new_from_data (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_pool_state_get_schema (again), ==, 2);
  g_assert_cmpstr (tb_certificate_get_sha1 (tb_pool_state_get_staged_certificate (again)), ==,
                   certs.new_sha1);

  /* Schema 1 still loads; it just does not tell. */
  old = load_state ("{\"schema\":1}", &error);
  g_assert_no_error (error);
  g_assert_null (tb_pool_state_get_oauth_certificates (old));
  g_assert_null (tb_pool_state_get_staged_certificate (old));
  g_assert_null (tb_pool_state_get_staged_effective_date (old));

  /* Damage is named, never guessed. */
  g_assert_null (load_state ("{\"schema\":3}", &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_SCHEMA);
  g_clear_error (&error);
  g_assert_null (load_state (
    "{\"schema\":2,\"oauthCertificates\":[{\"role\":\"next\"}]}", &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MEMBER);
  g_assert_nonnull (strstr (error->message, "oauthCertificates[0].role"));
  g_clear_error (&error);
  g_assert_null (load_state (
    "{\"schema\":2,\"candidates\":[{\"keySize\":\"big\"}]}", &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MEMBER);
}

static void
test_scripts (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2027, 3, 1, 6, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  g_autofree char *read_line = tb_pool_script_encode_command (read, &error);
  g_autoptr(GDateTime) parsed = NULL;

  /* The read script grew with schema 2 and still fits cmd.exe's command line. */
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (read_line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE);
  g_assert_nonnull (strstr (read, "Get-CsCertificate -Type OAuthTokenIssuer"));
  g_assert_nonnull (strstr (read, "Cert:\\LocalMachine\\My"));
  g_assert_nonnull (strstr (read, "HasPrivateKey"));
  g_assert_null (strstr (read, "PrivateKey.Export"));

  for (int action = TB_POOL_RENEW_STAGE; action <= TB_POOL_RENEW_CLEANUP; action++)
    for (int dry = 0; dry <= 1; dry++)
      {
        g_autofree char *script = tb_pool_script_new_renew (action, certs.new_sha1, when, dry,
                                                            TB_POOL_SCRIPT_FORM_TRANSPORT,
                                                            &error);
        g_autofree char *line = NULL;
        g_autoptr(GHashTable) params = NULL;

        g_assert_no_error (error);
        line = tb_pool_script_encode_command (script, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (strlen (line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE - 200);
        params = tb_pool_script_parse_parameters (script, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, "renew");
        g_assert_cmpstr (g_hash_table_lookup (params, "Action"), ==,
                         action == TB_POOL_RENEW_STAGE ? "stage" : "cleanup");
        g_assert_cmpstr (g_hash_table_lookup (params, "Thumbprint"), ==, certs.new_sha1);
        g_assert_cmpstr (g_hash_table_lookup (params, "EffectiveDate"), ==,
                         action == TB_POOL_RENEW_STAGE ? "2027-03-01T06:30:00Z" : "");
        g_assert_cmpstr (g_hash_table_lookup (params, "DryRun"), ==, dry ? "yes" : "no");
      }

  /* Validated before anything reaches the parameter block. */
  g_assert_null (tb_pool_script_new_renew (TB_POOL_RENEW_STAGE, "ABC'; Remove-Item C:\\", when,
                                           FALSE, TB_POOL_SCRIPT_FORM_EXPORT, &error));
  g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_THUMBPRINT);
  g_clear_error (&error);
  g_assert_null (tb_pool_script_check_thumbprint ("00112233445566778899AABBCCDDEEFF0011223G",
                                                  &error));
  g_clear_error (&error);
  {
    g_autofree char *lower = tb_pool_script_check_thumbprint (
      "00112233445566778899aabbccddeeff00112233", &error);

    g_assert_cmpstr (lower, ==, "00112233445566778899AABBCCDDEEFF00112233");
  }
  parsed = tb_pool_script_parse_effective_date ("2027-03-01T06:30:00Z", &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (parsed, when));
  {
    const char *bad[] = { "2027-03-01", "2027-03-01T06:30:00+02:00", "2027-13-01T06:30:00Z",
                          "2027-03-01T06:30:00Z'", "tomorrow", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_assert_null (tb_pool_script_parse_effective_date (bad[i], &error));
        g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_DATE);
        g_clear_error (&error);
      }
  }
}

static void
test_phases (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  /* No renewal under way; the suggestion is the candidate expiring last. */
  {
    g_autoptr(TbPoolState) state = make_state (0, FALSE);
    g_autoptr(GPtrArray) sps = principals (make_principal (SKYPE, certs.old_b64, NULL), NULL);
    g_autoptr(TbRenewal) renewal = tb_renewal_new (state, sps, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (tb_renewal_get_phase (renewal), ==, TB_RENEWAL_PHASE_NONE);
    g_assert_cmpstr (tb_renewal_suggest_candidate (state)->thumbprint, ==, certs.new_sha1);
    g_assert_false (tb_renewal_check_step (renewal, TB_RENEWAL_STEP_STAGE, &error));
    g_assert_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_OUT_OF_ORDER);
    g_clear_error (&error);
  }

  /* Chosen, not uploaded: staging is refused with the reason. */
  {
    g_autoptr(TbPoolState) state = make_state (0, FALSE);
    g_autoptr(GPtrArray) sps = principals (make_principal (SKYPE, certs.old_b64, NULL),
                                           make_principal (EXO, certs.old_b64, NULL));
    g_autoptr(TbRenewal) renewal = tb_renewal_new (state, sps, certs.new_sha1, &error);
    g_autoptr(GPtrArray) edits = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (tb_renewal_get_phase (renewal), ==, TB_RENEWAL_PHASE_CANDIDATE_CHOSEN);
    g_assert_false (tb_renewal_check_step (renewal, TB_RENEWAL_STEP_STAGE, &error));
    g_assert_nonnull (strstr (error->message, "upload it first"));
    g_clear_error (&error);
    edits = tb_renewal_upload_edits (renewal, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (edits->len, ==, 2);
  }

  /* Uploaded to one principal only: still not ready. To both: ready to stage, and the earliest
   * date is 24 hours ahead (the credentials started long ago). */
  {
    g_autoptr(TbPoolState) state = make_state (0, FALSE);
    g_autoptr(GPtrArray) half = principals (make_principal (SKYPE, certs.old_b64, certs.new_b64,
                                                            NULL),
                                            make_principal (EXO, certs.old_b64, NULL));
    g_autoptr(GPtrArray) both = principals (make_principal (SKYPE, certs.old_b64, certs.new_b64,
                                                            NULL),
                                            make_principal (EXO, certs.old_b64, certs.new_b64,
                                                            NULL));
    g_autoptr(TbRenewal) partial = tb_renewal_new (state, half, certs.new_sha1, &error);
    g_autoptr(TbRenewal) ready = tb_renewal_new (state, both, certs.new_sha1, &error);
    g_autoptr(GDateTime) earliest = NULL;
    g_autoptr(GDateTime) too_early = g_date_time_add_hours (now, 23);

    g_assert_no_error (error);
    g_assert_cmpint (tb_renewal_get_phase (partial), ==, TB_RENEWAL_PHASE_CANDIDATE_CHOSEN);
    g_assert_cmpint (tb_renewal_get_phase (ready), ==, TB_RENEWAL_PHASE_UPLOADED);
    g_assert_true (tb_renewal_check_step (ready, TB_RENEWAL_STEP_STAGE, &error));
    earliest = tb_renewal_earliest_effective_date (ready, now);
    g_assert_cmpint (g_date_time_difference (earliest, now), >=, 24 * G_TIME_SPAN_HOUR);
    g_assert_cmpint (g_date_time_difference (earliest, now), <, 24 * G_TIME_SPAN_HOUR +
                                                                G_TIME_SPAN_SECOND * 2);
    g_assert_null (tb_renewal_choose_effective_date (ready, too_early, now, &error));
    g_assert_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_DATE);
    g_clear_error (&error);
    g_assert_false (tb_renewal_check_step (ready, TB_RENEWAL_STEP_FINISH, &error));
    g_clear_error (&error);
  }

  /* Staged: the two sentences of the trust check. */
  {
    g_autoptr(TbPoolState) state = make_state (18, FALSE);
    g_autoptr(GPtrArray) missing = principals (make_principal (SKYPE, certs.old_b64, NULL),
                                               NULL);
    g_autoptr(GPtrArray) ready = principals (make_principal (SKYPE, certs.old_b64,
                                                             certs.new_b64, NULL), NULL);
    g_autoptr(TbRenewal) a = tb_renewal_new (state, missing, NULL, &error);
    g_autoptr(TbRenewal) b = tb_renewal_new (state, ready, NULL, &error);
    g_autofree char *text_a = tb_renewal_describe (a, now);
    g_autofree char *text_b = tb_renewal_describe (b, now);

    g_assert_cmpint (tb_renewal_get_phase (a), ==, TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING);
    g_assert_cmpint (tb_renewal_get_phase (b), ==, TB_RENEWAL_PHASE_STAGED_CLOUD_READY);
    g_assert_cmpstr (text_a, ==, "staged, Microsoft 365 does not have it yet — upload now");
    g_assert_true (g_str_has_prefix (text_b, "staged, effective in "));
    g_assert_true (g_str_has_suffix (text_b, ", Microsoft 365 ready"));
    g_assert_nonnull (strstr (text_b, "hour"));
    g_assert_false (tb_renewal_check_step (b, TB_RENEWAL_STEP_FINISH, &error));
    g_assert_nonnull (strstr (error->message, "has not switched"));
    g_clear_error (&error);
    g_assert_true (tb_renewal_check_step (a, TB_RENEWAL_STEP_UPLOAD, &error));
  }

  /* Switched: the old credential goes, but never a principal's last one. */
  {
    g_autoptr(TbPoolState) state = make_state (0, TRUE);
    g_autoptr(GPtrArray) sps = principals (make_principal (SKYPE, certs.old_b64, certs.new_b64,
                                                           certs.other_b64, NULL),
                                           make_principal (EXO, certs.old_b64, NULL));
    g_autoptr(TbRenewal) renewal = tb_renewal_new (state, sps, NULL, &error);
    g_auto(GStrv) skipped = NULL;
    g_autoptr(GPtrArray) edits = NULL;

    g_assert_cmpint (tb_renewal_get_phase (renewal), ==, TB_RENEWAL_PHASE_SWITCHED);
    g_assert_true (tb_renewal_check_step (renewal, TB_RENEWAL_STEP_FINISH, &error));
    g_assert_false (tb_renewal_check_step (renewal, TB_RENEWAL_STEP_STAGE, &error));
    g_clear_error (&error);
    edits = tb_renewal_cleanup_edits (renewal, &skipped);
    g_assert_cmpuint (edits->len, ==, 1);
    g_assert_cmpstr (tb_principal_edit_get_app_id (g_ptr_array_index (edits, 0)), ==, SKYPE);
    g_assert_cmpstr (tb_principal_edit_get_key_id (g_ptr_array_index (edits, 0)), ==,
                     "00000000-0000-0000-0000-000000000000");
    g_assert_cmpuint (g_strv_length (skipped), ==, 1);
    g_assert_nonnull (strstr (skipped[0], "last credential"));
    g_assert_true (tb_renewal_pool_has_previous (renewal));
  }

  /* A thumbprint the pool does not have is refused; so is a schema 1 state's renewal. */
  {
    g_autoptr(TbPoolState) state = make_state (0, FALSE);
    g_autoptr(TbPoolState) old = load_state ("{\"schema\":1}", NULL);
    g_autoptr(GPtrArray) sps = principals (make_principal (SKYPE, certs.old_b64, NULL), NULL);
    g_autoptr(TbRenewal) unknown = NULL;

    g_assert_null (tb_renewal_new (state, sps, "00112233445566778899AABBCCDDEEFF00112233",
                                   &error));
    g_assert_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE);
    g_clear_error (&error);
    unknown = tb_renewal_new (old, sps, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tb_renewal_get_phase (unknown), ==, TB_RENEWAL_PHASE_UNKNOWN);
    g_assert_false (tb_renewal_check_step (unknown, TB_RENEWAL_STEP_UPLOAD, &error));
    g_assert_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_UNKNOWN_STATE);
  }
}

/* The request for a new certificate from the enterprise CA: Request-CsCertificate with the
 * documented parameters, the CA's name (spaces and all) only as Base64url data, inside
 * cmd.exe's limit when encoded, and hostile CA names or domains refused. */
static void
test_request_script (void)
{
  const char * const domains[] = { "contoso.com", "sip.contoso.com", NULL };
  g_autoptr(GError) error = NULL;

  for (int form = TB_POOL_SCRIPT_FORM_EXPORT; form <= TB_POOL_SCRIPT_FORM_TRANSPORT; form++)
    for (int dry = 0; dry <= 1; dry++)
      {
        g_autofree char *script = tb_pool_script_new_request ("ca01.contoso.com\\Contoso "
                                                              "Issuing CA", domains,
                                                              "TrustBridge-OAuthTokenIssuer",
                                                              dry, form, &error);
        g_autofree char *line = NULL;
        g_autoptr(GHashTable) params = NULL;
        g_autofree guchar *name = NULL;
        g_autofree char *padded = NULL;
        gsize len = 0;

        g_assert_no_error (error);
        g_assert_nonnull (strstr (script, "Type='OAuthTokenIssuer'"));
        g_assert_nonnull (strstr (script, "New=$true"));
        g_assert_nonnull (strstr (script, "CA=$ca;FriendlyName=$FriendlyName;DomainName=$dn"));
        g_assert_nonnull (strstr (script, "KeySize=2048;PrivateKeyExportable=$true"));
        g_assert_nonnull (strstr (script, "Request-CsCertificate @rq"));
        g_assert_null (strstr (script, "Contoso Issuing CA"));
        /* Exported, it ends with the pool's state: the new certificate as a candidate. */
        g_assert_true ((strstr (script, "TbEmit(TbAdd2(TbRead))") != NULL) ==
                       (form == TB_POOL_SCRIPT_FORM_EXPORT));
        /* The exported file is not sent on a command line; its transport form fits one. */
        if (form == TB_POOL_SCRIPT_FORM_TRANSPORT)
          {
            line = tb_pool_script_encode_command (script, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (strlen (line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE - 200);
          }

        params = tb_pool_script_parse_parameters (script, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, "request");
        g_assert_cmpstr (g_hash_table_lookup (params, "CAHost"), ==, "ca01.contoso.com");
        g_assert_cmpstr (g_hash_table_lookup (params, "DomainName"), ==,
                         "contoso.com/sip.contoso.com");
        g_assert_cmpstr (g_hash_table_lookup (params, "DryRun"), ==, dry ? "yes" : "no");
        /* As the script decodes it. */
        padded = g_strdup (g_hash_table_lookup (params, "CAName"));
        g_strdelimit (padded, "-", '+');
        g_strdelimit (padded, "_", '/');
        while (strlen (padded) % 4 != 0)
          {
            char *more = g_strconcat (padded, "=", NULL);

            g_free (padded);
            padded = more;
          }
        name = g_base64_decode (padded, &len);
        g_assert_cmpmem (name, len, "Contoso Issuing CA", strlen ("Contoso Issuing CA"));
      }

  {
    const char *bad_ca[] = { "Contoso Issuing CA", "ca01\\Contoso CA", "ca01.contoso.com\\",
                             "ca01.contoso.com\\a\\b", "ca01.contoso.com\\x\ny",
                             "ca01.contoso.com';Remove-Item C:\\\\x\\CA",
                             "ca01.contoso.com\\0123456789012345678901234567890123456789"
                             "01234567890123456789012345" };

    for (guint i = 0; i < G_N_ELEMENTS (bad_ca); i++)
      {
        g_assert_null (tb_pool_script_new_request (bad_ca[i], domains, "x", FALSE,
                                                   TB_POOL_SCRIPT_FORM_EXPORT, &error));
        g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_VALUE);
        g_clear_error (&error);
      }
  }
  {
    const char * const bad_domains[] = { "contoso.com", "x';Remove-Item", NULL };
    const char * const none[] = { NULL };

    g_assert_null (tb_pool_script_new_request ("ca01.contoso.com\\CA", bad_domains, "x", FALSE,
                                               TB_POOL_SCRIPT_FORM_EXPORT, &error));
    g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_HOST);
    g_clear_error (&error);
    g_assert_null (tb_pool_script_new_request ("ca01.contoso.com\\CA", none, "x", FALSE,
                                               TB_POOL_SCRIPT_FORM_EXPORT, &error));
    g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_HOST);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  make_certs ();

  g_test_add_func ("/renewal/state-schema-2", test_state_schema_2);
  g_test_add_func ("/renewal/scripts", test_scripts);
  g_test_add_func ("/renewal/request-script", test_request_script);
  g_test_add_func ("/renewal/phases", test_phases);

  return g_test_run ();
}
