/* reins-new-run-dialog.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * New Run: the task, the model, the limits, the tools and the workspace of a run.
 */

#pragma once

#include <adwaita.h>

#include "reins-domain.h"
#include "reins-provider.h"

G_BEGIN_DECLS

#define REINS_TYPE_NEW_RUN_DIALOG (reins_new_run_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ReinsNewRunDialog, reins_new_run_dialog, REINS, NEW_RUN_DIALOG, AdwWindow)

GtkWidget  *reins_new_run_dialog_new          (GtkWindow           *parent);
const char *reins_new_run_dialog_get_provider (ReinsNewRunDialog   *self);
ReinsRun   *reins_new_run_dialog_build        (ReinsNewRunDialog   *self,
                                               ReinsProviderConfig *config,
                                               GError             **error);
void        reins_new_run_dialog_show_error   (ReinsNewRunDialog   *self,
                                               const char          *message);
void        reins_new_run_dialog_use_demo     (ReinsNewRunDialog   *self,
                                               guint                length);
void        reins_new_run_dialog_set_projects (ReinsNewRunDialog   *self,
                                               const char * const  *projects,
                                               const char          *current);
const char *reins_new_run_dialog_get_project  (ReinsNewRunDialog   *self,
                                               gboolean            *has_projects);

/* For the tests. */
void        _reins_new_run_dialog_set_task         (ReinsNewRunDialog *self,
                                                    const char        *task);
void        _reins_new_run_dialog_set_provider     (ReinsNewRunDialog *self,
                                                    const char        *provider);
void        _reins_new_run_dialog_set_script       (ReinsNewRunDialog *self,
                                                    const char        *path);
void        _reins_new_run_dialog_set_workspace    (ReinsNewRunDialog *self,
                                                    const char        *path);
void        _reins_new_run_dialog_set_sim_accuracy (ReinsNewRunDialog *self,
                                                    double             accuracy);
void        _reins_new_run_dialog_set_seed         (ReinsNewRunDialog *self,
                                                    guint              seed);
void        _reins_new_run_dialog_set_tool         (ReinsNewRunDialog *self,
                                                    const char        *tool,
                                                    gboolean           enabled);
gboolean    _reins_new_run_dialog_set_project      (ReinsNewRunDialog *self,
                                                    const char        *project);
char       *_reins_new_run_dialog_dup_projects     (ReinsNewRunDialog *self);
void        _reins_new_run_dialog_set_mistakes     (ReinsNewRunDialog *self,
                                                    gboolean           mistakes);
void        _reins_new_run_dialog_set_max_steps    (ReinsNewRunDialog *self,
                                                    guint              max_steps);

G_END_DECLS
