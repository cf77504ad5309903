/* tb-audit-finding.c: one credential the audit found, its origin, the credentials an admin
 * marked known, and the CSV and JSON the audit prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-finding"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit-private.h"
#include "tb-core-enums.h"
#include "tb-enum.h"
#include "tb-format.h"
#include "tb-json.h"

/* First-party principals on which Microsoft documents on-premises certificates: the hybrid
 * procedures of Skype for Business Server, Exchange Server and SharePoint Server, and the
 * Teams ↔ Exchange Server calendar article (Teams Calendar Scheduler, Cloud Voicemail). */
static const char * const documented_apps[] = {
  "00000004-0000-0ff1-ce00-000000000000",   /* Skype for Business Online */
  "00000002-0000-0ff1-ce00-000000000000",   /* Office 365 Exchange Online */
  "00000003-0000-0ff1-ce00-000000000000",   /* Office 365 SharePoint Online */
  "7557eb47-c689-4224-abcf-aef9bd7573df",   /* Teams Calendar Scheduler */
  "db7de2b5-2149-435e-8043-e080dd50afae",   /* Cloud Voicemail */
};

const char *
tb_audit_origin_to_string (TbAuditOrigin origin)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_AUDIT_ORIGIN, origin);
}

const char *
tb_audit_origin_get_label (TbAuditOrigin origin)
{
  switch (origin)
    {
    case TB_AUDIT_ORIGIN_UNEXPLAINED:
      return _("Unexplained");
    case TB_AUDIT_ORIGIN_DOCUMENTED:
      return _("Documented hybrid use");
    case TB_AUDIT_ORIGIN_POOL:
      return _("This pool");
    case TB_AUDIT_ORIGIN_KNOWN:
      return _("Known");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
tb_audit_kind_to_string (TbAuditKind kind)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_AUDIT_KIND, kind);
}

gboolean
tb_audit_is_documented_app (const char *app_id)
{
  if (app_id == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (documented_apps); i++)
    if (g_ascii_strcasecmp (app_id, documented_apps[i]) == 0)
      return TRUE;
  return FALSE;
}

/* ---- findings ----------------------------------------------------------------------- */


G_DEFINE_FINAL_TYPE (TbAuditFinding, tb_audit_finding, G_TYPE_OBJECT)

static void
tb_audit_finding_finalize (GObject *object)
{
  TbAuditFinding *self = TB_AUDIT_FINDING (object);

  g_free (self->app_id);
  g_free (self->object_id);
  g_free (self->display_name);
  g_free (self->key_id);
  g_free (self->credential_name);
  g_free (self->sha1);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->note);

  G_OBJECT_CLASS (tb_audit_finding_parent_class)->finalize (object);
}

static void
tb_audit_finding_class_init (TbAuditFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_audit_finding_finalize;
}

static void
tb_audit_finding_init (TbAuditFinding *self)
{
}

const char *
tb_audit_finding_get_app_id (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->app_id;
}

const char *
tb_audit_finding_get_object_id (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->object_id;
}

const char *
tb_audit_finding_get_display_name (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->display_name;
}

TbAuditKind
tb_audit_finding_get_kind (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), TB_AUDIT_KIND_KEY);
  return self->kind;
}

const char *
tb_audit_finding_get_key_id (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->key_id;
}

const char *
tb_audit_finding_get_credential_name (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->credential_name;
}

const char *
tb_audit_finding_get_sha1 (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->sha1;
}

GDateTime *
tb_audit_finding_get_end (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->end;
}

TbCertificateStatus
tb_audit_finding_get_status (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), TB_CERTIFICATE_STATUS_VALID);
  return self->status;
}

TbAuditOrigin
tb_audit_finding_get_origin (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), TB_AUDIT_ORIGIN_UNEXPLAINED);
  return self->note != NULL ? TB_AUDIT_ORIGIN_KNOWN : self->classified;
}

TbAuditOrigin
tb_audit_finding_get_classified_origin (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), TB_AUDIT_ORIGIN_UNEXPLAINED);
  return self->classified;
}

const char *
tb_audit_finding_get_note (TbAuditFinding *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);
  return self->note;
}

void
tb_audit_finding_set_note (TbAuditFinding *self,
                           const char     *note)
{
  g_return_if_fail (TB_IS_AUDIT_FINDING (self));
  g_free (self->note);
  self->note = g_strdup (note);
}

gint
tb_audit_finding_compare (gconstpointer a,
                          gconstpointer b)
{
  TbAuditFinding *fa = *(TbAuditFinding **) a;
  TbAuditFinding *fb = *(TbAuditFinding **) b;
  TbAuditOrigin oa = tb_audit_finding_get_origin (fa);
  TbAuditOrigin ob = tb_audit_finding_get_origin (fb);
  int cmp;

  if (oa != ob)
    return oa < ob ? -1 : 1;
  cmp = g_strcmp0 (fa->display_name, fb->display_name);
  if (cmp != 0)
    return cmp;
  if (fa->end != NULL && fb->end != NULL)
    {
      cmp = g_date_time_compare (fa->end, fb->end);
      if (cmp != 0)
        return cmp;
    }
  return g_strcmp0 (fa->key_id, fb->key_id);
}

/* ---- known credentials -------------------------------------------------------------- */

static gboolean
known_matches (const char *tenant_id,
               const char *key_id,
               const char *sha1,
               const char *s_tenant,
               const char *s_key_id,
               const char *s_sha1)
{
  /* Same tenant and keyId; the thumbprint too when either side has one, so another
   * certificate put under a remembered keyId is not taken for the one the admin knew. */
  return g_ascii_strcasecmp (tenant_id, s_tenant) == 0 &&
         g_ascii_strcasecmp (key_id, s_key_id) == 0 &&
         g_ascii_strcasecmp (sha1 != NULL ? sha1 : "", s_sha1) == 0;
}

char *
tb_audit_known_lookup (GSettings  *settings,
                       const char *tenant_id,
                       const char *key_id,
                       const char *sha1)
{
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *s_tenant, *s_key_id, *s_sha1, *s_note;

  if (settings == NULL || tenant_id == NULL || key_id == NULL)
    return NULL;

  value = g_settings_get_value (settings, "audit-known");
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &s_tenant, &s_key_id, &s_sha1, &s_note))
    if (known_matches (tenant_id, key_id, sha1, s_tenant, s_key_id, s_sha1))
      return g_strdup (s_note);
  return NULL;
}

gboolean
tb_audit_known_set (GSettings  *settings,
                    const char *tenant_id,
                    const char *key_id,
                    const char *sha1,
                    const char *note)
{
  g_autoptr(GVariant) value = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *s_tenant, *s_key_id, *s_sha1, *s_note;

  g_return_val_if_fail (tenant_id != NULL && key_id != NULL, FALSE);

  if (settings == NULL)
    return FALSE;

  value = g_settings_get_value (settings, "audit-known");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssss)"));
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &s_tenant, &s_key_id, &s_sha1, &s_note))
    if (!known_matches (tenant_id, key_id, sha1, s_tenant, s_key_id, s_sha1))
      g_variant_builder_add (&builder, "(ssss)", s_tenant, s_key_id, s_sha1, s_note);
  if (note != NULL)
    g_variant_builder_add (&builder, "(ssss)", tenant_id, key_id, sha1 != NULL ? sha1 : "", note);
  return g_settings_set_value (settings, "audit-known", g_variant_builder_end (&builder));
}

/* ---- output ------------------------------------------------------------------------- */

JsonNode *
tb_audit_finding_to_json (TbAuditFinding *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  const char *fields[][2] = {
    { "app_id", NULL }, { "object_id", NULL }, { "display_name", NULL }, { "kind", NULL },
    { "key_id", NULL }, { "credential_name", NULL }, { "sha1", NULL }, { "start", NULL },
    { "end", NULL }, { "status", NULL }, { "origin", NULL },
  };

  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);

  start = self->start != NULL ? tb_format_iso8601_utc (self->start) : NULL;
  end = self->end != NULL ? tb_format_iso8601_utc (self->end) : NULL;
  fields[0][1] = self->app_id;
  fields[1][1] = self->object_id;
  fields[2][1] = self->display_name;
  fields[3][1] = tb_audit_kind_to_string (self->kind);
  fields[4][1] = self->key_id;
  fields[5][1] = self->credential_name;
  fields[6][1] = self->sha1;
  fields[7][1] = start;
  fields[8][1] = end;
  fields[9][1] = tb_certificate_status_to_string (self->status);
  fields[10][1] = tb_audit_origin_to_string (tb_audit_finding_get_origin (self));

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    tb_json_add_string (b, fields[i][0], fields[i][1]);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

const char *
tb_audit_csv_header (void)
{
  return "app_id,object_id,display_name,kind,key_id,credential_name,sha1,start,end,status,origin";
}

static void
append_csv_field (GString    *s,
                  const char *value)
{
  gboolean formula;

  if (value == NULL || value[0] == '\0')
    return;
  /* A leading =, +, - or @ would make a spreadsheet run the cell as a formula: such a value
   * gets an apostrophe in front. RFC 4180: quote when needed, double the quotes. */
  formula = strchr ("=+-@", value[0]) != NULL;
  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (s, value);
      return;
    }
  g_string_append_c (s, '"');
  if (formula)
    g_string_append_c (s, '\'');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
tb_audit_finding_to_csv (TbAuditFinding *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) names = NULL;
  GString *s = g_string_new (NULL);
  JsonObject *object;

  g_return_val_if_fail (TB_IS_AUDIT_FINDING (self), NULL);

  node = tb_audit_finding_to_json (self);
  object = json_node_get_object (node);
  names = g_strsplit (tb_audit_csv_header (), ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      append_csv_field (s, json_object_get_string_member_with_default (object, names[i], NULL));
    }
  return g_string_free (s, FALSE);
}

JsonNode *
tb_audit_report_json (const char *tenant_id,
                      guint       scanned,
                      GPtrArray  *findings)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  tb_json_add_string (b, "tenant_id", tenant_id);
  json_builder_set_member_name (b, "scanned");
  json_builder_add_int_value (b, scanned);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    json_builder_add_value (b, tb_audit_finding_to_json (g_ptr_array_index (findings, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
