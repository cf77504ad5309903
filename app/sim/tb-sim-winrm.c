/* tb-sim-winrm.c: a Skype for Business Front End's WinRM listener, on 127.0.0.1
 *
 * The object, its certificates, the pool state and the roll model; the commands run in
 * tb-sim-winrm-run.c, the protocol in tb-sim-winrm-server.c (see tb-sim-winrm-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-winrm"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>

#include "tb-dl-gnutls.h"
#include "tb-dl-krb5.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-secret.h"
#include "tb-sim.h"
#include "tb-sim-winrm-private.h"

G_DEFINE_FINAL_TYPE (TbSimWinrm, tb_sim_winrm, G_TYPE_OBJECT)

static void
shell_free (Shell *shell)
{
  g_free (shell->id);
  g_free (shell->owner);
  g_hash_table_unref (shell->commands);
  g_free (shell);
}

static void
tb_sim_winrm_finalize (GObject *object)
{
  TbSimWinrm *self = TB_SIM_WINRM (object);
  OM_uint32 minor;

  tb_sim_winrm_stop (self);
  g_clear_object (&self->tls_certificate);
  g_free (self->fingerprint);
  g_free (self->basic_user);
  g_free (self->basic_password);
  if (self->acceptor != GSS_C_NO_CREDENTIAL)
    gss_release_cred (&minor, &self->acceptor);
  g_hash_table_unref (self->shells);
  g_free (self->module);
  g_clear_pointer (&self->pool, json_object_unref);
  g_clear_pointer (&self->store, json_array_unref);
  g_clear_pointer (&self->oauth, json_array_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_free (self->last_principal);
  g_free (self->last_command);

  G_OBJECT_CLASS (tb_sim_winrm_parent_class)->finalize (object);
}

static void
tb_sim_winrm_class_init (TbSimWinrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_sim_winrm_finalize;
}

static void
tb_sim_winrm_init (TbSimWinrm *self)
{
  self->shells = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) shell_free);
  self->max_shells = 5;
  self->module = g_strdup ("SkypeForBusiness");
  self->acceptor = GSS_C_NO_CREDENTIAL;
}

TbSimWinrm *
tb_sim_winrm_new (void)
{
  return g_object_new (TB_TYPE_SIM_WINRM, NULL);
}

void
tb_sim_winrm_set_basic_account (TbSimWinrm *self,
                                const char *user,
                                const char *password)
{
  g_free (self->basic_user);
  g_free (self->basic_password);
  self->basic_user = g_strdup (user);
  self->basic_password = g_strdup (password);
}

char *
_tb_sim_winrm_gss_message (OM_uint32 major,
                           OM_uint32 minor)
{
  GString *out = g_string_new (NULL);
  OM_uint32 ctx = 0, min2;
  gss_buffer_desc text;

  do
    {
      if (GSS_ERROR (gss_display_status (&min2, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx,
                                         &text)))
        break;
      g_string_append_len (out, text.value, text.length);
      gss_release_buffer (&min2, &text);
    }
  while (ctx != 0);
  ctx = 0;
  do
    {
      if (GSS_ERROR (gss_display_status (&min2, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx,
                                         &text)))
        break;
      g_string_append (out, ": ");
      g_string_append_len (out, text.value, text.length);
      gss_release_buffer (&min2, &text);
    }
  while (ctx != 0);
  return g_string_free (out, FALSE);
}

gboolean
tb_sim_winrm_enable_negotiate (TbSimWinrm  *self,
                               const char  *keytab,
                               GError     **error)
{
  OM_uint32 major, minor;

  if (self->acceptor != GSS_C_NO_CREDENTIAL)
    gss_release_cred (&minor, &self->acceptor);

  if (keytab != NULL)
    {
      gss_key_value_element_desc element = { "keytab", keytab };
      gss_key_value_set_desc store = { 1, &element };

      major = gss_acquire_cred_from (&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                     GSS_C_ACCEPT, &store, &self->acceptor, NULL, NULL);
      if (GSS_ERROR (major))
        {
          g_autofree char *text = _tb_sim_winrm_gss_message (major, minor);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Cannot use keytab %s: %s", keytab, text);
          self->acceptor = GSS_C_NO_CREDENTIAL;
          return FALSE;
        }
    }
  self->negotiate = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Certificates made with GnuTLS */

#define CHECK(expr) \
  G_STMT_START { \
    int _ret = (expr); \
    if (_ret < 0) \
      { \
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", #expr, \
                     gnutls_strerror (_ret)); \
        goto out; \
      } \
  } G_STMT_END

/* A self-signed certificate valid from @not_before to @not_after: PEM of certificate + key,
 * and the DER. */
static gboolean
make_certificate_valid (const char   *common_name,
                        const char   *dns_name,
                        gboolean      rsa,
                        time_t        not_before,
                        time_t        not_after,
                        char        **pem,
                        GBytes      **der,
                        GError      **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = { NULL, 0 }, cert_der = { NULL, 0 };
  guint8 serial[8];
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  gboolean ok = FALSE;

  CHECK (gnutls_x509_privkey_init (&key));
  if (rsa)
    CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0));
  else
    CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                         GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));
  CHECK (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial));
  serial[0] &= 0x7f;
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof serial));
  CHECK (gnutls_x509_crt_set_activation_time (crt, not_before));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, not_after));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                        strlen (common_name)));
  CHECK (gnutls_x509_crt_set_key (crt, key));
  if (dns_name != NULL)
    {
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, dns_name,
                                                   strlen (dns_name), GNUTLS_FSAN_APPEND));
      CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                   sizeof loopback, GNUTLS_FSAN_APPEND));
      CHECK (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
    }
  CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                             GNUTLS_KEY_KEY_ENCIPHERMENT));
  CHECK (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0));
  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem));
  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &cert_der));
  CHECK (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem));

  *pem = g_strdup_printf ("%.*s%.*s", (int) cert_pem.size, cert_pem.data,
                          (int) key_pem.size, key_pem.data);
  *der = g_bytes_new (cert_der.data, cert_der.size);
  ok = TRUE;

out:
  if (key_pem.data != NULL)
    {
      tb_secret_wipe (key_pem.data, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (cert_pem.data);
  gnutls_free (cert_der.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

gboolean
_tb_sim_winrm_make_certificate (const char   *common_name,
                                const char   *dns_name,
                                gboolean      rsa,
                                char        **pem,
                                GBytes      **der,
                                GError      **error)
{
  time_t now = time (NULL);

  return make_certificate_valid (common_name, dns_name, rsa, now - 3600,
                                 now + 2 * 365 * 24 * 3600, pem, der, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Pool state */

static JsonObject *
json_object_from_string (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_assert_not_reached ();
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void demo_roll_model (TbSimWinrm *self,
                             GBytes     *current_der,
                             GDateTime  *not_before,
                             GDateTime  *not_after);

static void
load_demo_pool (TbSimWinrm *self,
                int         valid_days);
static JsonObject *store_entry (GBytes     *der,
                                const char *subject,
                                GDateTime  *not_before,
                                GDateTime  *not_after,
                                gint64      key_size,
                                gboolean    rsa,
                                gboolean    private_key);

/* The pool's earlier OAuthTokenIssuer certificates (the ones the demo tenant still holds), as
 * Get-CsCertificate lists them after renewals: previous entries, still in the store. Only
 * those the pool used before its current one. The default demo pool has just been renewed
 * this way; the renewal-due one is in the middle of its renewal and has none. */
static void
add_demo_history (TbSimWinrm *self)
{
  JsonObject *current = json_array_get_object_element (self->oauth, 0);
  g_autoptr(GDateTime) current_effective = _tb_sim_winrm_member_date (current, "effectiveDate");
  const TbSimDemoCertificate *old;

  for (guint i = 0; (old = tb_sim_demo_pool_history (i)) != NULL; i++)
    {
      g_autoptr(GDateTime) not_before = g_date_time_new_from_unix_utc (old->not_before);
      g_autoptr(GDateTime) not_after = g_date_time_new_from_unix_utc (old->not_after);
      g_autoptr(GDateTime) effective = g_date_time_new_from_unix_utc (old->effective);
      g_autofree char *subject = g_strconcat ("CN=", old->common_name, NULL);
      JsonObject *stored;
      JsonObject *entry;

      if (g_date_time_compare (effective, current_effective) >= 0)
        continue;
      stored = store_entry (old->der, subject, not_before, not_after, 256, FALSE, TRUE);
      entry = json_object_new ();
      json_object_set_string_member (entry, "thumbprint",
                                     json_object_get_string_member (stored, "thumbprint"));
      _tb_sim_winrm_set_date_member (entry, "effectiveDate", effective);
      json_array_add_object_element (self->oauth, entry);
      json_array_add_object_element (self->store, stored);
    }
}

void
tb_sim_winrm_load_demo_pool (TbSimWinrm *self)
{
  load_demo_pool (self, 730);
  add_demo_history (self);
}

void
tb_sim_winrm_load_demo_pool_renewal_due (TbSimWinrm *self)
{
  load_demo_pool (self, TB_SIM_WINRM_RENEWAL_DUE_DAYS);
}

static void
load_demo_pool (TbSimWinrm *self,
                int         valid_days)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) issued = g_date_time_add_days (now, valid_days - 730);
  g_autoptr(GDateTime) not_before = g_date_time_add_seconds (issued, -3600);
  g_autoptr(GDateTime) not_after = g_date_time_add_days (now, valid_days);
  g_autofree char *nb = g_date_time_format_iso8601 (not_before);
  g_autofree char *na = g_date_time_format_iso8601 (not_after);
  g_autofree char *raw = NULL;
  g_autofree char *thumbprint = NULL;
  g_autofree char *json = NULL;

  /* The OAuthTokenIssuer certificate, public part only, as Get-Item Cert:\… gives it. */
  if (!make_certificate_valid ("fe01.contoso.local", NULL, TRUE,
                               g_date_time_to_unix (not_before), g_date_time_to_unix (not_after),
                               &pem, &der, &error))
    g_error ("demo OAuth certificate: %s", error->message);
  tb_secret_wipe (pem, strlen (pem));
  raw = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  thumbprint = g_ascii_strup (g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der), -1);

  /* Misconfigured as pools often are: microsoft.sts points at another tenant's metadata, the
   * OAuth certificate was just renewed (the tenant holds only the earlier ones), and a second
   * pool's external web services FQDN was added after the trust was set up. */
  json = g_strdup_printf (
    "{\"schema\":1,"
    "\"server\":{\"fqdn\":\"" DEMO_FQDN "\",\"product\":\"Skype for Business Server 2019\","
    "\"module\":\"SkypeForBusiness\"},"
    "\"oauthServers\":[{\"identity\":\"microsoft.sts\",\"metadataUrl\":"
    "\"https://accounts.accesscontrol.windows.net/0b3c9d1e-7a44-4c5e-9f1a-2d6e8b7c5a10/metadata/json/1\","
    "\"realm\":\"0b3c9d1e-7a44-4c5e-9f1a-2d6e8b7c5a10\"}],"
    "\"partnerApplications\":[{\"identity\":\"microsoft.exchange\","
    "\"applicationIdentifier\":\"" TB_POOL_EXCHANGE_APPLICATION_ID "\","
    "\"applicationTrustLevel\":\"Full\",\"useOAuthServer\":true,\"enabled\":true}],"
    "\"oauthConfiguration\":{\"serviceName\":\"" TB_POOL_SKYPE_SERVICE_NAME "\","
    "\"realm\":\"contoso.com\","
    "\"exchangeAutodiscoverUrl\":\"https://autodiscover.contoso.com/autodiscover/autodiscover.svc\"},"
    "\"webServices\":[{\"poolFqdn\":\"pool01.contoso.local\",\"externalFqdn\":\"webext.contoso.com\","
    "\"internalFqdn\":\"webint.contoso.local\"},"
    "{\"poolFqdn\":\"pool02.contoso.local\",\"externalFqdn\":\"webext02.contoso.com\","
    "\"internalFqdn\":\"webint02.contoso.local\"}],"
    "\"oauthCertificate\":{\"thumbprint\":\"%s\",\"subject\":\"CN=fe01.contoso.local\","
    "\"notBefore\":\"%s\",\"notAfter\":\"%s\",\"rawData\":\"%s\"},"
    "\"errors\":[]}", thumbprint, nb, na, raw);

  g_clear_pointer (&self->pool, json_object_unref);
  self->pool = json_object_from_string (json);
  demo_roll_model (self, der, not_before, not_after);
}

void
tb_sim_winrm_set_metadata_tenant (TbSimWinrm *self,
                                  const char *tenant_id)
{
  JsonArray *servers = json_object_get_array_member (self->pool, "oauthServers");
  JsonObject *sts = json_array_get_object_element (servers, 0);
  g_autofree char *url = g_strdup_printf ("%s/%s/metadata/json/1", TB_POOL_DEFAULT_ACS_BASE,
                                          tenant_id);

  json_object_set_string_member (sts, "metadataUrl", url);
  json_object_set_string_member (sts, "realm", tenant_id);
}

void
tb_sim_winrm_set_pool_state (TbSimWinrm *self,
                             JsonObject *state)
{
  /* A state given whole is served as given: no roll model behind it. */
  g_clear_pointer (&self->store, json_array_unref);
  g_clear_pointer (&self->oauth, json_array_unref);

  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (node, state);
  copy = json_node_copy (node);
  g_clear_pointer (&self->pool, json_object_unref);
  self->pool = json_object_ref (json_node_get_object (copy));
}

JsonObject *
tb_sim_winrm_dup_pool_state (TbSimWinrm *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy = NULL;

  if (self->pool == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->pool);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

void
tb_sim_winrm_set_module (TbSimWinrm *self,
                         const char *module)
{
  g_free (self->module);
  self->module = g_strdup (module);
}

void
tb_sim_winrm_set_double_hop (TbSimWinrm *self,
                             gboolean    double_hop)
{
  self->double_hop = double_hop;
}

void
tb_sim_winrm_set_receive_timeouts (TbSimWinrm *self,
                                   guint       count)
{
  self->receive_timeouts = count;
}

void
tb_sim_winrm_inject_fault (TbSimWinrm      *self,
                           TbSimWinrmFault  fault,
                           guint            count)
{
  self->fault = fault;
  self->fault_count = count;
}

void
tb_sim_winrm_set_max_shells (TbSimWinrm *self,
                             guint       max_shells)
{
  self->max_shells = max_shells;
}

guint tb_sim_winrm_get_port (TbSimWinrm *self) { return self->port; }
const char *tb_sim_winrm_get_fingerprint (TbSimWinrm *self) { return self->fingerprint; }
const char *tb_sim_winrm_get_server_fqdn (TbSimWinrm *self) { return DEMO_FQDN; }
guint tb_sim_winrm_get_open_shells (TbSimWinrm *self) { return g_hash_table_size (self->shells); }
guint tb_sim_winrm_get_commands_run (TbSimWinrm *self) { return self->commands_run; }
guint tb_sim_winrm_get_pool_changes (TbSimWinrm *self) { return self->pool_changes; }
guint tb_sim_winrm_get_empty_requests (TbSimWinrm *self) { return self->empty_requests; }
guint tb_sim_winrm_get_negotiate_logons (TbSimWinrm *self) { return self->negotiate_logons; }
const char *tb_sim_winrm_get_last_principal (TbSimWinrm *self) { return self->last_principal; }
const char *tb_sim_winrm_get_last_command (TbSimWinrm *self) { return self->last_command; }

gboolean
_tb_sim_winrm_take_fault (TbSimWinrm      *self,
                          TbSimWinrmFault  fault)
{
  if (self->fault != fault || self->fault_count == 0)
    return FALSE;
  if (--self->fault_count == 0)
    self->fault = TB_SIM_WINRM_FAULT_NONE;
  return TRUE;
}


/* ------------------------------------------------------------------------------------------ */
/* The roll model: Cert:\LocalMachine\My and Get-CsCertificate -Type OAuthTokenIssuer */

void
tb_sim_winrm_set_now (TbSimWinrm *self,
                      GDateTime  *now)
{
  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
}

GDateTime *
_tb_sim_winrm_sim_now (TbSimWinrm *self)
{
  return self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

static char *
iso_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
_tb_sim_winrm_set_date_member (JsonObject *object,
                               const char *name,
                               GDateTime  *when)
{
  g_autofree char *text = iso_date (when);

  json_object_set_string_member (object, name, text);
}

GDateTime *
_tb_sim_winrm_member_date (JsonObject *object,
                           const char *name)
{
  const char *text = json_object_get_string_member_with_default (object, name, NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return text != NULL ? g_date_time_new_from_iso8601 (text, utc) : NULL;
}

/* A certificate of the store, as the read script describes it. */
static JsonObject *
store_entry (GBytes     *der,
             const char *subject,
             GDateTime  *not_before,
             GDateTime  *not_after,
             gint64      key_size,
             gboolean    rsa,
             gboolean    private_key)
{
  JsonObject *o = json_object_new ();
  g_autofree char *raw = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);
  g_autofree char *thumbprint = g_ascii_strup (sha1, -1);

  json_object_set_string_member (o, "thumbprint", thumbprint);
  json_object_set_string_member (o, "subject", subject);
  /* Self-signed: the issuer is the subject. */
  json_object_set_string_member (o, "issuer", subject);
  _tb_sim_winrm_set_date_member (o, "notBefore", not_before);
  _tb_sim_winrm_set_date_member (o, "notAfter", not_after);
  json_object_set_int_member (o, "keySize", key_size);
  json_object_set_boolean_member (o, "rsa", rsa);
  json_object_set_boolean_member (o, "hasPrivateKey", private_key);
  json_object_set_string_member (o, "rawData", raw);
  return o;
}

static void
add_demo_store_certificate (TbSimWinrm *self,
                            const char *common_name,
                            gboolean    rsa,
                            int         valid_days,
                            gboolean    private_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *subject = g_strconcat ("CN=", common_name, NULL);
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) not_before = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) not_after = g_date_time_add_days (now, valid_days);

  if (!make_certificate_valid (common_name, NULL, rsa, g_date_time_to_unix (not_before),
                               g_date_time_to_unix (not_after), &pem, &der, &error))
    g_error ("demo store certificate: %s", error->message);
  tb_secret_wipe (pem, strlen (pem));
  json_array_add_object_element (self->store,
                                 store_entry (der, subject, not_before, not_after,
                                              rsa ? 2048 : 256, rsa, private_key));
}

/* The demo Front End's store: the current OAuth certificate, one good candidate, and three
 * that do not qualify (expiring within 30 days, ECDSA, no private key). */
static void
demo_roll_model (TbSimWinrm *self,
                 GBytes     *current_der,
                 GDateTime  *not_before,
                 GDateTime  *not_after)
{
  JsonObject *current = store_entry (current_der, "CN=fe01.contoso.local", not_before, not_after,
                                     2048, TRUE, TRUE);
  JsonObject *entry = json_object_new ();
  g_autoptr(GDateTime) effective = g_date_time_ref (not_before);

  g_clear_pointer (&self->store, json_array_unref);
  g_clear_pointer (&self->oauth, json_array_unref);
  self->store = json_array_new ();
  self->oauth = json_array_new ();

  json_object_set_string_member (entry, "thumbprint",
                                 json_object_get_string_member (current, "thumbprint"));
  _tb_sim_winrm_set_date_member (entry, "effectiveDate", effective);
  json_array_add_object_element (self->oauth, entry);
  json_array_add_object_element (self->store, current);

  add_demo_store_certificate (self, "oauth2028.contoso.com", TRUE, 800, TRUE);
  add_demo_store_certificate (self, "oauth-old.contoso.com", TRUE, 20, TRUE);
  add_demo_store_certificate (self, "ecc.contoso.com", FALSE, 800, TRUE);
  add_demo_store_certificate (self, "public-only.contoso.com", TRUE, 800, FALSE);
}

JsonObject *
_tb_sim_winrm_store_find (TbSimWinrm *self,
                          const char *thumbprint)
{
  for (guint i = 0; self->store != NULL && i < json_array_get_length (self->store); i++)
    {
      JsonObject *o = json_array_get_object_element (self->store, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (o, "thumbprint"), thumbprint) == 0)
        return o;
    }
  return NULL;
}

static gint
compare_effective_desc (gconstpointer a,
                        gconstpointer b)
{
  g_autoptr(GDateTime) da = _tb_sim_winrm_member_date (*(JsonObject **) a, "effectiveDate");
  g_autoptr(GDateTime) db = _tb_sim_winrm_member_date (*(JsonObject **) b, "effectiveDate");

  if (da == NULL || db == NULL)
    return (da == NULL) - (db == NULL);
  return g_date_time_compare (db, da);
}

/* The OAuthTokenIssuer entries newest first, each with the role the read script gives it:
 * not yet effective → staged, the latest effective → current, older ones → previous. */
GPtrArray *
_tb_sim_winrm_oauth_roles (TbSimWinrm *self,
                           GPtrArray **roles_out)
{
  g_autoptr(GDateTime) now = _tb_sim_winrm_sim_now (self);
  GPtrArray *entries = g_ptr_array_new ();
  GPtrArray *roles = g_ptr_array_new ();
  gboolean have_current = FALSE;

  for (guint i = 0; i < json_array_get_length (self->oauth); i++)
    g_ptr_array_add (entries, json_array_get_object_element (self->oauth, i));
  g_ptr_array_sort (entries, compare_effective_desc);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GDateTime) effective = _tb_sim_winrm_member_date (g_ptr_array_index (entries, i),
                                                                  "effectiveDate");

      if (effective != NULL && g_date_time_compare (effective, now) > 0)
        g_ptr_array_add (roles, (gpointer) TB_POOL_CERT_ROLE_STAGED);
      else if (!have_current)
        {
          g_ptr_array_add (roles, (gpointer) TB_POOL_CERT_ROLE_CURRENT);
          have_current = TRUE;
        }
      else
        g_ptr_array_add (roles, (gpointer) TB_POOL_CERT_ROLE_PREVIOUS);
    }
  *roles_out = roles;
  return entries;
}

/* The pool state as the read script would report it now. */
JsonObject *
_tb_sim_winrm_dup_current_state (TbSimWinrm *self)
{
  JsonObject *state = tb_sim_winrm_dup_pool_state (self);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) horizon = NULL;
  JsonArray *list, *candidates;

  if (self->oauth == NULL || state == NULL)
    return state;

  now = _tb_sim_winrm_sim_now (self);
  horizon = g_date_time_add_days (now, 30);
  json_object_set_int_member (state, "schema", 2);
  json_object_set_null_member (state, "oauthCertificate");

  list = json_array_new ();
  entries = _tb_sim_winrm_oauth_roles (self, &roles);
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      const char *role = g_ptr_array_index (roles, i);
      const char *thumbprint = json_object_get_string_member (entry, "thumbprint");
      JsonObject *store = _tb_sim_winrm_store_find (self, thumbprint);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "role", role);
      json_object_set_string_member (o, "thumbprint",
                                     json_object_get_string_member (entry, "thumbprint"));
      json_object_set_member (o, "effectiveDate",
                              json_node_copy (json_object_get_member (entry, "effectiveDate")));
      if (store != NULL)
        {
          const char *copied[] = { "subject", "notBefore", "notAfter", "keySize", "rawData" };

          for (guint k = 0; k < G_N_ELEMENTS (copied); k++)
            json_object_set_member (o, copied[k],
                                    json_node_copy (json_object_get_member (store, copied[k])));
        }
      if (g_str_equal (role, TB_POOL_CERT_ROLE_CURRENT))
        {
          JsonObject *legacy = json_object_new ();
          const char *copied[] = { "thumbprint", "subject", "notBefore", "notAfter", "rawData" };

          for (guint k = 0; k < G_N_ELEMENTS (copied); k++)
            if (json_object_has_member (o, copied[k]))
              json_object_set_member (legacy, copied[k],
                                      json_node_copy (json_object_get_member (o, copied[k])));
          json_object_set_object_member (state, "oauthCertificate", legacy);
        }
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (state, "oauthCertificates", list);

  candidates = json_array_new ();
  for (guint i = 0; i < json_array_get_length (self->store); i++)
    {
      JsonObject *c = json_array_get_object_element (self->store, i);
      g_autoptr(GDateTime) not_after = _tb_sim_winrm_member_date (c, "notAfter");
      JsonObject *o;
      const char *copied[] = { "thumbprint", "subject", "issuer", "notBefore", "notAfter",
                               "keySize", "rawData" };

      if (!json_object_get_boolean_member (c, "hasPrivateKey") ||
          !json_object_get_boolean_member (c, "rsa") ||
          json_object_get_int_member (c, "keySize") < 2048 ||
          g_date_time_compare (not_after, horizon) <= 0)
        continue;
      o = json_object_new ();
      for (guint k = 0; k < G_N_ELEMENTS (copied); k++)
        json_object_set_member (o, copied[k],
                                json_node_copy (json_object_get_member (c, copied[k])));
      json_array_add_object_element (candidates, o);
    }
  json_object_set_array_member (state, "candidates", candidates);
  return state;
}

