/* reins-tool-registry.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tools of one run: looks them up by name, validates arguments against their schema
 * before invoking, and describes them to a provider.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "reins-builtin-tool.h"
#include "reins-json-schema.h"
#include "reins-mcp-client.h"
#include "reins-tool-registry.h"

struct _ReinsToolRegistry
{
  GObject    parent_instance;

  /* MCP servers may add tools from their own threads (tools/list_changed) while the worker
   * looks tools up, so the list is guarded. Tools are never removed: a pointer returned by
   * lookup stays valid as long as the registry lives. */
  GMutex     mutex;
  GPtrArray *tools;
  GPtrArray *mcp_clients;
  char      *mcp_root;     /* (nullable) the folder offered to MCP servers as their root */
};

G_DEFINE_FINAL_TYPE (ReinsToolRegistry, reins_tool_registry, G_TYPE_OBJECT)

static const struct
{
  const char *name;
  ReinsTool *(*create) (void);
} builtins[] = {
  { "finish", reins_tool_finish_new },
  { "list_dir", reins_tool_list_dir_new },
  { "read_file", reins_tool_read_file_new },
  { "search_files", reins_tool_search_files_new },
  { "write_file", reins_tool_write_file_new },
  { "http_get", reins_tool_http_get_new },
  { "shell", reins_tool_shell_new },
  { "calculator", reins_tool_calculator_new },
  { "ask_human", reins_tool_ask_human_new },
  { "kb_lookup", reins_tool_kb_lookup_new },
};

static void
reins_tool_registry_finalize (GObject *object)
{
  ReinsToolRegistry *self = REINS_TOOL_REGISTRY (object);

  reins_tool_registry_stop_mcp_servers (self);
  g_clear_pointer (&self->mcp_clients, g_ptr_array_unref);
  g_clear_pointer (&self->tools, g_ptr_array_unref);
  g_free (self->mcp_root);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (reins_tool_registry_parent_class)->finalize (object);
}

static void
reins_tool_registry_class_init (ReinsToolRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_tool_registry_finalize;
}

static void
reins_tool_registry_init (ReinsToolRegistry *self)
{
  g_mutex_init (&self->mutex);
  self->tools = g_ptr_array_new_with_free_func (g_object_unref);
  self->mcp_clients = g_ptr_array_new_with_free_func (g_object_unref);
}

static ReinsTool *
lookup_unlocked (ReinsToolRegistry *self,
                 const char        *name)
{
  for (guint i = 0; i < self->tools->len; i++)
    {
      ReinsTool *tool = g_ptr_array_index (self->tools, i);

      if (g_strcmp0 (reins_tool_get_name (tool), name) == 0)
        return tool;
    }
  return NULL;
}

static gboolean
reins_tool_registry_add_builtin (ReinsToolRegistry *self,
                                          const char        *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      if (g_strcmp0 (builtins[i].name, name) == 0)
        {
          g_autoptr(ReinsTool) tool = builtins[i].create ();

          reins_tool_registry_add (self, tool);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * reins_tool_registry_get_builtin_names:
 *
 * Returns: (transfer none): the name of every built-in tool, `finish` first, NULL-terminated
 */
const char * const *
reins_tool_registry_get_builtin_names (void)
{
  static const char *names[G_N_ELEMENTS (builtins) + 1];
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
        names[i] = builtins[i].name;
      g_once_init_leave (&filled, 1);
    }
  return names;
}

ReinsToolRegistry *
reins_tool_registry_new (void)
{
  return g_object_new (REINS_TYPE_TOOL_REGISTRY, NULL);
}

/**
 * reins_tool_registry_new_builtin:
 * @tool_list: (nullable): comma-separated built-in tool names; %NULL means
 *   %REINS_DEFAULT_TOOLS
 *
 * A registry with the named built-ins plus `finish`, which is always on. An unknown name is
 * a %REINS_ERROR_USAGE error naming it.
 */
ReinsToolRegistry *
reins_tool_registry_new_builtin (const char  *tool_list,
                                 GError     **error)
{
  g_autoptr(ReinsToolRegistry) self = reins_tool_registry_new ();
  g_auto(GStrv) names = NULL;

  names = g_strsplit (tool_list != NULL ? tool_list : REINS_DEFAULT_TOOLS, ",", -1);

  reins_tool_registry_add_builtin (self, "finish");

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));

      if (*name == '\0')
        continue;
      if (!reins_tool_registry_add_builtin (self, name))
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint j = 0; j < G_N_ELEMENTS (builtins); j++)
            g_string_append_printf (known, "%s%s", j > 0 ? ", " : "", builtins[j].name);
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("Unknown tool “%s” (built-in tools: %s)"), name, known->str);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

void
reins_tool_registry_add (ReinsToolRegistry *self,
                         ReinsTool         *tool)
{
  g_return_if_fail (REINS_IS_TOOL_REGISTRY (self));
  g_return_if_fail (REINS_IS_TOOL (tool));

  g_mutex_lock (&self->mutex);
  /* A later tool of the same name replaces nothing: the first one stays, so a pointer from
   * lookup never dangles. */
  if (lookup_unlocked (self, reins_tool_get_name (tool)) == NULL)
    g_ptr_array_add (self->tools, g_object_ref (tool));
  g_mutex_unlock (&self->mutex);
}

/**
 * reins_tool_registry_lookup:
 *
 * Returns: (transfer none) (nullable): the tool called @name; valid while @self lives.
 */
ReinsTool *
reins_tool_registry_lookup (ReinsToolRegistry *self,
                            const char        *name)
{
  ReinsTool *tool;

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), NULL);

  if (name == NULL)
    return NULL;

  g_mutex_lock (&self->mutex);
  tool = lookup_unlocked (self, name);
  g_mutex_unlock (&self->mutex);
  return tool;
}

/**
 * reins_tool_registry_list:
 *
 * Returns: (transfer full) (element-type ReinsTool): the tools, in the order they were added.
 */
GPtrArray *
reins_tool_registry_list (ReinsToolRegistry *self)
{
  GPtrArray *list;

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), NULL);

  g_mutex_lock (&self->mutex);
  list = g_ptr_array_new_full (self->tools->len, g_object_unref);
  for (guint i = 0; i < self->tools->len; i++)
    g_ptr_array_add (list, g_object_ref (g_ptr_array_index (self->tools, i)));
  g_mutex_unlock (&self->mutex);
  return list;
}

gboolean
reins_tool_registry_validate (ReinsToolRegistry  *self,
                              ReinsAction        *action,
                              GError            **error)
{
  ReinsTool *tool;
  JsonObject *arguments;
  JsonObject *schema;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), FALSE);
  g_return_val_if_fail (REINS_IS_ACTION (action), FALSE);

  tool = reins_tool_registry_lookup (self, reins_action_get_name (action));
  if (tool == NULL)
    {
      g_autoptr(GPtrArray) tools = reins_tool_registry_list (self);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < tools->len; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "",
                                reins_tool_get_name (g_ptr_array_index (tools, i)));
      g_set_error (error, REINS_ERROR, REINS_ERROR_NOT_FOUND,
                   _("There is no tool “%s”; the tools are: %s"),
                   reins_action_get_name (action), known->str);
      return FALSE;
    }

  arguments = reins_action_get_arguments (action);
  if (arguments != NULL && json_object_has_member (arguments, "_invalid_arguments"))
    {
      JsonNode *why = json_object_get_member (arguments, "_invalid_reason");
      const char *reason = why != NULL && JSON_NODE_HOLDS_VALUE (why) &&
                           json_node_get_value_type (why) == G_TYPE_STRING
                             ? json_node_get_string (why) : "";

      /* Said plainly: a schema complaint about a missing member would mislead here. */
      if (g_str_equal (reason, "truncated"))
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     _("The reply was cut off (truncated) inside the arguments of %s, so "
                       "they are incomplete JSON; write a shorter call"),
                     reins_tool_get_name (tool));
      else if (g_str_equal (reason, "nul"))
        g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                     _("The arguments of %s hold a NUL character (\\u0000), which no path "
                       "or argument may contain"), reins_tool_get_name (tool));
      else
        {
          const char *detail = json_object_get_string_member_with_default (arguments,
                                                                           "_invalid_detail",
                                                                           NULL);

          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                       _("Invalid arguments for %s: they could not be read as a JSON object%s%s"),
                       reins_tool_get_name (tool), detail != NULL ? ": " : "",
                       detail != NULL ? detail : "");
        }
      return FALSE;
    }
  schema = reins_tool_get_schema (tool);
  if (schema == NULL)
    return TRUE;

  node = json_node_new (JSON_NODE_OBJECT);
  if (arguments != NULL)
    json_node_set_object (node, arguments);
  else
    json_node_take_object (node, json_object_new ());

  if (!reins_json_schema_validate (schema, node, error))
    {
      g_prefix_error (error, _("Invalid arguments for %s: "), reins_tool_get_name (tool));
      return FALSE;
    }
  return TRUE;
}

/**
 * reins_tool_registry_invoke:
 *
 * Validates @action and invokes its tool. A validation failure is an error result; the tool
 * is then not invoked.
 *
 * Returns: (transfer full): the result, never %NULL.
 */
ReinsToolResult *
reins_tool_registry_invoke (ReinsToolRegistry *self,
                            ReinsToolContext  *context,
                            ReinsAction       *action,
                            GCancellable      *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsTool) tool = NULL;
  g_autoptr(JsonObject) arguments = NULL;
  ReinsToolContext empty = { 0 };

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), NULL);
  g_return_val_if_fail (REINS_IS_ACTION (action), NULL);

  if (!reins_tool_registry_validate (self, action, &error))
    return reins_tool_result_new_error ("%s", error->message);

  tool = g_object_ref (reins_tool_registry_lookup (self, reins_action_get_name (action)));
  arguments = reins_action_get_arguments (action) != NULL
                ? json_object_ref (reins_action_get_arguments (action))
                : json_object_new ();

  return reins_tool_invoke (tool, context != NULL ? context : &empty, arguments, cancellable);
}

/**
 * reins_tool_registry_describe:
 *
 * Returns: (transfer full): a provider-neutral array of `{name, description, parameters}`,
 *   parameters being the JSON Schema of the arguments. Providers convert it to their wire
 *   format.
 */
JsonArray *
reins_tool_registry_describe (ReinsToolRegistry *self)
{
  g_autoptr(GPtrArray) tools = NULL;
  JsonArray *array;

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), NULL);

  tools = reins_tool_registry_list (self);
  array = json_array_new ();
  for (guint i = 0; i < tools->len; i++)
    {
      ReinsTool *tool = g_ptr_array_index (tools, i);
      JsonObject *item = json_object_new ();
      JsonObject *schema = reins_tool_get_schema (tool);
      JsonNode *params;

      json_object_set_string_member (item, "name", reins_tool_get_name (tool));
      json_object_set_string_member (item, "description",
                                     reins_tool_get_description (tool) != NULL
                                       ? reins_tool_get_description (tool) : "");
      if (schema != NULL)
        {
          g_autoptr(JsonNode) tmp = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (tmp, schema);
          params = json_node_copy (tmp);
        }
      else
        {
          params = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (params, json_object_new ());
          json_object_set_string_member (json_node_get_object (params), "type", "object");
        }
      json_object_set_member (item, "parameters", params);
      json_array_add_object_element (array, item);
    }
  return array;
}

static void
add_client_tools (ReinsToolRegistry *self,
                  ReinsMcpClient    *client)
{
  g_autoptr(GPtrArray) tools = reins_mcp_client_get_tools (client);

  for (guint i = 0; i < tools->len; i++)
    reins_tool_registry_add (self, g_ptr_array_index (tools, i));
}

/* Runs on the client's thread. New tools are added; tools that went away stay registered
 * (a pointer from lookup must stay valid) and the server answers a call to them with an
 * error. */
static void
tools_changed_cb (ReinsMcpClient    *client,
                  ReinsToolRegistry *self)
{
  add_client_tools (self, client);
}

/* Reads NAME[:RISK|:trusted]=COMMAND|URL into a client that is not started yet. */
static ReinsMcpClient *
client_for_spec (const char  *spec,
                 GError     **error)
{
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *name = NULL;
  const char *equals, *colon;
  ReinsRisk risk = REINS_RISK_EXEC;
  gboolean trusted = FALSE;

  equals = strchr (spec, '=');
  if (equals == NULL || equals == spec || equals[1] == '\0')
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("“%s” does not name an MCP server: use NAME=COMMAND or NAME=URL"), spec);
      return NULL;
    }
  name = g_strndup (spec, equals - spec);
  colon = strchr (name, ':');
  if (colon != NULL && strcmp (colon + 1, "trusted") == 0)
    {
      /* The server's tool annotations set each tool's risk (below exec only). */
      trusted = TRUE;
      name[colon - name] = '\0';
    }
  else if (colon != NULL)
    {
      if (!reins_risk_from_string (colon + 1, &risk))
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                       _("“%s” is not a risk level (read, write, network or exec) nor “trusted”"),
                       colon + 1);
          return NULL;
        }
      name[colon - name] = '\0';
    }

  client = reins_mcp_client_new (name, equals + 1, error);
  if (client == NULL)
    return NULL;
  reins_mcp_client_set_risk (client, risk);
  reins_mcp_client_set_trust_annotations (client, trusted);
  return g_steal_pointer (&client);
}

/**
 * reins_tool_registry_check_mcp_spec:
 * @spec: `NAME[:RISK]=COMMAND`, as `--mcp` takes it
 *
 * Checks the form of @spec without starting anything, so that a mistyped option is a usage
 * error before the run starts; a server that then fails to start only costs its tools.
 *
 * Returns: %TRUE if @spec is well formed, or %FALSE with a USAGE @error
 */
gboolean
reins_tool_registry_check_mcp_spec (const char  *spec,
                                    GError     **error)
{
  g_autoptr(ReinsMcpClient) client = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);

  client = client_for_spec (spec, error);
  return client != NULL;
}

gboolean
reins_tool_registry_add_mcp_server (ReinsToolRegistry  *self,
                                    const char         *spec,
                                    GCancellable       *cancellable,
                                    GError            **error)
{
  return reins_tool_registry_add_mcp_server_full (self, spec, 0, NULL, NULL, cancellable, error);
}

gboolean
reins_tool_registry_add_mcp_server_full (ReinsToolRegistry  *self,
                                         const char         *spec,
                                         guint               max_tools,
                                         const char * const *allowed,
                                         char              **warning,
                                         GCancellable       *cancellable,
                                         GError            **error)
{
  g_autoptr(ReinsMcpClient) client = NULL;

  g_return_val_if_fail (REINS_IS_TOOL_REGISTRY (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  client = client_for_spec (spec, error);
  if (client == NULL)
    return FALSE;
  reins_mcp_client_set_root (client, self->mcp_root);
  reins_mcp_client_set_tool_filter (client, max_tools, allowed);
  if (!reins_mcp_client_start (client, cancellable, error))
    return FALSE;
  if (warning != NULL)
    *warning = reins_mcp_client_dup_tool_warning (client);

  add_client_tools (self, client);
  g_signal_connect (client, "tools-changed", G_CALLBACK (tools_changed_cb), self);
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->mcp_clients, g_steal_pointer (&client));
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/* The MCP clients started so far, each with a reference, to use without the mutex. */
static GPtrArray *
dup_mcp_clients (ReinsToolRegistry *self)
{
  GPtrArray *clients;

  g_mutex_lock (&self->mutex);
  clients = g_ptr_array_copy (self->mcp_clients, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (clients, g_object_unref);
  g_mutex_unlock (&self->mutex);
  return clients;
}

/**
 * reins_tool_registry_set_mcp_root:
 * @folder: (nullable): the run's workspace
 *
 * The folder offered as their root (`roots/list`) to the MCP servers added after this;
 * those already running are told it changed (reins_mcp_client_set_root()).
 */
void
reins_tool_registry_set_mcp_root (ReinsToolRegistry *self,
                                  const char        *folder)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (REINS_IS_TOOL_REGISTRY (self));
  g_free (self->mcp_root);
  self->mcp_root = g_strdup (folder);

  clients = dup_mcp_clients (self);
  for (guint i = 0; i < clients->len; i++)
    reins_mcp_client_set_root (g_ptr_array_index (clients, i), folder);
}

/* Stops every MCP server started by reins_tool_registry_add_mcp_server(); their tools then
 * answer with an error. */
void
reins_tool_registry_stop_mcp_servers (ReinsToolRegistry *self)
{
  g_autoptr(GPtrArray) clients = NULL;

  g_return_if_fail (REINS_IS_TOOL_REGISTRY (self));

  clients = dup_mcp_clients (self);
  for (guint i = 0; i < clients->len; i++)
    {
      ReinsMcpClient *client = g_ptr_array_index (clients, i);

      /* Stopped first, so no tools-changed can come while the handler goes. */
      reins_mcp_client_stop (client);
      g_signal_handlers_disconnect_by_func (client, tools_changed_cb, self);
    }
}
