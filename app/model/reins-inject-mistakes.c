/* reins-inject-mistakes.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection, the mistakes: one maker per kind of docs/mistakes.md, each putting its
 * mistake in the place of the intended action.
 */

#include "config.h"

#include <string.h>

#include "reins-provider-inject-private.h"

/* The mistakes ------------------------------------------------------------------------- */

void
reins_inject_mistake_clear (Mistake *m)
{
  g_clear_pointer (&m->thought, g_free);
  g_clear_pointer (&m->name, g_free);
  g_clear_pointer (&m->args, json_object_unref);
  g_clear_pointer (&m->broken, g_free);
}

static void
mistake_set (Mistake    *m,
             const char *name,
             JsonObject *args,
             char       *thought)
{
  m->name = g_strdup (name);
  m->args = args != NULL ? reins_json_object_deep_copy (args) : json_object_new ();
  m->thought = thought;
}

static void
mistake_finish (Context    *ctx,
                Mistake    *m,
                const char *answer,
                char       *thought)
{
  g_autoptr(JsonObject) args = json_object_new ();

  json_object_set_string_member (args, ctx->finish_member, answer);
  mistake_set (m, "finish", args, thought);
}

/* @frame with @answer for its `#`; an answer that is a sentence brings its own full stop. */
static char *
say (const char *frame,
     const char *answer)
{
  g_autofree char *bare = g_str_has_suffix (answer, ".") ? g_strndup (answer, strlen (answer) - 1)
                                                          : g_strdup (answer);

  return reins_inject_fill (frame, "", bare);
}

/* Why the model finishes: often the thought it had anyway (its reasoning says one thing, its
 * action does another), else a claim of being done, worded per half like sentence_with(). */
static char *
finish_thought (Context    *ctx,
                GRand      *rand,
                const char *answer)
{
  static const char * const tuning_frames[] = {
    "I have the answer: #.",
    "The results point to #, so I can finish.",
    "Everything needed is there: #.",
  };
  static const char * const evaluation_frames[] = {
    "That settles it; the answer is #.",
    "I am confident the answer is #.",
    "This gives me the final result, #.",
  };
  g_autofree char *statement = NULL;

  if (ctx->intended_thought != NULL && *ctx->intended_thought != '\0' &&
      g_rand_double (rand) < 0.35)
    return g_strdup (ctx->intended_thought);
  statement = say (ctx->evaluation ? PICK (rand, evaluation_frames) : PICK (rand, tuning_frames),
                   answer);
  return reins_inject_thought_of (rand, statement);
}

static gboolean
make_repeat (Context *ctx,
             GRand   *rand,
             Mistake *m)
{
  ReinsAction *prev = reins_inject_last_action (ctx);

  if (prev == NULL || reins_inject_is_finish (prev))
    return FALSE;
  mistake_set (m, reins_action_get_name (prev), reins_action_get_arguments (prev),
               g_strdup (g_ptr_array_index (ctx->thoughts, ctx->thoughts->len - 1)));
  return TRUE;
}

/* The same value in other spelling: case, spacing, quoting, separators, a path's `./`. */
static char *
respell (GRand      *rand,
         const char *value)
{
  for (guint tries = 0; tries < 8; tries++)
    {
      char *text = NULL;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0:
          text = g_utf8_strup (value, -1);
          break;
        case 1:
          text = g_rand_boolean (rand) ? g_strconcat (" ", value, NULL)
                                       : g_strconcat (value, " ", NULL);
          break;
        case 2:
          text = g_strconcat (g_rand_boolean (rand) ? "'" : "\"", value,
                              g_rand_boolean (rand) ? "'" : "\"", NULL);
          break;
        case 3:
          if (strchr (value, '-') != NULL)
            text = g_strdelimit (g_strdup (value), "-", g_rand_boolean (rand) ? '_' : ' ');
          break;
        case 4:
          if (strchr (value, '/') != NULL)
            text = g_rand_boolean (rand) ? g_strconcat ("./", value, NULL)
                                         : g_strconcat (value, "/", NULL);
          break;
        default:
          text = reins_inject_capitalised (g_strdup (value));
          break;
        }
      if (text != NULL && !g_str_equal (text, value))
        return text;
      g_free (text);
    }
  return g_strconcat (value, " ", NULL);
}

static gboolean
make_paraphrase (Context *ctx,
                 GRand   *rand,
                 Mistake *m)
{
  static const char * const frames[] = {
    "Let me check that once more.",
    "I will look at it again with a slightly different spelling.",
    "Maybe the previous call missed something; trying again.",
    "To be sure, I repeat that lookup.",
    "I should verify this before going on.",
  };
  ReinsAction *prev = reins_inject_last_action (ctx);
  JsonObject *args;
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(GList) members = NULL;
  gboolean changed = FALSE;

  if (prev == NULL || reins_inject_is_finish (prev))
    return FALSE;
  args = reins_action_get_arguments (prev);
  members = json_object_get_members (args);
  /* The members in reverse order, one value spelled otherwise. */
  members = g_list_reverse (members);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (args, l->data);

      if (!changed && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) != '\0')
        {
          g_autofree char *other = respell (rand, json_node_get_string (node));

          json_object_set_string_member (copy, l->data, other);
          changed = TRUE;
        }
      else if (!changed && JSON_NODE_HOLDS_VALUE (node) &&
               json_node_get_value_type (node) == G_TYPE_INT64)
        {
          g_autofree char *other = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

          json_object_set_string_member (copy, l->data, other);
          changed = TRUE;
        }
      else
        json_object_set_member (copy, l->data, reins_json_node_deep_copy (node));
    }
  if (!changed)
    return FALSE;
  mistake_set (m, reins_action_get_name (prev), copy, reins_inject_thought_of (rand, PICK (rand, frames)));
  return TRUE;
}

/* The action the mistake distorts: the intended one, else the latest, else a finish. */
static ReinsAction *
base_action (Context *ctx,
             GRand   *rand)
{
  if (ctx->intended != NULL)
    return g_object_ref (ctx->intended);
  if (reins_inject_last_action (ctx) != NULL)
    return g_object_ref (reins_inject_last_action (ctx));
  {
    g_autoptr(JsonObject) args = json_object_new ();
    g_autofree char *word = reins_inject_invent_word (ctx, rand);

    json_object_set_string_member (args, ctx->finish_member, word);
    return reins_action_new ("finish", args);
  }
}

static char *
base_thought (Context *ctx)
{
  if (ctx->intended != NULL && ctx->intended_thought != NULL)
    return g_strdup (ctx->intended_thought);
  return g_strdup ("");
}

static gboolean
make_malformed (Context *ctx,
                GRand   *rand,
                Mistake *m)
{
  g_autoptr(ReinsAction) base = base_action (ctx, rand);
  JsonObject *args = reins_action_get_arguments (base);
  g_autoptr(JsonObject) broken = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (args);
  g_autofree char *thought = base_thought (ctx);

  if (!ctx->native && g_rand_double (rand) < 0.75)
    {
      /* Text that is not JSON: cut short, a Python call, a trailing comma, or the arguments
       * pasted in as an unescaped string. */
      g_autofree char *json = reins_action_to_string (base);
      g_autofree char *args_json = reins_action_dup_arguments_json (base);
      gsize len = strlen (json);

      mistake_set (m, reins_action_get_name (base), args, g_steal_pointer (&thought));
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          m->broken = g_strndup (json, len - (len > 2 && g_rand_boolean (rand) ? 2 : 1));
          break;
        case 1:
          {
            /* A function call as in Python, which the JSON parser cannot read. */
            GString *call = g_string_new (reins_action_get_name (base));
            g_autoptr(GList) names = json_object_get_members (args);

            g_string_append_c (call, '(');
            for (const GList *l = names; l != NULL; l = l->next)
              {
                JsonNode *node = json_object_get_member (args, l->data);
                g_autofree char *value = reins_json_to_string (node, FALSE);

                g_string_append_printf (call, "%s%s=%s", l == names ? "" : ", ",
                                        (const char *) l->data, value);
              }
            g_string_append_c (call, ')');
            m->broken = g_string_free (call, FALSE);
          }
          break;
        case 2:
          m->broken = g_strdup_printf ("%.*s,}}", (int) (len >= 2 ? len - 2 : 0), json);
          break;
        default:
          m->broken = g_strdup_printf ("{\"name\": \"%s\", \"arguments\": \"%s\"}",
                                       reins_action_get_name (base), args_json);
          break;
        }
      return TRUE;
    }

  /* Well-formed JSON of the wrong shape: a value of the wrong type, a misnamed or missing
   * argument, or the arguments encoded twice. */
  switch (members == NULL ? 3 : g_rand_int_range (rand, 0, 4))
    {
    case 0:
      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *node = json_object_get_member (args, l->data);

          if (l == members && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            {
              const char *s = json_node_get_string (node);
              JsonArray *wrapped = json_array_new ();
              char *end = NULL;
              double number = g_ascii_strtod (s, &end);

              if (end != s && end != NULL && *end == '\0')
                json_object_set_double_member (broken, l->data, number);
              else if (g_rand_boolean (rand))
                {
                  json_array_add_string_element (wrapped, s);
                  json_object_set_array_member (broken, l->data, g_steal_pointer (&wrapped));
                }
              else
                {
                  JsonObject *inner = json_object_new ();

                  json_object_set_string_member (inner, "value", s);
                  json_object_set_object_member (broken, l->data, inner);
                }
              g_clear_pointer (&wrapped, json_array_unref);
            }
          else if (l == members && JSON_NODE_HOLDS_VALUE (node))
            {
              g_autofree char *text = reins_json_to_string (node, FALSE);

              json_object_set_string_member (broken, l->data, text);
            }
          else if (l == members)
            json_object_set_boolean_member (broken, l->data, TRUE);
          else
            json_object_set_member (broken, l->data, reins_json_node_deep_copy (node));
        }
      break;

    case 1:
      for (const GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *name = l == members
                                  ? (g_rand_boolean (rand) ? g_strconcat (l->data, "s", NULL)
                                                           : g_strconcat (l->data, "_name", NULL))
                                  : g_strdup (l->data);

          JsonNode *node = json_object_get_member (args, l->data);

          json_object_set_member (broken, name, reins_json_node_deep_copy (node));
        }
      break;

    case 2:
      {
        g_autofree char *args_json = reins_action_dup_arguments_json (base);

        json_object_set_string_member (broken, "arguments", args_json);
      }
      break;

    default:
      /* Nothing at all, or an argument nobody asked for. */
      if (members != NULL)
        break;
      {
        g_autofree char *word = reins_inject_invent_word (ctx, rand);

        json_object_set_string_member (broken, "input", word);
      }
      break;
    }

  mistake_set (m, reins_action_get_name (base), broken, g_steal_pointer (&thought));
  return TRUE;
}

static gboolean
is_tool_name (Context    *ctx,
              const char *name)
{
  return reins_inject_find_tool (ctx, name) != NULL || g_str_equal (name, "finish");
}

/* A plausible tool name that does not exist, made from a real one: its parts swapped,
 * another verb, plural, joined, or camel-cased. */
static char *
unknown_name (Context    *ctx,
              GRand      *rand,
              const char *real)
{
  static const char * const verbs[] = {
    "get", "fetch", "search", "find", "query", "read", "lookup", "list", "open", "load", "run",
    "submit", "final", "show", "check",
  };

  for (guint tries = 0; tries < 32; tries++)
    {
      g_auto(GStrv) parts = g_strsplit (real, "_", -1);
      guint n = g_strv_length (parts);
      char *name = NULL;

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          if (n >= 2)
            {
              char *first = parts[0];

              parts[0] = parts[n - 1];
              parts[n - 1] = first;
              name = g_strjoinv ("_", parts);
            }
          break;
        case 1:
          {
            guint at = g_rand_int_range (rand, 0, n);

            g_free (parts[at]);
            parts[at] = g_strdup (PICK (rand, verbs));
            name = n == 1 ? g_strconcat (parts[0], "_", real, NULL) : g_strjoinv ("_", parts);
          }
          break;
        case 2:
          name = g_str_has_suffix (real, "s") ? g_strndup (real, strlen (real) - 1)
                                               : g_strconcat (real, "s", NULL);
          break;
        case 3:
          if (n >= 2)
            {
              GString *camel = g_string_new (parts[0]);

              for (guint i = 1; i < n; i++)
                if (parts[i][0] != '\0')
                  {
                    g_string_append_c (camel, g_ascii_toupper (parts[i][0]));
                    g_string_append (camel, parts[i] + 1);
                  }
              name = g_string_free (camel, FALSE);
            }
          break;
        default:
          name = g_strconcat (real, "_", PICK (rand, verbs), NULL);
          break;
        }
      if (name != NULL && *name != '\0' && !is_tool_name (ctx, name))
        return name;
      g_free (name);
    }
  return g_strconcat (real, "_v2", NULL);
}

static gboolean
make_unknown_tool (Context *ctx,
                   GRand   *rand,
                   Mistake *m)
{
  static const char * const answer_verbs[] = { "final", "submit", "give", "return", "report" };
  g_autoptr(ReinsAction) base = base_action (ctx, rand);
  g_autofree char *name = NULL;

  /* Ending the run by a name of its own: `final_answer`, `submit_answer`, `answer`… */
  if (reins_inject_is_finish (base))
    {
      name = g_rand_double (rand) < 0.8
             ? g_strconcat (PICK (rand, answer_verbs), "_", ctx->finish_member, NULL)
             : g_strdup (ctx->finish_member);
      if (is_tool_name (ctx, name))
        g_clear_pointer (&name, g_free);
    }
  if (name == NULL)
    name = unknown_name (ctx, rand, reins_action_get_name (base));

  mistake_set (m, name, reins_action_get_arguments (base), base_thought (ctx));
  return TRUE;
}

/* Arguments for @tool that fit its schema but have nothing to do with the task at hand. */
static JsonObject *
arguments_for (Context    *ctx,
               GRand      *rand,
               JsonObject *tool)
{
  JsonObject *props = reins_inject_schema_properties (tool);
  JsonObject *params = reins_inject_tool_parameters (tool);
  JsonArray *required = NULL;
  JsonObject *args = json_object_new ();
  g_autoptr(GList) members = props != NULL ? json_object_get_members (props) : NULL;

  if (params != NULL && json_object_has_member (params, "required") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (params, "required")))
    required = json_object_get_array_member (params, "required");

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *schema_node = json_object_get_member (props, name);
      JsonObject *schema = JSON_NODE_HOLDS_OBJECT (schema_node) ? json_node_get_object (schema_node)
                                                                : NULL;
      const char *type = reins_inject_member_string (schema, "type") != NULL ? reins_inject_member_string (schema, "type")
                                                                : "string";
      gboolean needed = l == members;

      for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
        if (g_strcmp0 (reins_inject_string_of (json_array_get_element (required, i)), name) == 0)
          needed = TRUE;
      if (!needed)
        continue;

      if (g_str_equal (type, "integer") || g_str_equal (type, "number"))
        json_object_set_int_member (args, name, g_rand_int_range (rand, 1, 50));
      else if (g_str_equal (type, "boolean"))
        json_object_set_boolean_member (args, name, g_rand_boolean (rand));
      else
        {
          g_autofree char *word = ctx->words->len > 0 && g_rand_boolean (rand)
                                  ? g_strdup (reins_inject_pick (rand, ctx->words)) : reins_inject_syllable_word (rand);
          g_autofree char *lower = g_ascii_strdown (name, -1);
          char *value;

          if (strstr (lower, "path") != NULL || strstr (lower, "dir") != NULL ||
              strstr (lower, "file") != NULL)
            value = g_rand_boolean (rand) ? g_strdup (".") : g_strconcat (word, ".txt", NULL);
          else if (strstr (lower, "expr") != NULL)
            value = g_strdup_printf ("%d * %d", g_rand_int_range (rand, 2, 20),
                                     g_rand_int_range (rand, 2, 20));
          else if (strstr (lower, "url") != NULL)
            value = g_strdup_printf ("https://%s.org/", word);
          else
            value = g_steal_pointer (&word);
          json_object_set_string_member (args, name, value);
          g_free (value);
        }
    }
  return args;
}

static gboolean
make_drift (Context *ctx,
            GRand   *rand,
            Mistake *m)
{
  static const char * const frames[] = {
    "It might help to look at something else first.",
    "There may be related information elsewhere; let me explore.",
    "Before going on, I want to check another source.",
    "Let me get some more context.",
  };
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  const char *intended = ctx->intended != NULL ? reins_action_get_name (ctx->intended) : NULL;
  ReinsAction *last = reins_inject_last_action (ctx);
  const char *previous = last != NULL ? reins_action_get_name (last) : NULL;
  JsonObject *tool;
  g_autoptr(JsonObject) args = NULL;

  for (guint i = 0; i < ctx->tools->len; i++)
    {
      JsonObject *t = g_ptr_array_index (ctx->tools, i);
      const char *name = reins_inject_member_string (t, "name");

      if (name != NULL && *name != '\0' && !g_str_equal (name, "finish") && g_strcmp0 (name, intended) != 0 &&
          g_strcmp0 (name, previous) != 0)
        g_ptr_array_add (others, t);
    }
  if (others->len == 0)
    return FALSE;

  tool = reins_inject_pick (rand, others);
  args = arguments_for (ctx, rand, tool);
  mistake_set (m, reins_inject_member_string (tool, "name"), args,
               reins_inject_thought_of (rand, PICK (rand, frames)));
  return TRUE;
}

/* @action with its first string argument replaced by a value of the same shape that was
 * never observed. */
static gboolean
guessed_action (Context     *ctx,
                GRand       *rand,
                ReinsAction *action,
                Mistake     *m,
                char        *thought)
{
  g_autofree char *value = NULL;
  g_autofree char *member = reins_inject_first_string_member (reins_action_get_arguments (action), &value);
  g_autofree char *guess = NULL;
  g_autoptr(JsonObject) args = NULL;

  if (member == NULL || (guess = reins_inject_guess_like (ctx, rand, value)) == NULL)
    {
      g_free (thought);
      return FALSE;
    }
  args = reins_json_object_deep_copy (reins_action_get_arguments (action));
  json_object_set_string_member (args, member, guess);
  mistake_set (m, reins_action_get_name (action), args, thought);
  return TRUE;
}

static gboolean
make_guessed_arg (Context *ctx,
                  GRand   *rand,
                  Mistake *m)
{
  static const char * const frames[] = {
    "The next one should be @; I go straight there.",
    "Following the pattern, the next is @.",
    "I can skip ahead: @.",
    "That must lead to @.",
  };
  ReinsAction *base = reins_inject_base_tool_action (ctx);

  if (base == NULL)
    return FALSE;
  if (!guessed_action (ctx, rand, base, m, NULL))
    return FALSE;
  {
    g_autofree char *value = NULL;
    g_autofree char *member = reins_inject_first_string_member (m->args, &value);
    g_autofree char *statement = reins_inject_fill (PICK (rand, frames), value, "");

    g_free (m->thought);
    m->thought = reins_inject_thought_of (rand, statement);
  }
  return TRUE;
}

static gboolean
make_invented (Context *ctx,
               GRand   *rand,
               Mistake *m,
               Kind     kind)
{
  g_autofree char *answer = NULL;

  switch (kind)
    {
    case KIND_INVENTED_WORD:
      answer = reins_inject_invent_word (ctx, rand);
      break;
    case KIND_INVENTED_NUMBER:
      answer = reins_inject_invent_number (ctx, rand);
      break;
    case KIND_INVENTED_SENTENCE:
      answer = reins_inject_invent_sentence (ctx, rand);
      break;
    case KIND_INVENTED_DATE:
      answer = reins_inject_invent_date (ctx, rand);
      break;
    case KIND_INVENTED_LIST:
    default:
      answer = reins_inject_invent_list (ctx, rand);
      break;
    }
  /* A wrapped finish that already says this is no mistake. */
  if (reins_inject_is_finish (ctx->intended))
    {
      const char *right = reins_action_get_string_argument (ctx->intended, ctx->finish_member);

      if (g_strcmp0 (right, answer) == 0)
        return FALSE;
    }
  mistake_finish (ctx, m, answer, finish_thought (ctx, rand, answer));
  return TRUE;
}

static gboolean
make_intermediate (Context *ctx,
                   GRand   *rand,
                   Mistake *m)
{
  g_autoptr(GPtrArray) pointers = reins_inject_passed_pointers (ctx);
  g_autofree char *answer = NULL;
  const char *pointer;

  if (pointers->len == 0)
    return FALSE;
  /* Mostly the latest pointer, sometimes an older one. */
  pointer = g_rand_double (rand) < 0.7 ? g_ptr_array_index (pointers, 0) : reins_inject_pick (rand, pointers);
  answer = g_rand_double (rand) < 0.7 ? g_strdup (pointer) : reins_inject_sentence_with (ctx, rand, pointer);
  mistake_finish (ctx, m, answer, finish_thought (ctx, rand, pointer));
  return TRUE;
}

static gboolean
make_false_success (Context *ctx,
                    GRand   *rand,
                    Mistake *m)
{
  static const char * const proceed[] = {
    "That worked; the next is @.",
    "The call went through. Next: @.",
    "Good, that succeeded, so I continue with @.",
  };
  static const char * const claim[] = {
    "The call succeeded and returned #.",
    "That worked: the result is #.",
    "It went through; the answer is #.",
  };
  Observation *obs = reins_inject_last_observation (ctx);
  ReinsAction *failed = reins_inject_last_action (ctx);

  if (obs == NULL || !obs->error)
    return FALSE;

  if (failed != NULL && !reins_inject_is_finish (failed) && g_rand_boolean (rand) &&
      guessed_action (ctx, rand, failed, m, NULL))
    {
      g_autofree char *value = NULL;
      g_autofree char *member = reins_inject_first_string_member (m->args, &value);
      g_autofree char *statement = reins_inject_fill (PICK (rand, proceed), value != NULL ? value : "it", "");

      g_free (m->thought);
      m->thought = reins_inject_thought_of (rand, statement);
      return TRUE;
    }

  {
    g_autofree char *answer = NULL;
    g_autofree char *value = NULL;
    g_autofree char *member = failed != NULL
                              ? reins_inject_first_string_member (reins_action_get_arguments (failed), &value)
                              : NULL;
    g_autofree char *statement = NULL;

    if (value != NULL && g_rand_boolean (rand))
      answer = reins_inject_guess_like (ctx, rand, value);
    if (answer == NULL)
      answer = reins_inject_invent_word (ctx, rand);
    statement = say (PICK (rand, claim), answer);
    mistake_finish (ctx, m, answer, reins_inject_thought_of (rand, statement));
  }
  return TRUE;
}

static gboolean
make_premature (Context *ctx,
                GRand   *rand,
                Mistake *m)
{
  static const char * const frames[] = {
    "I have enough to answer now: #.",
    "No need to look further; it is #.",
    "From what I have seen, the answer must be #.",
    "I can already tell: #.",
  };
  g_autofree char *answer = NULL;
  g_autofree char *statement = NULL;
  Observation *obs = reins_inject_last_observation (ctx);

  /* Only before the work is done: the wrapped reply was going on with a tool. */
  if (ctx->intended == NULL || reins_inject_is_finish (ctx->intended))
    return FALSE;

  /* Shaped like what the tools return, but never returned. */
  if (obs != NULL && !obs->error && obs->atoms->len > 0 && g_rand_boolean (rand))
    answer = reins_inject_guess_like (ctx, rand, reins_inject_pick (rand, obs->atoms));
  for (guint tries = 0; tries < 8 && (answer == NULL || reins_inject_observed (ctx, answer)); tries++)
    {
      g_clear_pointer (&answer, g_free);
      answer = g_rand_boolean (rand) ? reins_inject_invent_word (ctx, rand) : reins_inject_invent_sentence (ctx, rand);
    }
  if (reins_inject_observed (ctx, answer))
    return FALSE;
  statement = say (PICK (rand, frames), answer);
  mistake_finish (ctx, m, answer, reins_inject_thought_of (rand, statement));
  return TRUE;
}

gboolean
reins_inject_make_mistake (Context *ctx,
                           GRand   *rand,
                           Kind     kind,
                           Mistake *m)
{
  switch (kind)
    {
    case KIND_REPEAT:
      return make_repeat (ctx, rand, m);
    case KIND_PARAPHRASE:
      return make_paraphrase (ctx, rand, m);
    case KIND_MALFORMED_ARGS:
      return make_malformed (ctx, rand, m);
    case KIND_UNKNOWN_TOOL:
      return make_unknown_tool (ctx, rand, m);
    case KIND_DRIFT:
      return make_drift (ctx, rand, m);
    case KIND_GUESSED_ARG:
      return make_guessed_arg (ctx, rand, m);
    case KIND_INTERMEDIATE:
      return make_intermediate (ctx, rand, m);
    case KIND_FALSE_SUCCESS:
      return make_false_success (ctx, rand, m);
    case KIND_PREMATURE_FINISH:
      return make_premature (ctx, rand, m);
    case KIND_INVENTED_WORD:
    case KIND_INVENTED_NUMBER:
    case KIND_INVENTED_SENTENCE:
    case KIND_INVENTED_DATE:
    case KIND_INVENTED_LIST:
      return make_invented (ctx, rand, m, kind);
    case N_KINDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}
