/* tb-wide-dialog.c: message dialogs whose body is a preview of a change
 *
 * libadwaita 1.2 sizes a message dialog for a sentence: at most 372 sp wide. A preview of a
 * write lists credentials, thumbprints and URLs; at that width every URL breaks every few
 * characters. A width request on the dialog overrides that cap (GTK applies it after the
 * dialog's own measure); the dialog's height stays capped by its parent window, its message
 * area scrolls, and the response buttons stay below it in view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-wide-dialog"

#include "config.h"

#include "tb-wide-dialog.h"
#include "tb-row-layout.h"

#define DIALOG_WIDTH 620    /* px: a Graph URL or a credential line fits on one line */
#define PARENT_MARGIN 60    /* px: room kept between the dialog and its window's edges */

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
tb_wide_message_dialog_new (GtkWidget  *from,
                            const char *heading,
                            const char *body)
{
  GtkRoot *root = from != NULL ? gtk_widget_get_root (from) : NULL;
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);
  GtkWidget *label = body != NULL && *body != '\0' ? find_label (dialog, body) : NULL;
  int width = DIALOG_WIDTH;

  tb_message_dialog_measure_width_first (ADW_MESSAGE_DIALOG (dialog));

  /* On a narrow window the dialog stays inside it. */
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    width = CLAMP (gtk_widget_get_width (GTK_WIDGET (parent)) - PARENT_MARGIN, 300, DIALOG_WIDTH);
  gtk_widget_set_size_request (dialog, width, -1);

  if (label != NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      /* A URL or thumbprint broken across lines must still read as the real value. */
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
      gtk_label_set_attributes (GTK_LABEL (label), attrs);
      pango_attr_list_unref (attrs);
    }
  return dialog;
}
