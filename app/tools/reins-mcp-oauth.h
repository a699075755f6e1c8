/* reins-mcp-oauth.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OAuth 2.1 for MCP servers over HTTP (MCP "basic/authorization", PROTOCOLS.md): what a
 * 401 or a 403 insufficient_scope leads to. Discovery of the protected resource (RFC 9728)
 * and of its authorization server (RFC 8414, OpenID discovery), dynamic client registration
 * (RFC 7591) unless a client id is given, authorization code with PKCE S256 (RFC 7636)
 * through the person's browser and a loopback redirect (RFC 8252), the resource indicator
 * (RFC 8707), refresh before expiry, and step-up to the scopes a challenge names.
 *
 * libreins-core does not link libsecret: where the tokens are kept, and how the
 * authorization URL reaches the person, are hooks the window and reins-cli install
 * (reins_mcp_oauth_set_hooks()). Tokens never go to the store, a log or an export.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  /* Shows @url to the person (opens the browser, or prints it). Called on the thread that
   * needs the authorization. FALSE with @error set when nobody can be shown it. */
  gboolean (*open_url) (const char  *server,
                        const char  *url,
                        gpointer     user_data,
                        GError     **error);
  /* The saved state of the server at @url (JSON text, holding tokens), or NULL. */
  char    *(*load)     (const char  *url,
                        gpointer     user_data);
  /* Saves @state for @url; NULL forgets it. */
  void     (*save)     (const char  *url,
                        const char  *state,
                        gpointer     user_data);
} ReinsMcpOAuthHooks;

void reins_mcp_oauth_set_hooks (const ReinsMcpOAuthHooks *hooks,
                                gpointer                  user_data);

typedef struct _ReinsMcpOAuth ReinsMcpOAuth;

ReinsMcpOAuth *reins_mcp_oauth_new                (const char     *server,
                                                   const char     *url);
void           reins_mcp_oauth_set_client         (ReinsMcpOAuth  *self,
                                                   const char     *client_id,
                                                   const char     *client_secret);
void           reins_mcp_oauth_set_browser_timeout (ReinsMcpOAuth *self,
                                                   guint           seconds);
char          *reins_mcp_oauth_dup_authorization  (ReinsMcpOAuth  *self,
                                                   GCancellable   *cancellable);
gboolean       reins_mcp_oauth_authorize          (ReinsMcpOAuth  *self,
                                                   guint           status,
                                                   const char     *challenge,
                                                   const char     *used,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
void           reins_mcp_oauth_free               (ReinsMcpOAuth  *self);

G_END_DECLS
