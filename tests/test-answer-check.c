/* test-answer-check.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer check behind the grounding guard, on answers of many shapes — a bare word, a
 * sentence, a list, a number, a date, an identifier, a pointer — each once supported by the
 * run's tool results and once not.
 */

#include "config.h"

#include <string.h>

#include "reins-answer-check.h"

typedef enum
{
  CLEAN,
  UNSUPPORTED,
  TASK_ONLY,
  MOVED_PAST,
} Expect;

typedef struct
{
  const char *task;
  guint       n;
  const char *observations[6];
  const char *arguments[6];      /* one string argument per step */
} Run;

/* A knowledge-base chain of four lookups. */
static const Run chain_run = {
  "Follow the knowledge-base chain that starts at chain-7-4/0 with kb_lookup and report the "
  "value at its end.",
  4,
  { "{\"next\": \"chain-7-4/1-a1b2\"}", "{\"next\": \"chain-7-4/2-c3d4\"}",
    "{\"next\": \"chain-7-4/3-e5f6\"}", "{\"value\": \"meadow\"}" },
  { "chain-7-4/0", "chain-7-4/1-a1b2", "chain-7-4/2-c3d4", "chain-7-4/3-e5f6" },
};

/* A document read once. */
static const Run report_run = {
  "What does report.txt say about revenue?",
  1,
  { "Revenue in 2023 was $1,234,000, up 12.5% from 2022. The report was published on "
    "March 5, 2024 by Jane Doe in Oslo. Regions: north, south, east." },
  { "report.txt" },
};

/* A file that holds one word. */
static const Run word_run = {
  "Which word does word.txt hold?",
  1,
  { "the\n" },
  { "word.txt" },
};

/* A search, then the file it found: the file is the answer, not a step on the way. */
static const Run search_run = {
  "Which source file still has a TODO about the parser?",
  2,
  { "src/app.c:3: // TODO fix the parser", "int main (void)\n{\n  // TODO fix the parser\n}" },
  { "TODO", "src/app.c" },
};

static Expect
judge (const Run  *run,
       const char *answer)
{
  ReinsEvidence evidence[6];
  const char *arguments[6][2];
  g_autoptr(ReinsAnswerCheck) check = NULL;

  for (guint i = 0; i < run->n; i++)
    {
      arguments[i][0] = run->arguments[i];
      arguments[i][1] = NULL;
      evidence[i] = (ReinsEvidence) { i + 1, run->observations[i], arguments[i] };
    }
  check = reins_answer_check (answer, run->task, evidence, run->n);

  if (check->unsupported->len > 0)
    return UNSUPPORTED;
  if (check->moved_past->len > 0)
    return MOVED_PAST;
  if (check->task_only->len > 0)
    return TASK_ONLY;
  return CLEAN;
}

typedef struct
{
  const Run  *run;
  const char *answer;
  Expect      expect;
} Case;

static const Case cases[] = {
  /* A bare word, and the same in a sentence, in quotes, capitalised. */
  { &chain_run, "meadow", CLEAN },
  { &chain_run, "Meadow", CLEAN },
  { &chain_run, "\"meadow\"", CLEAN },
  { &chain_run, "The value at the end of the chain is meadow.", CLEAN },
  { &chain_run, "After following all four links, the final value I reached is meadow.", CLEAN },
  { &chain_run, "basalt", UNSUPPORTED },
  { &chain_run, "The final value is basalt.", UNSUPPORTED },
  { &chain_run, "the chain ends at glimmerstone", UNSUPPORTED },
  { &chain_run, "4521", UNSUPPORTED },
  /* A pointer the run moved past, or a "next" link, is not the result. */
  { &chain_run, "chain-7-4/2-c3d4", MOVED_PAST },
  { &chain_run, "The value is chain-7-4/3-e5f6.", MOVED_PAST },
  { &chain_run, "chain-7-4/0", TASK_ONLY },
  { &chain_run, "The final knowledge I arrived at is chain-7-4/2-c3d4.", MOVED_PAST },
  { &chain_run, "Starting from chain-7-4/0, the lookups arrived at meadow.", CLEAN },
  /* A short answer is checked whole: the task's words are not a result. */
  { &chain_run, "knowledge", TASK_ONLY },
  { &chain_run, "kb_lookup", TASK_ONLY },
  /* Saying one could not find out asserts nothing; a guess after it does. */
  { &chain_run, "I could not find the value at the end of the chain.", CLEAN },
  { &chain_run, "Unable to determine.", CLEAN },
  { &chain_run, "I could not verify it, but the value is probably basalt.", UNSUPPORTED },
  { &chain_run, "Done.", CLEAN },
  /* Nothing but function words is no answer: checked whole. */
  { &chain_run, "that", UNSUPPORTED },
  { &chain_run, "does", UNSUPPORTED },
  { &chain_run, "It is.", UNSUPPORTED },
  { &chain_run, "OK", CLEAN },
  { &report_run, "Both of them.", CLEAN },
  { &report_run, "None", CLEAN },
  /* Numbers by value. */
  { &report_run, "$1,234,000", CLEAN },
  { &report_run, "1234000", CLEAN },
  { &report_run, "1.234e6", CLEAN },
  { &report_run, "1.234 million", CLEAN },
  { &report_run, "about 1.2 million dollars", CLEAN },
  { &report_run, "1.3 million", UNSUPPORTED },
  { &report_run, "$1,243,000", UNSUPPORTED },
  { &report_run, "12.5%", CLEAN },
  { &report_run, "12.5 percent", CLEAN },
  { &report_run, "13%", UNSUPPORTED },
  /* Dates by the day they name. */
  { &report_run, "2024-03-05", CLEAN },
  { &report_run, "5 March 2024", CLEAN },
  { &report_run, "Mar 5, 2024", CLEAN },
  { &report_run, "03/05/2024", CLEAN },
  { &report_run, "2024-03-06", UNSUPPORTED },
  { &report_run, "June 5, 2024", UNSUPPORTED },
  /* Names and lists. */
  { &report_run, "Jane Doe", CLEAN },
  { &report_run, "John Doe", UNSUPPORTED },
  { &report_run, "north, south and east", CLEAN },
  { &report_run, "north, south and west", UNSUPPORTED },
  { &report_run, "- north\n- south\n- east", CLEAN },
  /* Prose. */
  { &report_run, "Revenue was $1,234,000 in 2023, up 12.5% from 2022, according to the report "
                 "Jane Doe published in Oslo.", CLEAN },
  { &report_run, "Revenue was $1,234,000 in 2023, according to a report published in Bergen.",
    UNSUPPORTED },
  { &report_run, "Revenue grew strongly thanks to cloud sales.", UNSUPPORTED },
  /* Judgements are not facts to look up. */
  { &report_run, "Yes", CLEAN },
  { &report_run, "No, it does not.", CLEAN },
  /* A file the run found and then read is an answer, not a step on the way. */
  { &search_run, "src/app.c", CLEAN },
  { &search_run, "The TODO about the parser is in src/app.c.", CLEAN },
  { &search_run, "src/main.c", UNSUPPORTED },
  /* A function word a tool returned as the whole result is an answer. */
  { &word_run, "the", CLEAN },
  { &word_run, "that", UNSUPPORTED },
};

static void
test_shapes (void)
{
  static const char * const names[] = { "clean", "unsupported", "task-only", "moved past" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Expect got = judge (cases[i].run, cases[i].answer);

      if (got != cases[i].expect)
        g_error ("“%s”: expected %s, got %s", cases[i].answer, names[cases[i].expect],
                 names[got]);
    }
}

static void
test_lists_what_is_missing (void)
{
  const char *arguments[] = { "report.txt", NULL };
  ReinsEvidence evidence = { 1, report_run.observations[0], arguments };
  g_autoptr(ReinsAnswerCheck) check =
    reins_answer_check ("Jane Doe and Max Mustermann met in Oslo and Bergen.", report_run.task,
                        &evidence, 1);

  static const char * const missing[] = { "max", "mustermann", "bergen", "met" };

  /* Names first, as written; then the plain word the sentence needs them for. */
  g_assert_cmpuint (check->unsupported->len, ==, G_N_ELEMENTS (missing));
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    g_assert_cmpstr (g_ptr_array_index (check->unsupported, i), ==, missing[i]);
  g_assert_false (reins_answer_check_is_clean (check));
}

static void
test_moved_past_names_the_step (void)
{
  ReinsEvidence evidence[4];
  const char *arguments[4][2];
  g_autoptr(ReinsAnswerCheck) check = NULL;

  for (guint i = 0; i < 4; i++)
    {
      arguments[i][0] = chain_run.arguments[i];
      arguments[i][1] = NULL;
      evidence[i] = (ReinsEvidence) { i + 1, chain_run.observations[i], arguments[i] };
    }
  check = reins_answer_check ("chain-7-4/1-a1b2", chain_run.task, evidence, 4);
  g_assert_cmpuint (check->moved_past->len, ==, 1);
  /* Step 2 looked it up and went on. */
  g_assert_cmpuint (check->moved_past_step, ==, 2);
}

static void
test_numbers (void)
{
  static const struct { const char *text; gboolean ok; double value; } numbers[] = {
    { "1,000", TRUE, 1000 }, { "1000", TRUE, 1000 }, { "1e3", TRUE, 1000 },
    { "-3.5", TRUE, -3.5 }, { "$40", TRUE, 40 }, { "12%", TRUE, 12 }, { "5km", TRUE, 5 },
    { "3rd", TRUE, 3 }, { "abc", FALSE, 0 }, { "4521abcd", FALSE, 0 }, { "", FALSE, 0 },
    { "1,2,3", TRUE, 123 }, { "--5", FALSE, 0 }, { "1e", TRUE, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      double value = 0;
      gboolean ok = reins_answer_parse_number (numbers[i].text, &value);

      if (ok != numbers[i].ok || (ok && value != numbers[i].value))
        g_error ("“%s”: %d %g", numbers[i].text, ok, value);
    }
}

static void
test_dates (void)
{
  static const struct { const char *text; const char *date; } dates[] = {
    { "March 5, 2024", "2024-03-05" }, { "5 Mar 2024", "2024-03-05" },
    { "2024-03-05", "2024-03-05" }, { "2024/3/5", "2024-03-05" }, { "March 2024", "2024-03" },
    { "5th of never", NULL }, { "may be", NULL }, { "", NULL }, { "2024-13-40", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *date = reins_answer_normalize_date (dates[i].text);

      if (g_strcmp0 (date, dates[i].date) != 0)
        g_error ("“%s”: %s", dates[i].text, date);
    }
}

/* With no tool result at all, an agent that says it cannot do the task explains itself. */
static void
test_refusal_without_results (void)
{
  g_autoptr(ReinsAnswerCheck) refusal =
    reins_answer_check ("I am a simulator, not a real language model, so I cannot do this task. "
                        "Choose a real provider for it.", "Write a poem about autumn.", NULL, 0);
  g_autoptr(ReinsAnswerCheck) guess =
    reins_answer_check ("The poem is about falling leaves.", "Write a poem about autumn.", NULL, 0);

  g_assert_true (reins_answer_check_is_clean (refusal));
  g_assert_false (reins_answer_check_is_clean (guess));
}

/* Malformed input: invalid UTF-8, no task, no evidence, a huge result. */
static void
test_malformed (void)
{
  g_autoptr(ReinsAnswerCheck) bad = reins_answer_check ("caf\xc3\x28 \xff basalt", NULL, NULL, 0);
  g_autoptr(ReinsAnswerCheck) empty = reins_answer_check ("", NULL, NULL, 0);
  g_autoptr(ReinsAnswerCheck) none = reins_answer_check (NULL, NULL, NULL, 0);
  g_autofree char *huge = g_strnfill (8 * 1024 * 1024, 'x');
  ReinsEvidence evidence = { 1, huge, NULL };
  g_autoptr(ReinsAnswerCheck) big = NULL;

  g_assert_cmpuint (bad->unsupported->len, >, 0);
  g_assert_true (reins_answer_check_is_clean (empty));
  g_assert_true (reins_answer_check_is_clean (none));

  big = reins_answer_check ("basalt", "task", &evidence, 1);
  g_assert_cmpuint (big->unsupported->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reins/harness/answer-check/shapes", test_shapes);
  g_test_add_func ("/reins/harness/answer-check/lists-what-is-missing", test_lists_what_is_missing);
  g_test_add_func ("/reins/harness/answer-check/moved-past-step", test_moved_past_names_the_step);
  g_test_add_func ("/reins/harness/answer-check/numbers", test_numbers);
  g_test_add_func ("/reins/harness/answer-check/dates", test_dates);
  g_test_add_func ("/reins/harness/answer-check/refusal-without-results", test_refusal_without_results);
  g_test_add_func ("/reins/harness/answer-check/malformed", test_malformed);

  return g_test_run ();
}
