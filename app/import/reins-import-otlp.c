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

#include "reins-error.h"
#include "reins-import-private.h"
#include "reins-json-util.h"

/* Attribute values of OTLP/JSON as JSON: strings, booleans, numbers (64-bit integers may be
 * strings), arrays; %NULL for anything else. */
static JsonNode *
any_value (JsonNode *node)
{
  JsonObject *value;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  value = json_node_get_object (node);
  if ((member = json_object_get_member (value, "stringValue")) != NULL ||
      (member = json_object_get_member (value, "boolValue")) != NULL ||
      (member = json_object_get_member (value, "doubleValue")) != NULL)
    return JSON_NODE_HOLDS_VALUE (member) ? json_node_copy (member) : NULL;
  if ((member = json_object_get_member (value, "intValue")) != NULL && JSON_NODE_HOLDS_VALUE (member))
    {
      if (json_node_get_value_type (member) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (member);
          char *end = NULL;
          gint64 number = g_ascii_strtoll (text, &end, 10);

          if (end == text || *end != '\0')
            return NULL;
          return json_node_init_int (json_node_alloc (), number);
        }
      return json_node_copy (member);
    }
  if ((member = json_object_get_member (value, "arrayValue")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonNode *values = json_object_get_member (json_node_get_object (member), "values");
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; values != NULL && JSON_NODE_HOLDS_ARRAY (values) &&
           i < json_array_get_length (json_node_get_array (values)); i++)
        {
          JsonNode *element = any_value (json_array_get_element (json_node_get_array (values), i));

          if (element != NULL)
            json_array_add_element (array, element);
        }
      return json_node_init_array (json_node_alloc (), array);
    }
  return NULL;
}

/* A span's or an event's attributes as an object. */
static JsonObject *
attributes_of (JsonObject *object)
{
  JsonObject *result = json_object_new ();
  JsonNode *attributes = json_object_get_member (object, "attributes");

  if (attributes == NULL || !JSON_NODE_HOLDS_ARRAY (attributes))
    return result;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (attributes)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (attributes), i);
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      key = json_object_get_string_member_with_default (json_node_get_object (node), "key", NULL);
      value = any_value (json_object_get_member (json_node_get_object (node), "value"));
      if (key != NULL && value != NULL)
        json_object_set_member (result, key, value);
      else if (value != NULL)
        json_node_unref (value);
    }
  return result;
}

static gint64
attr_get_int (JsonObject *attributes,
              const char *key)
{
  JsonNode *node = json_object_get_member (attributes, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64 || json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_int (node);
  return 0;
}

static gint64
time_of (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10) / 1000;
  return json_node_get_int (node) / 1000;
}

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

/* The text parts of a messages attribute (a JSON string): the first message of @role, or
 * of any role when %NULL; reasoning parts go to @reasoning. */
static char *
message_text (JsonObject  *attributes,
              const char  *key,
              const char  *role,
              char       **reasoning,
              GPtrArray   *calls)
{
  const char *text = reins_import_string_member (attributes, key);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) thinking = g_string_new (NULL);

  if (text == NULL)
    return NULL;
  node = reins_import_parse (text, strlen (text), NULL, 1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *message = json_array_get_element (json_node_get_array (node), i);
      JsonNode *parts;

      if (!JSON_NODE_HOLDS_OBJECT (message))
        continue;
      if (role != NULL && g_strcmp0 (json_object_get_string_member_with_default (
                                       json_node_get_object (message), "role", NULL), role) != 0)
        continue;
      parts = json_object_get_member (json_node_get_object (message), "parts");
      for (guint p = 0; parts != NULL && JSON_NODE_HOLDS_ARRAY (parts) &&
           p < json_array_get_length (json_node_get_array (parts)); p++)
        {
          JsonNode *part = json_array_get_element (json_node_get_array (parts), p);
          JsonObject *object;
          const char *type, *content;

          if (!JSON_NODE_HOLDS_OBJECT (part))
            continue;
          object = json_node_get_object (part);
          type = json_object_get_string_member_with_default (object, "type", "");
          content = json_object_get_string_member_with_default (object, "content", NULL);
          if (g_str_equal (type, "text") && content != NULL)
            g_string_append (out, content);
          else if (g_str_equal (type, "reasoning") && content != NULL)
            g_string_append (thinking, content);
          else if (g_str_equal (type, "tool_call") && calls != NULL)
            g_ptr_array_add (calls, json_node_copy (part));
        }
      break;
    }
  if (reasoning != NULL)
    *reasoning = thinking->len > 0 ? g_strdup (thinking->str) : NULL;
  return out->len > 0 ? g_strdup (out->str) : NULL;
}

typedef struct
{
  Item     *chat;
  gboolean  taken;
} Pending;

static void
take_chat (ReinsImportBuilder *builder,
           Pending            *pending,
           ReinsStep          *step)
{
  g_autofree char *reasoning = NULL;
  g_autofree char *text = NULL;
  JsonObject *attributes;

  if (pending->chat == NULL || pending->taken)
    return;
  attributes = pending->chat->attributes;
  text = message_text (attributes, "gen_ai.output.messages", "assistant", &reasoning, NULL);
  reins_step_set_thought (step, reasoning != NULL ? reasoning : text);
  reins_step_set_reply (step, text);
  reins_step_set_tokens (step, MAX (attr_get_int (attributes, "gen_ai.usage.input_tokens"), 0),
                         MAX (attr_get_int (attributes, "gen_ai.usage.output_tokens"), 0));
  if (json_object_has_member (attributes, "reins.step.confidence"))
    reins_step_set_confidence (step, json_object_get_double_member (attributes,
                                                                    "reins.step.confidence"),
                               REINS_CONFIDENCE_SOURCE_SELF_REPORTED);
  reins_step_set_started_at (step, pending->chat->start);
  pending->taken = TRUE;
}

static void
flush_chat (ReinsImportBuilder *builder,
            Pending            *pending)
{
  if (pending->chat != NULL && !pending->taken)
    take_chat (builder, pending, reins_import_builder_add_step (builder));
  pending->chat = NULL;
  pending->taken = FALSE;
}

static void
read_tool (ReinsImportBuilder *builder,
           Pending            *pending,
           Item               *item)
{
  JsonObject *attributes = item->attributes;
  const char *args = reins_import_string_member (attributes, "gen_ai.tool.call.arguments");
  const char *result = reins_import_string_member (attributes, "gen_ai.tool.call.result");
  const char *name = reins_import_string_member (attributes, "gen_ai.tool.name");
  g_autoptr(JsonNode) arguments = NULL;
  JsonNode *status = json_object_get_member (item->span, "status");
  gboolean failed = FALSE;
  ReinsStep *step;

  if (args != NULL)
    {
      arguments = reins_import_parse (args, strlen (args), NULL, 1, NULL);
      if (arguments == NULL)
        arguments = json_node_init_string (json_node_alloc (), args);
    }
  if (name == NULL)
    name = json_object_get_string_member_with_default (item->span, "name", "unknown");
  step = reins_import_builder_tool_call (builder, name, arguments,
                                         reins_import_string_member (attributes, "gen_ai.tool.call.id"));
  g_hash_table_remove (builder->pending, reins_import_string_member (attributes, "gen_ai.tool.call.id") != NULL ?
                       reins_import_string_member (attributes, "gen_ai.tool.call.id") : "");
  if (status != NULL && JSON_NODE_HOLDS_OBJECT (status))
    failed = json_object_get_int_member_with_default (json_node_get_object (status), "code", 0) == 2;
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
  g_autoptr(JsonObject) attributes = attributes_of (event);
  const char *name = json_object_get_string_member_with_default (event, "name", "");
  gint64 index = attr_get_int (attributes, "reins.step.index");
  ReinsStep *step;

  if (!g_str_equal (name, "reins.verdict") && !g_str_equal (name, "reins.approval"))
    {
      if (!g_str_equal (name, "reins.user_turn"))
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
          reins_import_builder_note (builder, _("A verdict event of step %" G_GINT64_FORMAT
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
                                       time_of (event, "timeUnixNano"));
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

static void
read_root (ReinsImportBuilder *builder,
           JsonObject         *span,
           JsonObject         *attributes)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  g_autofree char *task = message_text (attributes, "gen_ai.input.messages", "user", NULL, NULL);
  g_autofree char *system = message_text (attributes, "gen_ai.system_instructions", NULL, NULL,
                                          NULL);

  builder->model = g_strdup (reins_import_string_member (attributes, "gen_ai.request.model"));
  builder->started_at = time_of (span, "startTimeUnixNano");
  if (task != NULL)
    reins_import_builder_user_turn (builder, task);
  builder->system = g_steal_pointer (&system);

  /* Labels: Reins' own, and whatever a framework added outside the conventions. */
  json_object_iter_init (&iter, attributes);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (key, "reins.label."))
        json_object_set_member (builder->labels, key + strlen ("reins.label."),
                                json_node_copy (value));
      else if (!g_str_has_prefix (key, "gen_ai.") && !g_str_has_prefix (key, "reins.") &&
               JSON_NODE_HOLDS_VALUE (value))
        json_object_set_member (builder->labels, key, json_node_copy (value));
    }
}

static const char *
operation_of (JsonObject *span,
              JsonObject *attributes)
{
  const char *operation = reins_import_string_member (attributes, "gen_ai.operation.name");
  const char *name = json_object_get_string_member_with_default (span, "name", "");

  if (operation != NULL)
    return operation;
  if (g_str_has_prefix (name, "invoke_agent"))
    return "invoke_agent";
  if (g_str_has_prefix (name, "execute_tool"))
    return "execute_tool";
  if (g_str_has_prefix (name, "chat"))
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
  Pending pending = { NULL, FALSE };

  for (guint i = 0; i < spans->len; i++)
    {
      JsonObject *span = g_ptr_array_index (spans, i);
      g_autoptr(JsonObject) attributes = attributes_of (span);
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
          item->start = time_of (span, "startTimeUnixNano");
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
          attributes = attributes_of (json_node_get_object (event));
          item = g_new0 (Item, 1);
          item->kind = ITEM_USER_TURN;
          item->index = (guint) CLAMP (attr_get_int (attributes, "reins.step.index"), 0, G_MAXUINT);
          item->start = time_of (json_node_get_object (event), "timeUnixNano");
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
          flush_chat (builder, &pending);
          if (builder->task == NULL)
            builder->task = message_text (item->attributes, "gen_ai.input.messages", "user",
                                          NULL, NULL);
          pending.chat = item;
          break;
        case ITEM_TOOL:
          read_tool (builder, &pending, item);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  flush_chat (builder, &pending);

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
  JsonArray *resources = array_member (root, "resourceSpans");

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

  for (guint i = 0; i < order->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      ReinsImportBuilder *builder = read_trace (g_hash_table_lookup (traces, order->pdata[i]),
                                                &local_error);

      if (builder == NULL)
        {
          g_set_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA, _("trace %s: %s"),
                       (char *) order->pdata[i], local_error->message);
          return NULL;
        }
      g_ptr_array_add (result, builder);
    }
  return g_steal_pointer (&result);
}
