/* reins-step-row.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One step of a run in the timeline: thought, action, observation, confidence, cost and the
 * harness verdicts on it. This file holds the object: its properties, binding to the list's
 * item, the template and its actions; reins-step-row-content.c fills the row from its step
 * (texts, usage, confidence, decisions, expanding and Tab stops) and
 * reins-step-row-feedback.c holds the feedback popover, the ratings and the marks. They
 * share the struct through reins-step-row-private.h.
 *
 * Rows are recycled by the list view, so everything is set from the step on each bind, and
 * every label gets a bounded excerpt: an observation may be megabytes long, and laying that
 * out would freeze the window. The full text opens on demand in a ReinsTextWindow.
 *
 * What the row shows besides its step (the run's threshold, whether the step is below it,
 * whether a loop verdict named it, whether it is under way, waits for a person or is still
 * being read) are properties of the row, bound to the same properties of the list's item
 * (reins_step_row_bind()); a change of one redraws only the part of the row it touches.
 */

#include "config.h"

#include "reins-step-row-private.h"

G_DEFINE_FINAL_TYPE (ReinsStepRow, reins_step_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STEP,
  PROP_THRESHOLD,
  PROP_BELOW_THRESHOLD,
  PROP_LOOP_STEP,
  PROP_LIVE,
  PROP_WAITING,
  PROP_LOADING,
  PROP_FEEDBACK,
  PROP_DIFFERENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A compact row (reins_step_row_set_compact()) sets nothing of a change now: all of it is
 * set when the row is made full. */
static gboolean
reins_step_row_defer (ReinsStepRow *self)
{
  if (self->compact)
    self->stale = TRUE;
  return self->compact;
}

static void
reins_step_row_drop_bindings (ReinsStepRow *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

static void
reins_step_row_dispose (GObject *object)
{
  ReinsStepRow *self = (ReinsStepRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_STEP_ROW);
  /* Children the template does not name are ours to unparent too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  reins_step_row_drop_bindings (self);
  g_clear_object (&self->step);
  g_clear_pointer (&self->observation_text, g_free);

  G_OBJECT_CLASS (reins_step_row_parent_class)->dispose (object);
}

static void
reins_step_row_finalize (GObject *object)
{
  ReinsStepRow *self = (ReinsStepRow *)object;

  g_string_free (self->reasons, TRUE);
  g_ptr_array_unref (self->bindings);

  G_OBJECT_CLASS (reins_step_row_parent_class)->finalize (object);
}

static void reins_step_row_set_flag (ReinsStepRow *self,
                                     guint         prop_id,
                                     gboolean      value);

static void
reins_step_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsStepRow *self = REINS_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_object (value, self->step);
      break;

    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;

    case PROP_BELOW_THRESHOLD:
      g_value_set_boolean (value, self->below_threshold);
      break;

    case PROP_LOOP_STEP:
      g_value_set_boolean (value, self->in_loop);
      break;

    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;

    case PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_FEEDBACK:
      g_value_set_pointer (value, (gpointer) self->feedback);
      break;

    case PROP_DIFFERENCE:
      g_value_set_pointer (value, (gpointer) self->difference);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_step_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReinsStepRow *self = REINS_STEP_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      reins_step_row_set_step (self, g_value_get_object (value));
      break;

    case PROP_THRESHOLD:
      reins_step_row_set_threshold (self, g_value_get_double (value));
      break;

    case PROP_LOADING:
      reins_step_row_set_loading (self, g_value_get_boolean (value));
      break;

    case PROP_FEEDBACK:
      self->feedback = g_value_get_pointer (value);
      if (!reins_step_row_defer (self))
        reins_step_row_set_marks (self, self->feedback, self->difference);
      break;

    case PROP_DIFFERENCE:
      self->difference = g_value_get_pointer (value);
      if (!reins_step_row_defer (self))
        reins_step_row_set_marks (self, self->feedback, self->difference);
      break;

    case PROP_BELOW_THRESHOLD:
    case PROP_LOOP_STEP:
    case PROP_LIVE:
    case PROP_WAITING:
      reins_step_row_set_flag (self, prop_id, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Focus given to the row (the list does so when Tab enters it) goes to its first stop. */
static gboolean
reins_step_row_grab_focus (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_grab_focus (child))
      return TRUE;
  return FALSE;
}

static void
reins_step_row_class_init (ReinsStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_step_row_dispose;
  object_class->finalize = reins_step_row_finalize;
  object_class->get_property = reins_step_row_get_property;
  object_class->set_property = reins_step_row_set_property;
  widget_class->grab_focus = reins_step_row_grab_focus;
  g_type_ensure (REINS_TYPE_STEP_MARKS);

  properties[PROP_STEP] =
    g_param_spec_object ("step", NULL, NULL,
                         REINS_TYPE_STEP,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The run's confidence threshold: the figure shows as many digits as tell it apart. */
  properties[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL,
                         0.0, 1.0, 0.7,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step's confidence is below the threshold: the meter and figure say so. */
  properties[PROP_BELOW_THRESHOLD] =
    g_param_spec_boolean ("below-threshold", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A loop verdict named the step: the row is tinted. */
  properties[PROP_LOOP_STEP] =
    g_param_spec_boolean ("loop-step", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is under way (not stored yet): a spinner, and "Thinking…". */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A person's answer on the step is awaited, not the model. */
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The step is a placeholder still being read from the store. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepFeedback) (nullable): the person's stored rating of the step; borrowed
   * from the item, which keeps it while it is bound. */
  properties[PROP_FEEDBACK] =
    g_param_spec_pointer ("feedback", NULL, NULL,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /* (type ReinsStepDifference) (nullable): in a fork, how the step differs from the
   * parent's; borrowed like feedback. */
  properties[PROP_DIFFERENCE] =
    g_param_spec_pointer ("difference", NULL, NULL,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, index_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, critic_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, confidence_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, thought_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, action_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, action_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_title);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, observation_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, show_all_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, usage_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, live_spinner);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, confidence_bar);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, expand_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, exchange_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, feedback_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, marks);
  gtk_widget_class_bind_template_child (widget_class, ReinsStepRow, decision_box);
  gtk_widget_class_bind_template_callback_full (widget_class, "expand_toggled_cb",
                                                G_CALLBACK (reins_step_row_expand_toggled_cb));

  gtk_widget_class_install_action (widget_class, "step.show-observation", NULL,
                                   reins_step_row_show_observation);
  gtk_widget_class_install_action (widget_class, "step.show-exchange", NULL,
                                   reins_step_row_show_exchange);
  gtk_widget_class_install_action (widget_class, "step.rate", "i", reins_step_row_rate);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
reins_step_row_init (ReinsStepRow *self)
{
  self->reasons = g_string_new (NULL);
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  self->threshold = 0.7;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->feedback_button, reins_step_row_create_feedback,
                                         self, NULL);
  /* Blocks take the name of the first offset at or above the value; the colour comes from
   * the threshold instead (style.css). */
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->confidence_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "step.show-observation", FALSE);

  /* Actions and observations are data wrapped at any character: a hyphen added at a break
   * would read as part of the data. */
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
    gtk_label_set_attributes (self->action_label, attrs);
    gtk_label_set_attributes (self->observation_label, attrs);
    pango_attr_list_unref (attrs);
  }
}

GtkWidget *
reins_step_row_new (void)
{
  return g_object_new (REINS_TYPE_STEP_ROW, NULL);
}

ReinsStep *
reins_step_row_get_step (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return self->step;
}

void
reins_step_row_set_step (ReinsStepRow *self,
                         ReinsStep    *step)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));
  g_return_if_fail (!step || REINS_IS_STEP (step));

  if (g_set_object (&self->step, step))
    {
      /* A recycled row does not carry a comment to another step */
      if (self->feedback_entry != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->feedback_entry), "");
      if (self->compact)
        reins_step_row_update_compact (self);
      else
        reins_step_row_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
}

void
reins_step_row_set_threshold (ReinsStepRow *self,
                              double        threshold)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  if (!reins_step_row_defer (self) && self->step != NULL)
    reins_step_row_apply_confidence (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD]);
}

/* One of the row's marks (below-threshold, loop-step, live, waiting): only the part of the
 * row it touches is set again. */
static void
reins_step_row_set_flag (ReinsStepRow *self,
                         guint         prop_id,
                         gboolean      value)
{
  gboolean *flag;

  switch (prop_id)
    {
    case PROP_BELOW_THRESHOLD:
      flag = &self->below_threshold;
      break;

    case PROP_LOOP_STEP:
      flag = &self->in_loop;
      break;

    case PROP_LIVE:
      flag = &self->live;
      break;

    case PROP_WAITING:
      flag = &self->waiting;
      break;

    default:
      g_return_if_reached ();
    }
  if (*flag == !!value)
    return;
  *flag = !!value;

  if (!reins_step_row_defer (self) && self->step != NULL)
    {
      if (prop_id == PROP_BELOW_THRESHOLD)
        reins_step_row_apply_confidence (self);
      else
        reins_step_row_apply_marks (self);
      if (prop_id == PROP_LIVE || prop_id == PROP_WAITING)
        reins_step_row_apply_usage (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Whether the row shows a placeholder for a step still being read from the store. */
void
reins_step_row_set_loading (ReinsStepRow *self,
                            gboolean      loading)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  if (!reins_step_row_defer (self) && self->step != NULL)
    {
      reins_step_row_apply_confidence (self);
      reins_step_row_apply_usage (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * reins_step_row_bind:
 * @item: an item with the row's properties (a ReinsStepSlot): "step", "threshold",
 *   "below-threshold", "loop-step", "live", "waiting", "loading", "feedback" and
 *   "difference"
 *
 * Shows @item's step and follows its properties until reins_step_row_unbind().
 */
void
reins_step_row_bind (ReinsStepRow *self,
                     gpointer      item)
{
  /* The marks first, the step last: the row is built once, with them. */
  static const char * const names[] = {
    "threshold", "below-threshold", "loop-step", "live", "waiting", "loading", "feedback",
    "difference", "step",
  };

  g_return_if_fail (REINS_IS_STEP_ROW (self));
  g_return_if_fail (G_IS_OBJECT (item));

  reins_step_row_unbind (self);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (self->bindings,
                     g_object_ref (g_object_bind_property (item, names[i], self, names[i],
                                                           G_BINDING_SYNC_CREATE)));
}

/* A compact row shows the number of its step and nothing else: the header's first child,
 * the step's number, stays; every other part is hidden, and shown again as it was. */
static void
reins_step_row_show_parts (ReinsStepRow *self,
                           gboolean      all)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self));
  GtkWidget *parts[2] = { gtk_widget_get_next_sibling (header),
                          gtk_widget_get_next_sibling (GTK_WIDGET (self->index_label)) };
  guint bit = 0;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    for (GtkWidget *c = parts[i]; c != NULL; c = gtk_widget_get_next_sibling (c), bit++)
      {
        g_assert (bit < 32);
        if (!all && gtk_widget_get_visible (c))
          {
            self->hidden_parts |= 1u << bit;
            gtk_widget_set_visible (c, FALSE);
          }
        else if (all && (self->hidden_parts & (1u << bit)))
          gtk_widget_set_visible (c, TRUE);
      }
  if (all)
    self->hidden_parts = 0;
}

/**
 * reins_step_row_set_compact:
 * @compact: whether the row shows only its step's number
 *
 * A timeline that follows a run faster than it can lay rows out binds them compact: a
 * compact row is about a fifth of the work, and nobody reads a row that scrolls by in a frame.
 * Made full again, the row is set from its step and marks as a bind would.
 */
void
reins_step_row_set_compact (ReinsStepRow *self,
                            gboolean      compact)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  if (self->compact == !!compact)
    return;
  self->compact = !!compact;
  reins_step_row_show_parts (self, !self->compact);
  /* A line, not a card: a card's rounded outline and shadow are most of what drawing a
   * compact row costs, and a screen holds five times as many of them. */
  if (self->compact)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
      reins_step_row_update_compact (self);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
  if (self->stale)
    {
      self->stale = FALSE;
      reins_step_row_set_marks (self, self->feedback, self->difference);
      reins_step_row_update (self);
    }
}

gboolean
reins_step_row_get_compact (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return self->compact;
}

/* Lets go of the item bound, and of its step (a recycled row holds none). */
void
reins_step_row_unbind (ReinsStepRow *self)
{
  g_return_if_fail (REINS_IS_STEP_ROW (self));

  reins_step_row_drop_bindings (self);
  /* The item's records may go with it: none is read until the next bind sets them again. */
  self->feedback = NULL;
  self->difference = NULL;
  reins_step_row_set_step (self, NULL);
}

gboolean
_reins_step_row_get_in_loop (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return self->in_loop;
}

const char *
_reins_step_row_get_observation_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return self->observation_text;
}

gboolean
_reins_step_row_get_truncated (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return self->truncated;
}

/* The critic's line, or NULL when it is hidden. */
const char *
_reins_step_row_get_critic_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->critic_label)))
    return NULL;
  return gtk_label_get_label (self->critic_label);
}

guint
_reins_step_row_get_n_verdicts (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), 0);

  return self->n_verdicts;
}

/* The decision bands shown, in order. */
GtkWidget *
_reins_step_row_get_decision_box (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return GTK_WIDGET (self->decision_box);
}

const char *
_reins_step_row_get_usage_text (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), NULL);

  return gtk_label_get_label (self->usage_label);
}

gboolean
_reins_step_row_get_meter_shown (ReinsStepRow *self)
{
  g_return_val_if_fail (REINS_IS_STEP_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->confidence_bar));
}
