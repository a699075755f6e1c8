/* reins-timeline-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the timeline share: reins-timeline.c (following, rows, the steps marked)
 * and reins-timeline-filter.c (the filter, and positions of steps in a filtered list).
 */

#pragma once

#include "reins-step-model.h"
#include "reins-step-slots.h"
#include "reins-timeline.h"

G_BEGIN_DECLS

struct _ReinsTimeline
{
  GtkWidget           parent_instance;

  GListModel         *steps;        /* every step the timeline is given */
  GtkFilterListModel *filtered;     /* those the filter lets through */
  GtkCustomFilter    *custom;
  char               *filter;
  ReinsStepSlots     *slots;
  /* Rows built ahead, while the window is idle, for the list to take (see spare_row_cb) */
  GPtrArray          *spare_rows;
  guint               spare_id;
  guint               trim_id;      /* the pool trimmed back to what an idle window keeps */
  guint               reveal_id;
  gulong              painted_id;   /* the frame that showed more steps, until drawn */
  gint64              frame_start;  /* its start, in the main thread's time */
  guint               n_revealed;   /* how many steps it showed more */
  guint               n_expanded;   /* how many compact rows it made full */
  guint               expand_chunk; /* how many it may make full */
  gboolean            revealing_compact;  /* a backlog's chunk is being shown: rows compact */
  gint64              binds_frame;  /* the frame the rows bound in full were counted in */
  guint               n_full_binds;
  GtkSingleSelection *selection;
  ReinsTimelineFollow follow;
  gboolean            live;
  guint               shown_step;

  double              threshold;    /* the filter's; the slots have it too */
  GHashTable         *feedback;     /* step number → ReinsStepFeedback, shared with the slots */
  GHashTable         *differences;  /* step number → ReinsStepDifference, in a fork; shared too */

  GtkScrolledWindow  *scroller;
  GtkListView        *step_list;
  GtkWidget          *jump_button;
  GtkDropDown        *filter_dropdown;
  GtkLabel           *filter_count_label;
  GtkWidget          *no_match_page;
};

/* reins-timeline-rows.c */
void     reins_timeline_init_rows           (ReinsTimeline *self);
void     reins_timeline_dispose_rows        (ReinsTimeline *self);
void     reins_timeline_reset_pace          (ReinsTimeline *self);
void     reins_timeline_schedule            (ReinsTimeline *self);
guint    reins_timeline_expand_rows         (ReinsTimeline *self,
                                             guint          max,
                                             gboolean      *more);

/* reins-timeline-filter.c */
void     reins_timeline_init_filter         (ReinsTimeline *self);
gboolean reins_timeline_is_unfiltered       (ReinsTimeline *self);
guint    reins_timeline_position_of         (ReinsTimeline *self,
                                             guint          index);
guint    reins_timeline_index_at            (ReinsTimeline *self,
                                             guint          position);
void     reins_timeline_update_filter_state (ReinsTimeline *self);

G_END_DECLS
