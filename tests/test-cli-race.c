/* test-cli-race.c: trust-bridge-cli's write commands when another admin or the network interferes
 *
 * Every write command, on both principals, runs as a child process against a simulator with
 * faults switched on: another admin writing between our read and our PATCH (their entry must
 * survive), a stale writer whose PATCH lands just after ours (the loss is put back, named on
 * stderr, exit status 1), and a PATCH applied whose reply is dropped (success, the retry
 * said in the result). The faults fire on request counts on the principal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-guards.h"
#include "tb-sim-faults.h"
#include "tb-sim-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

typedef struct
{
  TbSim      *sim;
  const char *app_id;
  char       *endpoints;
  TbTestCli  *cli;
  char       *cert_path;
  GBytes     *cert_der;
  JsonObject *original;     /* the principal before any command */
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(JsonObject) sp = NULL;
  g_autofree char *old_spn = NULL;

  fx->app_id = data;
  old_spn = g_strconcat (fx->app_id, "/webext-old.contoso.com", NULL);
  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);

  /* Enabling has something to do on both principals. */
  sp = tb_sim_dup_service_principal (fx->sim, fx->app_id);
  json_object_set_boolean_member (sp, "accountEnabled", FALSE);
  /* Removing an SPN needs one an admin added (Microsoft's own are never removed): an older
   * pool's external web services. */
  json_array_add_string_element (json_object_get_array_member (sp, "servicePrincipalNames"),
                                 old_spn);
  /* Removing a credential needs others on the principal: the demo's Exchange Online holds none,
   * so it gets the ones Skype for Business Online holds (the pool's earlier certificates). */
  if (json_array_get_length (json_object_get_array_member (sp, "keyCredentials")) < 2)
    {
      g_autoptr(JsonObject) sfb = tb_sim_dup_service_principal (fx->sim, SKYPE);
      JsonArray *keys = json_object_get_array_member (sfb, "keyCredentials");

      json_object_set_array_member (sp, "keyCredentials", json_array_ref (keys));
    }
  tb_sim_put_service_principal (fx->sim, sp);
  fx->original = g_steal_pointer (&sp);

  fx->cert_der = tb_test_cert_make_ec ("pool-oauth.contoso.com");
  fx->cert_path = tb_test_write_bytes ("pool-oauth.cer", fx->cert_der);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
  g_free (fx->cert_path);
  g_bytes_unref (fx->cert_der);
  json_object_unref (fx->original);
}

/* ---- the commands ---------------------------------------------------------------------- */

typedef enum
{
  CMD_CREDENTIALS_ADD,
  CMD_CREDENTIALS_REMOVE,
  CMD_SPN_ADD,
  CMD_SPN_REMOVE,
  CMD_ENABLE,
  CMD_TRUST_ESTABLISH,
  N_COMMANDS
} Command;

static const char * const command_names[] = {
  "credentials add", "credentials remove", "spn add", "spn remove", "principals enable",
  "trust establish"
};

typedef struct
{
  char *removed;        /* key ID or SPN the command removes */
} Target;

static gboolean
uses_spns (Command cmd)
{
  return cmd == CMD_SPN_ADD || cmd == CMD_SPN_REMOVE;
}

static GStrv
command_args (Fixture *fx,
              Command  cmd,
              Target  *t)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add (b, "--json");
  switch (cmd)
    {
    case CMD_CREDENTIALS_ADD:
      g_strv_builder_addv (b, (const char *[]) { "credentials", "add", "--cert", fx->cert_path,
                                                 "--to", fx->app_id, NULL });
      break;
    case CMD_CREDENTIALS_REMOVE:
      {
        g_autoptr(JsonArray) keys = tb_test_sim_dup_array (fx->sim, fx->app_id, "keyCredentials");

        t->removed = g_strdup (json_object_get_string_member (json_array_get_object_element (keys, 0),
                                                              "keyId"));
        g_strv_builder_addv (b, (const char *[]) { "credentials", "remove", "--from", fx->app_id,
                                                   "--key-id", t->removed, NULL });
      }
      break;
    case CMD_SPN_ADD:
      g_strv_builder_addv (b, (const char *[]) { "spn", "add", "--to", fx->app_id,
                                                 "webext02.contoso.com", NULL });
      break;
    case CMD_SPN_REMOVE:
      {
        g_autoptr(JsonArray) names = tb_test_sim_dup_array (fx->sim, fx->app_id,
                                                            "servicePrincipalNames");

        for (guint i = 0; i < json_array_get_length (names) && t->removed == NULL; i++)
          if (tb_spn_check_removable (fx->app_id, json_array_get_string_element (names, i), NULL))
            t->removed = g_strdup (json_array_get_string_element (names, i));
        g_strv_builder_addv (b, (const char *[]) { "spn", "remove", "--from", fx->app_id,
                                                   t->removed, NULL });
      }
      break;
    case CMD_ENABLE:
      g_strv_builder_addv (b, (const char *[]) { "principals", "enable", fx->app_id, NULL });
      break;
    case CMD_TRUST_ESTABLISH:
      /* Opted in: the race covers the upload to either principal. */
      g_strv_builder_addv (b, (const char *[]) { "trust", "establish", "--cert", fx->cert_path,
                                                 "--fqdn", "webext02.contoso.com",
                                                 "--include-exchange", NULL });
      break;
    default:
      g_assert_not_reached ();
    }
  return g_strv_builder_end (b);
}

static void
assert_done (Fixture *fx,
             Command  cmd,
             Target  *t)
{
  g_autofree char *spn = g_strdup_printf ("%s/webext02.contoso.com", fx->app_id);
  g_autofree char *key_id = tb_test_sim_dup_key_id (fx->sim, fx->app_id, fx->cert_der);

  switch (cmd)
    {
    case CMD_CREDENTIALS_ADD:
      g_assert_nonnull (key_id);
      break;
    case CMD_CREDENTIALS_REMOVE:
      g_assert_false (tb_test_sim_has_key_id (fx->sim, fx->app_id, t->removed));
      break;
    case CMD_SPN_ADD:
      g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, spn));
      break;
    case CMD_SPN_REMOVE:
      g_assert_false (tb_test_sim_has_spn (fx->sim, fx->app_id, t->removed));
      break;
    case CMD_ENABLE:
      g_assert_true (tb_test_sim_is_enabled (fx->sim, fx->app_id));
      break;
    case CMD_TRUST_ESTABLISH:
      /* Both principals take the certificate; the Exchange one is enabled, the Skype one
       * takes the SPN. */
      g_assert_nonnull (key_id);
      if (g_str_equal (fx->app_id, EXO))
        g_assert_true (tb_test_sim_is_enabled (fx->sim, fx->app_id));
      else
        g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, spn));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
add_writer (Fixture        *fx,
            Command         cmd,
            TbSimFaultKind  kind,
            guint           nth,
            guint           read_at,
            GBytes         *der,
            const char     *spn)
{
  TbSimFault fault = { .kind = kind, .app_id = fx->app_id, .nth = nth, .read_at = read_at };

  if (uses_spns (cmd))
    fault.spn = spn;
  else
    {
      fault.certificate = der;
      fault.display_name = "Another admin";
    }
  tb_sim_add_fault (fx->sim, &fault);
}

static JsonObject *
change_for (JsonObject *result,
            const char *app_id)
{
  JsonArray *changes = json_object_get_array_member (result, "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "app_id"), app_id) &&
          !g_str_equal (json_object_get_string_member (change, "action"), "none"))
        return change;
    }
  g_assert_not_reached ();
}

/* Another admin writes just before our read before the PATCH, and our PATCH is applied but
 * its reply is lost: their entry survives, ours is made once, the retry is reported. */
static void
test_race_and_retry (Fixture       *fx,
                     gconstpointer  data)
{
  for (Command cmd = 0; cmd < N_COMMANDS; cmd++)
    {
      g_autofree char *spn = g_strdup_printf ("%s/other-%u.contoso.com", fx->app_id, cmd);
      g_autofree char *cn = g_strdup_printf ("other-%u.contoso.com", cmd);
      g_autoptr(GBytes) der = tb_test_cert_make_ec (cn);
      g_autoptr(JsonObject) result = NULL;
      g_autofree char *other_key = NULL;
      g_auto(GStrv) args = NULL;
      Target t = { NULL };
      JsonObject *change;
      TbTestRun r;

      g_test_message ("%s", command_names[cmd]);
      /* Each command starts from the same principal, with something to do. */
      tb_sim_put_service_principal (fx->sim, fx->original);
      args = command_args (fx, cmd, &t);
      add_writer (fx, cmd, TB_SIM_FAULT_OTHER_WRITER, 2, 0, der, spn);
      tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_DROP_AFTER, .method = "PATCH",
                                                 .app_id = fx->app_id, .nth = 1 });
      tb_test_cli_runv (fx->cli, &r, (const char * const *) args);
      if (r.status != 0)
        g_printerr ("%s\n", r.err);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);

      result = tb_test_parse_object (r.out);
      change = change_for (result, fx->app_id);
      g_assert_cmpint (json_object_get_int_member (change, "retries"), >=, 1);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (change, "restored")), ==, 0);
      assert_done (fx, cmd, &t);
      if (uses_spns (cmd))
        g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, spn));
      else
        {
          other_key = tb_test_sim_dup_key_id (fx->sim, fx->app_id, der);
          g_assert_nonnull (other_key);
        }
      tb_test_run_clear (&r);
      g_free (t.removed);
    }
}

/* A stale writer's PATCH lands just after ours and removes what a third admin added: put
 * back, named on stderr, exit status 1. */
static void
test_loss_reported (Fixture       *fx,
                    gconstpointer  data)
{
  for (Command cmd = 0; cmd < N_COMMANDS; cmd++)
    {
      g_autofree char *third_spn = g_strdup_printf ("%s/third-%u.contoso.com", fx->app_id, cmd);
      g_autofree char *other_spn = g_strdup_printf ("%s/other-%u.contoso.com", fx->app_id, cmd);
      g_autofree char *cn3 = g_strdup_printf ("third-%u.contoso.com", cmd);
      g_autofree char *cn2 = g_strdup_printf ("other-%u.contoso.com", cmd);
      g_autoptr(GBytes) third = tb_test_cert_make_ec (cn3);
      g_autoptr(GBytes) other = tb_test_cert_make_ec (cn2);
      g_autoptr(JsonObject) result = NULL;
      g_autofree char *third_key = NULL;
      g_autofree char *other_key = NULL;
      g_auto(GStrv) args = NULL;
      Target t = { NULL };
      JsonArray *restored;
      const char *named;
      TbTestRun r;

      g_test_message ("%s", command_names[cmd]);
      /* Each command starts from the same principal, with something to do. */
      tb_sim_put_service_principal (fx->sim, fx->original);
      args = command_args (fx, cmd, &t);
      add_writer (fx, cmd, TB_SIM_FAULT_OTHER_WRITER, 2, 0, third, third_spn);
      add_writer (fx, cmd, TB_SIM_FAULT_STALE_WRITER, 3, 1, other, other_spn);
      tb_test_cli_runv (fx->cli, &r, (const char * const *) args);
      g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);

      /* Never 0 after a loss; the entry is named where the admin reads. */
      g_test_message ("stderr: %s", r.err);
      g_assert_cmpint (r.status, ==, 1);
      if (uses_spns (cmd))
        named = third_spn;
      else
        named = third_key = tb_test_sim_dup_key_id (fx->sim, fx->app_id, third);
      g_assert_nonnull (named);
      g_assert_nonnull (strstr (r.err, named));
      g_assert_nonnull (strstr (r.err, "put back"));
      result = tb_test_parse_object (r.out);
      restored = json_object_get_array_member (change_for (result, fx->app_id), "restored");
      g_assert_cmpuint (json_array_get_length (restored), >=, 1);

      /* Everyone's entries are there, and the change asked for. */
      if (uses_spns (cmd))
        {
          g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, third_spn));
          g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, other_spn));
        }
      else
        {
          other_key = tb_test_sim_dup_key_id (fx->sim, fx->app_id, other);
          g_assert_nonnull (other_key);
        }
      assert_done (fx, cmd, &t);
      tb_test_run_clear (&r);
      g_free (t.removed);
    }
}

/* The human-readable result says a retry happened too. */
static void
test_retry_in_text (Fixture       *fx,
                    gconstpointer  data)
{
  const char *args[] = { "credentials", "add", "--cert", fx->cert_path, "--to", fx->app_id, NULL };
  TbTestRun r;

  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_STATUS, .method = "GET",
                                             .app_id = fx->app_id, .nth = 1, .status = 503 });
  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_TRUNCATE, .method = "PATCH",
                                             .app_id = fx->app_id, .nth = 1 });
  tb_test_cli_runv (fx->cli, &r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "add credential"));
  g_assert_nonnull (strstr (r.out, "sent again"));
  tb_test_run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  const char *principals[][2] = { { "skype", SKYPE }, { "exchange", EXO } };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (principals); i++)
    {
      g_autofree char *race = g_strdup_printf ("/cli-race/%s/race-and-retry", principals[i][0]);
      g_autofree char *loss = g_strdup_printf ("/cli-race/%s/loss-reported", principals[i][0]);
      g_autofree char *text = g_strdup_printf ("/cli-race/%s/retry-in-text", principals[i][0]);

#define ADD(path, func) \
  g_test_add (path, Fixture, principals[i][1], fixture_setup, func, fixture_teardown)
      ADD (race, test_race_and_retry);
      ADD (loss, test_loss_reported);
      ADD (text, test_retry_in_text);
#undef ADD
    }

  return g_test_run ();
}
