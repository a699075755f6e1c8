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

#include "reins-json-util.h"
#include "reins-error.h"
#include "reins-mcp-oauth-private.h"
#include "reins-sandbox.h"

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

/* Reads the saved state once, with the mutex held: at the first request, on the run's
 * worker, never where the client was made (the keyring blocks on D-Bus). */
static void
load_state (ReinsMcpOAuth *self)
{
  gpointer data;
  ReinsMcpOAuthHooks h = get_hooks (&data);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (self->loaded)
    return;
  self->loaded = TRUE;
  text = h.load != NULL ? h.load (self->url, data) : NULL;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  o = json_node_get_object (json_parser_get_root (parser));
#define TAKE(field) \
  g_free (self->field); \
  self->field = g_strdup (reins_json_string_or (o, #field, NULL))
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

void
reins_mcp_oauth_save_state (ReinsMcpOAuth *self)
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

/* The authorization server's metadata, checked: its issuer is the one asked for, its
 * endpoints are https (or loopback), and it does PKCE with S256. */

/* The loopback redirect: a SoupServer on a main context of this thread. */
typedef struct
{
  const char *state;
  char       *code;
  char       *failure;
  gboolean    done;
  gboolean    responded;
  guint       open;      /* connections of the listener not closed yet */
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

  /* One answer per connection: the listener closes right after, and a kept-alive
   * connection would leave a message waiting for a request that never comes. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
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
      g_autofree char *s = reins_mcp_oauth_shown (err != NULL ? err : "no code");
      const char *description = g_hash_table_lookup (query, "error_description");
      g_autofree char *d = description != NULL ? reins_mcp_oauth_shown (description) : NULL;

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

static void
disconnected_cb (SoupServerMessage *msg,
                 gpointer           data)
{
  ((Wait *) data)->open--;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  ((Wait *) data)->open++;
  g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), data);
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

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           data)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (data, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("MCP OAuth: a connection to the listener failed: %s", error->message);
  return TRUE;
}

/* Listens on 127.0.0.1 (at @port if it is free and not 0) for the redirect, and hands each
 * connection to @server: libsoup 3.2's own listener leaks a socket per connection. */
static GSocketService *
listen_loopback (SoupServer  *server,
                 guint       *port,
                 GError     **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) local = NULL;

  for (guint attempt = *port != 0 ? 0 : 1; attempt < 2; attempt++)
    {
      g_autoptr(GSocketAddress) address =
        g_inet_socket_address_new (loopback, attempt == 0 ? *port : 0);
      g_autoptr(GSocketAddress) effective = NULL;

      g_clear_error (&local);
      if (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                         &effective, &local))
        {
          *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
          g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), server);
          g_socket_service_start (service);
          return g_steal_pointer (&service);
        }
    }
  g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
               _("no loopback port could be opened for the browser: %s"), local->message);
  return NULL;
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
  if (reins_mcp_oauth_token_request (self, form, cancellable, error))
    return TRUE;
  g_debug ("MCP server %s: the refresh token was refused", self->server);
  clear_tokens (self);
  reins_mcp_oauth_save_state (self);
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
  g_autoptr(GSocketService) service = NULL;
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
  server = soup_server_new ("server-header", "Reins", NULL);
  service = listen_loopback (server, &port, error);
  if (service == NULL)
    goto out;
  redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" CALLBACK_PATH, port);
  soup_server_add_handler (server, CALLBACK_PATH, callback_cb, &wait, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), &wait);

  if (self->client_id == NULL || (!self->configured && port != self->redirect_port))
    {
      const char *endpoint = reins_mcp_oauth_string_member (metadata, "registration_endpoint");

      if (endpoint == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_MCP,
                       _("its authorization server does not register clients: configure "
                         "the client id it gave you"));
          goto out;
        }
      if (!reins_mcp_oauth_register_client (self, endpoint, redirect_uri, cancellable, error))
        goto out;
      self->redirect_port = port;
    }

  url = g_string_new (reins_mcp_oauth_string_member (metadata, "authorization_endpoint"));
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
  ok = reins_mcp_oauth_token_request (self, form, cancellable, error);

out:
  if (cancel_source != NULL)
    g_source_destroy (cancel_source);
  if (service != NULL)
    {
      g_socket_service_stop (service);
      g_socket_listener_close (G_SOCKET_LISTENER (service));
      g_clear_object (&service);
    }
  if (server != NULL)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

      soup_server_disconnect (server);
      /* Its connections close on this context: let them, or their sockets stay behind. */
      if (tick == NULL)
        {
          tick = g_timeout_source_new (50);
          g_source_set_callback (tick, wake_cb, NULL, NULL);
          g_source_attach (tick, context);
        }
      while (wait.open > 0 && g_get_monotonic_time () < until)
        g_main_context_iteration (context, TRUE);
      g_debug ("MCP OAuth: %u connection(s) of the listener left open", wait.open);
    }
  if (tick != NULL)
    g_source_destroy (tick);
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

  resource = reins_mcp_oauth_discover_resource (self, metadata_url, cancellable, &local);
  if (resource == NULL && metadata_url != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                  _("its protected resource metadata cannot be read: "));
      return FALSE;
    }
  if (resource != NULL)
    {
      const char *r = reins_mcp_oauth_string_member (resource, "resource");

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
      if (r != NULL && !reins_mcp_oauth_resource_matches (r, self->url))
        {
          g_autofree char *s = reins_mcp_oauth_shown (r);

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
          g_autofree char *supported = reins_mcp_oauth_scopes_of (resource);

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

  metadata = reins_mcp_oauth_discover_server (self, issuer, resource == NULL, cancellable, error);
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
  g_autoptr(GHashTable) params = reins_mcp_oauth_parse_challenge (challenge);
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
  load_state (self);
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
  load_state (self);
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
