/* reins-remote-questions.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-run-manager.h"
#include "reins-store.h"

G_BEGIN_DECLS

#define REINS_TYPE_REMOTE_QUESTIONS (reins_remote_questions_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRemoteQuestions, reins_remote_questions, REINS, REMOTE_QUESTIONS,
                      GtkBox)

GtkWidget  *reins_remote_questions_new         (ReinsStore           *store,
                                                ReinsRunManager      *run_manager);
void        reins_remote_questions_refresh     (ReinsRemoteQuestions *self);
const char *reins_remote_questions_get_run_id  (ReinsRemoteQuestions *self);
const char *reins_remote_questions_get_message (ReinsRemoteQuestions *self);
void        reins_remote_questions_answer      (ReinsRemoteQuestions *self,
                                                ReinsDecision         decision);
void        reins_remote_questions_set_feedback (ReinsRemoteQuestions *self,
                                                 const char           *feedback);
gboolean    reins_remote_questions_review      (ReinsRemoteQuestions *self,
                                                const char           *run_id);
gboolean    reins_remote_questions_picked      (ReinsRemoteQuestions *self,
                                                const char           *run_id);
gboolean    reins_remote_questions_approve_run (ReinsRemoteQuestions *self,
                                                const char           *run_id);

/* For the tests. */
GtkWidget  *_reins_remote_questions_get_dialog (ReinsRemoteQuestions *self);

G_END_DECLS
