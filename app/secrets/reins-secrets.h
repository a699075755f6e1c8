/* reins-secrets.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider API keys in the system keyring (libsecret), with the environment as fallback.
 *
 * This is a library of its own, linked by the window and reins-cli only: libreins-core must
 * not depend on libsecret (ARCHITECTURE.md).
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean    reins_secrets_available        (void);
char       *reins_secrets_lookup_key       (const char           *provider,
                                            GCancellable         *cancellable,
                                            GError              **error);
gboolean    reins_secrets_store_key        (const char           *provider,
                                            const char           *key,
                                            GCancellable         *cancellable,
                                            GError              **error);
gboolean    reins_secrets_clear_key        (const char           *provider,
                                            GCancellable         *cancellable,
                                            GError              **error);
char       *reins_secrets_choose_key       (const char           *keyring_key,
                                            const char           *env,
                                            const char          **source);
char       *reins_secrets_get_api_key      (const char           *provider,
                                            const char          **source);
char       *reins_secrets_get_api_key_full (const char           *provider,
                                            const char           *env,
                                            gboolean              use_keyring,
                                            const char          **source);
void        reins_secrets_get_api_key_async  (const char         *provider,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
char       *reins_secrets_get_api_key_finish (GAsyncResult       *result,
                                              GError            **error);

void        reins_secrets_lookup_key_async (const char           *provider,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char       *reins_secrets_lookup_key_finish (GAsyncResult        *result,
                                             GError             **error);
void        reins_secrets_store_key_async  (const char           *provider,
                                            const char           *key,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean    reins_secrets_store_key_finish (GAsyncResult         *result,
                                            GError              **error);

/* The OAuth state of an MCP server (JSON holding its tokens), by the server's URL; the
 * load and save hooks of ReinsMcpOAuthHooks (@user_data is not used). */
char       *reins_secrets_lookup_mcp_state (const char           *url,
                                            gpointer              user_data);
void        reins_secrets_store_mcp_state  (const char           *url,
                                            const char           *state,
                                            gpointer              user_data);

G_END_DECLS
