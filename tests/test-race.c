/* test-race.c: safe writes when another admin or a flaky network gets in the way
 *
 * Safe principal edits (tb-graph-client-edit) and the plan against the simulator with faults
 * switched on: another admin writing the same principal between our read and our PATCH, a
 * stale writer whose PATCH lands just after ours, 503/504 without Retry-After, dropped
 * connections and cut or garbled replies, on reads and around writes. The faults fire on
 * request counts, never on timers.
 *
 * Requests on one principal during one change: 1 the fresh read, 2 the read immediately
 * before the PATCH, 3 the PATCH, 4 the read-back, then 5 a repair PATCH and 6 its read-back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-guards.h"
#include "tb-http.h"
#include "tb-plan.h"
#include "tb-profile.h"
#include "tb-sim-faults.h"
#include "tb-sim-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

#define SFB TB_APP_ID_SKYPE_ONLINE

typedef enum
{
  EDIT_ADD_CERT,
  EDIT_REMOVE_CREDENTIAL,
  EDIT_ADD_SPN,
  EDIT_REMOVE_SPN,
  EDIT_ENABLE,
  N_EDITS
} EditKind;

static const char * const edit_names[] = {
  "credentials-add", "credentials-remove", "spn-add", "spn-remove", "enable"
};

typedef struct
{
  TbSim         *sim;
  TbAuth        *auth;
  TbGraphClient *client;
  const char    *app_id;
  GBytes        *pool_der;
  GBytes        *other_der;
  GBytes        *third_der;
  TbCertificate *pool;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->app_id = data;
  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  tb_test_sim_start (fx->sim);
  fx->client = tb_test_graph_client_new (fx->sim, TB_AUTH_ACCESS_WRITE, &fx->auth);

  fx->pool_der = tb_test_cert_make_ec ("pool-oauth.contoso.com");
  fx->other_der = tb_test_cert_make_ec ("other-admin.contoso.com");
  fx->third_der = tb_test_cert_make_ec ("third-admin.contoso.com");
  fx->pool = tb_certificate_new_from_der (fx->pool_der, &error);
  g_assert_no_error (error);

  /* Enabling must have something to do on both principals, and removing an SPN needs one an
   * admin added (Microsoft's own are never removed): an older pool's external web services. */
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, fx->app_id);
    g_autofree char *spn = g_strconcat (fx->app_id, "/webext-old.contoso.com", NULL);

    json_object_set_boolean_member (sp, "accountEnabled", FALSE);
    json_array_add_string_element (json_object_get_array_member (sp, "servicePrincipalNames"), spn);
    /* Removing a credential needs others on the principal: the demo's Exchange Online holds none,
     * so it gets the ones Skype for Business Online holds (the pool's earlier certificates). */
    if (json_array_get_length (json_object_get_array_member (sp, "keyCredentials")) < 2)
      {
        g_autoptr(JsonObject) sfb = tb_sim_dup_service_principal (fx->sim, SFB);
        JsonArray *keys = json_object_get_array_member (sfb, "keyCredentials");

        json_object_set_array_member (sp, "keyCredentials", json_array_ref (keys));
      }
    tb_sim_put_service_principal (fx->sim, sp);
  }
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->client);
  g_clear_object (&fx->auth);
  g_clear_object (&fx->pool);
  g_clear_pointer (&fx->pool_der, g_bytes_unref);
  g_clear_pointer (&fx->other_der, g_bytes_unref);
  g_clear_pointer (&fx->third_der, g_bytes_unref);
  tb_sim_stop (fx->sim);
  g_assert_finalize_object (fx->sim);
}

/* ---- the edits ------------------------------------------------------------------------- */

typedef struct
{
  char *removed_key_id;
  char *removed_spn;
  char *added_spn;
} Target;

static void
target_clear (Target *t)
{
  g_clear_pointer (&t->removed_key_id, g_free);
  g_clear_pointer (&t->removed_spn, g_free);
  g_clear_pointer (&t->added_spn, g_free);
}

static TbPrincipalEdit *
make_edit (Fixture  *fx,
           EditKind  kind,
           Target   *t)
{
  g_autoptr(GError) error = NULL;
  TbPrincipalEdit *edit = NULL;

  memset (t, 0, sizeof *t);
  switch (kind)
    {
    case EDIT_ADD_CERT:
      edit = tb_principal_edit_new_add_certificate (fx->app_id, fx->pool, NULL, 0, &error);
      break;
    case EDIT_REMOVE_CREDENTIAL:
      {
        g_autoptr(JsonArray) keys = tb_test_sim_dup_array (fx->sim, fx->app_id, "keyCredentials");

        g_assert_cmpuint (json_array_get_length (keys), >, 1);
        t->removed_key_id = g_strdup (json_object_get_string_member (json_array_get_object_element (keys, 0),
                                                                     "keyId"));
        edit = tb_principal_edit_new_remove_credential (fx->app_id, t->removed_key_id, 0);
      }
      break;
    case EDIT_ADD_SPN:
      t->added_spn = g_strdup_printf ("%s/webext02.contoso.com", fx->app_id);
      edit = tb_principal_edit_new_add_spns (fx->app_id, (const char *[]) { "webext02.contoso.com", NULL },
                                             &error);
      break;
    case EDIT_REMOVE_SPN:
      {
        g_autoptr(JsonArray) names = tb_test_sim_dup_array (fx->sim, fx->app_id,
                                                            "servicePrincipalNames");

        /* One an admin may remove: "<appId>/host" that is not Microsoft's. */
        for (guint i = 0; i < json_array_get_length (names) && t->removed_spn == NULL; i++)
          if (tb_spn_check_removable (fx->app_id, json_array_get_string_element (names, i), NULL))
            t->removed_spn = g_strdup (json_array_get_string_element (names, i));
        g_assert_nonnull (t->removed_spn);
        edit = tb_principal_edit_new_remove_spns (fx->app_id,
                                                  (const char *[]) { t->removed_spn, NULL }, 0,
                                                  &error);
      }
      break;
    case EDIT_ENABLE:
      edit = tb_principal_edit_new_enable (fx->app_id);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_no_error (error);
  g_assert_nonnull (edit);
  return edit;
}

/* The admin's change is in place on the service. */
static void
assert_done (Fixture  *fx,
             EditKind  kind,
             Target   *t)
{
  switch (kind)
    {
    case EDIT_ADD_CERT:
      g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, fx->pool_der));
      break;
    case EDIT_REMOVE_CREDENTIAL:
      g_assert_false (tb_test_sim_has_key_id (fx->sim, fx->app_id, t->removed_key_id));
      break;
    case EDIT_ADD_SPN:
      g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, t->added_spn));
      break;
    case EDIT_REMOVE_SPN:
      g_assert_false (tb_test_sim_has_spn (fx->sim, fx->app_id, t->removed_spn));
      break;
    case EDIT_ENABLE:
      g_assert_true (tb_test_sim_is_enabled (fx->sim, fx->app_id));
      break;
    default:
      g_assert_not_reached ();
    }
}

static TbChange *
apply (Fixture          *fx,
       TbPrincipalEdit  *edit,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_graph_client_apply_edit_async (fx->client, edit, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_graph_client_apply_edit_finish (fx->client, result, error);
}

/* SPN edits race with SPN writers, the others with credential writers. */
static gboolean
uses_spns (EditKind kind)
{
  return kind == EDIT_ADD_SPN || kind == EDIT_REMOVE_SPN;
}

static void
other_writer (Fixture    *fx,
              EditKind    kind,
              TbSimFaultKind fault_kind,
              guint       nth,
              guint       read_at,
              GBytes     *der,
              const char *spn)
{
  TbSimFault fault = {
    .kind = fault_kind,
    .app_id = fx->app_id,
    .nth = nth,
    .read_at = read_at,
  };

  if (uses_spns (kind))
    fault.spn = spn;
  else
    {
      fault.certificate = der;
      fault.display_name = "Another admin's certificate";
    }
  tb_sim_add_fault (fx->sim, &fault);
}

/* ---- another admin between our read and our PATCH --------------------------------------- */

static void
test_writer_before_patch (Fixture       *fx,
                          gconstpointer  data)
{
  for (EditKind kind = 0; kind < N_EDITS; kind++)
    {
      g_autoptr(TbPrincipalEdit) edit = NULL;
      g_autoptr(TbChange) change = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *spn = g_strdup_printf ("%s/other-%u.contoso.com", fx->app_id, kind);
      g_autoptr(GBytes) der = NULL;
      Target t;

      g_test_message ("%s", edit_names[kind]);
      {
        g_autofree char *cn = g_strdup_printf ("other-%u.contoso.com", kind);
        der = tb_test_cert_make_ec (cn);
      }
      edit = make_edit (fx, kind, &t);
      /* The other admin's write lands just before our read immediately before the PATCH. */
      other_writer (fx, kind, TB_SIM_FAULT_OTHER_WRITER, 2, 0, der, spn);

      change = apply (fx, edit, &error);
      g_assert_no_error (error);
      g_assert_nonnull (change);
      g_assert_false (tb_change_is_none (change));
      g_assert_false (tb_change_had_loss (change));
      g_assert_cmpuint (change->retries, ==, 0);
      g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);

      /* Ours is done and theirs survived. */
      assert_done (fx, kind, &t);
      if (uses_spns (kind))
        g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, spn));
      else
        g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, der));
      target_clear (&t);
    }
}

/* ---- a stale writer whose PATCH lands just after ours ------------------------------------ */

static void
test_loss_repaired (Fixture       *fx,
                    gconstpointer  data)
{
  for (EditKind kind = 0; kind < N_EDITS; kind++)
    {
      g_autoptr(TbPrincipalEdit) edit = NULL;
      g_autoptr(TbChange) change = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *third_spn = g_strdup_printf ("%s/third-%u.contoso.com", fx->app_id, kind);
      g_autofree char *other_spn = g_strdup_printf ("%s/other-%u.contoso.com", fx->app_id, kind);
      g_autoptr(GBytes) third = NULL;
      g_autoptr(GBytes) other = NULL;
      g_autofree char *restored = NULL;
      g_autofree char *third_key_id = NULL;
      Target t;

      g_test_message ("%s", edit_names[kind]);
      {
        g_autofree char *cn3 = g_strdup_printf ("third-%u.contoso.com", kind);
        g_autofree char *cn2 = g_strdup_printf ("other-%u.contoso.com", kind);
        third = tb_test_cert_make_ec (cn3);
        other = tb_test_cert_make_ec (cn2);
      }
      edit = make_edit (fx, kind, &t);
      /* A third admin adds an entry that our read before the PATCH sees; the other admin's
       * tool read before that, and its PATCH (what it read plus its own entry) lands right
       * after ours: the third admin's entry and our change are gone from the read-back. */
      other_writer (fx, kind, TB_SIM_FAULT_OTHER_WRITER, 2, 0, third, third_spn);
      other_writer (fx, kind, TB_SIM_FAULT_STALE_WRITER, 3, 1, other, other_spn);

      change = apply (fx, edit, &error);
      g_assert_no_error (error);
      g_assert_nonnull (change);
      g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);

      /* Put back and said so, naming the entry. */
      g_assert_true (tb_change_had_loss (change));
      restored = g_strjoinv ("; ", change->restored);
      g_test_message ("restored: %s", restored);
      if (uses_spns (kind))
        {
          g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, third_spn));
          g_assert_nonnull (strstr (restored, third_spn));
          g_assert_true (tb_test_sim_has_spn (fx->sim, fx->app_id, other_spn));
        }
      else
        {
          g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, third));
          third_key_id = tb_test_sim_dup_key_id (fx->sim, fx->app_id, third);
          g_assert_nonnull (third_key_id);
          g_assert_nonnull (strstr (restored, third_key_id));
          g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, other));
        }
      assert_done (fx, kind, &t);
      target_clear (&t);
    }
}

/* Two tools that keep undoing each other: the editor stops with an error, never a success. */
static void
test_endless_race_fails (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) error = NULL;
  Target t;

  edit = make_edit (fx, EDIT_ADD_CERT, &t);
  /* After each of our PATCHes (requests 3, 5, 7, 9) a stale write from just before it. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *cn = g_strdup_printf ("stale-%u.contoso.com", i);
      g_autoptr(GBytes) der = tb_test_cert_make_ec (cn);

      other_writer (fx, EDIT_ADD_CERT, TB_SIM_FAULT_STALE_WRITER, 3 + 2 * i, 3 + 2 * i, der, NULL);
    }
  change = apply (fx, edit, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (error->message, tb_certificate_get_sha1 (fx->pool)));
  target_clear (&t);
}

/* ---- transient failures ----------------------------------------------------------------- */

typedef struct
{
  const char     *name;
  TbSimFaultKind  kind;
  const char     *method;
  guint           nth;
  guint           status;
} Transient;

static const Transient transients[] = {
  { "503 on the fresh read", TB_SIM_FAULT_STATUS, "GET", 1, 503 },
  /* libsoup itself sends a request again once when a kept-alive connection closes before any
   * reply: the second drop, on a new connection, is the one the client sees. */
  { "dropped connection on the read before writing", TB_SIM_FAULT_DROP, "GET", 2, 0 },
  { "", TB_SIM_FAULT_DROP, "GET", 3, 0 },
  { "504 on the PATCH", TB_SIM_FAULT_STATUS, "PATCH", 1, 504 },
  { "PATCH applied, reply dropped", TB_SIM_FAULT_DROP_AFTER, "PATCH", 1, 0 },
  { "PATCH applied, reply cut short", TB_SIM_FAULT_TRUNCATE, "PATCH", 1, 0 },
  { "PATCH applied, reply not HTTP", TB_SIM_FAULT_GARBLE, "PATCH", 1, 0 },
  { "read-back cut short", TB_SIM_FAULT_TRUNCATE, "GET", 3, 0 },
  { "read-back not HTTP", TB_SIM_FAULT_GARBLE, "GET", 3, 0 },
};

static void
test_transient (Fixture       *fx,
                gconstpointer  data)
{
  for (EditKind kind = 0; kind < N_EDITS; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (transients); i++)
      {
        const Transient *tr = &transients[i];
        TbSimFault fault = {
          .kind = tr->kind, .method = tr->method, .app_id = fx->app_id, .nth = tr->nth,
          .status = tr->status,
        };
        g_autoptr(TbPrincipalEdit) edit = NULL;
        g_autoptr(TbChange) change = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonArray) keys_before = tb_test_sim_dup_array (fx->sim, fx->app_id,
                                                                  "keyCredentials");
        g_autoptr(JsonArray) keys_after = NULL;
        g_autoptr(JsonObject) saved = tb_sim_dup_service_principal (fx->sim, fx->app_id);
        guint writes = tb_sim_get_write_count (fx->sim);
        Target t;

        if (tr->name[0] == '\0')
          continue;
        g_test_message ("%s: %s", edit_names[kind], tr->name);
        edit = make_edit (fx, kind, &t);
        tb_sim_add_fault (fx->sim, &fault);
        /* A fault with no name goes with the one before it. */
        if (i + 1 < G_N_ELEMENTS (transients) && transients[i + 1].name[0] == '\0')
          tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = transients[i + 1].kind,
                                                     .method = transients[i + 1].method,
                                                     .app_id = fx->app_id,
                                                     .nth = transients[i + 1].nth,
                                                     .status = transients[i + 1].status });
        change = apply (fx, edit, &error);
        g_assert_no_error (error);
        g_assert_nonnull (change);
        g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);
        /* It said so, and it was the change asked for, made once. */
        g_assert_cmpuint (change->retries, >=, 1);
        g_assert_false (tb_change_had_loss (change));
        g_assert_false (tb_change_is_none (change));
        assert_done (fx, kind, &t);
        g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes + 1);

        /* Nothing else was touched: one credential more, one less, or the same. */
        keys_after = tb_test_sim_dup_array (fx->sim, fx->app_id, "keyCredentials");
        g_assert_cmpint (json_array_get_length (keys_after), ==,
                         (int) json_array_get_length (keys_before) +
                         (kind == EDIT_ADD_CERT ? 1 : kind == EDIT_REMOVE_CREDENTIAL ? -1 : 0));
        target_clear (&t);

        /* Back to how it was, for the next round. */
        tb_sim_put_service_principal (fx->sim, saved);
      }
}

/* Reads give up only after their bounded retries, with an error that says what happened. */
static void
test_transient_reads_bounded (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) error = NULL;
  guint served = tb_sim_get_request_count (fx->sim);
  Target t;

  for (guint i = 0; i < 8; i++)
    tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_STATUS, .method = "GET",
                                               .app_id = fx->app_id, .nth = 1, .status = 503 });
  edit = make_edit (fx, EDIT_ADD_CERT, &t);
  change = apply (fx, edit, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_UNAVAILABLE);
  g_assert_true (tb_graph_error_is_transient (error));
  /* Five tries, then the error; nothing written. */
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim) - served, ==, 5);
  g_assert_false (tb_test_sim_has_key (fx->sim, fx->app_id, fx->pool_der));
  target_clear (&t);
}

/* The snapshot ($batch) the plan and the pages read is retried too. */
static void
test_transient_snapshot (Fixture       *fx,
                         gconstpointer  data)
{
  const char *ids[] = { fx->app_id, NULL };
  g_autoptr(TbGraphSnapshot) snapshot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint retries = tb_graph_client_get_retry_count (fx->client);

  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_DROP, .method = "POST", .nth = 1 });
  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_TRUNCATE, .method = "POST", .nth = 2 });
  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_STATUS, .method = "POST", .nth = 3,
                                             .status = 504 });
  tb_graph_client_snapshot_async (fx->client, ids, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  snapshot = tb_graph_client_snapshot_finish (fx->client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_hash_table_lookup (snapshot->principals, fx->app_id));
  g_assert_cmpuint (tb_graph_client_get_retry_count (fx->client) - retries, ==, 3);
  g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);
}

/* ---- Establish Trust ----------------------------------------------------------------- */

static void
test_plan_race_and_faults (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) third = tb_test_cert_make_ec ("third.contoso.com");
  g_autoptr(GBytes) other = tb_test_cert_make_ec ("other.contoso.com");
  const char *fqdns[] = { "webext02.contoso.com", NULL };
  gboolean lost = FALSE;
  guint retries = 0;

  tb_plan_new_establish_trust_async (fx->client, profile, fx->pool, fqdns, NULL,
                                     tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  plan = tb_plan_new_establish_trust_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The certificate step on this principal: another admin before our PATCH, a stale one
   * after it, and the read-back cut short. */
  other_writer (fx, EDIT_ADD_CERT, TB_SIM_FAULT_OTHER_WRITER, 2, 0, third, NULL);
  other_writer (fx, EDIT_ADD_CERT, TB_SIM_FAULT_STALE_WRITER, 3, 1, other, NULL);
  tb_sim_add_fault (fx->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_TRUNCATE, .method = "GET",
                                             .app_id = fx->app_id, .nth = 3 });

  tb_plan_apply_async (plan, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  changes = tb_plan_apply_finish (plan, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (tb_sim_get_pending_faults (fx->sim), ==, 0);

  for (guint i = 0; i < changes->len; i++)
    {
      TbChange *change = g_ptr_array_index (changes, i);

      if (g_strcmp0 (change->target, fx->app_id) == 0 && tb_change_had_loss (change))
        lost = TRUE;
      retries += change->retries;
    }
  g_assert_true (lost);
  g_assert_cmpuint (retries, >=, 1);
  g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, fx->pool_der));
  g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, third));
  g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, other));

  tb_plan_verify_async (plan, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  g_assert_true (tb_plan_verify_finish (plan, result, &error));
  g_assert_no_error (error);
}

/* ---- the GUI's approval ------------------------------------------------------------------ */

static void
test_approved_changed (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbServicePrincipal) approved = NULL;
  g_autoptr(TbServicePrincipal) current = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) other = tb_test_cert_make_ec ("other.contoso.com");
  guint writes = tb_sim_get_write_count (fx->sim);
  Target t;

  tb_graph_client_get_service_principal_async (fx->client, fx->app_id, NULL, tb_test_store_result,
                                               NULL);
  result = tb_test_wait_result ();
  approved = tb_graph_client_get_service_principal_finish (fx->client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The admin looks at the preview; meanwhile another admin adds a credential. */
  edit = make_edit (fx, EDIT_ADD_CERT, &t);
  other_writer (fx, EDIT_ADD_CERT, TB_SIM_FAULT_OTHER_WRITER, 1, 0, other, NULL);
  tb_graph_client_apply_approved_edit_async (fx->client, edit, approved, NULL, tb_test_store_result,
                                            NULL);
  result = tb_test_wait_result ();
  change = tb_graph_client_apply_approved_edit_finish (fx->client, result, &current, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_CHANGED);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  g_assert_false (tb_test_sim_has_key (fx->sim, fx->app_id, fx->pool_der));
  /* The principal as it is now comes back for a new preview, with their credential. */
  g_assert_nonnull (current);
  g_assert_cmpuint (tb_service_principal_get_key_credentials (current)->len, ==,
                    tb_service_principal_get_key_credentials (approved)->len + 1);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Approved again on what is there now: written, theirs kept. */
  tb_graph_client_apply_approved_edit_async (fx->client, edit, current, NULL, tb_test_store_result,
                                            NULL);
  result = tb_test_wait_result ();
  change = tb_graph_client_apply_approved_edit_finish (fx->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_CREDENTIAL);
  g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, fx->pool_der));
  g_assert_true (tb_test_sim_has_key (fx->sim, fx->app_id, other));
  target_clear (&t);
}

int
main (int    argc,
      char **argv)
{
  const char *principals[][2] = { { "skype", SFB }, { "exchange", EXO } };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (principals); i++)
    {
      const char *name = principals[i][0];
      gconstpointer app_id = principals[i][1];
      struct { const char *path; void (*func) (Fixture *, gconstpointer); } tests[] = {
        { "writer-before-patch", test_writer_before_patch },
        { "loss-repaired", test_loss_repaired },
        { "endless-race-fails", test_endless_race_fails },
        { "transient", test_transient },
        { "transient-reads-bounded", test_transient_reads_bounded },
        { "transient-snapshot", test_transient_snapshot },
        { "plan", test_plan_race_and_faults },
        { "approved-changed", test_approved_changed },
      };

      for (guint j = 0; j < G_N_ELEMENTS (tests); j++)
        {
          g_autofree char *path = g_strdup_printf ("/race/%s/%s", name, tests[j].path);

          g_test_add (path, Fixture, app_id, fixture_setup, tests[j].func, fixture_teardown);
        }
    }

  return g_test_run ();
}
