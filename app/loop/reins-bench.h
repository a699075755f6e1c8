/* reins-bench.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bench: a task suite run through the real executor under several set-ups (a linear
 * pipeline, a loop, the loop with its harness, the harness with one guard off), with a
 * simulated person answering, and what came of it per set-up (docs/bench.md).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "reins-bench-suite.h"
#include "reins-domain.h"
#include "reins-provider.h"
#include "reins-store.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_BENCH_PERSON_APPROVE,  /* approves every action it is asked about */
  REINS_BENCH_PERSON_REJECT,   /* rejects every one */
  REINS_BENCH_PERSON_JUDGE,    /* approves unless a guard besides policy/confidence objects */
} ReinsBenchPerson;

const char      *reins_bench_person_to_string (ReinsBenchPerson    person);
gboolean         reins_bench_person_from_string (const char        *text,
                                                 ReinsBenchPerson  *person);
ReinsDecision    reins_bench_person_decide  (ReinsBenchPerson       person,
                                             ReinsApprovalRecord   *record,
                                             ReinsStep             *step);

/* What came of one set-up, summed over its runs. */
typedef struct
{
  char    *name;
  guint    runs;
  guint    right;
  guint    wrong;
  guint    none;           /* no answer, or a runaway: max steps, terminated, cancelled, failed */
  guint    failed;         /* of none: ended by a provider or store error */
  guint    questions;      /* every time the person was asked */
  guint    steps;
  guint    steps_judged;   /* steps whose rightness is known (chains only) */
  guint    steps_right;
  guint64  input_tokens;
  guint64  output_tokens;
  double   cost_usd;
} ReinsBenchResult;

#define REINS_TYPE_BENCH (reins_bench_get_type ())

G_DECLARE_FINAL_TYPE (ReinsBench, reins_bench, REINS, BENCH, GObject)

ReinsBench      *reins_bench_new             (GPtrArray                 *tasks,
                                              JsonObject                *settings,
                                              const ReinsProviderConfig *provider,
                                              const char                *db_path);
ReinsBench      *reins_bench_new_from_store  (ReinsStore                *store,
                                              const char                *bench_id,
                                              GError                   **error);
GPtrArray       *reins_bench_list_stored     (ReinsStore                *store,
                                              GError                   **error);
const char      *reins_bench_get_id          (ReinsBench                *self);
gboolean         reins_bench_set_setups      (ReinsBench                *self,
                                              const char                *list,
                                              GError                   **error);
void             reins_bench_set_person      (ReinsBench                *self,
                                              ReinsBenchPerson           person);
void             reins_bench_set_repeat      (ReinsBench                *self,
                                              guint                      repeat);
void             reins_bench_set_jobs        (ReinsBench                *self,
                                              guint                      jobs);
void             reins_bench_set_max_steps   (ReinsBench                *self,
                                              int                        max_steps);
void             reins_bench_start           (ReinsBench                *self);
void             reins_bench_cancel          (ReinsBench                *self);
gboolean         reins_bench_is_running      (ReinsBench                *self);
guint            reins_bench_get_n_done      (ReinsBench                *self);
guint            reins_bench_get_n_total     (ReinsBench                *self);
const GError    *reins_bench_get_error       (ReinsBench                *self);
GPtrArray       *reins_bench_dup_results     (ReinsBench                *self);
JsonNode        *reins_bench_to_json         (ReinsBench                *self);
char            *reins_bench_format_table    (ReinsBench                *self);
char            *reins_bench_describe        (ReinsBench                *self);

/* The columns of the results table: set-up, step accuracy, right, wrong, no answer,
 * questions/task, steps/task, tokens/task, cost. */
#define REINS_BENCH_N_COLUMNS 9

const char      *reins_bench_column_title    (guint                      column);
GStrv            reins_bench_result_format   (const ReinsBenchResult    *result);

void             reins_bench_result_free     (ReinsBenchResult          *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsBenchResult, reins_bench_result_free)

G_END_DECLS
