/* reins-window.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the history of runs beside the run that is picked.
 */

#pragma once

#include <adwaita.h>

#include "reins-executor.h"
#include "reins-run-manager.h"

G_BEGIN_DECLS

#define REINS_TYPE_WINDOW (reins_window_get_type ())

G_DECLARE_FINAL_TYPE (ReinsWindow, reins_window, REINS, WINDOW, AdwApplicationWindow)

ReinsWindow *reins_window_new            (GtkApplication *application,
                                          const char     *store_path);
const char  *reins_window_get_store_path (ReinsWindow    *self);

ReinsProviderConfig *reins_window_get_provider_config (ReinsWindow               *self,
                                                       const char                *provider);
ReinsExecutor       *reins_window_start_run           (ReinsWindow               *self,
                                                       ReinsRun                  *run,
                                                       const ReinsProviderConfig *config);
void                 reins_window_show_executor       (ReinsWindow               *self,
                                                       ReinsExecutor             *executor);
gboolean             reins_window_open_run            (ReinsWindow               *self,
                                                       const char                *run_id);
gboolean             reins_window_answer_remote       (ReinsWindow               *self,
                                                       const char                *run_id,
                                                       gboolean                   approve);
ReinsRunManager     *reins_window_get_run_manager     (ReinsWindow               *self);

G_END_DECLS
