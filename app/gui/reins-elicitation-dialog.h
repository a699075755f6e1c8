/* reins-elicitation-dialog.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An MCP server's question (`elicitation/create`) as a form built from its requested schema.
 */

#pragma once

#include <adwaita.h>

#include "reins-approval.h"

G_BEGIN_DECLS

#define REINS_TYPE_ELICITATION_DIALOG (reins_elicitation_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ReinsElicitationDialog, reins_elicitation_dialog, REINS,
                      ELICITATION_DIALOG, AdwMessageDialog)

GtkWidget     *reins_elicitation_dialog_new          (GtkWindow              *parent,
                                                      ReinsApproval          *approval);
ReinsApproval *reins_elicitation_dialog_get_approval (ReinsElicitationDialog *self);

/* For tests. */
void           _reins_elicitation_dialog_set_text    (ReinsElicitationDialog *self,
                                                      const char             *property,
                                                      const char             *text);
void           _reins_elicitation_dialog_set_active  (ReinsElicitationDialog *self,
                                                      const char             *property,
                                                      gboolean                active);
gboolean       _reins_elicitation_dialog_get_valid   (ReinsElicitationDialog *self);

G_END_DECLS
