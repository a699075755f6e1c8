/* reins-run-inspector-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the inspector's parts share: reins-run-inspector.c (the object, the chart's numbers
 * and the run's lineage), reins-run-inspector-replay.c (playing the stored steps back) and
 * reins-run-inspector-what-if.c (judging them again under other settings).
 */

#pragma once

#include <adwaita.h>

#include "reins-run-inspector.h"
#include "reins-run-lineage.h"
#include "reins-what-if-popover.h"

G_BEGIN_DECLS

struct _ReinsRunInspector
{
  GtkWidget        parent_instance;

  ReinsStore      *store;
  ReinsRun        *run;
  GCancellable    *cancellable;
  GArray          *loop_steps;
  ReinsForkDiff   *fork_diff;  /* (nullable) */
  GPtrArray       *feedback;   /* (nullable) */
  guint            current_step;
  gboolean         replaying;
  guint            position;
  guint            play_source;
  double           speed;

  ReinsChart      *chart;
  GtkToggleButton *replay_button;
  GtkButton       *play_button;
  GtkDropDown     *speed_dropdown;
  GtkScale        *scrubber;
  GtkAdjustment   *adjustment;
  GtkLabel        *position_label;
  GtkMenuButton   *whatif_button;
  GtkButton       *fork_button;
  GtkLabel        *whatif_label;
  GtkLabel        *lineage_label;
  GtkLabel        *legend_label;
  GStrv            fork_ids;

  /* What-if */
  GCancellable       *what_if_cancellable;
  GArray             *what_if;
  ReinsWhatIfPopover *what_if_popover;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_REPLAYING,
  PROP_POSITION,
  PROP_PLAYING,
  PROP_WHAT_IF_RUNNING,
  N_PROPS
};

void  reins_run_inspector_notify            (ReinsRunInspector *self,
                                             guint              prop_id);
void  reins_run_inspector_step_activated    (ReinsRunInspector *self,
                                             guint              step);

/* reins-run-inspector-replay.c */
void  reins_run_inspector_replay_class_init (GtkWidgetClass    *widget_class);
guint reins_run_inspector_n_steps           (ReinsRunInspector *self);
void  reins_run_inspector_update_controls   (ReinsRunInspector *self);

/* reins-run-inspector-what-if.c */
void  reins_run_inspector_what_if_init      (ReinsRunInspector *self);
void  reins_run_inspector_clear_what_if     (ReinsRunInspector *self);

G_END_DECLS
