/* reins-mcp-oauth.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OAuth 2.1 for MCP servers over HTTP; see reins-mcp-oauth.h. Everything here is
 * synchronous and runs on the thread of the request that was refused (the run's worker),
 * outside the request's deadline: the person's time in the browser is not the server's.
 * The loopback redirect listener is a SoupServer on a main context of that thread.
 */

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-oauth.h"
#include "reins-sandbox.h"

#define MAX_DOCUMENT          (1024 * 1024)
#define REQUEST_TIMEOUT_S     30
#define BROWSER_TIMEOUT_S     300
/* A token this close to its expiry is refreshed before it is used. */
#define REFRESH_MARGIN_S      60
#define CALLBACK_PATH         "/callback"

struct _ReinsMcpOAuth
{
  char        *server;     /* the server's name, for messages */
  char        *url;        /* the MCP endpoint */
  SoupSession *session;
  guint        browser_timeout_s;
  GMutex       mutex;      /* one flow at a time; guards what follows */
  char        *client_id;      /* configured, registered or saved */
  char        *client_secret;
  gboolean     configured;     /* the client was given: never registered */
  char        *auth_method;    /* token_endpoint_auth_method */
  guint        redirect_port;  /* the port the registered redirect URI names */
  char        *issuer;
  char        *token_endpoint;
  char        *resource;
  char        *access_token;
  char        *refresh_token;
  char        *scope;          /* granted, or asked for */
  gint64       expires_at;     /* unix seconds, 0 if unknown */
};

static GMutex hooks_mutex;
static ReinsMcpOAuthHooks hooks;
static gpointer hooks_data;

/**
 * reins_mcp_oauth_set_hooks:
 *
 * Installs where tokens are kept and how an authorization URL reaches the person, for
 * every MCP server of the process. NULL removes them: tokens then live only as long as
 * their client, and a server that needs authorization fails with a message that says so.
 */
void
reins_mcp_oauth_set_hooks (const ReinsMcpOAuthHooks *new_hooks,
                           gpointer                  user_data)
{
  g_mutex_lock (&hooks_mutex);
  if (new_hooks != NULL)
    hooks = *new_hooks;
  else
    memset (&hooks, 0, sizeof hooks);
  hooks_data = user_data;
  g_mutex_unlock (&hooks_mutex);
}

static ReinsMcpOAuthHooks
get_hooks (gpointer *user_data)
{
  ReinsMcpOAuthHooks copy;

  g_mutex_lock (&hooks_mutex);
  copy = hooks;
  *user_data = hooks_data;
  g_mutex_unlock (&hooks_mutex);
  return copy;
}

/* Random text for PKCE and state: base64url without padding. */
static char
*base64url (const guint8 *data,
            gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

static char *
random_text (void)
{
  guint8 bytes[32];
  gsize got = 0;

  while (got < sizeof bytes)
    {
      gssize n = getrandom (bytes + got, sizeof bytes - got, 0);

      if (n > 0)
        got += n;
    }
  return base64url (bytes, sizeof bytes);
}

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (sum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sum, digest, &length);
  return base64url (digest, length);
}

static void
load_state (ReinsMcpOAuth *self)
{
  gpointer data;
  ReinsMcpOAuthHooks h = get_hooks (&data);
  g_autofree char *text = h.load != NULL ? h.load (self->url, data) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  o = json_node_get_object (json_parser_get_root (parser));
#define TAKE(field) \
  g_free (self->field); \
  self->field = g_strdup (json_object_get_string_member_with_default (o, #field, NULL))
  if (!self->configured)
    {
      TAKE (client_id);
      TAKE (client_secret);
      TAKE (auth_method);
      self->redirect_port = json_object_get_int_member_with_default (o, "redirect_port", 0);
    }
  TAKE (issuer);
  TAKE (token_endpoint);
  TAKE (resource);
  TAKE (access_token);
  TAKE (refresh_token);
  TAKE (scope);
#undef TAKE
  self->expires_at = json_object_get_int_member_with_default (o, "expires_at", 0);
}

static void
save_state (ReinsMcpOAuth *self)
{
  gpointer data;
  ReinsMcpOAuthHooks h = get_hooks (&data);
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (h.save == NULL)
    return;
  b = json_builder_new ();
  json_builder_begin_object (b);
#define PUT(field) \
  if (self->field != NULL) \
    { \
      json_builder_set_member_name (b, #field); \
      json_builder_add_string_value (b, self->field); \
    }
  if (!self->configured)
    {
      PUT (client_id);
      PUT (client_secret);
      PUT (auth_method);
      json_builder_set_member_name (b, "redirect_port");
      json_builder_add_int_value (b, self->redirect_port);
    }
  PUT (issuer);
  PUT (token_endpoint);
  PUT (resource);
  PUT (access_token);
  PUT (refresh_token);
  PUT (scope);
#undef PUT
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_int_value (b, self->expires_at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  h.save (self->url, text, data);
}

ReinsMcpOAuth *
reins_mcp_oauth_new (const char *server,
                     const char *url)
{
  ReinsMcpOAuth *self = g_new0 (ReinsMcpOAuth, 1);
  g_autofree char *agent = g_strdup_printf ("Reins/%s", PACKAGE_VERSION);

  self->server = g_strdup (server);
  self->url = g_strdup (url);
  self->browser_timeout_s = BROWSER_TIMEOUT_S;
  self->session = soup_session_new_with_options ("user-agent", agent,
                                                 "timeout", REQUEST_TIMEOUT_S, NULL);
  g_mutex_init (&self->mutex);
  load_state (self);
  return self;
}

/* A pre-registered client: no dynamic registration. */
void
reins_mcp_oauth_set_client (ReinsMcpOAuth *self,
                            const char    *client_id,
                            const char    *client_secret)
{
  g_mutex_lock (&self->mutex);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_clear_pointer (&self->auth_method, g_free);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->configured = client_id != NULL;
  if (client_secret != NULL)
    self->auth_method = g_strdup ("client_secret_basic");
  g_mutex_unlock (&self->mutex);
}

void
reins_mcp_oauth_set_browser_timeout (ReinsMcpOAuth *self,
                                     guint          seconds)
{
  self->browser_timeout_s = seconds;
}

void
reins_mcp_oauth_free (ReinsMcpOAuth *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->session);
  g_free (self->server);
  g_free (self->url);
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->auth_method);
  g_free (self->issuer);
  g_free (self->token_endpoint);
  g_free (self->resource);
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_free (self->scope);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

static void
clear_tokens (ReinsMcpOAuth *self)
{
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->refresh_token, g_free);
  self->expires_at = 0;
}

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

static char *
shown (const char *text)
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
  g_autofree char *where_shown = shown (where);
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
      g_autofree char *s = shown (url);

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP, _("“%s” is not a URL"), s);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  object = send_for_json (self, msg, cancellable, error);
  if (object != NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autofree char *s = shown (url);

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP, _("%s answered HTTP %u"), s,
                   soup_message_get_status (msg));
      return NULL;
    }
  return g_steal_pointer (&object);
}

/* The Bearer challenge's parameters (resource_metadata, scope, error), or NULL. */
static GHashTable *
parse_challenge (const char *header)
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
static JsonObject *
discover_resource (ReinsMcpOAuth  *self,
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
          g_autofree char *s = shown (url);

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
static gboolean
resource_matches (const char *resource,
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

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The authorization server's metadata, checked: its issuer is the one asked for, its
 * endpoints are https (or loopback), and it does PKCE with S256. */
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
static JsonObject *
discover_server (ReinsMcpOAuth  *self,
                 const char     *issuer,
                 gboolean        legacy,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(GPtrArray) urls = metadata_urls (issuer);
  g_autoptr(GError) last = NULL;
  g_autofree char *issuer_shown = shown (issuer);

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
      said = string_member (m, "issuer");
      if (!legacy && (said == NULL || !same_issuer (said, issuer)))
        {
          g_autofree char *s = shown (said);

          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("the metadata of authorization server “%s” names another issuer, "
                         "“%s”"), issuer_shown, s);
          return NULL;
        }
      if (!acceptable_url (string_member (m, "authorization_endpoint")) ||
          !acceptable_url (string_member (m, "token_endpoint")) ||
          (json_object_has_member (m, "registration_endpoint") &&
           !acceptable_url (string_member (m, "registration_endpoint"))))
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
      endpoint = string_member (m, "token_endpoint");
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
      self->token_endpoint = g_strdup (string_member (m, "token_endpoint"));
      return m;
    }
  else
    g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                 _("no metadata of authorization server “%s” could be read: %s"),
                 issuer_shown, last != NULL ? last->message : "");
  return NULL;
}

/* Dynamic client registration, RFC 7591: a public client with a loopback redirect. */
static gboolean
register_client (ReinsMcpOAuth  *self,
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
  id = string_member (answer, "client_id");
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || id == NULL || *id == '\0')
    {
      g_autofree char *s = shown (string_member (answer, "error_description") != NULL
                                    ? string_member (answer, "error_description")
                                    : string_member (answer, "error"));

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("its authorization server refused to register Reins (HTTP %u): %s"),
                   soup_message_get_status (msg), s);
      return FALSE;
    }
  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->auth_method);
  self->client_id = g_strdup (id);
  self->client_secret = g_strdup (string_member (answer, "client_secret"));
  self->auth_method = g_strdup (string_member (answer, "token_endpoint_auth_method"));
  if (self->auth_method == NULL && self->client_secret != NULL)
    self->auth_method = g_strdup ("client_secret_basic");
  return TRUE;
}

/* The loopback redirect: a SoupServer on a main context of this thread. */
typedef struct
{
  const char *state;
  char       *code;
  char       *failure;
  gboolean    done;
  gboolean    responded;
} Wait;

static void
finished_cb (SoupServerMessage *msg,
             gpointer           data)
{
  ((Wait *) data)->responded = TRUE;
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Wait *wait = data;
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *err = query != NULL ? g_hash_table_lookup (query, "error") : NULL;
  const char *page;

  if (wait->done)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_GONE, NULL);
      return;
    }
  if (g_strcmp0 (state, wait->state) != 0)
    {
      /* Not the answer to our request: forged, or from an older attempt. */
      wait->failure = g_strdup (_("the browser came back with the wrong state; the "
                                  "authorization was not used"));
      page = "Reins: this authorization was not asked for, and was not used.";
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
    }
  else if (err != NULL || code == NULL || *code == '\0')
    {
      g_autofree char *s = shown (err != NULL ? err : "no code");
      const char *description = g_hash_table_lookup (query, "error_description");
      g_autofree char *d = description != NULL ? shown (description) : NULL;

      wait->failure = g_strdup_printf (_("the authorization was refused: %s%s%s"), s,
                                       d != NULL ? ": " : "", d != NULL ? d : "");
      page = "Reins: the authorization was refused. You can close this window.";
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else
    {
      wait->code = g_strdup (code);
      page = "Reins is authorized. You can close this window.";
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), wait);
  wait->done = TRUE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
cancelled_source_cb (GCancellable *cancellable,
                     gpointer      data)
{
  return G_SOURCE_CONTINUE;
}

/* Listens on 127.0.0.1 (at @port if it is free and not 0), for the redirect. */
static SoupServer *
listen_loopback (guint    *port,
                 GError  **error)
{
  SoupServer *server = soup_server_new ("server-header", "Reins", NULL);
  g_autoptr(GError) local = NULL;
  GSList *uris;

  if (*port == 0 || !soup_server_listen_local (server, *port, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                               NULL))
    {
      if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &local))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("no loopback port could be opened for the browser: %s"),
                       local->message);
          g_object_unref (server);
          return NULL;
        }
    }
  uris = soup_server_get_uris (server);
  *port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
add_param (GString    *url,
           const char *name,
           const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

/* Sends a token request (a form), and takes the tokens of its answer. */
static gboolean
token_request (ReinsMcpOAuth  *self,
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
  access = string_member (answer, "access_token");
  type = string_member (answer, "token_type");
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) || access == NULL ||
      *access == '\0' || type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
    {
      const char *e = string_member (answer, "error");
      const char *d = string_member (answer, "error_description");
      g_autofree char *es = shown (e != NULL ? e : (access == NULL ? "no access_token"
                                                                   : "not a Bearer token"));
      g_autofree char *ds = d != NULL ? shown (d) : NULL;

      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("its authorization server gave no token (HTTP %u): %s%s%s"),
                   soup_message_get_status (msg), es, ds != NULL ? ": " : "",
                   ds != NULL ? ds : "");
      return FALSE;
    }
  refresh = string_member (answer, "refresh_token");
  scope = string_member (answer, "scope");
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
  save_state (self);
  return TRUE;
}

static gboolean
refresh_locked (ReinsMcpOAuth  *self,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->refresh_token == NULL || self->token_endpoint == NULL || self->client_id == NULL)
    return FALSE;
  g_hash_table_insert (form, "grant_type", "refresh_token");
  g_hash_table_insert (form, "refresh_token", self->refresh_token);
  g_hash_table_insert (form, "client_id", self->client_id);
  if (self->resource != NULL)
    g_hash_table_insert (form, "resource", self->resource);
  if (token_request (self, form, cancellable, error))
    return TRUE;
  g_debug ("MCP server %s: the refresh token was refused", self->server);
  clear_tokens (self);
  save_state (self);
  return FALSE;
}

/* Authorization code with PKCE through the browser, and the token for it. */
static gboolean
browser_flow (ReinsMcpOAuth  *self,
              JsonObject     *metadata,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSource) tick = NULL;
  g_autoptr(GSource) cancel_source = NULL;
  g_autoptr(GString) url = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *verifier = random_text ();
  g_autofree char *challenge = s256 (verifier);
  g_autofree char *state = random_text ();
  g_autofree char *redirect_uri = NULL;
  Wait wait = { state, NULL, NULL, FALSE, FALSE };
  ReinsMcpOAuthHooks h;
  gpointer data;
  guint port = self->configured ? 0 : self->redirect_port;
  gint64 end;
  gboolean ok = FALSE;

  h = get_hooks (&data);
  if (h.open_url == NULL)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("it needs an authorization in the browser, and nobody is here to give "
                     "it"));
      return FALSE;
    }

  g_main_context_push_thread_default (context);
  server = listen_loopback (&port, error);
  if (server == NULL)
    goto out;
  redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" CALLBACK_PATH, port);
  soup_server_add_handler (server, CALLBACK_PATH, callback_cb, &wait, NULL);

  if (self->client_id == NULL || (!self->configured && port != self->redirect_port))
    {
      const char *endpoint = string_member (metadata, "registration_endpoint");

      if (endpoint == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("its authorization server does not register clients: configure "
                         "the client id it gave you"));
          goto out;
        }
      if (!register_client (self, endpoint, redirect_uri, cancellable, error))
        goto out;
      self->redirect_port = port;
    }

  url = g_string_new (string_member (metadata, "authorization_endpoint"));
  add_param (url, "response_type", "code");
  add_param (url, "client_id", self->client_id);
  add_param (url, "redirect_uri", redirect_uri);
  add_param (url, "code_challenge", challenge);
  add_param (url, "code_challenge_method", "S256");
  add_param (url, "state", state);
  add_param (url, "resource", self->resource);
  if (self->scope != NULL && *self->scope != '\0')
    add_param (url, "scope", self->scope);

  if (!h.open_url (self->server, url->str, data, error))
    goto out;

  /* Wait for the browser: the redirect, the cancellable or the time limit. */
  tick = g_timeout_source_new (250);
  g_source_set_callback (tick, wake_cb, NULL, NULL);
  g_source_attach (tick, context);
  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_source_cb), NULL, NULL);
      g_source_attach (cancel_source, context);
    }
  end = g_get_monotonic_time () + (gint64) self->browser_timeout_s * G_USEC_PER_SEC;
  while (!wait.done && !g_cancellable_is_cancelled (cancellable) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);
  /* Let the browser have its page. */
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (wait.done && !wait.responded && g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!wait.done)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                   _("nobody authorized it in the browser within %u s"),
                   self->browser_timeout_s);
      goto out;
    }
  if (wait.failure != NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_MCP, wait.failure);
      goto out;
    }

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, "grant_type", "authorization_code");
  g_hash_table_insert (form, "code", wait.code);
  g_hash_table_insert (form, "redirect_uri", redirect_uri);
  g_hash_table_insert (form, "client_id", self->client_id);
  g_hash_table_insert (form, "code_verifier", verifier);
  g_hash_table_insert (form, "resource", self->resource);
  ok = token_request (self, form, cancellable, error);

out:
  if (tick != NULL)
    g_source_destroy (tick);
  if (cancel_source != NULL)
    g_source_destroy (cancel_source);
  if (server != NULL)
    soup_server_disconnect (server);
  g_clear_object (&server);
  /* What the server left on the context (its connections) goes with it. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  g_free (wait.code);
  g_free (wait.failure);
  return ok;
}

/* The scopes of @a and @b, each once. */
static char *
merge_scopes (const char *a,
              const char *b)
{
  g_auto(GStrv) first = g_strsplit (a != NULL ? a : "", " ", -1);
  g_auto(GStrv) second = g_strsplit (b != NULL ? b : "", " ", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint pass = 0; pass < 2; pass++)
    for (char **s = pass == 0 ? first : second; *s != NULL; s++)
      {
        g_auto(GStrv) sofar = g_strsplit (out->str, " ", -1);

        if (**s == '\0' || g_strv_contains ((const char * const *) sofar, *s))
          continue;
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, *s);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
scopes_of (JsonObject *metadata)
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

static gboolean
authorize_locked (ReinsMcpOAuth  *self,
                  guint           status,
                  GHashTable     *params,
                  GCancellable   *cancellable,
                  GError        **error)
{
  const char *metadata_url = params != NULL ? g_hash_table_lookup (params, "resource_metadata")
                                            : NULL;
  const char *scope = params != NULL ? g_hash_table_lookup (params, "scope") : NULL;
  const char *why = params != NULL ? g_hash_table_lookup (params, "error") : NULL;
  gboolean step_up = status == SOUP_STATUS_FORBIDDEN &&
                     g_strcmp0 (why, "insufficient_scope") == 0;
  g_autoptr(JsonObject) resource = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *issuer = NULL;
  JsonNode *servers;

  /* An expired token: its refresh token first, the browser only if that fails. */
  if (!step_up && refresh_locked (self, cancellable, &local))
    return TRUE;
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_clear_error (&local);

  resource = discover_resource (self, metadata_url, cancellable, &local);
  if (resource == NULL && metadata_url != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                  _("its protected resource metadata cannot be read: "));
      return FALSE;
    }
  if (resource != NULL)
    {
      const char *r = string_member (resource, "resource");

      servers = json_object_get_member (resource, "authorization_servers");
      if (servers == NULL || !JSON_NODE_HOLDS_ARRAY (servers) ||
          json_array_get_length (json_node_get_array (servers)) == 0 ||
          !JSON_NODE_HOLDS_VALUE (json_array_get_element (json_node_get_array (servers), 0)) ||
          json_node_get_value_type (json_array_get_element (json_node_get_array (servers), 0))
            != G_TYPE_STRING)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("its protected resource metadata names no authorization server"));
          return FALSE;
        }
      if (r != NULL && !resource_matches (r, self->url))
        {
          g_autofree char *s = shown (r);

          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("its protected resource metadata is about another resource, “%s”"),
                       s);
          return FALSE;
        }
      issuer = g_strdup (json_node_get_string (
        json_array_get_element (json_node_get_array (servers), 0)));
      g_free (self->resource);
      self->resource = g_strdup (r != NULL ? r : self->url);
      if (scope == NULL && !step_up)
        {
          g_autofree char *supported = scopes_of (resource);

          if (supported != NULL)
            {
              g_free (self->scope);
              self->scope = g_steal_pointer (&supported);
            }
        }
    }
  else
    {
      /* Before RFC 9728 (MCP 2025-03-26): the server's origin is its authorization server. */
      g_autoptr(GUri) uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);

      issuer = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                           g_uri_get_port (uri), "", NULL, NULL);
      g_free (self->resource);
      self->resource = g_strdup (self->url);
    }
  if (scope != NULL)
    {
      char *merged = step_up ? merge_scopes (self->scope, scope) : g_strdup (scope);

      g_free (self->scope);
      self->scope = merged;
    }
  if (self->issuer != NULL && strcmp (self->issuer, issuer) != 0 && !self->configured)
    {
      /* Another authorization server: the client it knew is not this one's. */
      g_clear_pointer (&self->client_id, g_free);
      g_clear_pointer (&self->client_secret, g_free);
      g_clear_pointer (&self->auth_method, g_free);
    }
  g_free (self->issuer);
  self->issuer = g_strdup (issuer);

  metadata = discover_server (self, issuer, resource == NULL, cancellable, error);
  if (metadata == NULL)
    return FALSE;
  clear_tokens (self);
  return browser_flow (self, metadata, cancellable, error);
}

/**
 * reins_mcp_oauth_authorize:
 * @status: 401, or 403
 * @challenge: (nullable): the answer's WWW-Authenticate header
 * @used: (nullable): the Authorization header the refused request carried
 *
 * Gets a token after the server refused a request: refreshes an expired one, or runs the
 * whole flow through the person's browser; steps up to the challenge's scopes on
 * `insufficient_scope`. Blocks until the person answers, the cancellable fires or the
 * browser time limit (5 minutes) runs out.
 *
 * Returns: whether the request is worth sending again
 */
gboolean
reins_mcp_oauth_authorize (ReinsMcpOAuth  *self,
                           guint           status,
                           const char     *challenge,
                           const char     *used,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(GHashTable) params = parse_challenge (challenge);
  g_autofree char *current = NULL;
  gboolean ok;

  if (status == SOUP_STATUS_FORBIDDEN &&
      (params == NULL || g_strcmp0 (g_hash_table_lookup (params, "error"),
                                    "insufficient_scope") != 0))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_MCP, _("it refused access (HTTP 403)"));
      return FALSE;
    }
  g_mutex_lock (&self->mutex);
  /* Another request got a new token while this one waited for the lock. */
  current = self->access_token != NULL ? g_strconcat ("Bearer ", self->access_token, NULL)
                                       : NULL;
  if (current != NULL && g_strcmp0 (current, used) != 0 && status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_mutex_unlock (&self->mutex);
      return TRUE;
    }
  ok = authorize_locked (self, status, params, cancellable, error);
  g_mutex_unlock (&self->mutex);
  if (!ok && error != NULL && *error != NULL && (*error)->domain == REINS_ERROR)
    g_prefix_error (error, _("it needs authorization, which failed: "));
  return ok;
}

/**
 * reins_mcp_oauth_dup_authorization:
 *
 * The Authorization header for the next request (`Bearer …`), refreshed first when the
 * token expires within a minute; NULL while there is no token.
 */
char *
reins_mcp_oauth_dup_authorization (ReinsMcpOAuth *self,
                                   GCancellable  *cancellable)
{
  char *header = NULL;

  g_mutex_lock (&self->mutex);
  if (self->access_token != NULL && self->expires_at != 0 && self->refresh_token != NULL &&
      g_get_real_time () / G_USEC_PER_SEC + REFRESH_MARGIN_S >= self->expires_at)
    {
      g_autoptr(GError) error = NULL;

      if (!refresh_locked (self, cancellable, &error))
        g_debug ("MCP server %s: the token could not be refreshed: %s", self->server,
                 error != NULL ? error->message : "no refresh token");
    }
  if (self->access_token != NULL)
    header = g_strconcat ("Bearer ", self->access_token, NULL);
  g_mutex_unlock (&self->mutex);
  return header;
}
