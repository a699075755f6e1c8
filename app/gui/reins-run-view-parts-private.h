/* reins-run-view-parts-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the run view share: reins-run-view.c (what the header, inspector and
 * timeline show) and reins-run-view-steps.c (reading the steps the timeline lists).
 */

#pragma once

#include <adwaita.h>

#include "reins-live-steps.h"
#include "reins-run-header.h"
#include "reins-run-inspector.h"
#include "reins-run-view.h"
#include "reins-step-model.h"
#include "reins-timeline.h"

G_BEGIN_DECLS

struct _ReinsRunView
{
  GtkWidget            parent_instance;

  ReinsStore          *store;
  ReinsRun            *run;
  ReinsExecutor       *executor;
  GCancellable        *cancellable;   /* the read of a live run's stored steps */
  GCancellable        *note_cancellable;   /* the read of the run's note */

  /* The list shows one of two models — the live steps of a run the window executes, or a
   * ReinsStepModel (a stored run, read lazily) — flattened into a model that stays the same
   * object, sliced for a replay. */
  ReinsLiveSteps      *live_steps;
  ReinsStepModel      *step_model;
  GListStore          *models;
  GtkFlattenListModel *flat;
  GtkSliceListModel   *slice;

  ReinsRunHeader      *header;
  ReinsRunInspector   *inspector;
  GtkStack            *stack;
  ReinsTimeline       *timeline;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
};

/* reins-run-view-steps.c */
void reins_run_view_note_loops       (ReinsRunView *self,
                                      ReinsStep    *step);
void reins_run_view_clear_step_model (ReinsRunView *self);
void reins_run_view_load_steps       (ReinsRunView *self);

G_END_DECLS
