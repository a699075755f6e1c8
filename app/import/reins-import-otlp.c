/* reins-import-otlp.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenTelemetry GenAI spans in OTLP/JSON read into runs (reins-otlp.c writes them).
 *
 * Spans are grouped by trace; each trace is one run. `chat` and `execute_tool` spans are
 * taken in order of `reins.step.index` (when there) and start time; an `execute_tool` span
 * is a step, taking the words and tokens of the `chat` span before it; a `chat` span no tool
 * took is a step of its own (a reply). Verdicts and decisions come back from their events;
 * spans of other operations become notes.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <inttypes.h>

#include "reins-error.h"
#include "reins-import-private.h"
#include "reins-json-util.h"

static gint64
attr_get_int (JsonObject *attributes,
              const char *key)
{
  return reins_import_int_member (attributes, key, 0);
}

static const char * const input_token_keys[] = {
  "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt",
  "llm.usage.prompt_tokens", NULL
};
static const char * const output_token_keys[] = {
  "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion",
  "llm.usage.completion_tokens", NULL
};
static const char * const model_keys[] = {
  "gen_ai.request.model", "gen_ai.response.model", "llm.model_name", "llm.request.model", NULL
};

typedef enum
{
  ITEM_USER_TURN,
  ITEM_CHAT,
  ITEM_TOOL,
} ItemKind;

typedef struct
{
  ItemKind    kind;
  guint       index;
  gint64      start;
  guint       order;
  JsonObject *span;        /* (nullable) borrowed */
  JsonObject *attributes;  /* owned */
  JsonObject *event;       /* (nullable) borrowed: the user turn */
} Item;

static void
item_free (Item *item)
{
  json_object_unref (item->attributes);
  g_free (item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const Item *x = *(Item * const *) a;
  const Item *y = *(Item * const *) b;

  if (x->index != y->index)
    return x->index < y->index ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* A message's text, as a step shows it: the content, and what could not be read as a note. */
static const char *
message_content (ReinsImportBuilder *builder,
                 JsonObject         *message)
{
  const char *other = message != NULL ? reins_import_string_member (message, "other") : NULL;

  if (other != NULL)
    reins_import_builder_note (builder, _("A part of a %s message is not text: %s"),
                               reins_import_string_member (message, "role"), other);
  return message != NULL ? reins_import_string_member (message, "content") : NULL;
}

typedef struct
{
  Item       *chat;
  JsonArray  *output;      /* (nullable) the chat's output messages */
  gboolean    taken;
  guint       users_seen;  /* user messages of the chat inputs read so far */
} Pending;

static void
take_chat (ReinsImportBuilder *builder,
           Pending            *pending,
           ReinsStep          *step)
{
  JsonObject *attributes, *reply;
  const char *text, *reasoning;

  if (pending->chat == NULL || pending->taken)
    return;
  attributes = pending->chat->attributes;
  reply = reins_import_genai_find (pending->output, "assistant", TRUE);
  if (reply == NULL)
    reply = reins_import_genai_find (pending->output, NULL, TRUE);
  text = message_content (builder, reply);
  reasoning = reply != NULL ? reins_import_string_member (reply, "reasoning") : NULL;
  reins_step_set_thought (step, reasoning != NULL ? reasoning : text);
  reins_step_set_reply (step, text);
  reins_step_set_tokens (step, reins_otlp_attr_first_int (attributes, input_token_keys),
                         reins_otlp_attr_first_int (attributes, output_token_keys));
  if (json_object_has_member (attributes, "reins.step.confidence"))
    reins_step_set_confidence (step, json_object_get_double_member (attributes,
                                                                    "reins.step.confidence"),
                               REINS_CONFIDENCE_SOURCE_SELF_REPORTED);
  reins_step_set_started_at (step, pending->chat->start);
  pending->taken = TRUE;
}

/* A chat no execute_tool span took: the calls its output asks for are its steps (their
 * results come with the next chat's input), or it is a reply of its own. */
static void
flush_chat (ReinsImportBuilder *builder,
            Pending            *pending)
{
  if (pending->chat != NULL && !pending->taken)
    {
      JsonObject *reply = reins_import_genai_find (pending->output, "assistant", TRUE);
      JsonNode *calls = reply != NULL ? json_object_get_member (reply, "tool_calls") : NULL;
      ReinsStep *first = NULL;

      for (guint i = 0; calls != NULL && JSON_NODE_HOLDS_ARRAY (calls) &&
           i < json_array_get_length (json_node_get_array (calls)); i++)
        {
          JsonObject *call = json_array_get_object_element (json_node_get_array (calls), i);
          const char *id = reins_import_string_member (call, "id");
          g_autoptr(JsonNode) arguments =
            reins_import_call_arguments (builder, json_object_get_member (call, "arguments"), id);
          ReinsStep *step = reins_import_builder_tool_call (builder,
                                                            reins_import_string_member (call, "name"),
                                                            arguments, id);

          if (first == NULL)
            first = step;
        }
      take_chat (builder, pending, first != NULL ? first : reins_import_builder_add_step (builder));
    }
  pending->chat = NULL;
  g_clear_pointer (&pending->output, json_array_unref);
  pending->taken = FALSE;
}

/* What a chat's input says that the trace has not said yet: the task, the system prompt,
 * the results of calls still waiting, and what a person said since the last chat (each
 * chat's input repeats the conversation so far: only user messages past those seen count). */
static void
read_chat_input (ReinsImportBuilder *builder,
                 Pending            *pending,
                 JsonArray          *input)
{
  JsonObject *system = reins_import_genai_find (input, "system", FALSE);
  guint users = 0;

  if (builder->system == NULL && system != NULL)
    reins_import_builder_system (builder, reins_import_string_member (system, "content"));
  if (builder->task == NULL)
    {
      JsonObject *user = reins_import_genai_find (input, "user", FALSE);
      const char *text = message_content (builder, user);

      if (user != NULL)
        reins_import_builder_user_turn (builder, text != NULL ? text : "");
    }
  for (guint i = 0; i < json_array_get_length (input); i++)
    {
      JsonObject *message = json_array_get_object_element (input, i);
      const char *role = reins_import_string_member (message, "role");
      const char *id = reins_import_string_member (message, "tool_call_id");

      if (g_strcmp0 (role, "user") == 0)
        {
          const char *text = reins_import_string_member (message, "content");

          if (++users > 1 && users > pending->users_seen)
            reins_import_builder_user_turn (builder, text != NULL ? text : "");
          continue;
        }
      if (g_strcmp0 (role, "tool") != 0)
        continue;
      if (id == NULL)
        id = reins_import_builder_waiting_call (builder, reins_import_string_member (message,
                                                                                      "name"));
      if (id != NULL && g_hash_table_contains (builder->pending, id))
        reins_import_builder_tool_result (builder, id,
                                          reins_import_string_member (message, "content"), FALSE);
    }
  pending->users_seen = MAX (pending->users_seen, users);
}

static const char * const tool_name_keys[] = {
  "gen_ai.tool.name", "tool.name", "traceloop.entity.name", NULL
};
static const char * const tool_arguments_keys[] = {
  "gen_ai.tool.call.arguments", "gen_ai.tool.args", "tool.parameters", "input.value",
  "traceloop.entity.input", NULL
};
static const char * const tool_result_keys[] = {
  "gen_ai.tool.call.result", "gen_ai.output", "output.value", "traceloop.entity.output", NULL
};
static const char * const tool_id_keys[] = {
  "gen_ai.tool.call.id", "tool_call.id", "tool.call_id", NULL
};

static void
read_tool (ReinsImportBuilder *builder,
           Pending            *pending,
           Item               *item)
{
  JsonObject *attributes = item->attributes;
  JsonNode *args = reins_otlp_attr_first (attributes, tool_arguments_keys);
  const char *result = reins_otlp_attr_first_string (attributes, tool_result_keys);
  const char *name = reins_otlp_attr_first_string (attributes, tool_name_keys);
  const char *id = reins_otlp_attr_first_string (attributes, tool_id_keys);
  g_autoptr(JsonNode) arguments = NULL;
  JsonNode *status = json_object_get_member (item->span, "status");
  gboolean failed = FALSE;
  ReinsStep *step;

  arguments = reins_import_call_arguments (builder, args, id);
  if (name == NULL)
    {
      name = json_object_get_string_member_with_default (item->span, "name", "unknown");
      if (g_str_has_prefix (name, "execute_tool "))
        name += strlen ("execute_tool ");
    }
  step = reins_import_builder_tool_call (builder, name, arguments, id);
  g_hash_table_remove (builder->pending, id != NULL ? id : "");
  if (status != NULL && JSON_NODE_HOLDS_OBJECT (status))
    {
      JsonObject *object = json_node_get_object (status);
      const char *code = reins_import_string_member (object, "code");

      /* STATUS_CODE_ERROR is 2; some write its name. */
      failed = reins_import_int_member (object, "code", 0) == 2 ||
               g_strcmp0 (code, "STATUS_CODE_ERROR") == 0 || g_strcmp0 (code, "ERROR") == 0;
      if (failed && result == NULL)
        result = reins_import_string_member (object, "message");
    }
  reins_step_set_observation (step, result);
  reins_step_set_tool_error (step, failed);
  take_chat (builder, pending, step);
  if (reins_step_get_started_at (step) == 0)
    reins_step_set_started_at (step, item->start);
}

static void
read_event (ReinsImportBuilder *builder,
            JsonObject         *event)
{
  g_autoptr(JsonObject) attributes = reins_otlp_attributes (event);
  const char *name = json_object_get_string_member_with_default (event, "name", "");
  gint64 index = attr_get_int (attributes, "reins.step.index");
  ReinsStep *step;

  if (!g_str_equal (name, "reins.verdict") && !g_str_equal (name, "reins.approval"))
    {
      if (!g_str_equal (name, "reins.user_turn") && !reins_import_genai_is_message_event (name))
        reins_import_builder_note (builder, _("The span event “%s” is not imported."), name);
      return;
    }
  if (index < 1 || index > builder->steps->len)
    {
      reins_import_builder_note (builder, _("A “%s” event names no step of the trace."), name);
      return;
    }
  step = g_ptr_array_index (builder->steps, index - 1);

  if (g_str_equal (name, "reins.verdict"))
    {
      ReinsVerdictKind kind;
      ReinsVerdictPhase phase = REINS_VERDICT_PHASE_BEFORE_ACTION;
      g_autoptr(ReinsVerdict) verdict = NULL;
      const char *guard = reins_import_string_member (attributes, "reins.guard");
      const char *phase_text = reins_import_string_member (attributes, "reins.verdict.phase");

      if (guard == NULL ||
          !reins_verdict_kind_from_string (reins_import_string_member (attributes, "reins.verdict"), &kind))
        {
          reins_import_builder_note (builder, _("A verdict event of step %" PRId64
                                                " is not complete."), index);
          return;
        }
      if (phase_text != NULL)
        reins_verdict_phase_from_string (phase_text, &phase);
      verdict = reins_verdict_new (guard, kind,
                                   reins_import_string_member (attributes, "reins.verdict.reason"));
      reins_verdict_set_phase (verdict, phase);
      reins_step_add_verdict (step, verdict);
    }
  else
    {
      ReinsDecision decision = REINS_DECISION_NONE;
      g_autoptr(ReinsApprovalRecord) record = NULL;
      const char *guard = reins_import_string_member (attributes, "reins.guard");

      reins_decision_from_string (reins_import_string_member (attributes, "reins.decision"), &decision);
      record = reins_approval_record_new ((guint) index, guard != NULL ? guard : "",
                                          reins_import_string_member (attributes, "reins.approval.reason"),
                                          reins_step_get_action (step), NAN);
      if (decision != REINS_DECISION_NONE)
        reins_approval_record_resolve (record, decision, NULL,
                                       reins_import_string_member (attributes, "reins.feedback"),
                                       reins_otlp_time_of (event, "timeUnixNano"));
      reins_step_add_approval (step, record);
    }
}

static void
read_events (ReinsImportBuilder *builder,
             JsonObject         *span)
{
  JsonNode *events = span != NULL ? json_object_get_member (span, "events") : NULL;

  for (guint e = 0; events != NULL && JSON_NODE_HOLDS_ARRAY (events) &&
       e < json_array_get_length (json_node_get_array (events)); e++)
    {
      JsonNode *event = json_array_get_element (json_node_get_array (events), e);

      if (JSON_NODE_HOLDS_OBJECT (event))
        read_event (builder, json_node_get_object (event));
    }
}

static const char * const agent_input_keys[] = {
  "input.value", "traceloop.entity.input", NULL
};

/* An agent's input as a task: plain text, or a message list, or an object whose first
 * text member says it. */
static char *
input_task (ReinsImportBuilder *builder,
            JsonObject         *span,
            JsonObject         *attributes)
{
  g_autoptr(JsonArray) input = reins_import_genai_messages (span, attributes, FALSE);
  JsonObject *user = reins_import_genai_find (input, "user", FALSE);
  const char *text;
  g_autoptr(JsonNode) node = NULL;

  if (user != NULL)
    return g_strdup (message_content (builder, user));
  text = reins_otlp_attr_first_string (attributes, agent_input_keys);
  if (text == NULL)
    return NULL;
  node = reins_import_parse (text, strlen (text), NULL, 1, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      static const char * const members[] = { "input", "query", "question", "task", "prompt",
                                              "message", NULL };
      JsonObject *object = json_node_get_object (node);

      for (guint i = 0; members[i] != NULL; i++)
        if (reins_import_string_member (object, members[i]) != NULL)
          return g_strdup (reins_import_string_member (object, members[i]));
      /* Arguments of a function (OpenLLMetry's {args, kwargs}): the model calls say more. */
      return NULL;
    }
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup (text);
}

static void
read_root (ReinsImportBuilder *builder,
           JsonObject         *span,
           JsonObject         *attributes)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  g_autofree char *task = input_task (builder, span, attributes);
  const char *system = reins_import_string_member (attributes, "gen_ai.system_instructions");

  builder->model = g_strdup (reins_otlp_attr_first_string (attributes, model_keys));
  builder->started_at = reins_otlp_time_of (span, "startTimeUnixNano");
  if (task != NULL)
    reins_import_builder_user_turn (builder, task);
  if (system != NULL)
    {
      /* A list of parts: each a system message here. */
      g_autoptr(JsonArray) parts = reins_import_genai_parse (system, "system");

      for (guint i = 0; i < json_array_get_length (parts); i++)
        reins_import_builder_system (builder,
                                     reins_import_string_member (json_array_get_object_element (parts, i),
                                                                 "content"));
    }

  /* Labels: Reins' own, and whatever a framework added outside the conventions. */
  json_object_iter_init (&iter, attributes);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (key, "reins.label."))
        json_object_set_member (builder->labels, key + strlen ("reins.label."),
                                json_node_copy (value));
      else if (!g_str_has_prefix (key, "gen_ai.") && !g_str_has_prefix (key, "reins.") &&
               !g_str_has_prefix (key, "llm.") && !g_str_has_prefix (key, "traceloop.") &&
               !g_str_has_prefix (key, "openinference.") && !g_str_has_prefix (key, "input.") &&
               !g_str_has_prefix (key, "output.") && JSON_NODE_HOLDS_VALUE (value))
        json_object_set_member (builder->labels, key, json_node_copy (value));
    }
}

static const char *
operation_of (JsonObject *span,
              JsonObject *attributes)
{
  const char *operation = reins_import_string_member (attributes, "gen_ai.operation.name");
  const char *kind = reins_import_string_member (attributes, "openinference.span.kind");
  const char *traceloop = reins_import_string_member (attributes, "traceloop.span.kind");
  const char *request = reins_import_string_member (attributes, "llm.request.type");
  const char *name = json_object_get_string_member_with_default (span, "name", "");

  if (operation != NULL)
    {
      /* Model calls by any of their names. */
      if (g_str_equal (operation, "text_completion") || g_str_equal (operation, "generate_content") ||
          g_str_equal (operation, "completion"))
        return "chat";
      if (g_str_equal (operation, "tool.execute"))
        return "execute_tool";
      return operation;
    }
  if (kind != NULL)
    {
      if (g_ascii_strcasecmp (kind, "LLM") == 0)
        return "chat";
      if (g_ascii_strcasecmp (kind, "TOOL") == 0)
        return "execute_tool";
      if (g_ascii_strcasecmp (kind, "AGENT") == 0)
        return "invoke_agent";
    }
  if (traceloop != NULL)
    {
      if (g_str_equal (traceloop, "tool"))
        return "execute_tool";
      if (g_str_equal (traceloop, "agent") || g_str_equal (traceloop, "workflow"))
        return "invoke_agent";
    }
  if (request != NULL && (g_str_equal (request, "chat") || g_str_equal (request, "completion")))
    return "chat";
  if (g_str_has_prefix (name, "invoke_agent"))
    return "invoke_agent";
  if (g_str_has_prefix (name, "execute_tool"))
    return "execute_tool";
  if (g_str_has_prefix (name, "chat") || g_str_has_suffix (name, ".chat") ||
      g_str_has_prefix (name, "text_completion") || g_str_has_prefix (name, "generate_content"))
    return "chat";
  return name;
}

static ReinsImportBuilder *
read_trace (GPtrArray  *spans,
            GError    **error)
{
  g_autoptr(ReinsImportBuilder) builder = reins_import_builder_new ("otlp");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_autoptr(JsonArray) all = json_array_new ();
  g_autoptr(JsonNode) all_node = NULL;
  JsonObject *root = NULL;
  g_autoptr(JsonObject) root_attributes = NULL;
  Pending pending = { NULL, NULL, FALSE, 0 };

  for (guint i = 0; i < spans->len; i++)
    {
      JsonObject *span = g_ptr_array_index (spans, i);
      g_autoptr(JsonObject) attributes = reins_otlp_attributes (span);
      const char *operation = operation_of (span, attributes);

      json_array_add_object_element (all, json_object_ref (span));
      if (g_str_equal (operation, "invoke_agent") && root == NULL)
        {
          root = span;
          root_attributes = g_steal_pointer (&attributes);
        }
      else if (g_str_equal (operation, "chat") || g_str_equal (operation, "execute_tool"))
        {
          Item *item = g_new0 (Item, 1);

          item->kind = g_str_equal (operation, "chat") ? ITEM_CHAT : ITEM_TOOL;
          item->index = (guint) CLAMP (attr_get_int (attributes, "reins.step.index"), 0, G_MAXUINT);
          item->start = reins_otlp_time_of (span, "startTimeUnixNano");
          item->order = i;
          item->span = span;
          item->attributes = g_steal_pointer (&attributes);
          g_ptr_array_add (items, item);
        }
      else
        reins_import_builder_note (builder, _("The span “%s” (%s) is not imported."),
                                   json_object_get_string_member_with_default (span, "name", ""),
                                   operation);
    }

  all_node = json_node_init_array (json_node_alloc (), all);
  g_free (builder->run_id);
  builder->run_id = reins_import_digest (all_node);

  if (root != NULL)
    {
      JsonNode *events = json_object_get_member (root, "events");

      read_root (builder, root, root_attributes);
      for (guint i = 0; events != NULL && JSON_NODE_HOLDS_ARRAY (events) &&
           i < json_array_get_length (json_node_get_array (events)); i++)
        {
          JsonNode *event = json_array_get_element (json_node_get_array (events), i);
          g_autoptr(JsonObject) attributes = NULL;
          Item *item;

          if (!JSON_NODE_HOLDS_OBJECT (event) ||
              g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (event),
                                                                     "name", NULL),
                         "reins.user_turn") != 0)
            continue;
          attributes = reins_otlp_attributes (json_node_get_object (event));
          item = g_new0 (Item, 1);
          item->kind = ITEM_USER_TURN;
          item->index = (guint) CLAMP (attr_get_int (attributes, "reins.step.index"), 0, G_MAXUINT);
          item->start = reins_otlp_time_of (json_node_get_object (event), "timeUnixNano");
          item->event = json_node_get_object (event);
          item->attributes = g_steal_pointer (&attributes);
          g_ptr_array_add (items, item);
        }
    }
  else
    reins_import_builder_note (builder, _("The trace has no invoke_agent span."));

  g_ptr_array_sort (items, compare_items);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);

      switch (item->kind)
        {
        case ITEM_USER_TURN:
          {
            const char *text = reins_import_string_member (item->attributes, "reins.content");

            flush_chat (builder, &pending);
            if (builder->task == NULL)
              builder->task = g_strdup ("");
            reins_import_builder_user_turn (builder, text != NULL ? text : "");
          }
          break;
        case ITEM_CHAT:
          {
            g_autoptr(JsonArray) input = reins_import_genai_messages (item->span,
                                                                       item->attributes, FALSE);

            if (builder->model == NULL)
              builder->model = g_strdup (reins_otlp_attr_first_string (item->attributes,
                                                                       model_keys));
            flush_chat (builder, &pending);
            read_chat_input (builder, &pending, input);
            pending.chat = item;
            pending.output = reins_import_genai_messages (item->span, item->attributes, TRUE);
          }
          break;
        case ITEM_TOOL:
          read_tool (builder, &pending, item);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  flush_chat (builder, &pending);
  if (builder->task == NULL && root_attributes != NULL &&
      reins_otlp_attr_first_string (root_attributes, agent_input_keys) != NULL)
    reins_import_builder_user_turn (builder,
                                    reins_otlp_attr_first_string (root_attributes,
                                                                  agent_input_keys));

  /* Verdicts and decisions, now that the steps are there. */
  for (guint i = 0; i < items->len; i++)
    read_events (builder, ((Item *) g_ptr_array_index (items, i))->span);
  read_events (builder, root);

  if (items->len == 0 && root == NULL)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("the trace has no invoke_agent, chat or execute_tool span"));
      return NULL;
    }
  return g_steal_pointer (&builder);
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * reins_otlp_read:
 * @root: an OTLP/JSON ExportTraceServiceRequest
 *
 * Returns: (transfer full) (element-type ReinsImportBuilder): one run per trace, with the
 *   digest of its spans as its run id
 */
GPtrArray *
reins_otlp_read (JsonObject  *root,
                 GError     **error)
{
  g_autoptr(GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) reins_import_builder_free);
  g_autoptr(GHashTable) traces =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autofree char *first_error = NULL;
  JsonArray *resources = array_member (root, "resourceSpans");
  guint skipped = 0;

  for (guint r = 0; resources != NULL && r < json_array_get_length (resources); r++)
    {
      JsonNode *resource = json_array_get_element (resources, r);
      JsonArray *scopes;

      if (!JSON_NODE_HOLDS_OBJECT (resource))
        continue;
      scopes = array_member (json_node_get_object (resource), "scopeSpans");
      for (guint s = 0; scopes != NULL && s < json_array_get_length (scopes); s++)
        {
          JsonNode *scope = json_array_get_element (scopes, s);
          JsonArray *spans;

          if (!JSON_NODE_HOLDS_OBJECT (scope))
            continue;
          spans = array_member (json_node_get_object (scope), "spans");
          for (guint i = 0; spans != NULL && i < json_array_get_length (spans); i++)
            {
              JsonNode *node = json_array_get_element (spans, i);
              const char *trace;
              GPtrArray *list;

              if (!JSON_NODE_HOLDS_OBJECT (node))
                {
                  g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                               _("span %u is not an object"), i + 1);
                  return NULL;
                }
              trace = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                  "traceId", "");
              list = g_hash_table_lookup (traces, trace);
              if (list == NULL)
                {
                  list = g_ptr_array_new ();
                  g_hash_table_insert (traces, (gpointer) trace, list);
                  g_ptr_array_add (order, (gpointer) trace);
                }
              g_ptr_array_add (list, json_node_get_object (node));
            }
        }
    }

  if (order->len == 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA,
                           _("the OTLP/JSON holds no span"));
      return NULL;
    }

  /* A collector's file holds the traces of everything it saw: traces without a GenAI span
   * (HTTP requests, database queries) are no agent runs and are passed over, said once;
   * a document of nothing else is refused. */
  for (guint i = 0; i < order->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      ReinsImportBuilder *builder = read_trace (g_hash_table_lookup (traces, order->pdata[i]),
                                                &local_error);

      if (builder == NULL)
        {
          if (first_error == NULL)
            first_error = g_strdup_printf (_("trace %s: %s"), (char *) order->pdata[i],
                                           local_error->message);
          skipped++;
          continue;
        }
      g_ptr_array_add (result, builder);
    }
  if (result->len == 0)
    {
      g_set_error_literal (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, first_error);
      return NULL;
    }
  if (skipped > 0)
    g_message (ngettext ("%u trace holds no invoke_agent, chat or execute_tool span; it is "
                         "not an agent run and is not imported.",
                         "%u traces hold no invoke_agent, chat or execute_tool span; they are "
                         "not agent runs and are not imported.", skipped), skipped);
  return g_steal_pointer (&result);
}
