/* reins-run-manager.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsRunManager holds the runs going in this process (one ReinsExecutor each) until they
 * finish, as a GListModel of executors. The application owns one; each run belongs to the
 * window that started it. It routes the runs' questions — to the window in front, else to
 * a notification — and asks before a window with runs going is closed.
 */

#pragma once

#include <adwaita.h>

#include "reins-executor.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN_MANAGER (reins_run_manager_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRunManager, reins_run_manager, REINS, RUN_MANAGER, GObject)

ReinsRunManager *reins_run_manager_new                     (GApplication    *application);
void             reins_run_manager_add                     (ReinsRunManager *self,
                                                            ReinsExecutor   *executor,
                                                            GObject         *owner);
ReinsExecutor   *reins_run_manager_lookup                  (ReinsRunManager *self,
                                                            const char      *run_id);
GObject         *reins_run_manager_get_owner               (ReinsRunManager *self,
                                                            const char      *run_id);
guint            reins_run_manager_count                   (ReinsRunManager *self,
                                                            GObject         *owner,
                                                            gboolean         running_only);
void             reins_run_manager_stop                    (ReinsRunManager *self,
                                                            GObject         *owner);
gboolean         reins_run_manager_approve                 (ReinsRunManager *self,
                                                            const char      *run_id);
void             reins_run_manager_withdraw_notification   (ReinsRunManager *self,
                                                            const char      *run_id);
gboolean         reins_run_manager_may_close               (ReinsRunManager *self,
                                                            GtkWindow       *window);

G_END_DECLS
