/* reins-fork.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forking a stored run from one of its steps: the dialog, and running the new run.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-executor.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* Given the executor of a fork, not started: it shows and starts it. */
typedef void (*ReinsForkStartedFunc) (ReinsExecutor *executor,
                                      gpointer       user_data);

void           reins_fork_dialog_present (GtkWindow            *parent,
                                          ReinsStore           *store,
                                          ReinsRun             *run,
                                          guint                 from_step,
                                          ReinsForkStartedFunc  started,
                                          gpointer              user_data);
ReinsExecutor *reins_fork_start          (ReinsStore           *store,
                                          ReinsRun             *parent,
                                          guint                 from_step,
                                          JsonObject           *overrides,
                                          const char           *api_key,
                                          GError              **error);
ReinsExecutor *reins_fork_start_with_config (ReinsStore                *store,
                                             ReinsRun                  *parent,
                                             guint                      from_step,
                                             JsonObject                *overrides,
                                             const ReinsProviderConfig *config,
                                             GError                   **error);

G_END_DECLS
