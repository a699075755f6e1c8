/* bench-sim.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures for the `sim` provider: whole runs on knowledge-base chains, with no guard at
 * all and with a crude stand-in for the harness (a nudge on repeats, the goal restated
 * every 3 steps, a refusal of a finish no observation supports), and how well confidence
 * separates right steps from wrong ones. Built, not run as a test.
 *
 *   bench-sim [RUNS] [ACCURACY] [LENGTH]
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reins-confidence.h"
#include "reins-provider.h"

typedef struct
{
  guint    runs;
  guint    solved;
  guint    wrong_answer;
  guint    gave_up;        /* max steps */
  guint    steps;
  guint64  input_tokens;
  guint64  output_tokens;
  double   conf_right;
  double   conf_wrong;
  guint    n_right;
  guint    n_wrong;
  guint    right_low;      /* right steps under 0.7: needless questions */
  guint    wrong_high;     /* wrong steps at or over 0.7: missed */
} Figures;

static ReinsAction *
reply_action (ReinsChatResponse *response)
{
  const char *p;

  if (response->tool_calls->len > 0)
    return g_object_ref (g_ptr_array_index (response->tool_calls, 0));
  p = strstr (response->text, "Action:");
  return p != NULL ? reins_action_new_from_string (p + strlen ("Action:"), NULL) : NULL;
}

static void
run_one (guint64   seed,
         double    accuracy,
         guint     length,
         gboolean  guarded,
         gboolean  native,
         Figures  *f)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(ReinsChatRequest) request = reins_chat_request_new ();
  g_autofree char *task = reins_kb_task ((guint) seed, length);
  g_autofree char *value = reins_kb_value ((guint) seed, length);
  g_autoptr(ReinsAction) previous = NULL;
  g_autoptr(GString) evidence = g_string_new (NULL);

  config->seed = seed;
  config->sim_accuracy = accuracy;
  provider = reins_provider_new_for_config (config, NULL);
  request->native_tools = native;
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM, "Use kb_lookup."));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, task));
  f->runs++;

  for (guint step = 1; step <= 20; step++)
    {
      g_autoptr(ReinsChatResponse) r = reins_provider_chat (provider, request, NULL, NULL, NULL, NULL);
      g_autoptr(ReinsAction) action = reply_action (r);
      g_autoptr(JsonNode) raw = reins_json_from_string (r->raw_response, NULL);
      JsonObject *sim = json_object_get_object_member (json_node_get_object (raw), "sim");
      gboolean right = json_object_get_boolean_member (sim, "correct");
      double confidence = reins_confidence_compute (r, NULL, NULL);
      ReinsChatMessage *assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT, r->text);
      g_autofree char *observation = NULL;
      gboolean is_error = FALSE;
      const char *name = action != NULL ? reins_action_get_name (action) : NULL;

      f->steps++;
      f->input_tokens += r->input_tokens;
      f->output_tokens += r->output_tokens;
      if (right)
        {
          f->conf_right += confidence;
          f->n_right++;
          f->right_low += confidence < 0.7;
        }
      else
        {
          f->conf_wrong += confidence;
          f->n_wrong++;
          f->wrong_high += confidence >= 0.7;
        }

      if (g_strcmp0 (name, "finish") == 0)
        {
          const char *answer = reins_action_get_string_argument (action, "answer");

          /* The grounding stand-in: an answer no observation shows is refused. */
          if (guarded && (answer == NULL || strstr (evidence->str, answer) == NULL))
            observation = g_strdup ("The answer is not supported by any observation: "
                                    "look for evidence first.");
          else
            {
              if (g_strcmp0 (answer, value) == 0)
                f->solved++;
              else
                f->wrong_answer++;
              return;
            }
          is_error = TRUE;
        }
      else if (g_strcmp0 (name, "kb_lookup") == 0 &&
               reins_action_get_string_argument (action, "key") != NULL)
        {
          observation = reins_kb_lookup (reins_action_get_string_argument (action, "key"));
          is_error = strstr (observation, "\"error\"") != NULL;
        }
      else
        {
          observation = g_strdup ("Error: unknown tool or malformed action.");
          is_error = TRUE;
        }
      g_string_append (evidence, observation);

      if (native && r->tool_calls->len > 0)
        {
          ReinsAction *call = g_ptr_array_index (r->tool_calls, 0);

          reins_chat_message_add_tool_call (assistant, call);
          reins_chat_request_add (request, assistant);
          reins_chat_request_add (request,
                                  reins_chat_message_new_tool (reins_action_get_call_id (call),
                                                               reins_action_get_name (call),
                                                               observation, is_error));
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("Observation: %s", observation);

          reins_chat_request_add (request, assistant);
          reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, text));
        }

      if (guarded && previous != NULL && action != NULL && reins_action_equal (previous, action))
        reins_chat_request_add (request,
                                reins_chat_message_new (REINS_CHAT_ROLE_USER,
                                                        "You are repeating the same action; "
                                                        "try something else."));
      if (guarded && step % 3 == 0)
        {
          g_autofree char *reminder = g_strdup_printf ("Reminder of the goal: %s", task);

          reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, reminder));
        }
      g_clear_object (&previous);
      previous = g_steal_pointer (&action);
    }
  f->gave_up++;
}

static void
print_figures (const char    *label,
               const Figures *f)
{
  g_print ("%-22s solved %5.1f %%  wrong answer %5.1f %%  max steps %5.1f %%  "
           "steps/run %4.1f  tokens/run %6.0f in %4.0f out\n",
           label, 100.0 * f->solved / f->runs, 100.0 * f->wrong_answer / f->runs,
           100.0 * f->gave_up / f->runs, (double) f->steps / f->runs,
           (double) f->input_tokens / f->runs, (double) f->output_tokens / f->runs);
  g_print ("%-22s confidence right %.3f wrong %.3f; right < 0.7: %4.1f %%, "
           "wrong >= 0.7: %4.1f %%\n",
           "", f->conf_right / MAX (f->n_right, 1), f->conf_wrong / MAX (f->n_wrong, 1),
           100.0 * f->right_low / MAX (f->n_right, 1), 100.0 * f->wrong_high / MAX (f->n_wrong, 1));
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 500;
  double accuracy = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 0.88;
  guint length = argc > 3 ? (guint) atoi (argv[3]) : 6;
  gint64 start = g_get_monotonic_time ();
  Figures figures[4] = { { 0 } };
  const char *labels[4] = { "tools, no guard", "tools, crude guard", "react, no guard",
                            "react, crude guard" };

  g_print ("sim: %u runs per line, accuracy %.2f, chains of %u keys\n", runs, accuracy, length);
  for (guint k = 0; k < 4; k++)
    {
      for (guint i = 0; i < runs; i++)
        run_one (i + 1, accuracy, length, k % 2 == 1, k < 2, &figures[k]);
      print_figures (labels[k], &figures[k]);
    }
  g_print ("%.2f s\n", (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
