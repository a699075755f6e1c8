/* test-import.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Traces read into runs (app/import/): OpenAI conversations with parallel tool calls and
 * several user turns, Anthropic conversations with thinking, labels, notes on what does not
 * map, malformed input with its line and position, and the same conversation imported twice.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-import.h"
#include "reins-judge.h"
#include "reins-otlp.h"
#include "reins-replay.h"
#include "reins-store.h"
#include "reins-test-util.h"

typedef struct
{
  char       *dir;
  ReinsStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("reins-import-XXXXXX", NULL);
  path = g_build_filename (f->dir, "runs.db", NULL);
  f->store = reins_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  reins_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "traces", name, NULL);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* The one run of a JSON text, not stored. */
static ReinsRun *
import_text (const char  *text,
             GPtrArray  **steps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_import_parse (text, strlen (text), NULL, 1, &error);
  ReinsRun *run;

  g_assert_no_error (error);
  run = reins_import_document (node, "test.json", 1, steps, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

static ReinsRun *
import_fixture_line (const char  *name,
                     guint        line,
                     GPtrArray  **steps)
{
  g_autofree char *path = fixture_path (name);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  if (line == 0)
    return import_text (contents, steps);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, line);
  return import_text (lines[line - 1], steps);
}

static ReinsStep *
step_at (GPtrArray *steps,
         guint      index)
{
  ReinsStep *step = g_ptr_array_index (steps, index - 1);

  g_assert_cmpuint (reins_step_get_index (step), ==, index);
  return step;
}

static void
assert_action (ReinsStep  *step,
               const char *name,
               const char *member,
               const char *value)
{
  ReinsAction *action = reins_step_get_action (step);

  g_assert_nonnull (action);
  g_assert_cmpstr (reins_action_get_name (action), ==, name);
  if (member != NULL)
    g_assert_cmpstr (reins_action_get_string_argument (action, member), ==, value);
}

static guint
n_notes (ReinsRun *run)
{
  JsonNode *notes = json_object_get_member (reins_run_get_settings (run), "import_notes");

  return notes != NULL ? json_array_get_length (json_node_get_array (notes)) : 0;
}

static gboolean
notes_mention (ReinsRun   *run,
               const char *text)
{
  JsonNode *notes = json_object_get_member (reins_run_get_settings (run), "import_notes");

  for (guint i = 0; notes != NULL && i < json_array_get_length (json_node_get_array (notes)); i++)
    if (strstr (json_array_get_string_element (json_node_get_array (notes), i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_openai_parallel (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai.jsonl", 1, &steps);
  JsonObject *labels = reins_import_get_labels (run);
  JsonObject *source = json_object_get_object_member (reins_run_get_settings (run), "source");

  g_assert_cmpstr (reins_run_get_provider (run), ==, "imported");
  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-4o");
  g_assert_cmpstr (reins_run_get_task (run), ==, "What is the weather in Paris and in Rome?");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (json_object_get_string_member (source, "format"), ==, "openai");
  g_assert_cmpint (json_object_get_int_member (source, "line"), ==, 1);
  g_assert_cmpuint (strlen (json_object_get_string_member (source, "sha256")), ==, 64);

  /* Two parallel calls, one step each, paired with results given in the other order. */
  g_assert_cmpuint (steps->len, ==, 3);
  assert_action (step_at (steps, 1), "get_weather", "city", "Paris");
  g_assert_cmpstr (reins_action_get_call_id (reins_step_get_action (step_at (steps, 1))), ==,
                   "call_1");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "Paris: 18 C, cloudy");
  g_assert_cmpstr (reins_step_get_thought (step_at (steps, 1)), ==, "I will look both up.");
  assert_action (step_at (steps, 2), "get_weather", "city", "Rome");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "Rome: 24 C, sunny");
  g_assert_null (reins_step_get_thought (step_at (steps, 2)));
  assert_action (step_at (steps, 3), "finish", "answer",
                 "Paris is 18 C and cloudy; Rome is 24 C and sunny.");
  g_assert_cmpstr (reins_run_get_final_answer (run), ==,
                   "Paris is 18 C and cloudy; Rome is 24 C and sunny.");

  /* Labels, and the system prompt kept; nothing needed a note. */
  g_assert_cmpstr (json_object_get_string_member (labels, "task_id"), ==, "weather-1");
  g_assert_true (json_object_get_boolean_member (labels, "success"));
  g_assert_cmpfloat (json_object_get_double_member (labels, "reward"), ==, 1.0);
  g_assert_false (json_object_has_member (labels, "messages"));
  g_assert_cmpstr (json_object_get_string_member (reins_run_get_settings (run), "system_prompt"),
                   ==, "You are a helpful agent.");
  g_assert_cmpuint (n_notes (run), ==, 0);
}

static void
test_openai_user_turns (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai.jsonl", 2, &steps);
  JsonObject *labels = reins_import_get_labels (run);

  /* A question back, the person's answer, then two calls; the last has no result. */
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_null (reins_step_get_action (step_at (steps, 1)));
  g_assert_cmpstr (reins_step_get_reply (step_at (steps, 1)), ==, "Which account is the order on?");
  g_assert_null (reins_step_get_action (step_at (steps, 2)));
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "The ACME account.");
  assert_action (step_at (steps, 3), "delete_order", NULL, NULL);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 3)), ==, "error: order 42 is locked");
  assert_action (step_at (steps, 4), "delete_order", NULL, NULL);
  g_assert_null (reins_step_get_observation (step_at (steps, 4)));

  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_TERMINATED);
  g_assert_null (reins_run_get_final_answer (run));
  g_assert_true (notes_mention (run, "“c2” has no result"));
  g_assert_cmpuint (n_notes (run), ==, 1);

  /* Labels from the top level and from "metadata". */
  g_assert_cmpstr (json_object_get_string_member (labels, "outcome"), ==, "failure");
  g_assert_cmpstr (json_object_get_string_member (labels, "customer"), ==, "ACME");
  g_assert_cmpint (json_object_get_int_member (labels, "tier"), ==, 2);
}

static void
test_anthropic (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("anthropic.json", 0, &steps);
  JsonObject *source = json_object_get_object_member (reins_run_get_settings (run), "source");
  JsonObject *labels = reins_import_get_labels (run);

  g_assert_cmpstr (json_object_get_string_member (source, "format"), ==, "anthropic");
  g_assert_cmpstr (reins_run_get_model (run), ==, "claude-sonnet-4");
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "web_search", "query", "Lyon population");
  g_assert_cmpstr (reins_step_get_thought (step_at (steps, 1)), ==,
                   "I should search for the latest census figure.");
  g_assert_cmpstr (reins_step_get_reply (step_at (steps, 1)), ==, "Let me search.");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "Lyon: 522,000 (2021)");
  assert_action (step_at (steps, 2), "finish", "answer", "Lyon has about 522,000 inhabitants.");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);

  /* The image block is not dropped silently. */
  g_assert_cmpuint (n_notes (run), ==, 1);
  g_assert_true (notes_mention (run, "“image” block"));
  g_assert_cmpstr (json_object_get_string_member (labels, "task_id"), ==, "search-3");
  g_assert_false (json_object_get_boolean_member (labels, "success"));
}

static void
test_anthropic_error_result (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"messages\": [{\"role\": \"user\", \"content\": \"Read a.txt\"},"
                 "{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t1\","
                 " \"name\": \"read\", \"input\": {\"path\": \"a.txt\"}}]},"
                 "{\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\":"
                 " \"t1\", \"is_error\": true, \"content\": \"no such file\"}]},"
                 "{\"role\": \"user\", \"content\": \"Try b.txt\"}]}", &steps);

  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_true (reins_step_get_tool_error (step_at (steps, 1)));
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "no such file");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "Try b.txt");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_TERMINATED);
}

static void
test_message_array (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"2+2?\"}]},"
                 " {\"role\": \"tool\", \"tool_call_id\": \"nope\", \"content\": \"stray\"},"
                 " {\"role\": \"assistant\", \"content\": \"4\"}]", &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "2+2?");
  g_assert_cmpuint (steps->len, ==, 1);
  assert_action (step_at (steps, 1), "finish", "answer", "4");
  /* A result for a call that is not there is a note, not lost. */
  g_assert_true (notes_mention (run, "stray"));
}

static void
test_bad_arguments (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"messages\": [{\"role\": \"user\", \"content\": \"go\"},"
                 "{\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"x\", \"function\":"
                 " {\"name\": \"run\", \"arguments\": \"{not json\"}}]}]}", &steps);

  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpstr (reins_action_get_string_argument (reins_step_get_action (step_at (steps, 1)),
                                                     "input"), ==, "{not json");
  g_assert_true (notes_mention (run, "not JSON"));
}

/* What real OpenAI logs hold: content as parts (an image among them), arguments as an
 * object or empty, a refusal part, a developer and a second system message, `name`. */
static void
test_openai_parts (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai-shapes.jsonl", 1, &steps);
  JsonObject *settings = reins_run_get_settings (run);
  JsonArray *notes = json_object_get_array_member (settings, "import_notes");

  g_assert_cmpstr (reins_run_get_task (run), ==, "Buy the cheapest kettle");
  g_assert_cmpstr (json_object_get_string_member (settings, "system_prompt"), ==,
                   "You are a shopping agent.\n\nNever pay more than 50 EUR.");
  g_assert_cmpuint (steps->len, ==, 3);
  assert_action (step_at (steps, 1), "search", "query", "kettle");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "Kettle K1: 19 EUR");
  assert_action (step_at (steps, 2), "list_cart", NULL, NULL);
  g_assert_cmpuint (json_object_get_size (reins_action_get_arguments (reins_step_get_action (step_at (steps, 2)))), ==, 0);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "[]");
  assert_action (step_at (steps, 3), "finish", "answer",
                 "I cannot pay for you.\n\nI can't complete purchases.");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);

  /* Only the image is a note, and a short one: its base64 is not copied whole. */
  g_assert_cmpuint (n_notes (run), ==, 1);
  g_assert_true (notes_mention (run, "image_url"));
  g_assert_cmpuint (strlen (json_array_get_string_element (notes, 0)), <, 300);
  g_assert_false (json_object_get_boolean_member (reins_import_get_labels (run), "success"));
}

/* A logged call: the request's messages and the response's first choice, with legacy
 * function calls, arguments encoded twice, a result without its call id, tokens as text. */
static void
test_openai_request_response (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai-shapes.jsonl", 2, &steps);
  JsonObject *labels = reins_import_get_labels (run);

  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-4o-2024-08-06");
  g_assert_cmpstr (reins_run_get_task (run), ==, "How many files are in /tmp?");
  g_assert_cmpuint (steps->len, ==, 3);
  assert_action (step_at (steps, 1), "shell", "command", "ls /tmp | wc -l");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "12");
  assert_action (step_at (steps, 2), "shell", "command", "ls -a /tmp | wc -l");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "14");
  assert_action (step_at (steps, 3), "finish", "answer", "There are 12 files, 14 with hidden ones.");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 3)), ==, 310);
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 3)), ==, 12);
  g_assert_cmpuint (n_notes (run), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (labels, "task_id"), ==, "files-2");
  g_assert_cmpint (json_object_get_int_member (labels, "reward"), ==, 1);
  g_assert_false (json_object_has_member (labels, "request"));
  g_assert_false (json_object_has_member (labels, "response"));
}

static void
test_openai_refusal (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai-shapes.jsonl", 3, &steps);

  g_assert_cmpuint (steps->len, ==, 1);
  assert_action (step_at (steps, 1), "finish", "answer", "I can't help with that.");
  g_assert_true (notes_mention (run, "refused"));
}

/* An Anthropic request and response: system as blocks, cache tokens, redacted thinking,
 * a tool result of text and an image, an error result. */
static void
test_anthropic_log (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("anthropic-log.json", 0, &steps);
  JsonObject *settings = reins_run_get_settings (run);
  JsonObject *labels = reins_import_get_labels (run);

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings, "source"), "format"), ==, "anthropic");
  g_assert_cmpstr (json_object_get_string_member (settings, "system_prompt"), ==,
                   "You are a careful agent.");
  g_assert_cmpstr (reins_run_get_task (run), ==, "What does notes.txt say?");
  g_assert_cmpuint (steps->len, ==, 3);
  assert_action (step_at (steps, 1), "read_file", "path", "notes.txt");
  g_assert_cmpstr (reins_step_get_thought (step_at (steps, 1)), ==, "I need to read the file first.");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "Buy milk.");
  /* Cache reads and writes are input the model saw. */
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 1542);
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 1)), ==, 40);
  g_assert_true (reins_step_get_tool_error (step_at (steps, 2)));
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "missing path");
  assert_action (step_at (steps, 3), "finish", "answer", "It says: Buy milk.");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 3)), ==, 1520);
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "It says: Buy milk.");

  g_assert_cmpuint (n_notes (run), ==, 2);
  g_assert_true (notes_mention (run, "redacted_thinking"));
  g_assert_true (notes_mention (run, "image"));
  g_assert_true (json_object_get_boolean_member (labels, "success"));
  g_assert_cmpstr (json_object_get_string_member (labels, "user_id"), ==, "u-1");
}

/* JSON that is no trace: refused with an error, no run. */
static void
assert_refused (const char **texts,
                guint        n_texts)
{
  for (guint i = 0; i < n_texts; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = reins_import_parse (texts[i], strlen (texts[i]), NULL, 1, &error);
      g_autoptr(GPtrArray) steps = NULL;
      g_autoptr(ReinsRun) run = NULL;

      g_assert_no_error (error);
      run = reins_import_document (node, "x.json", 1, &steps, &error);
      g_assert_null (run);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
    }
}

static void
test_not_a_conversation (void)
{
  const char *texts[] = {
    "{\"foo\": 1}",
    "[{\"role\": \"user\", \"content\": \"a\"}, 7]",
    "[{\"role\": \"user\", \"content\": \"a\"}, {\"content\": \"no role\"}]",
    "42",
  };

  assert_refused (texts, G_N_ELEMENTS (texts));
}

static void
test_parse_bounded (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"messages\": ");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < REINS_IMPORT_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, '[');
  node = reins_import_parse (deep->str, deep->len, "deep.jsonl", 7, &error);
  g_assert_null (node);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  /* The bracket past the limit: the 64th after the object's brace. */
  g_assert_true (g_str_has_prefix (error->message, "deep.jsonl:7:77: "));
  g_clear_error (&error);

  /* Brackets inside strings do not count. */
  node = reins_import_parse ("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}",
                             strlen ("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}"),
                             NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  node = reins_import_parse ("{\"a\": \"\xff\"}", 10, "bad.json", 3, &error);
  g_assert_null (node);
  g_assert_true (g_str_has_prefix (error->message, "bad.json:3:8: "));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  node = reins_import_parse ("{\n \"a\": 1,\n \"b\": }", 17, "bad.json", 1, &error);
  g_assert_null (node);
  g_assert_true (g_str_has_prefix (error->message, "bad.json:3:"));
  g_clear_error (&error);

  node = reins_import_parse ("   ", 3, NULL, 1, &error);
  g_assert_null (node);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
}

static void
test_file_malformed_keeps_before (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path =
    write_file (f, "bad.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"one\"}]}\n"
                "\n"
                "{\"messages\": [{\"role\": \"user\", \"content\": \"two\"}]}\n"
                "{\"messages\": [{\"role\": \"user\", \"content\": \"three\"}, }\n"
                "{\"messages\": [{\"role\": \"user\", \"content\": \"four\"}]}\n", -1);
  ReinsImportStats stats = { 0 };
  g_autofree char *expected = g_strdup_printf ("%s:4:", path);

  g_assert_false (reins_import_file (f->store, path, &stats, NULL, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpuint (reins_store_count_runs (f->store, -1, NULL), ==, 2);
  g_clear_error (&error);

  /* A line that is JSON but not a conversation: also an error naming its line. */
  g_free (path);
  path = write_file (f, "odd.jsonl",
                     "{\"messages\": [{\"role\": \"user\", \"content\": \"five\"}]}\n"
                     "[1, 2]\n", -1);
  g_assert_false (reins_import_file (f->store, path, &stats, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_assert_cmpuint (reins_store_count_runs (f->store, -1, NULL), ==, 3);
  g_clear_error (&error);

  g_free (path);
  path = write_file (f, "empty.jsonl", "\n\n", -1);
  g_assert_false (reins_import_file (f->store, path, &stats, NULL, NULL, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (reins_import_file (f->store, "/nonexistent/x.jsonl", &stats, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
count_cb (ReinsRun *run,
          gboolean  duplicate,
          gpointer  user_data)
{
  guint *counts = user_data;

  counts[duplicate ? 1 : 0]++;
}

static void
test_file_duplicates (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = fixture_path ("openai.jsonl");
  g_autofree char *json = fixture_path ("anthropic.json");
  ReinsImportStats stats = { 0 };
  guint counts[2] = { 0, 0 };
  g_autofree char *pretty = NULL;
  g_autoptr(ReinsRun) run = NULL;

  g_assert_true (reins_import_file (f->store, jsonl, &stats, count_cb, counts, &error));
  g_assert_no_error (error);
  g_assert_true (reins_import_file (f->store, json, &stats, count_cb, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 3);
  g_assert_cmpuint (stats.duplicates, ==, 0);
  g_assert_cmpuint (stats.notes, ==, 2);
  g_assert_cmpuint (counts[0], ==, 3);

  /* The same file again: recognised, nothing stored twice. */
  g_assert_true (reins_import_file (f->store, jsonl, &stats, count_cb, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 3);
  g_assert_cmpuint (stats.duplicates, ==, 2);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_cmpuint (reins_store_count_runs (f->store, -1, NULL), ==, 3);

  /* The first conversation, laid out over lines in a file of its own: still the same. */
  pretty = write_file (f, "one.json",
                       "{\n  \"reward\": 1.0, \"success\": true, \"task_id\": \"weather-1\",\n"
                       "  \"model\": \"gpt-4o\",\n  \"messages\": [{\"role\": \"system\", \"content\": \"You are a helpful agent.\"}, {\"role\": \"user\", \"content\": \"What is the weather in Paris and in Rome?\"}, {\"role\": \"assistant\", \"content\": \"I will look both up.\", \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}}, {\"id\": \"call_2\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Rome\\\"}\"}}]}, {\"role\": \"tool\", \"tool_call_id\": \"call_2\", \"content\": \"Rome: 24 C, sunny\"}, {\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"Paris: 18 C, cloudy\"}, {\"role\": \"assistant\", \"content\": \"Paris is 18 C and cloudy; Rome is 24 C and sunny.\"}]\n}\n",
                       -1);
  g_assert_true (reins_import_file (f->store, pretty, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.duplicates, ==, 3);
  g_assert_cmpuint (reins_store_count_runs (f->store, -1, NULL), ==, 3);

  /* What was stored reads back with its steps and labels. */
  {
    g_autoptr(GPtrArray) steps = NULL;
    g_autoptr(ReinsRun) parsed = import_fixture_line ("openai.jsonl", 1, &steps);
    g_autoptr(GPtrArray) stored = NULL;

    run = reins_store_get_run (f->store, reins_run_get_id (parsed), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (reins_run_get_provider (run), ==, "imported");
    g_assert_cmpstr (json_object_get_string_member (reins_import_get_labels (run), "task_id"), ==,
                     "weather-1");
    stored = reins_store_get_steps (f->store, reins_run_get_id (run), 1, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 3);
    assert_action (step_at (stored, 2), "get_weather", "city", "Rome");
  }
}

/* Imported steps are judged as stored runs are. */
static void
test_replay_imported (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai.jsonl", 2, &steps);
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) denied = NULL;
  g_autoptr(JsonObject) overrides = json_object_new ();
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *deny = json_array_new ();

  plain = reins_replay_run (run, steps, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->len, ==, 4);
  for (guint i = 0; i < plain->len; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (plain, i);

      g_assert_true (entry->replayed_worst == NULL ||
                     g_strcmp0 (reins_verdict_get_guard (entry->replayed_worst), "policy") != 0);
    }

  json_array_add_string_element (deny, "delete_order");
  json_object_set_array_member (overrides, "deny_tools", deny);
  settings = reins_replay_settings_merge (reins_run_get_settings (run), overrides);
  denied = reins_replay_run (run, steps, settings, &error);
  g_assert_no_error (error);
  for (guint i = 2; i < 4; i++)
    {
      ReinsReplayStep *entry = g_ptr_array_index (denied, i);

      g_assert_nonnull (entry->replayed_worst);
      g_assert_cmpstr (reins_verdict_get_guard (entry->replayed_worst), ==, "policy");
      g_assert_true (entry->changed);
    }
}


/* A run as Reins makes them: a thought and a reply, a tool call with a verdict and a
 * person's decision, a failed tool, a later user turn, and the answer. */
static ReinsRun *
native_run (GPtrArray **steps)
{
  g_autoptr(ReinsRun) run = reins_run_new ("Count the files");
  g_autoptr(JsonObject) settings = json_object_new ();
  JsonObject *labels = json_object_new ();
  *steps = g_ptr_array_new_with_free_func (g_object_unref);

  reins_run_set_provider (run, "openai");
  reins_run_set_model (run, "gpt-4o-mini");
  json_object_set_string_member (labels, "task_id", "files-1");
  json_object_set_double_member (labels, "reward", 0.25);
  json_object_set_object_member (settings, "labels", labels);
  reins_run_set_settings (run, settings);

  {
    g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 1);
    g_autoptr(JsonObject) args = json_object_new ();
    g_autoptr(ReinsAction) action = NULL;
    g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("policy", REINS_VERDICT_ASK,
                                                         "shell runs a program");
    g_autoptr(ReinsApprovalRecord) record = NULL;

    json_object_set_string_member (args, "command", "ls | wc -l");
    action = reins_action_new_with_id ("shell", args, "call_9");
    reins_step_set_thought (step, "List the files, then count.");
    reins_step_set_reply (step, "{\"tool\": \"shell\"}");
    reins_step_set_action (step, action);
    reins_step_set_observation (step, "12");
    reins_step_set_tokens (step, 120, 30);
    reins_step_set_started_at (step, 1700000000000000);
    reins_step_set_duration_ms (step, 250);
    reins_verdict_set_phase (verdict, REINS_VERDICT_PHASE_BEFORE_ACTION);
    reins_step_add_verdict (step, verdict);
    record = reins_approval_record_new (1, "policy", "shell runs a program", action, NAN);
    reins_approval_record_resolve (record, REINS_DECISION_APPROVE, NULL, "fine", 1700000000100000);
    reins_step_add_approval (step, record);
    g_ptr_array_add (*steps, g_steal_pointer (&step));
  }
  {
    g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 2);
    g_autoptr(JsonObject) args = json_object_new ();
    g_autoptr(ReinsAction) action = NULL;

    json_object_set_string_member (args, "path", "missing.txt");
    action = reins_action_new_with_id ("read_file", args, "call_10");
    reins_step_set_thought (step, "Check the notes.");
    reins_step_set_action (step, action);
    reins_step_set_observation (step, "no such file");
    reins_step_set_tool_error (step, TRUE);
    reins_step_set_started_at (step, 1700000001000000);
    g_ptr_array_add (*steps, g_steal_pointer (&step));
  }
  {
    g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 3);

    reins_step_set_observation (step, "Count hidden files too.");
    reins_step_set_started_at (step, 1700000002000000);
    g_ptr_array_add (*steps, g_steal_pointer (&step));
  }
  {
    g_autoptr(ReinsStep) step = reins_step_new (reins_run_get_id (run), 4);
    g_autoptr(JsonObject) args = json_object_new ();
    g_autoptr(ReinsAction) action = NULL;
    g_autoptr(ReinsVerdict) verdict = reins_verdict_new ("grounding", REINS_VERDICT_ALLOW, "ok");

    json_object_set_string_member (args, "answer", "14 files");
    action = reins_action_new ("finish", args);
    reins_step_set_thought (step, "Done.");
    reins_step_set_action (step, action);
    reins_step_set_started_at (step, 1700000003000000);
    reins_verdict_set_phase (verdict, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
    reins_step_add_verdict (step, verdict);
    g_ptr_array_add (*steps, g_steal_pointer (&step));
  }
  reins_run_set_final_answer (run, "14 files");
  reins_run_set_status (run, REINS_RUN_STATUS_COMPLETED);
  reins_run_set_tokens (run, 120, 30);
  reins_run_set_step_count (run, 4);
  return g_steal_pointer (&run);
}

static JsonObject *
attributes_object (JsonObject *span)
{
  JsonObject *result = json_object_new ();
  JsonArray *attributes = json_object_get_array_member (span, "attributes");

  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = json_array_get_object_element (attributes, i);

      json_object_set_member (result, json_object_get_string_member (attribute, "key"),
                              json_node_copy (json_object_get_member (attribute, "value")));
    }
  return result;
}

static void
test_otlp_round_trip (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = native_run (&steps);
  g_autofree char *text = reins_otlp_export (run, steps, TRUE);
  g_autofree char *again = reins_otlp_export (run, steps, TRUE);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(ReinsRun) imported = import_text (text, &back);
  JsonObject *labels = reins_import_get_labels (imported);

  /* Written the same way twice, and read back with the same steps. */
  g_assert_cmpstr (text, ==, again);
  g_assert_cmpstr (reins_run_get_task (imported), ==, "Count the files");
  g_assert_cmpstr (reins_run_get_model (imported), ==, "gpt-4o-mini");
  g_assert_cmpstr (reins_run_get_final_answer (imported), ==, "14 files");
  g_assert_cmpint (reins_run_get_status (imported), ==, REINS_RUN_STATUS_COMPLETED);
  g_assert_cmpstr (json_object_get_string_member (labels, "task_id"), ==, "files-1");
  g_assert_cmpfloat (json_object_get_double_member (labels, "reward"), ==, 0.25);
  g_assert_cmpuint (back->len, ==, steps->len);
  for (guint i = 0; i < steps->len; i++)
    {
      ReinsStep *a = g_ptr_array_index (steps, i);
      ReinsStep *b = g_ptr_array_index (back, i);
      GPtrArray *va = reins_step_get_verdicts (a);
      GPtrArray *vb = reins_step_get_verdicts (b);

      g_assert_cmpstr (reins_step_get_thought (a), ==, reins_step_get_thought (b));
      g_assert_cmpstr (reins_step_get_reply (a), ==, reins_step_get_reply (b));
      g_assert_cmpstr (reins_step_get_observation (a), ==, reins_step_get_observation (b));
      g_assert_cmpint (reins_step_get_tool_error (a), ==, reins_step_get_tool_error (b));
      g_assert_cmpuint (reins_step_get_input_tokens (a), ==, reins_step_get_input_tokens (b));
      g_assert_cmpuint (reins_step_get_output_tokens (a), ==, reins_step_get_output_tokens (b));
      g_assert_true ((reins_step_get_action (a) == NULL) == (reins_step_get_action (b) == NULL));
      if (reins_step_get_action (a) != NULL)
        g_assert_true (reins_action_equal (reins_step_get_action (a), reins_step_get_action (b)));
      g_assert_cmpuint (va->len, ==, vb->len);
      for (guint v = 0; v < va->len; v++)
        {
          g_assert_cmpstr (reins_verdict_get_guard (g_ptr_array_index (va, v)), ==,
                           reins_verdict_get_guard (g_ptr_array_index (vb, v)));
          g_assert_cmpint (reins_verdict_get_kind (g_ptr_array_index (va, v)), ==,
                           reins_verdict_get_kind (g_ptr_array_index (vb, v)));
          g_assert_cmpint (reins_verdict_get_phase (g_ptr_array_index (va, v)), ==,
                           reins_verdict_get_phase (g_ptr_array_index (vb, v)));
        }
      g_assert_cmpuint (reins_step_get_approvals (a)->len, ==, reins_step_get_approvals (b)->len);
    }
  g_assert_cmpint (reins_approval_record_get_decision (g_ptr_array_index (reins_step_get_approvals (g_ptr_array_index (back, 0)), 0)),
                   ==, REINS_DECISION_APPROVE);
  g_assert_cmpstr (reins_approval_record_get_feedback (g_ptr_array_index (reins_step_get_approvals (g_ptr_array_index (back, 0)), 0)),
                   ==, "fine");
}

/* The spans follow the GenAI conventions; without content no words leave. */
static void
test_otlp_conventions (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = native_run (&steps);
  g_autofree char *text = reins_otlp_export (run, steps, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = reins_json_from_string (text, &error);
  JsonObject *resource = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "resourceSpans"), 0);
  JsonObject *scope = json_array_get_object_element (json_object_get_array_member (resource, "scopeSpans"), 0);
  JsonArray *spans = json_object_get_array_member (scope, "spans");
  guint chats = 0, tools = 0, agents = 0, verdict_events = 0, approval_events = 0;
  const char *root_id = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(ReinsRun) imported = NULL;

  g_assert_no_error (error);
  g_assert_null (strstr (text, "ls | wc -l"));
  g_assert_null (strstr (text, "Count the files"));
  g_assert_null (strstr (text, "no such file"));
  g_assert_null (strstr (text, "fine"));

  for (guint i = 0; i < json_array_get_length (spans); i++)
    {
      JsonObject *span = json_array_get_object_element (spans, i);
      g_autoptr(JsonObject) attributes = attributes_object (span);
      const char *operation = json_object_get_string_member (json_object_get_object_member (attributes, "gen_ai.operation.name"), "stringValue");
      JsonNode *events = json_object_get_member (span, "events");

      g_assert_cmpuint (strlen (json_object_get_string_member (span, "traceId")), ==, 32);
      g_assert_cmpuint (strlen (json_object_get_string_member (span, "spanId")), ==, 16);
      for (guint e = 0; events != NULL && e < json_array_get_length (json_node_get_array (events)); e++)
        {
          const char *name = json_object_get_string_member (json_array_get_object_element (json_node_get_array (events), e), "name");

          verdict_events += g_str_equal (name, "reins.verdict");
          approval_events += g_str_equal (name, "reins.approval");
        }
      if (g_str_equal (operation, "invoke_agent"))
        {
          agents++;
          root_id = json_object_get_string_member (span, "spanId");
          g_assert_false (json_object_has_member (span, "parentSpanId"));
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (attributes, "gen_ai.provider.name"), "stringValue"), ==, "openai");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (attributes, "gen_ai.usage.input_tokens"), "intValue"), ==, "120");
          g_assert_true (json_object_has_member (attributes, "reins.label.task_id"));
          g_assert_false (json_object_has_member (attributes, "gen_ai.input.messages"));
        }
      else if (g_str_equal (operation, "chat"))
        {
          chats++;
          g_assert_cmpstr (json_object_get_string_member (span, "parentSpanId"), ==, root_id);
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (attributes, "gen_ai.request.model"), "stringValue"), ==, "gpt-4o-mini");
          g_assert_true (json_object_has_member (attributes, "gen_ai.response.finish_reasons"));
          g_assert_false (json_object_has_member (attributes, "gen_ai.output.messages"));
        }
      else if (g_str_equal (operation, "execute_tool"))
        {
          tools++;
          g_assert_true (json_object_has_member (attributes, "gen_ai.tool.name"));
          g_assert_true (json_object_has_member (attributes, "gen_ai.tool.call.id"));
          g_assert_false (json_object_has_member (attributes, "gen_ai.tool.call.arguments"));
          g_assert_false (json_object_has_member (attributes, "gen_ai.tool.call.result"));
        }
    }
  /* The user turn is an event of the run, not a model call. */
  g_assert_cmpuint (agents, ==, 1);
  g_assert_cmpuint (chats, ==, 3);
  g_assert_cmpuint (tools, ==, 3);
  g_assert_cmpuint (verdict_events, ==, 2);
  g_assert_cmpuint (approval_events, ==, 1);

  /* Without content it still reads back into the same shape of steps. */
  imported = import_text (text, &back);
  g_assert_cmpuint (back->len, ==, 4);
  assert_action (step_at (back, 1), "shell", NULL, NULL);
  g_assert_true (reins_step_get_tool_error (step_at (back, 2)));
  g_assert_null (reins_step_get_action (step_at (back, 3)));
}

/* Spans of another framework: no reins.* attributes, ordered by time, labels from the
 * agent span's own attributes, other operations as notes. */
static void
test_otlp_foreign (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-agent.json", 0, &steps);
  JsonObject *labels = reins_import_get_labels (run);

  g_assert_cmpstr (reins_run_get_task (run), ==, "What is 6 times 7?");
  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-4.1");
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "calculator", NULL, NULL);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "42");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 50);
  g_assert_cmpstr (reins_step_get_reply (step_at (steps, 2)), ==, "6 times 7 is 42.");
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "6 times 7 is 42.");
  g_assert_cmpstr (json_object_get_string_member (labels, "session.outcome"), ==, "success");
  g_assert_true (notes_mention (run, "retrieve"));
}

/* OpenLLMetry: a workflow span, `openai.chat` spans with flattened gen_ai.prompt.N and
 * gen_ai.completion.N (tool calls among them), tokens under their older names, no
 * execute_tool span: the call's result comes from the next chat's input. */
static void
test_otlp_openllmetry (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-shapes.jsonl", 1, &steps);
  JsonObject *settings = reins_run_get_settings (run);

  g_assert_cmpstr (reins_run_get_task (run), ==, "Where is order 7?");
  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-4o-mini");
  g_assert_cmpstr (json_object_get_string_member (settings, "system_prompt"), ==,
                   "You help with orders.");
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "lookup_order", NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (reins_action_get_arguments (reins_step_get_action (step_at (steps, 1))), "order"), ==, 7);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "shipped on Monday");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 41);
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 1)), ==, 9);
  assert_action (step_at (steps, 2), "finish", "answer", "Order 7 shipped on Monday.");
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 2)), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (reins_import_get_labels (run), "ticket.outcome"),
                   ==, "failure");
  g_assert_false (json_object_has_member (reins_import_get_labels (run), "traceloop.entity.input"));
  g_assert_cmpuint (n_notes (run), ==, 0);
}

/* OpenInference: AGENT, LLM and TOOL span kinds, llm.input_messages.N.message.*, a tool that
 * failed with its status given by name, a span of another kind as a note. */
static void
test_otlp_openinference (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-shapes.jsonl", 2, &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "Convert 3 km to miles");
  g_assert_cmpstr (reins_run_get_model (run), ==, "gpt-4.1-mini");
  g_assert_cmpuint (steps->len, ==, 3);
  assert_action (step_at (steps, 1), "convert", NULL, NULL);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "1.864");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 25);
  g_assert_false (reins_step_get_tool_error (step_at (steps, 1)));
  assert_action (step_at (steps, 2), "lookup_rate", "unit", "mile");
  g_assert_true (reins_step_get_tool_error (step_at (steps, 2)));
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "rate service down");
  assert_action (step_at (steps, 3), "finish", "answer", "About 1.86 miles.");
  g_assert_cmpstr (json_object_get_string_member (reins_import_get_labels (run), "session.id"),
                   ==, "s-9");
  g_assert_true (notes_mention (run, "retriever"));
  g_assert_cmpuint (n_notes (run), ==, 1);
}

/* The older conventions' events: gen_ai.system/user/tool.message and gen_ai.choice, with
 * the body as attributes or as JSON in gen_ai.event.content; tokens as text. */
static void
test_otlp_events (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-shapes.jsonl", 3, &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "What time is it in Tokyo?");
  g_assert_cmpstr (json_object_get_string_member (reins_run_get_settings (run), "system_prompt"),
                   ==, "Be brief.");
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "clock", "tz", "Asia/Tokyo");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "09:15");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 30);
  assert_action (step_at (steps, 2), "finish", "answer", "It is 09:15 in Tokyo.");
  /* Only the missing agent span is a note: the message events are read. */
  g_assert_cmpuint (n_notes (run), ==, 1);
  g_assert_true (notes_mention (run, "invoke_agent"));
}

/* The current conventions without execute_tool spans: tool_call parts in a chat's output,
 * tool_call_response parts in the next chat's input, system instructions, reasoning. */
static void
test_otlp_parts (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-shapes.jsonl", 4, &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "Delete tmp.txt");
  g_assert_cmpstr (json_object_get_string_member (reins_run_get_settings (run), "system_prompt"),
                   ==, "Plan before acting.");
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "shell", "command", "rm tmp.txt");
  g_assert_cmpstr (reins_step_get_thought (step_at (steps, 1)), ==, "A shell call will do.");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==,
                   "rm: cannot remove 'tmp.txt': Permission denied");
  assert_action (step_at (steps, 2), "finish", "answer", "I could not delete it: permission denied.");
  g_assert_cmpint (reins_run_get_status (run), ==, REINS_RUN_STATUS_COMPLETED);
}

/* Attributes of the wrong types or broken JSON: read as far as they go, never a crash. */
static void
test_otlp_odd_values (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": ["
                 "{\"traceId\": \"e5\", \"name\": \"chat x\", \"attributes\": ["
                 "{\"key\": \"gen_ai.input.messages\", \"value\": {\"stringValue\": \"[{broken\"}},"
                 "{\"key\": \"gen_ai.output.messages\", \"value\": {\"arrayValue\": {\"values\": [{\"intValue\": 3}]}}},"
                 "{\"key\": \"gen_ai.usage.input_tokens\", \"value\": {\"intValue\": \"many\"}},"
                 "{\"key\": \"gen_ai.usage.output_tokens\", \"value\": {\"stringValue\": \"-4\"}},"
                 "{\"key\": \"gen_ai.completion.x.role\", \"value\": {\"stringValue\": \"assistant\"}},"
                 "{\"key\": \"extra\", \"value\": {\"kvlistValue\": {\"values\": [{\"key\": \"a\", \"value\": {\"boolValue\": true}}]}}},"
                 "{\"key\": 7, \"value\": null}]},"
                 "{\"traceId\": \"e5\", \"name\": \"execute_tool\", \"status\": {\"code\": \"2\"},"
                 " \"attributes\": [{\"key\": \"gen_ai.tool.call.arguments\", \"value\": {\"stringValue\": \"\"}}]}"
                 "]}]}]}", &steps);

  /* The broken input is kept as the task's text; the tool span has neither name nor
   * arguments, and failed. */
  g_assert_cmpstr (reins_run_get_task (run), ==, "[{broken");
  g_assert_cmpuint (steps->len, ==, 1);
  assert_action (step_at (steps, 1), "execute_tool", NULL, NULL);
  g_assert_true (reins_step_get_tool_error (step_at (steps, 1)));
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 0);
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 1)), ==, 0);
}

static void
collect_run (ReinsRun *run,
             gboolean  duplicate,
             gpointer  user_data)
{
  g_ptr_array_add (user_data, g_object_ref (run));
}

/* @path imported into the fixture's store, without an error: the runs read, in order. */
static GPtrArray *
import_runs (Fixture          *f,
             const char       *path,
             ReinsImportStats *stats)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (reins_import_file (f->store, path, stats, collect_run, runs, &error));
  g_assert_no_error (error);
  return runs;
}

/* The steps the fixture's store holds for @run. */
static GPtrArray *
stored_steps (Fixture  *f,
              ReinsRun *run)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *steps = reins_store_get_steps (f->store, reins_run_get_id (run), 1, 0, &error);

  g_assert_no_error (error);
  return steps;
}

/* Recorded server-sent events of OpenAI chunks: `data:` lines, `[DONE]`, tool-call
 * arguments in pieces by index, usage in the last chunk; a new id starts a new reply. */
static void
test_file_openai_stream (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_path ("openai-stream.sse");
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsImportStats stats = { 0 };
  ReinsRun *run;

  runs = import_runs (f, path, &stats);
  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpuint (runs->len, ==, 2);

  run = g_ptr_array_index (runs, 0);
  steps = stored_steps (f, run);
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "search", "q", "kettle");
  g_assert_cmpstr (reins_action_get_call_id (reins_step_get_action (step_at (steps, 1))), ==, "call_s");
  g_assert_cmpuint (reins_step_get_input_tokens (step_at (steps, 1)), ==, 70);
  g_assert_cmpuint (reins_step_get_output_tokens (step_at (steps, 1)), ==, 22);
  assert_action (step_at (steps, 2), "time", NULL, NULL);
  g_clear_pointer (&steps, g_ptr_array_unref);

  run = g_ptr_array_index (runs, 1);
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "Hello!");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (reins_run_get_settings (run), "source"), "line"), ==, 10);

  /* The same stream again is known. */
  g_assert_true (reins_import_file (f->store, path, &stats, NULL, NULL, &error));
  g_assert_cmpuint (stats.duplicates, ==, 2);
  g_assert_cmpuint (reins_store_count_runs (f->store, -1, NULL), ==, 2);
}

/* Anthropic stream events: thinking, text and a tool_use whose input comes as partial JSON;
 * usage from message_start and message_delta, cache reads counted as input. */
static void
test_file_anthropic_stream (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = fixture_path ("anthropic-stream.sse");
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsImportStats stats = { 0 };
  ReinsStep *step;

  runs = import_runs (f, path, &stats);
  g_assert_cmpuint (runs->len, ==, 1);
  steps = stored_steps (f, g_ptr_array_index (runs, 0));
  g_assert_cmpuint (steps->len, ==, 1);
  step = step_at (steps, 1);
  assert_action (step, "weather", "city", "Oslo");
  g_assert_cmpstr (reins_step_get_thought (step), ==, "The user wants the weather.");
  g_assert_cmpstr (reins_step_get_reply (step), ==, "Checking.");
  g_assert_cmpuint (reins_step_get_input_tokens (step), ==, 115);
  g_assert_cmpuint (reins_step_get_output_tokens (step), ==, 48);
}

/* A logged call whose response is the list of chunks; chunks after a malformed line are not
 * read, the reply before it stays. */
static void
test_file_stream_edges (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"request\": {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]},"
                 " \"response\": [{\"id\": \"x\", \"object\": \"chat.completion.chunk\","
                 " \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hi \"}}]},"
                 " {\"id\": \"x\", \"object\": \"chat.completion.chunk\", \"choices\":"
                 " [{\"index\": 1, \"delta\": {\"content\": \"other choice\"}},"
                 " {\"index\": 0, \"delta\": {\"content\": \"there\"}, \"finish_reason\": \"stop\"}]}]}",
                 &steps);
  g_autofree char *path =
    write_file (f, "cut.sse",
                "data: {\"id\": \"y\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"par\"}}]}\n"
                "data: {\"id\": \"y\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"tial\"}}]}\n"
                "data: {\"id\": \"y\", \"object\": \"chat.compl\n", -1);
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  ReinsImportStats stats = { 0 };
  g_autofree char *expected = NULL;

  g_assert_cmpstr (reins_run_get_task (run), ==, "hi");
  assert_action (step_at (steps, 1), "finish", "answer", "Hi there");

  expected = g_strdup_printf ("%s:3:", path);
  g_assert_false (reins_import_file (f->store, path, &stats, collect_run, runs, &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (reins_run_get_final_answer (g_ptr_array_index (runs, 0)), ==, "partial");
}

/* A conversation written a message a line, then a whole conversation on a line; a tool
 * result that is a JSON object, an empty reply. */
static void
test_file_message_lines (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path =
    write_file (f, "lines.jsonl",
                "{\"role\": \"system\", \"content\": \"Be terse.\"}\n"
                "{\"role\": \"user\", \"content\": \"Stock of item 3?\"}\n"
                "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"k\", \"type\": \"function\", \"function\": {\"name\": \"stock\", \"arguments\": \"{\\\"item\\\": 3}\"}}]}\n"
                "{\"role\": \"tool\", \"tool_call_id\": \"k\", \"content\": {\"item\": 3, \"count\": 12}}\n"
                "{\"role\": \"assistant\", \"content\": \"12 in stock.\"}\n"
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"\"}]}\n", -1);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsImportStats stats = { 0 };
  ReinsRun *run;

  runs = import_runs (f, path, &stats);
  g_assert_cmpuint (runs->len, ==, 2);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (reins_run_get_task (run), ==, "Stock of item 3?");
  g_assert_cmpstr (reins_run_get_final_answer (run), ==, "12 in stock.");
  steps = stored_steps (f, run);
  g_assert_cmpuint (steps->len, ==, 2);
  assert_action (step_at (steps, 1), "stock", NULL, NULL);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "{\"item\":3,\"count\":12}");
  g_assert_null (reins_step_get_reply (step_at (steps, 1)));
  g_assert_cmpuint (n_notes (run), ==, 0);

  /* An empty reply is no answer. */
  run = g_ptr_array_index (runs, 1);
  g_assert_null (reins_run_get_final_answer (run));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (reins_run_get_settings (run), "source"), "line"), ==, 6);
}

/* A folder: its trace files in order of name, its folders, other files left alone. */
static void
test_file_folder (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "traces", NULL);
  g_autofree char *inner = g_build_filename (folder, "more", NULL);
  g_autofree char *a = g_build_filename (folder, "a.jsonl", NULL);
  g_autofree char *b = g_build_filename (inner, "b.json", NULL);
  g_autofree char *c = g_build_filename (folder, "notes.md", NULL);
  g_autofree char *d = g_build_filename (folder, ".hidden.json", NULL);
  g_autoptr(GPtrArray) runs = NULL;
  ReinsImportStats stats = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (inner, 0700), ==, 0);
  g_file_set_contents (a, "{\"messages\": [{\"role\": \"user\", \"content\": \"one\"}]}\n"
                          "{\"messages\": [{\"role\": \"user\", \"content\": \"two\"}]}\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (b, "[{\"role\": \"user\", \"content\": \"three\"}]", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (c, "# not a trace", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (d, "{broken", -1, &error);
  g_assert_no_error (error);

  runs = import_runs (f, folder, &stats);
  g_assert_cmpuint (stats.imported, ==, 3);
  g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (runs, 0)), ==, "one");
  g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (runs, 2)), ==, "three");

  /* A broken trace file in the folder stops there, naming it. */
  g_file_set_contents (b, "[{\"role\": \"user\", \"content\": \"four\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (reins_import_file (f->store, folder, &stats, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "b.json:1:"));
  g_assert_cmpuint (stats.duplicates, ==, 2);
}

/* A messages attribute written as an array of JSON texts, one message each. */
static void
test_otlp_message_array (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": ["
                 "{\"traceId\": \"a8\", \"name\": \"chat m\", \"attributes\": ["
                 "{\"key\": \"gen_ai.input.messages\", \"value\": {\"arrayValue\": {\"values\": ["
                 "{\"stringValue\": \"{\\\"role\\\": \\\"system\\\", \\\"content\\\": \\\"Be kind.\\\"}\"},"
                 "{\"stringValue\": \"{\\\"role\\\": \\\"user\\\", \\\"content\\\": \\\"Hello?\\\"}\"}]}}},"
                 "{\"key\": \"gen_ai.output.messages\", \"value\": {\"arrayValue\": {\"values\": ["
                 "{\"stringValue\": \"{\\\"role\\\": \\\"assistant\\\", \\\"content\\\": \\\"Hi.\\\"}\"}]}}}"
                 "]}]}]}]}", &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "Hello?");
  g_assert_cmpstr (json_object_get_string_member (reins_run_get_settings (run), "system_prompt"),
                   ==, "Be kind.");
  assert_action (step_at (steps, 1), "finish", "answer", "Hi.");
}

/* Flattened messages in the order of their numbers, not of their text ("10" after "2"). */
static void
test_otlp_flattened_order (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": ["
                 "{\"traceId\": \"f6\", \"name\": \"openai.chat\", \"attributes\": ["
                 "{\"key\": \"llm.request.type\", \"value\": {\"stringValue\": \"chat\"}},"
                 "{\"key\": \"gen_ai.prompt.10.role\", \"value\": {\"stringValue\": \"user\"}},"
                 "{\"key\": \"gen_ai.prompt.10.content\", \"value\": {\"stringValue\": \"late\"}},"
                 "{\"key\": \"gen_ai.prompt.2.role\", \"value\": {\"stringValue\": \"user\"}},"
                 "{\"key\": \"gen_ai.prompt.2.content\", \"value\": {\"stringValue\": \"early\"}},"
                 "{\"key\": \"gen_ai.completion.0.content\", \"value\": {\"stringValue\": \"done\"}}"
                 "]}]}]}]}", &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "early");
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 1)), ==, "late");
  assert_action (step_at (steps, 2), "finish", "answer", "done");
}

/* A conversation with a person seen only through the chats' inputs, each repeating the
 * conversation so far: the person's later answer is a step, once. */
static void
test_otlp_user_turns (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("otlp-shapes.jsonl", 5, &steps);

  g_assert_cmpstr (reins_run_get_task (run), ==, "Book a table");
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_null (reins_step_get_action (step_at (steps, 1)));
  g_assert_cmpstr (reins_step_get_reply (step_at (steps, 1)), ==, "For how many people?");
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 2)), ==, "Four");
  assert_action (step_at (steps, 3), "book", NULL, NULL);
  g_assert_cmpstr (reins_step_get_observation (step_at (steps, 3)), ==, "{\"table\":12}");
  assert_action (step_at (steps, 4), "finish", "answer", "Booked table 12.");
}

/* OTLP/JSON a batch a line, as a collector's file exporter writes it: a trace whose spans
 * came in two batches is one run. */
static void
test_file_otlp_batches (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path =
    write_file (f, "collector.jsonl",
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"t7\", \"name\": \"execute_tool add\", \"startTimeUnixNano\": \"2000\","
                " \"attributes\": [{\"key\": \"gen_ai.tool.call.result\", \"value\": {\"stringValue\": \"3\"}}]}]}]}]}\n"
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"t7\", \"name\": \"invoke_agent calc\", \"startTimeUnixNano\": \"1000\","
                " \"attributes\": [{\"key\": \"gen_ai.input.messages\", \"value\": {\"stringValue\": \"[{\\\"role\\\": \\\"user\\\", \\\"parts\\\": [{\\\"type\\\": \\\"text\\\", \\\"content\\\": \\\"1+2?\\\"}]}]\"}}]}]}]}]}\n"
                "{\"messages\": [{\"role\": \"user\", \"content\": \"after\"}]}\n", -1);
  g_autoptr(GPtrArray) runs = NULL;
  ReinsImportStats stats = { 0 };

  runs = import_runs (f, path, &stats);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (runs, 0)), ==, "1+2?");
  g_assert_cmpuint (reins_run_get_step_count (g_ptr_array_index (runs, 0)), ==, 1);
  g_assert_cmpstr (reins_run_get_task (g_ptr_array_index (runs, 1)), ==, "after");
}

/* A collector's traces of other things beside an agent's: the agent's is read, the others
 * passed over; only other things is refused. */
static void
test_otlp_other_traces (void)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run =
    import_text ("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": ["
                 "{\"traceId\": \"h1\", \"name\": \"GET /health\"},"
                 "{\"traceId\": \"g1\", \"name\": \"chat m\", \"attributes\": ["
                 "{\"key\": \"gen_ai.output.messages\", \"value\": {\"stringValue\": \"[{\\\"role\\\": \\\"assistant\\\", \\\"parts\\\": [{\\\"type\\\": \\\"text\\\", \\\"content\\\": \\\"ok\\\"}]}]\"}}]}"
                 "]}]}]}", &steps);

  g_assert_cmpuint (steps->len, ==, 1);
  assert_action (step_at (steps, 1), "finish", "answer", "ok");
}

static void
test_otlp_malformed (void)
{
  const char *texts[] = {
    "{\"resourceSpans\": []}",
    "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [7]}]}]}",
    "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"a\", \"name\": \"db query\"}]}]}]}",
  };

  assert_refused (texts, G_N_ELEMENTS (texts));
}


static void
test_judge_outcome (void)
{
  struct { const char *labels; ReinsJudgeOutcome outcome; } cases[] = {
    { "{\"success\": true}", REINS_JUDGE_OUTCOME_SUCCESS },
    { "{\"success\": false}", REINS_JUDGE_OUTCOME_FAILURE },
    { "{\"success\": \"yes\"}", REINS_JUDGE_OUTCOME_SUCCESS },
    { "{\"outcome\": \"FAILED\"}", REINS_JUDGE_OUTCOME_FAILURE },
    { "{\"outcome\": \"resolved\"}", REINS_JUDGE_OUTCOME_SUCCESS },
    { "{\"reward\": 0.75}", REINS_JUDGE_OUTCOME_SUCCESS },
    { "{\"reward\": 0}", REINS_JUDGE_OUTCOME_FAILURE },
    { "{\"score\": \"0.2\"}", REINS_JUDGE_OUTCOME_FAILURE },
    /* The first label that says something decides. */
    { "{\"outcome\": \"pending\", \"reward\": 1}", REINS_JUDGE_OUTCOME_SUCCESS },
    { "{\"outcome\": \"pending\"}", REINS_JUDGE_OUTCOME_UNKNOWN },
    { "{\"task_id\": \"t1\"}", REINS_JUDGE_OUTCOME_UNKNOWN },
    { "{\"success\": [true]}", REINS_JUDGE_OUTCOME_UNKNOWN },
    { "{}", REINS_JUDGE_OUTCOME_UNKNOWN },
  };

  g_assert_cmpint (reins_judge_outcome_of (NULL), ==, REINS_JUDGE_OUTCOME_UNKNOWN);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = reins_json_from_string (cases[i].labels, NULL);

      g_assert_cmpint (reins_judge_outcome_of (json_node_get_object (node)), ==, cases[i].outcome);
    }
}

/* The engine on given runs: an unknown id is counted as an error, the others judged. */
static void
test_judge_run_ids (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = fixture_path ("openai.jsonl");
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(ReinsRun) run = import_fixture_line ("openai.jsonl", 2, &steps);
  const char *ids[] = { reins_run_get_id (run), "00000000-0000-0000-0000-000000000000", NULL };
  ReinsImportStats stats = { 0 };
  ReinsJudgeQuery query = { 0 };
  g_autoptr(ReinsJudgeReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_true (reins_import_file (f->store, jsonl, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  query.store_path = reins_store_get_path (f->store);
  query.run_ids = ids;
  query.n_threads = 3;
  report = reins_judge_run_query (&query, &error);
  g_assert_no_error (error);
  node = reins_judge_report_to_json (report);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "runs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "steps"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (object, "errors"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "first_error"), "00000000"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "outcome"),
                                               "missed"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/openai/parallel", test_openai_parallel);
  g_test_add_func ("/import/openai/user-turns", test_openai_user_turns);
  g_test_add_func ("/import/openai/message-array", test_message_array);
  g_test_add_func ("/import/openai/bad-arguments", test_bad_arguments);
  g_test_add_func ("/import/openai/parts", test_openai_parts);
  g_test_add_func ("/import/openai/request-response", test_openai_request_response);
  g_test_add_func ("/import/openai/refusal", test_openai_refusal);
  g_test_add_func ("/import/anthropic/thinking", test_anthropic);
  g_test_add_func ("/import/anthropic/log", test_anthropic_log);
  g_test_add_func ("/import/anthropic/error-result", test_anthropic_error_result);
  g_test_add_func ("/import/not-a-conversation", test_not_a_conversation);
  g_test_add_func ("/import/parse-bounded", test_parse_bounded);
  g_test_add ("/import/file/malformed", Fixture, NULL, fixture_set_up,
              test_file_malformed_keeps_before, fixture_tear_down);
  g_test_add ("/import/file/duplicates", Fixture, NULL, fixture_set_up, test_file_duplicates,
              fixture_tear_down);
  g_test_add_func ("/import/replay", test_replay_imported);
  g_test_add_func ("/import/judge/outcome", test_judge_outcome);
  g_test_add ("/import/judge/run-ids", Fixture, NULL, fixture_set_up, test_judge_run_ids,
              fixture_tear_down);
  g_test_add_func ("/import/otlp/round-trip", test_otlp_round_trip);
  g_test_add_func ("/import/otlp/conventions", test_otlp_conventions);
  g_test_add_func ("/import/otlp/foreign", test_otlp_foreign);
  g_test_add_func ("/import/otlp/malformed", test_otlp_malformed);
  g_test_add ("/import/file/openai-stream", Fixture, NULL, fixture_set_up,
              test_file_openai_stream, fixture_tear_down);
  g_test_add ("/import/file/anthropic-stream", Fixture, NULL, fixture_set_up,
              test_file_anthropic_stream, fixture_tear_down);
  g_test_add ("/import/file/stream-edges", Fixture, NULL, fixture_set_up,
              test_file_stream_edges, fixture_tear_down);
  g_test_add ("/import/file/message-lines", Fixture, NULL, fixture_set_up,
              test_file_message_lines, fixture_tear_down);
  g_test_add ("/import/file/folder", Fixture, NULL, fixture_set_up, test_file_folder,
              fixture_tear_down);
  g_test_add ("/import/file/otlp-batches", Fixture, NULL, fixture_set_up,
              test_file_otlp_batches, fixture_tear_down);
  g_test_add_func ("/import/otlp/other-traces", test_otlp_other_traces);
  g_test_add_func ("/import/otlp/openllmetry", test_otlp_openllmetry);
  g_test_add_func ("/import/otlp/flattened-order", test_otlp_flattened_order);
  g_test_add_func ("/import/otlp/message-array", test_otlp_message_array);
  g_test_add_func ("/import/otlp/user-turns", test_otlp_user_turns);
  g_test_add_func ("/import/otlp/openinference", test_otlp_openinference);
  g_test_add_func ("/import/otlp/events", test_otlp_events);
  g_test_add_func ("/import/otlp/parts", test_otlp_parts);
  g_test_add_func ("/import/otlp/odd-values", test_otlp_odd_values);

  return g_test_run ();
}
