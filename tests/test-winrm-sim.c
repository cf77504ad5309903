/* test-winrm-sim.c: the WinRM client against the simulated Front End, over HTTPS on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-service-thread.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-util.h"
#include "tb-winrm-shell-private.h"

#define USER "labadmin"
#define PASSWORD "Corr3ct horse: b@ttery"
#define TENANT "7a3f5e2d-1b4c-4d8e-9f60-0a1b2c3d4e5f"
#define ACS "https://accounts.accesscontrol.windows.net"
#define WRONG_PIN "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"

/* Each test case gets a Front End of its own, with the simulator's bare pool. */
typedef TbTestWinrm Fixture;

static const TbTestWinrmSpec front_end = { USER, PASSWORD, TB_TEST_WINRM_POOL_BARE };

static TbWinrmResult *
run_with (TbWinrmShell        *shell,
          TbWinrmCommandKind   kind,
          const char          *text,
          guint                timeout_ms,
          GCancellable        *cancellable,
          GError             **error)
{
  GAsyncResult *result = NULL;
  TbWinrmResult *ret;

  tb_winrm_shell_run_async (shell, kind, text, timeout_ms, cancellable, tb_test_store_result,
                            &result);
  tb_test_wait_for (&result, "tb_winrm_shell_run");
  ret = tb_winrm_shell_run_finish (shell, result, error);
  g_object_unref (result);
  return ret;
}

static TbWinrmShell *
basic_shell (Fixture    *f,
             const char *password,
             const char *pin)
{
  return tb_winrm_shell_new ("localhost", tb_sim_winrm_get_port (f->sim), TB_WINRM_AUTH_BASIC,
                             USER, password, pin);
}

/* A shell set up right: the account's password and the Front End's certificate pinned. */
static TbWinrmShell *
good_shell (Fixture *f)
{
  return basic_shell (f, PASSWORD, tb_sim_winrm_get_fingerprint (f->sim));
}

static TbWinrmResult *
run_ps (Fixture     *f,
        const char  *script,
        GError     **error)
{
  g_autoptr(TbWinrmShell) shell = good_shell (f);

  return run_with (shell, TB_WINRM_COMMAND_POWERSHELL, script, 20000, NULL, error);
}

static char *
stdout_text (TbWinrmResult *result)
{
  GBytes *out = tb_winrm_result_get_stdout (result);

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/* The state document from the marker line of a script's output. */
static JsonObject *
state_from (TbWinrmResult *result)
{
  g_autofree char *out = stdout_text (result);
  g_auto(GStrv) lines = g_strsplit (out, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "TRUSTBRIDGE-STATE:"))
      {
        gsize len;
        g_autofree char *json = (char *) g_base64_decode (lines[i] + 18, &len);
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) error = NULL;

        json_parser_load_from_data (parser, json, len, &error);
        g_assert_no_error (error);
        return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
      }
  g_assert_not_reached ();
  return NULL;
}

/* The same output through the app's own state parser and checks. */
static TbPoolCheckResult
checks_of (TbWinrmResult *result)
{
  g_autoptr(GError) error = NULL;
  GBytes *out = tb_winrm_result_get_stdout (result);
  g_autoptr(TbPoolState) state = tb_pool_state_new_from_output (g_bytes_get_data (out, NULL),
                                                                g_bytes_get_size (out), &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) checks = NULL;

  g_assert_no_error (error);
  checks = tb_pool_state_check (state, TENANT, ACS, now, 30, &error);
  g_assert_no_error (error);
  return tb_pool_checks_summary (checks);
}

static const char *
oauth_url (JsonObject *state)
{
  JsonArray *servers = json_object_get_array_member (state, "oauthServers");

  return json_object_get_string_member (json_array_get_object_element (servers, 0),
                                        "metadataUrl");
}

static void
test_basic_run (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) result = NULL;
  g_autofree char *out = NULL;
  GBytes *err;

  result = run_ps (f, "$ProgressPreference='SilentlyContinue'\n"
                      "Write-Output 'h\xc3\xa9llo \xe2\x9c\x93'; Write-Output \"line`ttwo\"", &error);
  g_assert_no_error (error);
  out = stdout_text (result);
  g_assert_cmpstr (out, ==, "h\xc3\xa9llo \xe2\x9c\x93\r\nline\ttwo\r\n");
  g_assert_cmpint (tb_winrm_result_get_exit_code (result), ==, 0);
  /* Progress noise arrived on stderr and was dropped from the error text. */
  err = tb_winrm_result_get_stderr (result);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (err, NULL), "#< CLIXML\r\n"));
  g_assert_cmpstr (tb_winrm_result_get_error_text (result), ==, "");

  /* The sim saw the script itself, Basic as our user, the priming request, and the shell
   * was terminated and deleted. */
  g_assert_true (g_str_has_prefix (tb_sim_winrm_get_last_command (f->sim),
                                   "$ProgressPreference='SilentlyContinue'\n"));
  g_assert_cmpstr (tb_sim_winrm_get_last_principal (f->sim), ==, USER);
  g_assert_cmpuint (tb_sim_winrm_get_empty_requests (f->sim), ==, 1);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
}

static void
test_long_output_chunks (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) result = NULL;
  GString *text = g_string_new (NULL);
  g_autofree char *script = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;

  /* Two- and three-byte characters: the sim's odd chunk sizes cut through them. */
  for (int i = 0; i < 600; i++)
    g_string_append (text, i % 3 ? "\xc3\xa9" : "\xe2\x82\xac");
  script = g_strdup_printf ("Write-Output '%s'\nWrite-Output 'end'", text->str);
  expected = g_strdup_printf ("%s\r\nend\r\n", text->str);
  g_string_free (text, TRUE);

  result = run_ps (f, script, &error);
  g_assert_no_error (error);
  out = stdout_text (result);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_command_line_and_exit_codes (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(TbWinrmShell) shell = good_shell (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) a = NULL;
  g_autoptr(TbWinrmResult) b = NULL;
  g_autoptr(TbWinrmResult) c = NULL;
  g_autofree char *out = NULL;

  a = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
  g_assert_no_error (error);
  out = stdout_text (a);
  g_assert_cmpstr (out, ==, "FE01\r\n");

  /* A second run on the same object reuses the authenticated session: no new priming. */
  b = run_with (shell, TB_WINRM_COMMAND_POWERSHELL, "Write-Output 'x'\nexit 3", 20000, NULL,
                &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_winrm_result_get_exit_code (b), ==, 3);
  g_assert_cmpuint (tb_sim_winrm_get_empty_requests (f->sim), ==, 1);

  /* Unknown commands fail as PowerShell does: exit 1 and the error decoded from CLIXML. */
  c = run_with (shell, TB_WINRM_COMMAND_POWERSHELL, "Frobnicate-Thing -Now", 20000, NULL,
                &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_winrm_result_get_exit_code (c), ==, 1);
  g_assert_true (g_str_has_prefix (tb_winrm_result_get_error_text (c),
                                   "Frobnicate-Thing : The term 'Frobnicate-Thing' is not "
                                   "recognized as the name of a cmdlet"));
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
}

static void
test_pool_read_and_apply (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  g_autofree char *apply = tb_pool_script_new_apply (TENANT, ACS, FALSE,
                                                     TB_POOL_SCRIPT_FORM_TRANSPORT, &error);
  g_autofree char *dry = tb_pool_script_new_apply (TENANT, ACS, TRUE,
                                                   TB_POOL_SCRIPT_FORM_TRANSPORT, &error);
  g_autoptr(TbWinrmResult) r1 = NULL;
  g_autoptr(TbWinrmResult) r2 = NULL;
  g_autoptr(TbWinrmResult) r3 = NULL;
  g_autoptr(TbWinrmResult) r4 = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *dry_out = NULL;
  const char *want = ACS "/" TENANT "/metadata/json/1";

  g_assert_no_error (error);

  /* Status: the demo pool points microsoft.sts at another tenant. */
  r1 = run_ps (f, read, &error);
  g_assert_no_error (error);
  before = state_from (r1);
  g_assert_cmpint (json_object_get_int_member (before, "schema"), ==, 2);
  g_assert_cmpstr (oauth_url (before), !=, want);
  g_assert_cmpint (checks_of (r1), ==, TB_POOL_CHECK_FAILED);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (before, "server"),
                                                  "module"), ==, "SkypeForBusiness");

  /* Dry run: says what it would do, changes nothing. */
  r2 = run_ps (f, dry, &error);
  g_assert_no_error (error);
  dry_out = stdout_text (r2);
  g_assert_nonnull (strstr (dry_out, "What if: Performing the operation \"Set-CsOAuthServer\""));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);

  /* Apply: one change, and the state it prints shows it. */
  r3 = run_ps (f, apply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_winrm_result_get_exit_code (r3), ==, 0);
  after = state_from (r3);
  g_assert_cmpstr (oauth_url (after), ==, want);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);
  g_assert_cmpint (checks_of (r3), ==, TB_POOL_CHECK_OK);

  /* Second apply: nothing left to change. */
  r4 = run_ps (f, apply, &error);
  g_assert_no_error (error);
  again = state_from (r4);
  g_assert_cmpstr (oauth_url (again), ==, want);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
}

static void
test_receive_timeouts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) result = NULL;
  g_autoptr(TbWinrmShell) shell = good_shell (f);
  g_autofree char *out = NULL;
  TbWinrmResult *none;

  tb_sim_winrm_set_receive_timeouts (f->sim, 4);
  result = run_ps (f, "Write-Output 'late'", &error);
  g_assert_no_error (error);
  out = stdout_text (result);
  g_assert_cmpstr (out, ==, "late\r\n");

  /* A command that never produces anything runs into our own deadline, and the shell is
   * still deleted afterwards. */
  tb_sim_winrm_set_receive_timeouts (f->sim, G_MAXUINT);
  none = run_with (shell, TB_WINRM_COMMAND_POWERSHELL, "Write-Output 'never'", 300, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TIMEOUT);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmShell) shell = good_shell (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *result = NULL;
  TbWinrmResult *none;

  tb_sim_winrm_set_receive_timeouts (f->sim, G_MAXUINT);
  tb_winrm_shell_run_async (shell, TB_WINRM_COMMAND_POWERSHELL, "Write-Output 'x'", 20000,
                            cancellable, tb_test_store_result, &result);
  /* Let it get as far as polling, then cancel. */
  while (tb_sim_winrm_get_commands_run (f->sim) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  tb_test_wait_for (&result, "tb_winrm_shell_run");
  none = tb_winrm_shell_run_finish (shell, result, &error);
  g_object_unref (result);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  struct {
    TbSimWinrmFault fault;
    TbWinrmError    code;
    const char     *fault_code;
  } cases[] = {
    { TB_SIM_WINRM_FAULT_SHELL_DISABLED, TB_WINRM_ERROR_SHELL_DISABLED, "2147942405" },
    { TB_SIM_WINRM_FAULT_TOO_MANY_SHELLS, TB_WINRM_ERROR_TOO_MANY_SHELLS, "2150859173" },
    { TB_SIM_WINRM_FAULT_COMMAND_TOO_LONG, TB_WINRM_ERROR_COMMAND_TOO_LONG, "2147942606" },
    { TB_SIM_WINRM_FAULT_SHELL_NOT_FOUND, TB_WINRM_ERROR_FAULT, "2150858843" },
    { TB_SIM_WINRM_FAULT_UNAUTHORIZED, TB_WINRM_ERROR_BAD_CREDENTIALS, "HTTP 401" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      TbWinrmResult *none;

      tb_sim_winrm_inject_fault (f->sim, cases[i].fault, 1);
      none = run_ps (f, "Write-Output 'x'", &error);
      g_test_message ("fault %d: %s", cases[i].fault, error ? error->message : "(none)");
      g_assert_null (none);
      g_assert_error (error, TB_WINRM_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (tb_winrm_error_get_fault_code (error), ==, cases[i].fault_code);
      /* Whatever failed, no shell is left behind for the quota. */
      g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
    }

  /* The real quota, not an injected fault: shells that are never deleted use it up. */
  {
    g_autoptr(GError) error = NULL;
    TbWinrmResult *none;

    tb_sim_winrm_set_max_shells (f->sim, 0);
    none = run_ps (f, "Write-Output 'x'", &error);
    g_assert_null (none);
    g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TOO_MANY_SHELLS);
    g_assert_nonnull (strstr (tb_winrm_error_get_detail (error), "maximum number of 0"));
  }
}

static void
test_module_missing_and_double_hop (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *apply = tb_pool_script_new_apply (TENANT, ACS, FALSE,
                                                     TB_POOL_SCRIPT_FORM_TRANSPORT, &error);
  TbWinrmResult *none;

  g_assert_no_error (error);

  tb_sim_winrm_set_module (f->sim, NULL);
  none = run_ps (f, apply, &error);
  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_MODULE_MISSING);
  g_assert_nonnull (strstr (tb_winrm_error_get_detail (error), "no SkypeForBusiness or Lync"));
  g_clear_error (&error);

  none = run_ps (f, "Get-CsOAuthServer", &error);
  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_MODULE_MISSING);
  g_clear_error (&error);

  tb_sim_winrm_set_module (f->sim, "SkypeForBusiness");
  tb_sim_winrm_set_double_hop (f->sim, TRUE);
  none = run_ps (f, apply, &error);
  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP);
  g_assert_nonnull (strstr (tb_winrm_error_get_detail (error), "ANONYMOUS LOGON"));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbWinrmShell) shell = basic_shell (f, "wrong", tb_sim_winrm_get_fingerprint (f->sim));
  g_autoptr(GError) error = NULL;
  TbWinrmResult *none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);

  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_BAD_CREDENTIALS);
  /* Refused at the priming request: no shell was ever created, no command ran. */
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
  g_assert_null (strstr (error->message, "wrong"));
}

static void
test_tls_pinning (Fixture       *f,
                  gconstpointer  data)
{
  const char *real = tb_sim_winrm_get_fingerprint (f->sim);
  g_autoptr(GError) error = NULL;
  TbWinrmResult *none;

  /* A pin that does not match: refused as a changed certificate, before any credentials. */
  {
    g_autoptr(TbWinrmShell) shell = basic_shell (f, PASSWORD, WRONG_PIN);

    none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_CHANGED);
    g_assert_cmpstr (tb_winrm_error_get_fingerprint (error), ==, real);
    g_assert_nonnull (strstr (error->message, real));
    g_clear_error (&error);
  }

  /* No pin: the self-signed certificate is not trusted, and the error shows what to pin. */
  {
    g_autoptr(TbWinrmShell) shell = basic_shell (f, PASSWORD, NULL);

    none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_UNTRUSTED);
    g_assert_cmpstr (tb_winrm_error_get_fingerprint (error), ==, real);
    g_clear_error (&error);
  }

  /* The pin as an admin might paste it: lower case with colons. */
  {
    GString *pasted = g_string_new (NULL);
    g_autoptr(TbWinrmShell) shell = NULL;
    g_autoptr(TbWinrmResult) result = NULL;

    for (guint i = 0; i < 64; i += 2)
      g_string_append_printf (pasted, "%s%c%c", i ? ":" : "", g_ascii_tolower (real[i]),
                              g_ascii_tolower (real[i + 1]));
    shell = basic_shell (f, PASSWORD, pasted->str);
    g_string_free (pasted, TRUE);
    result = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 1);
}

static gboolean
on_plain_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_http_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://localhost:%u/wsman",
                                          tb_sim_winrm_get_port (f->sim));
  const char *real = tb_sim_winrm_get_fingerprint (f->sim);
  TbWinrmResult *none;

  {
    g_autoptr(TbWinrmShell) shell = tb_winrm_shell_new (url, 0, TB_WINRM_AUTH_BASIC, USER,
                                                        PASSWORD, real);

    none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_INSECURE);
    g_clear_error (&error);
  }
  {
    g_autoptr(TbWinrmShell) shell = tb_winrm_shell_new ("fe01.contoso.local", 5985,
                                                        TB_WINRM_AUTH_BASIC, USER, PASSWORD,
                                                        NULL);

    none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_INSECURE);
    g_clear_error (&error);
  }
  /* A listener that answers plain HTTP where TLS was expected (as HTTP.sys answers a
   * ClientHello on port 5985: 400 and close) is refused too. */
  {
    g_autoptr(GSocketService) plain = g_socket_service_new ();
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autoptr(TbWinrmShell) shell = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (plain), any, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
    g_assert_no_error (error);
    g_signal_connect (plain, "incoming", G_CALLBACK (on_plain_incoming), NULL);
    g_socket_service_start (plain);
    shell = tb_winrm_shell_new ("127.0.0.1",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                                TB_WINRM_AUTH_BASIC, USER, PASSWORD, real);
    none = run_with (shell, TB_WINRM_COMMAND_LINE, "hostname", 20000, NULL, &error);
    g_assert_null (none);
    /* GnuTLS reports either "not TLS" or an unexpected packet, depending on what it read. */
    if (!g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_INSECURE))
      {
        g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_CONNECT);
        g_assert_nonnull (strstr (error->message, "HTTPS listener (port 5986)"));
      }
    g_socket_service_stop (plain);
  }
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
}

static void
test_too_long_refused_locally (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strnfill (3200, 'x');
  TbWinrmResult *none = run_ps (f, script, &error);

  g_assert_null (none);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_COMMAND_TOO_LONG);
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
}

static gboolean
start_sim_on_thread (gpointer   data,
                     GError   **error)
{
  return tb_sim_winrm_start (data, 0, error);
}

static void
stop_sim_on_thread (gpointer data)
{
  tb_sim_winrm_stop (data);
}

/* A run does its work — TLS, authentication, every step and the shell's deletion — on a thread
 * of its own, so the caller's main loop stays free (a window keeps painting): here the whole
 * command runs on a Front End served from another thread while this thread does not turn its
 * main loop once. Only the result waits for it. */
static void
test_runs_off_caller_thread (void)
{
  g_autoptr(TbSimWinrm) sim = tb_test_sim_winrm_new (USER, PASSWORD);
  g_autoptr(TbServiceThread) thread = NULL;
  g_autoptr(TbWinrmShell) shell = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) result = NULL;
  g_autofree char *out = NULL;
  GAsyncResult *async_result = NULL;

  thread = tb_service_thread_new ("sim", start_sim_on_thread, stop_sim_on_thread, NULL, sim);
  g_assert_true (tb_service_thread_wait (thread, &error));
  g_assert_no_error (error);
  shell = tb_winrm_shell_new ("localhost", tb_sim_winrm_get_port (sim), TB_WINRM_AUTH_BASIC,
                              USER, PASSWORD, tb_sim_winrm_get_fingerprint (sim));

  tb_winrm_shell_run_async (shell, TB_WINRM_COMMAND_POWERSHELL, "Write-Output 'away'", 20000,
                            NULL, tb_test_store_result, &async_result);
  for (guint i = 0; i < 3000; i++)
    {
      if (tb_sim_winrm_get_commands_run (sim) == 1 && tb_sim_winrm_get_open_shells (sim) == 0)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_null (async_result);
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (sim), ==, 1);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (sim), ==, 0);

  tb_test_wait_for (&async_result, "tb_winrm_shell_run");
  result = tb_winrm_shell_run_finish (shell, async_result, &error);
  g_object_unref (async_result);
  g_assert_no_error (error);
  out = stdout_text (result);
  g_assert_cmpstr (out, ==, "away\r\n");

  g_clear_object (&shell);
  g_clear_pointer (&thread, tb_service_thread_free);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) tb_test_add_winrm (path, &front_end, func)
  ADD ("/winrm-sim/basic-run", test_basic_run);
  ADD ("/winrm-sim/long-output-chunks", test_long_output_chunks);
  ADD ("/winrm-sim/command-line-and-exit-codes", test_command_line_and_exit_codes);
  ADD ("/winrm-sim/pool-read-and-apply", test_pool_read_and_apply);
  ADD ("/winrm-sim/receive-timeouts", test_receive_timeouts);
  ADD ("/winrm-sim/cancel", test_cancel);
  ADD ("/winrm-sim/faults", test_faults);
  ADD ("/winrm-sim/module-missing-and-double-hop", test_module_missing_and_double_hop);
  ADD ("/winrm-sim/wrong-password", test_wrong_password);
  ADD ("/winrm-sim/tls-pinning", test_tls_pinning);
  ADD ("/winrm-sim/http-refused", test_http_refused);
  ADD ("/winrm-sim/too-long-refused-locally", test_too_long_refused_locally);
#undef ADD
  g_test_add_func ("/winrm-sim/runs-off-caller-thread", test_runs_off_caller_thread);

  return g_test_run ();
}
