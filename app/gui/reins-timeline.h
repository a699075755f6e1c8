/* reins-timeline.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's steps, one row each, following the newest while the run goes on.
 */

#pragma once

#include <gtk/gtk.h>

#include "reins-domain.h"
#include "reins-step-model.h"

#include "reins-run-lineage.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* Where the timeline keeps its view. */
typedef enum
{
  REINS_TIMELINE_FOLLOWING,   /* the newest step stays in view as steps arrive */
  REINS_TIMELINE_BROWSING,    /* the person scrolled away, or a step was shown */
  REINS_TIMELINE_DRAGGING,    /* the person holds the scrollbar; the release decides */
} ReinsTimelineFollow;

#define REINS_TYPE_TIMELINE (reins_timeline_get_type ())

G_DECLARE_FINAL_TYPE (ReinsTimeline, reins_timeline, REINS, TIMELINE, GtkWidget)

gboolean            reins_timeline_set_filter       (ReinsTimeline  *self,
                                                     const char     *filter);
const char         *reins_timeline_get_filter       (ReinsTimeline  *self);
GListModel         *reins_timeline_get_shown_steps  (ReinsTimeline  *self);
guint               reins_timeline_step_beside      (ReinsTimeline  *self,
                                                     guint           index,
                                                     gboolean        forward);

void                reins_timeline_set_model        (ReinsTimeline  *self,
                                                     GListModel     *model);
GtkListView        *reins_timeline_get_list_view    (ReinsTimeline  *self);
void                reins_timeline_set_live         (ReinsTimeline  *self,
                                                     gboolean        live);
ReinsTimelineFollow reins_timeline_get_follow       (ReinsTimeline  *self);
gboolean            reins_timeline_get_settled      (ReinsTimeline  *self);
void                reins_timeline_follow           (ReinsTimeline  *self);
void                reins_timeline_keep_newest      (ReinsTimeline  *self);
void                reins_timeline_show_step        (ReinsTimeline  *self,
                                                     guint           index);
guint               reins_timeline_get_shown_step   (ReinsTimeline  *self);

/* What rows show besides their step. */
void                reins_timeline_set_threshold    (ReinsTimeline  *self,
                                                     double          threshold);
void                reins_timeline_clear_loop_steps (ReinsTimeline  *self);
void                reins_timeline_set_marks        (ReinsTimeline       *self,
                                                     GPtrArray           *feedback,
                                                     const ReinsForkDiff *diff);
void                reins_timeline_set_step_feedback (ReinsTimeline *self,
                                                      guint          step,
                                                      int            rating,
                                                      const char    *comment);
void                reins_timeline_add_loop_steps   (ReinsTimeline  *self,
                                                     const guint    *steps,
                                                     guint           n_steps);
void                reins_timeline_set_live_step    (ReinsTimeline  *self,
                                                     ReinsStep      *step);
void                reins_timeline_set_waiting_step (ReinsTimeline  *self,
                                                     guint           index);
void                reins_timeline_set_lazy_model   (ReinsTimeline  *self,
                                                     ReinsStepModel *model);

G_END_DECLS
