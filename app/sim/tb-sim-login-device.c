/* tb-sim-login-device.c: the device authorization endpoint and the page where a user
 * enters the code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-login-device"

#include "config.h"


#include "tb-dl-gnutls.h"
#include "tb-dl-soup.h"
#include "tb-sim-login-private.h"

static char *
make_user_code (void)
{
  /* No vowels or look-alikes: codes people type from another screen. */
  static const char alphabet[] = "BCDFGHJKLMNPQRSTVWXZ23456789";
  guint8 rnd[9];
  char code[10];

  gnutls_rnd (GNUTLS_RND_KEY, rnd, sizeof rnd);
  for (guint i = 0; i < 9; i++)
    code[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
  code[9] = '\0';
  return g_strdup (code);
}

void
_tb_sim_login_handle_devicecode (TbSim             *self,
                                 SoupServerMessage *msg,
                                 const char        *tenant)
{
  g_autoptr(GHashTable) form = _tb_sim_login_read_form (msg);
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *scope = g_hash_table_lookup (form, "scope");
  g_auto(Scopes) scopes = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *verification_uri = NULL;
  g_autofree char *message = NULL;
  TbSimDeviceCode *code;

  if (!_tb_sim_login_check_client_id (self, msg, client_id) ||
      !_tb_sim_login_check_scopes (self, msg, scope, &scopes))
    return;

  code = g_new0 (TbSimDeviceCode, 1);
  code->device_code = tb_sim_random_token (96);
  do
    {
      g_free (code->user_code);
      code->user_code = make_user_code ();
    }
  while (g_hash_table_contains (self->user_codes, code->user_code));
  code->client_id = g_strdup (client_id);
  code->scope = g_strdup (scope);
  code->tenant = g_strdup (tenant);
  code->interval = self->device_interval;
  code->expires_at = g_get_monotonic_time () + (gint64) self->device_lifetime * G_USEC_PER_SEC;
  code->state = TB_SIM_DEVICE_PENDING;
  g_hash_table_insert (self->device_codes, code->device_code, code);
  g_hash_table_insert (self->user_codes, code->user_code, code);

  verification_uri = g_strdup_printf ("%s/devicelogin", self->login_base);
  message = g_strdup_printf ("To sign in, use a web browser to open the page %s and enter the "
                             "code %s to authenticate.", verification_uri, code->user_code);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user_code");
  json_builder_add_string_value (b, code->user_code);
  json_builder_set_member_name (b, "device_code");
  json_builder_add_string_value (b, code->device_code);
  json_builder_set_member_name (b, "verification_uri");
  json_builder_add_string_value (b, verification_uri);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, self->device_lifetime);
  json_builder_set_member_name (b, "interval");
  json_builder_add_int_value (b, code->interval);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
}

static const char devicelogin_form[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Enter code</title></head><body>"
  "<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>"
  "<form method=\"post\"><input name=\"user_code\" autocomplete=\"off\" autofocus>"
  "<button name=\"action\" value=\"approve\" type=\"submit\">Next</button>"
  "<button name=\"action\" value=\"decline\" type=\"submit\">Decline</button>"
  "</form></body></html>\n";

void
_tb_sim_login_handle_devicelogin (TbSim             *self,
                                  SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  const char *user_code;
  const char *action;
  g_autofree char *normalized = NULL;
  g_autofree char *trimmed = NULL;
  TbSimDeviceCode *code;

  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           devicelogin_form);
      return;
    }

  form = _tb_sim_login_read_form (msg);
  user_code = g_hash_table_lookup (form, "user_code");
  if (user_code == NULL)
    user_code = g_hash_table_lookup (form, "otc");
  action = g_hash_table_lookup (form, "action");
  trimmed = g_strstrip (g_strdup (user_code ? user_code : ""));
  normalized = g_ascii_strup (trimmed, -1);
  code = g_hash_table_lookup (self->user_codes, normalized);

  if (code == NULL || code->state != TB_SIM_DEVICE_PENDING ||
      g_get_monotonic_time () >= code->expires_at)
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>Enter code</h1><p>That code didn't "
                           "work. Check the code and try again.</p></body></html>\n");
      return;
    }

  if (g_strcmp0 (action, "decline") == 0)
    {
      code->state = TB_SIM_DEVICE_DECLINED;
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>Sign-in cancelled</h1><p>You can "
                           "close this window.</p></body></html>\n");
    }
  else
    {
      code->state = TB_SIM_DEVICE_APPROVED;
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>You have signed in</h1><p>You have "
                           "signed in to the application on your device. You may now close "
                           "this window.</p></body></html>\n");
    }
}
