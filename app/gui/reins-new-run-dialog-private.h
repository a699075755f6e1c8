/* reins-new-run-dialog-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What New Run's parts share: reins-new-run-dialog.c (the dialog, the provider, workspace
 * and project), reins-new-run-dialog-tools.c (the tool and MCP server rows) and
 * reins-new-run-dialog-build.c (the run the choices make).
 */

#pragma once

#include <adwaita.h>

#include "reins-new-run-dialog.h"

G_BEGIN_DECLS

struct _ReinsNewRunDialog
{
  AdwWindow             parent_instance;

  GSettings            *settings;
  GPtrArray            *tool_switches;   /* GtkSwitch, tool name as "tool" data */
  GPtrArray            *mcp_rows;
  GtkFileChooserNative *chooser;
  char                 *workspace;
  double                sim_accuracy;    /* < 0: from the switch */
  guint                 demo_seed;

  AdwToastOverlay      *toast_overlay;
  GtkTextView          *task_view;
  GtkWidget            *demo_group;
  GtkSwitch            *mistakes_switch;
  AdwComboRow          *provider_row;
  AdwEntryRow          *model_row;
  AdwEntryRow          *base_url_row;
  AdwEntryRow          *script_row;
  AdwComboRow          *mode_row;
  GtkSpinButton        *max_steps_spin;
  GtkSpinButton        *budget_spin;
  GtkSpinButton        *threshold_spin;
  AdwPreferencesGroup  *tools_group;
  AdwPreferencesGroup  *mcp_group;
  AdwEntryRow          *mcp_row;
  AdwActionRow         *workspace_row;
  AdwComboRow          *project_row;
};

/* reins-new-run-dialog-tools.c */
void   reins_new_run_dialog_tools_class_init (GtkWidgetClass    *widget_class);
void   reins_new_run_dialog_add_tools        (ReinsNewRunDialog *self);
char  *reins_new_run_dialog_dup_tools        (ReinsNewRunDialog *self);
GStrv  reins_new_run_dialog_dup_mcp          (ReinsNewRunDialog *self);

G_END_DECLS
