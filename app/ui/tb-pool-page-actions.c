/* tb-pool-page-actions.c: the On-premises Pool page's scripts and Apply
 *
 * The read and apply scripts for the round trip through a file, and Apply over the live
 * connection: dry run, preview, confirmation, apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-page-actions"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-format.h"
#include "tb-pool-client.h"
#include "tb-pool-connection.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script.h"
#include "tb-tenant.h"
#include "tb-row-layout.h"
#include "tb-ui-util.h"
#include "tb-winrm-shell.h"

/* Scripts ------------------------------------------------------------------------------------ */

static void
on_script_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbPoolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (_tb_pool_page_is_cancelled (error))
        return;
      _tb_pool_page_set_busy (self, FALSE);
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("“%s” was not saved"), name);
      _tb_pool_page_show_error (self, text, error, RETRY_NONE, NULL);
      return;
    }
  _tb_pool_page_set_busy (self, FALSE);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved “%s”: run it on a Front End"), name);
  tb_widget_show_toast (GTK_WIDGET (self), text);
}

static void
write_script (TbPoolPage *self,
              GFile      *file,
              char       *script)
{
  gsize length = strlen (script);

  _tb_pool_page_set_busy (self, TRUE);
  g_file_replace_contents_bytes_async (file, g_bytes_new_take (script, length), NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       tb_page_get_cancellable (TB_PAGE (self)),
                                       on_script_written, g_object_ref (self));
}

void
tb_pool_page_export_read_script (TbPoolPage *self,
                                 GFile      *file)
{
  g_return_if_fail (TB_IS_POOL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  write_script (self, file, tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT));
}

void
tb_pool_page_export_apply_script (TbPoolPage *self,
                                  GFile      *file)
{
  g_autoptr(GError) error = NULL;
  char *script;

  g_return_if_fail (TB_IS_POOL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  script = tb_pool_script_new_apply (self->tenant_id, _tb_pool_page_acs_base (self), FALSE,
                                     TB_POOL_SCRIPT_FORM_EXPORT, &error);
  if (script == NULL)
    {
      _tb_pool_page_show_error (self, _("The apply script could not be made"), error, RETRY_NONE, NULL);
      return;
    }
  write_script (self, file, script);
}

static void
on_save_response (TbPoolPage *self,
                  int         response)
{
  gboolean apply = self->chooser_apply;
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file == NULL)
    return;
  if (apply)
    tb_pool_page_export_apply_script (self, file);
  else
    tb_pool_page_export_read_script (self, file);
}

static void
choose_script_file (TbPoolPage *self,
                    gboolean    apply)
{
  tb_file_chooser_clear (&self->chooser);
  self->chooser = tb_script_chooser_new (_tb_pool_page_parent_window (self),
                                         apply ? _("Export Apply Script")
                                               : _("Export Read Script"),
                                         apply ? "trust-bridge-apply.ps1"
                                               : "trust-bridge-read.ps1");
  self->chooser_apply = apply;
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_tb_pool_page_export_read_script (TbPoolPage *self)
{
  choose_script_file (self, FALSE);
}

void
_tb_pool_page_export_apply_script (TbPoolPage *self)
{
  choose_script_file (self, TRUE);
}

static void
on_open_response (TbPoolPage *self,
                  int         response)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file != NULL)
    tb_pool_page_load_file (self, file);
}

void
tb_pool_page_choose_file (TbPoolPage *self)
{
  g_autoptr(GtkFileFilter) states = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_return_if_fail (TB_IS_POOL_PAGE (self));

  tb_file_chooser_clear (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Use a State File"), _tb_pool_page_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (states, _("Pool state (.json)"));
  gtk_file_filter_add_suffix (states, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), states);
  /* Saved script output holding the state line works too, whatever its name. */
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), states);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_open_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Apply -------------------------------------------------------------------------------------- */

static void
present_dialog (AdwMessageDialog *dialog)
{
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_nothing_to_do (TbPoolPage *self)
{
  GtkWidget *dialog = adw_message_dialog_new (_tb_pool_page_parent_window (self), _("Nothing to Change"),
                                              _("The pool already has the OAuth server, partner "
                                                "application and OAuth service name the trust "
                                                "needs."));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  present_dialog (ADW_MESSAGE_DIALOG (dialog));
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbPoolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) applied = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);
  const char *host = tb_winrm_shell_get_host (tb_pool_client_get_shell (TB_POOL_CLIENT (source)));
  g_autofree char *text = NULL;

  if (_tb_pool_page_is_cancelled (error))
    return;
  _tb_pool_page_set_busy (self, FALSE);
  if (applied == NULL)
    {
      /* Translators: %s is a server name */
      g_autofree char *action = g_strdup_printf (_("The changes were not applied on %s"), host);

      _tb_pool_page_show_error (self, action, error, RETRY_NONE, NULL);
      return;
    }

  /* What the pool holds now, as read again after the script: the page shows the result. */
  _tb_pool_page_clear_error (self);
  _tb_pool_page_set_state (self, applied->after, host);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change applied on %s",
                                       "%u changes applied on %s", applied->changes->len),
                          applied->changes->len, host);
  tb_widget_show_toast (GTK_WIDGET (self), text);
}

static void
apply_live (TbPoolPage *self)
{
  if (self->client == NULL || self->tenant_id == NULL)
    return;
  _tb_pool_page_set_busy (self, TRUE);
  tb_pool_client_apply_async (self->client, self->tenant_id, _tb_pool_page_acs_base (self), FALSE,
                              tb_page_get_cancellable (TB_PAGE (self)), on_applied,
                              g_object_ref (self));
}

static void
on_preview_response (AdwMessageDialog *dialog,
                     const char       *response,
                     TbPoolPage       *self)
{
  if (g_str_equal (response, "export"))
    choose_script_file (self, TRUE);
  else if (g_str_equal (response, "apply"))
    apply_live (self);
}

/* The preview lists each change; live it comes from a dry run on the pool itself, from a state
 * file it is planned from what the file says. */
static void
show_preview (TbPoolPage *self,
              GPtrArray  *changes,
              gboolean    live)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (changes->len == 0)
    {
      show_nothing_to_do (self);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (changes, i);

      g_string_append_printf (body, "• %s\n", change->detail);
    }
  g_string_append_c (body, '\n');
  if (live)
    g_string_append_printf (body, _("Apply makes these changes on %s now and reads the pool "
                                    "again. The apply script does the same when run on a "
                                    "Front End."), self->source);
  else
    g_string_append (body, _("Run the apply script on a Front End, then use the state it prints "
                             "(saved to a file) here to see the result."));

  dialog = adw_message_dialog_new (_tb_pool_page_parent_window (self),
                                   _("Apply On-premises Changes?"), body->str);
  tb_message_dialog_measure_width_first (ADW_MESSAGE_DIALOG (dialog));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("Export _Apply Script…"),
                                    NULL);
  if (live)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "apply", _("_Apply"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  else
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                                ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_preview_response), self, 0);
  present_dialog (ADW_MESSAGE_DIALOG (dialog));
}

static void
on_dry_run (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbPoolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) planned = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);

  if (_tb_pool_page_is_cancelled (error))
    return;
  _tb_pool_page_set_busy (self, FALSE);
  if (planned == NULL)
    {
      _tb_pool_page_show_error (self, _("The changes could not be previewed"), error, RETRY_NONE, NULL);
      return;
    }
  /* The dry run read the pool first: show that, so the preview and the rows agree. */
  if (planned->before != NULL)
    _tb_pool_page_set_state (self, planned->before, self->source);
  show_preview (self, planned->changes, TRUE);
}

void
_tb_pool_page_apply_changes (TbPoolPage *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *metadata_url = NULL;
  GtkWidget *dialog;

  if (self->state == NULL || tb_page_get_loading (TB_PAGE (self)))
    return;

  if (self->tenant_id == NULL)
    {
      dialog = adw_message_dialog_new (_tb_pool_page_parent_window (self), _("The Tenant ID Is Needed"),
                                       _("The OAuth server must point at your tenant’s "
                                         "metadata. Sign in to Microsoft 365, or type the "
                                         "tenant ID on this page."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      present_dialog (ADW_MESSAGE_DIALOG (dialog));
      gtk_widget_grab_focus (GTK_WIDGET (self->tenant_entry_row));
      return;
    }

  /* Live: a dry run on the pool (-WhatIf) says exactly what apply would do. */
  if (self->client != NULL)
    {
      _tb_pool_page_set_busy (self, TRUE);
      tb_pool_client_apply_async (self->client, self->tenant_id, _tb_pool_page_acs_base (self),
                                  TRUE, tb_page_get_cancellable (TB_PAGE (self)), on_dry_run,
                                  g_object_ref (self));
      return;
    }

  metadata_url = tb_pool_script_metadata_url (_tb_pool_page_acs_base (self), self->tenant_id,
                                              &error);
  if (metadata_url != NULL)
    changes = tb_pool_plan_changes (self->state, metadata_url, &error);
  if (changes == NULL)
    {
      _tb_pool_page_show_error (self, _("The changes could not be previewed"), error, RETRY_NONE, NULL);
      return;
    }
  show_preview (self, changes, FALSE);
}
