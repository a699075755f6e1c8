/* reins-preferences-window.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: providers and their keys, prices, limits and guards, tools, MCP servers.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REINS_TYPE_PREFERENCES_WINDOW (reins_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (ReinsPreferencesWindow, reins_preferences_window, REINS,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget  *reins_preferences_window_new             (GtkWindow              *parent);
GSettings  *reins_preferences_window_get_settings    (ReinsPreferencesWindow *self);
const char *reins_preferences_window_get_test_status (ReinsPreferencesWindow *self,
                                                      const char             *provider);
void        reins_preferences_window_test_connection (ReinsPreferencesWindow *self,
                                                      const char             *provider);
const char *reins_preferences_window_get_key_status  (ReinsPreferencesWindow *self,
                                                      const char             *provider);
void        reins_preferences_window_save_key        (ReinsPreferencesWindow *self,
                                                      const char             *provider,
                                                      const char             *key);
const char *reins_preferences_window_get_mcp_status  (ReinsPreferencesWindow *self,
                                                      const char             *name);

G_END_DECLS
