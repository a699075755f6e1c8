/* reins-what-if-popover.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What-if: the harness settings to judge a stored run again with, and what they change.
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define REINS_TYPE_WHAT_IF_POPOVER (reins_what_if_popover_get_type ())

G_DECLARE_FINAL_TYPE (ReinsWhatIfPopover, reins_what_if_popover, REINS, WHAT_IF_POPOVER,
                      GtkPopover)

GtkWidget  *reins_what_if_popover_new           (void);
void        reins_what_if_popover_set_settings  (ReinsWhatIfPopover *self,
                                                 JsonObject         *settings);
JsonObject *reins_what_if_popover_get_overrides (ReinsWhatIfPopover *self);
void        reins_what_if_popover_set_running   (ReinsWhatIfPopover *self,
                                                 gboolean            running);
void        reins_what_if_popover_set_steps     (ReinsWhatIfPopover *self,
                                                 GArray             *steps);

G_END_DECLS
