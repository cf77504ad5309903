/* test-ui-startup.c: what the window builds before its first frame, and what after
 *
 * Pages the first frame does not show (Service Principals, Certificates, Tenant, On-premises
 * Pool) are built after it, or at once when something needs them: the Service Principals page
 * also when a sign-in succeeds, since it reads the snapshot the Overview checks. With a demo
 * announced (tb_demo_prepare, as --demo does) the Certificates, Tenant and Pool pages wait for
 * its simulators, so they start from the demo tenant and the demo Front End. The Overview's
 * pool half is drawn in the first frame when it is in view, and built after it when not. No
 * timing is asserted: only what exists when.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "tb-application.h"
#include "tb-overview-page-private.h"
#include "tb-tenant-page-private.h"
#include "tb-trust-check.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

static gboolean
has_descendant_of_type (GtkWidget *widget,
                        GType      type)
{
  return tb_test_find_widget (widget, tb_test_is_of_type, GSIZE_TO_POINTER (type)) != NULL;
}

/* Waits in this file give up after 60 s. */
#define iterate_until(done, data) tb_test_wait_until ((done), (data), 60)

static gboolean
all_pages_built (gpointer data)
{
  GtkWidget *window = data;

  return has_descendant_of_type (window, TB_TYPE_PRINCIPALS_PAGE) &&
         has_descendant_of_type (window, TB_TYPE_CERTIFICATES_PAGE) &&
         has_descendant_of_type (window, TB_TYPE_TENANT_PAGE) &&
         has_descendant_of_type (window, TB_TYPE_POOL_PAGE);
}

static gboolean
tenant_found (gpointer data)
{
  TbTenantPage *page = data;

  return !tb_tenant_page_get_loading (page) && tb_tenant_page_get_tenant (page) != NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Both go: the window at once, the context once operations the window's pages cancelled have
 * called back (a cancelled tenant look-up still holds its page until then). */
static void
close_window (TbWindow  *window,
              TbContext *context)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (window);
  g_object_add_weak_pointer (G_OBJECT (context), (gpointer *) &context);
  g_object_unref (context);
  iterate_until (is_null, &context);
}

/* Hidden pages come after the first frame, by themselves. */
static void
test_hidden_pages_later (void)
{
  TbContext *context = tb_context_new ();
  TbWindow *window = g_object_ref (tb_window_new (NULL, context));

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (tb_window_get_visible_page (window), ==, "overview");
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_PRINCIPALS_PAGE));
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_CERTIFICATES_PAGE));
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_TENANT_PAGE));
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_POOL_PAGE));
  g_assert_true (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_OVERVIEW_PAGE));

  iterate_until (all_pages_built, window);
  close_window (window, context);
}

/* A page shown (--page, the sidebar) is there in the same turn, before any frame. */
static void
test_shown_page_at_once (void)
{
  TbContext *context = tb_context_new ();
  TbWindow *window = g_object_ref (tb_window_new (NULL, context));

  tb_window_show_page (window, "pool");
  g_assert_true (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_POOL_PAGE));
  /* Pages know no other page: "Use This Certificate" goes through the workspace, so the
   * Certificates page waits until it is shown. */
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_CERTIFICATES_PAGE));
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_TENANT_PAGE));
  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_PRINCIPALS_PAGE));

  tb_window_show_page (window, "service-principals");
  g_assert_true (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_PRINCIPALS_PAGE));
  close_window (window, context);
}

static gboolean
snapshot_read (gpointer data)
{
  return tb_workspace_get_snapshot (tb_window_get_workspace (data)) != NULL;
}

/* A sign-in before any frame (nothing built the Service Principals page yet) is still read:
 * the Overview checks the tenant's principals from that snapshot. */
static void
test_sign_in_reads_principals (void)
{
  TbContext *context = tb_test_context_new_demo ();
  TbWindow *window = g_object_ref (tb_window_new (NULL, context));

  g_assert_false (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_PRINCIPALS_PAGE));
  tb_test_sign_in (tb_context_get_auth (context), TB_AUTH_ACCESS_READ);
  g_assert_true (has_descendant_of_type (GTK_WIDGET (window), TB_TYPE_PRINCIPALS_PAGE));
  iterate_until (snapshot_read, window);
  close_window (window, context);
}

/* With a demo announced, the first frame shows the demo strip; the simulators start after it
 * and the pages built then start from the demo tenant. */
static void
test_demo_after_first_frame (void)
{
  TbContext *context = tb_context_new ();
  TbWindow *window;
  TbTenantPage *tenant;

  tb_test_prepare_demo (context);
  window = g_object_ref (tb_window_new (NULL, context));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tb_context_get_demo (context));
  g_assert_null (tb_test_get_sim (context));

  /* What TbApplication does after the first frame. */
  tb_demo_start_async (tb_demo_get_for_context (context), NULL, NULL, NULL);
  iterate_until (all_pages_built, window);
  g_assert_false (tb_context_get_demo_pending (context));
  g_assert_nonnull (tb_test_get_sim (context));

  tenant = tb_window_get_tenant_page (window);
  iterate_until (tenant_found, tenant);
  g_assert_cmpstr (tb_tenant_get_id (tb_tenant_page_get_tenant (tenant)), ==,
                   tb_sim_get_tenant_id (tb_test_get_sim (context)));
  close_window (window, context);
}

/* A page asked for while the simulators still start waits for them instead of starting from
 * the cloud they replace. */
static void
test_demo_page_needed_early (void)
{
  TbContext *context = tb_context_new ();
  TbWindow *window;
  TbTenantPage *tenant;

  tb_test_prepare_demo (context);
  window = g_object_ref (tb_window_new (NULL, context));
  tb_window_show_page (window, "tenant");
  g_assert_false (tb_context_get_demo_pending (context));
  tenant = tb_window_get_tenant_page (window);
  iterate_until (tenant_found, tenant);
  g_assert_cmpstr (tb_tenant_get_id (tb_tenant_page_get_tenant (tenant)), ==,
                   tb_sim_get_tenant_id (tb_test_get_sim (context)));
  close_window (window, context);
}

typedef struct
{
  TbWindow *window;
  gboolean  painted;
  gboolean  pool_group_in_view;   /* at the first paint */
  gboolean  pool_row_drawn;       /* at the first paint */
  guint     pool_rows_built;      /* at the first paint */
  gboolean  pool_rows_in_view;    /* at the first paint, each built row starts in view */
  gboolean  pool_group_ends_in_view; /* … and the group ends in view */
} FirstPaint;

static gboolean
is_action_row (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget);
}

/* The rows of the group @group, in order. */
static GPtrArray *
group_rows (GtkWidget *group)
{
  return tb_test_collect_widgets (group, is_action_row, NULL);
}

/* The Overview's pool half's group: the one after the Microsoft 365 rows' group. */
static GtkWidget *
pool_group (TbWindow *window)
{
  GtkWidget *group = gtk_widget_get_ancestor (
    tb_overview_page_get_row (tb_window_get_overview_page (window), TB_TRUST_CHECK_SFB_CREDENTIAL),
    ADW_TYPE_PREFERENCES_GROUP);

  group = group != NULL ? gtk_widget_get_next_sibling (group) : NULL;
  g_assert_true (ADW_IS_PREFERENCES_GROUP (group));
  return group;
}

/* The pool half's first row (the tenant realm), built and given room. */
static gboolean
pool_row_shown (gpointer data)
{
  GtkWidget *row = tb_overview_page_get_row (tb_window_get_overview_page (data),
                                             TB_TRUST_CHECK_TENANT_REALM);

  return row != NULL && gtk_widget_get_mapped (row) && gtk_widget_get_height (row) > 0;
}

static void
on_after_paint (GdkFrameClock *clock,
                FirstPaint    *paint)
{
  GtkWidget *page = GTK_WIDGET (tb_window_get_overview_page (paint->window));
  GtkWidget *group = pool_group (paint->window);
  g_autoptr(GPtrArray) rows = group_rows (group);
  int height = gtk_widget_get_height (page);
  graphene_rect_t bounds;

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, paint);
  paint->painted = TRUE;
  paint->pool_row_drawn = pool_row_shown (paint->window);
  g_assert_true (gtk_widget_compute_bounds (group, page, &bounds));
  paint->pool_group_in_view = bounds.origin.y < height;
  paint->pool_group_ends_in_view = bounds.origin.y + bounds.size.height < height;
  paint->pool_rows_built = rows->len;
  paint->pool_rows_in_view = TRUE;
  for (guint i = 0; i < rows->len; i++)
    {
      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (rows, i), page, &bounds));
      paint->pool_rows_in_view &= bounds.origin.y < height;
    }
}

static void
on_map (GtkWidget  *window,
        FirstPaint *paint)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), paint);
}

static gboolean
painted (gpointer data)
{
  return ((FirstPaint *) data)->painted;
}

/* In a window tall enough to show the Overview's pool half, its rows that start in view are
 * in the first frame, and no other; in a short one they are built once that frame is painted.
 * At 880 and 760 the group's header and some of its rows are in view, not all. */
static void
test_overview_rows_first_frame (void)
{
  static const int heights[] = { 880, 760, 500 };

  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    {
      TbContext *context = tb_context_new ();
      TbWindow *window = g_object_ref (tb_window_new (NULL, context));
      FirstPaint paint = { window, FALSE, FALSE, FALSE };
      g_autoptr(GPtrArray) rows = NULL;

      gtk_window_set_default_size (GTK_WINDOW (window), 1100, heights[i]);
      g_signal_connect_after (window, "map", G_CALLBACK (on_map), &paint);
      gtk_window_present (GTK_WINDOW (window));
      iterate_until (painted, &paint);
      g_assert_cmpint (paint.pool_group_in_view, ==, heights[i] > 600);
      g_assert_cmpint (paint.pool_row_drawn, ==, paint.pool_group_in_view);
      g_assert_true (paint.pool_rows_in_view);
      iterate_until (pool_row_shown, window);
      tb_test_iterate_pending ();
      rows = group_rows (pool_group (window));
      g_assert_cmpuint (rows->len, >, 1);
      /* A row held back at the first paint would have started below the fold. */
      if (paint.pool_rows_built < rows->len)
        g_assert_false (paint.pool_group_ends_in_view);
      close_window (window, context);
    }
}

static gboolean
has_help_overlay (gpointer data)
{
  return gtk_application_window_get_help_overlay (data) != NULL;
}

/* The application's window gets its keyboard shortcuts window after its first frame. */
static void
test_application_help_overlay (void)
{
  g_autoptr(TbApplication) app = tb_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (TB_IS_WINDOW (window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  iterate_until (has_help_overlay, window);
  gtk_window_destroy (window);
  tb_test_iterate_pending ();
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/startup/hidden-pages-later", test_hidden_pages_later);
  g_test_add_func ("/ui/startup/shown-page-at-once", test_shown_page_at_once);
  g_test_add_func ("/ui/startup/sign-in-reads-principals", test_sign_in_reads_principals);
  g_test_add_func ("/ui/startup/demo-after-first-frame", test_demo_after_first_frame);
  g_test_add_func ("/ui/startup/demo-page-needed-early", test_demo_page_needed_early);
  g_test_add_func ("/ui/startup/application-help-overlay", test_application_help_overlay);
  g_test_add_func ("/ui/startup/overview-rows-first-frame", test_overview_rows_first_frame);

  return g_test_run ();
}
