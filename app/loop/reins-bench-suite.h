/* reins-bench-suite.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tasks a bench runs, and how their answers are matched (docs/bench.md).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  REINS_BENCH_MATCH_EXACT,     /* the answer, trimmed, is the expected text */
  REINS_BENCH_MATCH_CONTAINS,  /* the answer holds the expected text, case aside */
  REINS_BENCH_MATCH_REGEX,     /* the expected Perl regular expression matches the answer */
  REINS_BENCH_MATCH_NUMERIC,   /* the answer's number equals the expected one */
} ReinsBenchMatch;

typedef struct
{
  char            *id;
  char            *task;
  char            *expected;
  ReinsBenchMatch  match;
  char           **tools;         /* NULL: the bench's tools */
  guint            min_steps;     /* the fewest steps that can do it; 0: not known */
  guint            chain_seed;    /* a knowledge-base chain: its seed and length; */
  guint            chain_length;  /* 0 for a task of a user's suite */
} ReinsBenchTask;

void             reins_bench_task_free      (ReinsBenchTask        *task);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsBenchTask, reins_bench_task_free)

GPtrArray       *reins_bench_suite_chains   (guint                  n_tasks,
                                             guint                  length);
GPtrArray       *reins_bench_suite_parse    (const char            *text,
                                             const char            *name,
                                             GError               **error);
GPtrArray       *reins_bench_suite_load     (const char            *path,
                                             GError               **error);
gboolean         reins_bench_task_matches   (const ReinsBenchTask  *task,
                                             const char            *answer);
const char      *reins_bench_match_to_string (ReinsBenchMatch      match);

G_END_DECLS
