/* reins-mcp-oauth-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of MCP's OAuth share: the state of one server's authorization, the
 * requests to its authorization server (reins-mcp-oauth-server.c) that the flow
 * (reins-mcp-oauth.c) makes, and the browser flow with PKCE (reins-mcp-oauth-browser.c).
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "reins-mcp-oauth.h"

G_BEGIN_DECLS

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
  gboolean     loaded;         /* the saved state was read (at the first request) */
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

char *reins_mcp_oauth_shown (const char *text);
GHashTable *reins_mcp_oauth_parse_challenge (const char *header);
JsonObject *reins_mcp_oauth_discover_resource (ReinsMcpOAuth  *self,
                                               const char     *metadata_url,
                                               GCancellable   *cancellable,
                                               GError        **error);
gboolean reins_mcp_oauth_resource_matches (const char *resource,
                                           const char *url);
const char *reins_mcp_oauth_string_member (JsonObject *object,
                                           const char *member);
JsonObject *reins_mcp_oauth_discover_server (ReinsMcpOAuth  *self,
                                             const char     *issuer,
                                             gboolean        legacy,
                                             GCancellable   *cancellable,
                                             GError        **error);
gboolean reins_mcp_oauth_register_client (ReinsMcpOAuth  *self,
                                          const char     *endpoint,
                                          const char     *redirect_uri,
                                          GCancellable   *cancellable,
                                          GError        **error);
gboolean reins_mcp_oauth_token_request (ReinsMcpOAuth  *self,
                                        GHashTable     *form,
                                        GCancellable   *cancellable,
                                        GError        **error);
char *reins_mcp_oauth_scopes_of (JsonObject *metadata);
void reins_mcp_oauth_save_state (ReinsMcpOAuth *self);
ReinsMcpOAuthHooks reins_mcp_oauth_get_hooks (gpointer *user_data);

/* reins-mcp-oauth-browser.c */
gboolean reins_mcp_oauth_browser_flow (ReinsMcpOAuth  *self,
                                       JsonObject     *metadata,
                                       GCancellable   *cancellable,
                                       GError        **error);

G_END_DECLS
