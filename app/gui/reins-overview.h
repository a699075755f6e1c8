/* reins-overview.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's landing page: figures across every stored run.
 */

#pragma once

#include <adwaita.h>

#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_OVERVIEW (reins_overview_get_type ())

G_DECLARE_FINAL_TYPE (ReinsOverview, reins_overview, REINS, OVERVIEW, GtkWidget)

GtkWidget  *reins_overview_new       (void);
void        reins_overview_set_store (ReinsOverview *self,
                                      ReinsStore    *store);
void        reins_overview_refresh   (ReinsOverview *self);
gboolean    reins_overview_get_loading (ReinsOverview *self);
const char *_reins_overview_get_figure (ReinsOverview *self,
                                        const char    *name);

G_END_DECLS
