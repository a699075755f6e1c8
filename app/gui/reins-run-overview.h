/* reins-run-overview.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the inspector's chart and lineage need of a run, read together on the store's worker:
 * its step points, the steps loop verdicts name, and the runs forked from it.
 */

#pragma once

#include "reins-run-lineage.h"
#include "reins-store-async.h"

G_BEGIN_DECLS

typedef struct
{
  GArray    *points;    /* (element-type ReinsStepPoint) */
  GArray    *loops;     /* the steps loop verdicts name */
  GPtrArray *forks;     /* (element-type ReinsRun) runs forked from this one */
  ReinsForkDiff *fork_diff; /* (nullable) a fork's differences from its parent */
  GPtrArray *feedback;  /* (nullable) (element-type ReinsStepFeedback) ratings of its steps */
} ReinsRunOverview;

void              reins_run_overview_free        (ReinsRunOverview    *overview);
void              reins_run_overview_read_async  (ReinsStore          *store,
                                                  const char          *run_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
ReinsRunOverview *reins_run_overview_read_finish (GAsyncResult        *result,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsRunOverview, reins_run_overview_free)

G_END_DECLS
