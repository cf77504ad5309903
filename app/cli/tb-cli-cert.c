/* tb-cli-cert.c: trust-bridge-cli cert …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-cert"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-certificate-loader.h"
#include "tb-cli.h"
#include "tb-cli-labels.h"
#include "tb-format.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_certificate_json (JsonBuilder   *builder,
                      const char    *file,
                      TbCertificate *cert,
                      GDateTime     *now,
                      guint          warn_days)
{
  g_autofree char *not_before = tb_format_iso8601_utc (tb_certificate_get_not_before (cert));
  g_autofree char *not_after = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
  g_autofree char *base64 = tb_certificate_dup_base64 (cert);
  TbCertificateStatus status = tb_certificate_get_status (cert, now, warn_days);

  json_builder_begin_object (builder);
  add_string (builder, "file", file);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, tb_certificate_get_index (cert));
  add_string (builder, "subject", tb_certificate_get_subject (cert));
  add_string (builder, "issuer", tb_certificate_get_issuer (cert));
  add_string (builder, "serial", tb_certificate_get_serial (cert));
  add_string (builder, "not_before", not_before);
  add_string (builder, "not_after", not_after);
  add_string (builder, "sha1", tb_certificate_get_sha1 (cert));
  add_string (builder, "sha256", tb_certificate_get_sha256 (cert));
  add_string (builder, "key_algorithm", tb_certificate_get_key_algorithm (cert));
  json_builder_set_member_name (builder, "key_bits");
  json_builder_add_int_value (builder, tb_certificate_get_key_bits (cert));
  json_builder_set_member_name (builder, "self_signed");
  json_builder_add_boolean_value (builder, tb_certificate_get_self_signed (cert));
  add_string (builder, "status", tb_certificate_status_to_string (status));
  add_string (builder, "base64", base64);
  json_builder_end_object (builder);
}

static void
print_list (guint               width,
            const char         *label,
            const char * const *items)
{
  if (items == NULL || items[0] == NULL)
    return;

  tb_cli_print_field (width, label, items[0]);
  for (guint i = 1; items[i] != NULL; i++)
    tb_cli_print_field (width, "", items[i]);
}

static void
print_certificate_text (const char    *file,
                        TbCertificate *cert,
                        GDateTime     *now,
                        guint          warn_days)
{
  g_autofree char *from = tb_format_local (tb_certificate_get_not_before (cert));
  g_autofree char *to = tb_format_local (tb_certificate_get_not_after (cert));
  g_autofree char *phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (cert),
                                                      tb_certificate_get_not_after (cert), now);
  g_autofree char *until = NULL;
  g_autofree char *base64 = tb_certificate_dup_base64 (cert);
  g_autofree char *key = NULL;
  TbCertificateStatus status = tb_certificate_get_status (cert, now, warn_days);
  const char *labels[] = {
    _("Subject:"), _("Issuer:"), _("Serial:"), _("Valid from:"), _("Valid until:"),
    _("Status:"), _("Thumbprint (SHA-1):"), _("SHA-256:"), _("Key:"), _("Signature:"),
    _("Self-signed:"), _("Alternative names:"), _("Key usage:"), _("Extended key usage:"),
    _("Upload value:"),
  };
  guint width = tb_cli_label_width (22, labels, G_N_ELEMENTS (labels));

  key = g_strdup_printf (_("%s, %u bits"), tb_certificate_get_key_algorithm (cert),
                         tb_certificate_get_key_bits (cert));
  until = g_strdup_printf ("%s (%s)", to, phrase);

  printf ("%s [%u]: %s\n", file, tb_certificate_get_index (cert),
          tb_certificate_get_common_name (cert));
  tb_cli_print_field (width, _("Subject:"), tb_certificate_get_subject (cert));
  tb_cli_print_field (width, _("Issuer:"), tb_certificate_get_issuer (cert));
  tb_cli_print_field (width, _("Serial:"), tb_certificate_get_serial (cert));
  tb_cli_print_field (width, _("Valid from:"), from);
  tb_cli_print_field (width, _("Valid until:"), until);
  tb_cli_print_field (width, _("Status:"), tb_certificate_status_get_label (status));
  tb_cli_print_field (width, _("Thumbprint (SHA-1):"), tb_certificate_get_sha1 (cert));
  tb_cli_print_field (width, _("SHA-256:"), tb_certificate_get_sha256 (cert));
  tb_cli_print_field (width, _("Key:"), key);
  if (tb_certificate_has_weak_key (cert))
    tb_cli_print_field (width, "", _("Warning: Skype for Business Server requires RSA keys of "
                                     "at least 2048 bits."));
  tb_cli_print_field (width, _("Signature:"), tb_certificate_get_signature_algorithm (cert));
  tb_cli_print_field (width, _("Self-signed:"),
                      tb_certificate_get_self_signed (cert) ? _("yes") : _("no"));
  print_list (width, _("Alternative names:"), tb_certificate_get_subject_alt_names (cert));
  print_list (width, _("Key usage:"), tb_certificate_get_key_usages (cert));
  print_list (width, _("Extended key usage:"), tb_certificate_get_extended_key_usages (cert));
  tb_cli_print_field (width, _("Upload value:"), base64);
  printf ("\n");
}

int
tb_cli_cert_inspect (TbCliInvocation *inv)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint warn_days = tb_context_get_warn_days (inv->context);
  gboolean failed = FALSE;

  if (inv->args[0] == NULL)
    {
      tb_cli_error (_("cert inspect needs at least one certificate file"));
      return TB_CLI_EXIT_ERROR;
    }

  if (inv->json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }

  for (guint i = 0; inv->args[i] != NULL; i++)
    {
      const char *path = inv->args[i];
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      g_autoptr(GPtrArray) certs = NULL;
      g_autoptr(GError) error = NULL;

      certs = tb_certificate_load_file (file, NULL, &error);
      if (certs == NULL)
        {
          failed = TRUE;
          if (inv->json)
            {
              json_builder_begin_object (builder);
              add_string (builder, "file", path);
              add_string (builder, "error", error->message);
              json_builder_end_object (builder);
            }
          else
            tb_cli_error ("%s", error->message);
          continue;
        }

      for (guint j = 0; j < certs->len; j++)
        {
          if (inv->json)
            add_certificate_json (builder, path, g_ptr_array_index (certs, j), now, warn_days);
          else
            print_certificate_text (path, g_ptr_array_index (certs, j), now, warn_days);
        }
    }

  if (inv->json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      tb_cli_print_json (root);
    }

  return failed ? TB_CLI_EXIT_ERROR : TB_CLI_EXIT_OK;
}
