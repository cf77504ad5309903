/* tb-graph-client-edit.c: safe changes to service principals over Graph
 *
 * Graph has no ETag or If-Match on service principals and PATCH replaces keyCredentials and
 * servicePrincipalNames whole. So a change is computed from a fresh single-object read (keys
 * filled), computed again on a read made immediately before the PATCH (another admin may have
 * written meanwhile: their entries are re-sent, not deleted), and after the PATCH the principal
 * is read back: everything the last read held must still be there, except what the admin
 * removes, and the change must be in place. Whatever a writer whose PATCH landed just after
 * ours removed is put back from the full value read before (keys included), and reported.
 *
 * A write that fails on the way (outage, dropped connection, cut reply) may or may not have
 * been applied: it is not sent blindly again, the principal is read again and the change
 * computed on what is there — a write that already happened becomes "nothing to do".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-graph-client-edit"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-graph-client-edit.h"
#include "tb-graph-error-private.h"
#include "tb-principal-repair.h"

/* PATCHes per change: the change, then a retry after a failed write or a repair after a
 * loss, bounded so that two tools fighting over a principal end with an error. */
#define MAX_WRITES 4

typedef struct
{
  TbPrincipalEdit    *edit;
  gboolean            preview;
  TbServicePrincipal *approved;      /* what the admin saw in the preview, or NULL */
  TbServicePrincipal *current;       /* the read that made the change differ from approval */
  TbChange           *change;        /* what is reported */
  TbServicePrincipal *before;        /* the last read before the PATCH in flight */
  JsonObject         *patch;
  guint               writes;
  guint               retries_at_start;
  guint               write_retries;
  gboolean            repairing;
  GPtrArray          *restored;      /* char *, each entry once */
} EditorData;

static void
editor_data_free (EditorData *ed)
{
  g_clear_object (&ed->edit);
  g_clear_object (&ed->approved);
  g_clear_object (&ed->current);
  g_clear_pointer (&ed->change, tb_change_free);
  g_clear_object (&ed->before);
  g_clear_pointer (&ed->patch, json_object_unref);
  g_clear_pointer (&ed->restored, g_ptr_array_unref);
  g_free (ed);
}

static const char *
principal_label (TbServicePrincipal *principal)
{
  const char *name = tb_service_principal_get_display_name (principal);

  return name != NULL && *name != '\0' ? name : tb_service_principal_get_app_id (principal);
}

static void
return_change (GTask *task)
{
  TbGraphClient *client = g_task_get_source_object (task);
  EditorData *ed = g_task_get_task_data (task);
  TbChange *change = g_steal_pointer (&ed->change);

  change->retries = tb_graph_client_get_retry_count (client) - ed->retries_at_start +
                    ed->write_retries;
  if (ed->restored->len > 0)
    {
      g_strfreev (change->restored);
      change->restored = g_new0 (char *, ed->restored->len + 1);
      for (guint i = 0; i < ed->restored->len; i++)
        change->restored[i] = g_strdup (g_ptr_array_index (ed->restored, i));
    }
  g_task_return_pointer (task, change, (GDestroyNotify) tb_change_free);
}

static void
add_restored (EditorData *ed,
              char       *what)
{
  for (guint i = 0; i < ed->restored->len; i++)
    if (g_str_equal (g_ptr_array_index (ed->restored, i), what))
      {
        g_free (what);
        return;
      }
  g_ptr_array_add (ed->restored, what);
}

static void pre_write_read (GTask *task);
static void send_patch (GTask *task);

/* Names, in @missing and in the change's "restored" list, what the read-back lacks: entries
 * another writer's PATCH removed (@lost, @lost_names) and, when our own change is not in place,
 * what it was to add. */
static void
name_missing (EditorData         *ed,
              TbServicePrincipal *after,
              GPtrArray          *lost,
              GPtrArray          *lost_names,
              gboolean            in_place,
              GString            *missing)
{
  for (guint i = 0; i < lost->len; i++)
    {
      char *what = tb_principal_repair_describe_credential (g_ptr_array_index (lost, i));

      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", what);
      add_restored (ed, what);
    }
  for (guint i = 0; i < lost_names->len; i++)
    {
      char *what = g_strdup_printf (_("service principal name %s"),
                                    (const char *) g_ptr_array_index (lost_names, i));

      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", what);
      add_restored (ed, what);
    }
  if (!in_place)
    {
      if (tb_principal_edit_get_kind (ed->edit) == TB_PRINCIPAL_EDIT_ADD_CERTIFICATE)
        {
          char *what = g_strdup_printf (_("the new certificate %s"),
                                        tb_certificate_get_sha1 (tb_principal_edit_get_certificate (ed->edit)));

          g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", what);
          add_restored (ed, what);
        }
      else if (tb_principal_edit_get_kind (ed->edit) == TB_PRINCIPAL_EDIT_ADD_SPNS)
        {
          const char * const *names = tb_principal_edit_get_names (ed->edit);
          const char * const *now = tb_service_principal_get_names (after);

          for (guint i = 0; names[i] != NULL; i++)
            {
              gboolean there = FALSE;

              for (guint j = 0; now != NULL && now[j] != NULL; j++)
                there = there || g_ascii_strcasecmp (now[j], names[i]) == 0;
              if (!there)
                {
                  char *what = g_strdup_printf (_("service principal name %s"), names[i]);

                  g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", what);
                  add_restored (ed, what);
                }
            }
        }
      else
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "",
                                ed->change->detail);
    }
}

static void
on_read_back (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  g_autoptr(TbServicePrincipal) after = NULL;
  g_autoptr(TbServicePrincipal) target = NULL;
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) lost_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);
  GError *error = NULL;
  gboolean in_place = FALSE;

  after = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (after == NULL ||
      !tb_principal_repair_check (ed->edit, ed->before, after, &in_place, lost, lost_names, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (in_place && lost->len == 0 && lost_names->len == 0)
    {
      return_change (task);
      return;
    }

  /* Something another writer's PATCH removed, or our change undone: name it. */
  name_missing (ed, after, lost, lost_names, in_place, missing);

  if (ed->writes >= MAX_WRITES)
    {
      g_autofree char *message = g_strdup_printf (_("After the change, %s still lacks %s: another "
                                                    "writer keeps changing it. Check it in the "
                                                    "Entra admin center."),
                                                  principal_label (after), missing->str);

      g_task_return_error (task, tb_graph_error_new_full (TB_GRAPH_ERROR_VERIFY_FAILED, NULL, NULL,
                                                          message));
      return;
    }

  g_debug ("Another writer changed %s while it was written; putting back: %s",
           tb_service_principal_get_app_id (after), missing->str);

  /* The read-back is the read immediately before the repair. */
  target = tb_principal_repair_merge (after, lost, lost_names, &error);
  if (target != NULL)
    {
      g_clear_pointer (&ed->patch, json_object_unref);
      ed->patch = tb_principal_repair_patch (ed->edit, target, lost->len > 0, lost_names->len > 0,
                                             &error);
    }
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_object (&ed->before);
  ed->before = g_steal_pointer (&target);
  if (ed->patch == NULL)
    {
      return_change (task);
      return;
    }
  ed->repairing = TRUE;
  send_patch (g_steal_pointer (&task));
}

static void
on_patched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  GError *error = NULL;

  if (!tb_graph_client_update_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error))
    {
      /* Applied or not, nobody knows: read again and decide from what is there. */
      if (tb_graph_error_is_transient (error) && ed->writes < MAX_WRITES)
        {
          g_debug ("PATCH failed (%s); reading again", error->message);
          g_error_free (error);
          ed->write_retries++;
          pre_write_read (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  {
    /* Read before the task is stolen: argument order is unspecified. */
    GCancellable *task_cancellable = g_task_get_cancellable (task);
    /* Read again: what Graph stores is what counts, not what it accepted. */
    tb_graph_client_get_service_principal_async (TB_GRAPH_CLIENT (source),
                                                 tb_principal_edit_get_app_id (ed->edit),
                                                 task_cancellable,
                                                 on_read_back, g_steal_pointer (&task));
  }
}

static void
send_patch (GTask *task)
{
  EditorData *ed = g_task_get_task_data (task);
  GCancellable *task_cancellable = g_task_get_cancellable (task);

  ed->writes++;
  tb_graph_client_update_service_principal_async (g_task_get_source_object (task),
                                                  tb_service_principal_get_id (ed->before),
                                                  ed->patch, task_cancellable,
                                                  on_patched, task);
}

/* The read immediately before a PATCH: the change is computed again on it. */
static void
on_read_before_write (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  g_autoptr(TbServicePrincipal) principal = NULL;
  g_autoptr(JsonObject) patch = NULL;
  TbChange *change;
  GError *error = NULL;

  principal = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (principal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  change = tb_principal_edit_compute (ed->edit, principal, &patch, &error);
  if (change == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (ed->approved != NULL && ed->writes == 0 &&
      tb_principal_repair_touches (ed->edit, ed->approved, principal))
    {
      /* The admin approved a change on other contents: they see the new one first. */
      g_set_object (&ed->current, principal);
      tb_change_free (change);
      g_task_return_new_error (task, TB_GRAPH_ERROR, TB_GRAPH_ERROR_CHANGED,
                               _("%s changed since you reviewed the change; nothing was "
                                 "written. Review it again."),
                               principal_label (principal));
      return;
    }

  if (patch == NULL)
    {
      /* Nothing to do now. After a write that failed on the way, that write was applied:
       * the change made is the one computed before it. */
      if (ed->writes == 0 || ed->change == NULL)
        {
          tb_change_free (ed->change);
          ed->change = change;
        }
      else
        tb_change_free (change);
      return_change (g_steal_pointer (&task));
      return;
    }

  if (ed->writes == 0 || ed->change == NULL || tb_change_is_none (ed->change))
    {
      tb_change_free (ed->change);
      ed->change = change;
    }
  else
    tb_change_free (change);

  g_clear_pointer (&ed->patch, json_object_unref);
  ed->patch = g_steal_pointer (&patch);
  g_set_object (&ed->before, principal);
  send_patch (g_steal_pointer (&task));
}

static void
pre_write_read (GTask *task)
{
  EditorData *ed = g_task_get_task_data (task);
  GCancellable *task_cancellable = g_task_get_cancellable (task);

  tb_graph_client_get_service_principal_async (g_task_get_source_object (task),
                                               tb_principal_edit_get_app_id (ed->edit),
                                               task_cancellable, on_read_before_write, task);
}

static void
on_fresh_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  g_autoptr(TbServicePrincipal) principal = NULL;
  GError *error = NULL;

  principal = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (principal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ed->change = tb_principal_edit_compute (ed->edit, principal, &ed->patch, &error);
  if (ed->change == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Nothing to change is not written again; a preview never writes. */
  if (ed->preview || ed->patch == NULL)
    {
      return_change (g_steal_pointer (&task));
      return;
    }

  /* The change was computed; read once more immediately before writing it. */
  pre_write_read (g_steal_pointer (&task));
}

static void
editor_run (TbGraphClient       *client,
            TbPrincipalEdit     *edit,
            gboolean             preview,
            TbServicePrincipal  *approved,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EditorData *ed;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (client));
  g_return_if_fail (TB_IS_PRINCIPAL_EDIT (edit));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  ed = g_new0 (EditorData, 1);
  ed->edit = g_object_ref (edit);
  ed->preview = preview;
  ed->approved = approved != NULL ? g_object_ref (approved) : NULL;
  ed->restored = g_ptr_array_new_with_free_func (g_free);
  ed->retries_at_start = tb_graph_client_get_retry_count (client);
  g_task_set_task_data (task, ed, (GDestroyNotify) editor_data_free);

  /* Approved in a preview: the read before the PATCH is compared with what was approved. */
  if (approved != NULL)
    {
      pre_write_read (g_steal_pointer (&task));
      return;
    }

  /* Always a fresh single-object read, never a cached or listed principal: the merge needs
   * every key as Graph holds it now. */
  tb_graph_client_get_service_principal_async (client, tb_principal_edit_get_app_id (edit),
                                               cancellable, on_fresh_read, g_steal_pointer (&task));
}

void
tb_graph_client_apply_edit_async (TbGraphClient       *client,
                                  TbPrincipalEdit     *edit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  editor_run (client, edit, FALSE, NULL, tb_graph_client_apply_edit_async, cancellable, callback,
              user_data);
}

TbChange *
tb_graph_client_apply_edit_finish (TbGraphClient  *client,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_graph_client_apply_edit_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tb_graph_client_apply_approved_edit_async (TbGraphClient       *client,
                                           TbPrincipalEdit     *edit,
                                           TbServicePrincipal  *approved,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (TB_IS_SERVICE_PRINCIPAL (approved));

  editor_run (client, edit, FALSE, approved, tb_graph_client_apply_approved_edit_async,
              cancellable, callback, user_data);
}

TbChange *
tb_graph_client_apply_approved_edit_finish (TbGraphClient       *client,
                                            GAsyncResult        *result,
                                            TbServicePrincipal **current,
                                            GError             **error)
{
  EditorData *ed;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tb_graph_client_apply_approved_edit_async, NULL);

  ed = g_task_get_task_data (G_TASK (result));
  if (current != NULL)
    *current = ed->current != NULL ? g_object_ref (ed->current) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tb_graph_client_preview_edit_async (TbGraphClient       *client,
                                    TbPrincipalEdit     *edit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  editor_run (client, edit, TRUE, NULL, tb_graph_client_preview_edit_async, cancellable, callback,
              user_data);
}

TbChange *
tb_graph_client_preview_edit_finish (TbGraphClient  *client,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == tb_graph_client_preview_edit_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
