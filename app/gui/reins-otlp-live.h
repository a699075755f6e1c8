/* reins-otlp-live.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live OpenTelemetry export from the window: runs started here send their spans to the
 * collector of the preferences (otlp-endpoint, otlp-headers, otlp-key-header with the
 * keyring's “otlp” key, otlp-content), and the preferences' group that sets them.
 */

#pragma once

#include <adwaita.h>

#include "reins-executor.h"

G_BEGIN_DECLS

gboolean   reins_otlp_live_watch              (GSettings      *settings,
                                               ReinsExecutor  *executor);
GtkWidget *reins_otlp_live_preferences_group  (GSettings      *settings);
void       reins_otlp_live_shutdown           (guint           timeout_ms);

G_END_DECLS
