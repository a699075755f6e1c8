/* reins-provider-inject.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection (docs/mistakes.md). The wrapper asks the wrapped provider as usual and,
 * for a fraction of the agent's replies, puts a mistake of a named kind in the reply's place,
 * in the reply's own form: a native tool call, or ReAct text. Everything it invents comes
 * from the conversation (its task, its tools, what the tools returned), never from a list a
 * checker could learn. It was written from public failure taxonomies of LLM agents, without
 * looking at the harness that is evaluated against it.
 *
 * Only agent steps are touched — a request with tools, or a ReAct request — so summaries and
 * other side calls pass through. The injected kind is recorded in the stored raw response
 * (REINS_INJECT_RAW_MEMBER) and nowhere the model can read it.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-confidence.h"
#include "reins-provider-inject.h"

typedef enum
{
  KIND_REPEAT,
  KIND_PARAPHRASE,
  KIND_MALFORMED_ARGS,
  KIND_UNKNOWN_TOOL,
  KIND_DRIFT,
  KIND_GUESSED_ARG,
  KIND_INVENTED_WORD,
  KIND_INVENTED_NUMBER,
  KIND_INTERMEDIATE,
  KIND_FALSE_SUCCESS,
  KIND_INVENTED_SENTENCE,
  KIND_INVENTED_DATE,
  KIND_INVENTED_LIST,
  KIND_PREMATURE_FINISH,
  N_KINDS
} Kind;

/* The frozen split of docs/mistakes.md: never move a kind to the other half. */
static const char * const kind_names[N_KINDS + 1] = {
  "repeat", "paraphrase", "malformed_args", "unknown_tool", "drift", "guessed_arg",
  "invented_word", "invented_number", "intermediate", "false_success", "invented_sentence",
  "invented_date", "invented_list", "premature_finish", NULL,
};
static const gboolean kind_evaluation[N_KINDS] = {
  FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE,
};

#define ALL_KINDS ((1u << N_KINDS) - 1)

struct _ReinsProviderInject
{
  GObject        parent_instance;

  ReinsProvider *inner;
  double         rate;
  guint          kinds;  /* bit i: Kind i */
  guint64        seed;
};

static void reins_provider_inject_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderInject, reins_provider_inject, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_inject_iface_init))

/* The spec ------------------------------------------------------------------------------ */

const char * const *
reins_inject_get_kind_names (void)
{
  return kind_names;
}

/**
 * reins_inject_get_kind_set:
 *
 * Returns: (nullable): "tuning" or "evaluation", the frozen half @kind belongs to; %NULL
 *   for an unknown kind
 */
const char *
reins_inject_get_kind_set (const char *kind)
{
  for (guint i = 0; i < N_KINDS; i++)
    if (g_strcmp0 (kind, kind_names[i]) == 0)
      return kind_evaluation[i] ? "evaluation" : "tuning";
  return NULL;
}

static guint
half_mask (gboolean evaluation)
{
  guint mask = 0;

  for (guint i = 0; i < N_KINDS; i++)
    if (kind_evaluation[i] == evaluation)
      mask |= 1u << i;
  return mask;
}

static gboolean
spec_error (GError    **error,
            const char *spec,
            const char *why)
{
  g_autofree char *known = g_strjoinv (", ", (char **) kind_names);

  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("Malformed mistake injection “%s”: %s. Use RATE[:KIND,…] with RATE from 0 "
                 "to 1 and KIND one of tuning, evaluation, all, %s"),
               spec, why, known);
  return FALSE;
}

/**
 * reins_inject_parse_spec:
 * @spec: `RATE`, `RATE:tuning`, `RATE:evaluation`, `RATE:all` or `RATE:KIND,KIND…`
 * @rate: (out) (optional): the fraction of agent replies to replace
 * @kinds: (out) (optional): the kinds, one bit each (an opaque mask)
 *
 * A RATE alone means all kinds.
 *
 * Returns: %FALSE with a REINS_ERROR_USAGE error saying what is wrong
 */
gboolean
reins_inject_parse_spec (const char  *spec,
                         double      *rate,
                         guint       *kinds,
                         GError     **error)
{
  g_autofree char *rate_text = NULL;
  g_autofree char *trimmed = NULL;
  const char *colon;
  char *end = NULL;
  double r;
  guint mask = 0;

  if (spec == NULL)
    spec = "";
  trimmed = g_strstrip (g_strdup (spec));
  if (*trimmed == '\0')
    return spec_error (error, spec, _("it is empty"));

  colon = strchr (spec, ':');
  rate_text = g_strstrip (colon != NULL ? g_strndup (spec, colon - spec) : g_strdup (spec));
  if (*rate_text == '\0')
    return spec_error (error, spec, _("the rate is missing"));
  r = g_ascii_strtod (rate_text, &end);
  if (end == NULL || *end != '\0' || !isfinite (r))
    return spec_error (error, spec, _("the rate is not a number"));
  if (r < 0 || r > 1)
    return spec_error (error, spec, _("the rate must be from 0 to 1"));

  if (colon == NULL)
    mask = ALL_KINDS;
  else if (*colon == ':' && colon[1 + strspn (colon + 1, " \t")] == '\0')
    return spec_error (error, spec, _("no kind follows the colon"));
  else
    {
      g_auto(GStrv) parts = g_strsplit (colon + 1, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *part = g_strstrip (parts[i]);
          gboolean found = FALSE;

          if (*part == '\0')
            return spec_error (error, spec, _("a kind is empty"));
          if (g_str_equal (part, "all"))
            {
              mask |= ALL_KINDS;
              continue;
            }
          if (g_str_equal (part, "tuning") || g_str_equal (part, "evaluation"))
            {
              mask |= half_mask (g_str_equal (part, "evaluation"));
              continue;
            }
          for (guint k = 0; k < N_KINDS; k++)
            if (g_str_equal (part, kind_names[k]))
              {
                mask |= 1u << k;
                found = TRUE;
              }
          if (!found)
            {
              g_autofree char *why = g_strdup_printf (_("there is no kind “%s”"), part);
              return spec_error (error, spec, why);
            }
        }
    }

  if (rate != NULL)
    *rate = r;
  if (kinds != NULL)
    *kinds = mask;
  return TRUE;
}

/* What the conversation shows --------------------------------------------------------- */

typedef struct
{
  char      *text;
  gboolean   error;
  guint      after;   /* how many actions came before it */
  GPtrArray *atoms;   /* (element-type utf8) its string and number values, or its words */
} Observation;

static void
observation_free (gpointer data)
{
  Observation *obs = data;

  g_free (obs->text);
  g_ptr_array_unref (obs->atoms);
  g_free (obs);
}

typedef struct
{
  gboolean     native;
  const char  *task;
  GPtrArray   *tools;         /* (element-type JsonObject) {name, parameters} */
  GPtrArray   *actions;       /* (element-type ReinsAction) earlier actions, in order */
  GPtrArray   *thoughts;      /* (element-type utf8) their thoughts */
  GPtrArray   *observations;  /* (element-type Observation) */
  char        *all_lower;     /* every message, lower case: what was observed */
  GPtrArray   *words;         /* (element-type utf8) the vocabulary of task and results */
  GPtrArray   *task_words;    /* (element-type utf8) the task's own content words */
  GArray      *numbers;       /* (element-type double) numbers seen in task and results */
  ReinsAction *intended;      /* (nullable) the wrapped reply's action */
  char        *intended_thought;
  const char  *call_id;       /* (nullable) the wrapped reply's tool call id */
  char        *finish_member; /* the argument of `finish` */
  gboolean     evaluation;    /* the kind being made is of the evaluation half */
} Context;

static void
context_clear (Context *ctx)
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

static void
add_unique (GPtrArray  *array,
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
            add_unique (words, word);
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
            add_unique (atoms, s);
        }
      else if (type == G_TYPE_INT64)
        {
          g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          add_unique (atoms, s);
        }
      else if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          add_unique (atoms, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
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
          add_unique (atoms, tokens[i]);
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
static const char *
string_of (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  return object != NULL ? string_of (json_object_get_member (object, member)) : NULL;
}

static JsonObject *
tool_parameters (JsonObject *tool)
{
  JsonNode *node = json_object_get_member (tool, "parameters");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
schema_properties (JsonObject *tool)
{
  JsonObject *params = tool != NULL ? tool_parameters (tool) : NULL;
  JsonNode *node = params != NULL ? json_object_get_member (params, "properties") : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
find_tool (Context    *ctx,
           const char *name)
{
  for (guint i = 0; i < ctx->tools->len; i++)
    {
      JsonObject *tool = g_ptr_array_index (ctx->tools, i);

      if (g_strcmp0 (member_string (tool, "name"), name) == 0)
        return tool;
    }
  return NULL;
}

static gboolean
is_agent_request (ReinsChatRequest *request)
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

static void
read_context (ReinsChatRequest  *request,
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
  finish_props = schema_properties (find_tool (ctx, "finish"));
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

static gboolean
observed (Context    *ctx,
          const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  return strstr (ctx->all_lower, lower) != NULL;
}

static gboolean
is_finish (ReinsAction *action)
{
  return action != NULL && g_str_equal (reins_action_get_name (action), "finish");
}

static ReinsAction *
last_action (Context *ctx)
{
  return ctx->actions->len > 0 ? g_ptr_array_index (ctx->actions, ctx->actions->len - 1) : NULL;
}

static Observation *
last_observation (Context *ctx)
{
  return ctx->observations->len > 0
         ? g_ptr_array_index (ctx->observations, ctx->observations->len - 1)
         : NULL;
}

/* Invention ----------------------------------------------------------------------------- */

static gpointer
pick (GRand     *rand,
      GPtrArray *array)
{
  g_return_val_if_fail (array->len > 0, NULL);
  return g_ptr_array_index (array, g_rand_int_range (rand, 0, array->len));
}

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

/* A pronounceable word from syllables: the alphabet of the generator, not a list of values. */
static char *
syllable_word (GRand *rand)
{
  static const char * const onsets[] = {
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "st",
    "tr", "gl", "pl", "sh", "th", "dr", "fl", "h", "c", "w",
  };
  static const char * const nuclei[] = { "a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y" };
  static const char * const codas[] = {
    "", "", "", "", "n", "r", "l", "s", "m", "k", "x", "nd", "st",
  };
  GString *word = g_string_new (NULL);
  guint syllables = g_rand_int_range (rand, 2, 4);

  for (guint i = 0; i < syllables; i++)
    {
      g_string_append (word, PICK (rand, onsets));
      g_string_append (word, PICK (rand, nuclei));
      if (i + 1 == syllables || g_rand_boolean (rand))
        g_string_append (word, PICK (rand, codas));
    }
  return g_string_free (word, FALSE);
}

/* A word recombined from the conversation's own vocabulary: the head of one and the tail of
 * another, or two joined. */
static char *
recombined_word (Context *ctx,
                 GRand   *rand)
{
  const char *a, *b;
  gsize la, lb;

  if (ctx->words->len == 0)
    return syllable_word (rand);
  a = pick (rand, ctx->words);
  b = pick (rand, ctx->words);
  la = strlen (a);
  lb = strlen (b);
  if (g_rand_boolean (rand) && la >= 4 && lb >= 4)
    {
      gsize cut_a = g_rand_int_range (rand, 2, la - 1);
      gsize cut_b = g_rand_int_range (rand, 1, lb - 2);

      return g_strdup_printf ("%.*s%s", (int) cut_a, a, b + cut_b);
    }
  return g_strconcat (a, b, NULL);
}

/* A value from an observation before the latest: observed, but not what the run ended on. */
static char *
earlier_atom (Context  *ctx,
              GRand    *rand,
              gboolean  letters)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

  for (guint i = 0; i + 1 < ctx->observations->len; i++)
    {
      Observation *obs = g_ptr_array_index (ctx->observations, i);

      for (guint j = 0; j < obs->atoms->len; j++)
        {
          const char *atom = g_ptr_array_index (obs->atoms, j);

          if (!letters || g_ascii_isalpha (atom[0]))
            g_ptr_array_add (candidates, (gpointer) atom);
        }
    }
  return candidates->len > 0 ? g_strdup (pick (rand, candidates)) : NULL;
}

static char *
capitalised (char *word)
{
  if (word != NULL && g_ascii_islower (word[0]))
    word[0] = g_ascii_toupper (word[0]);
  return word;
}

static char *
invent_word (Context *ctx,
             GRand   *rand)
{
  double x = g_rand_double (rand);
  char *word = NULL;

  if (x < 0.2 && (word = earlier_atom (ctx, rand, TRUE)) != NULL)
    return word;

  for (guint tries = 0; tries < 16; tries++)
    {
      g_clear_pointer (&word, g_free);
      word = x < 0.6 ? recombined_word (ctx, rand) : syllable_word (rand);
      if (!observed (ctx, word))
        break;
    }
  if (g_rand_double (rand) < 0.25)
    capitalised (word);
  return word;
}

static char *
format_number (GRand  *rand,
               double  value,
               int     decimals)
{
  if (decimals > 0)
    return g_strdup_printf ("%.*f", decimals, value);
  if (fabs (value) >= 1000 && fabs (value) < 1e15 && g_rand_double (rand) < 0.4)
    {
      g_autofree char *plain = g_strdup_printf ("%.0f", fabs (value));
      GString *grouped = g_string_new (value < 0 ? "-" : "");
      gsize len = strlen (plain);

      for (gsize i = 0; i < len; i++)
        {
          if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c (grouped, ',');
          g_string_append_c (grouped, plain[i]);
        }
      return g_string_free (grouped, FALSE);
    }
  return g_strdup_printf ("%.0f", value);
}

/* A number near the numbers the run has seen (off by a little, by a few percent, a digit
 * changed), sometimes one of them as it was. */
static char *
invent_number (Context *ctx,
               GRand   *rand)
{
  char *text = NULL;

  for (guint tries = 0; tries < 16; tries++)
    {
      double base, x = g_rand_double (rand), value;
      int decimals;

      g_clear_pointer (&text, g_free);
      if (ctx->numbers->len == 0)
        return g_strdup_printf ("%d", g_rand_int_range (rand, 10, 10000));

      base = g_array_index (ctx->numbers, double, g_rand_int_range (rand, 0, ctx->numbers->len));
      decimals = base == floor (base) ? 0 : 2;
      if (x < 0.15 && tries == 0)
        return format_number (rand, base, decimals);
      if (x < 0.5)
        value = base + (g_rand_boolean (rand) ? 1 : -1) * g_rand_int_range (rand, 1, 4);
      else if (x < 0.85)
        {
          double change = g_rand_double_range (rand, 0.02, 0.15);

          value = base * (1.0 + (g_rand_boolean (rand) ? change : -change));
          if (decimals == 0)
            value = round (value);
        }
      else
        value = base * 10 + g_rand_int_range (rand, 0, 10);
      if (value == base)
        value = base + 1;
      text = format_number (rand, value, decimals);
      if (!observed (ctx, text))
        return text;
    }
  return text;
}

static char *
invent_date (Context *ctx,
             GRand   *rand)
{
  static const char * const months[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  };
  int year = g_rand_int_range (rand, 1995, 2031);
  int month = g_rand_int_range (rand, 1, 13);
  int day = g_rand_int_range (rand, 1, 29);

  for (guint i = 0; i < ctx->numbers->len; i++)
    {
      double n = g_array_index (ctx->numbers, double, i);

      if (n >= 1900 && n <= 2099 && n == floor (n) && g_rand_boolean (rand))
        year = (int) n + g_rand_int_range (rand, -3, 4);
    }

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
    case 1:
      return g_strdup_printf ("%d %s %d", day, months[month - 1], year);
    case 2:
      return g_strdup_printf ("%s %d, %d", months[month - 1], day, year);
    default:
      return g_strdup_printf ("%02d/%02d/%04d", month, day, year);
    }
}

/* A short noun phrase of the task's own words. */
static char *
task_phrase (Context *ctx,
             GRand   *rand)
{
  const char *a, *b;

  if (ctx->task_words->len == 0)
    return g_strdup ("result");
  a = pick (rand, ctx->task_words);
  b = pick (rand, ctx->task_words);
  if (g_str_equal (a, b) || g_rand_double (rand) < 0.7)
    return g_strdup (a);
  return g_strdup_printf ("%s %s", a, b);
}

static char *
fill (const char *frame,
      const char *subject,
      const char *value)
{
  GString *text = g_string_new (NULL);

  for (const char *p = frame; *p != '\0'; p++)
    {
      if (*p == '@')
        g_string_append (text, subject);
      else if (*p == '#')
        g_string_append (text, value);
      else
        g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

/* A sentence that states @value as the result, in the task's words. The two halves word it
 * differently, so a checker tuned on one half cannot lean on the other's phrasing. */
static char *
sentence_with (Context    *ctx,
               GRand      *rand,
               const char *value)
{
  static const char * const tuning_frames[] = {
    "The @ is #.",
    "After following the results, the @ is #.",
    "It is #: that is the @ the task asks for.",
    "The final @ I arrived at is #.",
  };
  static const char * const evaluation_frames[] = {
    "The @ turned out to be #.",
    "Based on what the tools returned, the @ is #.",
    "I found it: the @ is #, as the last result showed.",
    "#, which is the @.",
  };
  g_autofree char *subject = task_phrase (ctx, rand);
  char *text = fill (ctx->evaluation ? PICK (rand, evaluation_frames) : PICK (rand, tuning_frames),
                     subject, value);

  text[0] = g_ascii_toupper (text[0]);
  return text;
}

static char *
invent_sentence (Context *ctx,
                 GRand   *rand)
{
  double x = g_rand_double (rand);
  g_autofree char *value = NULL;

  if (x < 0.2)
    value = earlier_atom (ctx, rand, FALSE);
  if (value == NULL)
    value = x < 0.65 ? invent_word (ctx, rand)
            : x < 0.9 ? invent_number (ctx, rand) : invent_date (ctx, rand);
  return sentence_with (ctx, rand, value);
}

static char *
invent_list (Context *ctx,
             GRand   *rand)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint n = g_rand_int_range (rand, 2, 6);
  GString *text = g_string_new (NULL);
  guint style = g_rand_int_range (rand, 0, 4);

  for (guint i = 0; i < n; i++)
    {
      double x = g_rand_double (rand);
      char *item = NULL;

      /* The first item is always one that was never observed. */
      if (i > 0 && x < 0.3)
        item = earlier_atom (ctx, rand, FALSE);
      if (item == NULL && x < 0.5)
        item = invent_number (ctx, rand);
      if (item == NULL)
        item = invent_word (ctx, rand);
      if (i == 0 && observed (ctx, item))
        {
          g_free (item);
          item = syllable_word (rand);
        }
      g_ptr_array_add (items, item);
    }

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      switch (style)
        {
        case 0:
          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", item);
          break;
        case 1:
          g_string_append_printf (text, "%s%s", i == 0 ? "" : i + 1 == items->len ? " and " : ", ",
                                  item);
          break;
        case 2:
          g_string_append_printf (text, "%s- %s", i > 0 ? "\n" : "", item);
          break;
        default:
          {
            g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), item);
            g_autofree char *json = json_to_string (node, FALSE);

            g_string_append_printf (text, "%s%s%s%s", i == 0 ? "[" : ", ", json,
                                    "", i + 1 == items->len ? "]" : "");
          }
          break;
        }
    }
  return g_string_free (text, FALSE);
}

/* A value of the same shape as @value that was never observed: one run of letters or digits
 * redrawn from its own character class (hex stays hex), or a number moved by a little. */
static char *
guess_like (Context    *ctx,
            GRand      *rand,
            const char *value)
{
  for (guint tries = 0; tries < 16; tries++)
    {
      g_autofree char *guess = g_strdup (value);
      gsize len = strlen (guess);
      gsize start = len, end = len;
      gboolean hex = TRUE, digits = TRUE;

      /* The last run of letters and digits (the part that differs between keys). */
      while (end > 0 && !g_ascii_isalnum (guess[end - 1]))
        end--;
      start = end;
      while (start > 0 && g_ascii_isalnum (guess[start - 1]))
        start--;
      if (start == end)
        {
          g_autofree char *word = syllable_word (rand);
          char *appended = g_strconcat (value, "-", word, NULL);

          return appended;
        }
      for (gsize i = start; i < end; i++)
        {
          hex &= g_ascii_isxdigit (guess[i]) && !g_ascii_isupper (guess[i]);
          digits &= g_ascii_isdigit (guess[i]);
        }
      /* Sometimes the run before it changes instead, like an index one further on. */
      if (digits && end - start <= 3)
        {
          g_autofree char *head = g_strndup (guess, start);
          guint64 n = g_ascii_strtoull (guess + start, NULL, 10) + g_rand_int_range (rand, 1, 4);
          char *moved = g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s", head, n, guess + end);

          if (!observed (ctx, moved))
            return moved;
          g_free (moved);
          continue;
        }
      for (gsize i = start; i < end; i++)
        {
          if (g_ascii_isdigit (guess[i]) && !hex)
            guess[i] = '0' + g_rand_int_range (rand, 0, 10);
          else if (hex)
            guess[i] = "0123456789abcdef"[g_rand_int_range (rand, 0, 16)];
          else if (g_ascii_isupper (guess[i]))
            guess[i] = 'A' + g_rand_int_range (rand, 0, 26);
          else if (g_ascii_islower (guess[i]))
            guess[i] = 'a' + g_rand_int_range (rand, 0, 26);
        }
      if (!g_str_equal (guess, value) && !observed (ctx, guess))
        return g_steal_pointer (&guess);
    }
  return NULL;
}

/* A thought composed of an opener and a statement, so no two injected thoughts need share a
 * sentence. */
static char *
thought_of (GRand      *rand,
            const char *statement)
{
  static const char * const openers[] = {
    "", "", "", "OK. ", "Good. ", "Right. ", "Alright. ", "Hm. ",
  };
  char *text = g_strconcat (PICK (rand, openers), statement, NULL);

  return text;
}

static char *
first_string_member (JsonObject *args,
                     char      **value)
{
  g_autoptr(GList) members = args != NULL ? json_object_get_members (args) : NULL;

  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (args, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          *json_node_get_string (node) != '\0')
        {
          if (value != NULL)
            *value = g_strdup (json_node_get_string (node));
          return g_strdup (l->data);
        }
    }
  return NULL;
}

/* A tool action (not `finish`) with a string argument: the intended one, else the latest. */
static ReinsAction *
base_tool_action (Context *ctx)
{
  if (ctx->intended != NULL && !is_finish (ctx->intended))
    {
      JsonObject *args = reins_action_get_arguments (ctx->intended);
      g_autofree char *member = first_string_member (args, NULL);

      if (member != NULL)
        return ctx->intended;
    }
  for (guint i = ctx->actions->len; i > 0; i--)
    {
      ReinsAction *action = g_ptr_array_index (ctx->actions, i - 1);
      g_autofree char *member = NULL;

      if (is_finish (action))
        continue;
      member = first_string_member (reins_action_get_arguments (action), NULL);
      if (member != NULL)
        return action;
    }
  return NULL;
}

/* Values of observations that a later action used as its argument: pointers, cursors and
 * "next" keys the run already moved past, the latest first. */
static GPtrArray *
passed_pointers (Context *ctx)
{
  GPtrArray *pointers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = ctx->observations->len; i > 0; i--)
    {
      Observation *obs = g_ptr_array_index (ctx->observations, i - 1);

      if (obs->error)
        continue;
      for (guint j = 0; j < obs->atoms->len; j++)
        {
          const char *atom = g_ptr_array_index (obs->atoms, j);

          if (strlen (atom) < 3)
            continue;
          /* The wrapped reply, about to follow a pointer, counts as a later action. */
          for (guint k = obs->after; k <= ctx->actions->len; k++)
            {
              ReinsAction *action = k < ctx->actions->len ? g_ptr_array_index (ctx->actions, k)
                                                          : ctx->intended;
              g_autofree char *args = NULL;

              if (action == NULL || is_finish (action))
                continue;
              args = reins_action_dup_arguments_json (action);
              if (strstr (args, atom) != NULL)
                {
                  add_unique (pointers, atom);
                  break;
                }
            }
        }
    }
  return pointers;
}

/* The mistakes ------------------------------------------------------------------------- */

typedef struct
{
  char       *thought;
  char       *name;
  JsonObject *args;
  char       *broken;   /* ReAct: the text after `Action: ` instead of the action's JSON */
} Mistake;

static void
mistake_clear (Mistake *m)
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

  return fill (frame, "", bare);
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
  return thought_of (rand, statement);
}

static gboolean
make_repeat (Context *ctx,
             GRand   *rand,
             Mistake *m)
{
  ReinsAction *prev = last_action (ctx);

  if (prev == NULL || is_finish (prev))
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
          text = capitalised (g_strdup (value));
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
  ReinsAction *prev = last_action (ctx);
  JsonObject *args;
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(GList) members = NULL;
  gboolean changed = FALSE;

  if (prev == NULL || is_finish (prev))
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
  mistake_set (m, reins_action_get_name (prev), copy, thought_of (rand, PICK (rand, frames)));
  return TRUE;
}

/* The action the mistake distorts: the intended one, else the latest, else a finish. */
static ReinsAction *
base_action (Context *ctx,
             GRand   *rand)
{
  if (ctx->intended != NULL)
    return g_object_ref (ctx->intended);
  if (last_action (ctx) != NULL)
    return g_object_ref (last_action (ctx));
  {
    g_autoptr(JsonObject) args = json_object_new ();
    g_autofree char *word = invent_word (ctx, rand);

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
        g_autofree char *word = invent_word (ctx, rand);

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
  return find_tool (ctx, name) != NULL || g_str_equal (name, "finish");
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
  if (is_finish (base))
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
  JsonObject *props = schema_properties (tool);
  JsonObject *params = tool_parameters (tool);
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
      const char *type = member_string (schema, "type") != NULL ? member_string (schema, "type")
                                                                : "string";
      gboolean needed = l == members;

      for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
        if (g_strcmp0 (string_of (json_array_get_element (required, i)), name) == 0)
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
                                  ? g_strdup (pick (rand, ctx->words)) : syllable_word (rand);
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
  ReinsAction *last = last_action (ctx);
  const char *previous = last != NULL ? reins_action_get_name (last) : NULL;
  JsonObject *tool;
  g_autoptr(JsonObject) args = NULL;

  for (guint i = 0; i < ctx->tools->len; i++)
    {
      JsonObject *t = g_ptr_array_index (ctx->tools, i);
      const char *name = member_string (t, "name");

      if (name != NULL && *name != '\0' && !g_str_equal (name, "finish") && g_strcmp0 (name, intended) != 0 &&
          g_strcmp0 (name, previous) != 0)
        g_ptr_array_add (others, t);
    }
  if (others->len == 0)
    return FALSE;

  tool = pick (rand, others);
  args = arguments_for (ctx, rand, tool);
  mistake_set (m, member_string (tool, "name"), args,
               thought_of (rand, PICK (rand, frames)));
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
  g_autofree char *member = first_string_member (reins_action_get_arguments (action), &value);
  g_autofree char *guess = NULL;
  g_autoptr(JsonObject) args = NULL;

  if (member == NULL || (guess = guess_like (ctx, rand, value)) == NULL)
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
  ReinsAction *base = base_tool_action (ctx);

  if (base == NULL)
    return FALSE;
  if (!guessed_action (ctx, rand, base, m, NULL))
    return FALSE;
  {
    g_autofree char *value = NULL;
    g_autofree char *member = first_string_member (m->args, &value);
    g_autofree char *statement = fill (PICK (rand, frames), value, "");

    g_free (m->thought);
    m->thought = thought_of (rand, statement);
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
      answer = invent_word (ctx, rand);
      break;
    case KIND_INVENTED_NUMBER:
      answer = invent_number (ctx, rand);
      break;
    case KIND_INVENTED_SENTENCE:
      answer = invent_sentence (ctx, rand);
      break;
    case KIND_INVENTED_DATE:
      answer = invent_date (ctx, rand);
      break;
    case KIND_INVENTED_LIST:
    default:
      answer = invent_list (ctx, rand);
      break;
    }
  /* A wrapped finish that already says this is no mistake. */
  if (is_finish (ctx->intended))
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
  g_autoptr(GPtrArray) pointers = passed_pointers (ctx);
  g_autofree char *answer = NULL;
  const char *pointer;

  if (pointers->len == 0)
    return FALSE;
  /* Mostly the latest pointer, sometimes an older one. */
  pointer = g_rand_double (rand) < 0.7 ? g_ptr_array_index (pointers, 0) : pick (rand, pointers);
  answer = g_rand_double (rand) < 0.7 ? g_strdup (pointer) : sentence_with (ctx, rand, pointer);
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
  Observation *obs = last_observation (ctx);
  ReinsAction *failed = last_action (ctx);

  if (obs == NULL || !obs->error)
    return FALSE;

  if (failed != NULL && !is_finish (failed) && g_rand_boolean (rand) &&
      guessed_action (ctx, rand, failed, m, NULL))
    {
      g_autofree char *value = NULL;
      g_autofree char *member = first_string_member (m->args, &value);
      g_autofree char *statement = fill (PICK (rand, proceed), value != NULL ? value : "it", "");

      g_free (m->thought);
      m->thought = thought_of (rand, statement);
      return TRUE;
    }

  {
    g_autofree char *answer = NULL;
    g_autofree char *value = NULL;
    g_autofree char *member = failed != NULL
                              ? first_string_member (reins_action_get_arguments (failed), &value)
                              : NULL;
    g_autofree char *statement = NULL;

    if (value != NULL && g_rand_boolean (rand))
      answer = guess_like (ctx, rand, value);
    if (answer == NULL)
      answer = invent_word (ctx, rand);
    statement = say (PICK (rand, claim), answer);
    mistake_finish (ctx, m, answer, thought_of (rand, statement));
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
  Observation *obs = last_observation (ctx);

  /* Only before the work is done: the wrapped reply was going on with a tool. */
  if (ctx->intended == NULL || is_finish (ctx->intended))
    return FALSE;

  /* Shaped like what the tools return, but never returned. */
  if (obs != NULL && !obs->error && obs->atoms->len > 0 && g_rand_boolean (rand))
    answer = guess_like (ctx, rand, pick (rand, obs->atoms));
  for (guint tries = 0; tries < 8 && (answer == NULL || observed (ctx, answer)); tries++)
    {
      g_clear_pointer (&answer, g_free);
      answer = g_rand_boolean (rand) ? invent_word (ctx, rand) : invent_sentence (ctx, rand);
    }
  if (observed (ctx, answer))
    return FALSE;
  statement = say (PICK (rand, frames), answer);
  mistake_finish (ctx, m, answer, thought_of (rand, statement));
  return TRUE;
}

static gboolean
make_mistake (Context *ctx,
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

/* The reply --------------------------------------------------------------------------- */

static gsize
visible_chars (ReinsChatResponse *response)
{
  gsize chars = strlen (response->text != NULL ? response->text : "");

  for (guint i = 0; response->tool_calls != NULL && i < response->tool_calls->len; i++)
    {
      g_autofree char *json = reins_action_to_string (g_ptr_array_index (response->tool_calls, i));

      chars += strlen (json);
    }
  return chars;
}

/* Real mistakes are often made with confidence: a mix of confident, as-usual and hesitant. */
static double
mistake_confidence (GRand  *rand,
                    double  usual)
{
  double x = g_rand_double (rand);

  if (x < 0.45)
    return reins_rand_normal_clamped (rand, 0.9, 0.05, 0.7, 0.995);
  if (x < 0.8)
    return reins_rand_normal_clamped (rand, usual, 0.05, 0.05, 0.995);
  return reins_rand_normal_clamped (rand, 0.55, 0.12, 0.15, 0.8);
}

static char *
raw_response_of (ReinsChatResponse *response,
                 ReinsChatResponse *wrapped,
                 const char        *kind)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, REINS_INJECT_RAW_MEMBER);
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, response->text);
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < response->tool_calls->len; i++)
    {
      ReinsAction *call = g_ptr_array_index (response->tool_calls, i);

      json_builder_add_value (builder, reins_action_to_json (call));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "wrapped_text");
  json_builder_add_string_value (builder, wrapped->text != NULL ? wrapped->text : "");
  reins_json_add_string_or_null (builder, "wrapped_raw_response", wrapped->raw_response);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static ReinsChatResponse *
build_response (ReinsChatRequest  *request,
                ReinsChatResponse *wrapped,
                Context           *ctx,
                GRand             *rand,
                Kind               kind,
                Mistake           *m)
{
  ReinsChatResponse *response = reins_chat_response_new ();
  g_autofree char *args_json = NULL;
  gboolean with_logprobs = request->want_logprobs && wrapped->logprobs != NULL &&
                           wrapped->logprobs->len > 0;
  double usual = REINS_CONFIDENCE_DEFAULT;
  double confidence;
  gsize new_chars, old_chars;
  guint64 new_tokens, old_tokens;

  if (with_logprobs)
    {
      ReinsConfidenceSource source;

      usual = reins_confidence_compute (wrapped, NULL, &source);
    }
  confidence = mistake_confidence (rand, usual);

  if (ctx->native)
    {
      g_autofree char *call_id = ctx->call_id != NULL
                                 ? g_strdup (ctx->call_id)
                                 : g_strdup_printf ("call_%08x", g_rand_int (rand));
      g_autoptr(ReinsAction) action = reins_action_new_with_id (m->name, m->args, call_id);

      args_json = reins_action_dup_arguments_json (action);
      g_free (response->text);
      /* A model that says nothing before its tool calls goes on saying nothing. */
      response->text = g_strdup (wrapped->text != NULL && *wrapped->text != '\0' &&
                                 m->thought != NULL ? m->thought : "");
      g_ptr_array_add (response->tool_calls, g_steal_pointer (&action));
      response->finish_reason = g_strdup ("tool_calls");
      if (with_logprobs)
        {
          reins_chat_response_add_spread_logprobs (response, rand, response->text, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand, args_json, 0, confidence, TRUE);
        }
    }
  else
    {
      g_autofree char *thought_line = g_strdup_printf ("Thought: %s\n",
                                                       m->thought != NULL && *m->thought != '\0'
                                                       ? m->thought : "I continue.");
      g_autofree char *action_text = NULL;

      if (m->broken != NULL)
        action_text = g_strdup (m->broken);
      else
        {
          g_autoptr(ReinsAction) action = reins_action_new (m->name, m->args);

          action_text = reins_action_to_string (action);
        }
      g_free (response->text);
      response->text = g_strconcat (thought_line, "Action: ", action_text, NULL);
      response->finish_reason = g_strdup ("stop");
      if (with_logprobs)
        {
          g_autofree char *lead = g_strconcat (thought_line, "Action:", NULL);
          gsize lead_len = strlen (lead);

          reins_chat_response_add_spread_logprobs (response, rand, lead, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand, response->text + lead_len,
                                                   lead_len, confidence, FALSE);
        }
    }

  /* The same prompt; the reply's share of the output replaced by the mistake's. */
  new_chars = visible_chars (response);
  old_chars = visible_chars (wrapped);
  response->input_tokens = wrapped->input_tokens;
  new_tokens = reins_chat_estimate_tokens (new_chars);
  old_tokens = MIN (wrapped->output_tokens, reins_chat_estimate_tokens (old_chars));
  response->output_tokens = MAX (new_tokens, wrapped->output_tokens + new_tokens - old_tokens);
  response->usage_reported = wrapped->usage_reported;
  response->latency_ms = wrapped->latency_ms;
  response->retries = wrapped->retries;
  response->raw_request = g_strdup (wrapped->raw_request);
  response->raw_response = raw_response_of (response, wrapped, kind_names[kind]);
  return response;
}

static GRand *
rand_for_request (ReinsProviderInject *self,
                  ReinsChatRequest    *request)
{
  guint32 seed_array[5];
  guint32 hash = 0;

  /* The same seed and conversation give the same draws, whatever came before. */
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      hash = hash * 31 + g_str_hash (m->content != NULL ? m->content : "");
      for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
        {
          g_autofree char *json = reins_action_to_string (g_ptr_array_index (m->tool_calls, j));

          hash = hash * 31 + g_str_hash (json);
        }
    }
  seed_array[0] = (guint32) (self->seed & 0xffffffff);
  seed_array[1] = (guint32) (self->seed >> 32);
  seed_array[2] = request->messages->len;
  seed_array[3] = hash;
  seed_array[4] = 0x1e7ec7;
  return g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
}

static ReinsChatResponse *
reins_provider_inject_chat (ReinsProvider     *provider,
                            ReinsChatRequest  *request,
                            ReinsTokenFunc     token_func,
                            gpointer           token_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  ReinsProviderInject *self = REINS_PROVIDER_INJECT (provider);
  g_autoptr(GRand) rand = NULL;
  g_autoptr(ReinsChatResponse) wrapped = NULL;
  ReinsChatResponse *response = NULL;
  gboolean inject;
  guint order[N_KINDS];
  guint n = 0;
  Context ctx;

  if (!is_agent_request (request))
    return reins_provider_chat (self->inner, request, token_func, token_data, cancellable, error);

  rand = rand_for_request (self, request);
  inject = self->kinds != 0 && g_rand_double (rand) < self->rate;
  if (!inject)
    return reins_provider_chat (self->inner, request, token_func, token_data, cancellable, error);

  /* The wrapped reply is not streamed: what is shown is what the step will hold. */
  wrapped = reins_provider_chat (self->inner, request, NULL, NULL, cancellable, error);
  if (wrapped == NULL)
    return NULL;

  read_context (request, wrapped, &ctx);

  /* The enabled kinds in a random order; the first that fits this moment is made. */
  for (guint k = 0; k < N_KINDS; k++)
    if (self->kinds & (1u << k))
      order[n++] = k;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
  /* Right after a failed call, claiming it worked is what agents most often do wrong, so
   * that kind, when enabled, comes first half of the time. */
  if ((self->kinds & (1u << KIND_FALSE_SUCCESS)) && g_rand_boolean (rand))
    for (guint i = 1; i < n; i++)
      if (order[i] == KIND_FALSE_SUCCESS)
        {
          order[i] = order[0];
          order[0] = KIND_FALSE_SUCCESS;
        }
  for (guint i = 0; i < n && response == NULL; i++)
    {
      Mistake m = { 0 };

      ctx.evaluation = kind_evaluation[order[i]];
      if (make_mistake (&ctx, rand, order[i], &m))
        response = build_response (request, wrapped, &ctx, rand, order[i], &m);
      mistake_clear (&m);
    }
  context_clear (&ctx);

  if (response == NULL)
    response = g_steal_pointer (&wrapped);

  if (token_func != NULL && request->stream &&
      !reins_chat_stream_text (response->text, 0, token_func, token_data, cancellable, error))
    {
      reins_chat_response_free (response);
      return NULL;
    }
  return response;
}

static const char *
reins_provider_inject_get_name (ReinsProvider *provider)
{
  /* The wrapped provider's name: the loop treats the wrapper like what it wraps. */
  return reins_provider_get_name (REINS_PROVIDER_INJECT (provider)->inner);
}

static gboolean
reins_provider_inject_supports_embeddings (ReinsProvider *provider)
{
  return reins_provider_supports_embeddings (REINS_PROVIDER_INJECT (provider)->inner);
}

static GPtrArray *
reins_provider_inject_embed (ReinsProvider      *provider,
                             const char * const *texts,
                             GCancellable       *cancellable,
                             GError            **error)
{
  return reins_provider_embed (REINS_PROVIDER_INJECT (provider)->inner, texts, cancellable, error);
}

static void
reins_provider_inject_dispose (GObject *object)
{
  ReinsProviderInject *self = (ReinsProviderInject *) object;

  g_clear_object (&self->inner);

  G_OBJECT_CLASS (reins_provider_inject_parent_class)->dispose (object);
}

static void
reins_provider_inject_class_init (ReinsProviderInjectClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = reins_provider_inject_dispose;
}

static void
reins_provider_inject_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_inject_get_name;
  iface->chat = reins_provider_inject_chat;
  iface->supports_embeddings = reins_provider_inject_supports_embeddings;
  iface->embed = reins_provider_inject_embed;
}

static void
reins_provider_inject_init (ReinsProviderInject *self)
{
}

/**
 * reins_provider_inject_new:
 * @inner: (transfer none): the provider to wrap
 * @spec: `RATE[:KIND,…]` (see reins_inject_parse_spec())
 * @seed: the seed of the draws
 *
 * Returns: (transfer full): the wrapper, or %NULL with a usage error for a malformed @spec
 */
ReinsProvider *
reins_provider_inject_new (ReinsProvider  *inner,
                           const char     *spec,
                           guint64         seed,
                           GError        **error)
{
  ReinsProviderInject *self;
  double rate;
  guint kinds;

  g_return_val_if_fail (REINS_IS_PROVIDER (inner), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reins_inject_parse_spec (spec, &rate, &kinds, error))
    return NULL;

  self = g_object_new (REINS_TYPE_PROVIDER_INJECT, NULL);
  self->inner = g_object_ref (inner);
  self->rate = rate;
  self->kinds = kinds;
  self->seed = seed;
  return REINS_PROVIDER (self);
}

/**
 * reins_provider_inject_wrap_for_settings:
 * @inner: (transfer full): the run's provider
 * @settings: the run's settings: "inject_mistakes" (the spec; none: no injection) and
 *   "inject_seed" (else "seed", else 0)
 *
 * Returns: (transfer full): @inner itself, or a wrapper around it; %NULL with @error set
 *   (and @inner released) when the spec is malformed
 */
ReinsProvider *
reins_provider_inject_wrap_for_settings (ReinsProvider  *inner,
                                         JsonObject     *settings,
                                         GError        **error)
{
  g_autoptr(ReinsProvider) owned = inner;
  JsonNode *spec;
  JsonNode *seed;

  g_return_val_if_fail (REINS_IS_PROVIDER (inner), NULL);

  spec = settings != NULL ? json_object_get_member (settings, "inject_mistakes") : NULL;
  if (spec == NULL || JSON_NODE_HOLDS_NULL (spec))
    return g_steal_pointer (&owned);
  if (json_node_get_value_type (spec) != G_TYPE_STRING)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The setting “inject_mistakes” must be a string such as “0.1:tuning”"));
      return NULL;
    }

  seed = json_object_get_member (settings, "inject_seed");
  if (seed == NULL || !JSON_NODE_HOLDS_VALUE (seed))
    seed = json_object_get_member (settings, "seed");

  return reins_provider_inject_new (inner, json_node_get_string (spec),
                                    seed != NULL && JSON_NODE_HOLDS_VALUE (seed) &&
                                    json_node_get_value_type (seed) == G_TYPE_INT64
                                    ? (guint64) json_node_get_int (seed) : 0,
                                    error);
}

ReinsProvider *
reins_provider_inject_get_inner (ReinsProviderInject *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER_INJECT (self), NULL);

  return self->inner;
}

/**
 * reins_inject_dup_kind_of_raw:
 * @raw_response: (nullable): a stored raw response
 *
 * Returns: (transfer full) (nullable): the kind injected into that exchange, or %NULL
 */
char *
reins_inject_dup_kind_of_raw (const char *raw_response)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (raw_response == NULL || strstr (raw_response, REINS_INJECT_RAW_MEMBER) == NULL)
    return NULL;
  node = reins_json_from_string (raw_response, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  return g_strdup (member_string (object, REINS_INJECT_RAW_MEMBER));
}
