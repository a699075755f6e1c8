/* reins-executor.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsExecutor runs one ReinsRun on a worker thread: prompt → model → parse → harness →
 * tool → harness → durable commit, step after step. Its signals are emitted on the main
 * context it was created on, after the store holds what they report; so are the notifications
 * of its properties (status, running, paused, pending-approval, step, cost), which the
 * window binds to.
 */

#pragma once

#include <gio/gio.h>

#include "reins-approval.h"
#include "reins-domain.h"
#include "reins-provider.h"
#include "reins-run-setup.h"

G_BEGIN_DECLS

#define REINS_TYPE_EXECUTOR (reins_executor_get_type ())

G_DECLARE_FINAL_TYPE (ReinsExecutor, reins_executor, REINS, EXECUTOR, GObject)

ReinsExecutor *reins_executor_new_for_setup       (ReinsRunSetup             *setup);
ReinsExecutor *reins_executor_new                 (ReinsRun                  *run,
                                                   const ReinsProviderConfig *provider,
                                                   const char                *db_path);
ReinsExecutor *reins_executor_new_resume          (const char                *run_id,
                                                   JsonObject                *overrides,
                                                   const ReinsProviderConfig *provider,
                                                   const char                *db_path,
                                                   GError                   **error);
ReinsExecutor *reins_executor_new_fork            (const char                *parent_run_id,
                                                   guint                      from_step,
                                                   JsonObject                *settings,
                                                   const ReinsProviderConfig *provider,
                                                   const char                *db_path,
                                                   GError                   **error);
void           reins_executor_set_critic_provider (ReinsExecutor             *self,
                                                   const ReinsProviderConfig *critic);
void           reins_executor_start               (ReinsExecutor             *self);
void           reins_executor_pause               (ReinsExecutor             *self);
void           reins_executor_resume              (ReinsExecutor             *self);
void           reins_executor_step                (ReinsExecutor             *self);
void           reins_executor_cancel              (ReinsExecutor             *self);
gboolean       reins_executor_is_running          (ReinsExecutor             *self);
gboolean       reins_executor_is_paused           (ReinsExecutor             *self);
ReinsRun      *reins_executor_get_run             (ReinsExecutor             *self);
ReinsRunStatus reins_executor_get_status          (ReinsExecutor             *self);
guint          reins_executor_get_step            (ReinsExecutor             *self);
double         reins_executor_get_cost            (ReinsExecutor             *self);
ReinsApproval *reins_executor_get_pending_approval(ReinsExecutor             *self);
const GError  *reins_executor_get_error           (ReinsExecutor             *self);

G_END_DECLS
