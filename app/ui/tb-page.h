/* tb-page.h: what every page of the window is made of
 *
 * A page shows one part of the trust. It is given the context (the services) and the window's
 * workspace (the trust model), and follows the context's sign-in by itself: when the context
 * replaces its TbAuth (another cloud, tenant or client ID), the page's auth_changed hook runs
 * and the handlers it connected through tb_page_get_auth_signals() move to the new one. The
 * page's GCancellable is cancelled when the page goes and when the context changes, and
 * "loading" is true while any of its reads or writes runs (tb_page_set_busy counts them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-context.h"
#include "tb-workspace.h"

G_BEGIN_DECLS

#define TB_TYPE_PAGE (tb_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (TbPage, tb_page, TB, PAGE, GtkWidget)

struct _TbPageClass
{
  GtkWidgetClass parent_class;

  /* The context was replaced (also by NULL); the cancellable is already a new one. */
  void (*context_changed)   (TbPage *self);
  /* The followed TbAuth was replaced: the context made a new one, or the context itself was
   * replaced (then always, right after context_changed). */
  void (*auth_changed)      (TbPage *self);
  /* The workspace was replaced (also by NULL). */
  void (*workspace_changed) (TbPage *self);
  /* Retry was chosen on the inline error (already cleared): do again what failed. */
  void (*retry)             (TbPage *self);
  /* Rebuild what the page shows from its state; run by tb_page_queue_update. */
  void (*update)            (TbPage *self);

  gpointer padding[6];
};

TbContext    *tb_page_get_context           (TbPage      *self);
void          tb_page_set_context           (TbPage      *self,
                                             TbContext   *context);
/* Never NULL: a page not given one (NULL) keeps a model of its own. */
TbWorkspace  *tb_page_get_workspace         (TbPage      *self);
void          tb_page_set_workspace         (TbPage      *self,
                                             TbWorkspace *workspace);
/* The context's auth as last followed, or NULL. */
TbAuth       *tb_page_get_auth              (TbPage      *self);
gboolean      tb_page_get_signed_in         (TbPage      *self);

/* Handlers connected here follow the context (its "notify::warn-days" …), the auth
 * ("notify::signed-in" …) and the workspace ("notify::pool-state" …) as they are replaced.
 * Connect them in the subclass's init: GLib 2.74 takes none once a group has a target. */
GSignalGroup *tb_page_get_context_signals   (TbPage      *self);
GSignalGroup *tb_page_get_auth_signals      (TbPage      *self);
GSignalGroup *tb_page_get_workspace_signals (TbPage      *self);

/* What the page shows changed: the class's update hook runs before the next frame when the
 * page is mapped, else when it next is, before it is drawn. Requests in between run it once.
 * The update runs on its own turn of the main loop, not inside the reply or notification that
 * asked for it, so neither holds up input for long; "loading" stays true until it has run.
 * A page out of sight (another page of the window is shown) builds no widgets nobody sees. */
void          tb_page_queue_update          (TbPage      *self);
/* Runs the update hook at once (and drops a queued run): for what the admin just asked for. */
void          tb_page_update_now            (TbPage      *self);

typedef void (*TbPageUpdateFunc) (TbPage *self);
/* Called from the update hook, for an update too long for one turn of the main loop: @rest
 * runs on a turn of its own right after it, still before the next frame, so the frame shows
 * the whole update and input is answered in between; "loading" stays true until it has run.
 * tb_page_update_now (and a page's map) runs it at once; the next update drops it. */
void          tb_page_update_rest_later     (TbPage           *self,
                                             TbPageUpdateFunc  rest);

/* Cancelled on dispose and when the context changes. */
GCancellable *tb_page_get_cancellable       (TbPage      *self);
/* Cancels what runs and starts a new cancellable (a new look-up replaces the last). */
void          tb_page_renew_cancellable     (TbPage      *self);

/* "loading": one tb_page_set_busy (TRUE) per operation, one (FALSE) when it ends; also true
 * while a queued update has not run. While
 * loading, the widget set with tb_page_set_busy_widget is dimmed ("tb-loading"), so the page
 * never goes blank under the admin. */
gboolean      tb_page_get_loading           (TbPage      *self);
void          tb_page_set_busy              (TbPage      *self,
                                             gboolean     busy);
/* Ends every operation counted (a look-up that replaces the last one). */
void          tb_page_clear_busy            (TbPage      *self);
void          tb_page_set_busy_widget       (TbPage      *self,
                                             GtkWidget   *widget);

typedef enum
{
  TB_PAGE_ERROR_NONE  = 0,
  /* Offer Retry (the class's retry hook): only where trying again can help. */
  TB_PAGE_ERROR_RETRY = 1 << 0,
  /* Move the keyboard focus to the message, which scrolls it into view and has a screen
   * reader read it (when the page is shown). */
  TB_PAGE_ERROR_FOCUS = 1 << 1,
} TbPageErrorFlags;

/* The box the inline error goes into; hidden while there is none. */
void          tb_page_set_error_slot        (TbPage           *self,
                                             GtkBox           *slot);
/* Replaces the error shown: @heading says what failed ("Reading the tenant failed"; NULL when
 * the message says it), @hint, when not NULL, what to do about it. Returns the error's
 * AdwPreferencesGroup, to which a page may add a row offering a way round. */
GtkWidget    *tb_page_show_error            (TbPage           *self,
                                             const char       *heading,
                                             const GError     *error,
                                             const char       *hint,
                                             TbPageErrorFlags  flags);
void          tb_page_clear_error           (TbPage           *self);
/* The error shown, or NULL. */
const GError *tb_page_get_error             (TbPage           *self);

G_END_DECLS
