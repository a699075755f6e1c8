/* test-inject.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection (docs/mistakes.md): each kind makes its mistake in native tool calls and
 * in ReAct text; rate 0 changes nothing and rate 1 every agent reply; the draws follow the
 * seed; the measured rate is close to the asked one; malformed specs are refused; it wraps
 * sim, scripted and an HTTP provider, and passes embeddings and side calls through.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "reins-confidence.h"
#include "reins-provider.h"
#include "reins-provider-inject.h"
#include "reins-react-parser.h"
#include "reins-test-server.h"

#define REACT_SYSTEM \
  "You are an agent. Answer in this format:\n\nThought: <…>\nAction: {\"name\": \"<tool>\", " \
  "\"arguments\": {…}}\n\nTools:\n" \
  "- kb_lookup: Look a key up. Arguments: {\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"}},\"required\":[\"key\"]}\n" \
  "- read_file: Read a file. Arguments: {\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}\n" \
  "- calculator: Compute. Arguments: {\"type\":\"object\",\"properties\":{\"expression\":{\"type\":\"string\"}},\"required\":[\"expression\"]}\n" \
  "- finish: End with the answer. Arguments: {\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}\n"

static JsonArray *
native_tools (void)
{
  g_autoptr(JsonNode) node = reins_json_from_string (
    "["
    "{\"name\":\"kb_lookup\",\"description\":\"Look a key up.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"}},\"required\":[\"key\"]}},"
    "{\"name\":\"read_file\",\"description\":\"Read a file.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}},"
    "{\"name\":\"calculator\",\"description\":\"Compute.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"expression\":{\"type\":\"string\"}},\"required\":[\"expression\"]}},"
    "{\"name\":\"finish\",\"description\":\"End.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}}"
    "]", NULL);

  g_assert_nonnull (node);
  return json_array_ref (json_node_get_array (node));
}

static const char * const tool_names[] = { "kb_lookup", "read_file", "calculator", "finish", NULL };

typedef struct
{
  guint seed;
  guint length;
  guint done;        /* lookups already made, following the chain */
  gboolean failed;   /* one more lookup of a key that does not exist, which failed */
} Conversation;

static void
add_step (ReinsChatRequest *request,
          gboolean          native,
          guint             index,
          const char       *key)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autofree char *call_id = g_strdup_printf ("call_%u", index);
  g_autofree char *observation = reins_kb_lookup (key);
  gboolean error = strstr (observation, "\"error\"") != NULL;
  g_autofree char *thought = g_strdup_printf ("I look up %s.", key);

  json_object_set_string_member (args, "key", key);
  if (native)
    {
      g_autoptr(ReinsAction) action = reins_action_new_with_id ("kb_lookup", args, call_id);
      ReinsChatMessage *assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, thought);

      reins_chat_message_add_tool_call (assistant, action);
      reins_chat_request_add (request, assistant);
      reins_chat_request_add (request, reins_chat_message_new_tool (call_id, "kb_lookup",
                                                                    observation, error));
    }
  else
    {
      g_autoptr(ReinsAction) action = reins_action_new ("kb_lookup", args);
      g_autofree char *reply = reins_react_format (thought, action);
      g_autofree char *obs = g_strdup_printf ("Observation: %s", observation);

      reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, reply));
      reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, obs));
    }
}

/* The prompt of a chain task after some lookups, as the loop would build it. */
static ReinsChatRequest *
conversation_request (const Conversation *c,
                      gboolean            native)
{
  ReinsChatRequest *request = reins_chat_request_new ();
  g_autofree char *task = reins_kb_task (c->seed, c->length);
  g_autofree char *task_line = g_strdup_printf ("Task: %s", task);

  request->native_tools = native;
  request->stream = FALSE;
  if (native)
    request->tools = native_tools ();
  reins_chat_request_add (request,
                          reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM,
                                                  native ? "You are an agent." : REACT_SYSTEM));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, task_line));
  for (guint i = 0; i < c->done; i++)
    {
      g_autofree char *key = reins_kb_key (c->seed, c->length, i);

      add_step (request, native, i + 1, key);
    }
  if (c->failed)
    {
      g_autofree char *key = g_strdup_printf ("chain-%u-%u/%u-zzzz", c->seed, c->length, c->done);

      add_step (request, native, c->done + 1, key);
    }
  return request;
}

static ReinsProvider *
new_sim (guint64 seed)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(GError) error = NULL;
  ReinsProvider *sim;

  config->seed = seed;
  config->sim_accuracy = 1.0;
  sim = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  return sim;
}

static ReinsProvider *
new_inject (ReinsProvider *inner,
            const char    *spec,
            guint64        seed)
{
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider = reins_provider_inject_new (inner, spec, seed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (provider);
  return provider;
}

static ReinsChatResponse *
chat (ReinsProvider    *provider,
      ReinsChatRequest *request)
{
  g_autoptr(GError) error = NULL;
  ReinsChatResponse *response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

/* The action of a reply as the loop reads it; NULL when ReAct text does not parse. */
static ReinsAction *
reply_action (ReinsChatResponse *response,
              gboolean           native)
{
  ReinsReactParse parse;
  g_autoptr(GError) error = NULL;
  ReinsAction *action = NULL;

  if (native)
    {
      g_assert_cmpuint (response->tool_calls->len, ==, 1);
      return g_object_ref (g_ptr_array_index (response->tool_calls, 0));
    }
  g_assert_cmpuint (response->tool_calls->len, ==, 0);
  g_assert_true (g_str_has_prefix (response->text, "Thought: "));
  if (reins_react_parse (response->text, &parse, &error))
    action = g_object_ref (parse.action);
  reins_react_parse_clear (&parse);
  return action;
}

static char *
request_text (ReinsChatRequest *request)
{
  GString *all = g_string_new (NULL);

  for (guint i = 1; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      g_string_append (all, m->content);
      for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
        {
          g_autofree char *json = reins_action_to_string (g_ptr_array_index (m->tool_calls, j));
          g_string_append (all, json);
        }
    }
  return g_string_free (all, FALSE);
}

static gboolean
is_real_tool (const char *name)
{
  return g_strv_contains (tool_names, name);
}

/* Lower case, no quotes, spaces, `./`, trailing `/`, and `_`/space for `-`. */
static char *
normalised (const char *value)
{
  g_autofree char *lower = g_utf8_strdown (value, -1);
  g_autofree char *bare = g_strstrip (g_strdelimit (g_strdup (g_strstrip (lower)), "'\"", ' '));
  GString *out = g_string_new (g_str_has_prefix (bare, "./") ? bare + 2 : bare);

  if (out->len > 1 && out->str[out->len - 1] == '/')
    g_string_truncate (out, out->len - 1);
  g_strdelimit (out->str, " _", '-');
  return g_string_free (out, FALSE);
}

static const char *
answer_of (ReinsAction *action)
{
  g_assert_nonnull (action);
  g_assert_cmpstr (reins_action_get_name (action), ==, "finish");
  g_assert_nonnull (reins_action_get_string_argument (action, "answer"));
  return reins_action_get_string_argument (action, "answer");
}

static gboolean
looks_like_date (const char *text)
{
  return g_regex_match_simple ("^(\\d{4}-\\d{2}-\\d{2}|\\d{1,2} [A-Z][a-z]+ \\d{4}|"
                               "[A-Z][a-z]+ \\d{1,2}, \\d{4}|\\d{2}/\\d{2}/\\d{4})$",
                               text, 0, 0);
}

/* Checks that @response carries a mistake of @kind for @request; @direct is what the wrapped
 * provider said without injection. */
static void
check_kind (const char        *kind,
            gboolean           native,
            ReinsChatRequest  *request,
            ReinsChatResponse *response,
            ReinsChatResponse *direct)
{
  g_autofree char *recorded = reins_inject_dup_kind_of_raw (response->raw_response);
  g_autofree char *seen = request_text (request);
  g_autofree char *seen_lower = g_utf8_strdown (seen, -1);
  g_autoptr(ReinsAction) action = reply_action (response, native);
  g_autoptr(ReinsAction) intended = reply_action (direct, native);
  ReinsAction *previous = NULL;

  g_assert_cmpstr (recorded, ==, kind);
  /* Nothing the model reads reveals the injection. */
  g_assert_null (strstr (response->text, kind));
  g_assert_null (strstr (response->text, "inject"));
  g_assert_null (strstr (response->text, "reins"));

  {
    const ReinsChatMessage *m = g_ptr_array_index (request->messages, request->messages->len - 2);

    if (m->role == REINS_CHAT_ROLE_ASSISTANT)
      {
        g_autofree char *unused = NULL;

        if (m->tool_calls != NULL)
          previous = g_object_ref (g_ptr_array_index (m->tool_calls, 0));
        else
          {
            ReinsReactParse parse;

            g_assert_true (reins_react_parse (m->content, &parse, NULL));
            previous = g_object_ref (parse.action);
            reins_react_parse_clear (&parse);
          }
      }
  }

  if (g_str_equal (kind, "repeat"))
    {
      g_assert_nonnull (action);
      g_assert_true (reins_action_equal (action, previous));
    }
  else if (g_str_equal (kind, "paraphrase"))
    {
      const char *key = reins_action_get_string_argument (action, "key");
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_nonnull (action);
      g_assert_cmpstr (reins_action_get_name (action), ==, reins_action_get_name (previous));
      g_assert_false (reins_action_equal (action, previous));
      /* Not string-equal, but the same value once spelling is set aside. */
      g_assert_nonnull (key);
      a = normalised (key);
      b = normalised (reins_action_get_string_argument (previous, "key"));
      g_assert_cmpstr (a, ==, b);
    }
  else if (g_str_equal (kind, "malformed_args"))
    {
      if (action != NULL)
        {
          JsonObject *args = reins_action_get_arguments (action);
          JsonNode *key = json_object_get_member (args, "key");
          gboolean well_formed = json_object_get_size (args) == 1 && key != NULL &&
                                 JSON_NODE_HOLDS_VALUE (key) &&
                                 json_node_get_value_type (key) == G_TYPE_STRING;

          g_assert_cmpstr (reins_action_get_name (action), ==, reins_action_get_name (intended));
          if (well_formed)
            g_error ("well-formed: %s %s", response->text, response->raw_response);
        }
      else
        g_assert_false (native);
    }
  else if (g_str_equal (kind, "unknown_tool"))
    {
      g_assert_nonnull (action);
      g_assert_false (is_real_tool (reins_action_get_name (action)));
      /* Plausible: it shares a part with a real name. */
      g_assert_true (strstr (reins_action_get_name (action), "kb") != NULL ||
                     strstr (reins_action_get_name (action), "lookup") != NULL ||
                     strstr (reins_action_get_name (action), "answer") != NULL);
    }
  else if (g_str_equal (kind, "drift"))
    {
      g_assert_nonnull (action);
      g_assert_true (is_real_tool (reins_action_get_name (action)));
      g_assert_cmpstr (reins_action_get_name (action), !=, "finish");
      g_assert_cmpstr (reins_action_get_name (action), !=, reins_action_get_name (intended));
      g_assert_cmpuint (json_object_get_size (reins_action_get_arguments (action)), >=, 1);
    }
  else if (g_str_equal (kind, "guessed_arg") || g_str_equal (kind, "false_success"))
    {
      g_assert_nonnull (action);
      if (g_str_equal (reins_action_get_name (action), "finish"))
        {
          /* Claims a result the failed call never gave. */
          g_assert_true (g_str_equal (kind, "false_success"));
          g_assert_cmpstr (answer_of (action), !=, "");
        }
      else
        {
          const char *key = reins_action_get_string_argument (action, "key");
          g_autofree char *lower = NULL;

          g_assert_cmpstr (reins_action_get_name (action), ==, "kb_lookup");
          g_assert_nonnull (key);
          lower = g_utf8_strdown (key, -1);
          /* Never observed, and shaped like the keys. */
          g_assert_null (strstr (seen_lower, lower));
          g_assert_true (g_str_has_prefix (key, "chain-"));
        }
    }
  else if (g_str_equal (kind, "invented_word"))
    {
      const char *answer = answer_of (action);

      g_assert_cmpuint (strlen (answer), >=, 2);
      g_assert_null (strchr (answer, ' '));
    }
  else if (g_str_equal (kind, "invented_number"))
    {
      g_autofree char *plain = g_strdup (answer_of (action));
      char *end = NULL;
      char *w = plain;

      for (const char *r = plain; *r != '\0'; r++)
        if (*r != ',')
          *w++ = *r;
      *w = '\0';
      g_ascii_strtod (plain, &end);
      g_assert_true (end != plain && *end == '\0');
    }
  else if (g_str_equal (kind, "intermediate"))
    {
      const char *answer = answer_of (action);
      gboolean has_key = FALSE;

      /* A key of the chain the run followed (or was about to follow), not its value. */
      for (guint i = 1; i < 6; i++)
        {
          g_autofree char *key = reins_kb_key (7, 6, i);

          has_key |= strstr (answer, key) != NULL;
        }
      g_assert_true (has_key);
    }
  else if (g_str_equal (kind, "invented_sentence"))
    {
      const char *answer = answer_of (action);

      g_assert_nonnull (strchr (answer, ' '));
      g_assert_true (g_str_has_suffix (answer, ".") || strchr (answer, ',') != NULL);
    }
  else if (g_str_equal (kind, "invented_date"))
    g_assert_true (looks_like_date (answer_of (action)));
  else if (g_str_equal (kind, "invented_list"))
    {
      const char *answer = answer_of (action);

      g_assert_true (strchr (answer, ',') != NULL || strchr (answer, '\n') != NULL ||
                     strstr (answer, " and ") != NULL);
    }
  else if (g_str_equal (kind, "premature_finish"))
    {
      g_autofree char *lower = g_utf8_strdown (answer_of (action), -1);

      g_assert_cmpstr (reins_action_get_name (intended), !=, "finish");
      g_assert_null (strstr (seen_lower, lower));
    }
  else
    g_assert_not_reached ();

  g_clear_object (&previous);
}

static void
test_kind (gconstpointer data)
{
  const char *kind = data;

  for (guint mode = 0; mode < 2; mode++)
    {
      gboolean native = mode == 0;

      /* Several seeds, so that several variants of a kind are checked. */
      for (guint64 seed = 1; seed <= 6; seed++)
        {
          Conversation c = { 7, 6, 3, g_str_equal (kind, "false_success") };
          g_autoptr(ReinsProvider) sim = new_sim (seed);
          g_autofree char *spec = g_strdup_printf ("1:%s", kind);
          g_autoptr(ReinsProvider) inject = new_inject (sim, spec, seed);
          g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
          g_autoptr(ReinsChatResponse) direct = chat (sim, request);
          g_autoptr(ReinsChatResponse) response = chat (inject, request);

          check_kind (kind, native, request, response, direct);

          /* A mistake is no free call: the same prompt, some output. */
          g_assert_cmpuint (response->input_tokens, ==, direct->input_tokens);
          g_assert_cmpuint (response->output_tokens, >, 0);
          g_assert_nonnull (response->logprobs);
          g_assert_nonnull (response->raw_request);
          g_assert_nonnull (strstr (response->raw_response, "wrapped_raw_response"));
        }
    }
}

/* A kind that does not fit the moment is not made: a repeat needs an earlier action, a
 * false success a failed call, an intermediate answer a pointer the run followed. */
static void
test_kind_needs_context (void)
{
  static const char * const kinds[] = { "repeat", "paraphrase", "false_success", "intermediate" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint mode = 0; mode < 2; mode++)
      {
        Conversation c = { 3, 5, 0, FALSE };
        g_autoptr(ReinsProvider) sim = new_sim (1);
        g_autofree char *spec = g_strdup_printf ("1:%s", kinds[i]);
        g_autoptr(ReinsProvider) inject = new_inject (sim, spec, 1);
        g_autoptr(ReinsChatRequest) request = conversation_request (&c, mode == 0);
        g_autoptr(ReinsChatResponse) direct = chat (sim, request);
        g_autoptr(ReinsChatResponse) response = chat (inject, request);
        g_autofree char *recorded = reins_inject_dup_kind_of_raw (response->raw_response);

        g_assert_null (recorded);
        g_assert_cmpstr (response->text, ==, direct->text);
      }
}

/* In ReAct nothing marks a failed call but its wording: a false success follows a reply the
 * loop could not read, and never a lookup that worked. */
static void
test_false_success_react_wording (void)
{
  for (guint failed = 0; failed < 2; failed++)
    {
      Conversation c = { 7, 6, 3, FALSE };
      g_autoptr(ReinsProvider) sim = new_sim (2);
      g_autoptr(ReinsProvider) inject = new_inject (sim, "1:false_success", 2);
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, FALSE);
      g_autoptr(ReinsChatResponse) response = NULL;
      g_autofree char *recorded = NULL;

      if (failed)
        {
          reins_chat_request_add (request,
                                  reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT,
                                                          "Thought: next\n"
                                                          "Action: kb_lookup(key=1)"));
          reins_chat_request_add (request,
                                  reins_chat_message_new (REINS_CHAT_ROLE_USER,
                                                          "Observation: The action could not "
                                                          "be read: Invalid JSON"));
        }
      response = chat (inject, request);
      recorded = reins_inject_dup_kind_of_raw (response->raw_response);
      if (failed)
        g_assert_cmpstr (recorded, ==, "false_success");
      else
        g_assert_null (recorded);
    }
}

/* Tool lists of odd shape (as an MCP server may send): names that are no strings, schemas
 * that are no objects, ReAct tool lines that do not parse. Nothing crashes or complains, and
 * every kind is still made or left out. */
static void
test_odd_tools (void)
{
  const char *odd_native =
    "[{\"name\": 5}, {\"description\": \"no name\"}, 7, "
    "{\"name\": \"odd\", \"parameters\": {\"properties\": [1, 2]}}, "
    "{\"name\": \"weird\", \"parameters\": {\"properties\": {\"a\": {\"type\": [\"string\", \"null\"]},"
    " \"b\": 7}, \"required\": [3, \"a\", null]}}, "
    "{\"name\": \"kb_lookup\", \"parameters\": \"none\"}, "
    "{\"name\": \"finish\", \"parameters\": {\"properties\": {}}}]";
  const char *odd_react =
    "Answer with Action: lines.\nTools:\n- : nothing\n- name with space: x\n"
    "- bad: broken Arguments: {not json\n-nospace\n- kb_lookup: Look up. Arguments: []\n"
    "- finish: Done. Arguments: {\"properties\": 3}\n";
  const char * const *names = reins_inject_get_kind_names ();

  for (guint k = 0; names[k] != NULL; k++)
    for (guint mode = 0; mode < 2; mode++)
      {
        gboolean native = mode == 0;
        Conversation c = { 4, 5, 2, FALSE };
        g_autoptr(ReinsProvider) sim = new_sim (k);
        g_autofree char *spec = g_strdup_printf ("1:%s", names[k]);
        g_autoptr(ReinsProvider) inject = new_inject (sim, spec, k);
        g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
        g_autoptr(ReinsChatResponse) response = NULL;
        g_autofree char *recorded = NULL;
        ReinsChatMessage *system = g_ptr_array_index (request->messages, 0);

        if (native)
          {
            g_autoptr(JsonNode) node = reins_json_from_string (odd_native, NULL);

            g_assert_nonnull (node);
            json_array_unref (request->tools);
            request->tools = json_array_ref (json_node_get_array (node));
          }
        else
          {
            g_free (system->content);
            system->content = g_strdup (odd_react);
          }
        response = chat (inject, request);
        recorded = reins_inject_dup_kind_of_raw (response->raw_response);
        g_assert_true (recorded == NULL || g_str_equal (recorded, names[k]));
        /* The kinds that need nothing but the conversation are always made. */
        if (g_str_has_prefix (names[k], "invented") || g_str_equal (names[k], "repeat") ||
            g_str_equal (names[k], "malformed_args") || g_str_equal (names[k], "unknown_tool"))
          g_assert_cmpstr (recorded, ==, names[k]);
      }
}

/* The wrapped reply is the right finish: invented answers replace it with a wrong one. */
static void
test_wrapped_finish (void)
{
  static const char * const kinds[] = {
    "invented_word", "invented_number", "invented_sentence", "invented_date", "invented_list",
    "intermediate", "unknown_tool", "malformed_args", "repeat",
  };
  g_autofree char *value = reins_kb_value (7, 6);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint mode = 0; mode < 2; mode++)
      {
        gboolean native = mode == 0;
        Conversation c = { 7, 6, 6, FALSE };
        g_autoptr(ReinsProvider) sim = new_sim (5);
        g_autofree char *spec = g_strdup_printf ("1:%s", kinds[i]);
        g_autoptr(ReinsProvider) inject = new_inject (sim, spec, 5);
        g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
        g_autoptr(ReinsChatResponse) direct = chat (sim, request);
        g_autoptr(ReinsChatResponse) response = chat (inject, request);
        g_autoptr(ReinsAction) intended = reply_action (direct, native);
        g_autoptr(ReinsAction) action = reply_action (response, native);
        g_autofree char *recorded = reins_inject_dup_kind_of_raw (response->raw_response);

        g_assert_cmpstr (reins_action_get_name (intended), ==, "finish");
        g_assert_cmpstr (reins_action_get_string_argument (intended, "answer"), ==, value);
        g_assert_cmpstr (recorded, ==, kinds[i]);
        if (g_str_has_prefix (kinds[i], "invented") || g_str_equal (kinds[i], "intermediate"))
          g_assert_cmpstr (answer_of (action), !=, value);
        else if (g_str_equal (kinds[i], "unknown_tool"))
          g_assert_false (is_real_tool (reins_action_get_name (action)));
        else if (g_str_equal (kinds[i], "repeat"))
          g_assert_cmpstr (reins_action_get_name (action), ==, "kb_lookup");
      }
}

static void
test_rate_zero (void)
{
  for (guint i = 0; i < 20; i++)
    {
      Conversation c = { 10 + i, 5, i % 5, FALSE };
      gboolean native = i % 2 == 0;
      g_autoptr(ReinsProvider) sim = new_sim (i);
      g_autoptr(ReinsProvider) inject = new_inject (sim, "0:all", i);
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
      g_autoptr(ReinsChatResponse) direct = chat (sim, request);
      g_autoptr(ReinsChatResponse) response = chat (inject, request);

      g_assert_cmpstr (response->text, ==, direct->text);
      g_assert_cmpstr (response->raw_response, ==, direct->raw_response);
      g_assert_cmpuint (response->output_tokens, ==, direct->output_tokens);
      g_assert_null (strstr (response->raw_response, REINS_INJECT_RAW_MEMBER));
    }
}

static void
test_rate_one (void)
{
  const char * const specs[] = { "1", "1:all", "1:tuning", "1:evaluation" };

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    for (guint i = 0; i < 20; i++)
      {
        Conversation c = { 10 + i, 6, 1 + i % 5, FALSE };
        gboolean native = i % 2 == 0;
        g_autoptr(ReinsProvider) sim = new_sim (i);
        g_autoptr(ReinsProvider) inject = new_inject (sim, specs[s], i);
        g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
        g_autoptr(ReinsChatResponse) response = chat (inject, request);
        g_autofree char *recorded = reins_inject_dup_kind_of_raw (response->raw_response);
        const char *half = reins_inject_get_kind_set (recorded);

        g_assert_nonnull (recorded);
        if (g_str_has_suffix (specs[s], "tuning"))
          g_assert_cmpstr (half, ==, "tuning");
        else if (g_str_has_suffix (specs[s], "evaluation"))
          g_assert_cmpstr (half, ==, "evaluation");
      }
}

static void
test_deterministic (void)
{
  guint differ = 0;

  for (guint i = 0; i < 20; i++)
    {
      Conversation c = { 30 + i, 6, 2, FALSE };
      gboolean native = i % 2 == 1;
      g_autoptr(ReinsProvider) sim = new_sim (3);
      g_autoptr(ReinsProvider) a = new_inject (sim, "0.5:all", 42);
      g_autoptr(ReinsProvider) b = new_inject (sim, "0.5:all", 42);
      g_autoptr(ReinsProvider) other = new_inject (sim, "0.5:all", 43);
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, native);
      g_autoptr(ReinsChatResponse) ra = chat (a, request);
      g_autoptr(ReinsChatResponse) ra2 = chat (a, request);
      g_autoptr(ReinsChatResponse) rb = chat (b, request);
      g_autoptr(ReinsChatResponse) ro = chat (other, request);

      g_assert_cmpstr (ra->text, ==, rb->text);
      g_assert_cmpstr (ra->raw_response, ==, rb->raw_response);
      g_assert_cmpstr (ra->text, ==, ra2->text);
      if (g_strcmp0 (ra->raw_response, ro->raw_response) != 0)
        differ++;
    }
  /* Another seed makes other choices. */
  g_assert_cmpuint (differ, >, 3);
}

static void
test_measured_rate (void)
{
  const double rate = 0.12;
  guint injected = 0, calls = 0;
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 400; i++)
    {
      Conversation c = { 100 + i, 8, i % 8, FALSE };
      g_autoptr(ReinsProvider) sim = new_sim (i);
      g_autoptr(ReinsProvider) inject = new_inject (sim, "0.12:all", 9);
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, i % 3 != 0);
      g_autoptr(ReinsChatResponse) response = chat (inject, request);
      char *recorded = reins_inject_dup_kind_of_raw (response->raw_response);

      calls++;
      if (recorded != NULL)
        {
          injected++;
          g_hash_table_add (kinds, recorded);
        }
    }
  g_test_message ("%u of %u replies replaced (%.3f), %u kinds", injected, calls,
                  (double) injected / calls, g_hash_table_size (kinds));
  /* Within three standard deviations of the binomial. */
  g_assert_cmpfloat (fabs ((double) injected / calls - rate), <,
                     3 * sqrt (rate * (1 - rate) / calls));
  g_assert_cmpuint (g_hash_table_size (kinds), >=, 10);
}

/* Many injected mistakes are confident: a checker cannot just look for low confidence. */
static void
test_confidence_mix (void)
{
  guint high = 0, low = 0;

  for (guint i = 0; i < 80; i++)
    {
      Conversation c = { 200 + i, 6, 1 + i % 4, FALSE };
      g_autoptr(ReinsProvider) sim = new_sim (i);
      g_autoptr(ReinsProvider) inject = new_inject (sim, "1:all", i);
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, i % 2 == 0);
      g_autoptr(ReinsChatResponse) response = chat (inject, request);
      ReinsConfidenceSource source;
      double confidence = reins_confidence_compute (response, NULL, &source);

      g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
      if (confidence >= 0.85)
        high++;
      if (confidence < 0.7)
        low++;
    }
  g_assert_cmpuint (high, >=, 15);
  g_assert_cmpuint (low, >=, 5);
}

static void
test_specs (void)
{
  static const char * const bad[] = {
    "", "   ", "abc", "1.5", "-0.1", "0.1:", "0.1:bogus", "0.1:repeat,,drift", "nan", "inf",
    "0.1x", ":repeat", "0.1:tuning,nope", "0,1", "1e400",
  };
  static const struct {
    const char *kind;
    const char *half;
  } frozen[] = {
    { "repeat", "tuning" }, { "paraphrase", "evaluation" },
    { "malformed_args", "tuning" }, { "unknown_tool", "evaluation" },
    { "drift", "tuning" }, { "guessed_arg", "evaluation" },
    { "invented_word", "tuning" }, { "invented_number", "tuning" },
    { "intermediate", "tuning" }, { "false_success", "tuning" },
    { "invented_sentence", "evaluation" }, { "invented_date", "evaluation" },
    { "invented_list", "evaluation" }, { "premature_finish", "evaluation" },
  };
  const char * const *names = reins_inject_get_kind_names ();
  double rate;
  guint all, tuning, evaluation, some;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      if (reins_inject_parse_spec (bad[i], &rate, &all, &error))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, "RATE"));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsProvider) sim = new_sim (1);

    g_assert_false (reins_inject_parse_spec (NULL, NULL, NULL, &error));
    g_clear_error (&error);
    g_assert_null (reins_provider_inject_new (sim, "0.1:nothing", 0, &error));
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
    g_assert_nonnull (strstr (error->message, "nothing"));
  }

  g_assert_true (reins_inject_parse_spec ("0.12", &rate, &all, NULL));
  g_assert_cmpfloat (rate, ==, 0.12);
  g_assert_true (reins_inject_parse_spec (" 0.12 : all ", &rate, &some, NULL));
  g_assert_cmpuint (some, ==, all);
  g_assert_true (reins_inject_parse_spec ("0:tuning", &rate, &tuning, NULL));
  g_assert_cmpfloat (rate, ==, 0);
  g_assert_true (reins_inject_parse_spec ("1:evaluation", &rate, &evaluation, NULL));
  g_assert_cmpfloat (rate, ==, 1);
  g_assert_cmpuint (tuning & evaluation, ==, 0);
  g_assert_cmpuint (tuning | evaluation, ==, all);
  g_assert_true (reins_inject_parse_spec ("0.2:repeat, drift", &rate, &some, NULL));
  g_assert_cmpuint (some & tuning, ==, some);
  g_assert_true (reins_inject_parse_spec ("0.2:tuning,paraphrase", &rate, &some, NULL));
  g_assert_cmpuint (some & evaluation, !=, 0);

  /* The split is frozen (docs/mistakes.md): each kind stays in its half. */
  g_assert_cmpuint (g_strv_length ((char **) names), ==, G_N_ELEMENTS (frozen));
  for (guint i = 0; i < G_N_ELEMENTS (frozen); i++)
    {
      g_assert_cmpstr (names[i], ==, frozen[i].kind);
      g_assert_cmpstr (reins_inject_get_kind_set (frozen[i].kind), ==, frozen[i].half);
    }
  g_assert_null (reins_inject_get_kind_set ("tuning"));
}

/* Summaries and other calls without tools are no agent steps: never touched. */
static void
test_side_calls_pass (void)
{
  g_autoptr(ReinsProvider) sim = new_sim (1);
  g_autoptr(ReinsProvider) inject = new_inject (sim, "1:all", 1);
  g_autoptr(ReinsChatRequest) request = reins_chat_request_new ();
  g_autoptr(ReinsChatResponse) direct = NULL;
  g_autoptr(ReinsChatResponse) response = NULL;

  request->stream = FALSE;
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER,
                                                           "Summarise these steps."));
  direct = chat (sim, request);
  response = chat (inject, request);
  g_assert_cmpstr (response->text, ==, direct->text);
  g_assert_null (strstr (response->raw_response, REINS_INJECT_RAW_MEMBER));
  g_assert_cmpstr (reins_provider_get_name (inject), ==, "sim");
}

static void
collect_tokens (const char *delta,
                gpointer    user_data)
{
  g_string_append (user_data, delta);
}

/* What is streamed is the injected reply, never the wrapped one. */
static void
test_streaming (void)
{
  Conversation c = { 7, 6, 3, FALSE };
  g_autoptr(ReinsProvider) sim = new_sim (1);
  g_autoptr(ReinsProvider) inject = new_inject (sim, "1:invented_sentence", 1);
  g_autoptr(ReinsChatRequest) request = conversation_request (&c, FALSE);
  g_autoptr(GString) streamed = g_string_new (NULL);
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  request->stream = TRUE;
  response = reins_provider_chat (inject, request, collect_tokens, streamed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (streamed->str, ==, response->text);
  g_assert_nonnull (strstr (response->text, "finish"));
}

static void
test_settings (void)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider;

  /* No setting: the provider itself. */
  provider = reins_provider_inject_wrap_for_settings (new_sim (1), settings, &error);
  g_assert_no_error (error);
  g_assert_false (REINS_IS_PROVIDER_INJECT (provider));
  g_object_unref (provider);

  json_object_set_string_member (settings, "inject_mistakes", "0.3:tuning");
  json_object_set_int_member (settings, "inject_seed", 5);
  provider = reins_provider_inject_wrap_for_settings (new_sim (1), settings, &error);
  g_assert_no_error (error);
  g_assert_true (REINS_IS_PROVIDER_INJECT (provider));
  g_assert_cmpstr (reins_provider_get_name (
                     reins_provider_inject_get_inner (REINS_PROVIDER_INJECT (provider))),
                   ==, "sim");
  g_object_unref (provider);

  json_object_set_string_member (settings, "inject_mistakes", "2:tuning");
  provider = reins_provider_inject_wrap_for_settings (new_sim (1), settings, &error);
  g_assert_null (provider);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_clear_error (&error);

  json_object_set_int_member (settings, "inject_mistakes", 3);
  provider = reins_provider_inject_wrap_for_settings (new_sim (1), settings, &error);
  g_assert_null (provider);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
}

/* The scripted provider, and a wrapped reply without log-probabilities keeps none. */
static void
test_wraps_scripted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reins-inject-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "script.json", NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");
  g_autoptr(ReinsProvider) scripted = NULL;
  g_autoptr(ReinsProvider) inject = NULL;
  g_autoptr(GError) error = NULL;
  Conversation c = { 7, 6, 2, FALSE };
  const char *script =
    "{\"responses\": [{\"text\": \"\", \"tool_calls\": [{\"id\": \"call_x1\", \"name\": \"kb_lookup\","
    " \"arguments\": {\"key\": \"chain-7-6/2-0000\"}}], \"usage\": {\"input_tokens\": 500,"
    " \"output_tokens\": 30}}], \"repeat_last\": true}";

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  config->script_path = g_strdup (path);
  scripted = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  inject = new_inject (scripted, "1:unknown_tool", 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ReinsChatRequest) request = conversation_request (&c, TRUE);
      g_autoptr(ReinsChatResponse) response = chat (inject, request);
      ReinsAction *action = g_ptr_array_index (response->tool_calls, 0);

      g_assert_false (is_real_tool (reins_action_get_name (action)));
      /* The provider's own call id and silence before the call are kept. */
      g_assert_cmpstr (reins_action_get_call_id (action), ==, "call_x1");
      g_assert_cmpstr (response->text, ==, "");
      g_assert_null (response->logprobs);
      g_assert_cmpuint (response->input_tokens, ==, 500);
      g_assert_cmpuint (response->output_tokens, >=, 30);
      c.done++;
    }

  g_unlink (path);
  g_rmdir (dir);
}

static const char *openai_reply =
  "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\","
  "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Thought: I look it up.\\n"
  "Action: {\\\"name\\\": \\\"kb_lookup\\\", \\\"arguments\\\": {\\\"key\\\": \\\"chain-7-6/3-abcd\\\"}}\"},"
  "\"logprobs\":{\"content\":[{\"token\":\"Thought\",\"logprob\":-0.1,\"bytes\":null,\"top_logprobs\":[]},"
  "{\"token\":\": I\",\"logprob\":-0.2,\"bytes\":null,\"top_logprobs\":[]}]},"
  "\"finish_reason\":\"stop\"}],"
  "\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":57,\"total_tokens\":869}}";

static const char *embed_reply =
  "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]}],"
  "\"model\":\"e\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}";

static void
openai_handler (const char     *path,
                const char     *body,
                guint           index,
                ReinsTestReply *reply,
                gpointer        user_data)
{
  reins_test_reply_add_header (reply, "Content-Type", "application/json");
  reins_test_reply_add (reply, 0,
                        g_str_has_suffix (path, "/embeddings") ? embed_reply : openai_reply, -1);
}

/* An HTTP provider: ReAct text from an OpenAI-compatible server, and its embeddings. */
static void
test_wraps_http (void)
{
  g_autoptr(ReinsTestServer) server = reins_test_server_new (openai_handler, NULL);
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("openai");
  g_autoptr(ReinsProvider) openai = NULL;
  g_autoptr(ReinsProvider) inject = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vectors = NULL;
  const char *texts[] = { "hello", NULL };
  Conversation c = { 7, 6, 3, FALSE };
  g_autoptr(ReinsChatRequest) request = conversation_request (&c, FALSE);
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(ReinsAction) action = NULL;
  g_autofree char *kind = NULL;

  config->base_url = g_strdup (reins_test_server_get_url (server));
  config->model = g_strdup ("m");
  config->embedding_model = g_strdup ("e");
  config->max_retries = 0;
  openai = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  inject = new_inject (openai, "1:guessed_arg", 11);

  response = chat (inject, request);
  action = reply_action (response, FALSE);
  kind = reins_inject_dup_kind_of_raw (response->raw_response);
  g_assert_cmpstr (kind, ==, "guessed_arg");
  g_assert_cmpstr (reins_action_get_name (action), ==, "kb_lookup");
  g_assert_cmpstr (reins_action_get_string_argument (action, "key"), !=, "chain-7-6/3-abcd");
  g_assert_true (g_str_has_prefix (reins_action_get_string_argument (action, "key"), "chain-7-6/"));
  g_assert_cmpuint (response->input_tokens, ==, 812);
  g_assert_true (response->usage_reported);
  /* The server's log-probabilities are replaced by ones for the new text. */
  g_assert_nonnull (response->logprobs);
  g_assert_nonnull (strstr (response->raw_response, "chatcmpl-1"));
  g_assert_cmpstr (reins_provider_get_name (inject), ==, "openai");

  g_assert_true (reins_provider_supports_embeddings (inject));
  vectors = reins_provider_embed (inject, texts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vectors->len, ==, 1);
  g_assert_cmpuint (reins_test_server_get_count (server), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  const char * const *names = reins_inject_get_kind_names ();

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/reins/inject/kind/%s", names[i]);

      g_test_add_data_func (path, names[i], test_kind);
    }
  g_test_add_func ("/reins/inject/kind-needs-context", test_kind_needs_context);
  g_test_add_func ("/reins/inject/false-success-wording", test_false_success_react_wording);
  g_test_add_func ("/reins/inject/wrapped-finish", test_wrapped_finish);
  g_test_add_func ("/reins/inject/odd-tools", test_odd_tools);
  g_test_add_func ("/reins/inject/rate-zero", test_rate_zero);
  g_test_add_func ("/reins/inject/rate-one", test_rate_one);
  g_test_add_func ("/reins/inject/deterministic", test_deterministic);
  g_test_add_func ("/reins/inject/measured-rate", test_measured_rate);
  g_test_add_func ("/reins/inject/confidence-mix", test_confidence_mix);
  g_test_add_func ("/reins/inject/specs", test_specs);
  g_test_add_func ("/reins/inject/side-calls", test_side_calls_pass);
  g_test_add_func ("/reins/inject/streaming", test_streaming);
  g_test_add_func ("/reins/inject/settings", test_settings);
  g_test_add_func ("/reins/inject/wraps-scripted", test_wraps_scripted);
  g_test_add_func ("/reins/inject/wraps-http", test_wraps_http);

  return g_test_run ();
}
