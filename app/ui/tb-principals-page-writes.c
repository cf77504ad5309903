/* tb-principals-page-writes.c: the Service Principals page's changes
 *
 * Each public write of TbPrincipalsPage builds one TbPrincipalEdit with the words of its
 * dialog and hands it to TbPrincipalWrite; the page shows the busy state and the error, and
 * reads the tenant again after a write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principals-page-writes"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-guards.h"
#include "tb-principal-edit.h"
#include "tb-principal-write.h"
#include "tb-principals-page-private.h"
#include "tb-ui-util.h"

/* Writes ---------------------------------------------------------------------------------- */

/* A write Trust Bridge will not make: said in a dialog next to the action, nothing changes. */
static void
refuse (TbPrincipalsPage *self,
        const char       *heading,
        const char       *reason)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, reason);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static TbServicePrincipal *
write_get_principal (gpointer    host,
                     const char *app_id)
{
  return tb_principals_page_get_principal (host, app_id);
}

static const char *
write_get_name (gpointer    host,
                const char *app_id)
{
  return _tb_principals_page_target_name (host, app_id);
}

static void
write_set_busy (gpointer host,
                gboolean busy)
{
  _tb_principals_page_set_busy (host, busy);
}

static void
write_finished (gpointer                host,
                TbPrincipalWrite       *write,
                TbPrincipalWriteResult  result,
                const GError           *error)
{
  TbPrincipalsPage *self = host;
  TbPrincipalEdit *edit = tb_principal_write_get_edit (write);

  switch (result)
    {
    case TB_PRINCIPAL_WRITE_APPLIED:
      _tb_principals_page_set_error (self, NULL, NULL);
      _tb_principals_page_start_refresh (self);
      break;
    case TB_PRINCIPAL_WRITE_DECLINED:
      /* The switch goes back to what the tenant holds. */
      if (tb_principal_edit_get_kind (edit) == TB_PRINCIPAL_EDIT_ENABLE)
        _tb_principals_page_rebuild (self);
      break;
    case TB_PRINCIPAL_WRITE_FAILED:
      {
        const char *app_id = tb_principal_edit_get_app_id (edit);
        g_autofree char *action =
          g_strdup_printf (_("Changing %s failed"), _tb_principals_page_target_name (self, app_id));

        _tb_principals_page_set_error (self, action, error);
        _tb_principals_page_rebuild (self);
      }
      break;
    case TB_PRINCIPAL_WRITE_CANCELLED:
    default:
      break;
    }
}

static const TbPrincipalWriteHost write_host = {
  write_get_principal,
  write_get_name,
  write_set_busy,
  write_finished,
};

static void
start_write (TbPrincipalsPage *self,
             TbPrincipalWrite *write)
{
  tb_principal_write_start (write, GTK_WIDGET (self), tb_page_get_context (TB_PAGE (self)),
                            &write_host, self, tb_page_get_cancellable (TB_PAGE (self)));
}

/* Every edit here is asked for the same way: @reason says why write access is needed,
 * the confirmation shows @heading and @body (either may be NULL) with the @accept button
 * (@destructive styled), and @done is the toast once the write has been read back. */
static void
ask_and_write (TbPrincipalsPage *self,
               TbPrincipalWrite *write,
               const char       *reason,
               const char       *heading,
               const char       *body,
               const char       *accept,
               gboolean          destructive,
               const char       *done)
{
  tb_principal_write_set_reason (write, reason);
  tb_principal_write_set_confirm (write, heading, body, accept, destructive);
  tb_principal_write_set_done (write, done);
  start_write (self, write);
}

/* The name of the selected principal, the one the edits below change; NULL when none is
 * selected or the tenant does not hold it. */
static const char *
selected_name (TbPrincipalsPage *self)
{
  if (self->selected == NULL || tb_principals_page_get_principal (self, self->selected) == NULL)
    return NULL;
  return _tb_principals_page_target_name (self, self->selected);
}

/* A write of @edit (taken); when the edit could not be made (NULL), a toast says @error's
 * message and there is none. */
static TbPrincipalWrite *
write_or_toast (TbPrincipalsPage *self,
                TbPrincipalEdit  *edit,
                const GError     *error)
{
  if (edit == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error->message);
      return NULL;
    }
  return tb_principal_write_new (edit);
}

/* The target's notice (Microsoft's word on the principal), or NULL. */
static const char *
target_notice (TbPrincipalsPage *self,
               const char       *app_id)
{
  TbProfile *profile = _tb_principals_page_get_profile (self);
  const TbProfileTarget *target = profile != NULL ? tb_profile_find_target (profile, app_id) : NULL;

  return target != NULL ? target->notice : NULL;
}

void
tb_principals_page_add_certificate (TbPrincipalsPage *self,
                                    TbCertificate    *certificate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *label = NULL;
  g_autofree char *done = NULL;
  TbPrincipalEdit *edit;
  TbPrincipalWrite *write;
  const char *name;

  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));

  if (certificate == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self),
                            _("Open the certificate to add on the Certificates page first"));
      return;
    }
  name = selected_name (self);
  if (name == NULL)
    return;
  /* Expired and weak certificates never reach a principal (tb-guards.h). */
  if (!tb_certificate_check_upload (certificate, NULL, &warning, &error))
    {
      refuse (self, _("Certificate Not Added"), error->message);
      return;
    }
  edit = tb_principal_edit_new_add_certificate (self->selected, certificate, NULL,
                                                TB_PRINCIPAL_EDIT_FLAGS_NONE, &error);
  write = write_or_toast (self, edit, error);
  if (write == NULL)
    return;
  tb_principal_write_set_preview (write, warning, target_notice (self, self->selected));
  reason = g_strdup_printf (_("Adding a certificate changes the key credentials of %s."), name);
  heading = g_strdup_printf (_("Add Certificate to %s?"), name);
  label = g_strdup_printf (_("_Add Certificate to %s"), name);
  done = g_strdup_printf (_("Certificate added to %s"), name);
  ask_and_write (self, write, reason, heading, NULL, label, FALSE, done);
}

static TbKeyCredential *
find_credential (GPtrArray  *credentials,
                 const char *key_id)
{
  for (guint i = 0; i < credentials->len; i++)
    if (g_ascii_strcasecmp (tb_key_credential_get_key_id (g_ptr_array_index (credentials, i)),
                            key_id) == 0)
      return g_ptr_array_index (credentials, i);
  return NULL;
}

void
tb_principals_page_remove_credential (TbPrincipalsPage *self,
                                      const char       *key_id)
{
  TbServicePrincipal *principal;
  TbKeyCredential *credential;
  GPtrArray *credentials;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *title = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *done = NULL;
  const char *name;
  TbPrincipalEditFlags flags;
  TbPrincipalWrite *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));
  g_return_if_fail (key_id != NULL);

  principal = tb_principals_page_get_principal (self, self->selected);
  if (principal == NULL)
    return;
  credentials = tb_service_principal_get_key_credentials (principal);
  credential = find_credential (credentials, key_id);
  if (credential == NULL)
    return;

  name = _tb_principals_page_target_name (self, self->selected);
  title = tb_key_credential_dup_title (credential);
  dates = tb_principal_detail_format_dates (credential, now);
  /* The admin chose this very credential: removing the last one is what they asked for. */
  flags = credentials->len == 1 ? TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY
                                : TB_PRINCIPAL_EDIT_FLAGS_NONE;
  write = tb_principal_write_new (tb_principal_edit_new_remove_credential (self->selected, key_id,
                                                                           flags));
  reason = g_strdup_printf (_("Removing a credential changes the key credentials of %s."), name);
  heading = g_strdup_printf (_("Remove Credential from %s?"), name);
  body = g_strdup_printf (credentials->len == 1
                            ? _("“%s” (%s, keyId %s) will be removed. It is the last credential: "
                                "tokens signed with any certificate will no longer be accepted "
                                "for %s.")
                            : _("“%s” (%s, keyId %s) will be removed. Tokens signed with its "
                                "certificate will no longer be accepted for %s; the other "
                                "credentials are kept."),
                          title, dates, key_id, name);
  done = g_strdup_printf (_("Credential removed from %s"), name);
  ask_and_write (self, write, reason, heading, body, _("_Remove Credential"), TRUE, done);
}

void
tb_principals_page_add_spn (TbPrincipalsPage *self,
                            const char       *fqdn)
{
  g_autoptr(GError) error = NULL;
  const char *fqdns[] = { fqdn, NULL };
  const char * const *names;
  g_autofree char *spn = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *done = NULL;
  TbPrincipalEdit *edit;
  TbPrincipalWrite *write;
  const char *name;
  guint n_kept;

  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));

  name = selected_name (self);
  if (name == NULL)
    return;
  edit = tb_principal_edit_new_add_spns (self->selected, fqdns, &error);
  write = write_or_toast (self, edit, error);
  if (write == NULL)
    return;
  reason = g_strdup_printf (_("Adding a service principal name changes %s."), name);
  names = tb_service_principal_get_names (tb_principals_page_get_principal (self, self->selected));
  n_kept = names != NULL ? g_strv_length ((char **) names) : 0;
  spn = g_strdup_printf ("%s/%s", self->selected, fqdn);
  heading = g_strdup_printf (_("Add Name to %s?"), name);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Added: %s\n\nKept unchanged: %u name already on %s.",
                                       "Added: %s\n\nKept unchanged: %u names already on %s.",
                                       n_kept),
                          spn, n_kept, name);
  done = g_strdup_printf (_("Name added to %s"), name);
  ask_and_write (self, write, reason, heading, body, _("_Add Name"), FALSE, done);
}

void
tb_principals_page_remove_spn (TbPrincipalsPage *self,
                               const char       *spn)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { spn, NULL };
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *done = NULL;
  TbPrincipalEdit *edit;
  TbPrincipalWrite *write;
  const char *name;

  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));

  name = selected_name (self);
  if (name == NULL)
    return;
  edit = tb_principal_edit_new_remove_spns (self->selected, names, TB_PRINCIPAL_EDIT_FLAGS_NONE,
                                            &error);
  write = write_or_toast (self, edit, error);
  if (write == NULL)
    return;
  reason = g_strdup_printf (_("Removing a service principal name changes %s."), name);
  heading = g_strdup_printf (_("Remove Name from %s?"), name);
  body = g_strdup_printf (_("%s will be removed. Token requests for this name "
                            "will no longer find %s."), spn, name);
  done = g_strdup_printf (_("Name removed from %s"), name);
  ask_and_write (self, write, reason, heading, body, _("_Remove Name"), TRUE, done);
}

void
tb_principals_page_enable (TbPrincipalsPage *self,
                           const char       *app_id)
{
  const char *notice;
  const char *name;
  g_autofree char *reason = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *label = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GString) body = NULL;
  TbPrincipalWrite *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));
  g_return_if_fail (app_id != NULL);

  name = _tb_principals_page_target_name (self, app_id);
  notice = target_notice (self, app_id);
  write = tb_principal_write_new (tb_principal_edit_new_enable (app_id));
  reason = g_strdup_printf (_("Enabling %s changes it."), name);
  heading = g_strdup_printf (_("Enable %s?"), name);
  body = g_string_new (NULL);
  g_string_append_printf (body, _("accountEnabled of %s becomes true: tokens for it are "
                                  "issued again. Its names and credentials are not changed."),
                          name);
  if (notice != NULL)
    g_string_append_printf (body, "\n\n%s", notice);
  label = g_strdup_printf (_("_Enable %s"), name);
  done = g_strdup_printf (_("%s enabled"), name);
  ask_and_write (self, write, reason, heading, body->str, label, FALSE, done);
}
