/* reins-elicitation-dialog.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An MCP server asks the person for input in the middle of a call (`elicitation/create`,
 * form mode). The form is built from the requested schema: a text row for strings and
 * numbers, a switch for booleans, a drop-down for enums, each filled with its default.
 * “Submit” is only enabled while every value fits and every required one is given. Submit
 * accepts, “Decline” declines, “Cancel” cancels; closing the dialog decides nothing, like
 * the approval dialog: the question stays pending.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-elicitation-dialog.h"
#include "reins-mcp-elicit.h"

struct _ReinsElicitationDialog
{
  AdwMessageDialog  parent_instance;

  ReinsApproval    *approval;
  JsonObject       *schema;      /* (nullable) */
  GHashTable       *rows;        /* property name → its row widget */
  GtkLabel         *error_label;
  gboolean          valid;
};

G_DEFINE_FINAL_TYPE (ReinsElicitationDialog, reins_elicitation_dialog, ADW_TYPE_MESSAGE_DIALOG)

static JsonObject *
get_properties (ReinsElicitationDialog *self)
{
  return self->schema != NULL ? json_object_get_object_member (self->schema, "properties")
                              : NULL;
}

/* The form's content, or NULL with why not. */
static JsonObject *
build_content (ReinsElicitationDialog  *self,
               GError                 **error)
{
  JsonObject *properties = get_properties (self);
  g_autoptr(JsonObject) content = json_object_new ();
  g_autoptr(GList) names = properties != NULL ? json_object_get_members (properties) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *property = json_object_get_object_member (properties, l->data);
      GtkWidget *row = g_hash_table_lookup (self->rows, l->data);
      gboolean required = reins_mcp_elicit_is_required (self->schema, l->data);

      switch (reins_mcp_elicit_property_type (property))
        {
        case REINS_ELICIT_BOOLEAN:
          json_object_set_boolean_member (content, l->data,
                                          gtk_switch_get_active (g_object_get_data (G_OBJECT (row),
                                                                                    "switch")));
          break;

        case REINS_ELICIT_ENUM:
          {
            GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (row)));
            guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
            gboolean blank = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "blank"));

            if (selected == GTK_INVALID_LIST_POSITION || (blank && selected == 0))
              {
                if (required)
                  goto missing;
                break;
              }
            json_object_set_string_member (content, l->data,
                                           gtk_string_list_get_string (list, selected));
            break;
          }

        case REINS_ELICIT_STRING:
        case REINS_ELICIT_NUMBER:
        case REINS_ELICIT_INTEGER:
        default:
          {
            const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
            JsonNode *value;

            if (*text == '\0' && reins_mcp_elicit_property_type (property) != REINS_ELICIT_STRING)
              {
                if (required)
                  goto missing;
                break;
              }
            if (*text == '\0' && required)
              goto missing;
            value = reins_mcp_elicit_parse_value (property, text, error);
            if (value == NULL)
              {
                g_prefix_error (error, "%s: ", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
                return NULL;
              }
            json_object_set_member (content, l->data, value);
            break;
          }
        }
      continue;

    missing:
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE, _("%s is required."),
                   adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      return NULL;
    }
  return g_steal_pointer (&content);
}

static void
validate (ReinsElicitationDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) content = build_content (self, &error);

  self->valid = content != NULL;
  gtk_label_set_label (self->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (self), "accept"))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "accept", self->valid);
}

static void
changed_cb (ReinsElicitationDialog *self)
{
  validate (self);
}

static GtkWidget *
make_row (ReinsElicitationDialog *self,
          const char             *name,
          JsonObject             *property)
{
  const char *title = json_object_get_string_member_with_default (property, "title", name);
  const char *description = json_object_get_string_member_with_default (property, "description",
                                                                        NULL);
  JsonNode *fallback = json_object_get_member (property, "default");
  g_autofree char *shown = reins_mcp_elicit_is_required (self->schema, name)
                             ? g_strdup_printf ("%s *", title) : g_strdup (title);
  GtkWidget *row;

  switch (reins_mcp_elicit_property_type (property))
    {
    case REINS_ELICIT_BOOLEAN:
      {
        GtkWidget *toggle = gtk_switch_new ();

        row = adw_action_row_new ();
        gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
        if (fallback != NULL && JSON_NODE_HOLDS_VALUE (fallback) &&
            json_node_get_value_type (fallback) == G_TYPE_BOOLEAN)
          gtk_switch_set_active (GTK_SWITCH (toggle), json_node_get_boolean (fallback));
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
        g_object_set_data (G_OBJECT (row), "switch", toggle);
        if (description != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
        break;
      }

    case REINS_ELICIT_ENUM:
      {
        g_auto(GStrv) values = reins_mcp_elicit_enum_values (property);
        g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
        gboolean blank = fallback == NULL || !JSON_NODE_HOLDS_VALUE (fallback) ||
                         json_node_get_value_type (fallback) != G_TYPE_STRING;
        guint selected = 0;

        row = adw_combo_row_new ();
        /* Without a default the choice starts empty, so nothing is chosen by accident. */
        if (blank)
          gtk_string_list_append (list, "—");
        for (guint i = 0; values[i] != NULL; i++)
          {
            gtk_string_list_append (list, values[i]);
            if (!blank && g_strcmp0 (values[i], json_node_get_string (fallback)) == 0)
              selected = i;
          }
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
        g_object_set_data (G_OBJECT (row), "blank", GINT_TO_POINTER (blank));
        if (description != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
        g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (changed_cb), self);
        break;
      }

    case REINS_ELICIT_STRING:
    case REINS_ELICIT_NUMBER:
    case REINS_ELICIT_INTEGER:
    default:
      row = adw_entry_row_new ();
      if (fallback != NULL && JSON_NODE_HOLDS_VALUE (fallback))
        {
          g_autofree char *text = json_node_get_value_type (fallback) == G_TYPE_STRING
                                    ? g_strdup (json_node_get_string (fallback))
                                    : json_to_string (fallback, FALSE);

          gtk_editable_set_text (GTK_EDITABLE (row), text);
        }
      if (description != NULL)
        gtk_widget_set_tooltip_text (row, description);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static void
response_cb (ReinsElicitationDialog *self,
             const char             *response)
{
  if (reins_approval_is_resolved (self->approval))
    return;

  if (g_strcmp0 (response, "accept") == 0)
    {
      g_autoptr(JsonObject) content = build_content (self, NULL);
      g_autofree char *text = NULL;

      if (content == NULL)
        return;
      text = reins_mcp_elicit_accept_text (content);
      reins_approval_answer (self->approval, text);
    }
  else if (g_strcmp0 (response, "decline") == 0)
    reins_approval_reject (self->approval, NULL);
  else if (g_strcmp0 (response, "cancel") == 0)
    reins_approval_reject (self->approval, "cancel");
  /* "close": nothing is decided. */
}

static void
reins_elicitation_dialog_dispose (GObject *object)
{
  ReinsElicitationDialog *self = REINS_ELICITATION_DIALOG (object);

  g_clear_object (&self->approval);
  g_clear_pointer (&self->schema, json_object_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (reins_elicitation_dialog_parent_class)->dispose (object);
}

static void
reins_elicitation_dialog_class_init (ReinsElicitationDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = reins_elicitation_dialog_dispose;
}

static void
reins_elicitation_dialog_init (ReinsElicitationDialog *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * reins_elicitation_dialog_new:
 * @approval: a question with guard "elicitation", whose action holds the server's request
 */
GtkWidget *
reins_elicitation_dialog_new (GtkWindow     *parent,
                              ReinsApproval *approval)
{
  ReinsElicitationDialog *self;
  ReinsApprovalRecord *record;
  ReinsAction *action;
  JsonObject *request;
  JsonNode *schema;
  GtkWidget *box, *list;
  JsonObject *properties;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (REINS_IS_APPROVAL (approval), NULL);

  record = reins_approval_get_record (approval);
  action = reins_approval_record_get_action (record);
  request = action != NULL ? reins_action_get_arguments (action) : NULL;
  schema = request != NULL ? json_object_get_member (request, "requestedSchema") : NULL;

  self = g_object_new (REINS_TYPE_ELICITATION_DIALOG,
                       "transient-for", parent,
                       "modal", FALSE,
                       "heading", _("An MCP Server Asks"),
                       "body", reins_approval_record_get_reason (record),
                       NULL);
  self->approval = g_object_ref (approval);
  if (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema) &&
      reins_mcp_elicit_check_schema (json_node_get_object (schema), NULL))
    self->schema = json_object_ref (json_node_get_object (schema));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  properties = get_properties (self);
  names = properties != NULL ? json_object_get_members (properties) : NULL;
  for (GList *l = names; l != NULL; l = l->next)
    {
      GtkWidget *row = make_row (self, l->data, json_object_get_object_member (properties,
                                                                              l->data));

      g_hash_table_insert (self->rows, g_strdup (l->data), row);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (names != NULL)
    gtk_box_append (GTK_BOX (box), list);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "decline", _("_Decline"),
                                    "accept", _("_Submit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "accept",
                                              ADW_RESPONSE_SUGGESTED);
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
  /* A schema Reins cannot fill can only be declined. */
  if (self->schema == NULL)
    {
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "accept", FALSE);
      gtk_label_set_label (self->error_label, _("This form cannot be filled in here."));
    }
  else
    validate (self);
  return GTK_WIDGET (self);
}

ReinsApproval *
reins_elicitation_dialog_get_approval (ReinsElicitationDialog *self)
{
  g_return_val_if_fail (REINS_IS_ELICITATION_DIALOG (self), NULL);
  return self->approval;
}

void
_reins_elicitation_dialog_set_text (ReinsElicitationDialog *self,
                                    const char             *property,
                                    const char             *text)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, property);

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
_reins_elicitation_dialog_set_active (ReinsElicitationDialog *self,
                                      const char             *property,
                                      gboolean                active)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, property);

  g_return_if_fail (row != NULL);
  gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "switch"), active);
}

gboolean
_reins_elicitation_dialog_get_valid (ReinsElicitationDialog *self)
{
  return self->valid;
}
