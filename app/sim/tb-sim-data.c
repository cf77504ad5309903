/* tb-sim-data.c: the simulated tenants, their certificates, and the ACS metadata document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-data"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-dl-gnutls.h"
#include "tb-dl-soup.h"
#include "tb-format.h"
#include "tb-sim-private.h"

#define SFB_APP_ID        "00000004-0000-0ff1-ce00-000000000000"
#define EXO_APP_ID        "00000002-0000-0ff1-ce00-000000000000"
#define SPO_APP_ID        "00000003-0000-0ff1-ce00-000000000000"
#define SCHEDULER_APP_ID  "7557eb47-c689-4224-abcf-aef9bd7573df"
#define VOICEMAIL_APP_ID  "db7de2b5-2149-435e-8043-e080dd50afae"
#define TEAMS_SERVICES_APP_ID "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"

#define DAY (24 * 3600)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

/* A self-signed EC P-256 certificate: real DER with a real thumbprint, made in about a
 * millisecond, so the demo tenant costs nothing to build at start-up. */
GBytes *
tb_sim_data_make_certificate (const char *common_name,
                              gint64      not_before,
                              gint64      not_after)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t out = { NULL, 0 };
  guint8 serial[16];
  GBytes *der;

  if (gnutls_x509_privkey_init (&key) < 0 ||
      gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                    GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
      gnutls_x509_crt_init (&crt) < 0)
    g_error ("Cannot make a simulator key");

  gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;

  if (gnutls_x509_crt_set_version (crt, 3) < 0 ||
      gnutls_x509_crt_set_serial (crt, serial, sizeof serial) < 0 ||
      gnutls_x509_crt_set_activation_time (crt, not_before) < 0 ||
      gnutls_x509_crt_set_expiration_time (crt, not_after) < 0 ||
      gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                     strlen (common_name)) < 0 ||
      gnutls_x509_crt_set_key (crt, key) < 0 ||
      gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
      gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0) < 0 ||
      gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out) < 0)
    g_error ("Cannot make a simulator certificate");

  der = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return der;
}

/* The demo pool's OAuthTokenIssuer certificates before its current one, newest first, of the
 * same subject as renewals often keep it: made once per process, so the demo tenant (which
 * holds them as credentials) and the demo Front End (which lists them as previous) describe
 * the same certificates. */
static TbSimDemoCertificate demo_history[2];

static gpointer
make_demo_history (gpointer data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  struct { const char *name; gint64 not_before, not_after, effective; } made[] = {
    { "oauth.contoso.com", now - 700 * DAY, now + 12 * DAY, now - 700 * DAY + 3600 },
    { "oauth.contoso.com", now - 1100 * DAY, now - 40 * DAY, now - 1100 * DAY + 3600 },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (made) == G_N_ELEMENTS (demo_history));
  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    {
      demo_history[i].common_name = made[i].name;
      demo_history[i].der = tb_sim_data_make_certificate (made[i].name, made[i].not_before,
                                                          made[i].not_after);
      demo_history[i].not_before = made[i].not_before;
      demo_history[i].not_after = made[i].not_after;
      demo_history[i].effective = made[i].effective;
    }
  return NULL;
}

const TbSimDemoCertificate *
tb_sim_demo_pool_history (guint index)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, make_demo_history, NULL);
  return index < G_N_ELEMENTS (demo_history) ? &demo_history[index] : NULL;
}

/* What Graph shows for a certificate uploaded without the optional members. */
JsonObject *
tb_sim_key_credential_from (TbCertificate *cert)
{
  JsonObject *kc = json_object_new ();
  g_autofree char *key_id = tb_sim_new_guid ();
  g_autofree char *start = tb_format_iso8601_utc (tb_certificate_get_not_before (cert));
  g_autofree char *end = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
  g_autofree char *b64 = tb_certificate_dup_base64 (cert);

  json_object_set_string_member (kc, "customKeyIdentifier", tb_certificate_get_sha1 (cert));
  json_object_set_string_member (kc, "displayName", tb_certificate_get_subject (cert));
  json_object_set_string_member (kc, "endDateTime", end);
  json_object_set_string_member (kc, "key", b64);
  json_object_set_string_member (kc, "keyId", key_id);
  json_object_set_string_member (kc, "startDateTime", start);
  json_object_set_string_member (kc, "type", "AsymmetricX509Cert");
  json_object_set_string_member (kc, "usage", "Verify");
  return kc;
}

JsonObject *
tb_sim_key_credential_for (GBytes *der)
{
  g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (der, NULL);

  g_assert (cert != NULL);
  return tb_sim_key_credential_from (cert);
}

/* @id NULL: a new random one. */
static JsonObject *
make_principal (TbSim              *self,
                const char         *id,
                const char         *app_id,
                const char         *display_name,
                const char         *owner,
                gboolean            enabled,
                const char * const *spns)
{
  JsonObject *sp = json_object_new ();
  g_autofree char *new_id = id == NULL ? tb_sim_new_guid () : NULL;
  JsonArray *names = json_array_new ();
  JsonArray *tags = json_array_new ();

  json_object_set_string_member (sp, "id", id != NULL ? id : new_id);
  json_object_set_null_member (sp, "deletedDateTime");
  json_object_set_boolean_member (sp, "accountEnabled", enabled);
  json_object_set_array_member (sp, "alternativeNames", json_array_new ());
  json_object_set_string_member (sp, "appDisplayName", display_name);
  json_object_set_null_member (sp, "appDescription");
  json_object_set_string_member (sp, "appId", app_id);
  json_object_set_string_member (sp, "appOwnerOrganizationId", owner);
  json_object_set_boolean_member (sp, "appRoleAssignmentRequired", FALSE);
  json_object_set_string_member (sp, "displayName", display_name);
  json_object_set_null_member (sp, "homepage");
  json_object_set_null_member (sp, "notes");
  json_object_set_string_member (sp, "preferredSingleSignOnMode", NULL);
  json_object_set_array_member (sp, "replyUrls", json_array_new ());
  json_object_set_string_member (sp, "servicePrincipalType", "Application");
  json_object_set_string_member (sp, "signInAudience",
                                 g_str_equal (owner, TB_SIM_MICROSOFT_TENANT)
                                 ? "AzureADMultipleOrgs" : "AzureADMyOrg");
  json_array_add_string_element (names, app_id);
  for (guint i = 0; spns != NULL && spns[i] != NULL; i++)
    json_array_add_string_element (names, spns[i]);
  json_object_set_array_member (sp, "servicePrincipalNames", names);
  json_object_set_array_member (sp, "tags", tags);
  json_object_set_array_member (sp, "keyCredentials", json_array_new ());
  json_object_set_array_member (sp, "passwordCredentials", json_array_new ());
  return sp;
}

static void
add_principal (TbSim      *self,
               JsonObject *sp)
{
  g_ptr_array_add (self->principals, sp);
  tb_sim_index_principal (self, sp);
}

static const char * const sfb_spns[] = {
  SFB_APP_ID "/*.lync.com",
  SFB_APP_ID "/*.online.lync.com",
  SFB_APP_ID "/*.infra.lync.com",
  SFB_APP_ID "/*.teams.microsoft.com",
  "Microsoft.Lync",
  NULL
};
static const char * const exo_spns[] = {
  EXO_APP_ID "/outlook.office365.com",
  EXO_APP_ID "/outlook.office.com",
  EXO_APP_ID "/*.outlook.com",
  EXO_APP_ID "/*.outlook.office365.com",
  "https://outlook.office365.com/",
  "https://outlook.office.com/",
  "Microsoft.Exchange",
  NULL
};
static const char * const spo_spns[] = {
  SPO_APP_ID "/*.sharepoint.com",
  "Microsoft.SharePoint",
  NULL
};
static const char * const scheduler_spns[] = {
  "https://api.teams.skype.com/scheduler",
  NULL
};
static const char * const voicemail_spns[] = {
  "https://cloudvoicemail.teams.microsoft.com",
  NULL
};

static const char * const words_a[] = {
  "Contoso", "Fabrikam", "Northwind", "Adatum", "Litware", "Tailspin", "Woodgrove", "Proseware",
  "Wingtip", "Alpine", "Coho", "Lucerne",
};
static const char * const words_b[] = {
  "Expense", "Payroll", "CRM", "Helpdesk", "Inventory", "Travel", "Wiki", "Backup", "Analytics",
  "Onboarding", "Timesheet", "Signage", "Scanner", "Forms", "Billing",
};
static const char * const words_c[] = {
  "Portal", "Connector", "Sync", "API", "Bot", "App", "Service", "Agent", "Gateway", "Reports",
};

void
tb_sim_data_populate (TbSim *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *sfb;
  JsonObject *exo;

  self->tenant_id = tb_sim_new_guid ();
  self->domains = g_strdupv ((char *[]) { "contoso.onmicrosoft.com", "contoso.com", NULL });
  self->org_display_name = g_strdup ("Contoso");
  self->user = g_strdup ("admin@contoso.onmicrosoft.com");
  self->user_name = g_strdup ("Contoso Administrator");
  self->user_oid = tb_sim_new_guid ();

  /* ACS signs its tokens with a certificate; the metadata document publishes it. */
  self->acs_cert_der = tb_sim_data_make_certificate ("accounts.accesscontrol.windows.net",
                                                     now - 30 * DAY, now + 700 * DAY);

  sfb = make_principal (self, NULL, SFB_APP_ID, "Skype for Business Online",
                        TB_SIM_MICROSOFT_TENANT, TRUE, sfb_spns);
  /* Disabled as in the seed procedure, which enables it. */
  exo = make_principal (self, NULL, EXO_APP_ID, "Office 365 Exchange Online",
                        TB_SIM_MICROSOFT_TENANT, FALSE, exo_spns);
  add_principal (self, sfb);
  add_principal (self, exo);
  add_principal (self, make_principal (self, NULL, SPO_APP_ID, "Office 365 SharePoint Online",
                                       TB_SIM_MICROSOFT_TENANT, TRUE, spo_spns));
  add_principal (self, make_principal (self, NULL, SCHEDULER_APP_ID,
                                       "Teams Calendar Scheduler Service",
                                       TB_SIM_MICROSOFT_TENANT, TRUE, scheduler_spns));
  add_principal (self, make_principal (self, NULL, VOICEMAIL_APP_ID, "Cloud Voicemail",
                                       TB_SIM_MICROSOFT_TENANT, TRUE, voicemail_spns));

  if (self->kind != TB_SIM_TENANT_DEMO)
    return;

  {
    /* A broken trust as admins find it after a renewal: Skype for Business Online holds the
     * pool's earlier OAuth certificates (one about to expire, one expired) but not the one the
     * pool has just switched to, and only the first of the pool's external web services FQDNs
     * as an SPN. Exchange Online holds none: that upload is opt-in since Microsoft retired the
     * shared principal for Exchange hybrid. */
    JsonArray *names = json_object_get_array_member (sfb, "servicePrincipalNames");

    for (guint i = 0; tb_sim_demo_pool_history (i) != NULL; i++)
      json_array_add_object_element (json_object_get_array_member (sfb, "keyCredentials"),
                                     tb_sim_key_credential_for (tb_sim_demo_pool_history (i)->der));
    json_array_add_string_element (names, SFB_APP_ID "/webext.contoso.com");
  }

  {
    /* Something for the audit to find on a first-party principal the trust does not use (its
     * check looks at Skype for Business Online and Exchange Online only): a client secret,
     * which no Microsoft document explains on Microsoft's own app. Graph returns its metadata
     * only, never the secret. */
    JsonObject *teams = make_principal (self, NULL, TEAMS_SERVICES_APP_ID,
                                        "Microsoft Teams Services", TB_SIM_MICROSOFT_TENANT, TRUE,
                                        NULL);
    JsonObject *pc = json_object_new ();
    g_autofree char *key_id = tb_sim_new_guid ();
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (now - 9 * DAY);
    g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (now + 720 * DAY);
    g_autofree char *start_text = tb_format_iso8601_utc (start);
    g_autofree char *end_text = tb_format_iso8601_utc (end);

    json_object_set_null_member (pc, "customKeyIdentifier");
    json_object_set_string_member (pc, "displayName", "teams-sync");
    json_object_set_string_member (pc, "endDateTime", end_text);
    json_object_set_string_member (pc, "hint", "7Qv");
    json_object_set_string_member (pc, "keyId", key_id);
    json_object_set_null_member (pc, "secretText");
    json_object_set_string_member (pc, "startDateTime", start_text);
    json_array_add_object_element (json_object_get_array_member (teams, "passwordCredentials"),
                                   pc);
    add_principal (self, teams);
  }

  /* The tenant's own applications, kept compactly until a request reads or writes one by
   * key (tb-sim-population.c): as JSON objects they would take most of the CLI's memory. */
  self->n_compact = TB_SIM_DEMO_LOB_PRINCIPALS;
  self->compact = g_new0 (TbSimCompact, self->n_compact);
  for (guint i = 0; i < self->n_compact; i++)
    {
      g_autofree char *app_id = tb_sim_new_guid ();
      g_autofree char *id = tb_sim_new_guid ();

      memcpy (self->compact[i].app_id, app_id, sizeof self->compact[i].app_id);
      memcpy (self->compact[i].id, id, sizeof self->compact[i].id);
      g_ptr_array_add (self->principals, TB_SIM_COMPACT_SLOT (i));
    }
}

JsonObject *
tb_sim_data_build_compact (TbSim *self,
                           guint  i)
{
  const TbSimCompact *c = &self->compact[i];
  g_autofree char *name = g_strdup_printf ("%s %s %s %u",
                                           words_a[i % G_N_ELEMENTS (words_a)],
                                           words_b[(i / 3) % G_N_ELEMENTS (words_b)],
                                           words_c[(i / 7) % G_N_ELEMENTS (words_c)],
                                           i + 1);

  /* servicePrincipalNames: the appId alone (tb_sim_spn_taken_elsewhere relies on it). */
  return make_principal (self, c->id, c->app_id, name, self->tenant_id, TRUE, NULL);
}

/* The key's x5t: the SHA-1 of its DER in Base64url without padding (RFC 7515). */
static char *
acs_x5t (GBytes *der)
{
  guint8 sha1[20];
  gsize sha1_len = sizeof sha1;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  char *x5t;

  g_checksum_update (checksum, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (checksum, sha1, &sha1_len);
  x5t = g_base64_encode (sha1, sha1_len);
  for (char *p = x5t; *p; p++)
    {
      if (*p == '+') *p = '-';
      else if (*p == '/') *p = '_';
      else if (*p == '=') { *p = '\0'; break; }
    }
  return x5t;
}

static void
acs_add_signing_key (JsonBuilder *b,
                     GBytes      *der)
{
  g_autofree char *x5t = acs_x5t (der);
  g_autofree char *value = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "usage");
  json_builder_add_string_value (b, "signing");
  json_builder_set_member_name (b, "keyInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "x5t");
  json_builder_add_string_value (b, x5t);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "keyValue");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "x509Certificate");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
acs_add_endpoints (JsonBuilder *b,
                   const char  *acs_base)
{
  static const struct { const char *suffix, *protocol, *usage; } endpoints[] = {
    { "tokens/OAuth/2", "OAuth2", "issuance" },
    { "tokens/delegation/1", "DelegationIssuance1.0", "issuance" },
    { "mgmt/delegation/1", "DelegationManagement1.0", "management" },
  };

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *location = g_strdup_printf ("%s/%s", acs_base, endpoints[i].suffix);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "location");
      json_builder_add_string_value (b, location);
      json_builder_set_member_name (b, "protocol");
      json_builder_add_string_value (b, endpoints[i].protocol);
      json_builder_set_member_name (b, "usage");
      json_builder_add_string_value (b, endpoints[i].usage);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The tenant's ACS metadata document: its realm, the ACS principal as issuer and audience
 * (00000001-0000-0000-c000-000000000000), the signing key and the endpoints. */
static JsonNode *
acs_metadata (TbSim      *self,
              const char *tenant_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GUri) acs = g_uri_parse (self->acs_base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = g_strdup_printf ("%s:%d", g_uri_get_host (acs), g_uri_get_port (acs));
  g_autofree char *issuer = g_strdup_printf ("00000001-0000-0000-c000-000000000000@%s",
                                             tenant_id);
  g_autofree char *audience = g_strdup_printf ("00000001-0000-0000-c000-000000000000/%s@%s",
                                               host, tenant_id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "1.0");
  json_builder_set_member_name (b, "realm");
  json_builder_add_string_value (b, tenant_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Microsoft Azure ACS");
  json_builder_set_member_name (b, "allowedAudiences");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, audience);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, issuer);
  json_builder_set_member_name (b, "keys");
  json_builder_begin_array (b);
  acs_add_signing_key (b, self->acs_cert_der);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "endpoints");
  acs_add_endpoints (b, self->acs_base);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* {acs}/{tenant}/metadata/json/1: public, no authentication. */
void
tb_sim_acs_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  TbSim *self = user_data;
  g_auto(GStrv) parts = NULL;
  const char *tenant_id = NULL;
  const char *method = soup_server_message_get_method (msg);

  self->request_count++;

  parts = g_strsplit (path, "/", -1);
  /* "", "acs", tenant, "metadata", "json", "1" */
  if (g_strv_length (parts) == 6 && g_str_equal (parts[3], "metadata") &&
      g_str_equal (parts[4], "json") && g_str_equal (parts[5], "1"))
    tenant_id = tb_sim_resolve_tenant (self, parts[2]);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain",
                           "Method Not Allowed\n");
    }
  else if (tenant_id == NULL)
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_NOT_FOUND, "text/html",
                           "<html><body><h2>404 - File or directory not found.</h2></body></html>\n");
    }
  else
    {
      g_autoptr(JsonNode) root = acs_metadata (self, tenant_id);

      tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
    }
  tb_sim_finish (self, msg);
}
