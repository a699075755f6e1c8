/* reins-run-inspector-replay.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inspector's replay: the stored steps played back from the store only, the timeline
 * showing steps 1 … position; nothing calls the model or a tool. The controls (replay,
 * play/pause, speed, scrubber) and the "Step 3 of 12" label.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-run-inspector-private.h"

static const double speeds[] = { 1, 2, 5, 20, 100 };

guint
reins_run_inspector_n_steps (ReinsRunInspector *self)
{
  guint n = reins_chart_get_n_points (self->chart);

  if (n == 0 && self->run != NULL)
    n = reins_run_get_step_count (self->run);
  return n;
}

void
reins_run_inspector_update_controls (ReinsRunInspector *self)
{
  guint n_steps = reins_run_inspector_n_steps (self);
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), self->replaying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->speed_dropdown), self->replaying);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrubber), self->replaying);
  gtk_button_set_icon_name (self->play_button, self->play_source != 0
                                               ? "media-playback-pause-symbolic"
                                               : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               self->play_source != 0 ? _("Pause") : _("Play"));

  if (self->replaying)
    /* Translators: where a replay is, e.g. "Step 3 of 12" */
    text = g_strdup_printf (_("Step %u of %u"), self->position, n_steps);
  else
    text = g_strdup ("");
  gtk_label_set_label (self->position_label, text);
}

static void
replay_toggled_cb (ReinsRunInspector *self,
                   GtkToggleButton   *button)
{
  reins_run_inspector_set_replaying (self, gtk_toggle_button_get_active (button));
}

static void
play_clicked_cb (ReinsRunInspector *self,
                 GtkButton         *button)
{
  if (self->play_source != 0)
    reins_run_inspector_pause (self);
  else
    reins_run_inspector_play (self);
}

static void
speed_changed_cb (ReinsRunInspector *self,
                  GParamSpec        *pspec,
                  GtkDropDown       *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < G_N_ELEMENTS (speeds))
    reins_run_inspector_set_speed (self, speeds[selected]);
}

static void
scrubber_changed_cb (ReinsRunInspector *self,
                     GtkRange          *range)
{
  guint value = (guint) (gtk_adjustment_get_value (self->adjustment) + 0.5);

  if (self->replaying && value != self->position)
    reins_run_inspector_set_position (self, MAX (value, 1));
}

static gboolean
play_tick_cb (gpointer user_data)
{
  ReinsRunInspector *self = user_data;

  if (self->position >= reins_run_inspector_n_steps (self))
    {
      self->play_source = 0;
      reins_run_inspector_update_controls (self);
      reins_run_inspector_notify (self, PROP_PLAYING);
      return G_SOURCE_REMOVE;
    }
  reins_run_inspector_set_position (self, self->position + 1);
  return G_SOURCE_CONTINUE;
}

void
reins_run_inspector_set_replaying (ReinsRunInspector *self,
                                   gboolean           replaying)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  replaying = !!replaying;
  if (self->replaying == replaying)
    return;

  self->replaying = replaying;
  g_clear_handle_id (&self->play_source, g_source_remove);
  if (gtk_toggle_button_get_active (self->replay_button) != replaying)
    gtk_toggle_button_set_active (self->replay_button, replaying);

  reins_run_inspector_notify (self, PROP_REPLAYING);
  reins_run_inspector_set_position (self, replaying ? 1 : 0);
  reins_run_inspector_notify (self, PROP_PLAYING);
}

gboolean
reins_run_inspector_get_replaying (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), FALSE);

  return self->replaying;
}

guint
reins_run_inspector_get_position (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), 0);

  return self->position;
}

void
reins_run_inspector_set_position (ReinsRunInspector *self,
                                  guint              position)
{
  guint n_steps;

  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  n_steps = reins_run_inspector_n_steps (self);
  if (!self->replaying)
    position = 0;
  else
    position = CLAMP (position, MIN (1, n_steps), n_steps);

  if (self->position != position)
    {
      self->position = position;
      reins_run_inspector_notify (self, PROP_POSITION);
    }
  reins_chart_set_cursor (self->chart, position);
  if ((guint) (gtk_adjustment_get_value (self->adjustment) + 0.5) != position)
    gtk_adjustment_set_value (self->adjustment, position);
  reins_run_inspector_update_controls (self);
}

void
reins_run_inspector_play (ReinsRunInspector *self)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  if (!self->replaying)
    reins_run_inspector_set_replaying (self, TRUE);
  if (self->play_source != 0)
    return;
  /* At the end, play starts again from the first step. */
  if (self->position >= reins_run_inspector_n_steps (self))
    reins_run_inspector_set_position (self, 1);

  self->play_source = g_timeout_add ((guint) (1000 / self->speed), play_tick_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->play_source),
                            "[reins] replay");
  reins_run_inspector_update_controls (self);
  reins_run_inspector_notify (self, PROP_PLAYING);
}

void
reins_run_inspector_pause (ReinsRunInspector *self)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));

  if (self->play_source == 0)
    return;
  g_clear_handle_id (&self->play_source, g_source_remove);
  reins_run_inspector_update_controls (self);
  reins_run_inspector_notify (self, PROP_PLAYING);
}

gboolean
reins_run_inspector_get_playing (ReinsRunInspector *self)
{
  g_return_val_if_fail (REINS_IS_RUN_INSPECTOR (self), FALSE);

  return self->play_source != 0;
}

void
reins_run_inspector_set_speed (ReinsRunInspector *self,
                               double             steps_per_second)
{
  g_return_if_fail (REINS_IS_RUN_INSPECTOR (self));
  g_return_if_fail (steps_per_second > 0);

  self->speed = steps_per_second;
  if (self->play_source != 0)
    {
      reins_run_inspector_pause (self);
      reins_run_inspector_play (self);
    }
}

/* Binds the replay controls' callbacks to the inspector's template. */
void
reins_run_inspector_replay_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, replay_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, play_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, scrubber_changed_cb);
}
