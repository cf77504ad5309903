/* tb-audit-page-export.c: the Audit page's Export CSV… and Export JSON…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-page-export"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-audit-page-private.h"
#include "tb-ui-util.h"

static GBytes *
export_bytes (TbAuditPage *self,
              gboolean     csv)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->findings->len; i++)
    g_ptr_array_add (sorted, g_object_ref (g_ptr_array_index (self->findings, i)));
  g_ptr_array_sort (sorted, tb_audit_finding_compare);
  if (csv)
    {
      GString *s = g_string_new (tb_audit_csv_header ());

      g_string_append (s, "\r\n");
      for (guint i = 0; i < sorted->len; i++)
        {
          g_autofree char *row = tb_audit_finding_to_csv (g_ptr_array_index (sorted, i));

          g_string_append (s, row);
          g_string_append (s, "\r\n");
        }
      return g_string_free_to_bytes (s);
    }
  else
    {
      g_autoptr(JsonNode) root = tb_audit_report_json (self->tenant_id,
                                                       tb_audit_get_scanned (self->audit), sorted);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *data;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      data = json_generator_to_data (generator, &length);
      return g_bytes_new_take (data, length);
    }
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TbAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The audit could not be saved: %s"),
                                               error->message);
      _tb_audit_page_show_error (self, text);
    }
}

void
tb_audit_page_export (TbAuditPage *self,
                      GFile       *file,
                      gboolean     csv)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TB_IS_AUDIT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->findings == NULL || self->audit == NULL || tb_audit_page_get_running (self))
    return;
  bytes = export_bytes (self, csv);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_export_done, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     TbAuditPage     *self)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file != NULL)
    tb_audit_page_export (self, file, self->chooser_csv);
}

void
_tb_audit_page_choose_export (TbAuditPage *self,
                              gboolean     csv)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (csv ? _("Export Audit as CSV")
                                                   : _("Export Audit as JSON"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     csv ? "trust-bridge-audit.csv" : "trust-bridge-audit.json");
  self->chooser_csv = csv;
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
