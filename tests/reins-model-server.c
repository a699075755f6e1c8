/* reins-model-server.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OpenAI-compatible model server whose mistakes were designed apart from Reins' harness
 * (docs/error-models.md): a test peer and a bench tool. It plays an agent that follows the
 * knowledge-base chains with `kb_lookup`, a critic and a summariser, and makes mistakes of
 * its own kinds at a given per-step accuracy, deterministically for a seed and a
 * conversation. Loopback only; `--port=0` picks a port and prints the base URL.
 *
 * It deliberately links nothing of Reins: it knows the chains only from the task text and
 * the tool results in the conversation, as a real model would.
 */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* ---------------------------------------------------------------------------------------
 * The mistakes (docs/error-models.md has the reasons and the sources)
 */

typedef enum
{
  KIND_WORD,          /* finish with an invented plain word */
  KIND_SENTENCE,      /* finish with a sentence of made-up facts */
  KIND_NUMBER,        /* finish with an invented number */
  KIND_LOOKALIKE,     /* finish with an invented value shaped like a record id */
  KIND_POINTER,       /* finish with a key from the middle of the chain */
  KIND_MISREAD,       /* a result read wrong: a value or key with a digit or part wrong */
  KIND_TYPO,          /* kb_lookup with a mistyped key */
  KIND_REPEAT,        /* the previous call again, unchanged */
  KIND_STALE,         /* an earlier key looked up again */
  KIND_DRIFT,         /* an unrelated tool, or an unrelated key */
  KIND_UNKNOWN_TOOL,  /* a tool that was not offered */
  KIND_BAD_ARGS,      /* arguments of the wrong shape, or not JSON */
  KIND_NO_CALL,       /* prose that calls no tool */
  KIND_CLAIM,         /* after a failed step, success claimed with an invented value */
  N_KINDS
} Kind;

static const struct
{
  const char *name;
  double      weight;  /* share of the mistakes, where the kind applies */
} kinds[N_KINDS] = {
  [KIND_WORD] = { "word", 9 },
  [KIND_SENTENCE] = { "sentence", 7 },
  [KIND_NUMBER] = { "number", 6 },
  [KIND_LOOKALIKE] = { "lookalike", 9 },
  [KIND_POINTER] = { "pointer", 9 },
  [KIND_MISREAD] = { "misread", 8 },
  [KIND_TYPO] = { "typo", 10 },
  [KIND_REPEAT] = { "repeat", 9 },
  [KIND_STALE] = { "stale", 5 },
  [KIND_DRIFT] = { "drift", 6 },
  [KIND_UNKNOWN_TOOL] = { "unknown-tool", 4 },
  [KIND_BAD_ARGS] = { "bad-args", 5 },
  [KIND_NO_CALL] = { "no-call", 5 },
  [KIND_CLAIM] = { "claim", 8 },
};

/* After a failed step, a claim of success is this many times likelier than its weight. */
#define CLAIM_AFTER_ERROR_FACTOR 3.0
/* How the model takes a correction (a harness message, a rejection, a refused finish). */
#define TAKE_CORRECTION 0.6       /* of a wrong step: fixes it; else insists, unchanged */
#define TAKE_CORRECTION_STEP 0.15 /* more likely with each further correction in a row */
#define KEEP_RIGHT_STEP 0.6       /* of a right step: keeps it; else gives way (a mistake) */
/* How sure it sounds: a right step, and a mistake that sounds as sure as a right one. */
#define MISTAKE_OVERCONFIDENT 0.55
/* Of the critic's mistakes: lenient (accepts), strict (refuses), or no JSON at all. */
#define CRITIC_LENIENT 0.55
#define CRITIC_STRICT 0.25

typedef struct
{
  guint     port;
  double    accuracy;
  double    critic_accuracy;
  guint64   seed;
  gboolean  prose;
  gboolean  enabled[N_KINDS];
} Options;

static Options opt = { 0, 0.88, 0.9, 0, FALSE, { 0 } };

/* ---------------------------------------------------------------------------------------
 * The conversation, as the model reads it
 */

typedef struct
{
  char     *name;         /* the tool called; NULL: the reply called none */
  char     *args;         /* its arguments as sent (JSON text, maybe malformed) */
  char     *key;          /* kb_lookup's key */
  char     *answer;       /* finish's answer */
  char     *text;         /* the reply's text */
  char     *observation;  /* what came back, or NULL */
  gboolean  corrected;    /* a harness message, a rejection or a refused finish followed */
  gboolean  right;        /* it was the step the model should have taken */
} Step;

typedef struct
{
  char       *system;
  char       *task;
  char       *summary;
  char       *last_user;  /* the last user message (the critic's and summariser's prompt) */
  GPtrArray  *steps;      /* (element-type Step) */
  GPtrArray  *tools;      /* (element-type utf8) tool names offered */
  gboolean    react;
  gboolean    native;
} Conversation;

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->name);
  g_free (step->args);
  g_free (step->key);
  g_free (step->answer);
  g_free (step->text);
  g_free (step->observation);
  g_free (step);
}

static void
conversation_free (Conversation *c)
{
  g_free (c->system);
  g_free (c->task);
  g_free (c->summary);
  g_free (c->last_user);
  g_ptr_array_unref (c->steps);
  g_ptr_array_unref (c->tools);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conversation, conversation_free)

static gboolean
has_tool (Conversation *c,
          const char   *name)
{
  for (guint i = 0; i < c->tools->len; i++)
    if (g_str_equal (g_ptr_array_index (c->tools, i), name))
      return TRUE;
  return FALSE;
}

static Step *
last_step (Conversation *c)
{
  return c->steps->len > 0 ? g_ptr_array_index (c->steps, c->steps->len - 1) : NULL;
}

/* The text of a message's content: a string, or an array of text parts. */
static char *
content_text (JsonObject *message)
{
  JsonNode *node = json_object_get_member (message, "content");
  GString *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *part = json_array_get_element (json_node_get_array (node), i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (part) ? json_node_get_object (part) : NULL;
      const char *t = o != NULL ? json_object_get_string_member_with_default (o, "text", NULL)
                                : NULL;

      if (t != NULL)
        g_string_append (text, t);
    }
  return g_string_free (text, FALSE);
}

/* Fills the step's key or answer from its arguments, when they are JSON. */
static void
step_read_args (Step *step)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *o;

  if (step->args == NULL || !json_parser_load_from_data (parser, step->args, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  o = json_node_get_object (root);
  if (g_strcmp0 (step->name, "kb_lookup") == 0)
    step->key = g_strdup (json_object_get_string_member_with_default (o, "key", NULL));
  else if (g_strcmp0 (step->name, "finish") == 0)
    step->answer = g_strdup (json_object_get_string_member_with_default (o, "answer", NULL));
}

/* A ReAct reply: `Action: {"name": …, "arguments": {…}}` or `Final Answer: …`. */
static void
step_read_react (Step       *step,
                 const char *text)
{
  const char *action = g_strrstr (text, "Action:");
  const char *final = g_strrstr (text, "Final Answer:");

  if (action != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *open = strchr (action, '{');
      const char *close = strrchr (action, '}');
      g_autofree char *json = NULL;
      JsonNode *root;

      if (open == NULL || close == NULL || close < open)
        return;
      json = g_strndup (open, (gsize) (close - open + 1));
      if (!json_parser_load_from_data (parser, json, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          step->name = g_strdup ("?");
          return;
        }
      step->name = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                         "name", "?"));
      if (json_object_has_member (json_node_get_object (root), "arguments"))
        {
          g_autoptr(JsonGenerator) gen = json_generator_new ();

          json_generator_set_root (gen, json_object_get_member (json_node_get_object (root),
                                                                "arguments"));
          step->args = json_generator_to_data (gen, NULL);
        }
      step_read_args (step);
    }
  else if (final != NULL)
    {
      step->name = g_strdup ("finish");
      step->answer = g_strstrip (g_strdup (final + strlen ("Final Answer:")));
    }
}

static gboolean
is_correction (const char *text)
{
  return g_str_has_prefix (text, "[Harness") && strstr (text, "Reminder of your task") == NULL;
}

/* Returns NULL when @root is not a well-formed chat request; @param says which member. */
static Conversation *
conversation_read (JsonObject  *request,
                   const char **param,
                   char       **why)
{
  g_autoptr(Conversation) c = g_new0 (Conversation, 1);
  JsonNode *messages = json_object_get_member (request, "messages");
  JsonNode *tools = json_object_get_member (request, "tools");
  JsonArray *array;

  c->steps = g_ptr_array_new_with_free_func (step_free);
  c->tools = g_ptr_array_new_with_free_func (g_free);

  if (tools != NULL && !JSON_NODE_HOLDS_NULL (tools))
    {
      if (!JSON_NODE_HOLDS_ARRAY (tools))
        {
          *param = "tools";
          *why = g_strdup ("“tools” must be an array of function tools.");
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (tools)); i++)
        {
          JsonNode *t = json_array_get_element (json_node_get_array (tools), i);
          JsonObject *f = NULL;
          const char *name = NULL;

          if (JSON_NODE_HOLDS_OBJECT (t) &&
              json_object_has_member (json_node_get_object (t), "function") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (t), "function")))
            f = json_object_get_object_member (json_node_get_object (t), "function");
          if (f != NULL)
            name = json_object_get_string_member_with_default (f, "name", NULL);
          if (name == NULL || *name == '\0')
            {
              *param = "tools";
              *why = g_strdup_printf ("tools[%u] is not a function tool with a name.", i);
              return NULL;
            }
          g_ptr_array_add (c->tools, g_strdup (name));
        }
    }
  c->native = c->tools->len > 0;

  if (messages == NULL || !JSON_NODE_HOLDS_ARRAY (messages) ||
      json_array_get_length (json_node_get_array (messages)) == 0)
    {
      *param = "messages";
      *why = g_strdup ("“messages” must be a non-empty array.");
      return NULL;
    }
  array = json_node_get_array (messages);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *role = m != NULL ? json_object_get_string_member_with_default (m, "role", NULL)
                                   : NULL;
      g_autofree char *text = m != NULL ? content_text (m) : NULL;
      Step *last = last_step (c);

      if (role == NULL || text == NULL)
        {
          *param = "messages";
          *why = g_strdup_printf ("messages[%u] needs a “role” and a text “content”.", i);
          return NULL;
        }

      if (g_str_equal (role, "system") || g_str_equal (role, "developer"))
        {
          if (c->system == NULL)
            c->system = g_steal_pointer (&text);
        }
      else if (g_str_equal (role, "user"))
        {
          g_free (c->last_user);
          c->last_user = g_strdup (text);
          if (c->task == NULL && g_str_has_prefix (text, "Task: "))
            c->task = g_strdup (text + strlen ("Task: "));
          else if (g_str_has_prefix (text, "Summary of steps"))
            {
              g_free (c->summary);
              c->summary = g_strdup (text);
            }
          else if (g_str_has_prefix (text, "Observation: ") && last != NULL &&
                   last->observation == NULL)
            {
              last->observation = g_strdup (text + strlen ("Observation: "));
              if (is_correction (last->observation))
                last->corrected = TRUE;
            }
          else if (is_correction (text) && last != NULL)
            last->corrected = TRUE;
          else if (c->task == NULL)
            c->task = g_strdup (text);
        }
      else if (g_str_equal (role, "assistant"))
        {
          JsonNode *calls = json_object_get_member (m, "tool_calls");
          Step *step = g_new0 (Step, 1);

          step->text = g_steal_pointer (&text);
          if (calls != NULL && JSON_NODE_HOLDS_ARRAY (calls) &&
              json_array_get_length (json_node_get_array (calls)) > 0)
            {
              JsonNode *call = json_array_get_element (json_node_get_array (calls), 0);
              JsonObject *f = NULL;

              if (JSON_NODE_HOLDS_OBJECT (call) &&
                  json_object_has_member (json_node_get_object (call), "function") &&
                  JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (call),
                                                                  "function")))
                f = json_object_get_object_member (json_node_get_object (call), "function");
              if (f == NULL)
                {
                  step_free (step);
                  *param = "messages";
                  *why = g_strdup_printf ("messages[%u].tool_calls[0] has no “function”.", i);
                  return NULL;
                }
              step->name = g_strdup (json_object_get_string_member_with_default (f, "name", "?"));
              step->args = g_strdup (json_object_get_string_member_with_default (f, "arguments",
                                                                                 "{}"));
              step_read_args (step);
            }
          else
            step_read_react (step, step->text);
          /* A finish that was followed by more was refused. */
          if (last != NULL && g_strcmp0 (last->name, "finish") == 0)
            last->corrected = TRUE;
          g_ptr_array_add (c->steps, step);
        }
      else if (g_str_equal (role, "tool"))
        {
          if (last != NULL && last->observation == NULL)
            {
              last->observation = g_steal_pointer (&text);
              if (is_correction (last->observation))
                last->corrected = TRUE;
            }
        }
      else
        {
          *param = "messages";
          *why = g_strdup_printf ("messages[%u] has an unknown role “%s”.", i, role);
          return NULL;
        }
    }

  /* A text agent (ReAct) lists its tools in the system prompt. */
  if (!c->native && c->system != NULL && strstr (c->system, "Action: {") != NULL)
    {
      const char *tools_at = strstr (c->system, "\nTools:\n");
      g_auto(GStrv) lines = NULL;

      c->react = TRUE;
      lines = g_strsplit (tools_at != NULL ? tools_at : "", "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "- ") && strchr (lines[i], ':') != NULL)
          g_ptr_array_add (c->tools, g_strndup (lines[i] + 2, strchr (lines[i], ':') - lines[i] - 2));
    }

  return g_steal_pointer (&c);
}

/* ---------------------------------------------------------------------------------------
 * What the model knows of the chain
 */

typedef struct
{
  char       *start;     /* chain-<seed>-<length>/0 from the task, or NULL */
  guint       length;
  GHashTable *next_of;   /* key → the next key its lookup gave */
  GHashTable *value_of;  /* key → the value its lookup gave */
  GPtrArray  *seen;      /* the keys results gave, in order */
  GPtrArray  *looked;    /* the keys looked up, in order */
} Knowledge;

static void
knowledge_clear (Knowledge *k)
{
  g_free (k->start);
  g_hash_table_unref (k->next_of);
  g_hash_table_unref (k->value_of);
  g_ptr_array_unref (k->seen);
  g_ptr_array_unref (k->looked);
}

static GRegex *re_start, *re_next, *re_value, *re_key, *re_summary, *re_critic_step;

static void
regexes_init (void)
{
  re_start = g_regex_new ("(?<![A-Za-z0-9-])chain-([0-9]+)-([0-9]+)/0(?![A-Za-z0-9-])", 0, 0,
                          NULL);
  re_next = g_regex_new ("\"next\"\\s*:\\s*\"([^\"]+)\"", 0, 0, NULL);
  re_value = g_regex_new ("\"value\"\\s*:\\s*\"([^\"]*)\"", 0, 0, NULL);
  re_key = g_regex_new ("\"key\"\\s*:\\s*\"([^\"]+)\"", 0, 0, NULL);
  re_critic_step = g_regex_new ("^(?:Step|Latest step \\(step) ([0-9]+)\\)?: (\\S+) ?(.*)$",
                                0, 0, NULL);
  re_summary = g_regex_new ("kb_lookup\\s*\\{\\s*\"key\"\\s*:\\s*\"([^\"]+)\"\\s*\\}\\s*→\\s*(.*)",
                            0, 0, NULL);
}

static char *
match_group (GRegex     *re,
             const char *text,
             int         group)
{
  g_autoptr(GMatchInfo) info = NULL;

  if (text == NULL || !g_regex_match (re, text, 0, &info))
    return NULL;
  return g_match_info_fetch (info, group);
}

/* What the lookup of @key returned in @result, learned. */
static void
knowledge_learn (Knowledge  *k,
                 const char *key,
                 const char *result)
{
  g_autofree char *next = match_group (re_next, result, 1);
  g_autofree char *value = match_group (re_value, result, 1);

  if (key == NULL)
    return;
  if (next != NULL)
    {
      g_ptr_array_add (k->seen, g_strdup (next));
      g_hash_table_replace (k->next_of, g_strdup (key), g_steal_pointer (&next));
    }
  else if (value != NULL)
    g_hash_table_replace (k->value_of, g_strdup (key), g_steal_pointer (&value));
}

typedef struct
{
  char *name;    /* kb_lookup or finish */
  char *key;
  char *answer;
} Plan;

/* The right next step: the value once the chain's end was read, else its next key. */
static void
knowledge_plan (Knowledge *k,
                Plan      *plan)
{
  const char *cur = k->start;
  const char *value;

  for (guint n = 0; n < 100000 && g_hash_table_contains (k->next_of, cur); n++)
    cur = g_hash_table_lookup (k->next_of, cur);
  value = g_hash_table_lookup (k->value_of, cur);
  if (value != NULL)
    {
      plan->name = g_strdup ("finish");
      plan->answer = g_strdup (value);
    }
  else
    {
      plan->name = g_strdup ("kb_lookup");
      plan->key = g_strdup (cur);
    }
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->name, g_free);
  g_clear_pointer (&plan->key, g_free);
  g_clear_pointer (&plan->answer, g_free);
}

/* A final answer as the model words it: bare, or in prose mode as a sentence. */
static char *
finish_text (const char *answer)
{
  if (opt.prose && !g_str_has_suffix (answer, "."))
    return g_strdup_printf ("The value at the end of the chain is %s.", answer);
  return g_strdup (answer);
}

static gboolean
step_is_plan (Step *step,
              Plan *plan)
{
  if (g_strcmp0 (step->name, plan->name) != 0)
    return FALSE;
  if (plan->key != NULL)
    return g_strcmp0 (step->key, plan->key) == 0;
  if (step->answer == NULL)
    return FALSE;
  {
    g_autofree char *answer = g_strstrip (g_strdup (step->answer));
    g_autofree char *expected = finish_text (plan->answer);

    return g_str_equal (answer, expected);
  }
}

/* Reads the chain from the task, the summary and the steps, and marks each step right or
 * not for what was known when it was taken. FALSE: the task names no chain. */
static gboolean
knowledge_read (Knowledge    *k,
                Conversation *c)
{
  g_autoptr(GMatchInfo) info = NULL;

  k->next_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  k->value_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  k->seen = g_ptr_array_new_with_free_func (g_free);
  k->looked = g_ptr_array_new_with_free_func (g_free);

  if (c->task != NULL && g_regex_match (re_start, c->task, 0, &info))
    {
      g_autofree char *length = g_match_info_fetch (info, 2);

      k->start = g_match_info_fetch (info, 0);
      k->length = (guint) g_ascii_strtoull (length, NULL, 10);
    }

  if (c->summary != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (c->summary, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(GMatchInfo) m = NULL;

          if (g_regex_match (re_summary, lines[i], 0, &m))
            {
              g_autofree char *key = g_match_info_fetch (m, 1);
              g_autofree char *result = g_match_info_fetch (m, 2);

              g_ptr_array_add (k->looked, g_strdup (key));
              knowledge_learn (k, key, result);
            }
        }
    }

  for (guint i = 0; i < c->steps->len; i++)
    {
      Step *step = g_ptr_array_index (c->steps, i);
      Plan plan = { 0 };

      if (k->start != NULL)
        {
          knowledge_plan (k, &plan);
          step->right = step_is_plan (step, &plan);
          plan_clear (&plan);
        }
      if (g_strcmp0 (step->name, "kb_lookup") == 0 && step->key != NULL)
        {
          g_ptr_array_add (k->looked, g_strdup (step->key));
          knowledge_learn (k, step->key, step->observation);
        }
    }

  return k->start != NULL && (c->react || has_tool (c, "kb_lookup"));
}

/* ---------------------------------------------------------------------------------------
 * The reply being made
 */

typedef struct
{
  char     *thought;   /* the text of the reply */
  char     *name;      /* the tool called; NULL: none */
  char     *args;      /* its arguments, JSON text (maybe malformed, on purpose) */
  double    confidence;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->thought, g_free);
  g_clear_pointer (&r->name, g_free);
  g_clear_pointer (&r->args, g_free);
}

static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_node_set_string (node, text);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

static void
reply_call (Reply      *r,
            const char *name,
            const char *member,
            const char *value,
            const char *thought_format,
            ...) G_GNUC_PRINTF (5, 6);

static void
reply_call (Reply      *r,
            const char *name,
            const char *member,
            const char *value,
            const char *thought_format,
            ...)
{
  g_autofree char *quoted = json_quote (value);
  va_list ap;

  va_start (ap, thought_format);
  r->thought = g_strdup_vprintf (thought_format, ap);
  va_end (ap);
  r->name = g_strdup (name);
  r->args = g_strdup_printf ("{\"%s\": %s}", member, quoted);
}

static const char *
pick (GRand              *rand,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (rand, 0, (gint32) n)];
}
#define PICK(rand, array) pick ((rand), (array), G_N_ELEMENTS (array))

static const char * const plain_words[] = {
  "copper", "willow", "granite", "lantern", "meadow", "falcon", "cedar", "quartz",
  "harbor", "amber", "silver", "maple", "orchid", "river", "summit", "cobalt",
};

/* A final answer; in prose mode, as a sentence. */
static void
reply_finish (Reply      *r,
              const char *answer,
              const char *thought)
{
  g_autofree char *text = finish_text (answer);

  reply_call (r, "finish", "answer", text, "%s", thought);
}

static char *
invent_word (GRand *rand)
{
  static const char * const pairs[] = { "blue heron", "north gate", "old mill" };

  if (g_rand_int_range (rand, 0, 5) == 0)
    return g_strdup (PICK (rand, pairs));
  return g_strdup (PICK (rand, plain_words));
}

static char *
invent_sentence (GRand *rand)
{
  static const char * const places[] = { "Lisbon", "the Oslo archive", "Marlow Station",
                                         "the east wing registry" };
  static const char * const teams[] = { "records", "the survey team", "the night shift" };

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return g_strdup_printf ("The chain ends at the record for %s, last updated in %d.",
                              PICK (rand, places), g_rand_int_range (rand, 1970, 2024));
    case 1:
      return g_strdup_printf ("the last entry names the %s %s as the value",
                              PICK (rand, plain_words), PICK (rand, plain_words));
    case 2:
      return g_strdup_printf ("The final record is kept by %s and reads %s.",
                              PICK (rand, teams), PICK (rand, plain_words));
    default:
      return g_strdup_printf ("after following every link the chain points to the %s "
                              "entry, which is the answer", PICK (rand, plain_words));
    }
}

static char *
invent_number (GRand     *rand,
               Knowledge *k)
{
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      return g_strdup_printf ("%d", g_rand_int_range (rand, 100, 10000));
    case 1:
      return g_strdup_printf ("%d,%03d", g_rand_int_range (rand, 1, 10),
                              g_rand_int_range (rand, 0, 1000));
    case 2:
      return g_strdup_printf ("about %d%%", g_rand_int_range (rand, 5, 100));
    case 3:
      return g_strdup_printf ("%d.%d", g_rand_int_range (rand, 0, 100), g_rand_int_range (rand, 0, 10));
    default:
      /* A number that is in the task, as the chain's length. */
      return g_strdup_printf ("%u", k->length);
    }
}

static char *
invent_lookalike (GRand *rand)
{
  return g_strdup_printf ("%s-%d", PICK (rand, plain_words), g_rand_int_range (rand, 1000, 10000));
}

/* @text with one of its digits changed, or two neighbouring characters swapped. */
static char *
garble (GRand      *rand,
        const char *text)
{
  char *copy = g_strdup (text);
  gsize len = strlen (copy);
  g_autoptr(GArray) digits = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0; i < len; i++)
    if (g_ascii_isxdigit (copy[i]) && g_ascii_isdigit (copy[i]))
      g_array_append_val (digits, i);
  if (digits->len == 0)
    {
      g_free (copy);
      return g_strdup_printf ("%s%c", text, 'x');
    }
  {
    gsize at = g_array_index (digits, gsize, g_rand_int_range (rand, 0, (gint32) digits->len));

    if (g_rand_boolean (rand) && at + 1 < len && copy[at + 1] != copy[at] &&
        g_ascii_isalnum (copy[at + 1]))
      {
        char t = copy[at];
        copy[at] = copy[at + 1];
        copy[at + 1] = t;
      }
    else
      copy[at] = (char) ('0' + (copy[at] - '0' + 1 + g_rand_int_range (rand, 0, 8)) % 10);
  }
  return copy;
}

/* A key as a hurried typist would write it. */
static char *
mistype (GRand      *rand,
         const char *key)
{
  gsize len = strlen (key);
  gsize at = len > 1 ? (gsize) g_rand_int_range (rand, 1, (gint32) len) : 0;

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:  /* a character dropped */
      return g_strdup_printf ("%.*s%s", (int) at, key, key + at + (at < len ? 1 : 0));
    case 1:  /* a character doubled */
      return g_strdup_printf ("%.*s%c%s", (int) at, key, key[at > 0 ? at - 1 : 0], key + at);
    case 2:  /* other separators */
      {
        char *copy = g_strdup (key);

        g_strdelimit (copy, "-", '_');
        return copy;
      }
    default:  /* the last segment lost */
      {
        const char *dash = strrchr (key, '-');
        const char *slash = strrchr (key, '/');

        if (dash != NULL && slash != NULL && dash > slash)
          return g_strndup (key, (gsize) (dash - key));
        return g_strdup_printf ("%s/1", key);
      }
    }
}

static const char *
last_error_observation (Conversation *c)
{
  Step *last = last_step (c);

  if (last == NULL || last->observation == NULL)
    return NULL;
  if (strstr (last->observation, "\"error\"") != NULL ||
      g_str_has_prefix (last->observation, "[Harness") ||
      g_str_has_prefix (last->observation, "There is no tool") ||
      g_ascii_strncasecmp (last->observation, "error", 5) == 0)
    return last->observation;
  return NULL;
}

static void
do_plan (Reply     *r,
         Plan      *plan,
         Knowledge *k)
{
  if (plan->answer != NULL)
    reply_finish (r, plan->answer, "The last lookup returned the value at the end of the "
                                   "chain, so that is the answer.");
  else if (g_strcmp0 (plan->key, k->start) == 0)
    reply_call (r, "kb_lookup", "key", plan->key,
                "The chain starts at %s; I will look it up.", plan->key);
  else
    reply_call (r, "kb_lookup", "key", plan->key,
                "The last lookup gave the next key %s; I will look it up.", plan->key);
}

static void
do_repeat (Reply *r,
           Step  *step)
{
  r->thought = g_strdup ("I will do that again to be sure.");
  r->name = g_strdup (step->name);
  r->args = g_strdup (step->args != NULL ? step->args : "{}");
}

/* One mistake of @kind, which applies here. */
static void
do_mistake (Reply        *r,
            Kind          kind,
            GRand        *rand,
            Conversation *c,
            Knowledge    *k,
            Plan         *plan)
{
  const char *key = plan->key != NULL ? plan->key
                  : k->looked->len > 0 ? g_ptr_array_index (k->looked, k->looked->len - 1)
                  : k->start;

  switch (kind)
    {
    case KIND_WORD:
      {
        g_autofree char *word = invent_word (rand);
        reply_finish (r, word, "The chain has been followed to its end; the value is known.");
      }
      break;

    case KIND_SENTENCE:
      {
        g_autofree char *sentence = invent_sentence (rand);
        reply_call (r, "finish", "answer", sentence, "I have enough to answer now.");
      }
      break;

    case KIND_NUMBER:
      {
        g_autofree char *number = invent_number (rand, k);
        reply_finish (r, number, "The chain leads to a number, which is the value.");
      }
      break;

    case KIND_LOOKALIKE:
      {
        g_autofree char *value = invent_lookalike (rand);
        reply_finish (r, value, "The lookup gave the final value.");
      }
      break;

    case KIND_POINTER:
      {
        /* Mostly the newest key, sometimes an older one from the middle. */
        guint i = g_rand_int_range (rand, 0, 10) < 7 ? k->seen->len - 1
                                                     : (guint) g_rand_int_range (rand, 0, (gint32) k->seen->len);
        reply_finish (r, g_ptr_array_index (k->seen, i),
                      "The last result is the end of the chain.");
      }
      break;

    case KIND_MISREAD:
      if (plan->answer != NULL)
        {
          g_autofree char *wrong = NULL;
          const char *dash = strrchr (plan->answer, '-');

          switch (g_rand_int_range (rand, 0, 7))
            {
            case 0:  /* only the word of "word-1234" */
              wrong = dash != NULL ? g_strndup (plan->answer, (gsize) (dash - plan->answer))
                                   : garble (rand, plan->answer);
              break;
            case 1:  /* only its number */
              wrong = dash != NULL ? g_strdup (dash + 1) : garble (rand, plan->answer);
              break;
            default:
              wrong = garble (rand, plan->answer);
              break;
            }
          reply_finish (r, wrong, "The last lookup returned the value at the end of the chain.");
        }
      else
        {
          g_autofree char *wrong = garble (rand, key);
          reply_call (r, "kb_lookup", "key", wrong,
                      "The last lookup gave the next key %s; I will look it up.", wrong);
        }
      break;

    case KIND_TYPO:
      {
        g_autofree char *wrong = mistype (rand, key);
        reply_call (r, "kb_lookup", "key", wrong, "Next I look up %s.", wrong);
      }
      break;

    case KIND_REPEAT:
      do_repeat (r, last_step (c));
      break;

    case KIND_STALE:
      {
        const char *old = g_ptr_array_index (k->looked,
                                             g_rand_int_range (rand, 0, (gint32) k->looked->len));
        reply_call (r, "kb_lookup", "key", old, "Let me look up %s.", old);
      }
      break;

    case KIND_DRIFT:
      if (has_tool (c, "list_dir") && g_rand_boolean (rand))
        reply_call (r, "list_dir", "path", ".", "The files may explain the chain.");
      else if (has_tool (c, "read_file") && g_rand_boolean (rand))
        reply_call (r, "read_file", "path", "README.md", "The README may describe the chain.");
      else if (has_tool (c, "search_files") && g_rand_boolean (rand))
        reply_call (r, "search_files", "pattern", "chain", "Searching for the chain.");
      else if (has_tool (c, "calculator") && g_rand_boolean (rand))
        reply_call (r, "calculator", "expression", "12 * 1", "Counting the steps left.");
      else
        {
          static const char * const topics[] = { "index", "help", "value", "end", "chains" };
          const char *topic = PICK (rand, topics);

          reply_call (r, "kb_lookup", "key", topic, "The index of the knowledge base should "
                      "say where the chain ends; let me look up %s.", topic);
        }
      break;

    case KIND_UNKNOWN_TOOL:
      {
        static const char * const names[] = { "kb_search", "lookup", "get_value" };
        reply_call (r, PICK (rand, names), "key", key, "I will fetch the entry %s.", key);
      }
      break;

    case KIND_BAD_ARGS:
      {
        g_autofree char *quoted = json_quote (key);

        r->thought = g_strdup_printf ("Next I look up %s.", key);
        r->name = g_strdup ("kb_lookup");
        switch (g_rand_int_range (rand, 0, 3))
          {
          case 0:
            r->args = g_strdup_printf ("{\"query\": %s}", quoted);
            break;
          case 1:
            r->args = g_strdup_printf ("{\"key\": [%s]}", quoted);
            break;
          default:  /* cut off */
            r->args = g_strdup_printf ("{\"key\": %s", quoted);
            break;
          }
      }
      break;

    case KIND_NO_CALL:
      r->thought = plan->answer != NULL
                     ? g_strdup ("I have followed the chain to its end and found the value.")
                     : g_strdup_printf ("Next I need to look up %s and see where it leads.", key);
      break;

    case KIND_CLAIM:
      {
        g_autofree char *value = g_rand_boolean (rand) ? invent_lookalike (rand)
                                                       : invent_word (rand);
        reply_finish (r, value, "The lookup succeeded and gave the final value.");
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Picks a mistake among the enabled kinds that apply; FALSE when none does. */
static gboolean
choose_mistake (GRand        *rand,
                Conversation *c,
                Knowledge    *k,
                Plan         *plan,
                Kind         *kind)
{
  double weight[N_KINDS] = { 0 };
  double total = 0, x;

  for (guint i = 0; i < N_KINDS; i++)
    if (opt.enabled[i])
      weight[i] = kinds[i].weight;
  if (k->seen->len == 0)
    weight[KIND_POINTER] = 0;
  if (plan->key == NULL)
    weight[KIND_TYPO] = 0;
  if (last_step (c) == NULL || last_step (c)->name == NULL)
    weight[KIND_REPEAT] = 0;
  if (k->looked->len == 0 || (k->looked->len == 1 && plan->key != NULL &&
                              g_str_equal (g_ptr_array_index (k->looked, 0), plan->key)))
    weight[KIND_STALE] = 0;
  if (last_error_observation (c) == NULL)
    weight[KIND_CLAIM] = 0;
  else
    weight[KIND_CLAIM] *= CLAIM_AFTER_ERROR_FACTOR;

  for (guint i = 0; i < N_KINDS; i++)
    total += weight[i];
  if (total <= 0)
    return FALSE;

  x = g_rand_double (rand) * total;
  for (guint i = 0; i < N_KINDS; i++)
    {
      if (x < weight[i])
        {
          *kind = (Kind) i;
          return TRUE;
        }
      x -= weight[i];
    }
  *kind = N_KINDS - 1;
  return weight[N_KINDS - 1] > 0;
}

/* Corrections in a row at the end of the conversation. */
static guint
correction_streak (Conversation *c)
{
  guint n = 0;

  for (guint i = c->steps->len; i > 0; i--)
    {
      Step *step = g_ptr_array_index (c->steps, i - 1);

      if (!step->corrected)
        break;
      n++;
    }
  return n;
}

static double
draw_confidence (GRand    *rand,
                 gboolean  mistake)
{
  if (!mistake || g_rand_double (rand) < MISTAKE_OVERCONFIDENT)
    return g_rand_double_range (rand, 0.80, 0.99);
  return g_rand_double_range (rand, 0.35, 0.80);
}

/* A model that does not know the task: it tries a tool or two with guessed arguments,
 * then answers with what it has, or says it could not find out. */
static void
agent_confused (Reply        *r,
                GRand        *rand,
                Conversation *c)
{
  g_auto(GStrv) words = g_regex_split_simple ("[^A-Za-z0-9_./-]+", c->task != NULL ? c->task : "",
                                              0, 0);
  const char *word = "notes";
  guint tries = 1 + (guint) g_rand_int_range (rand, 0, 3);
  const char *result = NULL;  /* the last tool result, not a message of the harness */
  GPtrArray *usable = g_ptr_array_new ();

  for (guint i = 0; i < c->steps->len; i++)
    {
      Step *step = g_ptr_array_index (c->steps, i);

      if (step->observation != NULL && *step->observation != '\0' &&
          *step->observation != '[')
        result = step->observation;
    }

  for (guint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) > strlen (word) || (g_str_equal (word, "notes") && strlen (words[i]) > 3))
      word = words[i];
  for (guint i = 0; i < c->tools->len; i++)
    if (!g_str_equal (g_ptr_array_index (c->tools, i), "finish"))
      g_ptr_array_add (usable, g_ptr_array_index (c->tools, i));

  r->confidence = g_rand_double_range (rand, 0.3, 0.8);
  if (c->steps->len < tries && usable->len > 0)
    {
      const char *tool = g_ptr_array_index (usable, g_rand_int_range (rand, 0, (gint32) usable->len));

      if (g_str_equal (tool, "kb_lookup"))
        reply_call (r, tool, "key", word, "Maybe the knowledge base has %s.", word);
      else if (g_str_equal (tool, "read_file"))
        reply_call (r, tool, "path", "README.md", "The README may help.");
      else if (g_str_equal (tool, "list_dir"))
        reply_call (r, tool, "path", ".", "Let me see what is here.");
      else if (g_str_equal (tool, "search_files"))
        reply_call (r, tool, "pattern", word, "Let me search for %s.", word);
      else if (g_str_equal (tool, "calculator"))
        {
          g_autoptr(GString) expr = g_string_new (NULL);

          for (guint i = 0; words[i] != NULL; i++)
            if (g_ascii_isdigit (words[i][0]))
              g_string_append_printf (expr, "%s%s", expr->len > 0 ? " + " : "", words[i]);
          reply_call (r, tool, "expression", expr->len > 0 ? expr->str : "1 + 1",
                      "A calculation should help.");
        }
      else
        {
          r->thought = g_strdup_printf ("I will try %s.", tool);
          r->name = g_strdup (tool);
          r->args = g_strdup ("{}");
        }
    }
  else
    {
      double u = g_rand_double (rand);

      if (u < 0.35)
        reply_call (r, "finish", "answer", "I could not find the answer with the tools I have.",
                    "Nothing I tried answered the task.");
      else if (u < 0.7 && result != NULL)
        {
          g_autofree char *line = g_strndup (result, strcspn (result, "\n"));
          g_autofree char *cut = g_utf8_substring (line, 0, MIN (60, g_utf8_strlen (line, -1)));

          reply_call (r, "finish", "answer", g_strstrip (cut), "That result answers the task.");
        }
      else
        {
          g_autofree char *sentence = invent_sentence (rand);
          reply_call (r, "finish", "answer", sentence, "I think I know the answer.");
        }
    }
  g_ptr_array_unref (usable);
}

static void
agent_turn (Reply        *r,
            GRand        *rand,
            Conversation *c)
{
  Knowledge k = { 0 };
  Plan plan = { 0 };
  Step *last = last_step (c);
  gboolean mistake = FALSE;
  Kind kind;

  if (!knowledge_read (&k, c))
    {
      knowledge_clear (&k);
      agent_confused (r, rand, c);
      return;
    }
  knowledge_plan (&k, &plan);

  if (last != NULL && last->corrected)
    {
      guint streak = correction_streak (c);

      if (last->right)
        mistake = g_rand_double (rand) >= KEEP_RIGHT_STEP;
      else if (g_rand_double (rand) >= TAKE_CORRECTION + TAKE_CORRECTION_STEP * (streak - 1) &&
               last->name != NULL)
        {
          /* Stubborn: the same action again, word for word. */
          do_repeat (r, last);
          g_free (r->thought);
          r->thought = g_strdup ("I checked again and I stand by this.");
          r->confidence = draw_confidence (rand, TRUE);
          goto out;
        }
    }
  else
    mistake = g_rand_double (rand) >= opt.accuracy;

  if (mistake && choose_mistake (rand, c, &k, &plan, &kind))
    do_mistake (r, kind, rand, c, &k, &plan);
  else
    {
      mistake = FALSE;
      do_plan (r, &plan, &k);
    }
  r->confidence = draw_confidence (rand, mistake);

out:
  plan_clear (&plan);
  knowledge_clear (&k);
}

/* ---------------------------------------------------------------------------------------
 * The critic and the summariser
 */

typedef struct
{
  guint  index;
  char  *name;
  char  *args;
  char  *result;
  gboolean error;
} CriticStep;

static void
critic_step_free (gpointer data)
{
  CriticStep *s = data;

  g_free (s->name);
  g_free (s->args);
  g_free (s->result);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriticStep, critic_step_free)

/* "Step 3: kb_lookup {…}" / "Latest step (step 3): kb_lookup {…}" */
static CriticStep *
critic_step_parse (const char *line)
{
  g_autoptr(GMatchInfo) info = NULL;
  CriticStep *s;
  g_autofree char *index = NULL;

  if (!g_regex_match (re_critic_step, line, 0, &info))
    return NULL;
  s = g_new0 (CriticStep, 1);
  index = g_match_info_fetch (info, 1);
  s->index = (guint) g_ascii_strtoull (index, NULL, 10);
  s->name = g_match_info_fetch (info, 2);
  s->args = g_match_info_fetch (info, 3);
  return s;
}

static void
critic_result (CriticStep *s,
               const char *line)
{
  if (s == NULL || s->result != NULL)
    return;
  s->result = g_strdup (line + strlen ("Result: "));
  if (g_str_has_suffix (s->result, " [error]"))
    {
      s->error = TRUE;
      s->result[strlen (s->result) - strlen (" [error]")] = '\0';
    }
}

static void
critic_turn (Reply        *r,
             GRand        *rand,
             Conversation *c)
{
  g_auto(GStrv) lines = g_strsplit (c->last_user != NULL ? c->last_user : "", "\n", -1);
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (critic_step_free);
  g_autofree char *task = NULL;
  g_autoptr(GString) answer = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(CriticStep) latest = NULL;
  gboolean supported = FALSE, done = FALSE;
  guint evidence = 0;
  double u;
  g_autofree char *json = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (task == NULL && g_str_has_prefix (line, "Task: "))
        task = g_strdup (line + strlen ("Task: "));
      else if (g_str_has_prefix (line, "Step "))
        {
          CriticStep *s = critic_step_parse (line);
          if (s != NULL)
            g_ptr_array_add (steps, s);
        }
      else if (g_str_has_prefix (line, "Latest step (step "))
        {
          g_clear_pointer (&latest, critic_step_free);
          latest = critic_step_parse (line);
        }
      else if (g_str_has_prefix (line, "Result: "))
        critic_result (latest != NULL ? latest
                       : steps->len > 0 ? g_ptr_array_index (steps, steps->len - 1) : NULL,
                       line);
      else if (g_str_has_prefix (line, "Proposed final answer"))
        {
          answer = g_string_new (NULL);
          for (i++; lines[i] != NULL && !g_str_has_prefix (lines[i], "Question:"); i++)
            g_string_append_printf (answer, "%s%s", answer->len > 0 ? "\n" : "", lines[i]);
          g_strstrip (answer->str);
          answer->len = strlen (answer->str);
          if (lines[i] == NULL)
            break;
        }
    }

  if (answer != NULL)
    {
      /* A final answer: is it in a result, and is that result the chain's value? */
      for (guint i = steps->len; i > 0 && evidence == 0 && answer->len > 0; i--)
        {
          CriticStep *s = g_ptr_array_index (steps, i - 1);
          g_autofree char *value = s->result != NULL ? match_group (re_value, s->result, 1) : NULL;
          g_autofree char *next = s->result != NULL ? match_group (re_next, s->result, 1) : NULL;

          if (s->error || s->result == NULL)
            continue;
          if (value != NULL && *value != '\0' && strstr (answer->str, value) != NULL)
            supported = done = TRUE, evidence = s->index;
          else if (next != NULL && strstr (answer->str, next) != NULL)
            supported = TRUE, done = FALSE, evidence = s->index;
        }
      reason = g_strdup (supported && done ? "The answer is the value the last lookup returned."
                         : supported ? "The answer is a key that still had to be looked up, "
                                       "not the value at the end."
                         : "No tool result states this answer.");
    }
  else if (latest != NULL)
    {
      g_autofree char *key = g_str_equal (latest->name, "kb_lookup")
                               ? match_group (re_key, latest->args, 1) : NULL;
      gboolean known = FALSE;

      /* A lookup is sound when its key came from the task or an earlier result. */
      if (key != NULL && task != NULL && strstr (task, key) != NULL)
        known = TRUE;
      for (guint i = 0; i < steps->len && key != NULL && !known; i++)
        {
          CriticStep *s = g_ptr_array_index (steps, i);
          if (s->result != NULL && strstr (s->result, key) != NULL)
            known = TRUE, evidence = s->index;
        }
      supported = known && !latest->error && latest->result != NULL;
      done = supported && strstr (latest->result, "\"value\"") != NULL;
      if (supported && evidence == 0)
        evidence = latest->index;
      reason = g_strdup (supported ? "The step follows the key the chain gave, and it worked."
                                   : "The step does not follow the chain, or it failed.");
    }
  else
    reason = g_strdup ("I could not tell what to judge.");

  u = g_rand_double (rand);
  if (u >= opt.critic_accuracy)
    {
      double v = g_rand_double (rand);

      if (v < CRITIC_LENIENT)
        {
          supported = done = TRUE;
          g_free (reason);
          reason = g_strdup ("The agent's work looks complete and consistent.");
        }
      else if (v < CRITIC_LENIENT + CRITIC_STRICT)
        {
          supported = done = FALSE;
          evidence = 0;
          g_free (reason);
          reason = g_strdup ("I cannot find a result that clearly states this.");
        }
      else
        {
          r->thought = g_strdup ("The agent seems to have worked carefully, so I would accept "
                                 "its result, although I cannot be completely sure.");
          r->confidence = 0.7;
          return;
        }
    }

  {
    g_autofree char *quoted = json_quote (reason);
    g_autofree char *step = evidence > 0 ? g_strdup_printf ("%u", evidence) : g_strdup ("null");

    json = g_strdup_printf ("{\"supported\": %s, \"done\": %s, \"evidence_step\": %s, "
                            "\"reason\": %s}", supported ? "true" : "false",
                            done ? "true" : "false", step, quoted);
  }
  /* Models often fence JSON, now and then after a word of preamble. */
  u = g_rand_double (rand);
  if (u < 0.15)
    r->thought = g_strdup_printf ("```json\n%s\n```", json);
  else if (u < 0.20)
    r->thought = g_strdup_printf ("Here is my verdict:\n%s", json);
  else
    r->thought = g_steal_pointer (&json);
  r->confidence = 0.9;
}

/* The summariser: the lines it was given, the latest kept; now and then one dropped. */
static void
summary_turn (Reply        *r,
              GRand        *rand,
              Conversation *c)
{
  g_auto(GStrv) lines = g_strsplit (c->last_user != NULL ? c->last_user : "", "\n", -1);
  g_autoptr(GPtrArray) keep = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  guint first;
  gint drop = -1;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Step"))
      g_ptr_array_add (keep, lines[i]);
  first = keep->len > 12 ? keep->len - 12 : 0;
  if (keep->len > first + 2 && g_rand_double (rand) < 0.1)
    drop = g_rand_int_range (rand, (gint32) first, (gint32) keep->len - 1);
  for (guint i = first; i < keep->len; i++)
    if ((gint) i != drop)
      g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (keep, i));
  if (text->len == 0)
    g_string_append (text, "Nothing has been done yet.");
  r->thought = g_strdup (text->str);
  r->confidence = 0.9;
}

/* ---------------------------------------------------------------------------------------
 * The wire (PROTOCOLS.md, OpenAI chat completions)
 */

/* Seeds the choices from --seed and the conversation (roles, texts and calls). */
static GRand *
rand_for (guint64     seed,
          JsonObject *request)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  JsonArray *messages = json_object_get_array_member (request, "messages");
  guint8 digest[32];
  gsize len = sizeof digest;
  guint32 words[8];

  g_checksum_update (sum, (const guchar *) &seed, sizeof seed);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);
      g_autofree char *text = content_text (m);
      JsonNode *calls = json_object_get_member (m, "tool_calls");

      g_checksum_update (sum, (const guchar *) json_object_get_string_member (m, "role"), -1);
      g_checksum_update (sum, (const guchar *) "\x1f", 1);
      g_checksum_update (sum, (const guchar *) (text != NULL ? text : ""), -1);
      if (calls != NULL && JSON_NODE_HOLDS_ARRAY (calls))
        for (guint j = 0; j < json_array_get_length (json_node_get_array (calls)); j++)
          {
            JsonNode *call = json_array_get_element (json_node_get_array (calls), j);
            JsonObject *f = JSON_NODE_HOLDS_OBJECT (call) &&
                            json_object_has_member (json_node_get_object (call), "function") &&
                            JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (call), "function"))
                              ? json_object_get_object_member (json_node_get_object (call), "function")
                              : NULL;

            if (f == NULL)
              continue;
            g_checksum_update (sum, (const guchar *) json_object_get_string_member_with_default (f, "name", ""), -1);
            g_checksum_update (sum, (const guchar *) json_object_get_string_member_with_default (f, "arguments", ""), -1);
          }
      g_checksum_update (sum, (const guchar *) "\x1e", 1);
    }
  g_checksum_get_digest (sum, digest, &len);
  for (guint i = 0; i < 8; i++)
    words[i] = ((guint32) digest[4 * i] << 24) | ((guint32) digest[4 * i + 1] << 16) |
               ((guint32) digest[4 * i + 2] << 8) | digest[4 * i + 3];
  return g_rand_new_with_seed_array (words, 8);
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *type,
            const char        *param,
            const char        *code,
            const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "param");
  if (param != NULL)
    json_builder_add_string_value (b, param);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "code");
  if (code != NULL)
    json_builder_add_string_value (b, code);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* The reply's text cut into tokens (a word with its leading space), each with a
 * log-probability around log(@confidence). */
static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *q = p;

      while (*q == ' ' || *q == '\n')
        q++;
      while (*q != '\0' && *q != ' ' && *q != '\n')
        q++;
      g_ptr_array_add (tokens, g_strndup (p, (gsize) (q - p)));
      p = q;
    }
  return tokens;
}

static void
add_logprobs (JsonBuilder *b,
              GPtrArray   *tokens,
              guint        from,
              guint        to,
              GRand       *rand,
              double       confidence)
{
  json_builder_set_member_name (b, "logprobs");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  for (guint i = from; i < to; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      double lp = MIN (0.0, log (confidence) + g_rand_double_range (rand, -0.03, 0.03));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, token);
      json_builder_set_member_name (b, "logprob");
      json_builder_add_double_value (b, lp);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "top_logprobs");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_tool_call (JsonBuilder *b,
               const char  *id,
               const char  *name,
               const char  *args,
               gboolean     delta)
{
  json_builder_begin_object (b);
  if (delta)
    {
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, 0);
    }
  if (id != NULL)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "function");
    }
  json_builder_set_member_name (b, "function");
  json_builder_begin_object (b);
  if (name != NULL)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
    }
  json_builder_set_member_name (b, "arguments");
  json_builder_add_string_value (b, args);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_usage (JsonBuilder *b,
           guint        prompt,
           guint        completion)
{
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt_tokens");
  json_builder_add_int_value (b, prompt);
  json_builder_set_member_name (b, "completion_tokens");
  json_builder_add_int_value (b, completion);
  json_builder_set_member_name (b, "total_tokens");
  json_builder_add_int_value (b, prompt + completion);
  json_builder_end_object (b);
}

static void
begin_chunk (JsonBuilder *b,
             const char  *id,
             const char  *model,
             const char  *object)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, object);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, 1767225600);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
}

static void
append_event (GString     *out,
              JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, FALSE);

  g_string_append_printf (out, "data: %s\n\n", text);
  json_builder_reset (b);
}

static void
send_reply (SoupServerMessage *msg,
            JsonObject        *request,
            Reply             *r,
            GRand             *rand,
            guint              prompt_tokens)
{
  const char *model = json_object_get_string_member_with_default (request, "model", "");
  gboolean stream = json_object_get_boolean_member_with_default (request, "stream", FALSE);
  gboolean logprobs = json_object_get_boolean_member_with_default (request, "logprobs", FALSE);
  JsonObject *options = json_object_has_member (request, "stream_options") &&
                        JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "stream_options"))
                          ? json_object_get_object_member (request, "stream_options") : NULL;
  gboolean usage = options != NULL &&
                   json_object_get_boolean_member_with_default (options, "include_usage", FALSE);
  const char *text = r->thought != NULL ? r->thought : "";
  g_autoptr(GPtrArray) tokens = tokenize (text);
  g_autofree char *id = g_strdup_printf ("chatcmpl-%08x", g_rand_int (rand));
  g_autofree char *call_id = g_strdup_printf ("call_%08x", g_rand_int (rand));
  const char *finish_reason = r->name != NULL ? "tool_calls" : "stop";
  guint completion = (guint) (strlen (text) + (r->args != NULL ? strlen (r->args) : 0)) / 4 + 1;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  if (!stream)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;

      begin_chunk (b, id, model, "chat.completion");
      json_builder_set_member_name (b, "choices");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "message");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, "assistant");
      json_builder_set_member_name (b, "content");
      if (r->name != NULL && *text == '\0')
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, text);
      if (r->name != NULL)
        {
          json_builder_set_member_name (b, "tool_calls");
          json_builder_begin_array (b);
          add_tool_call (b, call_id, r->name, r->args, FALSE);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      if (logprobs)
        add_logprobs (b, tokens, 0, tokens->len, rand, r->confidence);
      json_builder_set_member_name (b, "finish_reason");
      json_builder_add_string_value (b, finish_reason);
      json_builder_end_object (b);
      json_builder_end_array (b);
      add_usage (b, prompt_tokens, completion);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      body = json_to_string (root, FALSE);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
      return;
    }

  /* The role first, then the text three tokens at a time, then the call in pieces. */
  begin_chunk (b, id, model, "chat.completion.chunk");
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, "");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  append_event (out, b);

  for (guint i = 0; i < tokens->len; i += 3)
    {
      guint to = MIN (i + 3, tokens->len);
      g_autoptr(GString) piece = g_string_new (NULL);

      for (guint j = i; j < to; j++)
        g_string_append (piece, g_ptr_array_index (tokens, j));
      begin_chunk (b, id, model, "chat.completion.chunk");
      json_builder_set_member_name (b, "choices");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "delta");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, piece->str);
      json_builder_end_object (b);
      if (logprobs)
        add_logprobs (b, tokens, i, to, rand, r->confidence);
      json_builder_set_member_name (b, "finish_reason");
      json_builder_add_null_value (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      append_event (out, b);
    }

  if (r->name != NULL)
    {
      gsize len = strlen (r->args);
      gsize cut[3] = { 0, len / 2, len };

      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *fragment = k == 0 ? g_strdup ("")
                                             : g_strndup (r->args + cut[k - 1], cut[k] - cut[k - 1]);

          begin_chunk (b, id, model, "chat.completion.chunk");
          json_builder_set_member_name (b, "choices");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "index");
          json_builder_add_int_value (b, 0);
          json_builder_set_member_name (b, "delta");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "tool_calls");
          json_builder_begin_array (b);
          add_tool_call (b, k == 0 ? call_id : NULL, k == 0 ? r->name : NULL, fragment, TRUE);
          json_builder_end_array (b);
          json_builder_end_object (b);
          json_builder_set_member_name (b, "finish_reason");
          json_builder_add_null_value (b);
          json_builder_end_object (b);
          json_builder_end_array (b);
          json_builder_end_object (b);
          append_event (out, b);
        }
    }

  begin_chunk (b, id, model, "chat.completion.chunk");
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  json_builder_add_string_value (b, finish_reason);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  append_event (out, b);

  if (usage)
    {
      begin_chunk (b, id, model, "chat.completion.chunk");
      json_builder_set_member_name (b, "choices");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      add_usage (b, prompt_tokens, completion);
      json_builder_end_object (b);
      append_event (out, b);
    }
  g_string_append (out, "data: [DONE]\n\n");

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-cache");
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY, out->str,
                                    out->len);
}

static void
chat_completions (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Conversation) c = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *why = NULL;
  const char *param = NULL;
  JsonNode *root;
  JsonObject *request;
  JsonNode *node;
  Reply r = { 0 };

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      send_error (msg, 400, "invalid_request_error", NULL, NULL,
                  "We could not parse the JSON body of your request: it must be one JSON "
                  "object.");
      return;
    }
  request = json_node_get_object (root);

  node = json_object_get_member (request, "model");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      send_error (msg, 400, "invalid_request_error", "model", NULL,
                  "You must provide a model parameter.");
      return;
    }
  node = json_object_get_member (request, "stream");
  if (node != NULL && (!JSON_NODE_HOLDS_VALUE (node) ||
                       json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    {
      send_error (msg, 400, "invalid_request_error", "stream", NULL,
                  "“stream” must be a boolean.");
      return;
    }
  node = json_object_get_member (request, "logprobs");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    {
      send_error (msg, 400, "invalid_request_error", "logprobs", NULL,
                  "“logprobs” must be a boolean.");
      return;
    }

  c = conversation_read (request, &param, &why);
  if (c == NULL)
    {
      send_error (msg, 400, "invalid_request_error", param, NULL, why);
      return;
    }

  rand = rand_for (opt.seed, request);
  if (c->system != NULL && strstr (c->system, "You are a critic") != NULL)
    critic_turn (&r, rand, c);
  else if (c->system != NULL && strstr (c->system, "running summary") != NULL)
    summary_turn (&r, rand, c);
  else if (c->native || c->react)
    agent_turn (&r, rand, c);
  else
    {
      r.thought = g_strdup ("I am not sure what you are asking for. Could you say what you "
                            "need in a little more detail?");
      r.confidence = 0.6;
    }

  /* A text agent writes its call in the ReAct format. */
  if (c->react && r.name != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Thought: %s\nAction: {\"name\": \"%s\", "
                                               "\"arguments\": %s}", r.thought, r.name, r.args);

      g_free (r.thought);
      r.thought = g_steal_pointer (&text);
      g_clear_pointer (&r.name, g_free);
      g_clear_pointer (&r.args, g_free);
    }
  else if (c->react && r.thought != NULL)
    {
      g_autofree char *text = g_strdup_printf ("Thought: %s", r.thought);

      g_free (r.thought);
      r.thought = g_steal_pointer (&text);
    }

  send_reply (msg, request, &r, rand, (guint) g_bytes_get_size (bytes) / 4 + 1);
  reply_clear (&r);
}

static void
models (SoupServerMessage *msg)
{
  static const char body[] =
    "{\"object\":\"list\",\"data\":[{\"id\":\"reins-error-model\",\"object\":\"model\","
    "\"created\":1767225600,\"owned_by\":\"reins\"}]}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/v1/chat/completions") || g_str_equal (path, "/chat/completions"))
    {
      if (g_str_equal (method, "POST"))
        chat_completions (msg);
      else
        send_error (msg, 405, "invalid_request_error", NULL, "method_not_allowed",
                    "Use POST for chat completions.");
    }
  else if (g_str_equal (path, "/v1/models") || g_str_equal (path, "/models"))
    {
      if (g_str_equal (method, "GET"))
        models (msg);
      else
        send_error (msg, 405, "invalid_request_error", NULL, "method_not_allowed",
                    "Use GET for the list of models.");
    }
  else
    send_error (msg, 404, "invalid_request_error", NULL, "unknown_url",
                "Unknown request URL. This server answers /v1/chat/completions and /v1/models.");
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (user_data, G_IO_STREAM (connection), local, remote, &error))
    g_printerr ("Cannot serve a connection: %s\n", error->message);
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_kinds (const char  *list,
             GError     **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  memset (opt.enabled, 0, sizeof opt.enabled);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      guint k;

      if (*name == '\0')
        continue;
      for (k = 0; k < N_KINDS; k++)
        if (g_str_equal (name, kinds[k].name))
          break;
      if (k == N_KINDS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "There is no mistake kind “%s”", name);
          return FALSE;
        }
      opt.enabled[k] = TRUE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *kind_list = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one) [0]", "N" },
    { "accuracy", 0, 0, G_OPTION_ARG_DOUBLE, &opt.accuracy,
      "Per-step accuracy of the agent [0.88]", "P" },
    { "critic-accuracy", 0, 0, G_OPTION_ARG_DOUBLE, &opt.critic_accuracy,
      "Accuracy of its verdicts as a critic [0.9]", "P" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Seed of the mistakes [0]", "N" },
    { "prose", 0, 0, G_OPTION_ARG_NONE, &opt.prose, "Final answers as sentences", NULL },
    { "kinds", 0, 0, G_OPTION_ARG_STRING, &kind_list, "Mistake kinds to make [all]", "LIST" },
    { NULL }
  };

  for (guint k = 0; k < N_KINDS; k++)
    {
      opt.enabled[k] = TRUE;
      g_string_append_printf (all, "%s%s", k > 0 ? "," : "", kinds[k].name);
    }

  context = g_option_context_new ("— an OpenAI-compatible model server that makes mistakes");
  g_option_context_add_main_entries (context, entries, NULL);
  description = g_strdup_printf ("Mistake kinds: %s\nSee docs/error-models.md.", all->str);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (kind_list != NULL && !parse_kinds (kind_list, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (seed_text != NULL)
    {
      char *end = NULL;

      opt.seed = g_ascii_strtoull (seed_text, &end, 10);
      if (*seed_text == '\0' || *end != '\0')
        {
          g_printerr ("--seed must be a whole number, not “%s”\n", seed_text);
          return 2;
        }
    }
  if (!(opt.accuracy >= 0.0 && opt.accuracy <= 1.0) ||
      !(opt.critic_accuracy >= 0.0 && opt.critic_accuracy <= 1.0) || port < 0 || port > 65535)
    {
      g_printerr ("--accuracy and --critic-accuracy must be in [0, 1], --port in [0, 65535]\n");
      return 2;
    }

  regexes_init ();
  server = soup_server_new ("server-header", "reins-model-server", NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  /* Connections are accepted here and handed to the server: libsoup 3.2's own listener
   * leaks a socket per connection, which LeakSanitizer reports (as tests/reins-test-server.c
   * found). */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), server);
  g_socket_service_start (service);
  g_print ("http://127.0.0.1:%u/v1\n",
           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  soup_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_regex_unref (re_start);
  g_regex_unref (re_next);
  g_regex_unref (re_value);
  g_regex_unref (re_summary);
  g_regex_unref (re_key);
  g_regex_unref (re_critic_step);
  return 0;
}
