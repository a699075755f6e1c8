/* reins-run-settings.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's settings as typed values, with every default in one place (docs/run.md lists the
 * keys). The settings themselves stay a JSON object in the run and the store; this is how
 * they are read.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The defaults of a new run; also what a setting that is missing or of the wrong type reads as. */
#define REINS_RUN_SETTINGS_DEFAULT_MODE                 "tools"
#define REINS_RUN_SETTINGS_DEFAULT_MAX_STEPS            20
#define REINS_RUN_SETTINGS_DEFAULT_BUDGET_USD           1.0
#define REINS_RUN_SETTINGS_DEFAULT_CONFIDENCE_THRESHOLD 0.7
#define REINS_RUN_SETTINGS_DEFAULT_LOOP_THRESHOLD       0.92
#define REINS_RUN_SETTINGS_DEFAULT_GOAL_EVERY           3
#define REINS_RUN_SETTINGS_DEFAULT_TOOL_TIMEOUT_S       30
#define REINS_RUN_SETTINGS_DEFAULT_PROVIDER_TIMEOUT_S   300
#define REINS_RUN_SETTINGS_DEFAULT_MCP_MAX_TOOLS        128
#define REINS_RUN_SETTINGS_DEFAULT_SIM_ACCURACY         0.88

#define REINS_TYPE_RUN_SETTINGS (reins_run_settings_get_type ())

typedef struct _ReinsRunSettings ReinsRunSettings;

GType             reins_run_settings_get_type                 (void) G_GNUC_CONST;
ReinsRunSettings *reins_run_settings_new                      (void);
ReinsRunSettings *reins_run_settings_new_from_json            (JsonObject             *settings);
ReinsRunSettings *reins_run_settings_copy                     (const ReinsRunSettings *self);
void              reins_run_settings_free                     (ReinsRunSettings       *self);

const char       *reins_run_settings_get_mode                 (const ReinsRunSettings *self);
guint             reins_run_settings_get_max_steps            (const ReinsRunSettings *self);
double            reins_run_settings_get_budget_usd           (const ReinsRunSettings *self);
double            reins_run_settings_get_confidence_threshold (const ReinsRunSettings *self);
double            reins_run_settings_get_loop_threshold       (const ReinsRunSettings *self);
guint             reins_run_settings_get_goal_every           (const ReinsRunSettings *self);
guint             reins_run_settings_get_tool_timeout_s       (const ReinsRunSettings *self);
guint             reins_run_settings_get_provider_timeout_s   (const ReinsRunSettings *self);
guint             reins_run_settings_get_mcp_max_tools        (const ReinsRunSettings *self);
double            reins_run_settings_get_sim_accuracy         (const ReinsRunSettings *self);
gboolean          reins_run_settings_get_stream               (const ReinsRunSettings *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsRunSettings, reins_run_settings_free)

G_END_DECLS
