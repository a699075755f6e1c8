/* reins-executor-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the executor share: the object's fields, the worker's state and the
 * step's. Only app/loop/reins-executor*.c include this.
 */

#pragma once

#include "reins-compressor.h"
#include "reins-prompt.h"
#include "reins-event-queue.h"
#include "reins-executor.h"
#include "reins-step-pipeline.h"
#include "reins-store.h"
#include "reins-tool-registry.h"

G_BEGIN_DECLS

/* The worker's events (ReinsEvent.type): index is a step's, value a status, object a step,
 * an approval (record) or a copy of the run. */
typedef enum
{
  EVENT_STEP_STARTED,
  EVENT_TOKEN,
  EVENT_STEP_FINISHED,
  EVENT_APPROVAL_REQUESTED,
  EVENT_APPROVAL_RESOLVED,
  EVENT_STATUS_CHANGED,
  EVENT_FINISHED,
  EVENT_TOOL_PROGRESS,
} EventType;

struct _ReinsExecutor
{
  GObject              parent_instance;

  GMainContext        *main_context;
  ReinsRun            *run;            /* the main thread's view, updated from events */
  ReinsRunSetup       *setup;          /* what to run and how; the worker reads it */
  GThread             *thread;
  GCancellable        *cancellable;
  GError              *error;
  ReinsApproval       *shown_approval; /* the main context's view of the question, from events */
  guint                step;           /* the step under way or last finished, from events */
  guint                paused_shown : 1; /* "paused" as last notified */

  GMutex               mutex;          /* guards everything below */
  GCond                cond;
  ReinsEventQueue     *events;
  ReinsApproval       *pending_approval;
  guint                paused : 1;
  guint                step_once : 1;
  guint                cancel_requested : 1;
  guint                started : 1;
  guint                running : 1;
};

/* Everything the worker owns. */
typedef struct
{
  ReinsExecutor     *executor;
  GCancellable      *cancellable;
  ReinsStore        *store;
  ReinsProvider     *provider;
  ReinsProvider     *critic_provider;   /* made at the first critic call */
  char              *critic_unavailable; /* why it could not be made */
  char              *critic_model;
  ReinsToolRegistry *tools;
  ReinsHarness      *harness;
  ReinsRun          *run;
  GPtrArray         *steps;
  JsonArray         *tool_descriptions;
  ReinsToolContext   tool_context;
  ReinsStep         *current;
  GError            *error;
  ReinsCompressor   *compressor;
  gboolean           native;
  gboolean           stop_requested;
  gboolean           fork_action_used;  /* the person's action of a fork took its first step */
  guint              end_now_step;      /* a person chose "End Now" here: the next step is the last */
  gint64             person_us;         /* how long the current step waited on a person */
  char              *unrun_calls;       /* for the observation: calls of the reply not run */
  ReinsPromptTally  *prompt_tally;      /* for measuring the prompts */
} Worker;

/* The state of the step being worked, passed between its phases. */
typedef struct
{
  Worker            *w;
  ReinsStep         *step;
  ReinsGuardContext  context;
  ReinsChatRequest  *request;          /* the prompt, from PROMPT to REPLY */
  char              *parse_error;      /* why the reply held no action */
  char              *validation_error;
  char              *final_answer;
  ReinsVerdict      *verdict;          /* the harness's after the observation */
  gboolean           skip_action;
  gint64             t0;
} StepState;

void             _reins_executor_push_event     (ReinsExecutor       *self,
                                                 ReinsEvent          *event);

gpointer         reins_worker_main              (gpointer             data);
void             reins_worker_set_status        (Worker              *w,
                                                 ReinsRunStatus       status,
                                                 const char          *reason);
gboolean         reins_worker_commit_step       (Worker              *w,
                                                 ReinsStep           *step,
                                                 gboolean             announce);
void             reins_worker_end_run           (Worker              *w,
                                                 ReinsRunStatus       status,
                                                 const char          *reason);
ReinsStepOutcome reins_worker_end_with_step     (Worker              *w,
                                                 ReinsStep           *step,
                                                 ReinsRunStatus       status,
                                                 const char          *reason,
                                                 const char          *final_answer);
ReinsStepOutcome reins_worker_end_cancelled     (Worker              *w,
                                                 ReinsStep           *step,
                                                 gboolean             commit);
ReinsStepOutcome reins_worker_run_step          (Worker              *w,
                                                 ReinsStep           *pending);
void             reins_worker_describe_action   (Worker              *w,
                                                 ReinsAction         *action,
                                                 ReinsGuardContext   *context,
                                                 char               **validation_error);
void             reins_step_state_set_duration  (StepState           *s);

ReinsDecision    reins_worker_ask_person        (Worker              *w,
                                                 ReinsStep           *step,
                                                 ReinsApprovalRecord *record,
                                                 gboolean             is_question,
                                                 ReinsApproval      **out_approval);
ReinsStepOutcome reins_worker_step_ask          (Worker              *w,
                                                 StepState           *s,
                                                 ReinsApprovalRecord *record);
ReinsStepOutcome reins_worker_step_reopen       (Worker              *w,
                                                 StepState           *s,
                                                 ReinsStep           *pending);
ReinsApprovalRecord *reins_worker_open_question (ReinsStep           *step);
char            *reins_worker_ask_human         (const char          *question,
                                                 gpointer             user_data,
                                                 GCancellable        *cancellable);
JsonObject      *reins_worker_elicit            (const char          *server,
                                                 JsonObject          *request,
                                                 gpointer             user_data,
                                                 GCancellable        *cancellable);

G_END_DECLS
