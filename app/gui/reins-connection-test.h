/* reins-connection-test.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Test connection" in the preferences: ask a provider which models it has.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GStrv reins_connection_test_sync   (const char           *provider,
                                    const char           *base_url,
                                    const char           *api_key,
                                    GCancellable         *cancellable,
                                    GError              **error);
void  reins_connection_test_async  (const char           *provider,
                                    const char           *base_url,
                                    const char           *api_key,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
GStrv reins_connection_test_finish (GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
