/* tb-certificate-loader.c: bytes or files into certificates, with precise errors
 *
 * Everything here may run in a worker thread. Input buffers are wiped before they are freed:
 * an admin may drop a file holding a private key by mistake, and its bytes must not linger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificate-loader"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-certificate-loader.h"
#include "tb-dl-gnutls.h"
#include "tb-file-task.h"
#include "tb-json.h"
#include "tb-secret.h"

G_DEFINE_QUARK (tb-certificate-error-quark, tb_certificate_error)

static const char pem_begin[] = "-----BEGIN ";
static const char pem_dashes[] = "-----";

typedef struct
{
  guint8 *data;
  gsize   len;
} WipedBuffer;

static WipedBuffer *
wiped_buffer_new (const guint8 *data,
                  gsize         len)
{
  WipedBuffer *buf = g_new0 (WipedBuffer, 1);

  buf->data = g_malloc (len + 1);
  memcpy (buf->data, data, len);
  buf->data[len] = '\0';
  buf->len = len;
  return buf;
}

static void
wiped_buffer_free (WipedBuffer *buf)
{
  tb_secret_wipe (buf->data, buf->len);
  g_free (buf->data);
  g_free (buf);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedBuffer, wiped_buffer_free)

static gboolean
mem_contains (const guint8 *data,
              gsize         len,
              const char   *needle)
{
  gsize nlen = strlen (needle);

  if (nlen > len)
    return FALSE;

  return memmem (data, len, needle, nlen) != NULL;
}

/* Length of the outer DER element, or 0 when the header itself is malformed. Sets *truncated
 * when the header promises more bytes than there are. */
static gsize
der_outer_length (const guint8 *data,
                  gsize         len,
                  gboolean     *truncated)
{
  gsize content, header;

  *truncated = FALSE;

  if (len < 2 || data[0] != 0x30)
    {
      *truncated = (len == 1 && data[0] == 0x30);
      return 0;
    }

  if (data[1] < 0x80)
    {
      content = data[1];
      header = 2;
    }
  else
    {
      guint n = data[1] & 0x7f;

      if (n == 0 || n > 4)
        return 0;
      if (len < 2 + n)
        {
          *truncated = TRUE;
          return 0;
        }
      content = 0;
      for (guint i = 0; i < n; i++)
        content = (content << 8) | data[2 + i];
      header = 2 + n;
    }

  if (content > len - header)
    {
      *truncated = TRUE;
      return 0;
    }

  return header + content;
}

static gboolean
looks_like_pkcs12 (const guint8 *data,
                   gsize         len)
{
  gnutls_pkcs12_t p12 = NULL;
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) len };
  gboolean ret = FALSE;

  if (gnutls_pkcs12_init (&p12) < 0)
    return FALSE;
  if (gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0) >= 0)
    {
      gnutls_pkcs12_bag_t bag = NULL;

      /* The importer accepts stubs; a real PKCS #12 file holds at least one bag. */
      if (gnutls_pkcs12_bag_init (&bag) >= 0)
        {
          ret = gnutls_pkcs12_get_bag (p12, 0, bag) >= 0;
          gnutls_pkcs12_bag_deinit (bag);
        }
    }
  gnutls_pkcs12_deinit (p12);

  return ret;
}

static gboolean
looks_like_der_private_key (const guint8 *data,
                            gsize         len)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) len };
  gboolean ret;

  if (gnutls_x509_privkey_init (&key) < 0)
    return FALSE;

  /* Plain PKCS#1/SEC1, plain PKCS#8, and encrypted PKCS#8 (which fails asking for a password). */
  ret = gnutls_x509_privkey_import (key, &datum, GNUTLS_X509_FMT_DER) >= 0;
  if (!ret)
    {
      int r = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, NULL,
                                                GNUTLS_PKCS_PLAIN);
      ret = r >= 0;
      if (!ret)
        {
          r = gnutls_x509_privkey_import_pkcs8 (key, &datum, GNUTLS_X509_FMT_DER, "", 0);
          ret = (r >= 0 || r == GNUTLS_E_DECRYPTION_FAILED);
        }
    }
  gnutls_x509_privkey_deinit (key);

  return ret;
}

static void
set_error (GError     **error,
           int          code,
           const char  *source)
{
  switch (code)
    {
    case TB_CERTIFICATE_ERROR_EMPTY:
      g_set_error (error, TB_CERTIFICATE_ERROR, code, _("“%s” is empty."), source);
      break;
    case TB_CERTIFICATE_ERROR_NOT_CERTIFICATE:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” is not a certificate. Trust Bridge reads X.509 certificates in DER "
                     "or Base64 (PEM) form, such as the .cer file exported from the pool."),
                   source);
      break;
    case TB_CERTIFICATE_ERROR_TRUNCATED:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” is cut short: the certificate data ends before it is complete."),
                   source);
      break;
    case TB_CERTIFICATE_ERROR_BAD_BASE64:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” holds broken Base64 text, so the certificate in it cannot be read."),
                   source);
      break;
    case TB_CERTIFICATE_ERROR_TOO_LARGE:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” is larger than 1 MiB, far more than any certificate, so it was not "
                     "read."),
                   source);
      break;
    case TB_CERTIFICATE_ERROR_IS_DIRECTORY:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” is a folder, not a certificate file."), source);
      break;
    case TB_CERTIFICATE_ERROR_PKCS12:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” is a PKCS #12 (.pfx) file, which holds a private key. Export the public "
                     "certificate instead: in PowerShell run Export-Certificate -Type CERT, or in "
                     "the Certificates snap-in choose Export, “No, do not export the private "
                     "key” and “Base-64 encoded X.509 (.CER)”."),
                   source);
      break;
    case TB_CERTIFICATE_ERROR_PRIVATE_KEY:
      g_set_error (error, TB_CERTIFICATE_ERROR, code,
                   _("“%s” contains a private key. Trust Bridge does not read private keys; "
                     "choose the public certificate (.cer) only."),
                   source);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_der (const guint8  *data,
           gsize          len,
           const char    *source,
           guint          index,
           GPtrArray     *out,
           GError       **error)
{
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GError) local_error = NULL;
  TbCertificate *cert;
  gboolean truncated = FALSE;
  gsize outer;

  outer = der_outer_length (data, len, &truncated);
  if (outer == 0)
    {
      if (truncated)
        set_error (error, TB_CERTIFICATE_ERROR_TRUNCATED, source);
      else
        set_error (error, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE, source);
      return FALSE;
    }

  der = g_bytes_new (data, outer);
  cert = tb_certificate_new_from_der (der, &local_error);
  if (cert == NULL)
    {
      set_error (error, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE, source);
      return FALSE;
    }

  tb_certificate_set_origin (cert, source, index);
  g_ptr_array_add (out, cert);
  return TRUE;
}

/* Finds "-----BEGIN <label>-----" … "-----END <label>-----" blocks. */
static gboolean
parse_pem (const char  *text,
           gsize        len,
           const char  *source,
           GPtrArray   *out,
           GError     **error)
{
  const char *p = text;
  const char *end = text + len;
  g_autofree char *other_label = NULL;

  while (p < end)
    {
      const char *begin = memmem (p, end - p, pem_begin, strlen (pem_begin));
      const char *label_start, *label_end, *body, *stop;
      g_autofree char *label = NULL;
      g_autofree char *end_marker = NULL;
      g_autoptr(GBytes) der = NULL;
      const guint8 *der_data;
      gsize der_len;

      if (begin == NULL)
        break;

      label_start = begin + strlen (pem_begin);
      label_end = memmem (label_start, end - label_start, pem_dashes, strlen (pem_dashes));
      if (label_end == NULL || memchr (label_start, '\n', label_end - label_start) != NULL)
        {
          set_error (error, TB_CERTIFICATE_ERROR_TRUNCATED, source);
          return FALSE;
        }
      label = g_strndup (label_start, label_end - label_start);
      body = label_end + strlen (pem_dashes);

      end_marker = g_strdup_printf ("-----END %s-----", label);
      stop = memmem (body, end - body, end_marker, strlen (end_marker));

      if (!g_str_equal (label, "CERTIFICATE") &&
          !g_str_equal (label, "X509 CERTIFICATE") &&
          !g_str_equal (label, "TRUSTED CERTIFICATE"))
        {
          /* Not ours (a CRL, a request, parameters…): remember it for the message and skip. */
          if (other_label == NULL)
            {
              /* It goes into a message: valid UTF-8, and not a screenful. */
              g_autofree char *valid = g_utf8_make_valid (label, MIN (strlen (label), 48));
              other_label = g_steal_pointer (&valid);
            }
          if (stop == NULL)
            break;
          p = stop + strlen (end_marker);
          continue;
        }

      if (stop == NULL)
        {
          set_error (error, TB_CERTIFICATE_ERROR_TRUNCATED, source);
          return FALSE;
        }

      der = tb_json_base64_decode_strict (body, stop - body);
      if (der == NULL)
        {
          set_error (error, TB_CERTIFICATE_ERROR_BAD_BASE64, source);
          return FALSE;
        }

      der_data = g_bytes_get_data (der, &der_len);
      if (!parse_der (der_data, der_len, source, out->len, out, error))
        return FALSE;

      p = stop + strlen (end_marker);
    }

  if (out->len == 0)
    {
      if (other_label != NULL)
        g_set_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE,
                     _("“%s” holds a %s, not a certificate."), source, other_label);
      else
        set_error (error, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE, source);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_blank (const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* A DER certificate is a SEQUENCE (0x30) with a multi-byte length, so its Base64 starts with
 * "MI": a far better sign of damaged Base64 than counting characters, which takes prose for it. */
static gboolean
looks_like_base64_text (const guint8 *data,
                        gsize         len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;

  return len - i >= 4 && data[i] == 'M' && data[i + 1] == 'I';
}

/* DER: one certificate, or a cut-short file, a PKCS #12 bundle or a private key said as such. */
static gboolean
parse_der_input (const guint8  *data,
                 gsize          len,
                 const char    *source,
                 GPtrArray     *out,
                 GError       **error)
{
  g_autoptr(GError) der_error = NULL;
  gboolean truncated = FALSE;

  /* A cut-short file is reported as such before anything else is guessed about it. */
  if (der_outer_length (data, len, &truncated) == 0 && truncated)
    {
      set_error (error, TB_CERTIFICATE_ERROR_TRUNCATED, source);
      return FALSE;
    }

  if (parse_der (data, len, source, 0, out, &der_error))
    return TRUE;

  if (looks_like_pkcs12 (data, len))
    set_error (error, TB_CERTIFICATE_ERROR_PKCS12, source);
  else if (looks_like_der_private_key (data, len))
    set_error (error, TB_CERTIFICATE_ERROR_PRIVATE_KEY, source);
  else
    g_propagate_error (error, g_steal_pointer (&der_error));
  return FALSE;
}

/* Bare Base64 of the DER bytes, as copied from an upload value or a .NET script. */
static gboolean
parse_base64_input (const guint8  *data,
                    gsize          len,
                    const char    *source,
                    GPtrArray     *out,
                    GError       **error)
{
  g_autoptr(GBytes) der = tb_json_base64_decode_strict ((const char *) data, len);
  const guint8 *der_data;
  gsize der_len;

  if (der == NULL)
    {
      set_error (error, TB_CERTIFICATE_ERROR_BAD_BASE64, source);
      return FALSE;
    }

  der_data = g_bytes_get_data (der, &der_len);
  if (der_data[0] == 0x30 && looks_like_der_private_key (der_data, der_len))
    {
      set_error (error, TB_CERTIFICATE_ERROR_PRIVATE_KEY, source);
      return FALSE;
    }
  return parse_der (der_data, der_len, source, 0, out, error);
}

GPtrArray *
tb_certificate_parse_bytes (GBytes      *bytes,
                            const char  *source,
                            GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WipedBuffer) buf = NULL;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (source == NULL)
    source = _("The data");

  data = g_bytes_get_data (bytes, &len);
  if (len > TB_CERTIFICATE_MAX_FILE_SIZE)
    {
      set_error (error, TB_CERTIFICATE_ERROR_TOO_LARGE, source);
      return NULL;
    }
  if (len == 0 || is_blank (data, len))
    {
      set_error (error, TB_CERTIFICATE_ERROR_EMPTY, source);
      return NULL;
    }

  /* Work on a private copy that is wiped whatever happens. */
  buf = wiped_buffer_new (data, len);
  data = buf->data;

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      len -= 3;
    }

  if (mem_contains (data, len, "PRIVATE KEY-----"))
    {
      set_error (error, TB_CERTIFICATE_ERROR_PRIVATE_KEY, source);
      return NULL;
    }

  if (data[0] == 0x30)
    return parse_der_input (data, len, source, out, error) ? g_steal_pointer (&out) : NULL;

  if (mem_contains (data, len, pem_begin))
    {
      if (!parse_pem ((const char *) data, len, source, out, error))
        return NULL;
      return g_steal_pointer (&out);
    }

  if (looks_like_base64_text (data, len))
    return parse_base64_input (data, len, source, out, error) ? g_steal_pointer (&out) : NULL;

  set_error (error, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE, source);
  return NULL;
}

/* Reads at most the size limit plus one byte, so a file that grows, or reports no size, is still
 * refused without being read whole. The returned bytes wipe themselves when freed. */
static GBytes *
read_limited (GFile         *file,
              const char    *source,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WipedBuffer) buf = NULL;
  gsize limit = TB_CERTIFICATE_MAX_FILE_SIZE + 1;
  gsize got = 0;
  guint8 *data;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        set_error (error, TB_CERTIFICATE_ERROR_IS_DIRECTORY, source);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE,
                     _("“%s” could not be read: %s"), source, local_error->message);
      return NULL;
    }

  data = g_malloc (limit);
  buf = g_new0 (WipedBuffer, 1);
  buf->data = data;
  buf->len = limit;

  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, limit, &got, cancellable,
                                &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        set_error (error, TB_CERTIFICATE_ERROR_IS_DIRECTORY, source);
      else
        g_set_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE,
                     _("“%s” could not be read: %s"), source, local_error->message);
      return NULL;
    }

  if (got > TB_CERTIFICATE_MAX_FILE_SIZE)
    {
      set_error (error, TB_CERTIFICATE_ERROR_TOO_LARGE, source);
      return NULL;
    }

  /* The bytes own the buffer and wipe all of it when they are freed. */
  return g_bytes_new_with_free_func (data, got, (GDestroyNotify) wiped_buffer_free,
                                     g_steal_pointer (&buf));
}

GPtrArray *
tb_certificate_load_file (GFile         *file,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *source = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  source = g_file_get_basename (file);
  if (source == NULL)
    source = g_file_get_parse_name (file);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE,
                     _("“%s” could not be read: %s"), source, local_error->message);
      return NULL;
    }

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_DIRECTORY:
      set_error (error, TB_CERTIFICATE_ERROR_IS_DIRECTORY, source);
      return NULL;
    case G_FILE_TYPE_SPECIAL:
      /* A FIFO or device could block the reader forever. */
      g_set_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE,
                   _("“%s” is not a regular file."), source);
      return NULL;
    default:
      break;
    }

  if (g_file_info_get_size (info) > TB_CERTIFICATE_MAX_FILE_SIZE)
    {
      set_error (error, TB_CERTIFICATE_ERROR_TOO_LARGE, source);
      return NULL;
    }

  bytes = read_limited (file, source, cancellable, error);
  if (bytes == NULL)
    return NULL;

  return tb_certificate_parse_bytes (bytes, source, error);
}

/* A TbFileTaskFunc: called through the exact type, not a cast. */
static gpointer
load_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  return tb_certificate_load_file (file, cancellable, error);
}

void
tb_certificate_load_file_async (GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  tb_file_task_run (file, load_file,
                    (GDestroyNotify) g_ptr_array_unref, tb_certificate_load_file_async,
                    cancellable, callback, user_data);
}

GPtrArray *
tb_certificate_load_file_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return tb_file_task_finish (result, tb_certificate_load_file_async, error);
}
