/* fuzz.h: what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target defines LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize). Built with
 * -Dfuzzing=true they link libFuzzer; in the normal build they link fuzz-main.c, which feeds
 * them the files of their corpus (seeds and every input that once crashed), so each corpus is
 * a regression test of the normal suite.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

/* Once per process: GLib criticals and warnings abort (a parser must never trigger one, and
 * GLib reports an overwritten GError as a warning), and nothing reaches D-Bus. */
void          tb_fuzz_init        (void);

/* A refusal says why: @error is set and its message is valid UTF-8 (it reaches the screen). */
void          tb_fuzz_check_refusal (const GError *error);

/* Runs the default main context until *@result is set by tb_fuzz_store_result, cancelling
 * @cancellable after @timeout_ms (retries and paging loops end there). */
void          tb_fuzz_store_result (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);
GAsyncResult *tb_fuzz_wait         (GAsyncResult **result,
                                    GCancellable  *cancellable,
                                    guint          timeout_ms);

/* The timeout tb_fuzz_wait is given for one network call of a target: the call's retries and
 * paging end there. */
#define TB_FUZZ_DEADLINE_MS 250

/* A loopback HTTP server in this thread, started on first use. Every request is answered by
 * the handler set last. */
typedef void (*TbFuzzHandler) (const char  *method,
                               const char  *path,
                               guint       *status,
                               GBytes     **body,
                               gpointer     user_data);

const char   *tb_fuzz_server_base        (void);      /* "http://127.0.0.1:PORT" */
void          tb_fuzz_server_set_handler (TbFuzzHandler handler,
                                          gpointer      user_data);
guint         tb_fuzz_server_requests    (void);

G_END_DECLS

/* A signed-in Graph client against the loopback server: its login paths are answered here
 * (device code, then a write token); every other path gets the reply of
 * tb_fuzz_graph_set_reply. The sign-in runs once, on first use. */
typedef struct _TbGraphClient TbGraphClient;
TbGraphClient *tb_fuzz_graph_client    (void);
void           tb_fuzz_graph_set_reply (guint         status,
                                        const guint8 *data,
                                        gsize         size);

/* Defines LLVMFuzzerInitialize for a target that reads through tb_fuzz_graph_client: the
 * client signs in there, before the first input, so no input's deadline pays for it. */
#define TB_FUZZ_GRAPH_INITIALIZE()        \
  int                                     \
  LLVMFuzzerInitialize (int    *argc,     \
                        char ***argv)     \
  {                                       \
    tb_fuzz_init ();                      \
    tb_fuzz_graph_client ();              \
    return 0;                             \
  }
