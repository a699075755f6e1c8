/* reins-tool-http-get.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in tool `http_get`: fetches a text document over http or https, with a size cap,
 * a time limit and a bounded number of redirects.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "reins-builtin-tool.h"

#define BODY_CAP      (1024 * 1024)
#define MAX_REDIRECTS 5

static gboolean
is_textual (const char *content_type)
{
  if (content_type == NULL)
    return TRUE;  /* decided by looking for NUL bytes in the body */
  if (g_str_has_prefix (content_type, "text/"))
    return TRUE;
  if (g_str_has_suffix (content_type, "+json") || g_str_has_suffix (content_type, "+xml"))
    return TRUE;
  return g_strcmp0 (content_type, "application/json") == 0 ||
         g_strcmp0 (content_type, "application/xml") == 0 ||
         g_strcmp0 (content_type, "application/javascript") == 0 ||
         g_strcmp0 (content_type, "application/x-javascript") == 0 ||
         g_strcmp0 (content_type, "application/ecmascript") == 0 ||
         g_strcmp0 (content_type, "application/x-sh") == 0 ||
         g_strcmp0 (content_type, "application/yaml") == 0 ||
         g_strcmp0 (content_type, "application/toml") == 0 ||
         g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0;
}

static gboolean
check_uri (GUri        *uri,
           GError     **error)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Only http and https URLs can be fetched, not “%s”"), scheme);
      return FALSE;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("The URL has no host"));
      return FALSE;
    }
  return TRUE;
}

static ReinsToolResult *
http_get_invoke (ReinsToolContext *context,
                 JsonObject       *arguments,
                 GCancellable     *cancellable)
{
  const char *url = json_object_get_string_member_with_default (arguments, "url", NULL);
  guint timeout_s = reins_tool_context_get_timeout (context);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GByteArray) body = g_byte_array_sized_new (16384);  /* never a NULL data pointer */
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *text = NULL;
  const char *content_type = NULL;
  const char *charset = NULL;
  gboolean truncated = FALSE;
  gint64 deadline;
  guint status;
  ReinsToolResult *result;

  if (url == NULL)
    return reins_tool_result_new_error ("%s", _("“url” is required"));

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    return reins_tool_result_new_error (_("“%s” is not a valid URL: %s"), url, error->message);
  if (!check_uri (uri, &error))
    return reins_tool_result_new_error ("%s", error->message);

  session = soup_session_new_with_options ("timeout", timeout_s,
                                           "idle-timeout", timeout_s,
                                           "user-agent", "Reins/" PACKAGE_VERSION " ",
                                           NULL);
  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  for (guint redirects = 0;; redirects++)
    {
      const char *location;

      msg = soup_message_new_from_uri ("GET", uri);
      /* Redirects are followed here, to check each target's scheme and count them. */
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    "text/*, application/json, application/xml;q=0.9, */*;q=0.1");

      stream = soup_session_send (session, msg, cancellable, &error);
      if (stream == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return reins_tool_result_new_error ("%s", _("The request was cancelled"));
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            return reins_tool_result_new_error (_("The request timed out after %u s"), timeout_s);
          return reins_tool_result_new_error (_("Cannot fetch %s: %s"), url, error->message);
        }

      status = soup_message_get_status (msg);
      location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                               "Location");
      if (!SOUP_STATUS_IS_REDIRECTION (status) || location == NULL)
        break;

      if (redirects >= MAX_REDIRECTS)
        return reins_tool_result_new_error (_("Too many redirects (more than %d)"),
                                            MAX_REDIRECTS);
      {
        GUri *next = g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS, &error);

        if (next == NULL)
          return reins_tool_result_new_error (_("The server redirected to an invalid URL: %s"),
                                              error->message);
        g_uri_unref (uri);
        uri = next;
      }
      if (!check_uri (uri, &error))
        return reins_tool_result_new_error ("%s", error->message);
      g_input_stream_close (stream, NULL, NULL);
      g_clear_object (&stream);
      g_clear_object (&msg);
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (msg);

      return reins_tool_result_new_error (_("HTTP %u %s"), status,
                                          reason != NULL ? reason : "");
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        &params);
  if (!is_textual (content_type))
    return reins_tool_result_new_error (_("The document is not text (%s); only text can be "
                                          "fetched"), content_type);
  if (params != NULL)
    charset = g_hash_table_lookup (params, "charset");

  for (;;)
    {
      guint8 buf[16384];
      gssize n;

      if (g_get_monotonic_time () > deadline)
        return reins_tool_result_new_error (_("The request timed out after %u s"), timeout_s);

      n = g_input_stream_read (stream, buf, sizeof buf, cancellable, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return reins_tool_result_new_error ("%s", _("The request was cancelled"));
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            return reins_tool_result_new_error (_("The request timed out after %u s"), timeout_s);
          return reins_tool_result_new_error (_("Cannot read %s: %s"), url, error->message);
        }
      if (n == 0)
        break;
      if (body->len + (gsize) n > BODY_CAP)
        {
          g_byte_array_append (body, buf, BODY_CAP - body->len);
          truncated = TRUE;
          break;
        }
      g_byte_array_append (body, buf, n);
    }
  g_input_stream_close (stream, NULL, NULL);

  if (memchr (body->data, '\0', body->len) != NULL)
    return reins_tool_result_new_error ("%s", _("The document is binary, not text"));

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "utf8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0)
    text = g_convert_with_fallback ((const char *) body->data, body->len, "UTF-8", charset,
                                    "?", NULL, NULL, NULL);
  if (text == NULL)
    text = g_utf8_make_valid ((const char *) body->data, body->len);

  if (truncated)
    {
      char *marked = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s\n[… truncated: only the first %d byte is "
                                                   "shown]",
                                                   "%s\n[… truncated: only the first %d bytes "
                                                   "are shown]", BODY_CAP),
                                      text, BODY_CAP);
      g_free (text);
      text = marked;
    }

  result = reins_tool_result_new (text, FALSE);
  result->truncated = truncated;
  return result;
}

ReinsTool *
reins_tool_http_get_new (void)
{
  return reins_builtin_tool_new ("http_get",
                                 "Fetch a text document (HTML, JSON, plain text …) from an "
                                 "http or https URL. Large documents are cut.",
                                 "{\"type\":\"object\","
                                 "\"properties\":{\"url\":{\"type\":\"string\",\"minLength\":1,"
                                 "\"description\":\"An http:// or https:// URL\"}},"
                                 "\"required\":[\"url\"],\"additionalProperties\":false}",
                                 REINS_RISK_NETWORK,
                                 http_get_invoke);
}
