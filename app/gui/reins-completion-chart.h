/* reins-completion-chart.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The overview's small chart of how the runs of each of the last days ended: completed
 * against failed or stopped, with the same figures as text for screen readers.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_COMPLETION_CHART (reins_completion_chart_get_type ())

G_DECLARE_FINAL_TYPE (ReinsCompletionChart, reins_completion_chart, REINS, COMPLETION_CHART,
                      GtkWidget)

GtkWidget  *reins_completion_chart_new             (void);
void        reins_completion_chart_set_days        (ReinsCompletionChart *self,
                                                    const ReinsStoreDay  *days,
                                                    guint                 n_days);
const char *reins_completion_chart_get_description (ReinsCompletionChart *self);
char       *reins_completion_chart_describe_day    (ReinsCompletionChart *self,
                                                    guint                 day);
char       *reins_completion_chart_get_day_name    (ReinsCompletionChart *self,
                                                    guint                 day);
int         reins_completion_chart_day_at          (ReinsCompletionChart *self,
                                                    double                x);

G_END_DECLS
