/* tb-principal-write.h: one change to a service principal, from preview to read-back
 *
 * The one way the GUI writes a principal: write access (asked for when missing), then a
 * preview of the merge or a confirmation naming what changes, then TbPrincipalEditor's guarded
 * write (fresh read, merge, PATCH, read back), and a toast. The host (the Service Principals
 * page) shows the busy state and the error, and re-reads the tenant after a write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-context.h"
#include "tb-principal-edit.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

typedef struct _TbPrincipalWrite TbPrincipalWrite;

typedef enum
{
  TB_PRINCIPAL_WRITE_APPLIED,    /* written (or nothing to change): read the tenant again */
  TB_PRINCIPAL_WRITE_DECLINED,   /* the admin said no, or nothing was left to do */
  TB_PRINCIPAL_WRITE_CANCELLED,  /* the host's cancellable was cancelled */
  TB_PRINCIPAL_WRITE_FAILED,     /* @error says why; nothing changed unless it says so */
} TbPrincipalWriteResult;

/* What a write needs from the page it starts on. */
typedef struct
{
  /* The principal as the page shows it (what a confirmation dialog describes), or NULL. */
  TbServicePrincipal *(*get_principal) (gpointer host, const char *app_id);
  /* The principal's display name, for messages. */
  const char         *(*get_name)      (gpointer host, const char *app_id);
  void                (*set_busy)      (gpointer host, gboolean busy);
  void                (*finished)      (gpointer host, TbPrincipalWrite *write,
                                        TbPrincipalWriteResult result, const GError *error);
} TbPrincipalWriteHost;

/* Takes @edit. */
TbPrincipalWrite *tb_principal_write_new         (TbPrincipalEdit        *edit);
void              tb_principal_write_free        (TbPrincipalWrite       *write);
TbPrincipalEdit  *tb_principal_write_get_edit    (TbPrincipalWrite       *write);
/* The sentence shown when write access has to be asked for. */
void              tb_principal_write_set_reason  (TbPrincipalWrite       *write,
                                                  const char             *reason);
/* The toast after a successful write. */
void              tb_principal_write_set_done    (TbPrincipalWrite       *write,
                                                  const char             *toast);
/* The dialog before writing; without one the change is applied at once. @label is the
 * confirm button's (with a mnemonic); a destructive one is never the default answer. */
void              tb_principal_write_set_confirm (TbPrincipalWrite       *write,
                                                  const char             *heading,
                                                  const char             *body,
                                                  const char             *label,
                                                  gboolean                destructive);
/* Adding a certificate: the dialog's body is the merge as Graph would get it (what is kept,
 * what is added, the target's @notice), read fresh first; @warning (or NULL) comes first. */
void              tb_principal_write_set_preview (TbPrincipalWrite       *write,
                                                  const char             *warning,
                                                  const char             *notice);
/* Runs the write; @host's finished() is called once, then the write is freed. */
void              tb_principal_write_start       (TbPrincipalWrite       *write,
                                                  GtkWidget              *parent,
                                                  TbContext              *context,
                                                  const TbPrincipalWriteHost *host,
                                                  gpointer                host_data,
                                                  GCancellable           *cancellable);

G_END_DECLS
