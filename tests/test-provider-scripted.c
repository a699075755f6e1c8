/* test-provider-scripted.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `scripted` provider replays a JSON file, and refuses a malformed one up front.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "reins-provider.h"

static char *tmpdir;

static char *
write_script (const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static ReinsProvider *
scripted_new (const char  *path,
              GError     **error)
{
  g_autoptr(ReinsProviderConfig) config = reins_provider_config_new ("scripted");

  config->script_path = g_strdup (path);
  return reins_provider_new_for_config (config, error);
}

static ReinsChatRequest *
request_new (void)
{
  ReinsChatRequest *request = reins_chat_request_new ();

  reins_chat_request_add (request, reins_chat_message_new (REINS_CHAT_ROLE_USER,
                                                           "Read a.txt and tell me what it says."));
  return request;
}

static void
token_cb (const char *delta,
          gpointer    user_data)
{
  g_string_append ((GString *) user_data, delta);
  g_string_append_c ((GString *) user_data, '|');
}

static const char *script =
  "{\"responses\": ["
  "  {\"text\": \"I will read it.\","
  "   \"tool_calls\": [{\"id\": \"c1\", \"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}],"
  "   \"logprobs\": [{\"token\": \"I\", \"logprob\": -0.1}, {\"token\": \" will\", \"logprob\": null},"
  "                  {\"token\": \"{\\\"path\\\"\", \"logprob\": -0.5, \"in_tool_call\": true}],"
  "   \"usage\": {\"input_tokens\": 10, \"output_tokens\": 5}, \"finish_reason\": \"tool_calls\"},"
  "  {\"text\": \"Thought: done\\nAction: {\\\"name\\\": \\\"finish\\\", \\\"arguments\\\": {\\\"answer\\\": \\\"hello ünïcode\\\"}}\"},"
  "  {\"error\": {\"code\": \"rate_limited\", \"message\": \"Slow down\"}},"
  "  {\"tool_calls\": [{\"name\": \"finish\"}], \"delay_ms\": 0}"
  "]}";

static void
test_replay (void)
{
  g_autofree char *path = write_script ("ok.json", script);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProvider) provider = scripted_new (path, &error);
  g_autoptr(ReinsChatRequest) request = request_new ();
  g_autoptr(ReinsChatResponse) r1 = NULL;
  g_autoptr(ReinsChatResponse) r2 = NULL;
  g_autoptr(ReinsChatResponse) r3 = NULL;
  g_autoptr(ReinsChatResponse) r4 = NULL;
  g_autoptr(ReinsChatResponse) r5 = NULL;
  g_autoptr(GString) streamed = g_string_new ("");
  g_autofree char *joined = NULL;
  ReinsAction *call;
  ReinsTokenLogprob *lp;

  g_assert_no_error (error);
  g_assert_cmpstr (reins_provider_get_name (provider), ==, "scripted");

  r1 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r1->text, ==, "I will read it.");
  g_assert_cmpuint (r1->tool_calls->len, ==, 1);
  call = g_ptr_array_index (r1->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_name (call), ==, "read_file");
  g_assert_cmpstr (reins_action_get_call_id (call), ==, "c1");
  g_assert_cmpstr (reins_action_get_string_argument (call, "path"), ==, "a.txt");
  g_assert_cmpuint (r1->input_tokens, ==, 10);
  g_assert_cmpuint (r1->output_tokens, ==, 5);
  g_assert_true (r1->usage_reported);
  g_assert_cmpstr (r1->finish_reason, ==, "tool_calls");
  g_assert_cmpuint (r1->logprobs->len, ==, 3);
  lp = &g_array_index (r1->logprobs, ReinsTokenLogprob, 1);
  g_assert_cmpstr (lp->token, ==, " will");
  g_assert_cmpuint (lp->offset, ==, 1);
  g_assert_true (isnan (lp->logprob));
  lp = &g_array_index (r1->logprobs, ReinsTokenLogprob, 2);
  g_assert_true (lp->in_tool_call);
  g_assert_cmpuint (lp->offset, ==, 0);
  g_assert_nonnull (r1->raw_request);
  g_assert_nonnull (strstr (r1->raw_request, "Read a.txt"));

  r2 = reins_provider_chat (provider, request, token_cb, streamed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (r2->text, "ünïcode\"}}"));
  g_assert_cmpstr (r2->finish_reason, ==, "stop");
  g_assert_false (r2->usage_reported);
  g_assert_cmpuint (r2->input_tokens, >, 0);
  g_assert_true (g_utf8_validate (streamed->str, -1, NULL));
  g_assert_cmpuint (streamed->len, >, strlen (r2->text) + 3);
  {
    g_auto(GStrv) parts = g_strsplit (streamed->str, "|", -1);
    joined = g_strjoinv ("", parts);
  }
  g_assert_cmpstr (joined, ==, r2->text);

  r3 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_null (r3);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==, "Slow down");
  g_clear_error (&error);

  r4 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r4->text, ==, "");
  call = g_ptr_array_index (r4->tool_calls, 0);
  g_assert_cmpstr (reins_action_get_name (call), ==, "finish");
  g_assert_nonnull (reins_action_get_call_id (call));
  g_assert_null (r4->logprobs);

  /* Past the end of the script: a clear error, not a repeat. */
  r5 = reins_provider_chat (provider, request, NULL, NULL, NULL, &error);
  g_assert_null (r5);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_PROVIDER);
  g_assert_nonnull (strstr (error->message, "call 5"));
}

static void
test_repeat_last (void)
{
  g_autofree char *path = write_script ("repeat.json",
                                        "{\"repeat_last\": true, \"responses\": ["
                                        "{\"text\": \"one\"}, {\"text\": \"two\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProvider) provider = scripted_new (path, &error);
  g_autoptr(ReinsChatRequest) request = request_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(ReinsChatResponse) r = reins_provider_chat (provider, request, NULL, NULL,
                                                            NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (r->text, ==, i == 0 ? "one" : "two");
    }
}

static void
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  cancel_soon (data);
  return NULL;
}

static void
test_delay_cancel (void)
{
  g_autofree char *path = write_script ("slow.json",
                                        "{\"responses\": [{\"text\": \"late\", \"delay_ms\": 60000}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsProvider) provider = scripted_new (path, &error);
  g_autoptr(ReinsChatRequest) request = request_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ReinsChatResponse) r = NULL;
  GThread *thread;

  g_assert_no_error (error);
  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  r = reins_provider_chat (provider, request, NULL, NULL, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"responses\": {}}",
    "{\"responses\": [42]}",
    "{\"responses\": [{\"text\": 42}]}",
    "{\"responses\": [{\"tool_calls\": {}}]}",
    "{\"responses\": [{\"tool_calls\": [{\"arguments\": {}}]}]}",
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"x\", \"arguments\": [1]}]}]}",
    "{\"responses\": [{\"tool_calls\": [{\"name\": \"x\", \"id\": 3}]}]}",
    "{\"responses\": [{\"logprobs\": [{\"logprob\": -1}]}]}",
    "{\"responses\": [{\"logprobs\": [{\"token\": \"a\", \"logprob\": \"low\"}]}]}",
    "{\"responses\": [{\"usage\": {\"input_tokens\": -3}}]}",
    "{\"responses\": [{\"usage\": {\"output_tokens\": 1.5}}]}",
    "{\"responses\": [{\"delay_ms\": -1}]}",
    "{\"responses\": [{\"error\": {\"code\": \"auth\"}}]}",
    "{\"responses\": [], \"repeat_last\": \"yes\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%u.json", i);
      g_autofree char *path = write_script (name, bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsProvider) provider = scripted_new (path, &error);

      g_assert_null (provider);
      /* The script is the person's input: a usage error, so reins-cli exits 2. */
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, path));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsProvider) provider = scripted_new ("/nonexistent/script.json", &error);

    g_assert_null (provider);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsProvider) provider = scripted_new (NULL, &error);

    g_assert_null (provider);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
  }
}

static void
test_hostile_scripts (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"responses\": [{\"text\": \"x\", \"tool_calls\": "
                                          "[{\"name\": \"t\", \"arguments\": {\"a\": ");
  g_autofree char *deep_path = NULL;

  /* 100,000 levels: a usage error naming the limit, not a crash in json-glib. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}}]}]}");
  deep_path = write_script ("deep.json", deep->str);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsProvider) provider = scripted_new (deep_path, &error);

    g_assert_null (provider);
    g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
    g_assert_nonnull (strstr (error->message, "nested deeper than 512 levels"));
  }

  /* An endless file: refused before it is read (it is no regular file). */
  if (g_file_test ("/dev/zero", G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsProvider) provider = scripted_new ("/dev/zero", &error);

      g_assert_null (provider);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, "not a regular file"));
    }

  /* Escapes that decode to bytes that are not UTF-8: replaced in the text, the arguments
   * and the streamed tokens. */
  {
    g_autofree char *path =
      write_script ("escapes.json",
                    "{\"responses\": [{\"text\": \"caf\\351 \\201\", \"tool_calls\": "
                    "[{\"name\": \"read_file\", \"arguments\": {\"path\": \"a\\377.txt\"}}]}]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(ReinsProvider) provider = scripted_new (path, &error);
    g_autoptr(ReinsChatRequest) request = request_new ();
    g_autoptr(GString) tokens = g_string_new (NULL);
    g_autoptr(ReinsChatResponse) r = NULL;
    g_autofree char *args = NULL;

    g_assert_no_error (error);
    r = reins_provider_chat (provider, request, token_cb, tokens, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (r->text, ==, "caf\xef\xbf\xbd \xef\xbf\xbd");
    g_assert_true (g_utf8_validate (tokens->str, tokens->len, NULL));
    args = reins_action_dup_arguments_json (g_ptr_array_index (r->tool_calls, 0));
    g_assert_cmpstr (args, ==, "{\"path\":\"a\xef\xbf\xbd.txt\"}");
    g_assert_true (g_utf8_validate (r->raw_response, -1, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("reins-scripted-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/reins/model/scripted/replay", test_replay);
  g_test_add_func ("/reins/model/scripted/repeat-last", test_repeat_last);
  g_test_add_func ("/reins/model/scripted/delay-cancel", test_delay_cancel);
  g_test_add_func ("/reins/model/scripted/malformed", test_malformed);
  g_test_add_func ("/reins/model/scripted/hostile-scripts", test_hostile_scripts);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
