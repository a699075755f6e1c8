/* reins-key-cache.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The providers' API keys as the window knows them: read from the keyring off the main thread.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  reins_key_cache_refresh (void);
char *reins_key_cache_get     (const char *provider);

G_END_DECLS
