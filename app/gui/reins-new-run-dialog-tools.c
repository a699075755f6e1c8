/* reins-new-run-dialog-tools.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * New Run's tools and MCP servers: a row per built-in tool with its risk and a switch, the
 * MCP servers written as NAME=COMMAND and listed with a remove button, and both read back
 * for the run's options.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-approval-dialog.h"
#include "reins-new-run-dialog-private.h"
#include "reins-tool-registry.h"

static const char *
risk_label (ReinsRisk risk)
{
  switch (risk)
    {
    case REINS_RISK_WRITE:
      /* Translators: the risk of a tool */
      return _("writes");
    case REINS_RISK_NETWORK:
      /* Translators: the risk of a tool */
      return _("network");
    case REINS_RISK_EXEC:
      /* Translators: the risk of a tool */
      return _("runs commands");
    case REINS_RISK_READ:
    default:
      /* Translators: the risk of a tool */
      return _("reads");
    }
}

static const char *
risk_style (ReinsRisk risk)
{
  switch (risk)
    {
    case REINS_RISK_WRITE:
    case REINS_RISK_NETWORK:
      return "warning";
    case REINS_RISK_EXEC:
      return "error";
    case REINS_RISK_READ:
    default:
      return "success";
    }
}

static void
remove_mcp_cb (GtkButton         *button,
               ReinsNewRunDialog *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);

  g_ptr_array_remove (self->mcp_rows, row);
  adw_preferences_group_remove (self->mcp_group, row);
}

static void
mcp_apply_cb (ReinsNewRunDialog *self)
{
  g_autofree char *spec = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->mcp_row))));
  const char *eq = strchr (spec, '=');
  GtkWidget *row;
  GtkWidget *button;

  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      reins_new_run_dialog_show_error (self, _("Write a server as NAME=COMMAND, e.g. files=mcp-files ."));
      return;
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), spec);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove"), -1);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_mcp_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "spec", g_strdup (spec), g_free);
  adw_preferences_group_add (self->mcp_group, row);
  g_ptr_array_add (self->mcp_rows, row);
  gtk_editable_set_text (GTK_EDITABLE (self->mcp_row), "");
}

/* A row per built-in tool, with its risk and a switch; the defaults on. */
void
reins_new_run_dialog_add_tools (ReinsNewRunDialog *self)
{
  g_autoptr(ReinsToolRegistry) registry = reins_tool_registry_new_builtin (REINS_ALL_TOOLS, NULL);
  g_autoptr(GPtrArray) tools = reins_tool_registry_list (registry);
  g_auto(GStrv) defaults = g_strsplit (REINS_DEFAULT_TOOLS, ",", -1);

  for (guint i = 0; tools != NULL && i < tools->len; i++)
    {
      ReinsTool *tool = g_ptr_array_index (tools, i);
      const char *name = reins_tool_get_name (tool);
      GtkWidget *row, *toggle, *badge;

      /* `finish` is always on. */
      if (g_str_equal (name, "finish"))
        continue;

      row = adw_action_row_new ();
      /* Descriptions are plain text with <placeholders>, not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reins_tool_get_description (tool));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

      badge = gtk_label_new (risk_label (reins_tool_get_risk (tool)));
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "verdict-badge");
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, risk_style (reins_tool_get_risk (tool)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);

      toggle = gtk_switch_new ();
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), g_strv_contains ((const char * const *) defaults,
                                                                   name));
      g_object_set_data_full (G_OBJECT (toggle), "tool", g_strdup (name), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (self->tools_group, row);
      g_ptr_array_add (self->tool_switches, toggle);
    }
}

void
_reins_new_run_dialog_set_tool (ReinsNewRunDialog *self,
                                const char        *tool,
                                gboolean           enabled)
{
  for (guint i = 0; i < self->tool_switches->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (self->tool_switches, i);

      if (g_str_equal (g_object_get_data (G_OBJECT (toggle), "tool"), tool))
        gtk_switch_set_active (toggle, enabled);
    }
}

/* The tools switched on, "a,b"; empty when none is. */
char *
reins_new_run_dialog_dup_tools (ReinsNewRunDialog *self)
{
  GString *tools = g_string_new (NULL);

  for (guint i = 0; i < self->tool_switches->len; i++)
    {
      GtkSwitch *toggle = g_ptr_array_index (self->tool_switches, i);

      if (gtk_switch_get_active (toggle))
        g_string_append_printf (tools, "%s%s", tools->len > 0 ? "," : "",
                                (const char *) g_object_get_data (G_OBJECT (toggle), "tool"));
    }
  return g_string_free (tools, FALSE);
}

/* The MCP servers listed, as NAME=COMMAND. */
GStrv
reins_new_run_dialog_dup_mcp (ReinsNewRunDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->mcp_rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (g_ptr_array_index (self->mcp_rows, i),
                                                    "spec"));
  return g_strv_builder_end (builder);
}

/* Binds the MCP entry's callback to the dialog's template. */
void
reins_new_run_dialog_tools_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, mcp_apply_cb);
}
