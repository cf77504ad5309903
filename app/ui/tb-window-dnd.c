/* tb-window-dnd.c: files dropped anywhere on the window go to Certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-dnd"

#include "config.h"

#include "tb-window-private.h"

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               TbWindow      *self)
{
  gtk_widget_show (self->drop_highlight);

  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               TbWindow      *self)
{
  gtk_widget_hide (self->drop_highlight);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TbWindow      *self)
{
  g_autoptr(GPtrArray) files = NULL;
  GSList *list;
  GSList *l;

  gtk_widget_hide (self->drop_highlight);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_ptr_array_new_with_free_func (g_object_unref);
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  tb_window_open_files (self, (GFile **) files->pdata, files->len);
  gtk_window_present (GTK_WINDOW (self));

  return TRUE;
}

void
_tb_window_init_dnd (TbWindow *self)
{
  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (self->drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}
