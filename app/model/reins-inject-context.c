/* reins-inject-context.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection, what the conversation shows: the task, the tools, the earlier actions
 * and what the tools returned, read from a request into a Context (docs/mistakes.md).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-provider-inject-private.h"

/* What the conversation shows --------------------------------------------------------- */

static void
observation_free (gpointer data)
{
  Observation *obs = data;

  g_free (obs->text);
  g_ptr_array_unref (obs->atoms);
  g_free (obs);
}

void
reins_inject_context_clear (Context *ctx)
{
  g_clear_pointer (&ctx->tools, g_ptr_array_unref);
  g_clear_pointer (&ctx->actions, g_ptr_array_unref);
  g_clear_pointer (&ctx->thoughts, g_ptr_array_unref);
  g_clear_pointer (&ctx->observations, g_ptr_array_unref);
  g_clear_pointer (&ctx->all_lower, g_free);
  g_clear_pointer (&ctx->words, g_ptr_array_unref);
  g_clear_pointer (&ctx->task_words, g_ptr_array_unref);
  g_clear_pointer (&ctx->numbers, g_array_unref);
  g_clear_object (&ctx->intended);
  g_clear_pointer (&ctx->intended_thought, g_free);
  g_clear_pointer (&ctx->finish_member, g_free);
}

static const char * const stop_words[] = {
  "the", "and", "for", "with", "that", "this", "from", "its", "are", "was", "were", "has",
  "have", "had", "not", "but", "you", "your", "what", "which", "who", "whom", "how", "when",
  "where", "why", "then", "than", "into", "onto", "over", "under", "each", "every", "all",
  "any", "some", "one", "two", "use", "using", "used", "tool", "tools", "task", "answer",
  "report", "find", "give", "tell", "call", "value", "there", "their", "them", "they", "his",
  "her", "our", "out", "about", "after", "before", "will", "would", "should", "could", "can",
  "may", "might", "must", "does", "did", "done", "error", "true", "false", "null", "observation",
};

static gboolean
is_stop_word (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (stop_words); i++)
    if (g_str_equal (word, stop_words[i]))
      return TRUE;
  return FALSE;
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *string)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), string))
      return TRUE;
  return FALSE;
}

void
reins_inject_add_unique (GPtrArray  *array,
                         const char *string)
{
  if (!ptr_array_has_string (array, string))
    g_ptr_array_add (array, g_strdup (string));
}

/* Content words of @text (letters only, three or more, lower case), into @words. */
static void
collect_words (const char *text,
               GPtrArray  *words)
{
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", -1);
  const char *p = lower;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalpha (*p))
        p++;
      start = p;
      while (g_ascii_isalpha (*p))
        p++;
      if (p - start >= 3 && p - start <= 24)
        {
          g_autofree char *word = g_strndup (start, p - start);

          if (!is_stop_word (word))
            reins_inject_add_unique (words, word);
        }
    }
}

static void
collect_numbers (const char *text,
                 GArray     *numbers)
{
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      char *end = NULL;
      double value;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      value = g_ascii_strtod (p, &end);
      if (end == p || end == NULL)
        {
          p++;
          continue;
        }
      if (isfinite (value) && numbers->len < 200)
        g_array_append_val (numbers, value);
      p = end;
    }
}

static void
collect_atoms_of_node (JsonNode  *node,
                       GPtrArray *atoms)
{
  if (node == NULL || atoms->len >= 64)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

      for (const GList *l = members; l != NULL; l = l->next)
        collect_atoms_of_node (json_object_get_member (json_node_get_object (node), l->data),
                               atoms);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_atoms_of_node (json_array_get_element (array, i), atoms);
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          if (s != NULL && *s != '\0' && strlen (s) <= 200)
            reins_inject_add_unique (atoms, s);
        }
      else if (type == G_TYPE_INT64)
        {
          g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          reins_inject_add_unique (atoms, s);
        }
      else if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          reins_inject_add_unique (atoms, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        }
    }
}

/* The values of an observation: the leaves of its JSON, or else its tokens. */
static GPtrArray *
observation_atoms (const char *text)
{
  GPtrArray *atoms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) node = reins_json_from_string (text, NULL);

  if (node != NULL && (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    {
      collect_atoms_of_node (node, atoms);
      return atoms;
    }

  {
    g_auto(GStrv) tokens = g_strsplit_set (text, " \t\n\r,;()[]{}\"'", -1);

    for (guint i = 0; tokens[i] != NULL && atoms->len < 64; i++)
      {
        gsize len = strlen (tokens[i]);

        while (len > 0 && strchr (".:!?", tokens[i][len - 1]) != NULL)
          tokens[i][--len] = '\0';
        if (len >= 2 && len <= 80)
          reins_inject_add_unique (atoms, tokens[i]);
      }
  }
  return atoms;
}

/* A failed tool call, read from its text: an error member or prefix, or (for ReAct, where
 * nothing else marks it) the wording tools and loops use for failures. */
static gboolean
text_is_error (const char *text,
               gboolean    wording)
{
  static const char * const phrases[] = {
    "could not", "cannot", "can't", "invalid", "refused", "unknown", "not found", "no such",
    "failed", "must be", "not allowed", "denied", "timed out",
  };
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", 300);

  g_strchug (lower);
  if (g_str_has_prefix (lower, "error") || g_str_has_prefix (lower, "{\"error\"") ||
      strstr (lower, "\"tool_error\": true") != NULL ||
      strstr (lower, "\"tool_error\":true") != NULL || g_str_has_prefix (lower, "failed"))
    return TRUE;
  for (guint i = 0; wording && i < G_N_ELEMENTS (phrases); i++)
    if (strstr (lower, phrases[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The action of a reply's text: the JSON after the last `Action:`, or a `Final Answer:`. */
static ReinsAction *
action_of_text (const char  *text,
                const char  *finish_member,
                char       **thought)
{
  const char *action = text != NULL ? g_strrstr (text, "Action:") : NULL;
  const char *final = text != NULL ? g_strrstr (text, "Final Answer:") : NULL;
  const char *th = text != NULL ? strstr (text, "Thought:") : NULL;

  if (thought != NULL)
    {
      const char *from = th != NULL ? th + strlen ("Thought:") : text;
      const char *to = action != NULL ? action : final;

      if (from == NULL)
        *thought = g_strdup ("");
      else if (to != NULL && to >= from)
        *thought = g_strstrip (g_strndup (from, to - from));
      else
        *thought = g_strstrip (g_strdup (from));
    }

  if (action != NULL)
    {
      g_autofree char *json = g_strstrip (g_strdup (action + strlen ("Action:")));
      ReinsAction *parsed = reins_action_new_from_string (json, NULL);

      if (parsed != NULL)
        return parsed;
    }
  if (final != NULL)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autofree char *answer = g_strstrip (g_strdup (final + strlen ("Final Answer:")));

      json_object_set_string_member (args, finish_member, answer);
      return reins_action_new ("finish", args);
    }
  return NULL;
}

/* The tools of a ReAct request are listed in its system prompt, one per line:
 * `- NAME: DESCRIPTION Arguments: SCHEMA`. */
static void
tools_of_prompt (const char *system,
                 GPtrArray  *tools)
{
  g_auto(GStrv) lines = g_strsplit (system != NULL ? system : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *colon, *schema;
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) params = NULL;
      JsonObject *tool;

      if (!g_str_has_prefix (line, "- ") || (colon = strchr (line, ':')) == NULL)
        continue;
      name = g_strstrip (g_strndup (line + 2, colon - line - 2));
      if (*name == '\0' || strchr (name, ' ') != NULL)
        continue;
      schema = g_strrstr (line, "Arguments:");
      if (schema != NULL)
        params = reins_json_from_string (schema + strlen ("Arguments:"), NULL);

      tool = json_object_new ();
      json_object_set_string_member (tool, "name", name);
      if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
        json_object_set_object_member (tool, "parameters",
                                       reins_json_object_deep_copy (json_node_get_object (params)));
      g_ptr_array_add (tools, tool);
    }
}

/* A member's string, or NULL when it is missing or of another type: tool schemas come from
 * MCP servers too, and may be odd. */
const char *
reins_inject_string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
reins_inject_member_string (JsonObject *object,
                            const char *member)
{
  return object != NULL ? reins_inject_string_of (json_object_get_member (object, member)) : NULL;
}

JsonObject *
reins_inject_tool_parameters (JsonObject *tool)
{
  JsonNode *node = json_object_get_member (tool, "parameters");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
reins_inject_schema_properties (JsonObject *tool)
{
  JsonObject *params = tool != NULL ? reins_inject_tool_parameters (tool) : NULL;
  JsonNode *node = params != NULL ? json_object_get_member (params, "properties") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
reins_inject_find_tool (Context    *ctx,
                        const char *name)
{
  for (guint i = 0; i < ctx->tools->len; i++)
    {
      JsonObject *tool = g_ptr_array_index (ctx->tools, i);

      if (g_strcmp0 (reins_inject_member_string (tool, "name"), name) == 0)
        return tool;
    }
  return NULL;
}

gboolean
reins_inject_is_agent_request (ReinsChatRequest *request)
{
  if (request->native_tools)
    return request->tools != NULL && json_array_get_length (request->tools) > 0;

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      if (m->role == REINS_CHAT_ROLE_SYSTEM && m->content != NULL &&
          strstr (m->content, "Action:") != NULL)
        return TRUE;
    }
  return FALSE;
}

void
reins_inject_read_context (ReinsChatRequest  *request,
                           ReinsChatResponse *wrapped,
                           Context           *ctx)
{
  GString *all = g_string_new (NULL);
  JsonObject *finish_props;

  memset (ctx, 0, sizeof *ctx);
  ctx->native = request->native_tools;
  ctx->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  ctx->actions = g_ptr_array_new_with_free_func (g_object_unref);
  ctx->thoughts = g_ptr_array_new_with_free_func (g_free);
  ctx->observations = g_ptr_array_new_with_free_func (observation_free);
  ctx->words = g_ptr_array_new_with_free_func (g_free);
  ctx->task_words = g_ptr_array_new_with_free_func (g_free);
  ctx->numbers = g_array_new (FALSE, FALSE, sizeof (double));

  if (request->tools != NULL)
    for (guint i = 0; i < json_array_get_length (request->tools); i++)
      {
        JsonNode *node = json_array_get_element (request->tools, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          g_ptr_array_add (ctx->tools, reins_json_object_deep_copy (json_node_get_object (node)));
      }

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      const char *content = m->content != NULL ? m->content : "";

      if (m->role == REINS_CHAT_ROLE_SYSTEM && ctx->tools->len == 0 && !request->native_tools)
        tools_of_prompt (content, ctx->tools);
    }

  ctx->finish_member = g_strdup ("answer");
  finish_props = reins_inject_schema_properties (reins_inject_find_tool (ctx, "finish"));
  if (finish_props != NULL && json_object_get_size (finish_props) > 0)
    {
      g_autoptr(GList) members = json_object_get_members (finish_props);

      g_free (ctx->finish_member);
      ctx->finish_member = g_strdup (members->data);
    }

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      const char *content = m->content != NULL ? m->content : "";

      if (m->role != REINS_CHAT_ROLE_SYSTEM)
        {
          g_string_append (all, content);
          g_string_append_c (all, '\n');
        }

      switch (m->role)
        {
        case REINS_CHAT_ROLE_USER:
          if (ctx->task == NULL)
            {
              ctx->task = g_str_has_prefix (content, "Task: ") ? content + strlen ("Task: ")
                                                              : content;
              collect_words (ctx->task, ctx->task_words);
              collect_words (ctx->task, ctx->words);
              collect_numbers (ctx->task, ctx->numbers);
            }
          else if (!request->native_tools && g_str_has_prefix (content, "Observation:"))
            {
              Observation *obs = g_new0 (Observation, 1);

              obs->text = g_strstrip (g_strdup (content + strlen ("Observation:")));
              obs->error = text_is_error (obs->text, TRUE);
              obs->after = ctx->actions->len;
              obs->atoms = observation_atoms (obs->text);
              g_ptr_array_add (ctx->observations, obs);
            }
          break;

        case REINS_CHAT_ROLE_TOOL:
          {
            Observation *obs = g_new0 (Observation, 1);

            obs->text = g_strdup (content);
            obs->error = m->is_error || text_is_error (content, FALSE);
            obs->after = ctx->actions->len;
            obs->atoms = observation_atoms (content);
            g_ptr_array_add (ctx->observations, obs);
          }
          break;

        case REINS_CHAT_ROLE_ASSISTANT:
          {
            ReinsAction *action = NULL;
            char *thought = NULL;

            if (m->tool_calls != NULL && m->tool_calls->len > 0)
              {
                action = g_object_ref (g_ptr_array_index (m->tool_calls, 0));
                thought = g_strstrip (g_strdup (content));
              }
            else
              action = action_of_text (content, ctx->finish_member, &thought);
            if (action != NULL)
              {
                g_ptr_array_add (ctx->actions, action);
                g_ptr_array_add (ctx->thoughts, thought);
              }
            else
              g_free (thought);
            for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
              {
                ReinsAction *call = g_ptr_array_index (m->tool_calls, j);
                g_autofree char *json = reins_action_to_string (call);

                g_string_append (all, json);
                g_string_append_c (all, '\n');
              }
          }
          break;

        case REINS_CHAT_ROLE_SYSTEM:
        default:
          break;
        }
    }

  for (guint i = 0; i < ctx->observations->len; i++)
    {
      Observation *obs = g_ptr_array_index (ctx->observations, i);

      collect_words (obs->text, ctx->words);
      collect_numbers (obs->text, ctx->numbers);
    }

  if (wrapped->tool_calls != NULL && wrapped->tool_calls->len > 0)
    {
      ctx->intended = g_object_ref (g_ptr_array_index (wrapped->tool_calls, 0));
      ctx->intended_thought = g_strstrip (g_strdup (wrapped->text != NULL ? wrapped->text : ""));
      ctx->call_id = reins_action_get_call_id (ctx->intended);
    }
  else
    ctx->intended = action_of_text (wrapped->text, ctx->finish_member, &ctx->intended_thought);

  ctx->all_lower = g_utf8_strdown (all->str, -1);
  g_string_free (all, TRUE);
}

gboolean
reins_inject_observed (Context    *ctx,
                       const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  return strstr (ctx->all_lower, lower) != NULL;
}

gboolean
reins_inject_is_finish (ReinsAction *action)
{
  return action != NULL && g_str_equal (reins_action_get_name (action), "finish");
}

ReinsAction *
reins_inject_last_action (Context *ctx)
{
  return ctx->actions->len > 0 ? g_ptr_array_index (ctx->actions, ctx->actions->len - 1) : NULL;
}

Observation *
reins_inject_last_observation (Context *ctx)
{
  return ctx->observations->len > 0
         ? g_ptr_array_index (ctx->observations, ctx->observations->len - 1)
         : NULL;
}
