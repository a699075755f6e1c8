/* reins-approval-dialog.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The question the harness (or the agent) puts to the person at the screen.
 *
 * Closing the dialog decides nothing: the question stays pending and the run view offers to
 * reopen it. Enter is no shortcut for any answer, so nothing is approved by accident. The
 * edited action is checked as it is typed — JSON, a known tool, arguments that fit its
 * schema — and "Edit & Approve" is only enabled while it passes.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <string.h>

#include "reins-approval-dialog.h"
#include "reins-enter.h"
#include "reins-format.h"
#include "reins-json-util.h"
#include "reins-tool-registry.h"

struct _ReinsApprovalDialog
{
  AdwMessageDialog   parent_instance;

  ReinsApproval     *approval;
  ReinsToolRegistry *tools;
  gboolean           edit_valid;
  gboolean           proposed_valid;
  gboolean           remote;
  double             threshold;

  GtkLabel          *facts_label;
  GtkWidget         *editor_box;
  GtkEntry          *tool_entry;
  GtkTextView       *arguments_view;
  GtkLabel          *validity_label;
  GtkCheckButton    *always_check;
  GtkEntry          *text_entry;
  GtkWidget         *choices_box;
  GtkWidget         *context_box;
  GtkLabel          *thought_label;
  GtkWidget         *previous_box;
  GtkLabel          *previous_label;
};

G_DEFINE_FINAL_TYPE (ReinsApprovalDialog, reins_approval_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
dup_arguments_text (ReinsApprovalDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->arguments_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The action in the editor, or NULL with why not. */
static ReinsAction *
reins_approval_dialog_build_action (ReinsApprovalDialog  *self,
                                    GError              **error)
{
  g_autofree char *arguments = dup_arguments_text (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ReinsAction) action = NULL;
  const char *tool = gtk_editable_get_text (GTK_EDITABLE (self->tool_entry));

  if (tool[0] == '\0')
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE, _("Name a tool."));
      return NULL;
    }
  root = reins_json_from_string (arguments[0] != '\0' ? arguments : "{}", error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_USAGE,
                           _("The arguments must be a JSON object, like {\"path\": \"a.txt\"}."));
      return NULL;
    }

  action = reins_action_new (tool, json_node_get_object (root));
  /* Tools of MCP servers (NAME__TOOL) are not known here; the harness checks them. */
  if (strstr (tool, "__") == NULL && !reins_tool_registry_validate (self->tools, action, error))
    return NULL;
  return g_steal_pointer (&action);
}

static gboolean
same_action (ReinsAction *a,
             ReinsAction *b)
{
  g_autofree char *a_arguments = NULL;
  g_autofree char *b_arguments = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (g_strcmp0 (reins_action_get_name (a), reins_action_get_name (b)) != 0)
    return FALSE;
  a_arguments = reins_action_dup_arguments_json (a);
  b_arguments = reins_action_dup_arguments_json (b);
  return g_strcmp0 (a_arguments, b_arguments) == 0;
}

static void
reins_approval_dialog_validate (ReinsApprovalDialog *self)
{
  g_autoptr(ReinsAction) action = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *always = NULL;
  g_autofree char *escaped = NULL;
  g_auto(GStrv) tool_parts = NULL;
  const char *tool = gtk_editable_get_text (GTK_EDITABLE (self->tool_entry));
  gboolean known;

  action = reins_approval_dialog_build_action (self, &error);
  self->edit_valid = action != NULL;
  if (action != NULL)
    {
      gtk_label_set_label (self->validity_label, _("The action is valid."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->validity_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->validity_label), "dim-label");
    }
  else
    {
      gtk_label_set_label (self->validity_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->validity_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->validity_label), "dim-label");
    }
  /* The editor is filled before the responses exist. */
  if (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (self), "edit"))
    {
      const char *enter = NULL;

      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "edit", self->edit_valid);
      /* Enter (the focus starts in the editor) approves the action as proposed, or the
       * edited one once the editor holds another action that can run. */
      if (action != NULL && !same_action (action, reins_approval_record_get_action (
                                                    reins_approval_get_record (self->approval))))
        enter = "edit";
      else if (self->proposed_valid)
        enter = "approve";
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), enter);
    }

  /* "Always allow" only for a tool that exists (MCP tools are checked by the harness). */
  known = tool[0] != '\0' && !self->remote &&
          (strstr (tool, "__") != NULL || reins_tool_registry_lookup (self->tools, tool) != NULL);
  if (!known)
    gtk_check_button_set_active (self->always_check, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->always_check), known);

  /* Tool names have underscores, which the label would take for mnemonics. */
  escaped = tool[0] != '\0' ? g_strjoinv ("__", (tool_parts = g_strsplit (tool, "_", -1)))
                            : g_strdup ("…");
  /* Translators: a check box in the approval dialog; the placeholder is a tool name */
  always = g_strdup_printf (_("_Always allow %s for this run"), escaped);
  gtk_check_button_set_label (self->always_check, always);
}

static void
editor_changed_cb (ReinsApprovalDialog *self)
{
  reins_approval_dialog_validate (self);
}

static void
reins_approval_dialog_response (AdwMessageDialog *dialog,
                                const char       *response)
{
  ReinsApprovalDialog *self = REINS_APPROVAL_DIALOG (dialog);
  gboolean always = gtk_check_button_get_active (self->always_check);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));

  if (g_str_equal (response, "approve"))
    {
      /* Only an action that can run is approved as it is (the button is disabled else). */
      if (!self->proposed_valid)
        return;
      reins_approval_approve (self->approval, always);
    }
  else if (g_str_equal (response, "edit"))
    {
      g_autoptr(ReinsAction) action = reins_approval_dialog_build_action (self, NULL);

      if (action == NULL)
        return;
      reins_approval_edit (self->approval, action, always);
    }
  else if (g_str_equal (response, "reject"))
    reins_approval_reject (self->approval, text[0] != '\0' ? text : NULL);
  else if (g_str_equal (response, "answer"))
    reins_approval_answer (self->approval, text);
  else if (g_str_equal (response, "stop"))
    reins_approval_stop (self->approval);
  /* "later": closed without an answer; the question stays pending. */

  if (ADW_MESSAGE_DIALOG_CLASS (reins_approval_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (reins_approval_dialog_parent_class)->response (dialog, response);
}

/* The three ways out of low confidence the confidence guard offers; each is a rejection
 * with words the model reads. */
static void
reins_approval_dialog_choose (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  ReinsApprovalDialog *self = REINS_APPROVAL_DIALOG (widget);
  int choice = g_variant_get_int32 (param);

  g_return_if_fail (choice >= REINS_APPROVAL_CHOICE_SEARCH_MORE &&
                    choice <= REINS_APPROVAL_CHOICE_END_NOW);

  reins_approval_choose (self->approval, (ReinsApprovalChoice) choice);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
text_changed_cb (ReinsApprovalDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->text_entry));

  if (self->approval != NULL && reins_approval_is_question (self->approval) &&
      adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (self), "answer"))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "answer", text[0] != '\0');
}

/* Enter in the tool's name or in the answer: the default response (Approve, Edit & Approve
 * once the editor holds another action, Answer), as its button would, if it is enabled.
 * Enter in the feedback of a rejection does nothing: Reject is a button away. */
static void
entry_activate_cb (ReinsApprovalDialog *self,
                   GtkEntry            *entry)
{
  const char *response = adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (self));

  if (response == NULL || (entry == self->text_entry && !g_str_equal (response, "answer")))
    return;
  reins_window_activate_default (GTK_WINDOW (self));
}

static void
reins_approval_dialog_dispose (GObject *object)
{
  ReinsApprovalDialog *self = (ReinsApprovalDialog *)object;

  g_clear_object (&self->approval);
  g_clear_object (&self->tools);

  G_OBJECT_CLASS (reins_approval_dialog_parent_class)->dispose (object);
}

static void
reins_approval_dialog_class_init (ReinsApprovalDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = reins_approval_dialog_dispose;
  dialog_class->response = reins_approval_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-approval-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, facts_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, editor_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, tool_entry);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, arguments_view);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, validity_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, always_check);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, text_entry);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, choices_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, context_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, thought_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, previous_box);
  gtk_widget_class_bind_template_child (widget_class, ReinsApprovalDialog, previous_label);
  gtk_widget_class_bind_template_callback (widget_class, editor_changed_cb);

  gtk_widget_class_install_action (widget_class, "approval.choose", "i",
                                   reins_approval_dialog_choose);
}

static void
reins_approval_dialog_init (ReinsApprovalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->threshold = 0.7;
  self->tools = reins_tool_registry_new_builtin (REINS_ALL_TOOLS, NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->arguments_view), "changed",
                           G_CALLBACK (editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_entry, "changed", G_CALLBACK (text_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* "Step 4 · confidence 0.698 · guard confidence", the figure as the guard writes it. */
static void
reins_approval_dialog_update_facts (ReinsApprovalDialog *self)
{
  ReinsApprovalRecord *record = reins_approval_get_record (self->approval);
  const char *guard = reins_approval_is_question (self->approval)
                        ? "ask_human" : reins_approval_record_get_guard (record);
  double confidence = reins_approval_record_get_confidence (record);
  g_autofree char *facts = NULL;

  if (!isnan (confidence))
    {
      g_autofree char *figure = reins_format_confidence (confidence, self->threshold);

      /* Translators: facts of a harness question: step number, confidence, guard name */
      facts = g_strdup_printf (_("Step %u · confidence %s · guard %s"),
                               reins_approval_record_get_step (record), figure, guard);
    }
  else
    /* Translators: facts of a harness question: step number, guard name */
    facts = g_strdup_printf (_("Step %u · guard %s"), reins_approval_record_get_step (record),
                             guard);
  gtk_label_set_label (self->facts_label, facts);
}

static void
reins_approval_dialog_fill (ReinsApprovalDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  ReinsApprovalRecord *record = reins_approval_get_record (self->approval);
  ReinsAction *action = reins_approval_record_get_action (record);
  const char *guard = reins_approval_record_get_guard (record);
  gboolean question = reins_approval_is_question (self->approval);
  g_autofree char *reason = NULL;

  adw_message_dialog_set_heading (dialog, reins_format_guard_heading (question ? "ask_human"
                                                                               : guard));
  reason = reins_format_excerpt (reins_approval_record_get_reason (record), 1000, NULL);
  adw_message_dialog_set_body (dialog, reason);

  reins_approval_dialog_update_facts (self);

  if (question)
    {
      gtk_widget_set_visible (self->editor_box, FALSE);
      gtk_entry_set_placeholder_text (self->text_entry, _("Your answer"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your answer"), -1);
      adw_message_dialog_add_responses (dialog,
                                        "stop", _("_Stop Run"),
                                        "answer", _("_Answer"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "answer", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (dialog, "answer", FALSE);
      /* Enter in the answer field answers. */
      adw_message_dialog_set_default_response (dialog, "answer");
      return;
    }

  if (action != NULL)
    {
      g_autofree char *arguments = reins_action_dup_arguments_json (action);
      g_autoptr(JsonNode) node = reins_json_from_string (arguments ? arguments : "{}",
                                                           NULL);
      g_autofree char *pretty = node != NULL ? json_to_string (node, TRUE)
                                             : g_strdup (arguments ? arguments : "{}");

      gtk_editable_set_text (GTK_EDITABLE (self->tool_entry), reins_action_get_name (action));
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->arguments_view), pretty, -1);
    }

  adw_message_dialog_add_responses (dialog,
                                    "stop", _("_Stop Run"),
                                    "reject", _("_Reject"),
                                    "edit", _("_Edit & Approve"),
                                    "approve", _("_Approve"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "approve", ADW_RESPONSE_SUGGESTED);

  /* An unknown tool or missing arguments cannot run as proposed: edit, reject or stop. */
  self->proposed_valid = reins_approval_dialog_can_approve (record, FALSE);
  adw_message_dialog_set_response_enabled (dialog, "approve", self->proposed_valid);

  gtk_widget_set_visible (self->choices_box, g_strcmp0 (guard, "confidence") == 0);

  reins_approval_dialog_validate (self);
}

/**
 * reins_approval_dialog_can_approve:
 * @record: a question put to a person
 * @is_question: %TRUE for the agent's `ask_human`, which wants words
 *
 * Whether @record can be approved as it is, as the dialog's Approve button allows: an action
 * of a known tool with its required arguments (a tool of an MCP server, NAME__TOOL, is the
 * harness's to check). A notification offers Approve only then.
 */
gboolean
reins_approval_dialog_can_approve (ReinsApprovalRecord *record,
                                   gboolean             is_question)
{
  ReinsAction *action;
  g_autoptr(ReinsToolRegistry) tools = NULL;

  g_return_val_if_fail (REINS_IS_APPROVAL_RECORD (record), FALSE);

  action = reins_approval_record_get_action (record);
  if (is_question || action == NULL)
    return FALSE;
  if (strstr (reins_action_get_name (action), "__") != NULL)
    return TRUE;
  tools = reins_tool_registry_new_builtin (REINS_ALL_TOOLS, NULL);
  return reins_tool_registry_validate (tools, action, NULL);
}

/**
 * reins_approval_dialog_set_remote:
 *
 * The question is of a run of another process, answered through the store: "Always allow"
 * is not offered, since only the decision travels to the run.
 */
void
reins_approval_dialog_set_remote (ReinsApprovalDialog *self)
{
  g_return_if_fail (REINS_IS_APPROVAL_DIALOG (self));

  self->remote = TRUE;
  gtk_check_button_set_active (self->always_check, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->always_check), FALSE);
}

/**
 * reins_approval_dialog_new:
 * @parent: the window it is modal to
 * @approval: the pending question; the dialog answers it
 */
GtkWidget *
reins_approval_dialog_new (GtkWindow     *parent,
                           ReinsApproval *approval)
{
  ReinsApprovalDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (REINS_IS_APPROVAL (approval), NULL);

  self = g_object_new (REINS_TYPE_APPROVAL_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->approval = g_object_ref (approval);
  reins_approval_dialog_fill (self);
  return GTK_WIDGET (self);
}

/**
 * reins_approval_dialog_set_step:
 * @step: (nullable): the step in question, as stored when the question was put
 * @previous: (nullable): the step before it
 * @threshold: the run's confidence threshold
 *
 * What nobody can judge an action without: the model's thought, and the observation it
 * last saw. The heading names the gravest concern any guard had about the step (a made-up
 * answer is graver than low confidence).
 */
void
reins_approval_dialog_set_step (ReinsApprovalDialog *self,
                                ReinsStep           *step,
                                ReinsStep           *previous,
                                double               threshold)
{
  const char *thought = step != NULL ? reins_step_get_thought (step) : NULL;
  const char *observation = previous != NULL ? reins_step_get_observation (previous) : NULL;
  const char *gravest;

  g_return_if_fail (REINS_IS_APPROVAL_DIALOG (self));

  self->threshold = threshold;
  reins_approval_dialog_update_facts (self);

  if (thought != NULL && thought[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (thought, 1000, NULL);

      gtk_label_set_label (self->thought_label, excerpt);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->thought_label), thought != NULL && thought[0] != '\0');
  if (observation != NULL && observation[0] != '\0')
    {
      g_autofree char *excerpt = reins_format_excerpt (observation, 600, NULL);

      gtk_label_set_label (self->previous_label, g_strchomp (excerpt));
    }
  gtk_widget_set_visible (self->previous_box, observation != NULL && observation[0] != '\0');
  gtk_widget_set_visible (self->context_box,
                          gtk_widget_get_visible (GTK_WIDGET (self->thought_label)) ||
                          gtk_widget_get_visible (self->previous_box));

  if (step == NULL || reins_approval_is_question (self->approval))
    return;
  gravest = reins_approval_record_get_guard (reins_approval_get_record (self->approval));
  for (guint i = 0; i < reins_step_get_verdicts (step)->len; i++)
    {
      ReinsVerdict *verdict = g_ptr_array_index (reins_step_get_verdicts (step), i);

      if (reins_verdict_get_kind (verdict) != REINS_VERDICT_ALLOW)
        gravest = reins_format_graver_guard (gravest, reins_verdict_get_guard (verdict));
    }
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), reins_format_guard_heading (gravest));
}

ReinsApproval *
reins_approval_dialog_get_approval (ReinsApprovalDialog *self)
{
  g_return_val_if_fail (REINS_IS_APPROVAL_DIALOG (self), NULL);

  return self->approval;
}

void
_reins_approval_dialog_set_action (ReinsApprovalDialog *self,
                                   const char          *tool,
                                   const char          *arguments)
{
  gtk_editable_set_text (GTK_EDITABLE (self->tool_entry), tool);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->arguments_view), arguments, -1);
}

void
_reins_approval_dialog_set_text (ReinsApprovalDialog *self,
                                 const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (self->text_entry), text);
}

gboolean
_reins_approval_dialog_get_edit_valid (ReinsApprovalDialog *self)
{
  return self->edit_valid &&
         adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "edit");
}

void
_reins_approval_dialog_set_always_allow (ReinsApprovalDialog *self,
                                         gboolean             always)
{
  gtk_check_button_set_active (self->always_check, always);
}

gboolean
_reins_approval_dialog_get_approve_enabled (ReinsApprovalDialog *self)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "approve");
}

gboolean
_reins_approval_dialog_get_always_shown (ReinsApprovalDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->always_check));
}

const char *
_reins_approval_dialog_get_facts (ReinsApprovalDialog *self)
{
  return gtk_label_get_label (self->facts_label);
}

const char *
_reins_approval_dialog_get_thought (ReinsApprovalDialog *self)
{
  return gtk_widget_get_visible (self->context_box) &&
         gtk_widget_get_visible (GTK_WIDGET (self->thought_label))
           ? gtk_label_get_label (self->thought_label) : NULL;
}

const char *
_reins_approval_dialog_get_previous_observation (ReinsApprovalDialog *self)
{
  return gtk_widget_get_visible (self->context_box) && gtk_widget_get_visible (self->previous_box)
           ? gtk_label_get_label (self->previous_label) : NULL;
}

gboolean
_reins_approval_dialog_get_choices_shown (ReinsApprovalDialog *self)
{
  return gtk_widget_get_visible (self->choices_box);
}
