/* tb-sign-in.c: the GUI's sign-in flows over TbAuth (dialogs, consent for write access)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sign-in"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-device-code-dialog.h"
#include "tb-row-layout.h"
#include "tb-sign-in.h"
#include "tb-ui-util.h"

typedef struct
{
  GtkWidget    *parent;
  TbAuth       *auth;
  GtkWidget    *dialog;
  GCancellable *cancellable;      /* ours: cancelled by the dialog's Cancel or the caller's */
  gulong        caller_cancel_id;
  GCancellable *caller_cancellable;
  gulong        open_uri_id;
} SignIn;

static void
sign_in_free (SignIn *data)
{
  if (data->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (data->dialog));
  if (data->open_uri_id != 0)
    g_signal_handler_disconnect (data->auth, data->open_uri_id);
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancel_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->auth);
  g_clear_object (&data->parent);
  g_free (data);
}

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_dialog_response (GtkWidget  *dialog,
                    const char *response,
                    GTask      *task)
{
  SignIn *data = g_task_get_task_data (task);

  /* The dialog closes itself after a response; forget it so it is not destroyed twice. */
  data->dialog = NULL;
  g_cancellable_cancel (data->cancellable);
}

static void
on_prompt (const TbDeviceCodePrompt *prompt,
           gpointer                  user_data)
{
  GTask *task = user_data;
  SignIn *data = g_task_get_task_data (task);

  if (data->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (data->dialog));

  data->dialog = tb_device_code_dialog_new (parent_window (data->parent), prompt);
  g_signal_connect_object (data->dialog, "response", G_CALLBACK (on_dialog_response), task, 0);
  gtk_window_present (GTK_WINDOW (data->dialog));
}

typedef struct
{
  GtkWidget *parent;
  char      *uri;
} OpenUri;

static void
open_uri_free (OpenUri *open)
{
  g_clear_object (&open->parent);
  g_free (open->uri);
  g_free (open);
}

static void
on_link_response (AdwMessageDialog *dialog,
                  const char       *response,
                  const char       *uri)
{
  if (g_str_equal (response, "copy") && uri != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), uri);
}

/* No browser could be started (none installed, none set as default): the sign-in still waits
 * for the browser's answer on this computer, so give the admin the link to open by hand. */
static void
show_link (GtkWidget  *parent,
           const char *uri)
{
  g_autofree char *body = g_strdup_printf (_("No web browser could be opened. Open this link "
                                             "in a browser on this computer to sign in; Trust "
                                             "Bridge waits for it.\n\n%s\n\nOr cancel and use "
                                             "Sign In, which shows a code to enter on any "
                                             "device."), uri);
  GtkWidget *dialog = adw_message_dialog_new (parent_window (parent), _("Open the Sign-In Link"),
                                              body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "copy", _("_Copy Link"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "copy",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "copy");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_link_response), g_strdup (uri),
                         tb_closure_free_data, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_uri_launched (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OpenUri *open = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_debug ("No browser for the sign-in: %s", error->message);
      show_link (open->parent, open->uri);
    }
  open_uri_free (open);
}

static void
on_open_uri (TbAuth     *auth,
             const char *uri,
             SignIn     *data)
{
  OpenUri *open = g_new0 (OpenUri, 1);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  open->parent = data->parent != NULL ? g_object_ref (data->parent) : NULL;
  open->uri = g_strdup (uri);
  /* Not gtk_show_uri(): its failure is GTK's raw "Could not show link" dialog. */
  if (data->parent != NULL)
    context = gdk_display_get_app_launch_context (gtk_widget_get_display (data->parent));
  g_app_info_launch_default_for_uri_async (uri, context ? G_APP_LAUNCH_CONTEXT (context) : NULL,
                                           NULL, on_uri_launched, open);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_name (task) != NULL && g_str_equal (g_task_get_name (task), "browser"))
    ok = tb_auth_sign_in_browser_finish (TB_AUTH (source), result, &error);
  else
    ok = tb_auth_sign_in_device_code_finish (TB_AUTH (source), result, &error);

  if (data->dialog != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (data->dialog));
      data->dialog = NULL;
    }

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

void
tb_sign_in_async (GtkWidget           *parent,
                  TbAuth              *auth,
                  TbAuthAccess         access,
                  TbSignInMethod       method,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *data;

  g_return_if_fail (!parent || GTK_IS_WIDGET (parent));
  g_return_if_fail (TB_IS_AUTH (auth));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_sign_in_async);
  data = g_new0 (SignIn, 1);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  data->auth = g_object_ref (auth);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancel_id = g_cancellable_connect (cancellable,
                                                      G_CALLBACK (on_caller_cancelled),
                                                      g_object_ref (data->cancellable),
                                                      g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);

  if (method == TB_SIGN_IN_BROWSER)
    {
      g_task_set_name (task, "browser");
      data->open_uri_id = g_signal_connect (auth, "open-uri", G_CALLBACK (on_open_uri), data);
      tb_auth_sign_in_browser_async (auth, access, data->cancellable,
                                     on_signed_in, g_object_ref (task));
    }
  else
    {
      tb_auth_sign_in_device_code_async (auth, access, on_prompt, task, data->cancellable,
                                         on_signed_in, g_object_ref (task));
    }
}

gboolean
tb_sign_in_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GtkWidget    *parent;
  TbAuth       *auth;
  TbAuthAccess  access;
} Ensure;

static void
ensure_free (Ensure *data)
{
  g_clear_object (&data->parent);
  g_clear_object (&data->auth);
  g_free (data);
}

static void
on_ensure_signed_in (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sign_in_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_consent_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;
  Ensure *data = g_task_get_task_data (task);

  /* One answer per dialog, whatever closes it afterwards. */
  g_signal_handlers_disconnect_by_func (dialog, on_consent_response, user_data);
  if (!g_str_equal (response, "sign-in"))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Write access was not granted"));
      return;
    }

  tb_sign_in_async (data->parent, data->auth, data->access, TB_SIGN_IN_DEVICE_CODE,
                    g_task_get_cancellable (task), on_ensure_signed_in, g_object_ref (task));
}

void
tb_sign_in_ensure_access_async (GtkWidget           *parent,
                                TbAuth              *auth,
                                TbAuthAccess         access,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkWidget *dialog;
  Ensure *data;
  g_autofree char *body = NULL;

  g_return_if_fail (TB_IS_AUTH (auth));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_sign_in_ensure_access_async);

  if (tb_auth_get_signed_in (auth) && tb_auth_get_access (auth) >= access)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (Ensure, 1);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  data->auth = g_object_ref (auth);
  data->access = access;
  g_task_set_task_data (task, data, (GDestroyNotify) ensure_free);

  if (access == TB_AUTH_ACCESS_READ)
    {
      tb_sign_in_async (parent, auth, access, TB_SIGN_IN_DEVICE_CODE, cancellable,
                        on_ensure_signed_in, g_object_ref (task));
      return;
    }

  /* Write access is asked for only here, when a change is asked for, and says why. */
  body = g_strdup_printf ("%s\n\n%s", reason != NULL ? reason : "",
                          _("Trust Bridge reads with Application.Read.All only. To make this "
                            "change, sign in again and consent to Application.ReadWrite.All. "
                            "Nothing is changed until you confirm the change itself."));
  dialog = adw_message_dialog_new (parent_window (parent), _("Allow Changes to Applications?"),
                                   g_strstrip (body));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-in", _("_Sign In for Write Access"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  tb_message_dialog_measure_width_first (ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (on_consent_response), g_object_ref (task));
  /* The change asked for usually redraws its own window first (busy, disabled buttons). */
  tb_window_present_soon (GTK_WINDOW (dialog));
}

gboolean
tb_sign_in_ensure_access_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
