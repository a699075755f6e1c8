/* reins-mcp-oauth-server.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MCP's OAuth, the requests to the servers involved: the protected resource's metadata
 * (RFC 9728), the authorization server's (RFC 8414, OpenID discovery, MCP 2025-03-26's
 * defaults), dynamic client registration (RFC 7591) and token requests; each answer is
 * bounded and checked before it is used.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-oauth-private.h"
#include "reins-sandbox.h"

/* Endpoints must be https, or http on the loopback interface. */
static gboolean
acceptable_url (const char *text)
{
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  const char *host;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0' ||
      g_uri_get_fragment (uri) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         (strcmp (host, "127.0.0.1") == 0 || strcmp (host, "::1") == 0 ||
          g_ascii_strcasecmp (host, "localhost") == 0);
}

char *
reins_mcp_oauth_shown (const char *text)
{
  return reins_sandbox_escape (text != NULL ? text : "", MIN (strlen (text != NULL ? text : ""),
                                                              200));
}

/* Sends @msg and reads a JSON object of at most 1 MiB. @status gets the HTTP status. */
static JsonObject *
send_for_json (ReinsMcpOAuth  *self,
               SoupMessage    *msg,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *where = g_uri_to_string_partial (soup_message_get_uri (msg),
                                                    G_URI_HIDE_QUERY | G_URI_HIDE_PASSWORD);
  g_autofree char *where_shown = reins_mcp_oauth_shown (where);
  char buf[8192];

  stream = soup_session_send (self->session, msg, cancellable, error);
  if (stream == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (body->len + n > MAX_DOCUMENT)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("%s answered more than 1 MiB"), where_shown);
          return NULL;
        }
      g_byte_array_append (body, (const guint8 *) buf, n);
    }
  if (!json_parser_load_from_data (parser, (const char *) body->data, body->len, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("%s answered HTTP %u with something that is not a JSON object"),
                   where_shown, soup_message_get_status (msg));
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
get_json (ReinsMcpOAuth  *self,
          const char     *url,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonObject) object = NULL;

  if (msg == NULL)
    {
      g_autofree char *s = reins_mcp_oauth_shown (url);

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP, _("“%s” is not a URL"), s);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  object = send_for_json (self, msg, cancellable, error);
  if (object != NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autofree char *s = reins_mcp_oauth_shown (url);

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP, _("%s answered HTTP %u"), s,
                   soup_message_get_status (msg));
      return NULL;
    }
  return g_steal_pointer (&object);
}

/* The Bearer challenge's parameters (resource_metadata, scope, error), or NULL. */
GHashTable *
reins_mcp_oauth_parse_challenge (const char *header)
{
  const char *p = header;

  if (header == NULL)
    return NULL;
  for (; *p != '\0'; p++)
    if ((p == header || p[-1] == ' ' || p[-1] == ',') &&
        g_ascii_strncasecmp (p, "Bearer", 6) == 0 && (p[6] == ' ' || p[6] == '\0'))
      return soup_header_parse_param_list (p + 6);
  return NULL;
}

/* The metadata of the protected resource, RFC 9728: from the challenge, else the
 * well-known paths on the server's origin. */
JsonObject *
reins_mcp_oauth_discover_resource (ReinsMcpOAuth  *self,
                                   const char     *metadata_url,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GPtrArray) tries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) last = NULL;
  const char *path = g_uri_get_path (uri);

  if (metadata_url != NULL)
    g_ptr_array_add (tries, g_strdup (metadata_url));
  else
    {
      if (path != NULL && *path != '\0' && strcmp (path, "/") != 0)
        g_ptr_array_add (tries, g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                            g_uri_get_host (uri), g_uri_get_port (uri),
                                            path, NULL, NULL));
      g_ptr_array_add (tries, g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                          g_uri_get_host (uri), g_uri_get_port (uri),
                                          "", NULL, NULL));
      for (guint i = 0; i < tries->len; i++)
        {
          g_autoptr(GUri) base = g_uri_parse (g_ptr_array_index (tries, i), G_URI_FLAGS_NONE,
                                              NULL);
          g_autofree char *well_known = g_strconcat ("/.well-known/oauth-protected-resource",
                                                     g_uri_get_path (base), NULL);
          char *full = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (base), NULL,
                                   g_uri_get_host (base), g_uri_get_port (base), well_known,
                                   NULL, NULL);

          g_free (tries->pdata[i]);
          tries->pdata[i] = full;
        }
    }

  for (guint i = 0; i < tries->len; i++)
    {
      const char *url = g_ptr_array_index (tries, i);
      JsonObject *object;

      g_clear_error (&last);
      if (!acceptable_url (url))
        {
          g_autofree char *s = reins_mcp_oauth_shown (url);

          g_set_error (&last, REINS_ERROR, REINS_ERROR_MCP,
                       _("its resource metadata is at %s, neither https nor loopback"), s);
          continue;
        }
      object = get_json (self, url, cancellable, &last);
      if (object != NULL)
        return object;
      if (g_error_matches (last, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
    }
  g_propagate_error (error, g_steal_pointer (&last));
  return NULL;
}

/* RFC 9728 §3.3 and MCP: the metadata must be about this server, at its origin and above
 * its path. */
gboolean
reins_mcp_oauth_resource_matches (const char *resource,
                                  const char *url)
{
  g_autoptr(GUri) r = g_uri_parse (resource, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) u = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  const char *rp, *up;
  gsize n;

  if (r == NULL || u == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (r), g_uri_get_scheme (u)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (r), g_uri_get_host (u)) != 0 ||
      g_uri_get_port (r) != g_uri_get_port (u))
    return FALSE;
  rp = g_uri_get_path (r);
  up = g_uri_get_path (u);
  n = strlen (rp);
  while (n > 0 && rp[n - 1] == '/')
    n--;
  return strncmp (rp, up, n) == 0 && (up[n] == '\0' || up[n] == '/');
}

/* RFC 8414 §3 and OpenID discovery: the well-known paths for @issuer, in MCP's order. */
static GPtrArray *
metadata_urls (const char *issuer)
{
  g_autoptr(GUri) uri = g_uri_parse (issuer, SOUP_HTTP_URI_FLAGS, NULL);
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  const char *kinds[] = { "/.well-known/oauth-authorization-server",
                          "/.well-known/openid-configuration" };

  if (uri == NULL)
    return urls;
  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *p = g_strconcat (kinds[i], path, NULL);

      g_ptr_array_add (urls, g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                         g_uri_get_host (uri), g_uri_get_port (uri), p,
                                         NULL, NULL));
    }
  if (*path != '\0')
    {
      g_autofree char *p = g_strconcat (path, kinds[1], NULL);

      g_ptr_array_add (urls, g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                         g_uri_get_host (uri), g_uri_get_port (uri), p,
                                         NULL, NULL));
    }
  return urls;
}

static gboolean
same_issuer (const char *a,
             const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  while (la > 0 && a[la - 1] == '/')
    la--;
  while (lb > 0 && b[lb - 1] == '/')
    lb--;
  return la == lb && strncmp (a, b, la) == 0;
}

static gboolean
has_string (JsonObject *object,
            const char *member,
            const char *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (node), i);

      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING &&
          strcmp (json_node_get_string (e), value) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
reins_mcp_oauth_string_member (JsonObject *object,
                               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* MCP 2025-03-26, for a server without metadata: the default endpoints on its origin. */
static JsonObject *
default_metadata (const char *origin)
{
  JsonObject *m = json_object_new ();
  JsonArray *methods = json_array_new ();
  const char *endpoints[][2] = { { "authorization_endpoint", "/authorize" },
                                 { "token_endpoint", "/token" },
                                 { "registration_endpoint", "/register" } };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *url = g_strconcat (origin, endpoints[i][1], NULL);

      json_object_set_string_member (m, endpoints[i][0], url);
    }
  json_array_add_string_element (methods, "S256");
  json_object_set_array_member (m, "code_challenge_methods_supported", methods);
  return m;
}

/* @legacy: a server of MCP 2025-03-26, without protected resource metadata, whose origin
 * is its authorization server: the issuer is not checked, and without metadata the
 * default endpoints are used. */
JsonObject *
reins_mcp_oauth_discover_server (ReinsMcpOAuth  *self,
                                 const char     *issuer,
                                 gboolean        legacy,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(GPtrArray) urls = metadata_urls (issuer);
  g_autoptr(GError) last = NULL;
  g_autofree char *issuer_shown = reins_mcp_oauth_shown (issuer);

  if (!acceptable_url (issuer) || urls->len == 0)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("its authorization server “%s” is neither https nor loopback"),
                   issuer_shown);
      return NULL;
    }
  for (guint i = 0; i < urls->len; i++)
    {
      g_autoptr(JsonObject) m = NULL;
      const char *said, *endpoint;

      g_clear_error (&last);
      m = get_json (self, g_ptr_array_index (urls, i), cancellable, &last);
      if (m == NULL)
        {
          if (g_error_matches (last, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          continue;
        }
      said = reins_mcp_oauth_string_member (m, "issuer");
      if (!legacy && (said == NULL || !same_issuer (said, issuer)))
        {
          g_autofree char *s = reins_mcp_oauth_shown (said);

          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("the metadata of authorization server “%s” names another issuer, "
                         "“%s”"), issuer_shown, s);
          return NULL;
        }
      if (!acceptable_url (reins_mcp_oauth_string_member (m, "authorization_endpoint")) ||
          !acceptable_url (reins_mcp_oauth_string_member (m, "token_endpoint")) ||
          (json_object_has_member (m, "registration_endpoint") &&
           !acceptable_url (reins_mcp_oauth_string_member (m, "registration_endpoint"))))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("the metadata of authorization server “%s” lacks an endpoint, or "
                         "names one that is neither https nor loopback"), issuer_shown);
          return NULL;
        }
      if (!has_string (m, "code_challenge_methods_supported", "S256"))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("authorization server “%s” does not say it supports PKCE with "
                         "S256, which MCP requires"), issuer_shown);
          return NULL;
        }
      endpoint = reins_mcp_oauth_string_member (m, "token_endpoint");
      g_free (self->token_endpoint);
      self->token_endpoint = g_strdup (endpoint);
      return g_steal_pointer (&m);
    }
  if (last != NULL && g_error_matches (last, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&last));
  else if (legacy)
    {
      JsonObject *m = default_metadata (issuer);

      g_free (self->token_endpoint);
      self->token_endpoint = g_strdup (reins_mcp_oauth_string_member (m, "token_endpoint"));
      return m;
    }
  else
    g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                 _("no metadata of authorization server “%s” could be read: %s"),
                 issuer_shown, last != NULL ? last->message : "");
  return NULL;
}

/* Dynamic client registration, RFC 7591: a public client with a loopback redirect. */
gboolean
reins_mcp_oauth_register_client (ReinsMcpOAuth  *self,
                                 const char     *endpoint,
                                 const char     *redirect_uri,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", endpoint);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *id;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "client_name");
  json_builder_add_string_value (b, "Reins");
  json_builder_set_member_name (b, "redirect_uris");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, redirect_uri);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "grant_types");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "authorization_code");
  json_builder_add_string_value (b, "refresh_token");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "response_types");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "code");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "token_endpoint_auth_method");
  json_builder_add_string_value (b, "none");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  answer = send_for_json (self, msg, cancellable, error);
  if (answer == NULL)
    return FALSE;
  id = reins_mcp_oauth_string_member (answer, "client_id");
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || id == NULL || *id == '\0')
    {
      const char *why = reins_mcp_oauth_string_member (answer, "error_description");
      g_autofree char *s = reins_mcp_oauth_shown (why != NULL
                                                    ? why
                                                    : reins_mcp_oauth_string_member (answer,
                                                                                     "error"));

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("its authorization server refused to register Reins (HTTP %u): %s"),
                   soup_message_get_status (msg), s);
      return FALSE;
    }
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->auth_method);
  self->client_id = g_strdup (id);
  self->client_secret = g_strdup (reins_mcp_oauth_string_member (answer, "client_secret"));
  self->auth_method = g_strdup (reins_mcp_oauth_string_member (answer,
                                                               "token_endpoint_auth_method"));
  if (self->auth_method == NULL && self->client_secret != NULL)
    self->auth_method = g_strdup ("client_secret_basic");
  return TRUE;
}

/* Sends a token request (a form), and takes the tokens of its answer. */
gboolean
reins_mcp_oauth_token_request (ReinsMcpOAuth  *self,
                               GHashTable     *form,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *access, *type, *refresh, *scope;
  JsonNode *expires;

  if (self->client_secret != NULL && g_strcmp0 (self->auth_method, "client_secret_post") == 0)
    g_hash_table_replace (form, "client_secret", self->client_secret);
  encoded = soup_form_encode_hash (form);
  msg = soup_message_new ("POST", self->token_endpoint);
  body = g_bytes_new (encoded, strlen (encoded));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  if (self->client_secret != NULL && g_strcmp0 (self->auth_method, "client_secret_basic") == 0)
    {
      g_autofree char *id = g_uri_escape_string (self->client_id, NULL, FALSE);
      g_autofree char *secret = g_uri_escape_string (self->client_secret, NULL, FALSE);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }

  answer = send_for_json (self, msg, cancellable, error);
  if (answer == NULL)
    return FALSE;
  access = reins_mcp_oauth_string_member (answer, "access_token");
  type = reins_mcp_oauth_string_member (answer, "token_type");
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || access == NULL ||
      *access == '\0' || type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
    {
      const char *e = reins_mcp_oauth_string_member (answer, "error");
      const char *d = reins_mcp_oauth_string_member (answer, "error_description");
      const char *what = e != NULL ? e : access == NULL ? "no access_token"
                                                        : "not a Bearer token";
      g_autofree char *es = reins_mcp_oauth_shown (what);
      g_autofree char *ds = d != NULL ? reins_mcp_oauth_shown (d) : NULL;

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("its authorization server gave no token (HTTP %u): %s%s%s"),
                   soup_message_get_status (msg), es, ds != NULL ? ": " : "",
                   ds != NULL ? ds : "");
      return FALSE;
    }
  refresh = reins_mcp_oauth_string_member (answer, "refresh_token");
  scope = reins_mcp_oauth_string_member (answer, "scope");
  expires = json_object_get_member (answer, "expires_in");
  g_free (self->access_token);
  self->access_token = g_strdup (access);
  if (refresh != NULL)
    {
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (refresh);
    }
  if (scope != NULL)
    {
      g_free (self->scope);
      self->scope = g_strdup (scope);
    }
  self->expires_at = 0;
  if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires) &&
      (json_node_get_value_type (expires) == G_TYPE_INT64 ||
       json_node_get_value_type (expires) == G_TYPE_DOUBLE))
    {
      gdouble s = json_node_get_value_type (expires) == G_TYPE_INT64
                    ? (gdouble) json_node_get_int (expires) : json_node_get_double (expires);

      if (s > 0 && s < 10.0 * 365 * 24 * 3600)
        self->expires_at = g_get_real_time () / G_USEC_PER_SEC + (gint64) s;
    }
  reins_mcp_oauth_save_state (self);
  return TRUE;
}

char *
reins_mcp_oauth_scopes_of (JsonObject *metadata)
{
  JsonNode *node = json_object_get_member (metadata, "scopes_supported");
  g_autoptr(GString) out = g_string_new (NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, json_node_get_string (e));
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}
