/* tb-certificate.c: an immutable, parsed X.509 certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificate"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-certificate.h"
#include "tb-certificate-loader.h"
#include "tb-core-enums.h"
#include "tb-dl-gnutls.h"
#include "tb-enum.h"
#include "tb-format.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_subject_alt_names_t, gnutls_subject_alt_names_deinit, NULL)

struct _TbCertificate
{
  GObject     parent_instance;

  GBytes     *der;
  char       *source;
  guint       index;

  char       *subject;
  char       *common_name;
  char       *issuer;
  char       *issuer_common_name;
  char       *serial;
  GDateTime  *not_before;
  GDateTime  *not_after;
  char       *sha1;
  char       *sha256;
  char       *key_algorithm;
  guint       key_bits;
  char       *signature_algorithm;
  GStrv       subject_alt_names;
  GStrv       key_usages;
  GStrv       extended_key_usages;
  gboolean    self_signed;
};

G_DEFINE_FINAL_TYPE (TbCertificate, tb_certificate, G_TYPE_OBJECT)

static void
tb_certificate_finalize (GObject *object)
{
  TbCertificate *self = TB_CERTIFICATE (object);

  g_clear_pointer (&self->der, g_bytes_unref);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->common_name, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->issuer_common_name, g_free);
  g_clear_pointer (&self->serial, g_free);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->sha1, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->key_algorithm, g_free);
  g_clear_pointer (&self->signature_algorithm, g_free);
  g_clear_pointer (&self->subject_alt_names, g_strfreev);
  g_clear_pointer (&self->key_usages, g_strfreev);
  g_clear_pointer (&self->extended_key_usages, g_strfreev);

  G_OBJECT_CLASS (tb_certificate_parent_class)->finalize (object);
}

static void
tb_certificate_class_init (TbCertificateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_certificate_finalize;
}

static void
tb_certificate_init (TbCertificate *self)
{
}

static char *
get_dn_attribute (gnutls_x509_crt_t crt,
                  gboolean          issuer,
                  const char       *oid)
{
  char buf[1024];
  size_t size = sizeof buf - 1;
  int ret;

  if (issuer)
    ret = gnutls_x509_crt_get_issuer_dn_by_oid (crt, oid, 0, 0, buf, &size);
  else
    ret = gnutls_x509_crt_get_dn_by_oid (crt, oid, 0, 0, buf, &size);

  if (ret < 0)
    return NULL;

  buf[MIN (size, sizeof buf - 1)] = '\0';
  return g_utf8_make_valid (buf, -1);
}

/* @len bytes in @charset as UTF-8, or NULL when iconv refuses them. iconv's output is not
 * trusted either: UCS-4 and UTF-16 input can carry surrogates, code points past U+10FFFF and
 * NULs, which some converters pass through as invalid UTF-8. Whatever is not valid UTF-8 (an
 * embedded NUL included) becomes U+FFFD, so JSON output and GTK labels always get valid text. */
static char *
convert_to_valid_utf8 (const guint8 *data,
                       gsize         len,
                       const char   *charset)
{
  g_autofree char *utf8 = NULL;
  gsize written = 0;

  utf8 = g_convert ((const char *) data, len, "UTF-8", charset, NULL, &written, NULL);
  if (utf8 == NULL)
    return NULL;

  return g_utf8_make_valid (utf8, written);
}

/* Text of one attribute value from its ASN.1 string type. */
static char *
ava_value_to_utf8 (const gnutls_x509_ava_st *ava)
{
  const guint8 *data = ava->value.data;
  gsize len = ava->value.size;
  char *text = NULL;

  switch (ava->value_tag)
    {
    case 12: /* UTF8String */
    case 18: /* NumericString */
    case 19: /* PrintableString */
    case 22: /* IA5String */
    case 26: /* VisibleString */
      return g_utf8_make_valid ((const char *) data, len);
    case 20: /* TeletexString: in practice Latin-1 */
      text = convert_to_valid_utf8 (data, len, "ISO-8859-1");
      return text != NULL ? text : g_utf8_make_valid ((const char *) data, len);
    case 30: /* BMPString */
      text = convert_to_valid_utf8 (data, len, "UTF-16BE");
      break;
    case 28: /* UniversalString */
      text = convert_to_valid_utf8 (data, len, "UCS-4BE");
      break;
    default:
      break;
    }
  if (text != NULL)
    return text;

  {
    g_autofree char *hex = tb_format_hex (data, len);
    return g_strconcat ("#", hex, NULL);
  }
}

static void
append_escaped (GString    *out,
                const char *value)
{
  gsize len = strlen (value);

  if (value[0] == '#' && len > 1 && g_ascii_isxdigit (value[1]))
    {
      /* Already a hex form from ava_value_to_utf8(): keep it as RFC 4514 says. */
      g_string_append (out, value);
      return;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = value[i];

      if (strchr (",+\"\\<>;=", c) != NULL ||
          (i == 0 && (c == '#' || c == ' ')) ||
          (i == len - 1 && c == ' '))
        g_string_append_c (out, '\\');
      g_string_append_c (out, c);
    }
}

static const char *
attribute_name (const char *oid)
{
  static const struct { const char *oid; const char *name; } extra[] = {
    { "2.5.4.97", "organizationIdentifier" },
    { "2.5.4.5", "serialNumber" },
    { "2.5.4.15", "businessCategory" },
    { "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC" },
  };
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    if (g_str_equal (oid, extra[i].oid))
      return extra[i].name;

  name = gnutls_x509_dn_oid_name (oid, GNUTLS_X509_DN_OID_RETURN_OID);
  return name != NULL ? name : oid;
}

/* RFC 4514 (most specific RDN first) with every value as readable text; GnuTLS's own
 * formatter leaves attributes it does not know as hex DER. */
static char *
format_dn (gnutls_x509_dn_t dn)
{
  g_autoptr(GPtrArray) rdns = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (int irdn = 0; ; irdn++)
    {
      g_autoptr(GString) rdn = g_string_new (NULL);
      gnutls_x509_ava_st ava;
      int iava;

      for (iava = 0; gnutls_x509_dn_get_rdn_ava (dn, irdn, iava, &ava) == 0; iava++)
        {
          g_autofree char *oid = g_strndup ((const char *) ava.oid.data, ava.oid.size);
          g_autofree char *value = ava_value_to_utf8 (&ava);

          if (iava > 0)
            g_string_append_c (rdn, '+');
          g_string_append_printf (rdn, "%s=", attribute_name (oid));
          append_escaped (rdn, value);
        }

      if (iava == 0)
        break;
      g_ptr_array_add (rdns, g_string_free (g_steal_pointer (&rdn), FALSE));
    }

  for (guint i = rdns->len; i > 0; i--)
    {
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, g_ptr_array_index (rdns, i - 1));
    }

  return g_string_free (out, FALSE);
}

/* A DN without a CN (some roots have only O/OU) still needs a prominent name. */
static char *
pick_display_name (gnutls_x509_crt_t  crt,
                   gboolean           issuer,
                   const char        *full_dn)
{
  static const char *fallbacks[] = {
    GNUTLS_OID_X520_COMMON_NAME,
    GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME,
    GNUTLS_OID_X520_ORGANIZATION_NAME,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      char *value = get_dn_attribute (crt, issuer, fallbacks[i]);

      if (value != NULL && value[0] != '\0')
        return value;
      g_free (value);
    }

  return g_strdup (full_dn);
}

static char *
format_serial (gnutls_x509_crt_t crt)
{
  guint8 buf[128];
  size_t size = sizeof buf;
  gsize start = 0;

  if (gnutls_x509_crt_get_serial (crt, buf, &size) < 0 || size == 0)
    return g_strdup ("");

  /* DER adds a leading zero byte to keep a positive integer positive; Windows and OpenSSL do
   * not show it. */
  while (start + 1 < size && buf[start] == 0)
    start++;

  return tb_format_hex (buf + start, size - start);
}

static const char *
pk_algorithm_name (int algo)
{
  switch (algo)
    {
    case GNUTLS_PK_RSA:
      return "RSA";
    case GNUTLS_PK_RSA_PSS:
      return "RSA-PSS";
    case GNUTLS_PK_DSA:
      return "DSA";
    case GNUTLS_PK_ECDSA:
      return "EC";
    case GNUTLS_PK_EDDSA_ED25519:
      return "Ed25519";
    case GNUTLS_PK_EDDSA_ED448:
      return "Ed448";
    default:
      return gnutls_pk_algorithm_get_name (algo) ? gnutls_pk_algorithm_get_name (algo) : "unknown";
    }
}

static char *
san_text (const char           *prefix,
          const gnutls_datum_t *san)
{
  g_autofree char *valid = g_utf8_make_valid ((const char *) san->data, san->size);

  return g_strconcat (prefix, valid, NULL);
}

static GStrv
read_subject_alt_names (gnutls_x509_crt_t crt)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(gnutls_subject_alt_names_t) sans = NULL;
  gnutls_datum_t ext = { NULL, 0 };
  unsigned int critical = 0;

  if (gnutls_x509_crt_get_extension_by_oid2 (crt, "2.5.29.17", 0, &ext, &critical) < 0)
    return g_strv_builder_end (builder);

  if (gnutls_subject_alt_names_init (&sans) < 0 ||
      gnutls_x509_ext_import_subject_alt_names (&ext, sans, 0) < 0)
    {
      gnutls_free (ext.data);
      return g_strv_builder_end (builder);
    }
  gnutls_free (ext.data);

  for (unsigned int i = 0; ; i++)
    {
      gnutls_datum_t san = { NULL, 0 };
      gnutls_datum_t othername = { NULL, 0 };
      unsigned int type = 0;
      g_autofree char *value = NULL;

      if (gnutls_subject_alt_names_get (sans, i, &type, &san, &othername) < 0)
        break;

      switch (type)
        {
        case GNUTLS_SAN_DNSNAME:
          value = san_text ("DNS:", &san);
          break;
        case GNUTLS_SAN_RFC822NAME:
          value = san_text ("email:", &san);
          break;
        case GNUTLS_SAN_URI:
          value = san_text ("URI:", &san);
          break;
        case GNUTLS_SAN_IPADDRESS:
          {
            g_autoptr(GInetAddress) addr = NULL;

            if (san.size == 4)
              addr = g_inet_address_new_from_bytes (san.data, G_SOCKET_FAMILY_IPV4);
            else if (san.size == 16)
              addr = g_inet_address_new_from_bytes (san.data, G_SOCKET_FAMILY_IPV6);

            if (addr != NULL)
              {
                g_autofree char *text = g_inet_address_to_string (addr);
                value = g_strdup_printf ("IP:%s", text);
              }
          }
          break;
        case GNUTLS_SAN_DN:
          value = g_strdup (_("Directory name"));
          break;
        case GNUTLS_SAN_OTHERNAME:
        case GNUTLS_SAN_OTHERNAME_XMPP:
        case GNUTLS_SAN_OTHERNAME_KRB5PRINCIPAL:
        case GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL:
          value = san_text ("othername:", &san);
          break;
        default:
          break;
        }

      if (value != NULL)
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

static GStrv
read_key_usages (gnutls_x509_crt_t crt)
{
  static const struct { unsigned int bit; const char *name; } names[] = {
    { GNUTLS_KEY_DIGITAL_SIGNATURE, N_("Digital Signature") },
    { GNUTLS_KEY_NON_REPUDIATION, N_("Non-Repudiation") },
    { GNUTLS_KEY_KEY_ENCIPHERMENT, N_("Key Encipherment") },
    { GNUTLS_KEY_DATA_ENCIPHERMENT, N_("Data Encipherment") },
    { GNUTLS_KEY_KEY_AGREEMENT, N_("Key Agreement") },
    { GNUTLS_KEY_KEY_CERT_SIGN, N_("Certificate Signing") },
    { GNUTLS_KEY_CRL_SIGN, N_("CRL Signing") },
    { GNUTLS_KEY_ENCIPHER_ONLY, N_("Encipher Only") },
    { GNUTLS_KEY_DECIPHER_ONLY, N_("Decipher Only") },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  unsigned int usage = 0;
  unsigned int critical = 0;

  if (gnutls_x509_crt_get_key_usage (crt, &usage, &critical) >= 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (usage & names[i].bit)
          g_strv_builder_add (builder, _(names[i].name));
    }

  return g_strv_builder_end (builder);
}

static GStrv
read_extended_key_usages (gnutls_x509_crt_t crt)
{
  static const struct { const char *oid; const char *name; } names[] = {
    { "1.3.6.1.5.5.7.3.1", N_("Server Authentication") },
    { "1.3.6.1.5.5.7.3.2", N_("Client Authentication") },
    { "1.3.6.1.5.5.7.3.3", N_("Code Signing") },
    { "1.3.6.1.5.5.7.3.4", N_("Email Protection") },
    { "1.3.6.1.5.5.7.3.8", N_("Time Stamping") },
    { "1.3.6.1.5.5.7.3.9", N_("OCSP Signing") },
    { "2.5.29.37.0", N_("Any Purpose") },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (unsigned int i = 0; ; i++)
    {
      char oid[256];
      size_t size = sizeof oid;
      const char *name = NULL;

      if (gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, NULL) < 0)
        break;
      oid[MIN (size, sizeof oid - 1)] = '\0';

      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        if (g_str_equal (oid, names[j].oid))
          name = _(names[j].name);

      if (name != NULL)
        {
          g_autofree char *label = g_strdup_printf ("%s (%s)", name, oid);
          g_strv_builder_add (builder, label);
        }
      else
        g_strv_builder_add (builder, oid);
    }

  return g_strv_builder_end (builder);
}

/* OpenSSL's notion: self-issued (same DN), and the authority key identifier, when both are
 * present, names the certificate's own key. */
static gboolean
is_self_signed (gnutls_x509_crt_t crt)
{
  guint8 skid[128], akid[128];
  size_t skid_size = sizeof skid, akid_size = sizeof akid;
  unsigned int critical = 0;

  if (!gnutls_x509_crt_check_issuer (crt, crt))
    return FALSE;

  if (gnutls_x509_crt_get_subject_key_id (crt, skid, &skid_size, &critical) < 0)
    return TRUE;
  if (gnutls_x509_crt_get_authority_key_id (crt, akid, &akid_size, &critical) < 0)
    return TRUE;

  return skid_size == akid_size && memcmp (skid, akid, skid_size) == 0;
}

static GDateTime *
date_from_time_t (time_t t)
{
  return g_date_time_new_from_unix_utc ((gint64) t);
}

TbCertificate *
tb_certificate_new_from_der (GBytes  *der,
                             GError **error)
{
  g_autoptr(TbCertificate) self = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum;
  gnutls_x509_dn_t dn = NULL;
  unsigned int bits = 0;
  time_t activation, expiration;
  int algo, sign;
  gsize len;

  g_return_val_if_fail (der != NULL, NULL);

  datum.data = (unsigned char *) g_bytes_get_data (der, &len);
  datum.size = (unsigned int) len;

  if (len == 0 || gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      g_set_error_literal (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE,
                           _("The data is not an X.509 certificate."));
      return NULL;
    }

  activation = gnutls_x509_crt_get_activation_time (crt);
  expiration = gnutls_x509_crt_get_expiration_time (crt);
  if (activation == (time_t) -1 || expiration == (time_t) -1)
    {
      g_set_error_literal (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE,
                           _("The certificate’s validity dates cannot be read."));
      return NULL;
    }

  self = g_object_new (TB_TYPE_CERTIFICATE, NULL);
  self->der = g_bytes_ref (der);

  if (gnutls_x509_crt_get_subject (crt, &dn) >= 0)
    self->subject = format_dn (dn);
  else
    self->subject = g_strdup ("");
  if (gnutls_x509_crt_get_issuer (crt, &dn) >= 0)
    self->issuer = format_dn (dn);
  else
    self->issuer = g_strdup ("");

  self->common_name = pick_display_name (crt, FALSE, self->subject);
  self->issuer_common_name = pick_display_name (crt, TRUE, self->issuer);
  self->serial = format_serial (crt);
  self->not_before = date_from_time_t (activation);
  self->not_after = date_from_time_t (expiration);
  if (self->not_before == NULL || self->not_after == NULL)
    {
      g_set_error_literal (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE,
                           _("The certificate’s validity dates cannot be read."));
      return NULL;
    }

  {
    g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);
    g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);

    /* Windows and Entra show thumbprints in upper case without separators. */
    self->sha1 = g_ascii_strup (sha1, -1);
    self->sha256 = g_ascii_strup (sha256, -1);
  }

  algo = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  self->key_algorithm = g_strdup (pk_algorithm_name (algo));
  self->key_bits = bits;

  sign = gnutls_x509_crt_get_signature_algorithm (crt);
  if (sign >= 0 && gnutls_sign_get_name (sign) != NULL)
    self->signature_algorithm = g_strdup (gnutls_sign_get_name (sign));
  else
    {
      char oid[128];
      size_t size = sizeof oid;

      if (gnutls_x509_crt_get_signature_oid (crt, oid, &size) >= 0)
        self->signature_algorithm = g_strndup (oid, MIN (size, sizeof oid - 1));
      else
        self->signature_algorithm = g_strdup ("unknown");
    }

  self->subject_alt_names = read_subject_alt_names (crt);
  self->key_usages = read_key_usages (crt);
  self->extended_key_usages = read_extended_key_usages (crt);
  self->self_signed = is_self_signed (crt);

  return g_steal_pointer (&self);
}

const char *
tb_certificate_get_source (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);
  return self->source;
}

guint
tb_certificate_get_index (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), 0);
  return self->index;
}

void
tb_certificate_set_origin (TbCertificate *self,
                           const char    *source,
                           guint          index)
{
  g_return_if_fail (TB_IS_CERTIFICATE (self));

  g_free (self->source);
  self->source = g_strdup (source);
  self->index = index;
}

#define GETTER(type, name) \
  type \
  tb_certificate_get_##name (TbCertificate *self) \
  { \
    g_return_val_if_fail (TB_IS_CERTIFICATE (self), 0); \
    return self->name; \
  }

GETTER (const char *, subject)
GETTER (const char *, common_name)
GETTER (const char *, issuer)
GETTER (const char *, issuer_common_name)
GETTER (const char *, serial)
GETTER (GDateTime *, not_before)
GETTER (GDateTime *, not_after)
GETTER (const char *, sha1)
GETTER (const char *, sha256)
GETTER (const char *, key_algorithm)
GETTER (guint, key_bits)
GETTER (const char *, signature_algorithm)
GETTER (gboolean, self_signed)
GETTER (GBytes *, der)

#undef GETTER

const char * const *
tb_certificate_get_subject_alt_names (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->subject_alt_names;
}

const char * const *
tb_certificate_get_key_usages (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->key_usages;
}

const char * const *
tb_certificate_get_extended_key_usages (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->extended_key_usages;
}

gboolean
tb_certificate_has_weak_key (TbCertificate *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE (self), FALSE);

  return (g_str_equal (self->key_algorithm, "RSA") || g_str_equal (self->key_algorithm, "RSA-PSS")) &&
         self->key_bits < TB_CERTIFICATE_MIN_RSA_BITS;
}

char *
tb_certificate_dup_base64 (TbCertificate *self)
{
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);

  /* One line of standard Base64, as .NET's Convert.ToBase64String(cert.GetRawCertData()). */
  data = g_bytes_get_data (self->der, &len);
  return g_base64_encode (data, len);
}

char *
tb_certificate_dup_pem (TbCertificate *self)
{
  g_autofree char *b64 = NULL;
  GString *pem;
  gsize len;

  g_return_val_if_fail (TB_IS_CERTIFICATE (self), NULL);

  b64 = tb_certificate_dup_base64 (self);
  len = strlen (b64);
  pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  for (gsize i = 0; i < len; i += 64)
    {
      g_string_append_len (pem, b64 + i, MIN (64, len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free (pem, FALSE);
}

TbCertificateStatus
tb_certificate_get_status (TbCertificate *self,
                           GDateTime     *now,
                           guint          warn_days)
{
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan left;

  g_return_val_if_fail (TB_IS_CERTIFICATE (self), TB_CERTIFICATE_STATUS_EXPIRED);

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();

  if (g_date_time_compare (now, self->not_before) < 0)
    return TB_CERTIFICATE_STATUS_NOT_YET_VALID;
  if (g_date_time_compare (now, self->not_after) > 0)
    return TB_CERTIFICATE_STATUS_EXPIRED;

  left = g_date_time_difference (self->not_after, now);
  if (left <= (GTimeSpan) warn_days * G_TIME_SPAN_DAY)
    return TB_CERTIFICATE_STATUS_EXPIRING;

  return TB_CERTIFICATE_STATUS_VALID;
}

const char *
tb_certificate_status_to_string (TbCertificateStatus status)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_CERTIFICATE_STATUS, status);
}

const char *
tb_certificate_status_get_label (TbCertificateStatus status)
{
  switch (status)
    {
    case TB_CERTIFICATE_STATUS_VALID:
      return C_("certificate status", "Valid");
    case TB_CERTIFICATE_STATUS_EXPIRING:
      return C_("certificate status", "Expiring");
    case TB_CERTIFICATE_STATUS_EXPIRED:
      return C_("certificate status", "Expired");
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
      return C_("certificate status", "Not Yet Valid");
    default:
      g_return_val_if_reached ("");
    }
}
