/* reins-decision-row.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A decision is drawn as a band with an icon and a headline in the decision's colour
 * ("Approved by you", "Rejected by you: “…”", "Approved automatically (--approve=yes)"),
 * a caption with the time, the person's think time and the guard that asked, and for an
 * edit the action before (struck through) and after.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-decision-row.h"
#include "reins-format.h"

struct _ReinsDecisionRow
{
  GtkWidget  parent_instance;

  GtkLabel  *summary_label;
  GtkLabel  *details_label;
  GtkLabel  *reason_label;
  GtkLabel  *before_label;
  GtkLabel  *after_label;
};

G_DEFINE_FINAL_TYPE (ReinsDecisionRow, reins_decision_row, GTK_TYPE_WIDGET)

/* Lines of the guard's reason shown; the whole text is the tooltip. */
#define REASON_LINES 3

static const char *
decision_icon (ReinsApprovalRecord *record)
{
  if (reins_approval_record_is_automatic (record) &&
      reins_approval_record_get_decision (record) != REINS_DECISION_NONE)
    return "emblem-system-symbolic";

  switch (reins_approval_record_get_decision (record))
    {
    case REINS_DECISION_APPROVE:
      return g_strcmp0 (reins_approval_record_get_guard (record), "ask_human") == 0
               ? "mail-reply-sender-symbolic" : "emblem-ok-symbolic";
    case REINS_DECISION_EDIT:
      return "document-edit-symbolic";
    case REINS_DECISION_REJECT:
      return "action-unavailable-symbolic";
    case REINS_DECISION_STOP:
      return "media-playback-stop-symbolic";
    case REINS_DECISION_NONE:
    default:
      return "alarm-symbolic";
    }
}

static const char *
decision_style (ReinsDecision decision)
{
  switch (decision)
    {
    case REINS_DECISION_APPROVE:
      return "approved";
    case REINS_DECISION_EDIT:
      return "edited";
    case REINS_DECISION_REJECT:
      return "rejected";
    case REINS_DECISION_STOP:
      return "stopped";
    case REINS_DECISION_NONE:
    default:
      return "waiting";
    }
}

/* "14:03:22 · after 8 s · asked by Risky Tool (policy)" */
static char *
format_details (ReinsApprovalRecord *record)
{
  GString *details = g_string_new (NULL);
  gint64 requested = reins_approval_record_get_requested_at (record);
  gint64 resolved = reins_approval_record_get_resolved_at (record);
  const char *guard = reins_approval_record_get_guard (record);
  ReinsDecision decision = reins_approval_record_get_decision (record);

  if (decision != REINS_DECISION_NONE && resolved > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (resolved / G_USEC_PER_SEC);

      if (when != NULL)
        {
          g_autofree char *time = g_date_time_format (when, "%H:%M:%S");

          g_string_append (details, time);
        }
      /* The think time of a person; an option answers at once. */
      if (requested > 0 && resolved >= requested && !reins_approval_record_is_automatic (record))
        {
          g_autofree char *took = reins_format_duration ((resolved - requested) / 1000);

          if (details->len > 0)
            g_string_append (details, " · ");
          /* Translators: how long the person took to decide, e.g. "after 8 s" */
          g_string_append_printf (details, _("after %s"), took);
        }
    }
  else if (requested > 0)
    {
      g_autofree char *since = reins_format_relative_time (requested, g_get_real_time ());

      /* Translators: when the question was put, e.g. "asked 2 minutes ago" */
      g_string_append_printf (details, _("asked %s"), since);
    }

  if (details->len > 0)
    g_string_append (details, " · ");
  if (g_strcmp0 (guard, "ask_human") == 0)
    g_string_append (details, _("the agent asked"));
  else
    /* Translators: the guard that put the question, e.g. "asked by Risky Tool (policy)" */
    g_string_append_printf (details, _("asked by %s (%s)"), reins_format_guard_heading (guard),
                            guard);

  return g_string_free (details, FALSE);
}

static GtkLabel *
add_label (GtkWidget  *box,
           const char *first_class,
           const char *second_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (first_class != NULL)
    gtk_widget_add_css_class (label, first_class);
  if (second_class != NULL)
    gtk_widget_add_css_class (label, second_class);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

/* A "Before" or "After" line of an edit: a caption and the action in monospace. */
static GtkLabel *
add_action_line (GtkWidget  *box,
                 const char *caption,
                 const char *style)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (caption);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (title, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_width_chars (GTK_LABEL (title), 6);
  gtk_widget_set_valign (title, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, style);
  gtk_box_append (GTK_BOX (line), title);
  gtk_box_append (GTK_BOX (line), label);
  gtk_box_append (GTK_BOX (box), line);
  return GTK_LABEL (label);
}

static void
reins_decision_row_set_record (ReinsDecisionRow    *self,
                               ReinsApprovalRecord *record)
{
  ReinsDecision decision = reins_approval_record_get_decision (record);
  g_autofree char *summary = reins_approval_record_dup_summary (record);
  g_autofree char *details = format_details (record);
  g_autofree char *reason = reins_format_excerpt (reins_approval_record_get_reason (record),
                                                  1000, NULL);
  GtkWidget *icon = gtk_widget_get_first_child (GTK_WIDGET (self));

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), decision_icon (record));
  gtk_widget_add_css_class (GTK_WIDGET (self), decision_style (decision));
  if (reins_approval_record_is_automatic (record))
    gtk_widget_add_css_class (GTK_WIDGET (self), "automatic");

  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->details_label, details);
  gtk_label_set_label (self->reason_label, reason);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reason_label), reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason[0] != '\0');

  if (decision == REINS_DECISION_EDIT)
    {
      g_autofree char *before = reins_format_action (reins_approval_record_get_action (record));
      g_autofree char *after = reins_format_action (reins_approval_record_get_final_action (record));

      gtk_label_set_label (self->before_label, before);
      gtk_label_set_label (self->after_label, after);
    }
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->before_label)),
                          decision == REINS_DECISION_EDIT);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->after_label)),
                          decision == REINS_DECISION_EDIT);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

static void
reins_decision_row_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (reins_decision_row_parent_class)->dispose (object);
}

static void
reins_decision_row_class_init (ReinsDecisionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_decision_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "decision");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
reins_decision_row_init (ReinsDecisionRow *self)
{
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkBoxLayout *layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));

  gtk_box_layout_set_spacing (layout, 10);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "decision-icon");
  gtk_widget_set_parent (icon, GTK_WIDGET (self));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_parent (text, GTK_WIDGET (self));

  self->summary_label = add_label (text, "heading", "decision-summary");
  self->details_label = add_label (text, "caption", "dim-label");
  self->reason_label = add_label (text, "caption", "decision-reason");
  gtk_label_set_lines (self->reason_label, REASON_LINES);
  gtk_label_set_ellipsize (self->reason_label, PANGO_ELLIPSIZE_END);
  /* Translators: the action as the model proposed it, before the person edited it */
  self->before_label = add_action_line (text, C_("edit", "Before"), "decision-before");
  /* Translators: the action as the person edited it */
  self->after_label = add_action_line (text, C_("edit", "After"), "decision-after");
}

/**
 * reins_decision_row_new:
 * @record: the decision; the row reads it once
 */
GtkWidget *
reins_decision_row_new (ReinsApprovalRecord *record)
{
  ReinsDecisionRow *self;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), NULL);

  self = g_object_new (REINS_TYPE_DECISION_ROW, NULL);
  reins_decision_row_set_record (self, record);
  return GTK_WIDGET (self);
}

const char *
reins_decision_row_get_summary (ReinsDecisionRow *self)
{
  g_return_val_if_fail (REINS_IS_DECISION_ROW (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

const char *
reins_decision_row_get_details (ReinsDecisionRow *self)
{
  g_return_val_if_fail (REINS_IS_DECISION_ROW (self), NULL);
  return gtk_label_get_label (self->details_label);
}

/* The action before an edit, or %NULL when the decision was not an edit. */
const char *
reins_decision_row_get_before (ReinsDecisionRow *self)
{
  g_return_val_if_fail (REINS_IS_DECISION_ROW (self), NULL);
  if (!gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (self->before_label))))
    return NULL;
  return gtk_label_get_label (self->before_label);
}

const char *
reins_decision_row_get_after (ReinsDecisionRow *self)
{
  g_return_val_if_fail (REINS_IS_DECISION_ROW (self), NULL);
  if (!gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (self->after_label))))
    return NULL;
  return gtk_label_get_label (self->after_label);
}
