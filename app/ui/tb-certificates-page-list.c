/* tb-certificates-page-list.c: the Certificates page's list: loading files, listing their
 * certificates in idle slices, and the rows of the GtkListView
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificates-page-list"

#include "config.h"

#include <adwaita.h>

#include "tb-certificate-loader.h"
#include "tb-certificate-row.h"
#include "tb-certificates-page-private.h"
#include "tb-ui-util.h"

/* The row showing the certificate at @position, when it is on screen (or just beside it). */
static GtkWidget *
find_row (TbCertificatesPage *self,
          guint               position)
{
  g_autoptr(TbCertificate) certificate = g_list_model_get_item (G_LIST_MODEL (self->certificates),
                                                                position);

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL && certificate != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (TB_IS_CERTIFICATE_ROW (row) &&
          tb_certificate_row_get_certificate (TB_CERTIFICATE_ROW (row)) == certificate)
        return row;
    }
  return NULL;
}

void
_tb_certificates_page_select_position (TbCertificatesPage *self,
                                       guint               position,
                                       gboolean            focus)
{
  GtkWidget *row;

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->certificates)))
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              position);
  row = focus ? find_row (self, position) : NULL;
  if (row != NULL && gtk_widget_get_mapped (row))
    gtk_widget_grab_focus (row);
}

/* A bundle's certificates are listed a slice at a time, one append at a time: GTK 4.8's list
 * view builds a row at once for each certificate added within the couple of hundred it keeps
 * around the visible ones, and a 1 MiB PEM bundle holds over 2,000 certificates. Appending
 * them all in one go (or in one splice) would build those couple of hundred rows in one
 * callback and keep the main loop from painting or answering input for a long while; past
 * them, an append costs next to nothing. */
#define APPEND_SLICE_USEC 8000

typedef struct
{
  TbCertificatesPage *self;
  GPtrArray          *certificates;  /* TbCertificate, as loaded */
  guint               next;
  guint               first_position;
  GHashTable         *listed;        /* sha256 -> position + 1 of what the list holds */
} AppendJob;

static void
append_job_free (AppendJob *job)
{
  g_clear_object (&job->self);
  g_clear_pointer (&job->certificates, g_ptr_array_unref);
  g_clear_pointer (&job->listed, g_hash_table_unref);
  g_free (job);
}

static gboolean
append_slice (gpointer user_data)
{
  AppendJob *job = user_data;
  TbCertificatesPage *self = job->self;
  gint64 deadline = g_get_monotonic_time () + APPEND_SLICE_USEC;

  if (g_cancellable_is_cancelled (tb_page_get_cancellable (TB_PAGE (self))))
    return G_SOURCE_REMOVE;

  while (job->next < job->certificates->len && g_get_monotonic_time () < deadline)
    {
      TbCertificate *certificate = g_ptr_array_index (job->certificates, job->next++);
      const char *sha256 = tb_certificate_get_sha256 (certificate);
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (job->listed, sha256));

      /* Dropping the same file twice selects it again instead of listing it twice. */
      if (position == 0)
        {
          position = g_list_model_get_n_items (G_LIST_MODEL (self->certificates)) + 1;
          g_list_store_append (self->certificates, certificate);
          g_hash_table_insert (job->listed, g_strdup (sha256), GUINT_TO_POINTER (position));
        }
      if (job->first_position == G_MAXUINT)
        job->first_position = position - 1;
    }
  if (job->next < job->certificates->len)
    return G_SOURCE_CONTINUE;

  _tb_certificates_page_set_loading (self, self->n_pending - 1);
  _tb_certificates_page_update_stack (self);
  if (job->first_position != G_MAXUINT)
    _tb_certificates_page_select_position (self, job->first_position, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_load_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TbCertificatesPage) self = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  AppendJob *job;
  guint n;

  loaded = tb_certificate_load_file_finish (result, &error);

  /* The page went away while the worker was reading; nothing left to show. */
  if (g_cancellable_is_cancelled (tb_page_get_cancellable (TB_PAGE (self))))
    return;

  if (loaded == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);

      _tb_certificates_page_set_loading (self, self->n_pending - 1);
      /* The loader's messages name the file and say what to do instead. */
      _tb_certificates_page_show_error (self, NULL, error->message);
      g_debug ("Rejected %s: %s", name, error->message);
      return;
    }

  /* Still loading until the last slice is listed. */
  job = g_new0 (AppendJob, 1);
  job->self = g_object_ref (self);
  job->certificates = g_steal_pointer (&loaded);
  job->first_position = G_MAXUINT;
  job->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->certificates));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TbCertificate) listed = g_list_model_get_item (G_LIST_MODEL (self->certificates),
                                                               i);

      g_hash_table_insert (job->listed, g_strdup (tb_certificate_get_sha256 (listed)),
                           GUINT_TO_POINTER (i + 1));
    }
  if (append_slice (job) == G_SOURCE_CONTINUE)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, append_slice, job, (GDestroyNotify) append_job_free);
  else
    append_job_free (job);
}

static void
on_row_remove_requested (TbCertificatesPage *self,
                         TbCertificateRow   *row)
{
  TbCertificate *certificate = tb_certificate_row_get_certificate (row);

  if (certificate != NULL)
    tb_certificates_page_remove (self, certificate);
}

static void
on_setup_row (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              TbCertificatesPage       *self)
{
  GtkWidget *row = tb_certificate_row_new (_tb_certificates_page_get_warn_days (self));

  g_signal_connect_object (row, "remove-requested",
                           G_CALLBACK (on_row_remove_requested), self,
                           G_CONNECT_SWAPPED);
  gtk_list_item_set_child (list_item, row);
}

static void
on_bind_row (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             TbCertificatesPage       *self)
{
  TbCertificate *certificate = gtk_list_item_get_item (list_item);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GtkWidget *item_widget = gtk_widget_get_parent (row);

  tb_certificate_row_set_warn_days (TB_CERTIFICATE_ROW (row), _tb_certificates_page_get_warn_days (self));
  tb_certificate_row_set_certificate (TB_CERTIFICATE_ROW (row), certificate);
  /* The list item GTK wraps each row in is what a screen reader reaches first: it says the
   * certificate's name (GTK 4.8 names it after nothing). */
  if (item_widget != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tb_certificate_get_display_name (certificate), -1);
}

static void
on_unbind_row (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               TbCertificatesPage       *self)
{
  tb_certificate_row_set_certificate (TB_CERTIFICATE_ROW (gtk_list_item_get_child (list_item)),
                                      NULL);
}

/* Reads @file in a worker; its certificates are then listed a slice at a time. */
void
_tb_certificates_page_load_file (TbCertificatesPage *self,
                                 GFile              *file)
{
  _tb_certificates_page_set_loading (self, self->n_pending + 1);
  tb_certificate_load_file_async (file, tb_page_get_cancellable (TB_PAGE (self)),
                                  on_load_ready, g_object_ref (self));
}

/* Rows exist only for the certificates on screen; a new factory (full) makes them. */
GtkListItemFactory *
_tb_certificates_page_new_row_factory (TbCertificatesPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind_row), self, 0);
  return factory;
}
