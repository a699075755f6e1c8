/* reins-step-slot.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsStepSlot, the timeline's item: a position in the list, the step there now, and what a
 * row shows besides the step (the run's confidence threshold, whether the step is below it,
 * named by a loop verdict, under way, asked about, still being read, its rating and a fork's
 * difference). Each is a property notified only when its value changes; the slots
 * (reins-step-slots.c) make the slots and set their state (reins-step-slot-private.h).
 */

#include "config.h"

#include "reins-step-slot-private.h"

struct _ReinsStepSlot
{
  GObject    parent_instance;

  ReinsStep *step;
  guint      position;
  double     threshold;
  guint      below_threshold : 1;
  guint      loop_step : 1;
  guint      live : 1;
  guint      waiting : 1;
  guint      loading : 1;
  /* Borrowed from the tables the slots were given (reins_step_slots_set_marks()) */
  const ReinsStepFeedback   *feedback;
  const ReinsStepDifference *difference;
};

G_DEFINE_FINAL_TYPE (ReinsStepSlot, reins_step_slot, G_TYPE_OBJECT)

enum {
  SLOT_PROP_0,
  SLOT_PROP_STEP,
  SLOT_PROP_THRESHOLD,
  SLOT_PROP_BELOW_THRESHOLD,
  SLOT_PROP_LOOP_STEP,
  SLOT_PROP_LIVE,
  SLOT_PROP_WAITING,
  SLOT_PROP_LOADING,
  SLOT_PROP_FEEDBACK,
  SLOT_PROP_DIFFERENCE,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

static void
reins_step_slot_finalize (GObject *object)
{
  ReinsStepSlot *self = REINS_STEP_SLOT (object);

  g_clear_object (&self->step);

  G_OBJECT_CLASS (reins_step_slot_parent_class)->finalize (object);
}

static void
reins_step_slot_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ReinsStepSlot *self = REINS_STEP_SLOT (object);

  switch (prop_id)
    {
    case SLOT_PROP_STEP:
      g_value_set_object (value, self->step);
      break;

    case SLOT_PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;

    case SLOT_PROP_BELOW_THRESHOLD:
      g_value_set_boolean (value, self->below_threshold);
      break;

    case SLOT_PROP_LOOP_STEP:
      g_value_set_boolean (value, self->loop_step);
      break;

    case SLOT_PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    case SLOT_PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;

    case SLOT_PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case SLOT_PROP_FEEDBACK:
      g_value_set_pointer (value, (gpointer) self->feedback);
      break;

    case SLOT_PROP_DIFFERENCE:
      g_value_set_pointer (value, (gpointer) self->difference);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_step_slot_class_init (ReinsStepSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_step_slot_finalize;
  object_class->get_property = reins_step_slot_get_property;

  /* The step at the slot's position now. */
  slot_properties[SLOT_PROP_STEP] =
    g_param_spec_object ("step", NULL, NULL,
                         REINS_TYPE_STEP,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The run's confidence threshold. */
  slot_properties[SLOT_PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL,
                         0.0, 1.0, 0.7,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step has a confidence below the threshold: it needed a person. */
  slot_properties[SLOT_PROP_BELOW_THRESHOLD] =
    g_param_spec_boolean ("below-threshold", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A loop verdict named the step. */
  slot_properties[SLOT_PROP_LOOP_STEP] =
    g_param_spec_boolean ("loop-step", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is under way, not stored yet. */
  slot_properties[SLOT_PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A person's answer on the step is awaited. */
  slot_properties[SLOT_PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is a placeholder of a stored run's step not read yet. */
  slot_properties[SLOT_PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepFeedback) (nullable): the person's stored rating of the step. */
  slot_properties[SLOT_PROP_FEEDBACK] =
    g_param_spec_pointer ("feedback", NULL, NULL,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepDifference) (nullable): in a fork, how the step differs from the
   * parent's. */
  slot_properties[SLOT_PROP_DIFFERENCE] =
    g_param_spec_pointer ("difference", NULL, NULL,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
reins_step_slot_init (ReinsStepSlot *self)
{
  self->threshold = 0.7;
}

static void
reins_step_slot_set_flag (ReinsStepSlot *self,
                          guint          prop_id,
                          gboolean       value)
{
  gboolean old;

  switch (prop_id)
    {
    case SLOT_PROP_BELOW_THRESHOLD:
      old = self->below_threshold;
      self->below_threshold = !!value;
      break;

    case SLOT_PROP_LOOP_STEP:
      old = self->loop_step;
      self->loop_step = !!value;
      break;

    case SLOT_PROP_LIVE:
      old = self->live;
      self->live = !!value;
      break;

    case SLOT_PROP_WAITING:
      old = self->waiting;
      self->waiting = !!value;
      break;

    case SLOT_PROP_LOADING:
      old = self->loading;
      self->loading = !!value;
      break;

    default:
      g_assert_not_reached ();
    }
  if (old != !!value)
    g_object_notify_by_pspec (G_OBJECT (self), slot_properties[prop_id]);
}

static void
reins_step_slot_set_pointer (ReinsStepSlot *self,
                             guint          prop_id,
                             gconstpointer  value)
{
  gconstpointer *field = prop_id == SLOT_PROP_FEEDBACK ? (gconstpointer *) &self->feedback
                                                       : (gconstpointer *) &self->difference;

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), slot_properties[prop_id]);
}

ReinsStep *
reins_step_slot_get_step (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), NULL);

  return self->step;
}

/* The slot's position in the list, from 0. */
guint
reins_step_slot_get_position (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), 0);

  return self->position;
}

double
reins_step_slot_get_threshold (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), 0.7);

  return self->threshold;
}

gboolean
reins_step_slot_get_below_threshold (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), FALSE);

  return self->below_threshold;
}

gboolean
reins_step_slot_get_loop_step (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), FALSE);

  return self->loop_step;
}

gboolean
reins_step_slot_get_live (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), FALSE);

  return self->live;
}

gboolean
reins_step_slot_get_waiting (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), FALSE);

  return self->waiting;
}

gboolean
reins_step_slot_get_loading (ReinsStepSlot *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOT (self), FALSE);

  return self->loading;
}

/* A slot at @position showing @step (transfer full). */
ReinsStepSlot *
reins_step_slot_new (guint      position,
                     ReinsStep *step)
{
  ReinsStepSlot *self = g_object_new (REINS_TYPE_STEP_SLOT, NULL);

  self->step = step;
  self->position = position;
  return self;
}

/* The step at the slot's position changed; notified if it did. */
void
reins_step_slot_set_step (ReinsStepSlot *self,
                          ReinsStep     *step)
{
  g_return_if_fail (REINS_IS_STEP_SLOT (self));

  if (g_set_object (&self->step, step))
    g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_STEP]);
}

/* The slot takes @state; only the properties that change are notified. */
void
reins_step_slot_set_state (ReinsStepSlot            *self,
                           const ReinsStepSlotState *state)
{
  g_return_if_fail (REINS_IS_STEP_SLOT (self));
  g_return_if_fail (state != NULL);

  if (self->threshold != state->threshold)
    {
      self->threshold = state->threshold;
      g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_THRESHOLD]);
    }
  reins_step_slot_set_flag (self, SLOT_PROP_BELOW_THRESHOLD, state->below_threshold);
  reins_step_slot_set_flag (self, SLOT_PROP_LOOP_STEP, state->loop_step);
  reins_step_slot_set_flag (self, SLOT_PROP_LIVE, state->live);
  reins_step_slot_set_flag (self, SLOT_PROP_WAITING, state->waiting);
  reins_step_slot_set_flag (self, SLOT_PROP_LOADING, state->loading);
  reins_step_slot_set_pointer (self, SLOT_PROP_FEEDBACK, state->feedback);
  reins_step_slot_set_pointer (self, SLOT_PROP_DIFFERENCE, state->difference);
}
