/* reins-step-row-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the step row's parts share: reins-step-row.c (the object, its properties and
 * bindings, the template), reins-step-row-content.c (what the row shows of its step) and
 * reins-step-row-feedback.c (the feedback popover, ratings and marks); and what the tests
 * read of a row.
 */

#pragma once

#include "reins-step-marks.h"
#include "reins-step-row.h"

G_BEGIN_DECLS

struct _ReinsStepRow
{
  GtkWidget  parent_instance;

  ReinsStep *step;
  char      *observation_text;
  gboolean   truncated;
  guint      n_verdicts;
  double     threshold;
  gboolean   below_threshold;
  gboolean   in_loop;
  gboolean   live;
  gboolean   waiting;
  gboolean   loading;
  gboolean   expanded;
  gboolean   compact;    /* only the step's number shows (reins_step_row_set_compact()) */
  gboolean   stale;      /* compact, and the rest not set from the step and marks yet */
  guint32    hidden_parts;   /* the parts a compact row hid, one bit each */
  GString   *reasons;
  /* Borrowed from the item bound (its slots hold them), NULL when unbound */
  const ReinsStepFeedback   *feedback;
  const ReinsStepDifference *difference;

  GtkLabel  *index_label;
  GtkBox    *verdict_box;
  GtkLabel  *confidence_label;
  GtkLabel  *thought_label;
  GtkWidget *action_box;
  GtkLabel  *action_label;
  GtkWidget *observation_box;
  GtkLabel  *observation_title;
  GtkLabel  *observation_label;
  GtkWidget *show_all_button;
  GtkLabel  *usage_label;
  GtkWidget *live_spinner;
  GtkLevelBar *confidence_bar;
  GtkLabel  *reasons_label;
  GtkLabel  *critic_label;
  GtkToggleButton *expand_button;
  GtkWidget       *exchange_button;
  GtkMenuButton   *feedback_button;
  GtkPopover      *feedback_popover;   /* built when first opened, or NULL */
  GtkEntry        *feedback_entry;
  GtkBox    *decision_box;
  ReinsStepMarks  *marks;

  GPtrArray *bindings;   /* (element-type GBinding) to the item bound, held, or empty */
};

/* reins-step-row-content.c */
void        reins_step_row_update            (ReinsStepRow    *self);
void        reins_step_row_update_compact    (ReinsStepRow    *self);
void        reins_step_row_apply_marks       (ReinsStepRow    *self);
void        reins_step_row_apply_confidence  (ReinsStepRow    *self);
void        reins_step_row_apply_usage       (ReinsStepRow    *self);
void        reins_step_row_expand_toggled_cb (ReinsStepRow    *self,
                                              GtkToggleButton *button);
void        reins_step_row_show_observation  (GtkWidget       *widget,
                                              const char      *action_name,
                                              GVariant        *param);
void        reins_step_row_show_exchange     (GtkWidget       *widget,
                                              const char      *action_name,
                                              GVariant        *param);

/* reins-step-row-feedback.c */
const char *reins_step_row_feedback_label    (const ReinsStepFeedback *feedback);
void        reins_step_row_create_feedback   (GtkMenuButton   *button,
                                              gpointer         user_data);
void        reins_step_row_rate              (GtkWidget       *widget,
                                              const char      *action_name,
                                              GVariant        *param);

/* What the tests read (reins-step-row.c) */
const char *_reins_step_row_get_observation_text (ReinsStepRow *self);
gboolean    _reins_step_row_get_truncated        (ReinsStepRow *self);
guint       _reins_step_row_get_n_verdicts       (ReinsStepRow *self);
const char *_reins_step_row_get_critic_text      (ReinsStepRow *self);
gboolean    _reins_step_row_get_in_loop          (ReinsStepRow *self);
GtkWidget  *_reins_step_row_get_decision_box     (ReinsStepRow *self);
const char *_reins_step_row_get_usage_text       (ReinsStepRow *self);
gboolean    _reins_step_row_get_meter_shown      (ReinsStepRow *self);

G_END_DECLS
