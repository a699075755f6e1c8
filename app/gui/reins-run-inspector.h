/* reins-run-inspector.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Above a run's timeline: its chart, and the controls to replay, re-evaluate and fork it.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-chart.h"
#include "reins-store.h"

#include "reins-run-lineage.h"

G_BEGIN_DECLS

#define REINS_TYPE_RUN_INSPECTOR (reins_run_inspector_get_type ())

G_DECLARE_FINAL_TYPE (ReinsRunInspector, reins_run_inspector, REINS, RUN_INSPECTOR, GtkWidget)

GtkWidget  *reins_run_inspector_new               (void);
void        reins_run_inspector_set_store         (ReinsRunInspector *self,
                                                   ReinsStore        *store);
void        reins_run_inspector_set_run           (ReinsRunInspector *self,
                                                   ReinsRun          *run);
ReinsRun   *reins_run_inspector_get_run           (ReinsRunInspector *self);
gboolean    reins_run_inspector_get_loading       (ReinsRunInspector *self);
ReinsChart *reins_run_inspector_get_chart         (ReinsRunInspector *self);
void        reins_run_inspector_set_compact       (ReinsRunInspector *self,
                                                   gboolean           compact);
gboolean    reins_run_inspector_get_compact       (ReinsRunInspector *self);
void        reins_run_inspector_set_current_step  (ReinsRunInspector *self,
                                                   guint              step);
guint       reins_run_inspector_get_current_step  (ReinsRunInspector *self);
GArray     *reins_run_inspector_get_loop_steps    (ReinsRunInspector *self);
const char * const *reins_run_inspector_get_fork_ids (ReinsRunInspector *self);
const ReinsForkDiff *reins_run_inspector_get_fork_diff (ReinsRunInspector *self);
GPtrArray  *reins_run_inspector_get_feedback      (ReinsRunInspector *self);

/* Replay: 0 is off (the whole run shows); 1 … n shows steps 1 … position. */
void        reins_run_inspector_set_replaying     (ReinsRunInspector *self,
                                                   gboolean           replaying);
gboolean    reins_run_inspector_get_replaying     (ReinsRunInspector *self);
guint       reins_run_inspector_get_position      (ReinsRunInspector *self);
void        reins_run_inspector_set_position      (ReinsRunInspector *self,
                                                   guint              position);
void        reins_run_inspector_play              (ReinsRunInspector *self);
void        reins_run_inspector_pause             (ReinsRunInspector *self);
gboolean    reins_run_inspector_get_playing       (ReinsRunInspector *self);
void        reins_run_inspector_set_speed         (ReinsRunInspector *self,
                                                   double             steps_per_second);

/* What-if: the stored steps judged again under other harness settings. */
void        reins_run_inspector_what_if           (ReinsRunInspector *self,
                                                   JsonObject        *overrides);
gboolean    reins_run_inspector_get_what_if_running (ReinsRunInspector *self);
GArray     *reins_run_inspector_get_what_if       (ReinsRunInspector *self);

G_END_DECLS
