/* fuzz-auth.c: token and device-code replies of the sign-in service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is read as the body of a token reply (read and write access) and of a device-code
 * reply, through the same JSON gate and readers TbAuth uses.
 */
#include "config.h"

#include "fuzz.h"
#include "tb-auth-private.h"
#include "tb-http.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  reply = tb_http_parse_json_object (body, TB_HTTP_MAX_LOGIN_REPLY, &error);
  if (reply == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  for (TbAuthAccess access = TB_AUTH_ACCESS_READ; access <= TB_AUTH_ACCESS_WRITE; access++)
    {
      TbAuthTokenReply token;
      g_autoptr(GError) token_error = NULL;

      if (tb_auth_read_token_reply (reply, access, &token, &token_error))
        {
          g_assert_cmpint (token.expires_in, >, 0);
          g_assert_cmpint (token.expires_in, <=, 2 * 24 * 3600);
          g_assert_nonnull (token.access_token);
          /* The refresh moment is computed from this: it must not overflow. */
          g_assert_cmpint (g_get_real_time () + token.expires_in * G_USEC_PER_SEC, >, 0);
          g_assert_true (token.account == NULL || g_utf8_validate (token.account, -1, NULL));
          tb_auth_token_reply_clear (&token);
        }
      else
        g_assert_nonnull (token_error);
    }

  {
    TbAuthDeviceCodeReply device;
    g_autoptr(GError) device_error = NULL;

    if (tb_auth_read_device_code_reply (reply, &device, &device_error))
      {
        g_assert_cmpint (device.expires_in, >, 0);
        g_assert_cmpint (device.expires_in, <=, 3600);
        g_assert_cmpuint (device.interval, >=, 1);
        g_assert_cmpuint (device.interval, <=, 60);
      }
    else
      g_assert_nonnull (device_error);
  }

  return 0;
}
