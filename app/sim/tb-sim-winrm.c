/* tb-sim-winrm.c: a Skype for Business Front End's WinRM listener, on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <libsoup/soup.h>

#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-sim.h"
#include "tb-sim-winrm.h"
#include "tb-sim-winrm-decode.h"
#include "tb-winrm-soap.h"
#include "tb-xml.h"

#define MACHINE "FE01"
#define DEMO_FQDN "fe01.contoso.local"
#define PROGRESS_NOISE \
  "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">" \
  "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject" \
  "</T><T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing " \
  "modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR>" \
  "<SD> </SD></PR></MS></Obj></Objs>"
#define DOUBLE_HOP_MESSAGE \
  "Cannot open database \"xds\" requested by the login. The login failed. Login failed for " \
  "user 'NT AUTHORITY\\ANONYMOUS LOGON'."

/* Byte counts of successive Base64 chunks: small and odd, so that chunks end inside UTF-8
 * sequences and CRLF pairs, as a real server's 'split anywhere' does. */
static const guint chunk_sizes[] = { 1, 5, 3, 57, 11, 2, 400, 7, 1024 };

typedef struct
{
  char    *id;
  GBytes  *out;
  GBytes  *err;
  gsize    out_pos;
  gsize    err_pos;
  guint    chunk;
  int      exit_code;
  guint    timeouts_left;
} Command;

typedef struct
{
  char       *id;
  char       *owner;
  GHashTable *commands;   /* id → Command */
} Shell;

struct _TbSimWinrm
{
  GObject          parent_instance;

  SoupServer      *server;
  guint            port;
  char            *fingerprint;
  GTlsCertificate *tls_certificate;

  char            *basic_user;
  char            *basic_password;
  gboolean         negotiate;
  gss_cred_id_t    acceptor;

  GHashTable      *shells;        /* id → Shell */
  guint            max_shells;
  guint            receive_timeouts;
  TbSimWinrmFault  fault;
  guint            fault_count;
  guint64          endless_bytes;
  gboolean         double_hop;
  char            *module;
  JsonObject      *pool;
  /* The roll model (NULL when the pool state was set whole): Cert:\LocalMachine\My and the
   * OAuthTokenIssuer entries of the Central Management Store, and the clock they follow. */
  JsonArray       *store;
  JsonArray       *oauth;
  GDateTime       *now;

  guint            commands_run;
  guint            pool_changes;
  guint            empty_requests;
  guint            negotiate_logons;
  char            *last_principal;
  char            *last_command;
};

G_DEFINE_FINAL_TYPE (TbSimWinrm, tb_sim_winrm, G_TYPE_OBJECT)

static void
command_free (Command *command)
{
  g_free (command->id);
  g_bytes_unref (command->out);
  g_bytes_unref (command->err);
  g_free (command);
}

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

static char *
gss_message (OM_uint32 major,
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
          g_autofree char *text = gss_message (major, minor);

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
      memset (key_pem.data, 0, key_pem.size);
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

static gboolean
make_certificate (const char   *common_name,
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
static void set_date_member (JsonObject *object,
                             const char *name,
                             GDateTime  *when);
static GDateTime *member_date (JsonObject *object,
                               const char *name);

/* The pool's earlier OAuthTokenIssuer certificates (the ones the demo tenant still holds), as
 * Get-CsCertificate lists them after renewals: previous entries, still in the store. Only
 * those the pool used before its current one. The default demo pool has just been renewed
 * this way; the renewal-due one is in the middle of its renewal and has none. */
static void
add_demo_history (TbSimWinrm *self)
{
  JsonObject *current = json_array_get_object_element (self->oauth, 0);
  g_autoptr(GDateTime) current_effective = member_date (current, "effectiveDate");
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
      set_date_member (entry, "effectiveDate", effective);
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
  memset (pem, 0, strlen (pem));
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

static gboolean
take_fault (TbSimWinrm      *self,
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

static GDateTime *
sim_now (TbSimWinrm *self)
{
  return self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

static char *
iso_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
set_date_member (JsonObject *object,
                 const char *name,
                 GDateTime  *when)
{
  g_autofree char *text = iso_date (when);

  json_object_set_string_member (object, name, text);
}

static GDateTime *
member_date (JsonObject *object,
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
  set_date_member (o, "notBefore", not_before);
  set_date_member (o, "notAfter", not_after);
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
  memset (pem, 0, strlen (pem));
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
  set_date_member (entry, "effectiveDate", effective);
  json_array_add_object_element (self->oauth, entry);
  json_array_add_object_element (self->store, current);

  add_demo_store_certificate (self, "oauth2028.contoso.com", TRUE, 800, TRUE);
  add_demo_store_certificate (self, "oauth-old.contoso.com", TRUE, 20, TRUE);
  add_demo_store_certificate (self, "ecc.contoso.com", FALSE, 800, TRUE);
  add_demo_store_certificate (self, "public-only.contoso.com", TRUE, 800, FALSE);
}

static JsonObject *
store_find (TbSimWinrm *self,
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
  g_autoptr(GDateTime) da = member_date (*(JsonObject **) a, "effectiveDate");
  g_autoptr(GDateTime) db = member_date (*(JsonObject **) b, "effectiveDate");

  if (da == NULL || db == NULL)
    return (da == NULL) - (db == NULL);
  return g_date_time_compare (db, da);
}

/* The OAuthTokenIssuer entries newest first, each with the role the read script gives it:
 * not yet effective → staged, the latest effective → current, older ones → previous. */
static GPtrArray *
oauth_roles (TbSimWinrm *self,
             GPtrArray **roles_out)
{
  g_autoptr(GDateTime) now = sim_now (self);
  GPtrArray *entries = g_ptr_array_new ();
  GPtrArray *roles = g_ptr_array_new ();
  gboolean have_current = FALSE;

  for (guint i = 0; i < json_array_get_length (self->oauth); i++)
    g_ptr_array_add (entries, json_array_get_object_element (self->oauth, i));
  g_ptr_array_sort (entries, compare_effective_desc);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GDateTime) effective = member_date (g_ptr_array_index (entries, i),
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
static JsonObject *
dup_current_state (TbSimWinrm *self)
{
  JsonObject *state = tb_sim_winrm_dup_pool_state (self);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) horizon = NULL;
  JsonArray *list, *candidates;

  if (self->oauth == NULL || state == NULL)
    return state;

  now = sim_now (self);
  horizon = g_date_time_add_days (now, 30);
  json_object_set_int_member (state, "schema", 2);
  json_object_set_null_member (state, "oauthCertificate");

  list = json_array_new ();
  entries = oauth_roles (self, &roles);
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      const char *role = g_ptr_array_index (roles, i);
      JsonObject *store = store_find (self, json_object_get_string_member (entry, "thumbprint"));
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
      g_autoptr(GDateTime) not_after = member_date (c, "notAfter");
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

/* ------------------------------------------------------------------------------------------ */
/* Running commands */

typedef struct
{
  GString *out;
  GString *errors;   /* CLIXML <S S="Error"> records */
  int      exit_code;
  /* The script ends by printing the pool state (TbEmit): the renewal script's export form. */
  gboolean emits_state;
} Run;

static void
clixml_error (Run        *run,
              const char *text)
{
  /* PowerShell escapes control characters and the underscore of _x…_ look-alikes. */
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (lines[i], -1);

      g_string_append_printf (run->errors, "<S S=\"Error\">%s_x000D__x000A_</S>", escaped);
    }
  if (run->exit_code == 0)
    run->exit_code = 1;
}

static void
powershell_error (Run        *run,
                  const char *statement,
                  const char *message,
                  const char *category,
                  const char *error_id)
{
  g_autofree char *text = g_strdup_printf ("%s\n"
                                           "At line:1 char:1\n"
                                           "+ %s\n"
                                           "    + CategoryInfo          : %s\n"
                                           "    + FullyQualifiedErrorId : %s\n",
                                           message, statement, category, error_id);

  clixml_error (run, text);
}

static char *
state_line (JsonObject *pool)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;
  g_autofree char *b64 = NULL;

  json_node_set_object (node, pool);
  json = json_to_string (node, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  return g_strconcat (TB_POOL_STATE_MARKER, b64, "\r\n", NULL);
}

static JsonObject *
find_by_identity (JsonObject *pool,
                  const char *member,
                  const char *identity,
                  JsonArray **array_out,
                  guint      *index_out)
{
  JsonArray *array;

  if (!json_object_has_member (pool, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (pool, member)))
    json_object_set_array_member (pool, member, json_array_new ());
  array = json_object_get_array_member (pool, member);
  *array_out = array;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (n) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (n),
                                                                 "identity", NULL),
                     identity) == 0)
        {
          *index_out = i;
          return json_node_get_object (n);
        }
    }
  return NULL;
}

static void
change (TbSimWinrm *self,
        Run        *run,
        gboolean    dry_run,
        const char *cmdlet,
        const char *target)
{
  if (dry_run)
    g_string_append_printf (run->out, "What if: Performing the operation \"%s\" on target "
                                      "\"%s\".\r\n", cmdlet, target);
  else
    {
      g_string_append_printf (run->out, "%s %s\r\n", cmdlet, target);
      self->pool_changes++;
    }
}

static void
apply_pool (TbSimWinrm *self,
            Run        *run,
            const char *metadata_url,
            gboolean    dry_run)
{
  JsonObject *pool = self->pool;
  JsonArray *array;
  JsonObject *server, *app, *config;
  guint index = 0;

  server = find_by_identity (pool, "oauthServers", TB_POOL_OAUTH_SERVER_IDENTITY, &array, &index);
  if (server == NULL)
    {
      change (self, run, dry_run, "New-CsOAuthServer", TB_POOL_OAUTH_SERVER_IDENTITY);
      if (!dry_run)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "identity", TB_POOL_OAUTH_SERVER_IDENTITY);
          json_object_set_string_member (o, "metadataUrl", metadata_url);
          json_object_set_null_member (o, "realm");
          json_array_add_object_element (array, o);
        }
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (server, "metadataUrl", NULL),
                      metadata_url) != 0)
    {
      change (self, run, dry_run, "Set-CsOAuthServer", TB_POOL_OAUTH_SERVER_IDENTITY);
      if (!dry_run)
        json_object_set_string_member (server, "metadataUrl", metadata_url);
    }

  app = find_by_identity (pool, "partnerApplications", TB_POOL_PARTNER_APPLICATION_IDENTITY,
                          &array, &index);
  if (app != NULL &&
      g_strcmp0 (json_object_get_string_member_with_default (app, "applicationIdentifier", NULL),
                 TB_POOL_EXCHANGE_APPLICATION_ID) != 0)
    {
      /* Set-CsPartnerApplication has no -ApplicationIdentifier: Remove, then New. */
      change (self, run, dry_run, "Remove-CsPartnerApplication",
              TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        json_array_remove_element (array, index);
      app = NULL;
    }
  if (app == NULL)
    {
      change (self, run, dry_run, "New-CsPartnerApplication", TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "identity", TB_POOL_PARTNER_APPLICATION_IDENTITY);
          json_object_set_string_member (o, "applicationIdentifier",
                                         TB_POOL_EXCHANGE_APPLICATION_ID);
          json_object_set_string_member (o, "applicationTrustLevel", "Full");
          json_object_set_boolean_member (o, "useOAuthServer", TRUE);
          json_object_set_boolean_member (o, "enabled", TRUE);
          json_array_add_object_element (array, o);
        }
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (app, "applicationTrustLevel",
                                                                  NULL), "Full") != 0 ||
           !json_object_get_boolean_member_with_default (app, "useOAuthServer", FALSE) ||
           !json_object_get_boolean_member_with_default (app, "enabled", FALSE))
    {
      change (self, run, dry_run, "Set-CsPartnerApplication", TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        {
          json_object_set_string_member (app, "applicationTrustLevel", "Full");
          json_object_set_boolean_member (app, "useOAuthServer", TRUE);
          json_object_set_boolean_member (app, "enabled", TRUE);
        }
    }

  if (!json_object_has_member (pool, "oauthConfiguration") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (pool, "oauthConfiguration")))
    json_object_set_object_member (pool, "oauthConfiguration", json_object_new ());
  config = json_object_get_object_member (pool, "oauthConfiguration");
  if (g_strcmp0 (json_object_get_string_member_with_default (config, "serviceName", NULL),
                 TB_POOL_SKYPE_SERVICE_NAME) != 0)
    {
      change (self, run, dry_run, "Set-CsOAuthConfiguration", "Global");
      if (!dry_run)
        json_object_set_string_member (config, "serviceName", TB_POOL_SKYPE_SERVICE_NAME);
    }
}

/* Set-CsCertificate -Roll and Remove-CsCertificate -Previous, as the renewal script runs them. */
static void
renew_pool (TbSimWinrm *self,
            Run        *run,
            GHashTable *params)
{
  const char *action = g_hash_table_lookup (params, "Action");
  const char *thumbprint = g_hash_table_lookup (params, "Thumbprint");
  const char *date = g_hash_table_lookup (params, "EffectiveDate");
  gboolean dry_run = g_strcmp0 (g_hash_table_lookup (params, "DryRun"), "yes") == 0;
  g_autoptr(GDateTime) now = sim_now (self);
  JsonObject *known = NULL;

  if (self->module == NULL)
    {
      powershell_error (run, "if(!$mod){throw …}",
                        "Trust Bridge: no SkypeForBusiness or Lync module; run this on a "
                        "Front End server.", "OperationStopped", "RuntimeException");
      return;
    }
  /* -match is case-insensitive in PowerShell. */
  if (thumbprint == NULL || strlen (thumbprint) != 40 ||
      strspn (thumbprint, "0123456789ABCDEFabcdef") != 40)
    {
      powershell_error (run, "if($Thumbprint -notmatch …",
                        "Trust Bridge: Thumbprint must be 40 hexadecimal digits.",
                        "OperationStopped", "RuntimeException");
      return;
    }
  if (self->oauth == NULL)
    self->oauth = json_array_new ();
  if (self->store == NULL)
    self->store = json_array_new ();
  for (guint i = 0; i < json_array_get_length (self->oauth); i++)
    {
      JsonObject *o = json_array_get_object_element (self->oauth, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (o, "thumbprint"), thumbprint) == 0)
        known = o;
    }

  if (g_strcmp0 (action, "stage") == 0)
    {
      g_autoptr(GDateTime) effective = date != NULL
                                         ? tb_pool_script_parse_effective_date (date, NULL)
                                         : NULL;
      g_autoptr(GDateTime) earliest = g_date_time_add_hours (now, 24);
      JsonObject *cert = store_find (self, thumbprint);

      if (effective == NULL)
        {
          powershell_error (run, "$d=[datetime]::ParseExact(…)",
                            "Exception calling \"ParseExact\" with \"4\" argument(s): \"String "
                            "was not recognized as a valid DateTime.\"",
                            "NotSpecified: (:) [], MethodInvocationException",
                            "FormatException");
          return;
        }
      if (g_date_time_compare (effective, earliest) < 0)
        {
          powershell_error (run, "if($d -lt $n.AddHours(24)){throw …}",
                            "Trust Bridge: the effective date must be at least 24 hours ahead.",
                            "OperationStopped", "RuntimeException");
          return;
        }
      if (known == NULL)
        {
          if (cert == NULL || !json_object_get_boolean_member (cert, "hasPrivateKey"))
            {
              g_autofree char *message = g_strdup_printf (
                "Set-CsCertificate : Command execution failed: The certificate with thumbprint "
                "\"%s\" was not found in the local computer's personal certificate store or "
                "has no private key.", thumbprint);

              powershell_error (run, "Set-CsCertificate -Type OAuthTokenIssuer …", message,
                                "InvalidOperation: (:) [Set-CsCertificate], "
                                "InvalidOperationException",
                                "Microsoft.Rtc.Management.Deployment.SetCertificateCmdlet");
              return;
            }
          change (self, run, dry_run, "Set-CsCertificate -Roll", thumbprint);
          if (!dry_run)
            {
              JsonObject *entry = json_object_new ();

              json_object_set_string_member (entry, "thumbprint",
                                             json_object_get_string_member (cert, "thumbprint"));
              set_date_member (entry, "effectiveDate", effective);
              json_array_add_object_element (self->oauth, entry);
            }
        }
    }
  else if (g_strcmp0 (action, "cleanup") == 0)
    {
      g_autoptr(GPtrArray) roles = NULL;
      g_autoptr(GPtrArray) entries = oauth_roles (self, &roles);
      g_autoptr(GDateTime) known_date = known != NULL ? member_date (known, "effectiveDate")
                                                      : NULL;
      gboolean switched = FALSE;

      /* Only when another certificate became effective after the one named. */
      for (guint i = 0; known != NULL && i < entries->len; i++)
        {
          JsonObject *o = g_ptr_array_index (entries, i);
          g_autoptr(GDateTime) d = member_date (o, "effectiveDate");

          if (o != known && d != NULL && g_date_time_compare (d, now) <= 0 &&
              (known_date == NULL || g_date_time_compare (d, known_date) > 0))
            switched = TRUE;
        }
      if (switched)
        {
          change (self, run, dry_run, "Remove-CsCertificate -Previous", "OAuthTokenIssuer");
          for (guint i = 0; !dry_run && i < entries->len; i++)
            if (g_str_equal (g_ptr_array_index (roles, i), TB_POOL_CERT_ROLE_PREVIOUS))
              for (guint k = 0; k < json_array_get_length (self->oauth); k++)
                if (json_array_get_object_element (self->oauth, k) ==
                    g_ptr_array_index (entries, i))
                  {
                    json_array_remove_element (self->oauth, k);
                    break;
                  }
        }
    }
  else
    {
      powershell_error (run, "}else{throw 'Trust Bridge: unknown Action.'}",
                        "Trust Bridge: unknown Action.", "OperationStopped", "RuntimeException");
      return;
    }
  g_string_append (run->out, "Trust Bridge: done.\r\n");
}

static void
run_pool_script (TbSimWinrm *self,
                 Run        *run,
                 GHashTable *params)
{
  const char *which = g_hash_table_lookup (params, "TbScript");
  g_autofree char *line = NULL;

  if (self->pool == NULL)
    tb_sim_winrm_load_demo_pool (self);

  if (g_strcmp0 (which, "read") == 0)
    {
      g_autoptr(JsonObject) state = dup_current_state (self);
      JsonObject *server = json_object_get_object_member (state, "server");
      JsonArray *errors = json_array_new ();

      if (self->module == NULL)
        {
          JsonObject *e = json_object_new ();

          /* What the read script reports without the module: server only, and why. */
          json_object_set_null_member (server, "module");
          json_object_set_string_member (e, "cmdlet", "Import-Module");
          json_object_set_string_member (e, "message",
                                         "The specified module 'SkypeForBusiness' was not "
                                         "loaded because no valid module file was found in "
                                         "any module directory.");
          json_array_add_object_element (errors, e);
          json_object_remove_member (state, "oauthServers");
          json_object_remove_member (state, "partnerApplications");
          json_object_remove_member (state, "oauthConfiguration");
          json_object_remove_member (state, "webServices");
          json_object_remove_member (state, "oauthCertificate");
          json_object_remove_member (state, "oauthCertificates");
          json_object_remove_member (state, "candidates");
        }
      else
        {
          json_object_set_string_member (server, "module", self->module);
          if (self->double_hop)
            {
              const char *gathered[][2] = {
                { "oauthServers", "Get-CsOAuthServer" },
                { "partnerApplications", "Get-CsPartnerApplication" },
                { "oauthConfiguration", "Get-CsOAuthConfiguration" },
                { "webServices", "Get-CsService" },
              };

              for (guint i = 0; i < G_N_ELEMENTS (gathered); i++)
                {
                  JsonObject *e = json_object_new ();

                  json_object_remove_member (state, gathered[i][0]);
                  json_object_set_string_member (e, "cmdlet", gathered[i][1]);
                  json_object_set_string_member (e, "message", DOUBLE_HOP_MESSAGE);
                  json_array_add_object_element (errors, e);
                }
            }
        }
      json_object_set_array_member (state, "errors", errors);
      g_string_append (run->out, "Trust Bridge: reading the pool configuration\r\n");
      line = state_line (state);
      g_string_append (run->out, line);
      return;
    }

  if (g_strcmp0 (which, "apply") == 0)
    {
      const char *url = g_hash_table_lookup (params, "MetadataUrl");
      gboolean dry_run = g_strcmp0 (g_hash_table_lookup (params, "DryRun"), "yes") == 0;

      if (self->module == NULL)
        {
          powershell_error (run, "if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync "
                                 "module; run this on a Front End server.'}",
                            "Trust Bridge: no SkypeForBusiness or Lync module; run this on a "
                            "Front End server.",
                            "OperationStopped: (Trust Bridge: ...ront End server.:String) [], "
                            "RuntimeException", "Trust Bridge: no SkypeForBusiness or Lync module");
          return;
        }
      g_autofree char *checked_url = url != NULL ? tb_pool_script_check_https_url (url, NULL)
                                                 : NULL;

      if (checked_url == NULL)
        {
          powershell_error (run, "param(", "The MetadataUrl parameter is not an https URL.",
                            "InvalidArgument", "ParameterArgumentValidationError");
          return;
        }
      if (self->double_hop)
        {
          /* $ErrorActionPreference='Stop': the first cmdlet throws; the state as it is. */
          line = state_line (self->pool);
          g_string_append (run->out, line);
          powershell_error (run, "Get-CsOAuthServer", "Get-CsOAuthServer : " DOUBLE_HOP_MESSAGE,
                            "NotSpecified: (:) [Get-CsOAuthServer], SqlException",
                            "Microsoft.Rtc.Management.Xds.GetOAuthServerCmdlet");
          return;
        }
      apply_pool (self, run, url, dry_run);
      {
        g_autoptr(JsonObject) state = dup_current_state (self);

        line = state_line (state);
      }
      g_string_append (run->out, line);
      return;
    }

  if (g_strcmp0 (which, "renew") == 0)
    {
      renew_pool (self, run, params);
      if (run->emits_state && run->exit_code == 0)
        {
          g_autoptr(JsonObject) state = dup_current_state (self);

          line = state_line (state);
          g_string_append (run->out, line);
        }
      return;
    }

  powershell_error (run, "param(", "Unknown TbScript value.", "InvalidArgument",
                    "ParameterArgumentValidationError");
}

/* The next PowerShell string literal at *p: '…' ('' escapes) or "…" (`x and "" escapes). */
static char *
parse_literal (const char **p)
{
  GString *s = g_string_new (NULL);
  char quote = **p;

  if (quote != '\'' && quote != '"')
    {
      /* A bare word, up to white space or ';'. */
      while (**p != '\0' && !g_ascii_isspace (**p) && **p != ';')
        g_string_append_c (s, *(*p)++);
      return g_string_free (s, FALSE);
    }
  (*p)++;
  while (**p != '\0')
    {
      char c = *(*p)++;

      if (c == quote && **p == quote)
        {
          g_string_append_c (s, c);
          (*p)++;
        }
      else if (c == quote)
        break;
      else if (quote == '"' && c == '`' && **p != '\0')
        {
          char e = *(*p)++;

          g_string_append_c (s, e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e);
        }
      else
        g_string_append_c (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Splits at newlines and at ';' outside quotes. */
static GPtrArray *
split_statements (const char *script)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  char quote = 0;

  for (const char *p = script; ; p++)
    {
      if (*p == '\0' || (!quote && (*p == '\n' || *p == ';')))
        {
          g_strstrip (cur->str);
          if (cur->str[0] != '\0' && cur->str[0] != '#')
            g_ptr_array_add (out, g_strdup (cur->str));
          g_string_truncate (cur, 0);
          if (*p == '\0')
            break;
          continue;
        }
      if (quote && *p == quote)
        quote = 0;
      else if (!quote && (*p == '\'' || *p == '"'))
        quote = *p;
      g_string_append_c (cur, *p);
    }
  g_string_free (cur, TRUE);
  return out;
}

static void
run_powershell_statements (TbSimWinrm *self,
                           Run        *run,
                           const char *script)
{
  g_autoptr(GPtrArray) statements = split_statements (script);

  for (guint i = 0; i < statements->len; i++)
    {
      const char *st = g_ptr_array_index (statements, i);
      g_autofree char *verb = NULL;
      const char *rest = st;

      while (*rest != '\0' && !g_ascii_isspace (*rest))
        rest++;
      verb = g_ascii_strdown (st, rest - st);
      while (g_ascii_isspace (*rest))
        rest++;

      if (st[0] == '$')
        continue;   /* assignments such as $ProgressPreference='SilentlyContinue' */
      if (g_str_equal (verb, "write-output") || g_str_equal (verb, "echo") ||
          g_str_equal (verb, "write-host"))
        {
          g_autofree char *text = parse_literal (&rest);

          g_string_append_printf (run->out, "%s\r\n", text);
        }
      else if (g_str_equal (verb, "write-error"))
        {
          g_autofree char *text = parse_literal (&rest);
          g_autofree char *message = g_strdup_printf ("%s : %s", st, text);

          powershell_error (run, st, message, "NotSpecified: (:) [Write-Error], "
                            "WriteErrorException",
                            "Microsoft.PowerShell.Commands.WriteErrorException");
        }
      else if (g_str_equal (verb, "exit"))
        {
          run->exit_code = atoi (rest);
          return;
        }
      else if (g_str_has_prefix (verb, "get-cs") || g_str_has_prefix (verb, "set-cs") ||
               g_str_has_prefix (verb, "new-cs") || g_str_has_prefix (verb, "remove-cs"))
        {
          g_autofree char *cmdlet = g_strndup (st, strcspn (st, " "));

          if (self->module == NULL)
            {
              g_autofree char *message =
                g_strdup_printf ("%s : The term '%s' is not recognized as the name of a cmdlet, "
                                 "function, script file, or operable program. Check the "
                                 "spelling of the name, or if a path was included, verify that "
                                 "the path is correct and try again.", cmdlet, cmdlet);
              g_autofree char *category =
                g_strdup_printf ("ObjectNotFound: (%s:String) [], CommandNotFoundException",
                                 cmdlet);

              powershell_error (run, st, message, category, "CommandNotFoundException");
              return;
            }
          if (self->double_hop)
            {
              g_autofree char *message = g_strdup_printf ("%s : " DOUBLE_HOP_MESSAGE, cmdlet);

              powershell_error (run, st, message, "NotSpecified: (:) [], SqlException",
                                "Microsoft.Rtc.Management.Xds.XdsSqlException");
              return;
            }
          g_string_append_printf (run->out, "Identity : Global\r\n");
        }
      else
        {
          g_autofree char *word = g_strndup (st, strcspn (st, " "));
          g_autofree char *message =
            g_strdup_printf ("%s : The term '%s' is not recognized as the name of a cmdlet, "
                             "function, script file, or operable program. Check the spelling "
                             "of the name, or if a path was included, verify that the path is "
                             "correct and try again.", word, word);
          g_autofree char *category =
            g_strdup_printf ("ObjectNotFound: (%s:String) [], CommandNotFoundException", word);

          powershell_error (run, st, message, category, "CommandNotFoundException");
          return;
        }
    }
}

static void
run_command_line (TbSimWinrm *self,
                  Command    *command,
                  const char *line)
{
  Run run = { g_string_new (NULL), g_string_new (NULL), 0 };
  GString *err = g_string_new (NULL);
  g_autofree char *lower = g_ascii_strdown (line, -1);

  self->commands_run++;
  if (g_str_has_prefix (lower, "powershell"))
    {
      g_autofree char *script = tb_sim_winrm_decode_command_line (line);
      g_autoptr(GHashTable) params = NULL;

      if (script == NULL)
        {
          /* What powershell.exe says about a command line it cannot use. */
          g_string_append (err, "Cannot process the command because of a missing parameter. "
                                "A command must follow -Command.\r\n");
          run.exit_code = 1;
        }
      else
        {
          g_free (self->last_command);
          self->last_command = g_strdup (script);
          params = tb_sim_winrm_parse_param_block (script);
          run.emits_state = strstr (script, "TbEmit(") != NULL;
          if (params != NULL && g_hash_table_contains (params, "TbScript"))
            run_pool_script (self, &run, params);
          else
            run_powershell_statements (self, &run, script);
          /* Every powershell.exe started this way writes its progress noise first. */
          g_string_append (err, PROGRESS_NOISE);
        }
    }
  else
    {
      g_autofree char *word = g_strndup (line, strcspn (line, " "));

      g_free (self->last_command);
      self->last_command = g_strdup (line);
      if (g_str_equal (lower, "hostname"))
        g_string_append (run.out, MACHINE "\r\n");
      else if (g_str_has_prefix (lower, "echo "))
        g_string_append_printf (run.out, "%s\r\n", line + 5);
      else
        {
          g_string_append_printf (err, "'%s' is not recognized as an internal or external "
                                       "command,\r\noperable program or batch file.\r\n", word);
          run.exit_code = 1;
        }
    }

  if (run.errors->len > 0)
    g_string_append_printf (err, "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" "
                                 "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                                 "%s</Objs>", run.errors->str);

  command->out = g_string_free_to_bytes (run.out);
  command->err = g_string_free_to_bytes (err);
  command->exit_code = run.exit_code;
  g_string_free (run.errors, TRUE);
}

char *
tb_sim_winrm_run_at_console (TbSimWinrm *self,
                             const char *script,
                             int        *exit_code)
{
  Run run = { g_string_new (NULL), g_string_new (NULL), 0 };
  g_autoptr(GHashTable) params = NULL;

  g_return_val_if_fail (TB_IS_SIM_WINRM (self), NULL);
  g_return_val_if_fail (script != NULL, NULL);

  params = tb_sim_winrm_parse_param_block (script);
  run.emits_state = strstr (script, "TbEmit(") != NULL;
  if (params != NULL && g_hash_table_contains (params, "TbScript"))
    run_pool_script (self, &run, params);
  else
    run_powershell_statements (self, &run, script);

  if (exit_code != NULL)
    *exit_code = run.exit_code;
  g_string_free (run.errors, TRUE);
  return g_string_free (run.out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* SOAP */

static const char reply_open[] =
  "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
  " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
  " xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\""
  " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
  " xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\""
  " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">";

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *action,
       const char        *relates_to,
       const char        *body)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *up = g_ascii_strup (uuid, -1);
  g_autofree char *rel = g_markup_escape_text (relates_to != NULL ? relates_to : "", -1);
  char *text = g_strdup_printf ("%s<s:Header><a:Action>%s</a:Action>"
                                "<a:MessageID>uuid:%s</a:MessageID>"
                                "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/"
                                "anonymous</a:To><a:RelatesTo>%s</a:RelatesTo></s:Header>"
                                "<s:Body>%s</s:Body></s:Envelope>",
                                reply_open, action, up, rel, body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/soap+xml;charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
fault (SoupServerMessage *msg,
       const char        *relates_to,
       const char        *value,
       const char        *subcode,
       const char        *code,
       const char        *message)
{
  g_autofree char *esc = g_markup_escape_text (message, -1);
  g_autofree char *body =
    g_strdup_printf ("<s:Fault><s:Code><s:Value>%s</s:Value><s:Subcode><s:Value>%s</s:Value>"
                     "</s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">%s</s:Text>"
                     "</s:Reason><s:Detail><f:WSManFault "
                     "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" "
                     "Code=\"%s\" Machine=\"" DEMO_FQDN "\"><f:Message>%s</f:Message>"
                     "</f:WSManFault></s:Detail></s:Fault>",
                     value, subcode, esc, code, esc);

  reply (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
         "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relates_to, body);
}

static char *
new_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_ascii_strup (uuid, -1);
}

static void
append_chunks (GString    *body,
               Command    *command,
               GBytes     *bytes,
               gsize      *pos,
               const char *name,
               guint       max_chunks)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (guint i = 0; i < max_chunks && *pos < len; i++)
    {
      gsize size = chunk_sizes[command->chunk++ % G_N_ELEMENTS (chunk_sizes)];
      gsize n = MIN (size, len - *pos);
      g_autofree char *b64 = g_base64_encode (data + *pos, n);

      g_string_append_printf (body, "<rsp:Stream Name=\"%s\" CommandId=\"%s\">%s</rsp:Stream>",
                              name, command->id, b64);
      *pos += n;
    }
}

static void
handle_receive (TbSimWinrm        *self,
                SoupServerMessage *msg,
                const char        *relates_to,
                Shell             *shell,
                TbXmlNode         *body)
{
  TbXmlNode *desired = tb_xml_node_find (body, "DesiredStream", NULL, NULL);
  const char *id = tb_xml_node_get_attr (desired, "CommandId");
  Command *command = id != NULL ? g_hash_table_lookup (shell->commands, id) : NULL;
  g_autoptr(GString) out = g_string_new ("<rsp:ReceiveResponse>");
  gboolean done;

  if (command == NULL)
    {
      fault (msg, relates_to, "s:Sender", "w:InvalidParameter", "2150858787",
             "The WS-Management service cannot process the request because the command "
             "identifier is not valid.");
      return;
    }
  if (command->timeouts_left > 0)
    {
      command->timeouts_left--;
      fault (msg, relates_to, "s:Receiver", "w:TimedOut", TB_WSMAN_FAULT_TIMED_OUT,
             "The WS-Management service cannot complete the operation within the time "
             "specified in OperationTimeout.  ");
      return;
    }

  /* A few chunks a reply, so that long output needs several Receives. */
  append_chunks (out, command, command->out, &command->out_pos, "stdout", 4);
  append_chunks (out, command, command->err, &command->err_pos, "stderr", 3);
  done = command->out_pos == g_bytes_get_size (command->out) &&
         command->err_pos == g_bytes_get_size (command->err);
  if (done)
    g_string_append_printf (out,
                            "<rsp:Stream Name=\"stdout\" CommandId=\"%s\" End=\"true\"/>"
                            "<rsp:Stream Name=\"stderr\" CommandId=\"%s\" End=\"true\"/>"
                            "<rsp:CommandState CommandId=\"%s\" State=\"" TB_WSMAN_STATE_DONE
                            "\"><rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState>",
                            command->id, command->id, command->id, command->exit_code);
  else
    g_string_append_printf (out, "<rsp:CommandState CommandId=\"%s\" State=\"http://schemas."
                                 "microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running\"/>",
                            command->id);
  g_string_append (out, "</rsp:ReceiveResponse>");
  reply (msg, SOUP_STATUS_OK,
         "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse",
         relates_to, out->str);
}

static void
handle_soap (TbSimWinrm        *self,
             SoupServerMessage *msg,
             const char        *principal,
             const char        *data,
             gsize              len)
{
  g_autoptr(TbXmlNode) root = tb_xml_parse (data, len, NULL);
  TbXmlNode *header = tb_xml_node_child (root, "Header");
  TbXmlNode *body = tb_xml_node_child (root, "Body");
  const char *action = tb_xml_node_get_text (tb_xml_node_child (header, "Action"));
  const char *message_id = tb_xml_node_get_text (tb_xml_node_child (header, "MessageID"));
  const char *shell_id = tb_xml_node_get_text (tb_xml_node_find (header, "Selector", "Name",
                                                                 "ShellId"));
  Shell *shell = NULL;

  if (root == NULL || body == NULL || !g_str_equal (root->name, "Envelope"))
    {
      fault (msg, NULL, "s:Sender", "w:InvalidMessageInformationHeader", "2150858817",
             "The WS-Management service cannot process the request because the XML is "
             "invalid.");
      return;
    }

  if (g_str_equal (action, TB_WSMAN_ACTION_CREATE))
    {
      GHashTableIter iter;
      gpointer value;
      guint owned = 0;
      g_autofree char *esc = NULL;
      g_autofree char *out = NULL;

      if (take_fault (self, TB_SIM_WINRM_FAULT_SHELL_DISABLED))
        {
          fault (msg, message_id, "s:Sender", "w:AccessDenied", "2147942405",
                 "The WS-Management service cannot process the request. The service is "
                 "configured to not accept any remote shell requests. ");
          return;
        }
      g_hash_table_iter_init (&iter, self->shells);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (g_strcmp0 (((Shell *) value)->owner, principal) == 0)
          owned++;
      if (take_fault (self, TB_SIM_WINRM_FAULT_TOO_MANY_SHELLS) || owned >= self->max_shells)
        {
          g_autofree char *text =
            g_strdup_printf ("The WS-Management service cannot process the request. This user "
                             "is allowed a maximum number of %u concurrent shells, which has "
                             "been exceeded. Close existing shells or raise the quota for this "
                             "user. ", self->max_shells);

          fault (msg, message_id, "s:Receiver", "w:QuotaLimit", TB_WSMAN_FAULT_TOO_MANY_SHELLS,
                 text);
          return;
        }
      shell = g_new0 (Shell, 1);
      shell->id = new_id ();
      shell->owner = g_strdup (principal);
      shell->commands = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) command_free);
      g_hash_table_insert (self->shells, shell->id, shell);
      out = g_strdup_printf ("<x:ResourceCreated><a:Address>https://" DEMO_FQDN ":5986/wsman"
                             "</a:Address><a:ReferenceParameters><w:ResourceURI>"
                             TB_WSMAN_RESOURCE_CMD "</w:ResourceURI><w:SelectorSet>"
                             "<w:Selector Name=\"ShellId\">%s</w:Selector></w:SelectorSet>"
                             "</a:ReferenceParameters></x:ResourceCreated>", shell->id);
      reply (msg, SOUP_STATUS_OK, "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
             message_id, out);
      return;
    }

  shell = g_hash_table_lookup (self->shells, shell_id);
  if (shell == NULL || take_fault (self, TB_SIM_WINRM_FAULT_SHELL_NOT_FOUND))
    {
      g_autofree char *text =
        g_strdup_printf ("The request for the Windows Remote Shell with ShellId %s failed "
                         "because the shell was not found on the server. Possible causes are: "
                         "the specified ShellId is incorrect or the shell no longer exists on "
                         "the server. Provide the correct ShellId or create a new shell and "
                         "retry the operation. ", shell_id);

      fault (msg, message_id, "s:Sender", "w:InvalidSelectors", TB_WSMAN_FAULT_SHELL_NOT_FOUND,
             text);
      return;
    }

  if (g_str_equal (action, TB_WSMAN_ACTION_COMMAND))
    {
      const char *line = tb_xml_node_get_text (tb_xml_node_find (body, "Command", NULL, NULL));
      Command *command;
      g_autofree char *out = NULL;

      if (take_fault (self, TB_SIM_WINRM_FAULT_COMMAND_TOO_LONG) ||
          strlen (line) > TB_WINRM_MAX_COMMAND_LINE)
        {
          fault (msg, message_id, "s:Receiver", "w:InternalError", TB_WSMAN_FAULT_LINE_TOO_LONG,
                 "The filename or extension is too long. ");
          return;
        }
      command = g_new0 (Command, 1);
      command->id = new_id ();
      command->timeouts_left = self->receive_timeouts;
      run_command_line (self, command, line);
      g_hash_table_insert (shell->commands, command->id, command);
      out = g_strdup_printf ("<rsp:CommandResponse><rsp:CommandId>%s</rsp:CommandId>"
                             "</rsp:CommandResponse>", command->id);
      reply (msg, SOUP_STATUS_OK,
             "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse",
             message_id, out);
    }
  else if (g_str_equal (action, TB_WSMAN_ACTION_RECEIVE))
    handle_receive (self, msg, message_id, shell, body);
  else if (g_str_equal (action, TB_WSMAN_ACTION_SIGNAL))
    {
      const char *id = tb_xml_node_get_attr (tb_xml_node_find (body, "Signal", NULL, NULL),
                                             "CommandId");

      if (id != NULL)
        g_hash_table_remove (shell->commands, id);
      reply (msg, SOUP_STATUS_OK,
             "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse",
             message_id, "<rsp:SignalResponse/>");
    }
  else if (g_str_equal (action, TB_WSMAN_ACTION_DELETE))
    {
      g_hash_table_remove (self->shells, shell_id);
      reply (msg, SOUP_STATUS_OK, "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse",
             message_id, "");
    }
  else
    fault (msg, message_id, "s:Sender", "a:ActionNotSupported", "2150858754",
           "The WS-Management service cannot process the request because the action is not "
           "supported.");
}

/* ------------------------------------------------------------------------------------------ */
/* Authentication */

static void
challenge (TbSimWinrm        *self,
           SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* What a Windows listener offers (fixtures/winrm/http): never a bare NTLM. */
  if (self->negotiate)
    {
      soup_message_headers_append (headers, "WWW-Authenticate", "Negotiate");
      soup_message_headers_append (headers, "WWW-Authenticate", "Kerberos");
    }
  if (self->basic_user != NULL)
    soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"WSMAN\"");
  soup_message_headers_append (headers, "WWW-Authenticate", "CredSSP");
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, "", 0);
}

static char *
accept_negotiate (TbSimWinrm        *self,
                  SoupServerMessage *msg,
                  const char        *token)
{
  gsize len = 0;
  g_autofree guint8 *bytes = g_base64_decode (token, &len);
  gss_buffer_desc in = { len, bytes };
  gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
  gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
  gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
  gss_name_t source = GSS_C_NO_NAME;
  OM_uint32 major, minor;
  char *principal = NULL;

  if (len == 0)
    return NULL;
  major = gss_accept_sec_context (&minor, &ctx, self->acceptor, &in, GSS_C_NO_CHANNEL_BINDINGS,
                                  &source, NULL, &out, NULL, NULL, NULL);
  if (major == GSS_S_COMPLETE)
    {
      if (!GSS_ERROR (gss_display_name (&minor, source, &name, NULL)))
        {
          principal = g_strndup (name.value, name.length);
          gss_release_buffer (&minor, &name);
        }
      if (out.length > 0)
        {
          /* The mutual-authentication token that SoupAuthNegotiate checks. */
          g_autofree char *b64 = g_base64_encode (out.value, out.length);
          g_autofree char *value = g_strconcat ("Negotiate ", b64, NULL);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", value);
        }
    }
  else
    {
      g_autofree char *text = gss_message (major, minor);

      g_debug ("WinRM simulator: Negotiate refused: %s", text);
    }
  gss_release_buffer (&minor, &out);
  if (source != GSS_C_NO_NAME)
    gss_release_name (&minor, &source);
  if (ctx != GSS_C_NO_CONTEXT)
    gss_delete_sec_context (&minor, &ctx, GSS_C_NO_BUFFER);
  return principal;
}

static char *
authenticate (TbSimWinrm        *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *connection_principal = socket != NULL
    ? g_object_get_data (G_OBJECT (socket), "tb-sim-winrm-principal") : NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0 && self->basic_user)
    {
      gsize len = 0;
      g_autofree char *decoded = (char *) g_base64_decode (header + 6, &len);
      g_autofree char *expected = g_strdup_printf ("%s:%s", self->basic_user,
                                                   self->basic_password);
      gboolean ok = len == strlen (expected) && memcmp (decoded, expected, len) == 0;

      memset (expected, 0, strlen (expected));
      if (decoded != NULL)
        memset (decoded, 0, len);
      return ok ? g_strdup (self->basic_user) : NULL;
    }
  if (header != NULL && g_ascii_strncasecmp (header, "Negotiate ", 10) == 0 && self->negotiate)
    {
      char *principal = accept_negotiate (self, msg, header + 10);

      /* HTTP.sys keeps a Kerberos logon for the connection: later requests on it may come
       * without a header. */
      if (principal != NULL && socket != NULL)
        {
          self->negotiate_logons++;
          g_object_set_data_full (G_OBJECT (socket), "tb-sim-winrm-principal",
                                  g_strdup (principal), g_free);
        }
      return principal;
    }
  if (header == NULL && connection_principal != NULL)
    return g_strdup (connection_principal);
  return NULL;
}

/* A listener gone wrong (or hostile, behind a pinned certificate): an envelope that starts
 * like a reply and never ends, 1 MiB a chunk, for as long as the client reads. */
#define ENDLESS_CHUNK (1024 * 1024)

static void
endless_wrote_chunk (SoupServerMessage *msg,
                     gpointer           user_data)
{
  TbSimWinrm *self = user_data;
  static char *chunk;

  if (chunk == NULL)
    {
      chunk = g_malloc (ENDLESS_CHUNK);
      memset (chunk, ' ', ENDLESS_CHUNK);
    }
  self->endless_bytes += ENDLESS_CHUNK;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, ENDLESS_CHUNK);
}

static void
start_endless_reply (TbSimWinrm        *self,
                     SoupServerMessage *msg)
{
  static const char start[] =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/soap+xml;charset=UTF-8", NULL);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            start, strlen (start));
  g_signal_connect_object (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk), self, 0);
}

guint64
tb_sim_winrm_get_endless_bytes (TbSimWinrm *self)
{
  g_return_val_if_fail (TB_IS_SIM_WINRM (self), 0);

  return self->endless_bytes;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TbSimWinrm *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *principal = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  principal = authenticate (self, msg);
  /* The injected refusal hits a request that carries credentials, as a real one would. */
  if (principal != NULL && take_fault (self, TB_SIM_WINRM_FAULT_UNAUTHORIZED))
    g_clear_pointer (&principal, g_free);
  if (principal == NULL)
    {
      challenge (self, msg);
      return;
    }
  g_free (self->last_principal);
  self->last_principal = g_strdup (principal);

  if (body->length == 0)
    {
      /* An authenticated request without an envelope: what clients send to set up the
       * authentication, and what libsoup's re-send after a 401 looks like. */
      self->empty_requests++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, "", 0);
      return;
    }
  if (body->length > TB_WINRM_MAX_ENVELOPE)
    {
      fault (msg, NULL, "s:Sender", "w:EncodingLimit", "2150858793",
             "The request is larger than MaxEnvelopeSize.");
      return;
    }
  if (take_fault (self, TB_SIM_WINRM_FAULT_ENDLESS_REPLY))
    {
      start_endless_reply (self, msg);
      return;
    }
  handle_soap (self, msg, principal, body->data, body->length);
}

gboolean
tb_sim_winrm_start (TbSimWinrm  *self,
                    guint        port,
                    GError     **error)
{
  g_autofree char *pem = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *hex = NULL;
  GSList *uris;

  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!make_certificate ("localhost", "localhost", FALSE, &pem, &der, error))
    return FALSE;
  self->tls_certificate = g_tls_certificate_new_from_pem (pem, -1, error);
  memset (pem, 0, strlen (pem));
  if (self->tls_certificate == NULL)
    return FALSE;
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);
  self->fingerprint = g_ascii_strup (hex, -1);

  if (self->pool == NULL)
    tb_sim_winrm_load_demo_pool (self);

  self->server = soup_server_new ("tls-certificate", self->tls_certificate,
                                  "server-header", "Microsoft-HTTPAPI/2.0", NULL);
  soup_server_add_handler (self->server, "/wsman", handle_request, self, NULL);
  if (!soup_server_listen_local (self->server, port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

void
tb_sim_winrm_stop (TbSimWinrm *self)
{
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}
