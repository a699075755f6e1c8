/* test-sim.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline `sim` provider: it follows knowledge-base chains, errs at the configured rate,
 * is deterministic for a seed and honest about tasks it cannot do.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-confidence.h"
#include "reins-provider.h"

/* Under AddressSanitizer the statistical tests check memory more than numbers: fewer
 * samples keep the run short. */
#ifdef __SANITIZE_ADDRESS__
#define SAMPLES(n) ((n) / 2)
#else
#define SAMPLES(n) (n)
#endif

static ReinsProvider *
sim_new (guint64 seed,
         double  accuracy)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(GError) error = NULL;
  ReinsProvider *provider;

  config->seed = seed;
  config->sim_accuracy = accuracy;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_no_error (error);
  g_assert_true (REINS_IS_PROVIDER (provider));
  g_assert_cmpstr (reins_provider_get_name (provider), ==, "sim");
  return provider;
}

static ReinsChatRequest *
request_new (const char *task,
             gboolean    native)
{
  ReinsChatRequest *request = reins_chat_request_new ();

  request->native_tools = native;
  request->model = g_strdup ("sim");
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_SYSTEM,
                                                           "You are an agent. Use the tools."));
  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, task));
  return request;
}

/* The action of a reply, native or ReAct; NULL when it cannot be parsed. */
static ReinsAction *
reply_action (ReinsChatResponse *response)
{
  const char *p;

  if (response->tool_calls->len > 0)
    return g_object_ref (g_ptr_array_index (response->tool_calls, 0));
  p = strstr (response->text, "Action:");
  if (p == NULL)
    return NULL;
  return reins_action_new_from_string (p + strlen ("Action:"), NULL);
}

/* Appends the reply and what the tool said, as the loop would. */
static void
append_turn (ReinsChatRequest  *request,
             ReinsChatResponse *response,
             ReinsAction       *action)
{
  ReinsChatMessage *assistant = reins_chat_message_new (REINS_CHAT_ROLE_ASSISTANT,
                                                        response->text);
  g_autofree char *observation = NULL;
  gboolean is_error = FALSE;

  if (action == NULL)
    {
      observation = g_strdup ("Error: the reply had no valid Action; answer in the format.");
      is_error = TRUE;
    }
  else if (g_strcmp0 (reins_action_get_name (action), "kb_lookup") == 0 &&
           reins_action_get_string_argument (action, "key") != NULL)
    {
      observation = reins_kb_lookup (reins_action_get_string_argument (action, "key"));
      is_error = strstr (observation, "\"error\"") != NULL;
    }
  else
    {
      observation = g_strdup_printf ("Error: unknown tool or bad arguments for %s",
                                     reins_action_get_name (action));
      is_error = TRUE;
    }

  if (request->native_tools && response->tool_calls->len > 0)
    {
      ReinsAction *call = g_ptr_array_index (response->tool_calls, 0);

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
}

static ReinsChatResponse *
chat (ReinsProvider    *provider,
      ReinsChatRequest *request)
{
  g_autoptr(GError) error = NULL;
  ReinsChatResponse *response;

  response = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static void
follow_exactly (gboolean native)
{
  for (guint seed = 1; seed <= 20; seed++)
    {
      guint length = 1 + seed % 9;
      g_autoptr(ReinsProvider) provider = sim_new (seed * 31, 1.0);
      g_autofree char *task = reins_kb_task (seed, length);
      g_autofree char *value = reins_kb_value (seed, length);
      g_autoptr(ReinsChatRequest) request = request_new (task, native);

      for (guint step = 0; step <= length; step++)
        {
          g_autoptr(ReinsChatResponse) response = chat (provider, request);
          g_autoptr(ReinsAction) action = reply_action (response);

          g_assert_nonnull (action);
          if (step == length)
            {
              g_assert_cmpstr (reins_action_get_name (action), ==, "finish");
              g_assert_cmpstr (reins_action_get_string_argument (action, "answer"), ==, value);
              break;
            }
          else
            {
              g_autofree char *key = reins_kb_key (seed, length, step);

              g_assert_cmpstr (reins_action_get_name (action), ==, "kb_lookup");
              g_assert_cmpstr (reins_action_get_string_argument (action, "key"), ==, key);
            }
          if (native)
            g_assert_nonnull (reins_action_get_call_id (action));
          g_assert_true (response->usage_reported);
          g_assert_cmpuint (response->input_tokens, >, 10);
          g_assert_cmpuint (response->output_tokens, >, 3);
          g_assert_nonnull (response->logprobs);
          g_assert_nonnull (response->raw_request);
          append_turn (request, response, action);
        }
    }
}

static void
test_follow_native (void)
{
  follow_exactly (TRUE);
}

static void
test_follow_react (void)
{
  follow_exactly (FALSE);
}

/* Builds the ideal conversation up to @position (0 … length) and returns what a right step
 * does there. */
static ReinsChatRequest *
ideal_request (guint      seed,
               guint      length,
               guint      position,
               gboolean   native,
               char     **expected_name,
               char     **expected_arg)
{
  g_autofree char *task = reins_kb_task (seed, length);
  ReinsChatRequest *request = request_new (task, native);

  for (guint i = 0; i < position; i++)
    {
      g_autofree char *key = reins_kb_key (seed, length, i);
      g_autofree char *call_id = g_strdup_printf ("call_%u", i);
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      g_autoptr(ReinsChatResponse) fake = reins_chat_response_new ();
      g_autofree char *action_text = NULL;

      json_object_set_string_member (args, "key", key);
      action = reins_action_new_with_id ("kb_lookup", args, call_id);
      action_text = reins_action_to_string (action);
      g_free (fake->text);
      fake->text = g_strdup_printf ("Thought: next.\nAction: %s", action_text);
      if (native)
        g_ptr_array_add (fake->tool_calls, g_object_ref (action));
      append_turn (request, fake, action);
    }

  if (position == length)
    {
      *expected_name = g_strdup ("finish");
      *expected_arg = reins_kb_value (seed, length);
    }
  else
    {
      *expected_name = g_strdup ("kb_lookup");
      *expected_arg = reins_kb_key (seed, length, position);
    }
  return request;
}

static gboolean
is_right (ReinsChatResponse *response,
          const char        *name,
          const char        *arg)
{
  g_autoptr(ReinsAction) action = reply_action (response);

  if (action == NULL || g_strcmp0 (reins_action_get_name (action), name) != 0)
    return FALSE;
  return g_strcmp0 (reins_action_get_string_argument (action,
                                                      g_str_equal (name, "finish") ? "answer" : "key"),
                    arg) == 0;
}

static double
action_confidence (ReinsChatResponse *response)
{
  double sum = 0;
  guint n = 0;
  const char *action = strstr (response->text, "Action:");
  gsize action_at = action != NULL ? (gsize) (action - response->text) + strlen ("Action:") : 0;

  for (guint i = 0; i < response->logprobs->len; i++)
    {
      ReinsTokenLogprob *lp = &g_array_index (response->logprobs, ReinsTokenLogprob, i);

      if (response->tool_calls->len > 0 ? lp->in_tool_call : lp->offset >= action_at)
        {
          g_assert_cmpfloat (lp->logprob, <=, 0.0);
          sum += lp->logprob;
          n++;
        }
    }
  g_assert_cmpuint (n, >, 0);
  /* The confidence code finds the same span as this test does. */
  {
    ReinsConfidenceSource source;
    double c = reins_confidence_compute (response, NULL, &source);

    g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
    g_assert_cmpfloat_with_epsilon (c, exp (sum / n), 1e-9);
  }
  return exp (sum / n);
}

static void
test_accuracy (void)
{
#ifdef __SANITIZE_ADDRESS__
  /* Under AddressSanitizer this test checks memory, not statistics: fewer samples, a
   * tolerance wide enough for them (still > 3 standard deviations). */
  guint samples = 1000, right = 0;
  double tolerance = 0.04;
#else
  guint samples = 4000, right = 0;
  double tolerance = 0.02;
#endif
  double conf_right = 0, conf_wrong = 0;
  guint wrong_high = 0, right_low = 0;
  g_autoptr(GHashTable) mistakes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint s = 0; s < samples; s++)
    {
      guint seed = 1000 + s;
      guint length = 3 + s % 6;
      guint position = (s * 7) % (length + 1);
      gboolean native = s % 2 == 0;
      g_autofree char *name = NULL;
      g_autofree char *arg = NULL;
      g_autoptr(ReinsProvider) provider = sim_new (seed, 0.88);
      g_autoptr(ReinsChatRequest) request = ideal_request (seed, length, position, native,
                                                           &name, &arg);
      g_autoptr(ReinsChatResponse) response = chat (provider, request);
      g_autoptr(JsonNode) raw = reins_json_from_string (response->raw_response, NULL);
      JsonObject *sim = json_object_get_object_member (json_node_get_object (raw), "sim");
      double confidence = action_confidence (response);
      gboolean ok = is_right (response, name, arg);

      /* The simulator's own bookkeeping agrees with what the test observes. */
      g_assert_cmpint (ok, ==, json_object_get_boolean_member (sim, "correct"));
      if (ok)
        {
          right++;
          conf_right += confidence;
          right_low += confidence < 0.7;
        }
      else
        {
          const char *mistake = json_object_get_string_member (sim, "mistake");

          conf_wrong += confidence;
          wrong_high += confidence >= 0.7;
          g_hash_table_insert (mistakes, g_strdup (mistake),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (mistakes, mistake)) + 1));
        }
    }

  g_test_message ("accuracy %.4f, mean confidence right %.3f wrong %.3f, "
                  "right<0.7 %u, wrong>=0.7 %u, kinds of mistakes %u",
                  (double) right / samples, conf_right / right, conf_wrong / (samples - right),
                  right_low, wrong_high, g_hash_table_size (mistakes));
  g_assert_cmpfloat (fabs ((double) right / samples - 0.88), <=, tolerance);
  g_assert_cmpfloat (conf_right / right, >, conf_wrong / (samples - right) + 0.15);
  /* Overlap: confidence is a signal, not an oracle. */
  g_assert_cmpuint (wrong_high, >, 0);
  g_assert_cmpuint (right_low, >, 0);
  /* Every kind of mistake shows up. */
  g_assert_cmpuint (g_hash_table_size (mistakes), ==, 6);
}

static GPtrArray *
run_transcript (guint64  seed,
                gboolean native)
{
  g_autoptr(ReinsProvider) provider = sim_new (seed, 0.6);
  g_autofree char *task = reins_kb_task (5, 8);
  g_autoptr(ReinsChatRequest) request = request_new (task, native);
  GPtrArray *transcript = g_ptr_array_new_with_free_func (g_free);

  for (guint step = 0; step < 15; step++)
    {
      g_autoptr(ReinsChatResponse) response = chat (provider, request);
      g_autoptr(ReinsAction) action = reply_action (response);
      g_autofree char *text = action != NULL ? reins_action_to_string (action) : NULL;

      g_ptr_array_add (transcript, g_strdup_printf ("%s|%s|%s", response->text, text,
                                                    response->raw_response));
      if (action != NULL && g_str_equal (reins_action_get_name (action), "finish"))
        break;
      append_turn (request, response, action);
    }
  return transcript;
}

static void
test_deterministic (void)
{
  g_autoptr(GPtrArray) a = run_transcript (42, TRUE);
  g_autoptr(GPtrArray) b = run_transcript (42, TRUE);
  g_autoptr(GPtrArray) c = run_transcript (43, TRUE);
  gboolean differs = a->len != c->len;

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
  for (guint i = 0; !differs && i < a->len; i++)
    differs = g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (c, i)) != 0;
  g_assert_true (differs);
}

static void
test_resume (void)
{
  /* A second provider (a resumed run) given the same conversation answers the same. */
  g_autoptr(ReinsProvider) p1 = sim_new (9, 0.5);
  g_autoptr(ReinsProvider) p2 = sim_new (9, 0.5);
  g_autofree char *name = NULL;
  g_autofree char *arg = NULL;
  g_autoptr(ReinsChatRequest) request = ideal_request (77, 6, 3, TRUE, &name, &arg);
  g_autoptr(ReinsChatResponse) r1 = chat (p1, request);
  g_autoptr(ReinsChatResponse) r2 = chat (p2, request);

  g_assert_cmpstr (r1->raw_response, ==, r2->raw_response);
}

static void
test_stuck_and_corrected (void)
{
  guint stuck_again = 0, recovered = 0, n = SAMPLES (300);

  for (guint s = 0; s < n; s++)
    {
      g_autoptr(ReinsProvider) provider = sim_new (s, 0.5);
      g_autofree char *name = NULL;
      g_autofree char *arg = NULL;
      g_autoptr(ReinsChatRequest) request = ideal_request (s, 8, 3, TRUE, &name, &arg);
      g_autofree char *prev = reins_kb_key (s, 8, 2);
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) repeat = NULL;
      g_autoptr(ReinsChatResponse) fake = reins_chat_response_new ();
      g_autoptr(ReinsChatResponse) r1 = NULL;
      g_autoptr(ReinsChatResponse) r2 = NULL;

      /* It has just repeated its previous lookup: it is stuck. */
      json_object_set_string_member (args, "key", prev);
      repeat = reins_action_new_with_id ("kb_lookup", args, "call_again");
      g_ptr_array_add (fake->tool_calls, g_object_ref (repeat));
      append_turn (request, fake, repeat);

      r1 = chat (provider, request);
      stuck_again += !is_right (r1, name, arg);

      reins_chat_request_add (request,
                              reins_chat_message_new (REINS_CHAT_ROLE_USER,
                                                      "You are repeating the same action. "
                                                      "Try something else."));
      r2 = chat (provider, request);
      recovered += is_right (r2, name, arg);
    }

  g_test_message ("stuck again %u/%u, recovered after a correction %u/%u",
                  stuck_again, n, recovered, n);
  /* Without correction it stays stuck far more often than its base error rate (50 %). */
  g_assert_cmpuint (stuck_again, >, n * 65 / 100);
  /* A correction gets it back on track most of the time. */
  g_assert_cmpuint (recovered, >, n * 85 / 100);
}

static void
test_drift (void)
{
  guint drift = 0, wrong = 0;

  for (guint s = 0; s < SAMPLES (400); s++)
    {
      g_autoptr(ReinsProvider) provider = sim_new (s, 0.5);
      g_autofree char *name = NULL;
      g_autofree char *arg = NULL;
      g_autoptr(ReinsChatRequest) request = ideal_request (s, 12, 8, s % 2, &name, &arg);
      g_autoptr(ReinsChatResponse) response = chat (provider, request);
      g_autoptr(JsonNode) raw = reins_json_from_string (response->raw_response, NULL);
      JsonObject *sim = json_object_get_object_member (json_node_get_object (raw), "sim");

      if (!is_right (response, name, arg))
        {
          wrong++;
          drift += g_str_equal (json_object_get_string_member (sim, "mistake"), "drift");
        }
    }
  /* Eight steps without the goal restated: drifting dominates the mistakes. */
  g_assert_cmpuint (drift, >, wrong / 3);
}

static void
test_drift_persists (void)
{
  guint stayed = 0, back = 0, n = SAMPLES (300);

  for (guint s = 0; s < n; s++)
    {
      g_autoptr(ReinsProvider) provider = sim_new (s, 0.88);
      g_autofree char *name = NULL;
      g_autofree char *arg = NULL;
      g_autoptr(ReinsChatRequest) request = ideal_request (s, 6, 3, TRUE, &name, &arg);
      g_autofree char *other = reins_kb_key (s + 1, 6, 0);
      g_autofree char *other_next = reins_kb_key (s + 1, 6, 1);
      g_autofree char *task = reins_kb_task (s, 6);
      g_autofree char *reminder = g_strdup_printf ("Reminder of the goal: %s", task);
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) off = NULL;
      g_autoptr(ReinsChatResponse) fake = reins_chat_response_new ();
      g_autoptr(ReinsChatResponse) r1 = NULL;
      g_autoptr(ReinsChatResponse) r2 = NULL;
      g_autoptr(ReinsAction) a1 = NULL;

      /* It has just wandered off to another chain. */
      json_object_set_string_member (args, "key", other);
      off = reins_action_new_with_id ("kb_lookup", args, "call_off");
      g_ptr_array_add (fake->tool_calls, g_object_ref (off));
      append_turn (request, fake, off);

      r1 = chat (provider, request);
      a1 = reply_action (r1);
      stayed += g_strcmp0 (reins_action_get_string_argument (a1, "key"), other_next) == 0;

      reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER, reminder));
      r2 = chat (provider, request);
      back += is_right (r2, name, arg);
    }

  g_test_message ("followed the other chain %u/%u, back on task after the goal %u/%u",
                  stayed, n, back, n);
  g_assert_cmpuint (stayed, >, n / 2);
  g_assert_cmpuint (back, >, n * 80 / 100);
}

static void
test_unknown_task (void)
{
  g_autoptr(ReinsProvider) provider = sim_new (1, 0.88);

  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(ReinsChatRequest) request = request_new ("Write a poem about the sea.", mode);
      g_autoptr(ReinsChatResponse) response = chat (provider, request);
      g_autoptr(ReinsAction) action = reply_action (response);

      g_assert_nonnull (action);
      g_assert_cmpstr (reins_action_get_name (action), ==, "finish");
      g_assert_nonnull (strstr (reins_action_get_string_argument (action, "answer"),
                                "offline simulator"));
    }
}

static void
token_cb (const char *delta,
          gpointer    user_data)
{
  g_assert_true (g_utf8_validate (delta, -1, NULL));
  g_assert_cmpuint (strlen (delta), >, 0);
  g_string_append ((GString *) user_data, delta);
}

static void
cancel_cb (const char *delta,
           gpointer    user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_stream_and_cancel (void)
{
  g_autoptr(ReinsProvider) provider = sim_new (3, 1.0);
  g_autofree char *task = reins_kb_task (3, 4);
  g_autoptr(ReinsChatRequest) request = request_new (task, FALSE);
  g_autoptr(GString) streamed = g_string_new ("");
  g_autoptr(ReinsChatResponse) response = NULL;
  g_autoptr(ReinsChatResponse) none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  response = reins_provider_chat (provider, request, token_cb, streamed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (streamed->str, ==, response->text);
  g_assert_true (g_str_has_prefix (response->text, "Thought: "));
  g_assert_false (reins_provider_supports_embeddings (provider));

  none = reins_provider_chat (provider, request, cancel_cb, cancellable, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_config (void)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("sim");
  g_autoptr(ReinsProviderConfig) copy = NULL;
  g_autoptr(ReinsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  config->sim_accuracy = 1.5;
  provider = reins_provider_new_for_config (config, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_assert_null (provider);
  g_clear_error (&error);

  g_free (config->name);
  config->name = g_strdup ("gpt-oracle");
  config->api_key = g_strdup ("sk-secret");
  copy = reins_provider_config_copy (config);
  g_assert_cmpstr (copy->api_key, ==, "sk-secret");
  provider = reins_provider_new_for_config (copy, &error);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  g_assert_null (strstr (error->message, "sk-secret"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/sim/follow-native", test_follow_native);
  g_test_add_func ("/reins/model/sim/follow-react", test_follow_react);
  g_test_add_func ("/reins/model/sim/accuracy", test_accuracy);
  g_test_add_func ("/reins/model/sim/deterministic", test_deterministic);
  g_test_add_func ("/reins/model/sim/resume", test_resume);
  g_test_add_func ("/reins/model/sim/stuck-and-corrected", test_stuck_and_corrected);
  g_test_add_func ("/reins/model/sim/drift", test_drift);
  g_test_add_func ("/reins/model/sim/drift-persists", test_drift_persists);
  g_test_add_func ("/reins/model/sim/unknown-task", test_unknown_task);
  g_test_add_func ("/reins/model/sim/stream-and-cancel", test_stream_and_cancel);
  g_test_add_func ("/reins/model/sim/config", test_config);

  return g_test_run ();
}
