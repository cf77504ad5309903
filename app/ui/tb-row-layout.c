/* tb-row-layout.c: wrapped text in rows and dialogs measured once per width, not searched for
 *
 * An AdwActionRow lays its title and subtitle out in a vertical box (box.title) inside a
 * horizontal one (box.header). Asked for its height at a width, GTK 4.8's horizontal box
 * searches for the height at which its children's minimum widths fit that width, asking the
 * title box its width at each height tried; the title box in turn searches for the width at
 * which its labels fit that height, and each wrapped label searches again, laying its text
 * out (shaping it) at every width tried. A row of two wrapped lines is shaped a hundred times
 * or more the first time it is measured: tens of milliseconds for a handful of new rows.
 *
 * The answer that search finds is never needed here: the title box expands, so the header
 * gives it all the width its prefixes and suffixes leave, and its height follows from that
 * width. TbWidthFirstLayout wraps the title box's own box layout and measures the box's width
 * without a height (its minimum and natural width as text wraps at any height), which GTK
 * caches once; everything else, and so what is drawn, stays the box layout's own. The box's
 * CSS node, and with it the theme's `row > box.header > box.title` rules, is unchanged.
 *
 * GtkBox's property getters and setters (spacing, homogeneous, orientation) expect their
 * GtkBoxLayout and warn on another layout: only boxes whose properties libadwaita sets in its
 * templates and never again are given one (a row's title box, a message dialog's content),
 * and nothing here reads them; the GTK inspector, reading them, warns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-row-layout"

#include "config.h"

#include "tb-row-layout.h"

struct _TbWidthFirstLayout
{
  GtkLayoutManager  parent_instance;

  GtkLayoutManager *inner;
};

G_DEFINE_FINAL_TYPE (TbWidthFirstLayout, tb_width_first_layout, GTK_TYPE_LAYOUT_MANAGER)

static GtkSizeRequestMode
tb_width_first_layout_get_request_mode (GtkLayoutManager *manager,
                                        GtkWidget        *widget)
{
  TbWidthFirstLayout *self = TB_WIDTH_FIRST_LAYOUT (manager);

  return GTK_LAYOUT_MANAGER_GET_CLASS (self->inner)->get_request_mode (self->inner, widget);
}

static void
tb_width_first_layout_measure (GtkLayoutManager *manager,
                               GtkWidget        *widget,
                               GtkOrientation    orientation,
                               int               for_size,
                               int              *minimum,
                               int              *natural,
                               int              *minimum_baseline,
                               int              *natural_baseline)
{
  TbWidthFirstLayout *self = TB_WIDTH_FIRST_LAYOUT (manager);

  /* Width never depends on the height offered: wrapped text is measured by width only. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;
  GTK_LAYOUT_MANAGER_GET_CLASS (self->inner)->measure (self->inner, widget, orientation, for_size,
                                                       minimum, natural, minimum_baseline,
                                                       natural_baseline);
}

static void
tb_width_first_layout_allocate (GtkLayoutManager *manager,
                                GtkWidget        *widget,
                                int               width,
                                int               height,
                                int               baseline)
{
  TbWidthFirstLayout *self = TB_WIDTH_FIRST_LAYOUT (manager);

  GTK_LAYOUT_MANAGER_GET_CLASS (self->inner)->allocate (self->inner, widget, width, height,
                                                        baseline);
}

static void
tb_width_first_layout_dispose (GObject *object)
{
  TbWidthFirstLayout *self = TB_WIDTH_FIRST_LAYOUT (object);

  g_clear_object (&self->inner);

  G_OBJECT_CLASS (tb_width_first_layout_parent_class)->dispose (object);
}

static void
tb_width_first_layout_class_init (TbWidthFirstLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  object_class->dispose = tb_width_first_layout_dispose;
  manager_class->get_request_mode = tb_width_first_layout_get_request_mode;
  manager_class->measure = tb_width_first_layout_measure;
  manager_class->allocate = tb_width_first_layout_allocate;
}

static void
tb_width_first_layout_init (TbWidthFirstLayout *self)
{
}

/* @inner: the layout measured and allocated with; a reference is taken. */
GtkLayoutManager *
tb_width_first_layout_new (GtkLayoutManager *inner)
{
  TbWidthFirstLayout *self;

  g_return_val_if_fail (GTK_IS_LAYOUT_MANAGER (inner), NULL);

  self = g_object_new (TB_TYPE_WIDTH_FIRST_LAYOUT, NULL);
  self->inner = g_object_ref (inner);
  return GTK_LAYOUT_MANAGER (self);
}

/* Gives the vertical GtkBox @box a TbWidthFirstLayout around its own box layout; FALSE, and
 * @box left as it was, when it is not a vertical box with a box layout. */
gboolean
tb_width_first_layout_apply (GtkWidget *box)
{
  GtkLayoutManager *inner;

  g_return_val_if_fail (GTK_IS_WIDGET (box), FALSE);

  /* The layout first: a GtkBox reads its orientation from its box layout, and warns when it
   * has none (as once it has this one). */
  if (!GTK_IS_BOX (box))
    return FALSE;
  inner = gtk_widget_get_layout_manager (box);
  if (!GTK_IS_BOX_LAYOUT (inner) ||
      gtk_orientable_get_orientation (GTK_ORIENTABLE (box)) != GTK_ORIENTATION_VERTICAL)
    return FALSE;
  gtk_widget_set_layout_manager (box, tb_width_first_layout_new (inner));
  return TRUE;
}

/* The first box below @widget with @css_class whose parent has @parent_class (any parent
 * when NULL), or NULL when the widgets are built otherwise. */
static GtkWidget *
find_box (GtkWidget  *widget,
          const char *css_class,
          const char *parent_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BOX (child) && gtk_widget_has_css_class (child, css_class) &&
          (parent_class == NULL || gtk_widget_has_css_class (widget, parent_class)))
        return child;
      if ((found = find_box (child, css_class, parent_class)) != NULL)
        return found;
    }
  return NULL;
}

/* A wrapping label's minimum width is its text laid out at zero width, or at its width-chars
 * when set. A row's title and subtitle wrap at words, else at characters: at zero width that
 * is one character a line, and every line is shaped again, several hundred shapings for a
 * two-line subtitle, most of what a new row costs to measure. Laid out at 20 characters
 * instead they take a few lines. 20 characters still fit a row of the narrowest window
 * (360 px, its row chrome and a suffix button included), so no window grows wider for it. */
#define ROW_LABEL_MIN_CHARS 20

static void
set_min_chars (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)) &&
      gtk_label_get_width_chars (GTK_LABEL (widget)) < 0)
    gtk_label_set_width_chars (GTK_LABEL (widget), ROW_LABEL_MIN_CHARS);
}

/* Every wrapping label below @widget, but not inside a list (a group's rows). */
static void
set_min_chars_above_list (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      set_min_chars (child);
      if (!GTK_IS_LIST_BOX (child))
        set_min_chars_above_list (child);
    }
}

/* Gives @row's title box a TbWidthFirstLayout, and its wrapping labels a minimum width of
 * ROW_LABEL_MIN_CHARS; once per row, and only where the title box
 * is the vertical GtkBox with a box layout it is in libadwaita 1.2, else the row is left as
 * it is (slower to measure, drawn the same). */
void
tb_row_layout_fix (AdwActionRow *row)
{
  GtkWidget *box;

  g_return_if_fail (ADW_IS_ACTION_ROW (row));

  /* A title box that has the layout already is no box layout any more: apply refuses it, and
   * a row met again is left as it is. */
  box = find_box (GTK_WIDGET (row), "title", "header");
  if (box == NULL || !tb_width_first_layout_apply (box))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_min_chars (child);
}

/* The wrapping labels of @group's header (its title and description, which libadwaita wraps
 * as it does a row's), given the same minimum width as a row's, and the vertical box that
 * holds them (box.labels in box.header) a TbWidthFirstLayout, as a row's title box: GTK 4.8's
 * horizontal header box otherwise searches for its height, laying a description out at every
 * width it tries (60 layouts of one description in a dialog's relayout). Its rows are left to
 * tb_row_layout_fix. */
static void
tb_group_layout_fix (AdwPreferencesGroup *group)
{
  GtkWidget *labels;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  labels = find_box (GTK_WIDGET (group), "labels", "header");
  if (labels != NULL)
    tb_width_first_layout_apply (labels);
  set_min_chars_above_list (GTK_WIDGET (group));
}

/* Every action row and preferences group in @widget and below it, @widget included. */
void
tb_row_layout_fix_all (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (ADW_IS_ACTION_ROW (widget))
    tb_row_layout_fix (ADW_ACTION_ROW (widget));
  else if (ADW_IS_PREFERENCES_GROUP (widget))
    tb_group_layout_fix (ADW_PREFERENCES_GROUP (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tb_row_layout_fix_all (child);
}

/* AdwMessageDialog's heading and body wrap, inside a vertical box with its responses: that
 * box is given a TbWidthFirstLayout, as a row's title box is, and the body's wrapping labels
 * the same minimum width as a row's. The heading keeps its own: twenty characters of its
 * larger font would not fit the narrowest dialog. */
void
tb_message_dialog_measure_width_first (AdwMessageDialog *dialog)
{
  GtkWidget *message_area;

  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  message_area = find_box (GTK_WIDGET (dialog), "message-area", NULL);
  if (message_area == NULL || gtk_widget_get_parent (message_area) == NULL)
    return;
  tb_width_first_layout_apply (gtk_widget_get_parent (message_area));
  for (GtkWidget *child = gtk_widget_get_first_child (message_area); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!gtk_widget_has_css_class (child, "title-2"))
      set_min_chars (child);
}
