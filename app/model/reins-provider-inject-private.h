/* reins-provider-inject-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of mistake injection share: the kinds, the conversation as read from a
 * request (reins-inject-context.c), invention (reins-inject-invent.c) and the mistakes
 * (reins-inject-mistakes.c). Only those files and reins-provider-inject.c include it.
 */

#pragma once

#include "reins-json-util.h"
#include "reins-provider-inject.h"

G_BEGIN_DECLS

typedef enum
{
  KIND_REPEAT,
  KIND_PARAPHRASE,
  KIND_MALFORMED_ARGS,
  KIND_UNKNOWN_TOOL,
  KIND_DRIFT,
  KIND_GUESSED_ARG,
  KIND_INVENTED_WORD,
  KIND_INVENTED_NUMBER,
  KIND_INTERMEDIATE,
  KIND_FALSE_SUCCESS,
  KIND_INVENTED_SENTENCE,
  KIND_INVENTED_DATE,
  KIND_INVENTED_LIST,
  KIND_PREMATURE_FINISH,
  N_KINDS
} Kind;

typedef struct
{
  char      *text;
  gboolean   error;
  guint      after;   /* how many actions came before it */
  GPtrArray *atoms;   /* (element-type utf8) its string and number values, or its words */
} Observation;

typedef struct
{
  gboolean     native;
  const char  *task;
  GPtrArray   *tools;         /* (element-type JsonObject) {name, parameters} */
  GPtrArray   *actions;       /* (element-type ReinsAction) earlier actions, in order */
  GPtrArray   *thoughts;      /* (element-type utf8) their thoughts */
  GPtrArray   *observations;  /* (element-type Observation) */
  char        *all_lower;     /* every message, lower case: what was observed */
  GPtrArray   *words;         /* (element-type utf8) the vocabulary of task and results */
  GPtrArray   *task_words;    /* (element-type utf8) the task's own content words */
  GArray      *numbers;       /* (element-type double) numbers seen in task and results */
  ReinsAction *intended;      /* (nullable) the wrapped reply's action */
  char        *intended_thought;
  const char  *call_id;       /* (nullable) the wrapped reply's tool call id */
  char        *finish_member; /* the argument of `finish` */
  gboolean     evaluation;    /* the kind being made is of the evaluation half */
} Context;

typedef struct
{
  char       *thought;
  char       *name;
  JsonObject *args;
  char       *broken;   /* ReAct: the text after `Action: ` instead of the action's JSON */
} Mistake;

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

/* reins-inject-context.c */
void         reins_inject_context_clear     (Context           *ctx);
void         reins_inject_add_unique        (GPtrArray         *array,
                                             const char        *string);
const char  *reins_inject_string_of         (JsonNode          *node);
const char  *reins_inject_member_string     (JsonObject        *object,
                                             const char        *member);
JsonObject  *reins_inject_tool_parameters   (JsonObject        *tool);
JsonObject  *reins_inject_schema_properties (JsonObject        *tool);
JsonObject  *reins_inject_find_tool         (Context           *ctx,
                                             const char        *name);
gboolean     reins_inject_is_agent_request  (ReinsChatRequest  *request);
void         reins_inject_read_context      (ReinsChatRequest  *request,
                                             ReinsChatResponse *wrapped,
                                             Context           *ctx);
gboolean     reins_inject_observed          (Context           *ctx,
                                             const char        *text);
gboolean     reins_inject_is_finish         (ReinsAction       *action);
ReinsAction *reins_inject_last_action       (Context           *ctx);
Observation *reins_inject_last_observation  (Context           *ctx);

/* reins-inject-invent.c */
gpointer     reins_inject_pick                (GRand       *rand,
                                               GPtrArray   *array);
char        *reins_inject_syllable_word       (GRand       *rand);
char        *reins_inject_capitalised         (char        *word);
char        *reins_inject_invent_word         (Context     *ctx,
                                               GRand       *rand);
char        *reins_inject_invent_number       (Context     *ctx,
                                               GRand       *rand);
char        *reins_inject_invent_date         (Context     *ctx,
                                               GRand       *rand);
char        *reins_inject_fill                (const char  *frame,
                                               const char  *subject,
                                               const char  *value);
char        *reins_inject_sentence_with       (Context     *ctx,
                                               GRand       *rand,
                                               const char  *value);
char        *reins_inject_invent_sentence     (Context     *ctx,
                                               GRand       *rand);
char        *reins_inject_invent_list         (Context     *ctx,
                                               GRand       *rand);
char        *reins_inject_guess_like          (Context     *ctx,
                                               GRand       *rand,
                                               const char  *value);
char        *reins_inject_thought_of          (GRand       *rand,
                                               const char  *statement);
char        *reins_inject_first_string_member (JsonObject  *args,
                                               char       **value);
ReinsAction *reins_inject_base_tool_action    (Context     *ctx);
GPtrArray   *reins_inject_passed_pointers     (Context     *ctx);

/* reins-inject-mistakes.c */
void     reins_inject_mistake_clear (Mistake *m);
gboolean reins_inject_make_mistake  (Context *ctx,
                                     GRand   *rand,
                                     Kind     kind,
                                     Mistake *m);

G_END_DECLS
