/* reins-provider-sim.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline simulated agent model: it reads the conversation like a model would, solves
 * the knowledge-base chain tasks (reins-kb.h) and makes the mistakes real agents make, at a
 * configurable rate, so the harness has something to catch (docs/providers.md).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-provider-sim-private.h"
#include "reins-run-settings.h"

#define DEFAULT_ACCURACY REINS_RUN_SETTINGS_DEFAULT_SIM_ACCURACY
/* A correction or human feedback gets the simulator back on track this often at least. */
#define CORRECTED_ACCURACY 0.92
/* Once it has repeated itself, it stays stuck this often until corrected. */
#define STUCK_PROBABILITY 0.6
/* After this many steps without the goal restated, drifting off task dominates mistakes. */
#define DRIFT_AFTER_STEPS 5
/* Once off task, it keeps following the other chain this often until the goal is restated. */
#define DRIFT_STAY_PROBABILITY 0.7

typedef enum
{
  MISTAKE_NONE,
  MISTAKE_MALFORMED,
  MISTAKE_UNKNOWN_TOOL,
  MISTAKE_STALE_KEY,
  MISTAKE_PREMATURE_FINISH,
  MISTAKE_PHANTOM_SUCCESS,
  MISTAKE_DRIFT,
  N_MISTAKES
} Mistake;

static const char * const mistake_names[N_MISTAKES] = {
  "none", "malformed_action", "unknown_tool", "stale_key", "premature_finish",
  "phantom_success", "drift",
};

/* The mix of mistakes on a step that goes wrong, in percent (docs/providers.md). */
static const double base_mix[N_MISTAKES] = {
  0, 20, 15, 25, 15, 15, 10,
};

static void reins_provider_sim_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderSim, reins_provider_sim, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_sim_iface_init))

/* What the simulator understands of the conversation so far. */
typedef struct
{
  gboolean     has_task;
  const char  *task;
  guint        seed;
  guint        length;
  guint        known_index;      /* the furthest chain key an observation has shown */
  gboolean     value_known;
  guint        step;             /* 1 + assistant turns so far */
  gboolean     last_was_error;   /* the latest observation is a tool error */
  gboolean     corrected;        /* a correction or feedback came after the last reply */
  guint        steps_since_goal; /* assistant turns since the goal was last stated */
  ReinsAction *prev_action;      /* (nullable) */
  ReinsAction *prev_prev_action; /* (nullable) */
  gboolean     drifting;         /* the last action followed another chain */
  char        *other_key;        /* (nullable) the next key of that chain */
  char        *other_value;      /* (nullable) its value, if the last lookup reached it */
} SimState;

static void
sim_state_clear (SimState *state)
{
  g_clear_object (&state->prev_action);
  g_clear_object (&state->prev_prev_action);
  g_clear_pointer (&state->other_key, g_free);
  g_clear_pointer (&state->other_value, g_free);
}

static const char * const correction_words[] = {
  "repeating", "repeated", "loop", "failed", "not supported", "evidence", "feedback",
  "goal", "task is", "rejected", "instead", "reminder", "stuck",
};

static gboolean
is_correction (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS (correction_words); i++)
    if (strstr (lower, correction_words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Raises @max_index to the furthest key of the chain (@seed, @length) named in @text. */
static gboolean
scan_chain_keys (const char *text,
                 guint       seed,
                 guint       length,
                 guint      *max_index)
{
  gboolean found = FALSE;

  for (const char *p = strstr (text, "chain-"); p != NULL; p = strstr (p + 1, "chain-"))
    {
      const char *end = p;
      g_autofree char *key = NULL;
      guint s, l, i;

      while (g_ascii_isalnum (*end) || *end == '-' || *end == '/')
        end++;
      key = g_strndup (p, end - p);
      if (reins_kb_parse_key (key, &s, &l, &i) && s == seed && l == length)
        {
          *max_index = MAX (*max_index, i);
          found = TRUE;
        }
    }
  return found;
}

/* The action of an earlier reply: its tool call, or the JSON after `Action:`. */
static ReinsAction *
parse_previous_action (const ReinsChatMessage *message)
{
  const char *p;

  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    return g_object_ref (g_ptr_array_index (message->tool_calls, 0));

  p = message->content != NULL ? g_strrstr (message->content, "Action:") : NULL;
  if (p == NULL)
    return NULL;
  return reins_action_new_from_string (p + strlen ("Action:"), NULL);
}

static gboolean
observation_is_error (const ReinsChatMessage *message)
{
  const char *text = message->content != NULL ? message->content : "";

  if (message->role == REINS_CHAT_ROLE_TOOL && message->is_error)
    return TRUE;
  return strstr (text, "\"error\"") != NULL || g_str_has_prefix (text, "Error") ||
         g_str_has_prefix (text, "Observation: Error");
}

/* Whether the last action followed another chain than the task's, and where that chain
 * leads: an agent that wandered off tends to keep going until reminded of its goal. */
static void
read_drift (const ReinsChatRequest *request,
            SimState               *state,
            int                     last_assistant,
            int                     goal_at)
{
  const char *key;
  guint s, l, i;

  if (!state->has_task || state->prev_action == NULL || goal_at > last_assistant ||
      state->corrected ||
      g_strcmp0 (reins_action_get_name (state->prev_action), "kb_lookup") != 0)
    return;
  key = reins_action_get_string_argument (state->prev_action, "key");
  if (!reins_kb_parse_key (key, &s, &l, &i) || (s == state->seed && l == state->length))
    return;

  state->drifting = TRUE;
  if (i + 1 == l)
    state->other_value = reins_kb_value (s, l);
  else
    state->other_key = reins_kb_key (s, l, i + 1);
}

static void
read_conversation (const ReinsChatRequest *request,
                   SimState               *state)
{
  int task_at = -1;
  int last_assistant = -1;
  int goal_at = -1;
  g_autofree char *start_key = NULL;
  g_autofree char *value = NULL;

  memset (state, 0, sizeof *state);
  state->step = 1;

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      if (m->role == REINS_CHAT_ROLE_USER && task_at < 0)
        task_at = i;
      if (m->role == REINS_CHAT_ROLE_ASSISTANT)
        last_assistant = i;
    }

  if (task_at >= 0)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, task_at);

      state->task = m->content;
      state->has_task = reins_kb_parse_task (m->content, &state->seed, &state->length);
    }
  /* Some prompts put the task in the system message. */
  for (guint i = 0; !state->has_task && i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      if (m->role == REINS_CHAT_ROLE_SYSTEM &&
          reins_kb_parse_task (m->content, &state->seed, &state->length))
        {
          state->has_task = TRUE;
          state->task = m->content;
        }
    }

  if (state->has_task)
    {
      start_key = reins_kb_key (state->seed, state->length, 0);
      value = reins_kb_value (state->seed, state->length);
    }

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);
      const char *content = m->content != NULL ? m->content : "";

      if (m->role == REINS_CHAT_ROLE_ASSISTANT)
        {
          g_clear_object (&state->prev_prev_action);
          state->prev_prev_action = g_steal_pointer (&state->prev_action);
          state->prev_action = parse_previous_action (m);
          state->step++;
          continue;
        }

      if (start_key != NULL && (int) i >= task_at && strstr (content, start_key) != NULL)
        goal_at = i;

      /* Every message but the model's own counts as evidence, the task included: a loop
       * may keep its whole scratchpad in one user message. */
      if (state->has_task)
        {
          scan_chain_keys (content, state->seed, state->length, &state->known_index);
          if (strstr (content, value) != NULL)
            state->value_known = TRUE;
        }

      if ((int) i <= task_at)
        continue;

      if ((int) i > last_assistant)
        {
          if (m->role != REINS_CHAT_ROLE_TOOL && is_correction (content))
            state->corrected = TRUE;
          if (m->role == REINS_CHAT_ROLE_TOOL || g_str_has_prefix (content, "Observation"))
            state->last_was_error = observation_is_error (m);
        }
    }

  for (guint i = MAX (goal_at + 1, 0); i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      if (m->role == REINS_CHAT_ROLE_ASSISTANT)
        state->steps_since_goal++;
    }

  read_drift (request, state, last_assistant, goal_at);
}

static Mistake
pick_mistake (GRand          *rand,
              const SimState *state)
{
  double mix[N_MISTAKES];
  double total = 0, x;

  memcpy (mix, base_mix, sizeof mix);
  if (state->prev_action == NULL)
    mix[MISTAKE_STALE_KEY] = 0;
  if (state->steps_since_goal >= DRIFT_AFTER_STEPS)
    mix[MISTAKE_DRIFT] = 80;
  if (state->last_was_error)
    mix[MISTAKE_PHANTOM_SUCCESS] = 40;

  for (guint i = 0; i < N_MISTAKES; i++)
    total += mix[i];
  x = g_rand_double (rand) * total;
  for (guint i = 1; i < N_MISTAKES; i++)
    {
      if (x < mix[i])
        return i;
      x -= mix[i];
    }
  return MISTAKE_DRIFT;
}

static JsonObject *
args_new (const char *member,
          const char *value)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, member, value);
  return args;
}

/* What the simulator decided to say: a thought and an action, or text that is no action. */
typedef struct
{
  char        *thought;
  char        *action_name;
  JsonObject  *arguments;
  char        *broken_action; /* malformed ReAct: the text after `Action: ` */
  gboolean     correct;
  Mistake      mistake;
} SimReply;

static void
sim_reply_clear (SimReply *reply)
{
  g_clear_pointer (&reply->thought, g_free);
  g_clear_pointer (&reply->action_name, g_free);
  g_clear_pointer (&reply->arguments, json_object_unref);
  g_clear_pointer (&reply->broken_action, g_free);
}

static void
reply_set (SimReply   *reply,
           const char *name,
           JsonObject *arguments,
           char       *thought)
{
  reply->action_name = g_strdup (name);
  reply->arguments = arguments;
  reply->thought = thought;
}

static char *
invented_value (GRand      *rand,
                const char *real)
{
  static const char * const guesses[] = {
    "azure", "bronze", "cedar", "dune", "falcon", "granite", "horizon", "iris",
  };

  for (;;)
    {
      char *v = g_strdup_printf ("%s-%u", guesses[g_rand_int_range (rand, 0, G_N_ELEMENTS (guesses))],
                                 (guint) g_rand_int_range (rand, 1000, 10000));
      if (g_strcmp0 (v, real) != 0)
        return v;
      g_free (v);
    }
}

static void
decide (ReinsProviderSim *self,
        const SimState   *state,
        GRand            *rand,
        SimReply         *reply)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  gboolean stuck;
  double p_right;

  if (!state->has_task)
    {
      g_autofree char *answer =
        g_strdup_printf (_("I am the Reins offline simulator (the “sim” provider), not a real "
                           "language model. I can only follow knowledge-base chain tasks "
                           "(“Follow the knowledge-base chain that starts at chain-1-5/0 with "
                           "kb_lookup and report the value at its end.”), so I cannot do "
                           "this task. Choose a real provider (openai, anthropic or ollama) "
                           "for it."));
      reply_set (reply, "finish", args_new ("answer", answer),
                 g_strdup (_("This is not a knowledge-base chain task, and the offline "
                             "simulator can do nothing else; I say so honestly.")));
      reply->correct = TRUE;
      return;
    }

  key = reins_kb_key (state->seed, state->length, MIN (state->known_index, state->length - 1));
  value = reins_kb_value (state->seed, state->length);

  stuck = state->prev_action != NULL && state->prev_prev_action != NULL &&
          reins_action_equal (state->prev_action, state->prev_prev_action) &&
          !state->corrected && self->accuracy < 1.0;
  p_right = state->corrected ? MAX (self->accuracy, CORRECTED_ACCURACY) : self->accuracy;

  if (stuck && g_rand_double (rand) < STUCK_PROBABILITY)
    reply->mistake = MISTAKE_STALE_KEY;
  else if (state->drifting && self->accuracy < 1.0 &&
           g_rand_double (rand) < DRIFT_STAY_PROBABILITY)
    {
      /* Still off task: follow the other chain, to its end if nobody says otherwise. */
      reply->mistake = MISTAKE_DRIFT;
      if (state->other_value != NULL)
        reply_set (reply, "finish", args_new ("answer", state->other_value),
                   g_strdup_printf (_("The chain ends with %s."), state->other_value));
      else
        reply_set (reply, "kb_lookup", args_new ("key", state->other_key),
                   g_strdup_printf (_("The lookup pointed to %s; I follow it."),
                                    state->other_key));
      return;
    }
  else if (g_rand_double (rand) >= p_right)
    reply->mistake = pick_mistake (rand, state);
  else
    reply->mistake = MISTAKE_NONE;

  switch (reply->mistake)
    {
    case MISTAKE_NONE:
      if (state->value_known)
        reply_set (reply, "finish", args_new ("answer", value),
                   g_strdup_printf (_("The last lookup returned the value at the end of the "
                                      "chain, %s, so I can answer."), value));
      else if (state->known_index == 0)
        reply_set (reply, "kb_lookup", args_new ("key", key),
                   g_strdup_printf (_("The chain starts at %s; I look that key up first."), key));
      else
        reply_set (reply, "kb_lookup", args_new ("key", key),
                   g_strdup_printf (_("The lookup pointed to the next key, %s; I follow it."),
                                    key));
      reply->correct = TRUE;
      break;

    case MISTAKE_MALFORMED:
      reply->thought = g_strdup_printf (_("I need to look up %s next."), key);
      reply->action_name = g_strdup ("kb_lookup");
      reply->arguments = args_new ("query", key);
      reply->broken_action = g_strdup_printf ("{\"name\": \"kb_lookup\", \"arguments\": "
                                              "{\"key\": \"%s\"", key);
      break;

    case MISTAKE_UNKNOWN_TOOL:
      {
        static const char * const names[] = { "kb_search", "lookup", "knowledge_base" };

        reply_set (reply, names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                   args_new ("key", key),
                   g_strdup_printf (_("I search the knowledge base for %s."), key));
      }
      break;

    case MISTAKE_STALE_KEY:
      if (state->prev_action != NULL)
        {
          reply->action_name = g_strdup (reins_action_get_name (state->prev_action));
          reply->arguments = json_object_ref (reins_action_get_arguments (state->prev_action));
          reply->thought = g_strdup (_("I look that key up again to be sure of where the "
                                       "chain goes."));
          break;
        }
      G_GNUC_FALLTHROUGH;

    case MISTAKE_PREMATURE_FINISH:
      {
        g_autofree char *guess = invented_value (rand, value);

        reply->mistake = MISTAKE_PREMATURE_FINISH;
        reply_set (reply, "finish", args_new ("answer", guess),
                   g_strdup_printf (_("I am fairly sure the chain ends with %s."), guess));
      }
      break;

    case MISTAKE_PHANTOM_SUCCESS:
      {
        g_autofree char *guess = NULL;

        do
          {
            g_clear_pointer (&guess, g_free);
            guess = g_strdup_printf ("chain-%u-%u/%u-%04x", state->seed, state->length,
                                     state->known_index + 1,
                                     (guint) g_rand_int_range (rand, 0, 0x10000));
          }
        while (reins_kb_parse_key (guess, NULL, NULL, NULL));

        reply_set (reply, "kb_lookup", args_new ("key", guess),
                   state->last_was_error
                     ? g_strdup_printf (_("That worked; the next key is %s."), guess)
                     : g_strdup_printf (_("The next key must be %s."), guess));
      }
      break;

    case MISTAKE_DRIFT:
    default:
      {
        g_autofree char *other = reins_kb_key (state->seed + 1 + g_rand_int_range (rand, 0, 5),
                                               state->length, 0);

        reply->mistake = MISTAKE_DRIFT;
        reply_set (reply, "kb_lookup", args_new ("key", other),
                   g_strdup_printf (_("There may be related information in another chain; "
                                      "let me explore %s."), other));
      }
      break;
    }
}

static double
draw_confidence (GRand   *rand,
                 gboolean correct)
{
  if (correct)
    return reins_rand_normal_clamped (rand, 0.85, 0.07, 0.45, 0.99);
  return reins_rand_normal_clamped (rand, 0.58, 0.12, 0.15, 0.95);
}

static ReinsChatResponse *
reins_provider_sim_chat (ReinsProvider     *provider,
                         ReinsChatRequest  *request,
                         ReinsTokenFunc     token_func,
                         gpointer           token_data,
                         GCancellable      *cancellable,
                         GError           **error)
{
  ReinsProviderSim *self = REINS_PROVIDER_SIM (provider);
  g_autoptr(ReinsChatResponse) response = reins_chat_response_new ();
  g_autoptr(GRand) rand = NULL;
  g_autoptr(JsonBuilder) raw = json_builder_new ();
  g_autoptr(JsonNode) raw_request = NULL;
  g_autofree char *args_json = NULL;
  g_autofree char *call_id = NULL;
  SimState state;
  SimReply reply = { 0 };
  gsize prompt_chars = 0;
  double confidence;
  guint32 seed_array[6];
  guint32 conversation_hash = 0;

  if (request->purpose == REINS_CHAT_PURPOSE_CRITIC)
    return reins_sim_critic (self, request, cancellable, error);

  read_conversation (request, &state);

  /* The random stream of a step depends on the seed, the step and the conversation only
   * (never on global state), so the same seed gives the same run and a resumed run goes
   * on the same way. */
  seed_array[0] = (guint32) (self->seed & 0xffffffff);
  seed_array[1] = (guint32) (self->seed >> 32);
  seed_array[2] = state.step;
  seed_array[3] = request->messages->len;
  /* The conversation's text too, so that a loop that rebuilds one growing message still
   * gets fresh draws at each step. */
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      conversation_hash = conversation_hash * 31 + g_str_hash (m->content != NULL ? m->content : "");
    }
  seed_array[4] = conversation_hash;
  seed_array[5] = 0x7e1a5;
  rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));

  decide (self, &state, rand, &reply);
  confidence = draw_confidence (rand, reply.correct);

  if (request->native_tools)
    {
      g_autoptr(ReinsAction) action = NULL;

      call_id = g_strdup_printf ("call_sim_%u_%08x", state.step, g_rand_int (rand));
      action = reins_action_new_with_id (reply.action_name, reply.arguments, call_id);
      args_json = reins_action_dup_arguments_json (action);
      g_free (response->text);
      response->text = g_strdup (reply.thought);
      g_ptr_array_add (response->tool_calls, g_steal_pointer (&action));
      response->finish_reason = g_strdup ("tool_calls");
      if (request->want_logprobs)
        {
          reins_chat_response_add_spread_logprobs (response, rand, response->text, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand, args_json, 0, confidence,
                                                   TRUE);
        }
    }
  else
    {
      g_autofree char *thought_line = g_strdup_printf ("Thought: %s\n", reply.thought);
      g_autofree char *action_line = NULL;

      if (reply.mistake == MISTAKE_MALFORMED)
        action_line = g_strdup_printf ("Action: %s", reply.broken_action);
      else
        {
          g_autoptr(ReinsAction) action = reins_action_new (reply.action_name, reply.arguments);
          g_autofree char *json = reins_action_to_string (action);

          action_line = g_strdup_printf ("Action: %s", json);
        }
      g_free (response->text);
      response->text = g_strconcat (thought_line, action_line, NULL);
      response->finish_reason = g_strdup ("stop");
      if (request->want_logprobs)
        {
          g_autofree char *lead = g_strconcat (thought_line, "Action:", NULL);

          /* The action's confidence covers what follows `Action:`, the span
           * reins_confidence_compute() looks at. */
          reins_chat_response_add_spread_logprobs (response, rand, lead, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand,
                                                   action_line + strlen ("Action:"),
                                                   strlen (lead), confidence, FALSE);
        }
    }

  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      prompt_chars += m->content != NULL ? strlen (m->content) : 0;
      for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
        {
          g_autofree char *a = reins_action_to_string (g_ptr_array_index (m->tool_calls, j));
          prompt_chars += strlen (a);
        }
    }
  if (request->tools != NULL)
    {
      g_autoptr(JsonNode) tools = json_node_init_array (json_node_alloc (), request->tools);
      g_autofree char *text = json_to_string (tools, FALSE);

      prompt_chars += strlen (text);
    }
  response->input_tokens = reins_chat_estimate_tokens (prompt_chars);
  response->output_tokens = reins_chat_estimate_tokens (strlen (response->text) +
                                             (args_json != NULL ? strlen (args_json) + 16 : 0));
  response->usage_reported = TRUE;

  raw_request = reins_chat_request_to_json (request);
  response->raw_request = json_to_string (raw_request, FALSE);

  json_builder_begin_object (raw);
  json_builder_set_member_name (raw, "text");
  json_builder_add_string_value (raw, response->text);
  if (response->tool_calls->len > 0)
    {
      json_builder_set_member_name (raw, "tool_calls");
      json_builder_begin_array (raw);
      json_builder_add_value (raw, reins_action_to_json (g_ptr_array_index (response->tool_calls, 0)));
      json_builder_end_array (raw);
    }
  json_builder_set_member_name (raw, "sim");
  json_builder_begin_object (raw);
  json_builder_set_member_name (raw, "step");
  json_builder_add_int_value (raw, state.step);
  json_builder_set_member_name (raw, "correct");
  json_builder_add_boolean_value (raw, reply.correct);
  json_builder_set_member_name (raw, "mistake");
  json_builder_add_string_value (raw, mistake_names[reply.mistake]);
  json_builder_set_member_name (raw, "confidence");
  json_builder_add_double_value (raw, confidence);
  json_builder_end_object (raw);
  json_builder_end_object (raw);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (raw);
    response->raw_response = json_to_string (root, FALSE);
  }

  sim_reply_clear (&reply);
  sim_state_clear (&state);

  if (token_func != NULL && request->stream &&
      !reins_chat_stream_text (response->text, self->stream_delay_ms, token_func, token_data,
                               cancellable, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&response);
}

static const char *
reins_provider_sim_get_name (ReinsProvider *provider)
{
  return "sim";
}

static void
reins_provider_sim_finalize (GObject *object)
{
  ReinsProviderSim *self = (ReinsProviderSim *)object;

  g_clear_pointer (&self->model, g_free);

  G_OBJECT_CLASS (reins_provider_sim_parent_class)->finalize (object);
}

static void
reins_provider_sim_class_init (ReinsProviderSimClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = reins_provider_sim_finalize;
}

static void
reins_provider_sim_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_sim_get_name;
  iface->chat = reins_provider_sim_chat;
}

static void
reins_provider_sim_init (ReinsProviderSim *self)
{
}

ReinsProvider *
reins_provider_sim_new (const ReinsProviderConfig  *config,
                        GError                    **error)
{
  ReinsProviderSim *self;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->sim_accuracy > 1.0 || isnan (config->sim_accuracy))
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The simulator’s accuracy must be between 0 and 1, not %g"),
                   config->sim_accuracy);
      return NULL;
    }

  self = g_object_new (REINS_TYPE_PROVIDER_SIM, NULL);
  self->model = g_strdup (config->model != NULL ? config->model : "sim");
  self->seed = config->seed;
  self->accuracy = config->sim_accuracy > 0 ? config->sim_accuracy : DEFAULT_ACCURACY;
  self->critic_accuracy = config->sim_critic_accuracy > 0 ? MIN (config->sim_critic_accuracy, 1.0)
                                                          : DEFAULT_ACCURACY;
  self->stream_delay_ms = config->stream_delay_ms;
  return REINS_PROVIDER (self);
}
