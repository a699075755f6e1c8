/* reins-bench-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the bench share: its set-ups, its jobs and its fields. Only
 * app/loop/reins-bench*.c include this.
 */

#pragma once

#include "reins-bench.h"
#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* Loop set-ups of a chain get this many times its fewest steps (at least the run default). */
#define CHAIN_STEP_FACTOR 3
/* Seeds of the repeats of one task lie this far apart. */
#define REPEAT_SEED_STRIDE 1000003

typedef enum
{
  SETUP_LINEAR,
  SETUP_LOOP,
  SETUP_HARNESS,
} SetupKind;

typedef struct
{
  char      *name;
  SetupKind  kind;
  char      *guard_off;  /* an ablation: the guard turned off */
} Setup;

typedef enum
{
  OUTCOME_RIGHT,
  OUTCOME_WRONG,
  OUTCOME_NONE,
} Outcome;

typedef struct
{
  ReinsBench    *bench;
  guint          setup;
  guint          task;
  guint          repeat;
  ReinsExecutor *executor;  /* while it runs */
  gboolean       done;
  Outcome        outcome;
  gboolean       failed;
  guint          questions;
  guint          stored_questions;  /* the approvals stored on the steps */
  guint          steps;
  guint          steps_judged;
  guint          steps_right;
  guint64        input_tokens;
  guint64        output_tokens;
  double         cost_usd;
} Job;

struct _ReinsBench
{
  GObject              parent_instance;

  char                *id;
  GPtrArray           *tasks;      /* ReinsBenchTask */
  JsonObject          *settings;   /* every run's, before the set-up's changes */
  ReinsProviderConfig *provider;
  char                *db_path;
  ReinsStore          *store;      /* to read the steps back */
  GArray              *setups;     /* Setup */
  ReinsBenchPerson     person;
  guint                repeat;
  guint                jobs;
  int                  max_steps;

  Job                 *job;
  guint                n_jobs;
  guint                next_job;
  guint                n_running;
  guint                n_done;
  guint                n_reached;  /* runs that got past the provider */
  GError              *error;
  gboolean             running;
  gboolean             cancelled;
};

gboolean _reins_bench_is_sim         (ReinsBench *self);
void     _reins_bench_record_outcome (ReinsBench *self,
                                      Job        *job,
                                      ReinsRun   *run);

G_END_DECLS
