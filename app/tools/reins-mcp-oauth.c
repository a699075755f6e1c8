/* reins-mcp-oauth.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OAuth 2.1 for MCP servers over HTTP; see reins-mcp-oauth.h. Everything here is
 * synchronous and runs on the thread of the request that was refused (the run's worker),
 * outside the request's deadline: the person's time in the browser is not the server's.
 * This file holds the hooks, the saved state, refreshing and the choice between refresh,
 * step-up and a new authorization; the browser flow with PKCE and its loopback redirect
 * listener is reins-mcp-oauth-browser.c, the requests to the servers
 * reins-mcp-oauth-server.c.
 */

#include "config.h"

#include <string.h>

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

ReinsMcpOAuthHooks
reins_mcp_oauth_get_hooks (gpointer *user_data)
{
  ReinsMcpOAuthHooks copy;

  g_mutex_lock (&hooks_mutex);
  copy = hooks;
  *user_data = hooks_data;
  g_mutex_unlock (&hooks_mutex);
  return copy;
}

/* Reads the saved state once, with the mutex held: at the first request, on the run's
 * worker, never where the client was made (the keyring blocks on D-Bus). */
static void
load_state (ReinsMcpOAuth *self)
{
  gpointer data;
  ReinsMcpOAuthHooks h = reins_mcp_oauth_get_hooks (&data);
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
  ReinsMcpOAuthHooks h = reins_mcp_oauth_get_hooks (&data);
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
  return reins_mcp_oauth_browser_flow (self, metadata, cancellable, error);
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
