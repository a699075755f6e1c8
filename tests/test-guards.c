/* test-guards.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each guard of the harness issue with cases where it must fire and cases where it must not:
 * loop, rate, drift, tool_result, grounding, nothing_found, the token and time budgets, the
 * tool policy, and the embedder they share.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "reins-embedder.h"
#include "reins-guard-nothing-found.h"
#include "reins-harness.h"

typedef struct
{
  ReinsRun          *run;
  GPtrArray         *history;
  GPtrArray         *trash;
  ReinsHarness      *harness;
  ReinsGuardContext  context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *task = reins_kb_task (7, 10);

  f->run = reins_run_new (task);
  f->history = g_ptr_array_new_with_free_func (g_object_unref);
  f->trash = g_ptr_array_new_with_free_func (g_object_unref);
  f->harness = reins_harness_new_for_settings (reins_run_get_settings (f->run));
  f->context.run = f->run;
  f->context.history = f->history;
  f->context.settings = reins_run_get_settings (f->run);
  f->context.action_known = TRUE;
  f->context.action_risk = REINS_RISK_READ;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->harness);
  g_clear_pointer (&f->history, g_ptr_array_unref);
  g_clear_pointer (&f->trash, g_ptr_array_unref);
  g_clear_object (&f->run);
}

static ReinsStep *
make_step (Fixture    *f,
           const char *action_json,
           const char *observation,
           gboolean    tool_error)
{
  ReinsStep *step = reins_step_new ("run", f->history->len + 1);

  if (action_json != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsAction) action = reins_action_new_from_string (action_json, &error);

      g_assert_no_error (error);
      reins_step_set_action (step, action);
    }
  else
    {
      reins_step_set_reply (step, "I am not sure.");
    }
  reins_step_set_observation (step, observation);
  reins_step_set_tool_error (step, tool_error);
  return step;
}

/* A step that is not judged: owned by the fixture's history so it is freed. */
static ReinsStep *
make_step_free (Fixture    *f,
                const char *observation)
{
  ReinsStep *step = reins_step_new ("run", 1);

  reins_step_set_observation (step, observation);
  g_ptr_array_add (f->trash, step);
  return step;
}

/* The kind of @guard's verdict on @step, or -1 when it said nothing. */
static int
kind_of (ReinsStep  *step,
         const char *guard)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    {
      ReinsVerdict *v = g_ptr_array_index (verdicts, i);

      if (g_str_equal (reins_verdict_get_guard (v), guard))
        {
          /* Every verdict explains itself in a sentence. */
          g_assert_cmpuint (strlen (reins_verdict_get_reason (v)), >, 20);
          return reins_verdict_get_kind (v);
        }
    }
  return -1;
}

static ReinsVerdict *
verdict_of (ReinsStep  *step,
            const char *guard)
{
  GPtrArray *verdicts = reins_step_get_verdicts (step);

  for (guint i = 0; i < verdicts->len; i++)
    if (g_str_equal (reins_verdict_get_guard (g_ptr_array_index (verdicts, i)), guard))
      return g_ptr_array_index (verdicts, i);
  return NULL;
}

/* Judges a whole step as the loop does (before the model, before the action, after the
 * observation), then adds it to the history; returns @guard's verdict kind or -1. */
static int
judge (Fixture    *f,
       ReinsStep  *step,
       const char *guard)
{
  g_autoptr(ReinsVerdict) v1 = NULL;
  g_autoptr(ReinsVerdict) v2 = NULL;
  g_autoptr(ReinsVerdict) v3 = NULL;
  g_autoptr(ReinsStep) bare = reins_step_new ("run", reins_step_get_index (step));
  int kind;

  /* Before the model the step has no reply yet; its verdicts go on the real step. */
  v1 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, bare);
  for (guint i = 0; i < reins_step_get_verdicts (bare)->len; i++)
    reins_step_add_verdict (step, g_ptr_array_index (reins_step_get_verdicts (bare), i));
  if (reins_step_get_action (step) != NULL)
    v2 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &f->context, step);
  v3 = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_AFTER_OBSERVATION, &f->context, step);
  kind = kind_of (step, guard);
  g_ptr_array_add (f->history, step);
  return kind;
}

/* ---- embedder ---- */

static void
test_embedder (void)
{
  float a[REINS_EMBEDDER_DIM], b[REINS_EMBEDDER_DIM], c[REINS_EMBEDDER_DIM], d[REINS_EMBEDDER_DIM];
  g_autoptr(ReinsAction) x = reins_action_new_from_string ("{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"TODO\",\"path\":\"src\"}}", NULL);
  g_autoptr(ReinsAction) y = reins_action_new_from_string ("{\"name\":\"search_files\",\"arguments\":{\"path\":\"src\",\"pattern\":\"TODO\"}}", NULL);
  g_autofree char *tx = reins_action_canonical_text (x);
  g_autofree char *ty = reins_action_canonical_text (y);
  double norm = 0;

  /* Member order does not matter; the text is canonical. */
  g_assert_cmpstr (tx, ==, ty);

  reins_embedder_embed_text (NULL, "weather in Paris today", a);
  reins_embedder_embed_text (NULL, "Weather in  paris today?", b);
  reins_embedder_embed_text (NULL, "list the files of the project folder", c);
  reins_embedder_embed_text (NULL, "weather in Paris today", d);

  for (guint i = 0; i < REINS_EMBEDDER_DIM; i++)
    norm += a[i] * a[i];
  g_assert_cmpfloat (fabs (norm - 1.0), <, 1e-5);
  /* Deterministic, near for a paraphrase, far for another text. */
  g_assert_cmpmem (a, sizeof a, d, sizeof d);
  g_assert_cmpfloat (reins_embedding_cosine (a, b, REINS_EMBEDDER_DIM), >, 0.92);
  g_assert_cmpfloat (reins_embedding_cosine (a, c, REINS_EMBEDDER_DIM), <, 0.3);

  /* Empty text: a zero vector, cosine 0, no NaN. */
  reins_embedder_embed_text (NULL, "", c);
  g_assert_cmpfloat (reins_embedding_cosine (a, c, REINS_EMBEDDER_DIM), ==, 0);
}

static guint embed_calls;

/* A provider whose embeddings see every text as the same. */
static GPtrArray *
same_vector_embed (const char * const *texts,
                   gpointer            user_data)
{
  GPtrArray *vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  embed_calls++;
  if (GPOINTER_TO_UINT (user_data) == 1)
    {
      g_ptr_array_unref (vectors);
      return NULL;
    }
  for (guint i = 0; texts[i] != NULL; i++)
    {
      GArray *v = g_array_new (FALSE, TRUE, sizeof (float));
      float one[4] = { 0.5f, 0.5f, 0.5f, 0.5f };

      g_array_append_vals (v, one, 4);
      g_ptr_array_add (vectors, v);
    }
  return vectors;
}

static void
test_provider_embeddings (Fixture       *f,
                          gconstpointer  data)
{
  const char *texts[] = { "read_file {\"path\":\"a\"}", "shell {\"command\":\"ls\"}", NULL };
  g_autoptr(GPtrArray) builtin = NULL;
  g_autoptr(GPtrArray) provider = NULL;
  g_autoptr(GPtrArray) fallback = NULL;

  f->context.embed = same_vector_embed;
  embed_calls = 0;

  /* Not asked for: the built-in embedder, the provider is not called. */
  builtin = reins_guard_context_embed (&f->context, texts);
  g_assert_cmpuint (embed_calls, ==, 0);
  g_assert_cmpuint (((GArray *) g_ptr_array_index (builtin, 0))->len, ==, REINS_EMBEDDER_DIM);

  /* Asked again (the vectors are kept), and for more texts than are kept: the embedder's
   * own vectors each time. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < 600; i++)
      {
        g_autofree char *text = i < 2 ? g_strdup (texts[i]) : g_strdup_printf ("lookup %u", i % 520);
        const char *one[] = { text, NULL };
        g_autoptr(GPtrArray) again = reins_guard_context_embed (&f->context, one);
        float direct[REINS_EMBEDDER_DIM];

        reins_embedder_embed_text (NULL, text, direct);
        g_assert_cmpmem (((GArray *) g_ptr_array_index (again, 0))->data,
                         sizeof direct, direct, sizeof direct);
      }

  json_object_set_string_member (f->context.settings, "embeddings", "provider");
  provider = reins_guard_context_embed (&f->context, texts);
  g_assert_cmpuint (embed_calls, ==, 1);
  g_assert_cmpuint (((GArray *) g_ptr_array_index (provider, 0))->len, ==, 4);

  /* The provider fails: every text falls back to the built-in embedder. */
  f->context.embed_data = GUINT_TO_POINTER (1);
  fallback = reins_guard_context_embed (&f->context, texts);
  g_assert_cmpuint (embed_calls, ==, 2);
  g_assert_cmpuint (fallback->len, ==, 2);
  g_assert_cmpuint (((GArray *) g_ptr_array_index (fallback, 1))->len, ==, REINS_EMBEDDER_DIM);

  /* With the provider's vectors, different actions look the same to the loop guard. */
  f->context.embed_data = NULL;
  judge (f, make_step (f, "{\"name\":\"read_file\",\"arguments\":{\"path\":\"a\"}}", "x", FALSE), "loop");
  judge (f, make_step (f, "{\"name\":\"list_dir\",\"arguments\":{\"path\":\"b\"}}", "x", FALSE), "loop");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1\"}}", "x", FALSE), "loop"), ==, REINS_VERDICT_CORRECT);
}

/* ---- loop ---- */

static void
test_loop_paraphrase (Fixture       *f,
                      gconstpointer  data)
{
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"weather in Paris today\"}}", "No matches.", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"Weather in Paris today?\"}}", "No matches.", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"search_files\",\"arguments\":{\"pattern\":\"weather in paris today.\"}}", "No matches.", FALSE), "loop"), ==, REINS_VERDICT_CORRECT);

  {
    ReinsVerdict *v = verdict_of (g_ptr_array_index (f->history, 2), "loop");
    guint n = 0;
    const guint *steps = reins_verdict_get_steps (v, &n);

    /* The steps forming the loop are recorded for the timeline. */
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (steps[0], ==, 1);
    g_assert_cmpuint (steps[2], ==, 3);
    g_assert_cmpint (reins_verdict_get_phase (v), ==, REINS_VERDICT_PHASE_AFTER_OBSERVATION);
  }
}

static void
test_loop_polling_progress (Fixture       *f,
                            gconstpointer  data)
{
  const char *poll = "{\"name\":\"job_status\",\"arguments\":{\"id\":\"42\"}}";

  /* The same call, but the job advances: progress, not a loop. */
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *obs = g_strdup_printf ("{\"state\": \"running\", \"done\": \"%u0%%\"}", i);

      g_assert_cmpint (judge (f, make_step (f, poll, obs, FALSE), "loop"), ==, -1);
    }

  /* Once it stops advancing, three calls bringing nothing new are a loop. */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (judge (f, make_step (f, poll, "{\"state\": \"stuck\"}", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, poll, "{\"state\": \"stuck\"}", FALSE), "loop"), ==,
                   REINS_VERDICT_CORRECT);
}

static void
test_loop_polling_tool (Fixture       *f,
                        gconstpointer  data)
{
  JsonArray *polling = json_array_new ();
  const char *poll = "{\"name\":\"job_status\",\"arguments\":{\"id\":\"42\"}}";

  json_array_add_string_element (polling, "job_status");
  json_object_set_array_member (f->context.settings, "polling_tools", polling);

  /* A polling tool whose result changes by a word it already said ("running") and one
   * number: the semantic check leaves polling tools alone. */
  g_assert_cmpint (judge (f, make_step (f, poll, "running 1", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, poll, "running 2", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, poll, "running 1", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, poll, "running 2", FALSE), "loop"), ==, -1);

  /* Even a polling tool is stuck when the same result comes four times. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (judge (f, make_step (f, poll, "running 3", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, poll, "running 3", FALSE), "loop"), ==,
                   REINS_VERDICT_CORRECT);
}

static void
test_loop_abab (Fixture       *f,
                gconstpointer  data)
{
  const char *a = "{\"name\":\"read_file\",\"arguments\":{\"path\":\"notes.txt\"}}";
  const char *b = "{\"name\":\"list_dir\",\"arguments\":{\"path\":\"docs\"}}";

  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (judge (f, make_step (f, i % 2 ? b : a, i % 2 ? "todo.md\nplan.md" : "see the docs", FALSE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, b, "todo.md\nplan.md", FALSE), "loop"), ==, REINS_VERDICT_CORRECT);
  {
    guint n = 0;

    reins_verdict_get_steps (verdict_of (g_ptr_array_index (f->history, 5), "loop"), &n);
    g_assert_cmpuint (n, ==, 6);
  }
}

static void
test_loop_reread_after_edit (Fixture       *f,
                             gconstpointer  data)
{
  const char *read = "{\"name\":\"read_file\",\"arguments\":{\"path\":\"notes.txt\"}}";

  /* Read, edit, read again: the file changed, so the second read is legitimate. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *write = g_strdup_printf ("{\"name\":\"write_file\",\"arguments\":{\"path\":\"notes.txt\",\"content\":\"version %u\"}}", i + 1);
      g_autofree char *content = g_strdup_printf ("version %u", i);

      g_assert_cmpint (judge (f, make_step (f, read, content, FALSE), "loop"), ==, -1);
      g_assert_cmpint (judge (f, make_step (f, write, "Wrote 9 bytes.", FALSE), "loop"), ==, -1);
    }
}

static void
test_loop_escalation_and_window (Fixture       *f,
                                 gconstpointer  data)
{
  const char *bad = "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/3-0000\"}}";
  const char *err = "{\"error\": \"unknown key\"}";

  /* The same call failing three times: a correction. */
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, REINS_VERDICT_CORRECT);

  /* The window restarts after it: the old failures do not count again. */
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  /* Second detection: a person. */
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, REINS_VERDICT_ASK);
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, -1);
  /* Third: the end. */
  g_assert_cmpint (judge (f, make_step (f, bad, err, TRUE), "loop"), ==, REINS_VERDICT_TERMINATE);
}

static void
test_loop_compliance (Fixture       *f,
                      gconstpointer  data)
{
  const char *bad = "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/3-0000\"}}";
  const char *err = "{\"error\": \"unknown key\"}";

  for (guint i = 0; i < 3; i++)
    judge (f, make_step (f, bad, err, TRUE), "loop");
  g_assert_cmpint (kind_of (g_ptr_array_index (f->history, 2), "loop"), ==, REINS_VERDICT_CORRECT);

  /* A model that complies — new actions, new results — is not flagged again. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *key = reins_kb_key (7, 10, i);
      g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);
      g_autofree char *obs = reins_kb_lookup (key);

      g_assert_cmpint (judge (f, make_step (f, action, obs, FALSE), "loop"), ==, -1);
    }
}

static void
test_loop_no_action (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_cmpint (judge (f, make_step (f, NULL, "Reply with Action: {…}", TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, NULL, "Reply with Action: {…}", TRUE), "loop"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, NULL, "Reply with Action: {…}", TRUE), "loop"), ==, REINS_VERDICT_CORRECT);
}

static void
test_loop_empty_replies (Fixture       *f,
                         gconstpointer  data)
{
  ReinsStep *first = make_step (f, NULL, "Your reply was empty.", TRUE);
  ReinsStep *second;

  reins_step_set_reply (first, "");
  g_assert_cmpint (judge (f, first, "loop"), ==, -1);
  second = make_step (f, NULL, "Your reply was empty.", TRUE);
  reins_step_set_reply (second, "  \n");
  g_assert_cmpint (judge (f, second, "loop"), ==, REINS_VERDICT_CORRECT);
}

/* ---- rate ---- */

static void
set_rate (Fixture    *f,
          const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  json_object_set_member (f->context.settings, "rate_limits", json_node_copy (node));
}

static void
test_rate_per_run (Fixture       *f,
                   gconstpointer  data)
{
  const char *calc = "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1+1\"}}";

  set_rate (f, "{\"kb_lookup\": {\"per_run\": 2}}");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *key = reins_kb_key (7, 10, i);
      g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);

      g_assert_cmpint (judge (f, make_step (f, action, "{\"next\": \"x\"}", FALSE), "rate"), ==, -1);
    }
  /* Other tools are not limited. */
  g_assert_cmpint (judge (f, make_step (f, calc, "2", FALSE), "rate"), ==, -1);
  /* The third call: corrected (it does not run), then a person. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"a\"}}", "[Harness: rate] …", FALSE), "rate"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"b\"}}", "{\"next\": \"y\"}", FALSE), "rate"), ==, REINS_VERDICT_ASK);
}

static void
test_rate_window (Fixture       *f,
                  gconstpointer  data)
{
  const char *calc = "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1+1\"}}";
  const char *look = "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"k\"}}";

  set_rate (f, "{\"*\": {\"per_window\": 2, \"window\": 3}}");
  g_assert_cmpint (judge (f, make_step (f, look, "1", FALSE), "rate"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, look, "2", FALSE), "rate"), ==, -1);
  /* A third in three steps is one too many. */
  g_assert_cmpint (judge (f, make_step (f, look, "3", FALSE), "rate"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, calc, "2", FALSE), "rate"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, calc, "2", FALSE), "rate"), ==, -1);
  /* The window slid past the early calls: allowed again. */
  g_assert_cmpint (judge (f, make_step (f, look, "4", FALSE), "rate"), ==, -1);
}

/* The counts in the rate guard's reasons read in the singular and the plural (ngettext);
 * the decisions stay those above. */
static void
test_rate_plurals (Fixture       *f,
                   gconstpointer  data)
{
  const char *look = "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"k\"}}";
  ReinsStep *step;

  set_rate (f, "{\"kb_lookup\": {\"per_run\": 1}}");
  g_assert_cmpint (judge (f, make_step (f, look, "1", FALSE), "rate"), ==, -1);
  step = make_step (f, look, "2", FALSE);
  g_assert_cmpint (judge (f, step, "rate"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (step, "rate")),
                            "“kb_lookup” was called 1 time in this run; the limit is 1."));

  g_ptr_array_set_size (f->history, 0);
  set_rate (f, "{\"kb_lookup\": {\"per_window\": 1, \"window\": 2}}");
  g_assert_cmpint (judge (f, make_step (f, look, "1", FALSE), "rate"), ==, -1);
  step = make_step (f, look, "2", FALSE);
  g_assert_cmpint (judge (f, step, "rate"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (step, "rate")),
                            "“kb_lookup” was called 1 time in the last 2 steps; the limit is 1."));

  g_ptr_array_set_size (f->history, 0);
  set_rate (f, "{\"kb_lookup\": {\"per_window\": 2, \"window\": 3}}");
  g_assert_cmpint (judge (f, make_step (f, look, "1", FALSE), "rate"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, look, "2", FALSE), "rate"), ==, -1);
  step = make_step (f, look, "3", FALSE);
  g_assert_cmpint (judge (f, step, "rate"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (step, "rate")),
                            "“kb_lookup” was called 2 times in the last 3 steps; the limit is 2."));
}

/* ---- drift ---- */

static void
test_drift_on_task_sim_chains (Fixture       *f,
                               gconstpointer  data)
{
  /* Real chain actions never drift, over many seeds and chain lengths. */
  for (guint seed = 1; seed <= 60; seed++)
    {
      guint length = 3 + seed % 13;
      g_autofree char *task = reins_kb_task (seed, length);

      reins_run_set_task (f->run, task);
      g_ptr_array_set_size (f->history, 0);
      for (guint i = 0; i < length; i++)
        {
          g_autofree char *key = reins_kb_key (seed, length, i);
          g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);
          g_autofree char *obs = reins_kb_lookup (key);

          g_assert_cmpint (judge (f, make_step (f, action, obs, FALSE), "drift"), ==, -1);
        }
    }
}

static void
test_drift_off_task (Fixture       *f,
                     gconstpointer  data)
{
  const char *off[] = {
    "{\"name\":\"http_get\",\"arguments\":{\"url\":\"https://news.example.org/sports/today\"}}",
    "{\"name\":\"shell\",\"arguments\":{\"command\":\"uptime; df -h\"}}",
    "{\"name\":\"read_file\",\"arguments\":{\"path\":\"Music/playlist.m3u\"}}",
    "{\"name\":\"calculator\",\"arguments\":{\"expression\":\"17 * 23\"}}",
  };
  g_autoptr(ReinsStep) next = NULL;
  g_autoptr(ReinsVerdict) v = NULL;

  /* On task first … */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}",
                                        "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "drift"), ==, -1);
  /* … then away from it. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (judge (f, make_step (f, off[i], "ok", FALSE), "drift"), ==, -1);

  /* Before the next call: the task is restated at once. */
  next = reins_step_new ("run", 5);
  v = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, next);
  g_assert_nonnull (v);
  g_assert_cmpstr (reins_verdict_get_guard (v), ==, "drift");
  g_assert_cmpint (reins_verdict_get_kind (v), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (v), "chain-7-10/0"));

  /* Told once; it waits for three new actions before speaking again. */
  reins_step_set_action (next, reins_step_get_action (g_ptr_array_index (f->history, 1)));
  reins_step_set_observation (next, "ok");
  g_ptr_array_add (f->history, g_object_ref (next));
  g_assert_cmpint (judge (f, make_step (f, off[3], "391", FALSE), "drift"), ==, -1);
}

/* Actions that never resembled the task give the measure nothing to go on: a short task
 * done with a calculator is not drift. */
static void
test_drift_never_on_task (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ReinsStep) next = reins_step_new ("run", 4);
  g_autoptr(ReinsVerdict) v = NULL;

  reins_run_set_task (f->run, "Add two and three");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *action = g_strdup_printf ("{\"name\":\"calculator\",\"arguments\":{\"expression\":\"2+%u\"}}", 3 + i);
      judge (f, make_step (f, action, "5", FALSE), "drift");
    }
  v = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, next);
  g_assert_true (v == NULL || !g_str_equal (reins_verdict_get_guard (v), "drift"));
}

/* ---- tool_result ---- */

static void
test_tool_result_finish_after_failure (Fixture       *f,
                                       gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"value\": \"amber-1234\"}", FALSE), "tool_result");
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/1-abce\"}}", "{\"error\": \"unknown key\"}", TRUE), "tool_result");
  /* A finish that does not say the lookup failed: corrected, with what failed. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (g_ptr_array_index (f->history, 2), "tool_result")), "unknown key"));
  /* Again without a word about it: a person. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, REINS_VERDICT_ASK);
}

static void
test_tool_result_success_claim (Fixture       *f,
                                gconstpointer  data)
{
  ReinsStep *claim;

  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/1-abce\"}}", "{\"error\": \"unknown key\"}", TRUE), "tool_result");
  claim = make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/2-1234\"}}", NULL, FALSE);
  reins_step_set_thought (claim, "That worked; the next key is chain-7-10/2-1234.");
  g_assert_cmpint (judge (f, claim, "tool_result"), ==, REINS_VERDICT_CORRECT);
}

/* A finish whose arguments failed the schema never ran: the next, well-formed finish is
 * the fix, not a success claimed after a failure. */
static void
test_tool_result_schema_slip (Fixture       *f,
                              gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"value\": \"amber-1234\"}", FALSE), "tool_result");
  judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":[\"amber-1234\"]}}",
                       "Invalid arguments for finish: “answer” must be of type string, not array. Call the tool again with arguments that match its schema.", TRUE), "tool_result");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, -1);
}

/* Arguments cut off mid-JSON never reached the tool either: a finish after that slip is
 * not a success claimed after a failure. A real failure still is. */
static void
test_tool_result_truncated_slip (Fixture       *f,
                                 gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/9-ffff\"}}", "{\"value\": \"amber-1234\"}", FALSE), "tool_result");
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"_invalid_arguments\":\"{\\\"key\\\": \\\"chain-7\",\"_invalid_reason\":\"truncated\"}}",
                       "The reply was cut off (truncated) inside the arguments of kb_lookup, so they are incomplete JSON; write a shorter call", TRUE), "tool_result");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, -1);

  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/9-fffe\"}}", "{\"error\": \"unknown key\"}", TRUE), "tool_result");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, REINS_VERDICT_CORRECT);
}

static void
test_tool_result_acknowledged (Fixture       *f,
                               gconstpointer  data)
{
  ReinsStep *retry;

  judge (f, make_step (f, "{\"name\":\"read_file\",\"arguments\":{\"path\":\"a.txt\"}}", "", FALSE), "tool_result");
  /* A plain retry is not a claim of success. */
  retry = make_step (f, "{\"name\":\"read_file\",\"arguments\":{\"path\":\"b.txt\"}}", "{\"error\": \"no such file\"}", TRUE);
  reins_step_set_thought (retry, "Maybe the file is called b.txt.");
  g_assert_cmpint (judge (f, retry, "tool_result"), ==, -1);
  /* A finish that admits the failure is honest. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"I could not read the file: it does not exist.\"}}", NULL, FALSE), "tool_result"), ==, -1);
}

static void
test_tool_result_after_success (Fixture       *f,
                                gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/9-ffff\"}}", "{\"value\": \"amber-1234\"}", FALSE), "tool_result");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"amber-1234\"}}", NULL, FALSE), "tool_result"), ==, -1);
}

/* ---- grounding ---- */

static void
test_grounding_invented (Fixture       *f,
                         gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"The chain ends with cobalt-4521.\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (g_ptr_array_index (f->history, 1), "grounding")), "cobalt-4521"));
  /* A plain word with no digits, capitals or quotes is made up just the same. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"It is cobalt-4521, as \\\"Dr Smith\\\" said.\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  /* Sent back three times: a person decides. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"basalt\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_ASK);
}

/* An agent that insists on the same unsupported answer is sent back again — insisting is
 * no evidence — and goes to a person only after "grounding_corrections" (3) in a row. */
static void
test_grounding_insists (Fixture       *f,
                        gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"Meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (g_ptr_array_index (f->history, 2), "grounding")), "again"));
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_ASK);
}

/* Corrections count in a row: an agent that went back to work (a lookup, even a failed
 * one) and then guesses again is sent back to look, not put to a person. */
static void
test_grounding_work_restarts (Fixture       *f,
                              gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/1-abce\"}}", "{\"error\": \"unknown key\"}", TRUE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"meadow\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
}

/* A number seen only inside an identifier ("chain-52-12/…") is no quantity a result states. */
static void
test_grounding_number_in_identifier (Fixture       *f,
                                     gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"10\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
}

/* The key of a step in the middle of the chain, given as if it were the value at its end. */
static void
test_grounding_moved_past (Fixture       *f,
                           gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/1-abcd\"}}", "{\"next\": \"chain-7-10/2-ef01\"}", FALSE), "grounding");
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/2-ef01\"}}", "{\"value\": \"orchid-7\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"The value is chain-7-10/1-abcd.\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (g_ptr_array_index (f->history, 3), "grounding")), "step 2"));
  /* Standing by it is no evidence: the run itself went past that key. Sent back again, and
   * after three corrections in a row a person decides. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"The value is chain-7-10/1-abcd.\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"chain-7-10/1-abcd\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"chain-7-10/1-abcd\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_ASK);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (g_ptr_array_index (f->history, 6), "grounding")), "step 2"));
  /* The value it led to is the answer. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"orchid-7\"}}", NULL, FALSE), "grounding"), ==, -1);
}

/* An answer made only of the task's words is a weaker concern: challenged once, and the
 * same answer given again stands. */
static void
test_grounding_task_words_stand (Fixture       *f,
                                 gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"the knowledge-base chain\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_CORRECT);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"the knowledge-base chain\"}}", NULL, FALSE), "grounding"), ==, REINS_VERDICT_ALLOW);
}

/* The end of the chain, in a sentence with words of its own: not a made-up answer. */
static void
test_grounding_prose (Fixture       *f,
                      gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", "{\"next\": \"chain-7-10/1-abcd\"}", FALSE), "grounding");
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/1-abcd\"}}", "{\"value\": \"orchid-7\"}", FALSE), "grounding");
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"Having walked every link of the chain, I can report that its final value is orchid-7.\"}}", NULL, FALSE), "grounding"), ==, -1);
}

static void
test_grounding_grounded (Fixture       *f,
                         gconstpointer  data)
{
  judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"chain-7-10/9-ffff\"}}", "{\"value\": \"amber-1234\"}", FALSE), "grounding");
  judge (f, make_step (f, "{\"name\":\"read_file\",\"arguments\":{\"path\":\"people.txt\"}}", "Ada Lovelace wrote the first program in 1843; population 1,234,567.", FALSE), "grounding");
  /* Every claim is in an observation or the task; sentence openers are not names. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"The value at the end of chain-7-10/0 is amber-1234. Ada Lovelace did it in 1843, population 1234567.\"}}", NULL, FALSE), "grounding"), ==, -1);
  /* "Could not find out" is grounded. */
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"I could not find out who Charles Babbage met in 1833.\"}}", NULL, FALSE), "grounding"), ==, -1);
}

/* ---- budget ---- */

static void
test_budget_tokens (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ReinsStep) step = reins_step_new ("run", 3);
  g_autoptr(ReinsStep) step2 = reins_step_new ("run", 3);
  g_autoptr(ReinsVerdict) stop = NULL;
  g_autoptr(ReinsVerdict) go = NULL;

  json_object_set_int_member (f->context.settings, "token_budget", 1000);
  reins_run_set_tokens (f->run, 500, 100);
  /* The prompt alone would take it over: stop before the call. */
  f->context.projected_input_tokens = 450;
  stop = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, step);
  g_assert_nonnull (stop);
  g_assert_cmpstr (reins_verdict_get_guard (stop), ==, "budget");
  g_assert_cmpint (reins_verdict_get_kind (stop), ==, REINS_VERDICT_TERMINATE);

  f->context.projected_input_tokens = 300;
  go = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, step2);
  g_assert_null (go);
}

static void
test_budget_time (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ReinsStep) late = reins_step_new ("run", 9);
  g_autoptr(ReinsStep) early = reins_step_new ("run", 2);
  g_autoptr(ReinsVerdict) stop = NULL;
  g_autoptr(ReinsVerdict) go = NULL;
  gint64 t0 = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  json_object_set_double_member (f->context.settings, "time_budget_s", 60);
  reins_run_set_created_at (f->run, t0);

  /* Judged from the stored start of the step, not the clock. */
  reins_step_set_started_at (late, t0 + 61 * G_USEC_PER_SEC);
  stop = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, late);
  g_assert_nonnull (stop);
  g_assert_cmpint (reins_verdict_get_kind (stop), ==, REINS_VERDICT_TERMINATE);
  g_assert_nonnull (strstr (reins_verdict_get_reason (stop), "60 s"));

  reins_step_set_started_at (early, t0 + 10 * G_USEC_PER_SEC);
  go = reins_harness_evaluate (f->harness, REINS_VERDICT_PHASE_BEFORE_MODEL, &f->context, early);
  g_assert_null (go);
}

/* ---- policy ---- */

static void
test_policy_tool_policy (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"http_get\": \"deny\", \"write_file\": \"auto\", \"read_file\": \"ask\"}", NULL);
  ReinsStep *step;

  json_object_set_member (f->context.settings, "tool_policy", json_node_copy (node));

  f->context.action_risk = REINS_RISK_NETWORK;
  step = make_step (f, "{\"name\":\"http_get\",\"arguments\":{\"url\":\"https://example.org\"}}", "[Harness: policy] …", FALSE);
  g_assert_cmpint (judge (f, step, "policy"), ==, REINS_VERDICT_CORRECT);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict_of (step, "policy")), "not allowed"));

  f->context.action_risk = REINS_RISK_WRITE;
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}", "ok", FALSE), "policy"), ==, -1);

  f->context.action_risk = REINS_RISK_READ;
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"read_file\",\"arguments\":{\"path\":\"a\"}}", "b", FALSE), "policy"), ==, REINS_VERDICT_ASK);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}", "a", FALSE), "policy"), ==, -1);
}

static void
test_policy_invalid_arguments (Fixture       *f,
                               gconstpointer  data)
{
  JsonArray *allow = json_array_new ();

  /* Fail closed: a write with arguments outside its schema goes to a person, even when the
   * tool is always allowed. */
  json_array_add_string_element (allow, "write_file");
  json_object_set_array_member (f->context.settings, "always_allow", allow);
  f->context.action_risk = REINS_RISK_WRITE;
  f->context.action_error = "“content” is required";
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\"}}", "x", TRUE), "policy"), ==, REINS_VERDICT_ASK);

  /* A read-only one: the loop's error observation tells the model, no person needed. */
  f->context.action_risk = REINS_RISK_READ;
  f->context.action_error = "“key” is required";
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"kb_lookup\",\"arguments\":{\"query\":\"a\"}}", "x", TRUE), "policy"), ==, -1);

  /* Valid: always allowed. */
  f->context.action_error = NULL;
  f->context.action_risk = REINS_RISK_WRITE;
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}", "ok", FALSE), "policy"), ==, -1);
}

/* Settings of the wrong type or absurd size are ignored or bounded, never a crash. */
static void
test_bad_settings (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"rate_limits\": [1, 2], \"tool_policy\": \"deny\","
                                               " \"polling_tools\": {\"a\": 1}, \"loop_threshold\": \"high\","
                                               " \"drift_window\": 4000000000, \"drift_threshold\": true,"
                                               " \"token_budget\": \"many\", \"time_budget_s\": -5,"
                                               " \"embeddings\": 7}", NULL);
  JsonObject *bad = json_node_get_object (node);
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, bad);
  while (json_object_iter_next (&iter, &member, &value))
    json_object_set_member (f->context.settings, member, json_node_copy (value));

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *key = reins_kb_key (7, 10, i % 3);
      g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":{\"key\":\"%s\"}}", key);

      judge (f, make_step (f, action, "{\"next\": \"x\"}", FALSE), "rate");
    }
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":{\"answer\":\"x\"}}", NULL, FALSE), "policy"), ==, -1);

  /* A whole number past what an integer holds is ignored (casting it was undefined); one
   * written as 4.0 is read. */
  {
    g_autoptr(JsonNode) numbers = json_from_string ("{\"huge\": 2.2e44, \"tiny\": -1e300,"
                                                    " \"four\": 4.0}", NULL);
    JsonObject *o = json_node_get_object (numbers);

    g_assert_cmpint (reins_settings_get_int (o, "huge", 7), ==, 7);
    g_assert_cmpint (reins_settings_get_int (o, "tiny", 7), ==, 7);
    g_assert_cmpint (reins_settings_get_int (o, "four", 7), ==, 4);
  }
}

/* ---- nothing_found ---- */

static ReinsStep *
lookup_step (Fixture    *f,
             guint       n,
             const char *observation)
{
  g_autofree char *action = g_strdup_printf ("{\"name\":\"kb_lookup\",\"arguments\":"
                                             "{\"key\":\"missing-%u\"}}", n);

  return make_step (f, action, observation, FALSE);
}

/* Five results in a row that found nothing end the run, with the reason the run shows. */
static void
test_nothing_found_fires (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const observations[] = {
    "{\"error\": \"Unknown key\"}", "Not found.", "no such entry", "No match for that key",
  };
  ReinsStep *step;
  ReinsVerdict *verdict;

  for (guint i = 0; i < G_N_ELEMENTS (observations); i++)
    g_assert_cmpint (judge (f, lookup_step (f, i, observations[i]), "nothing_found"), ==, -1);

  step = lookup_step (f, 9, "{\"error\": \"key NOT FOUND\"}");
  g_assert_cmpint (judge (f, step, "nothing_found"), ==, REINS_VERDICT_TERMINATE);
  verdict = verdict_of (step, "nothing_found");
  g_assert_cmpstr (reins_verdict_get_reason (verdict), ==,
                   "The last 5 steps found nothing; the run ends here rather than guess an "
                   "answer.");
}

/* Four misses, then a find: the count starts again, so four more misses do not end it. A
 * `finish` is never ended by it, whatever its observation says; the next miss is the fifth. */
static void
test_nothing_found_reset (Fixture       *f,
                          gconstpointer  data)
{
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (judge (f, lookup_step (f, i, "not found"), "nothing_found"), ==, -1);
  g_assert_cmpint (judge (f, lookup_step (f, 4, "{\"value\": \"42\"}"), "nothing_found"), ==, -1);
  for (guint i = 5; i < 9; i++)
    g_assert_cmpint (judge (f, lookup_step (f, i, "not found"), "nothing_found"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, "{\"name\":\"finish\",\"arguments\":"
                                           "{\"answer\":\"not found\"}}", "not found", FALSE),
                          "nothing_found"), ==, -1);
  g_assert_cmpint (judge (f, lookup_step (f, 10, "not found"), "nothing_found"), ==,
                   REINS_VERDICT_TERMINATE);
}

/* A step without an observation found nothing either way: it breaks the run of misses. */
static void
test_nothing_found_no_observation (Fixture       *f,
                                   gconstpointer  data)
{
  g_assert_false (reins_guard_nothing_found_step_matches (make_step_free (f, NULL)));
  g_assert_true (reins_guard_nothing_found_step_matches (make_step_free (f, "No Such file")));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (judge (f, lookup_step (f, i, "not found"), "nothing_found"), ==, -1);
  g_assert_cmpint (judge (f, make_step (f, NULL, NULL, FALSE), "nothing_found"), ==, -1);
  g_assert_cmpint (judge (f, lookup_step (f, 5, "not found"), "nothing_found"), ==, -1);
}

/* Left out when the settings disable it. */
static void
test_nothing_found_disabled (void)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(JsonArray) disabled = json_array_new ();
  g_autoptr(ReinsHarness) harness = NULL;

  json_array_add_string_element (disabled, "nothing_found");
  json_object_set_array_member (settings, "disabled_guards", json_array_ref (disabled));
  harness = reins_harness_new_for_settings (settings);
  g_assert_null (reins_harness_get_guard (harness, "nothing_found"));
  g_assert_nonnull (reins_harness_get_guard (harness, "loop"));
}

static void
test_all_guards_listed (void)
{
  static const char * const expected[] = {
    "max_steps", "budget", "policy", "rate", "confidence", "tool_result", "grounding", "loop",
    "drift", "nothing_found", "critic",
  };
  g_autoptr(ReinsHarness) harness = reins_harness_new_for_settings (NULL);

  g_assert_cmpuint (g_strv_length ((char **) reins_harness_guard_names), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_nonnull (reins_harness_get_guard (harness, expected[i]));
}

/* A low-confidence call of a tool that does not exist cannot run: no question. A
 * low-confidence call that changes something, the policy letting it run, still asks. */
static void
test_confidence_unknown_tool (Fixture       *f,
                              gconstpointer  data)
{
  ReinsStep *step = make_step (f, "{\"name\":\"kb_search\",\"arguments\":{\"key\":\"chain-7-10/0\"}}", NULL, FALSE);
  JsonObject *policy = json_object_new ();

  json_object_set_string_member (policy, "write_file", "auto");
  json_object_set_object_member (f->context.settings, "tool_policy", policy);
  reins_step_set_confidence (step, 0.4, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  f->context.action_known = FALSE;
  g_assert_cmpint (judge (f, step, "confidence"), ==, REINS_VERDICT_ALLOW);

  step = make_step (f, "{\"name\":\"write_file\",\"arguments\":{\"path\":\"a\",\"content\":\"b\"}}", NULL, FALSE);
  reins_step_set_confidence (step, 0.4, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  f->context.action_known = TRUE;
  f->context.action_risk = REINS_RISK_WRITE;
  g_assert_cmpint (judge (f, step, "confidence"), ==, REINS_VERDICT_ASK);
}

/* A confidence just under the threshold is shown as under it, not rounded up to it. */
static void
test_confidence_shown_below (void)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(ReinsHarness) harness = reins_harness_new_for_settings (settings);
  g_autoptr(ReinsRun) run = reins_run_new ("t");
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ReinsStep) step = reins_step_new ("r", 1);
  g_autoptr(ReinsAction) action = reins_action_new_from_string ("{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1\"}}", NULL);
  g_autoptr(ReinsVerdict) verdict = NULL;
  ReinsGuardContext context = { 0 };

  context.run = run;
  context.history = history;
  context.settings = settings;
  context.action_known = TRUE;
  json_object_set_string_member (settings, "confidence_asks", "always");
  reins_step_set_action (step, action);
  reins_step_set_confidence (step, 0.6996, REINS_CONFIDENCE_SOURCE_LOGPROBS);
  verdict = reins_harness_evaluate (harness, REINS_VERDICT_PHASE_BEFORE_ACTION, &context, step);
  g_assert_nonnull (verdict);
  g_assert_nonnull (strstr (reins_verdict_get_reason (verdict), "0.699,"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/reins/harness/embedder", test_embedder);
  g_test_add_func ("/reins/harness/all-guards", test_all_guards_listed);
  ADD ("/reins/harness/embedder/provider", test_provider_embeddings);
  ADD ("/reins/harness/bad-settings", test_bad_settings);
  ADD ("/reins/harness/nothing-found/fires", test_nothing_found_fires);
  ADD ("/reins/harness/nothing-found/reset-does-not", test_nothing_found_reset);
  ADD ("/reins/harness/nothing-found/no-observation-does-not", test_nothing_found_no_observation);
  g_test_add_func ("/reins/harness/nothing-found/disabled", test_nothing_found_disabled);
  ADD ("/reins/harness/loop/paraphrase-fires", test_loop_paraphrase);
  ADD ("/reins/harness/loop/polling-progress-does-not", test_loop_polling_progress);
  ADD ("/reins/harness/loop/polling-tool-does-not", test_loop_polling_tool);
  ADD ("/reins/harness/loop/abab-fires", test_loop_abab);
  ADD ("/reins/harness/loop/reread-after-edit-does-not", test_loop_reread_after_edit);
  ADD ("/reins/harness/loop/escalation-and-window", test_loop_escalation_and_window);
  ADD ("/reins/harness/loop/compliance-not-flagged", test_loop_compliance);
  ADD ("/reins/harness/loop/no-action", test_loop_no_action);
  ADD ("/reins/harness/loop/empty-replies", test_loop_empty_replies);
  ADD ("/reins/harness/rate/per-run", test_rate_per_run);
  ADD ("/reins/harness/rate/window", test_rate_window);
  ADD ("/reins/harness/rate/plurals", test_rate_plurals);
  ADD ("/reins/harness/drift/on-task-does-not", test_drift_on_task_sim_chains);
  ADD ("/reins/harness/drift/off-task-fires", test_drift_off_task);
  ADD ("/reins/harness/drift/never-on-task-quiet", test_drift_never_on_task);
  ADD ("/reins/harness/tool-result/finish-after-failure", test_tool_result_finish_after_failure);
  ADD ("/reins/harness/tool-result/success-claim", test_tool_result_success_claim);
  ADD ("/reins/harness/tool-result/acknowledged", test_tool_result_acknowledged);
  ADD ("/reins/harness/tool-result/schema-slip-does-not", test_tool_result_schema_slip);
  ADD ("/reins/harness/tool-result/after-success", test_tool_result_after_success);
  ADD ("/reins/harness/grounding/invented-fires", test_grounding_invented);
  ADD ("/reins/harness/grounding/grounded-does-not", test_grounding_grounded);
  ADD ("/reins/harness/grounding/moved-past-fires", test_grounding_moved_past);
  ADD ("/reins/harness/grounding/insists-asks", test_grounding_insists);
  ADD ("/reins/harness/grounding/work-restarts-count", test_grounding_work_restarts);
  ADD ("/reins/harness/grounding/task-words-stand", test_grounding_task_words_stand);
  ADD ("/reins/harness/tool-result/truncated-slip-does-not", test_tool_result_truncated_slip);
  ADD ("/reins/harness/confidence/unknown-tool-does-not", test_confidence_unknown_tool);
  ADD ("/reins/harness/grounding/number-in-identifier-fires", test_grounding_number_in_identifier);
  ADD ("/reins/harness/grounding/prose-does-not", test_grounding_prose);
  ADD ("/reins/harness/budget/tokens", test_budget_tokens);
  ADD ("/reins/harness/budget/time", test_budget_time);
  ADD ("/reins/harness/policy/tool-policy", test_policy_tool_policy);
  ADD ("/reins/harness/policy/invalid-arguments", test_policy_invalid_arguments);

#undef ADD

  g_test_add_func ("/reins/harness/confidence/shown-below", test_confidence_shown_below);

  return g_test_run ();
}
