/* tb-ui-util.h: small helpers shared by the certificate widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

/* Names what GTK and libadwaita leave unnamed for screen readers, for every widget as it is
 * first mapped (tb-accessibility.c). Called once by the window class. */
void        tb_accessibility_init            (void);
/* The same for every widget under @root now, mapped or not. */
void        tb_accessibility_tidy_tree       (GtkWidget           *root);

/* Every widget with a template calls this in class_init. The resources live in a static library,
 * where the linker would drop their self-registering object unless something refers to it. */
void        tb_ui_ensure_resources           (void);

/* The libadwaita style class for a status: "success", "warning" or "error". */
const char *tb_status_get_css_class          (TbCertificateStatus  status);
/* Sets the pill text and colour, replacing any previous status class. */
void        tb_status_label_update           (GtkLabel            *label,
                                              TbCertificateStatus  status);
/* The certificate's badge: its status, or "Key too short" (error) for a weak RSA key. */
void        tb_certificate_badge_update      (GtkLabel            *label,
                                              TbCertificate       *certificate,
                                              GDateTime           *now,
                                              guint                warn_days);
/* A distinguished name as Windows and Entra show it, CN first ("CN=a, O=b, C=c"), whichever
 * order the certificate encodes its RDNs in. The CLI's JSON keeps the RFC 4514 form. */
char       *tb_format_dn_for_display         (const char          *dn);
/* The common name, else the subject, else a placeholder: never empty. */
const char *tb_certificate_get_display_name  (TbCertificate       *certificate);
/* A credential's name for lists: its display name, else "Thumbprint 1A2B3C4D…", else its keyId. */
char       *tb_key_credential_dup_title      (TbKeyCredential     *credential);
/* Gives @button the menu @model when it first opens (a click, F10, Space on it), not now: a
 * popover menu is a tree of widgets nobody sees before that. The button stays sensitive
 * meanwhile, and the menu is built once. */
void        tb_menu_button_set_menu_model_lazily (GtkMenuButton *button,
                                                  GMenuModel    *model);
/* Shows @text as a toast on the nearest AdwToastOverlay above @widget. */
void        tb_widget_show_toast             (GtkWidget           *widget,
                                              const char          *text);
/* Presents @window on a later turn of the main loop, after what is already queued there (the
 * parent window's frame): the new window's first layout and frame do not add to it. Nothing
 * happens when @window was destroyed in between. */
void        tb_window_present_soon           (GtkWindow           *window);
/* A GClosureNotify that g_free()s a handler's data: state a signal handler carries (a string,
 * a plain struct) lives as long as the handler. */
void        tb_closure_free_data             (gpointer             data,
                                              GClosure            *closure);
/* Copies @text to @widget's clipboard and confirms with a toast. */
void        tb_widget_copy_text              (GtkWidget           *widget,
                                              const char          *text,
                                              const char          *toast);

/* Appends the text of every visible label in @widget and below it, one per line, in the
 * order a screen reader reads them: what a page or dialog says, for its tests. */
void        tb_widget_append_label_text      (GtkWidget           *widget,
                                              GString             *text);

/* Destroys the file chooser *@chooser holds, if any, and clears it: its owner's one
 * reference. Also from the chooser's own "response" handler. */
void        tb_file_chooser_clear            (GtkFileChooserNative **chooser);
/* In a chooser's "response" handler: the file chosen if @response accepted it, else NULL; the
 * chooser is cleared either way. */
GFile      *tb_file_chooser_take_file        (GtkFileChooserNative **chooser,
                                              int                    response);
/* A modal chooser to save a PowerShell script: the .ps1 filter, @name suggested. */
GtkFileChooserNative *tb_script_chooser_new  (GtkWindow            *parent,
                                              const char           *title,
                                              const char           *name);

/* A flat icon-only button for a row's suffix, @label as its tooltip and accessible name. */
GtkWidget  *tb_icon_button_new               (const char          *icon,
                                              const char          *label);
/* A read-only "title over value" AdwActionRow; @monospace for identifiers, @copy adds a copy
 * button with a tooltip and accessible name, which activates the row's row.copy("@value"). */
GtkWidget  *tb_value_row_new                 (const char          *title,
                                              const char          *value,
                                              gboolean             monospace,
                                              gboolean             copy);

G_END_DECLS
