/* test-model-server.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The independent error model (tests/reins-model-server, docs/error-models.md) as a peer:
 * it starts on a free port, answers the OpenAI wire format, refuses malformed requests with
 * a 400 and an OpenAI error body, makes mistakes only when its accuracy says so, and a
 * small `reins-cli bench -p openai` runs through it to the end.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "reins-test-cli.h"

typedef struct
{
  ReinsTestCli  cli;
  GSubprocess  *server;
  char         *url;      /* the base URL it printed, ending in /v1 */
  SoupSession  *session;
} Fixture;

static void
start_server (Fixture            *f,
              const char * const *options)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  g_strv_builder_add (builder, g_getenv ("REINS_MODEL_SERVER"));
  g_strv_builder_add (builder, "--port=0");
  if (options != NULL)
    g_strv_builder_addv (builder, (const char **) options);
  argv = g_strv_builder_end (builder);

  f->server = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                 &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  f->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->url);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->url, "/v1"));
}

/* Stops the server; it must end cleanly (under the sanitizers: without leaks). */
static void
stop_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->server == NULL)
    return;
  g_subprocess_send_signal (f->server, SIGTERM);
  g_subprocess_wait (f->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (f->server));
  g_assert_cmpint (g_subprocess_get_exit_status (f->server), ==, 0);
  g_clear_object (&f->server);
  g_clear_pointer (&f->url, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  reins_test_cli_set_up (&f->cli, "reins-model-server");
  f->session = soup_session_new ();
  start_server (f, data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_server (f);
  g_clear_object (&f->session);
  reins_test_cli_tear_down (&f->cli);
}

/* Sends @body (or nothing when NULL) to @path; returns the status, @reply the body. */
static guint
request (Fixture     *f,
         const char  *method,
         const char  *path,
         const char  *body,
         char       **reply)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", data);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *reply = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static JsonObject *
parse (const char *text,
       JsonNode  **node)
{
  return reins_test_parse_object (text, node);
}

#define CHAIN_TASK "Task: Follow the knowledge-base chain that starts at chain-7-3/0 with " \
                   "kb_lookup and report the value at its end."
#define TOOLS "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"kb_lookup\"}}, " \
              "{\"type\": \"function\", \"function\": {\"name\": \"finish\"}}]"
#define FIRST_TURN "{\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": " \
                   "\"You are an agent.\"}, {\"role\": \"user\", \"content\": \"" CHAIN_TASK \
                   "\"}], " TOOLS "}"

/* The one tool call of a non-streamed reply: its name and its arguments' text. */
static void
reply_call (const char  *text,
            char       **name,
            char       **arguments)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o = parse (text, &node);
  JsonObject *choice = json_array_get_object_element (json_object_get_array_member (o, "choices"), 0);
  JsonObject *message = json_object_get_object_member (choice, "message");
  JsonArray *calls = json_object_get_array_member (message, "tool_calls");
  JsonObject *function;

  g_assert_nonnull (calls);
  g_assert_cmpuint (json_array_get_length (calls), ==, 1);
  function = json_object_get_object_member (json_array_get_object_element (calls, 0), "function");
  *name = g_strdup (json_object_get_string_member (function, "name"));
  *arguments = g_strdup (json_object_get_string_member (function, "arguments"));
  g_assert_cmpstr (json_object_get_string_member (choice, "finish_reason"), ==, "tool_calls");
  g_assert_true (json_object_has_member (o, "usage"));
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    const char *body;
    const char *param;  /* NULL: null */
  } cases[] = {
    { "not json", NULL },
    { "[1, 2]", NULL },
    { "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model" },
    { "{\"model\": 3, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model" },
    { "{\"model\": \"m\"}", "messages" },
    { "{\"model\": \"m\", \"messages\": []}", "messages" },
    { "{\"model\": \"m\", \"messages\": {\"role\": \"user\"}}", "messages" },
    { "{\"model\": \"m\", \"messages\": [{\"content\": \"hi\"}]}", "messages" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}", "messages" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": 5}]}", "messages" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"content\": null, "
      "\"tool_calls\": [{\"id\": \"a\"}]}]}", "messages" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
      "\"tools\": {}}", "tools" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
      "\"tools\": [{\"type\": \"function\"}]}", "tools" },
    { "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
      "\"stream\": \"yes\"}", "stream" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reply = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *error;

      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_cmpuint (request (f, "POST", "/chat/completions", cases[i].body, &reply), ==, 400);
      error = json_object_get_object_member (parse (reply, &node), "error");
      g_assert_nonnull (error);
      g_assert_cmpstr (json_object_get_string_member (error, "type"), ==, "invalid_request_error");
      g_assert_true (strlen (json_object_get_string_member (error, "message")) > 0);
      g_assert_cmpstr (json_object_get_string_member_with_default (error, "param", NULL), ==,
                       cases[i].param);
    }

  /* Well-formed requests are answered: a plain chat, and content given as parts. */
  {
    g_autofree char *reply = NULL;

    g_assert_cmpuint (request (f, "POST", "/chat/completions",
                               "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", "
                               "\"content\": [{\"type\": \"text\", \"text\": \"hi\"}]}]}",
                               &reply), ==, 200);
    g_assert_nonnull (strstr (reply, "\"choices\""));
  }

  /* Other paths and methods. */
  {
    g_autofree char *reply = NULL;
    g_autofree char *models = NULL;
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpuint (request (f, "GET", "/chat/completions", NULL, &reply), ==, 405);
    g_free (reply);
    g_assert_cmpuint (request (f, "GET", "/nothing", NULL, &reply), ==, 404);
    g_assert_nonnull (strstr (reply, "\"error\""));
    g_assert_cmpuint (request (f, "GET", "/models", NULL, &models), ==, 200);
    g_assert_cmpstr (json_object_get_string_member (parse (models, &node), "object"), ==, "list");
  }
}

/* At accuracy 1 the agent takes the right step; at 0, with only invented words allowed, it
 * answers a word at once. */
static void
test_accuracy (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *reply = NULL;
  g_autofree char *name = NULL;
  g_autofree char *arguments = NULL;
  const char *never[] = { "--accuracy=0", "--kinds=word", NULL };

  g_assert_cmpuint (request (f, "POST", "/chat/completions", FIRST_TURN, &reply), ==, 200);
  reply_call (reply, &name, &arguments);
  g_assert_cmpstr (name, ==, "kb_lookup");
  g_assert_cmpstr (arguments, ==, "{\"key\": \"chain-7-3/0\"}");

  stop_server (f);
  start_server (f, never);
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&arguments, g_free);
  g_assert_cmpuint (request (f, "POST", "/chat/completions", FIRST_TURN, &reply), ==, 200);
  reply_call (reply, &name, &arguments);
  g_assert_cmpstr (name, ==, "finish");
  g_assert_null (strstr (arguments, "chain-"));
}

/* The same conversation gets the same reply; streamed, the same call in SSE pieces. */
static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *stream = NULL;
  g_autofree char *name = NULL;
  g_autofree char *arguments = NULL;
  g_autofree char *streamed = g_strdup (FIRST_TURN);

  g_assert_cmpuint (request (f, "POST", "/chat/completions", FIRST_TURN, &a), ==, 200);
  g_assert_cmpuint (request (f, "POST", "/chat/completions", FIRST_TURN, &b), ==, 200);
  g_assert_cmpstr (a, ==, b);
  reply_call (a, &name, &arguments);

  /* Streamed: the id and name first, the arguments in fragments, then usage and [DONE]. */
  streamed[strlen (streamed) - 1] = '\0';
  {
    g_autofree char *body = g_strconcat (streamed, ", \"stream\": true, \"stream_options\": "
                                         "{\"include_usage\": true}}", NULL);
    g_auto(GStrv) events = NULL;
    g_autoptr(GString) joined = g_string_new (NULL);
    gboolean usage = FALSE;

    g_assert_cmpuint (request (f, "POST", "/chat/completions", body, &stream), ==, 200);
    g_assert_true (g_str_has_suffix (stream, "data: [DONE]\n\n"));
    events = g_strsplit (stream, "\n\n", -1);
    for (guint i = 0; events[i] != NULL && !g_str_equal (events[i], "data: [DONE]"); i++)
      {
        g_autoptr(JsonNode) node = NULL;
        JsonObject *o;
        JsonArray *choices;

        if (events[i][0] == '\0')
          continue;
        g_assert_true (g_str_has_prefix (events[i], "data: "));
        o = parse (events[i] + strlen ("data: "), &node);
        choices = json_object_get_array_member (o, "choices");
        if (json_array_get_length (choices) == 0)
          {
            usage = json_object_has_member (o, "usage");
            continue;
          }
        {
          JsonObject *delta = json_object_get_object_member (json_array_get_object_element (choices, 0), "delta");
          JsonArray *calls = json_object_has_member (delta, "tool_calls")
                               ? json_object_get_array_member (delta, "tool_calls") : NULL;

          if (calls != NULL)
            {
              JsonObject *fn = json_object_get_object_member (json_array_get_object_element (calls, 0),
                                                              "function");
              if (json_object_has_member (fn, "name"))
                g_assert_cmpstr (json_object_get_string_member (fn, "name"), ==, name);
              g_string_append (joined, json_object_get_string_member (fn, "arguments"));
            }
        }
      }
    g_assert_true (usage);
    g_assert_cmpstr (joined->str, ==, arguments);
  }
}

/* The critic's verdict on @answer after a chain whose last lookup gave "amber-1234". */
static JsonObject *
critic_verdict (Fixture     *f,
                const char  *answer,
                JsonNode   **node)
{
  g_autofree char *body = g_strdup_printf (
    "{\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": \"You are a "
    "critic who checks the work of an agent.\"}, {\"role\": \"user\", \"content\": \"Task: "
    "Follow the chain.\\n\\nSteps:\\nStep 1: kb_lookup {\\\"key\\\":\\\"chain-7-3/0\\\"}\\n"
    "Result: {\\\"next\\\": \\\"chain-7-3/1-ab12\\\"}\\nStep 2: kb_lookup "
    "{\\\"key\\\":\\\"chain-7-3/1-ab12\\\"}\\nResult: {\\\"value\\\": \\\"amber-1234\\\"}\\n\\n"
    "Proposed final answer (step 3):\\n%s\\n\\nQuestion: Is it supported?\\n\"}]}", answer);
  g_autofree char *reply = NULL;
  g_autoptr(JsonNode) outer = NULL;
  g_autofree char *json = NULL;
  const char *content;
  const char *open;
  const char *close;

  g_assert_cmpuint (request (f, "POST", "/chat/completions", body, &reply), ==, 200);
  content = json_object_get_string_member (
    json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (parse (reply, &outer),
                                                                   "choices"), 0),
      "message"),
    "content");
  /* Fenced or with a preamble now and then, as models write it: the object inside. */
  open = strchr (content, '{');
  close = strrchr (content, '}');
  g_assert_nonnull (open);
  g_assert_nonnull (close);
  json = g_strndup (open, (gsize) (close - open + 1));
  return parse (json, node);
}

/* An honest critic (accuracy 1) supports the value the chain ended with, and neither an
 * invented answer nor the key of a step in the middle. */
static void
test_critic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) right_node = NULL;
  g_autoptr(JsonNode) invented_node = NULL;
  g_autoptr(JsonNode) pointer_node = NULL;
  JsonObject *right = critic_verdict (f, "amber-1234", &right_node);
  JsonObject *invented = critic_verdict (f, "copper", &invented_node);
  JsonObject *pointer = critic_verdict (f, "chain-7-3/1-ab12", &pointer_node);

  g_assert_true (json_object_get_boolean_member (right, "supported"));
  g_assert_true (json_object_get_boolean_member (right, "done"));
  g_assert_cmpint (json_object_get_int_member (right, "evidence_step"), ==, 2);
  g_assert_false (json_object_get_boolean_member (invented, "supported"));
  g_assert_true (json_object_get_null_member (invented, "evidence_step"));
  g_assert_true (json_object_get_boolean_member (pointer, "supported"));
  g_assert_false (json_object_get_boolean_member (pointer, "done"));
}

/* A small bench through the server, as build-aux/bench-error-model.sh runs it. */
static void
test_bench (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *base_url = g_strdup_printf ("--base-url=%s", f->url);
  const char *args[] = { "-p", "openai", base_url, "--model=reins-error-model",
                         "--api-key-env=REINS_TEST_NO_KEY", "--tasks=5", "--length=3",
                         "-j", "2", "--setups=linear,loop,harness", "--json", NULL };
  g_autoptr(JsonNode) node = NULL;
  JsonArray *setups;

  g_assert_cmpint (reins_test_cli_run (&f->cli, "bench", args), ==, 0);
  setups = json_object_get_array_member (parse (f->cli.out, &node), "setups");
  g_assert_cmpuint (json_array_get_length (setups), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *setup = json_array_get_object_element (setups, i);

      g_assert_cmpint (json_object_get_int_member (setup, "runs"), ==, 5);
      /* Every run reached the model: none failed at the provider. */
      g_assert_cmpint (json_object_get_int_member (setup, "failed"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (setup, "steps"), >, 0);
    }

  /* The table, as people read it. */
  args[G_N_ELEMENTS (args) - 2] = NULL;
  g_assert_cmpint (reins_test_cli_run (&f->cli, "bench", args), ==, 0);
  g_assert_nonnull (strstr (f->cli.out, "\nlinear "));
  g_assert_nonnull (strstr (f->cli.out, "\nloop "));
  g_assert_nonnull (strstr (f->cli.out, "\nharness "));
}

int
main (int   argc,
      char *argv[])
{
  static const char *always[] = { "--accuracy=1", NULL };
  static const char *honest_critic[] = { "--critic-accuracy=1", NULL };

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reins/model-server/malformed", Fixture, NULL, fixture_set_up, test_malformed,
              fixture_tear_down);
  g_test_add ("/reins/model-server/accuracy", Fixture, always, fixture_set_up, test_accuracy,
              fixture_tear_down);
  g_test_add ("/reins/model-server/deterministic", Fixture, NULL, fixture_set_up,
              test_deterministic, fixture_tear_down);
  g_test_add ("/reins/model-server/critic", Fixture, honest_critic, fixture_set_up,
              test_critic, fixture_tear_down);
  g_test_add ("/reins/model-server/bench", Fixture, NULL, fixture_set_up, test_bench,
              fixture_tear_down);

  return g_test_run ();
}
