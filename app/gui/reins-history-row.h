/* reins-history-row.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run in the history sidebar.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-domain.h"

G_BEGIN_DECLS

#define REINS_TYPE_HISTORY_ROW (reins_history_row_get_type ())

G_DECLARE_FINAL_TYPE (ReinsHistoryRow, reins_history_row, REINS, HISTORY_ROW, GtkWidget)

GtkWidget *reins_history_row_new     (void);
ReinsRun  *reins_history_row_get_run (ReinsHistoryRow *self);
void       reins_history_row_set_run (ReinsHistoryRow *self,
                                      ReinsRun        *run);

G_END_DECLS
