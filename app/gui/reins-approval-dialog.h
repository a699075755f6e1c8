/* reins-approval-dialog.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The question the harness (or the agent) puts to the person at the screen.
 */

#pragma once

#include <adwaita.h>

#include "reins-approval.h"

G_BEGIN_DECLS

#define REINS_TYPE_APPROVAL_DIALOG (reins_approval_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ReinsApprovalDialog, reins_approval_dialog, REINS, APPROVAL_DIALOG,
                      AdwMessageDialog)

/* Every built-in tool, for the action editor's validation and the new-run dialog. */
#define REINS_ALL_TOOLS \
  "list_dir,read_file,search_files,write_file,http_get,shell,calculator,ask_human,kb_lookup"

GtkWidget     *reins_approval_dialog_new          (GtkWindow           *parent,
                                                   ReinsApproval       *approval);
ReinsApproval *reins_approval_dialog_get_approval (ReinsApprovalDialog *self);
void           reins_approval_dialog_set_remote   (ReinsApprovalDialog *self);
gboolean       reins_approval_dialog_can_approve  (ReinsApprovalRecord *record,
                                                   gboolean             is_question);
void           reins_approval_dialog_set_step     (ReinsApprovalDialog *self,
                                                   ReinsStep           *step,
                                                   ReinsStep           *previous,
                                                   double               threshold);

/* For the tests. */
void           _reins_approval_dialog_set_action  (ReinsApprovalDialog *self,
                                                   const char          *tool,
                                                   const char          *arguments);
void           _reins_approval_dialog_set_text    (ReinsApprovalDialog *self,
                                                   const char          *text);
gboolean       _reins_approval_dialog_get_edit_valid (ReinsApprovalDialog *self);
gboolean       _reins_approval_dialog_get_choices_shown (ReinsApprovalDialog *self);
void           _reins_approval_dialog_set_always_allow (ReinsApprovalDialog *self,
                                                        gboolean             always);
gboolean       _reins_approval_dialog_get_approve_enabled (ReinsApprovalDialog *self);
gboolean       _reins_approval_dialog_get_always_shown (ReinsApprovalDialog *self);
const char    *_reins_approval_dialog_get_facts   (ReinsApprovalDialog *self);
const char    *_reins_approval_dialog_get_thought (ReinsApprovalDialog *self);
const char    *_reins_approval_dialog_get_previous_observation (ReinsApprovalDialog *self);

G_END_DECLS
