/* reins-preferences-window-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the preferences window share: reins-preferences-window.c (limits,
 * providers, guards, tools) and reins-preferences-mcp.c (MCP servers).
 */

#pragma once

#include "reins-preferences-window.h"

G_BEGIN_DECLS

struct _ReinsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesPage   *providers_page;
  AdwComboRow          *default_provider_row;
  GtkSpinButton        *max_steps_spin;
  GtkSpinButton        *budget_spin;
  GtkSpinButton        *tool_timeout_spin;
  AdwExpanderRow       *price_override_row;
  GtkSpinButton        *price_in_spin;
  GtkSpinButton        *price_out_spin;
  GtkSpinButton        *confidence_spin;
  GtkSwitch            *ask_reads_switch;
  GtkSpinButton        *loop_spin;
  GtkSpinButton        *goal_every_spin;
  AdwPreferencesGroup  *guards_group;
  AdwPreferencesGroup  *tools_group;
  AdwPreferencesGroup  *mcp_group;
  GtkWidget            *mcp_empty_row;   /* shown while no server is configured */
  AdwEntryRow          *mcp_name_row;
  AdwEntryRow          *mcp_command_row;

  /* Owned */
  GSettings            *settings;
  GCancellable         *cancellable;
  /* provider id → its ReinsProviderGroup (owned by the page) */
  GHashTable           *provider_groups;
  /* MCP server name → its AdwActionRow (owned by mcp_group) / its status after Start */
  GHashTable           *mcp_rows;
  GHashTable           *mcp_status;
  /* The servers' names and commands the rows were made for */
  char                 *mcp_shown;
};

/* A row bound to one member of a list or dictionary key: its mapping reads that member, and
 * writes the key with only that member changed, so rows bound to the same key never write
 * over each other. */
typedef struct
{
  GSettings *settings;
  char      *key;
  char      *member;
} MemberBinding;

void reins_preferences_window_bind_member    (GSettings               *settings,
                                              const char              *key,
                                              const char              *member,
                                              gpointer                 widget,
                                              const char              *property,
                                              GSettingsBindGetMapping  get_mapping,
                                              GSettingsBindSetMapping  set_mapping);

/* reins-preferences-mcp.c */
void reins_preferences_window_mcp_class_init (GtkWidgetClass          *widget_class);
void reins_preferences_window_mcp_changed    (ReinsPreferencesWindow  *self);

G_END_DECLS
