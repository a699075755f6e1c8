/* reins-run-lineage.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a run comes from and where it went, as a line of links.
 */

#pragma once

#include "reins-domain.h"

G_BEGIN_DECLS

/* How one step of a fork differs from its parent's at the same index */
typedef struct
{
  guint     index;
  gboolean  action;             /* another action (or the parent has no such step) */
  gboolean  observation;        /* another observation */
  gboolean  no_parent_step;     /* the parent has no step at this index */
  char     *parent_action;      /* (nullable) the parent's action, as text */
  char     *parent_observation; /* (nullable) the start of the parent's observation */
} ReinsStepDifference;

ReinsStepDifference *reins_step_difference_copy (const ReinsStepDifference *difference);
void                 reins_step_difference_free (ReinsStepDifference       *difference);

/* Where a fork's steps differ from its parent's at the same index. */
typedef struct
{
  guint       from_step;  /* the fork point */
  GArray     *steps;      /* (element-type guint) the fork's steps that differ, ascending */
  guint       n_actions;  /* how many of them took another action */
  GHashTable *by_step;    /* step index → ReinsStepDifference */
} ReinsForkDiff;

char          *reins_run_lineage_markup (ReinsRun            *run,
                                         GPtrArray           *forks,
                                         const ReinsForkDiff *diff,
                                         GStrv               *fork_ids);
ReinsForkDiff *reins_fork_diff_new      (GPtrArray           *fork_steps,
                                         GPtrArray           *parent_steps,
                                         guint                from_step);
void           reins_fork_diff_free     (ReinsForkDiff       *diff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsForkDiff, reins_fork_diff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsStepDifference, reins_step_difference_free)

G_END_DECLS
