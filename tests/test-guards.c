/* test-guards.c: what Trust Bridge refuses to write, in the core and through the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-credential-merge.h"
#include "tb-guards.h"
#include "tb-pool-state.h"
#include "tb-principal-edit.h"
#include "tb-profile.h"
#include "tb-test-certs.h"
#include "tb-test-cli.h"

#define DAY ((gint64) 24 * 60 * 60)
#define SKYPE TB_APP_ID_SKYPE_ONLINE
#define EXO   TB_APP_ID_EXCHANGE_ONLINE

/* Microsoft's names stay; only an admin's <appId>/<host> may go. */
static void
test_spn_rules (void)
{
  static const char * const microsoft[] = {
    SKYPE,
    SKYPE "/*.lync.com",
    SKYPE "/*.online.lync.com",
    SKYPE "/*.infra.lync.com",
    SKYPE "/webdir.online.lync.com",
    EXO "/outlook.office365.com",
    EXO "/*.outlook.com",
    "https://outlook.office365.com/",
    "https://outlook.office.com/",
    "00000004-0000-0ff1-ce00-000000000000/webdir.online.lync.com",
    "00000002-0000-0ff1-ce00-000000000000/webext.contoso.com",   /* another principal's */
  };
  static const char * const admins[] = {
    SKYPE "/webext.contoso.com",
    SKYPE "/LyncWeb.Contoso.COM",
    SKYPE "/lync.com.contoso.net",
  };

  for (guint i = 0; i < G_N_ELEMENTS (microsoft); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", microsoft[i]);
      g_assert_true (tb_spn_is_microsoft_managed (SKYPE, microsoft[i]));
      g_assert_false (tb_spn_check_removable (SKYPE, microsoft[i], &error));
      g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_MICROSOFT_SPN);
      g_assert_nonnull (strstr (error->message, "managed by Microsoft"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (admins); i++)
    {
      g_test_message ("%s", admins[i]);
      g_assert_false (tb_spn_is_microsoft_managed (SKYPE, admins[i]));
      g_assert_true (tb_spn_check_removable (SKYPE, admins[i], NULL));
    }
}

/* The remove edit itself refuses them, the bare appId with the right reason. */
static void
test_remove_edit_refuses (void)
{
  const char *bare[] = { SKYPE, NULL };
  const char *wildcard[] = { SKYPE "/*.lync.com", NULL };
  const char *host[] = { "webdir.online.lync.com", NULL };
  const char *own[] = { "webext.contoso.com", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPrincipalEdit) edit = NULL;

  g_assert_null (tb_principal_edit_new_remove_spns (SKYPE, bare, 0, &error));
  g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_MICROSOFT_SPN);
  g_assert_null (strstr (error->message, "fully qualified"));
  g_clear_error (&error);
  g_assert_null (tb_principal_edit_new_remove_spns (SKYPE, wildcard, 0, &error));
  g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_MICROSOFT_SPN);
  g_clear_error (&error);
  g_assert_null (tb_principal_edit_new_remove_spns (SKYPE, host, 0, &error));
  g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_MICROSOFT_SPN);
  g_clear_error (&error);

  edit = tb_principal_edit_new_remove_spns (SKYPE, own, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
}

/* Expired and weak certificates are refused for upload; not yet valid is a warning. */
static void
test_upload_rules (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(TbCertificate) good = tb_test_cert_new_oauth (now - DAY, now + 700 * DAY, 2048);
  g_autoptr(TbCertificate) expired = tb_test_cert_new_oauth (now - 400 * DAY, now - DAY, 2048);
  g_autoptr(TbCertificate) future = tb_test_cert_new_oauth (now + 10 * DAY, now + 700 * DAY,
                                                            2048);
  g_autoptr(TbCertificate) weak = tb_test_cert_new_oauth (now - DAY, now + 700 * DAY, 1024);
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  g_assert_true (tb_certificate_check_upload (good, NULL, &warning, &error));
  g_assert_no_error (error);
  g_assert_null (warning);

  g_assert_false (tb_certificate_check_upload (expired, NULL, &warning, &error));
  g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_EXPIRED);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);

  g_assert_false (tb_certificate_check_upload (weak, NULL, &warning, &error));
  g_assert_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_WEAK_KEY);
  g_assert_nonnull (strstr (error->message, "1024-bit"));
  g_assert_nonnull (strstr (error->message, "2048"));
  g_clear_error (&error);

  g_assert_true (tb_certificate_check_upload (future, NULL, &warning, &error));
  g_assert_no_error (error);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "not valid until"));
}

static char *
write_cert (const char    *name,
            TbCertificate *cert)
{
  GBytes *der = tb_certificate_get_der (cert);

  return tb_test_write_file (name, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
}

/* The CLI applies the same rules, before it signs in or writes anything. */
static void
test_cli_refuses (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(TbCertificate) expired = tb_test_cert_new_oauth (now - 400 * DAY, now - DAY, 2048);
  g_autoptr(TbCertificate) weak = tb_test_cert_new_oauth (now - DAY, now + 700 * DAY, 1024);
  g_autofree char *expired_path = write_cert ("expired.cer", expired);
  g_autofree char *weak_path = write_cert ("weak.cer", weak);
  TbTestRun r;

  tb_test_cli_run (NULL, &r, "--demo", "credentials", "add", "--cert", expired_path,
                   "--to", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "expired"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--demo", "trust", "establish", "--cert", weak_path,
                   "--fqdn", "webext.contoso.com", "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "1024-bit"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--demo", "spn", "remove", "--from", SKYPE, SKYPE "/*.lync.com",
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "managed by Microsoft"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--demo", "spn", "remove", "--from", SKYPE, SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "managed by Microsoft"));
  tb_test_run_clear (&r);
}

/* The app reads what its own CLI writes: `pool status --json` is three levels deep and must not
 * be refused as nesting too deep (json_depth once counted every level twice). */
static void
test_pool_status_round_trip (void)
{
  g_auto(TbTestRun) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  GString *deep = g_string_new (NULL);

  tb_test_cli_run (NULL, &r, "--demo", "--json", "pool", "status", "--host", "pool.contoso.com",
                   NULL);
  g_assert_nonnull (strstr (r.out, "\"checks\""));

  state = tb_pool_state_new_from_data (r.out, strlen (r.out), &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);

  /* The limit itself still holds: 16 levels are read, 17 are not. */
  for (guint i = 0; i < 16; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 16; i++)
    g_string_append_c (deep, ']');
  g_clear_object (&state);
  state = tb_pool_state_new_from_data (deep->str, deep->len, &error);
  g_assert_false (g_error_matches (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_DEEP));
  g_clear_error (&error);
  g_clear_object (&state);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  state = tb_pool_state_new_from_data (deep->str, deep->len, &error);
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_DEEP);
  g_string_free (deep, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/guards/spn-rules", test_spn_rules);
  g_test_add_func ("/guards/remove-edit-refuses", test_remove_edit_refuses);
  g_test_add_func ("/guards/upload-rules", test_upload_rules);
  g_test_add_func ("/guards/cli-refuses", test_cli_refuses);
  g_test_add_func ("/pool/reads-own-status-output", test_pool_status_round_trip);

  return g_test_run ();
}
