/* tb-dl-krb5.h: MIT Kerberos 5 and its GSSAPI, loaded on first use (tb-dl.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include this instead of the library's header in a file that calls the library: every
 * function the program calls is listed here. One missing fails the executables' link.
 */
#pragma once

#include <krb5.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "tb-dl.h"

#define TB_GSSAPI(symbol) TB_DL_FUNC (TB_DL_GSSAPI, symbol)
#define TB_KRB5(symbol) TB_DL_FUNC (TB_DL_KRB5, symbol)

#define gss_accept_sec_context TB_GSSAPI (gss_accept_sec_context)
#define gss_acquire_cred_from TB_GSSAPI (gss_acquire_cred_from)
#define gss_delete_sec_context TB_GSSAPI (gss_delete_sec_context)
#define gss_display_name TB_GSSAPI (gss_display_name)
#define gss_display_status TB_GSSAPI (gss_display_status)
#define gss_release_buffer TB_GSSAPI (gss_release_buffer)
#define gss_release_cred TB_GSSAPI (gss_release_cred)
#define gss_release_name TB_GSSAPI (gss_release_name)
#define krb5_cc_close TB_KRB5 (krb5_cc_close)
#define krb5_cc_default TB_KRB5 (krb5_cc_default)
#define krb5_cc_end_seq_get TB_KRB5 (krb5_cc_end_seq_get)
#define krb5_cc_get_principal TB_KRB5 (krb5_cc_get_principal)
#define krb5_cc_next_cred TB_KRB5 (krb5_cc_next_cred)
#define krb5_cc_start_seq_get TB_KRB5 (krb5_cc_start_seq_get)
#define krb5_free_context TB_KRB5 (krb5_free_context)
#define krb5_free_cred_contents TB_KRB5 (krb5_free_cred_contents)
#define krb5_free_principal TB_KRB5 (krb5_free_principal)
#define krb5_free_unparsed_name TB_KRB5 (krb5_free_unparsed_name)
#define krb5_init_context TB_KRB5 (krb5_init_context)
#define krb5_unparse_name TB_KRB5 (krb5_unparse_name)
