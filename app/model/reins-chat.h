/* reins-chat.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What goes to a model and what comes back, independent of any wire format.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "reins-domain.h"

G_BEGIN_DECLS

typedef enum
{
  REINS_CHAT_ROLE_SYSTEM,
  REINS_CHAT_ROLE_USER,
  REINS_CHAT_ROLE_ASSISTANT,
  REINS_CHAT_ROLE_TOOL,
} ReinsChatRole;

/* One turn of the conversation. An assistant turn may carry tool calls (ReinsAction with
 * the provider's call ids); a tool turn answers one of them by id and tool name. */
typedef struct
{
  ReinsChatRole  role;
  char          *content;
  GPtrArray     *tool_calls;   /* (element-type ReinsAction) (nullable) */
  char          *tool_call_id; /* for REINS_CHAT_ROLE_TOOL */
  char          *tool_name;    /* for REINS_CHAT_ROLE_TOOL */
  gboolean       is_error;     /* for REINS_CHAT_ROLE_TOOL */
} ReinsChatMessage;

ReinsChatMessage *reins_chat_message_new       (ReinsChatRole     role,
                                                const char       *content);
ReinsChatMessage *reins_chat_message_new_tool  (const char       *tool_call_id,
                                                const char       *tool_name,
                                                const char       *content,
                                                gboolean          is_error);
ReinsChatMessage *reins_chat_message_copy      (const ReinsChatMessage *message);
void              reins_chat_message_free      (ReinsChatMessage *message);
void              reins_chat_message_add_tool_call (ReinsChatMessage *message,
                                                    ReinsAction      *action);
const char       *reins_chat_role_to_string    (ReinsChatRole     role);

/* Why a request is made: a step of the agent, or one of the loop's own calls. Offline
 * providers (sim, scripted) answer each kind as a model would. */
typedef enum
{
  REINS_CHAT_PURPOSE_STEP,
  REINS_CHAT_PURPOSE_CRITIC,   /* judge a proposed answer or a step (reins_prompt_critic) */
} ReinsChatPurpose;

typedef struct
{
  char       *model;
  ReinsChatPurpose purpose;
  GPtrArray  *messages;       /* (element-type ReinsChatMessage) */
  JsonArray  *tools;          /* (nullable) [{name, description, parameters}], provider-neutral */
  double      temperature;    /* < 0: the server's default */
  guint       max_tokens;     /* 0: the server's default */
  gboolean    want_logprobs;
  gboolean    stream;
  gboolean    native_tools;   /* FALSE: text ReAct, tools described in the prompt */
} ReinsChatRequest;

/* A new request has temperature -1, want_logprobs, stream and native_tools TRUE. */
ReinsChatRequest *reins_chat_request_new        (void);
void              reins_chat_request_add        (ReinsChatRequest *request,
                                                 ReinsChatMessage *message);
void              reins_chat_request_free       (ReinsChatRequest *request);
JsonNode         *reins_chat_request_to_json    (const ReinsChatRequest *request);

/* One generated token and its log-probability; @offset is the byte offset of the token's
 * text in the response text (or in the tool-call arguments when @in_tool_call). */
typedef struct
{
  char    *token;
  double   logprob;
  gsize    offset;
  gboolean in_tool_call;
} ReinsTokenLogprob;

typedef struct
{
  char       *text;            /* never NULL; "" when the reply was only tool calls */
  GPtrArray  *tool_calls;      /* (element-type ReinsAction), with call ids */
  GArray     *logprobs;        /* (element-type ReinsTokenLogprob) (nullable): none returned */
  guint64     input_tokens;
  guint64     output_tokens;
  gboolean    usage_reported;  /* FALSE: the counts are estimates */
  char       *finish_reason;   /* stop, length, tool_calls, … as the server said */
  char       *raw_request;     /* the request body, key-free, for the store */
  char       *raw_response;    /* the response body (the whole stream, for streams) */
  gint64      latency_ms;
  guint       retries;
} ReinsChatResponse;

ReinsChatResponse *reins_chat_response_new  (void);
void               reins_chat_response_free (ReinsChatResponse *response);
void               reins_chat_response_add_logprob (ReinsChatResponse *response,
                                                    const char        *token,
                                                    double             logprob,
                                                    gsize              offset,
                                                    gboolean           in_tool_call);

/* Synthetic log-probabilities, for providers that simulate a model: 4-byte tokens of @text
 * (at byte @base of the reply) whose exp(mean) is exactly @confidence. */
void               reins_chat_response_add_spread_logprobs (ReinsChatResponse *response,
                                                            GRand             *rand,
                                                            const char        *text,
                                                            gsize              base,
                                                            double             confidence,
                                                            gboolean           in_tool_call);
/* A normal draw (mean, sd) clamped to [low, high]. */
double             reins_rand_normal_clamped (GRand  *rand,
                                              double  mean,
                                              double  sd,
                                              double  low,
                                              double  high);

/* Called on the worker thread for each streamed text delta. */
typedef void (*ReinsTokenFunc) (const char *delta,
                                gpointer    user_data);

/* For providers that simulate a model: a token count from a length in bytes, and @text
 * streamed in pieces of six characters, @delay_ms apart. */
guint64            reins_chat_estimate_tokens (gsize           chars);
gboolean           reins_chat_stream_text     (const char     *text,
                                               guint           delay_ms,
                                               ReinsTokenFunc  token_func,
                                               gpointer        token_data,
                                               GCancellable   *cancellable,
                                               GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsChatMessage, reins_chat_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsChatRequest, reins_chat_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsChatResponse, reins_chat_response_free)

G_END_DECLS
