/* test-confidence.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Confidence from log-probabilities: the action's tokens when they can be found, the whole
 * reply otherwise, the default when there is nothing usable.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-chat.h"
#include "reins-confidence.h"

static ReinsChatResponse *
response_new (const char *text)
{
  ReinsChatResponse *response = reins_chat_response_new ();

  g_free (response->text);
  response->text = g_strdup (text);
  return response;
}

/* Adds @text's tokens, split at @cuts bytes, all with @logprob. */
static void
add_tokens (ReinsChatResponse *response,
            const char        *text,
            gsize              base,
            double             logprob,
            gboolean           in_tool_call)
{
  gsize len = strlen (text);

  for (gsize at = 0; at < len; at += 3)
    {
      g_autofree char *token = g_strndup (text + at, MIN (3, len - at));

      reins_chat_response_add_logprob (response, token, logprob, base + at, in_tool_call);
    }
}

static void
test_default (void)
{
  g_autoptr(ReinsChatResponse) response = response_new ("Hello");
  ReinsConfidenceSource source = REINS_CONFIDENCE_SOURCE_LOGPROBS;

  g_assert_cmpfloat (reins_confidence_compute (NULL, NULL, &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);

  source = REINS_CONFIDENCE_SOURCE_LOGPROBS;
  g_assert_cmpfloat (reins_confidence_compute (response, NULL, &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);

  /* An empty array. */
  reins_chat_response_add_logprob (response, "x", -1, 0, FALSE);
  g_array_set_size (response->logprobs, 0);
  g_assert_cmpfloat (reins_confidence_compute (response, NULL, &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);

  /* Only unusable values: NaN, infinities, the -9999 sentinel, nonsense positives. */
  reins_chat_response_add_logprob (response, "H", NAN, 0, FALSE);
  reins_chat_response_add_logprob (response, "e", -INFINITY, 1, FALSE);
  reins_chat_response_add_logprob (response, "l", -9999.0, 2, FALSE);
  reins_chat_response_add_logprob (response, "l", 3.5, 3, FALSE);
  reins_chat_response_add_logprob (response, NULL, INFINITY, 99, TRUE);
  g_assert_cmpfloat (reins_confidence_compute (response, "Hello", &source), ==, 0.8);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_DEFAULT);

  /* A NULL @source is fine. */
  g_assert_cmpfloat (reins_confidence_compute (response, NULL, NULL), ==, 0.8);
}

static void
test_whole_reply (void)
{
  g_autoptr(ReinsChatResponse) response = response_new ("The answer is 42.");
  ReinsConfidenceSource source;
  double c;

  reins_chat_response_add_logprob (response, "The", -0.1, 0, FALSE);
  reins_chat_response_add_logprob (response, " answer", -0.3, 3, FALSE);
  reins_chat_response_add_logprob (response, " is", NAN, 10, FALSE);
  reins_chat_response_add_logprob (response, " 42", -0.5, 13, FALSE);
  reins_chat_response_add_logprob (response, ".", -9999.0, 16, FALSE);

  c = reins_confidence_compute (response, NULL, &source);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  g_assert_cmpfloat_with_epsilon (c, exp (-0.3), 1e-9);
  /* An action that is not in the text: the whole reply. */
  g_assert_cmpfloat_with_epsilon (reins_confidence_compute (response, "{\"x\":1}", NULL),
                                  exp (-0.3), 1e-9);
}

static void
test_react_action_span (void)
{
  const char *thought = "Thought: I should read the file.\n";
  const char *action = "{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}";
  g_autofree char *text = g_strdup_printf ("%sAction: %s\nSome trailing prose.", thought, action);
  g_autoptr(ReinsChatResponse) response = response_new (text);
  gsize action_at = strlen (thought) + strlen ("Action: ");
  ReinsConfidenceSource source;
  double c;

  /* A confident thought, a hesitant action, a confident tail. */
  add_tokens (response, thought, 0, -0.01, FALSE);
  add_tokens (response, "Action: ", strlen (thought), -0.01, FALSE);
  add_tokens (response, action, action_at, -0.7, FALSE);
  add_tokens (response, "\nSome trailing prose.", action_at + strlen (action), -0.01, FALSE);

  c = reins_confidence_compute (response, action, &source);
  g_assert_cmpint (source, ==, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  g_assert_cmpfloat_with_epsilon (c, exp (-0.7), 1e-9);

  /* Without the exact action text, the span after `Action:` is used: lower than the whole
   * reply, since the hesitant action dominates it. */
  c = reins_confidence_compute (response, NULL, &source);
  g_assert_cmpfloat (c, <, 0.7);
  g_assert_cmpfloat (c, >, exp (-0.7));
}

static void
test_tool_call_tokens (void)
{
  g_autoptr(ReinsChatResponse) response = response_new ("Let me look.");
  g_autoptr(ReinsAction) call = reins_action_new_with_id ("kb_lookup", NULL, "c1");
  double c;

  g_ptr_array_add (response->tool_calls, g_object_ref (call));
  add_tokens (response, "Let me look.", 0, -0.02, FALSE);
  add_tokens (response, "{\"key\":\"chain-1-3/0\"}", 0, -0.4, TRUE);
  reins_chat_response_add_logprob (response, "?", -9999.0, 30, TRUE);

  c = reins_confidence_compute (response, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (c, exp (-0.4), 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/model/confidence/default", test_default);
  g_test_add_func ("/reins/model/confidence/whole-reply", test_whole_reply);
  g_test_add_func ("/reins/model/confidence/react-action-span", test_react_action_span);
  g_test_add_func ("/reins/model/confidence/tool-call-tokens", test_tool_call_tokens);

  return g_test_run ();
}
