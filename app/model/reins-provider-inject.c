/* reins-provider-inject.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mistake injection (docs/mistakes.md). The wrapper asks the wrapped provider as usual and,
 * for a fraction of the agent's replies, puts a mistake of a named kind in the reply's place,
 * in the reply's own form: a native tool call, or ReAct text. Everything it invents comes
 * from the conversation (its task, its tools, what the tools returned), never from a list a
 * checker could learn. It was written from public failure taxonomies of LLM agents, without
 * looking at the harness that is evaluated against it.
 *
 * Only agent steps are touched — a request with tools, or a ReAct request — so summaries and
 * other side calls pass through. The injected kind is recorded in the stored raw response
 * (REINS_INJECT_RAW_MEMBER) and nowhere the model can read it.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "reins-confidence.h"
#include "reins-provider-inject-private.h"

/* The frozen split of docs/mistakes.md: never move a kind to the other half. */
static const char * const kind_names[N_KINDS + 1] = {
  "repeat", "paraphrase", "malformed_args", "unknown_tool", "drift", "guessed_arg",
  "invented_word", "invented_number", "intermediate", "false_success", "invented_sentence",
  "invented_date", "invented_list", "premature_finish", NULL,
};
static const gboolean kind_evaluation[N_KINDS] = {
  FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE,
};

#define ALL_KINDS ((1u << N_KINDS) - 1)

struct _ReinsProviderInject
{
  GObject        parent_instance;

  ReinsProvider *inner;
  double         rate;
  guint          kinds;  /* bit i: Kind i */
  guint64        seed;
};

static void reins_provider_inject_iface_init (ReinsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsProviderInject, reins_provider_inject, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (REINS_TYPE_PROVIDER,
                                                      reins_provider_inject_iface_init))

/* The spec ------------------------------------------------------------------------------ */

const char * const *
reins_inject_get_kind_names (void)
{
  return kind_names;
}

/**
 * reins_inject_get_kind_set:
 *
 * Returns: (nullable): "tuning" or "evaluation", the frozen half @kind belongs to; %NULL
 *   for an unknown kind
 */
const char *
reins_inject_get_kind_set (const char *kind)
{
  for (guint i = 0; i < N_KINDS; i++)
    if (g_strcmp0 (kind, kind_names[i]) == 0)
      return kind_evaluation[i] ? "evaluation" : "tuning";
  return NULL;
}

static guint
half_mask (gboolean evaluation)
{
  guint mask = 0;

  for (guint i = 0; i < N_KINDS; i++)
    if (kind_evaluation[i] == evaluation)
      mask |= 1u << i;
  return mask;
}

static gboolean
spec_error (GError    **error,
            const char *spec,
            const char *why)
{
  g_autofree char *known = g_strjoinv (", ", (char **) kind_names);

  g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
               _("Malformed mistake injection “%s”: %s. Use RATE[:KIND,…] with RATE from 0 "
                 "to 1 and KIND one of tuning, evaluation, all, %s"),
               spec, why, known);
  return FALSE;
}

/**
 * reins_inject_parse_spec:
 * @spec: `RATE`, `RATE:tuning`, `RATE:evaluation`, `RATE:all` or `RATE:KIND,KIND…`
 * @rate: (out) (optional): the fraction of agent replies to replace
 * @kinds: (out) (optional): the kinds, one bit each (an opaque mask)
 *
 * A RATE alone means all kinds.
 *
 * Returns: %FALSE with a REINS_ERROR_USAGE error saying what is wrong
 */
gboolean
reins_inject_parse_spec (const char  *spec,
                         double      *rate,
                         guint       *kinds,
                         GError     **error)
{
  g_autofree char *rate_text = NULL;
  g_autofree char *trimmed = NULL;
  const char *colon;
  char *end = NULL;
  double r;
  guint mask = 0;

  if (spec == NULL)
    spec = "";
  trimmed = g_strstrip (g_strdup (spec));
  if (*trimmed == '\0')
    return spec_error (error, spec, _("it is empty"));

  colon = strchr (spec, ':');
  rate_text = g_strstrip (colon != NULL ? g_strndup (spec, colon - spec) : g_strdup (spec));
  if (*rate_text == '\0')
    return spec_error (error, spec, _("the rate is missing"));
  r = g_ascii_strtod (rate_text, &end);
  if (end == NULL || *end != '\0' || !isfinite (r))
    return spec_error (error, spec, _("the rate is not a number"));
  if (r < 0 || r > 1)
    return spec_error (error, spec, _("the rate must be from 0 to 1"));

  if (colon == NULL)
    mask = ALL_KINDS;
  else if (*colon == ':' && colon[1 + strspn (colon + 1, " \t")] == '\0')
    return spec_error (error, spec, _("no kind follows the colon"));
  else
    {
      g_auto(GStrv) parts = g_strsplit (colon + 1, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *part = g_strstrip (parts[i]);
          gboolean found = FALSE;

          if (*part == '\0')
            return spec_error (error, spec, _("a kind is empty"));
          if (g_str_equal (part, "all"))
            {
              mask |= ALL_KINDS;
              continue;
            }
          if (g_str_equal (part, "tuning") || g_str_equal (part, "evaluation"))
            {
              mask |= half_mask (g_str_equal (part, "evaluation"));
              continue;
            }
          for (guint k = 0; k < N_KINDS; k++)
            if (g_str_equal (part, kind_names[k]))
              {
                mask |= 1u << k;
                found = TRUE;
              }
          if (!found)
            {
              g_autofree char *why = g_strdup_printf (_("there is no kind “%s”"), part);
              return spec_error (error, spec, why);
            }
        }
    }

  if (rate != NULL)
    *rate = r;
  if (kinds != NULL)
    *kinds = mask;
  return TRUE;
}

/* The reply --------------------------------------------------------------------------- */

static gsize
visible_chars (ReinsChatResponse *response)
{
  gsize chars = strlen (response->text != NULL ? response->text : "");

  for (guint i = 0; response->tool_calls != NULL && i < response->tool_calls->len; i++)
    {
      g_autofree char *json = reins_action_to_string (g_ptr_array_index (response->tool_calls, i));

      chars += strlen (json);
    }
  return chars;
}

/* Real mistakes are often made with confidence: a mix of confident, as-usual and hesitant. */
static double
mistake_confidence (GRand  *rand,
                    double  usual)
{
  double x = g_rand_double (rand);

  if (x < 0.45)
    return reins_rand_normal_clamped (rand, 0.9, 0.05, 0.7, 0.995);
  if (x < 0.8)
    return reins_rand_normal_clamped (rand, usual, 0.05, 0.05, 0.995);
  return reins_rand_normal_clamped (rand, 0.55, 0.12, 0.15, 0.8);
}

static char *
raw_response_of (ReinsChatResponse *response,
                 ReinsChatResponse *wrapped,
                 const char        *kind)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, REINS_INJECT_RAW_MEMBER);
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, response->text);
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  for (guint i = 0; i < response->tool_calls->len; i++)
    {
      ReinsAction *call = g_ptr_array_index (response->tool_calls, i);

      json_builder_add_value (builder, reins_action_to_json (call));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "wrapped_text");
  json_builder_add_string_value (builder, wrapped->text != NULL ? wrapped->text : "");
  reins_json_add_string_or_null (builder, "wrapped_raw_response", wrapped->raw_response);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static ReinsChatResponse *
build_response (ReinsChatRequest  *request,
                ReinsChatResponse *wrapped,
                Context           *ctx,
                GRand             *rand,
                Kind               kind,
                Mistake           *m)
{
  ReinsChatResponse *response = reins_chat_response_new ();
  g_autofree char *args_json = NULL;
  gboolean with_logprobs = request->want_logprobs && wrapped->logprobs != NULL &&
                           wrapped->logprobs->len > 0;
  double usual = REINS_CONFIDENCE_DEFAULT;
  double confidence;
  gsize new_chars, old_chars;
  guint64 new_tokens, old_tokens;

  if (with_logprobs)
    {
      ReinsConfidenceSource source;

      usual = reins_confidence_compute (wrapped, NULL, &source);
    }
  confidence = mistake_confidence (rand, usual);

  if (ctx->native)
    {
      g_autofree char *call_id = ctx->call_id != NULL
                                 ? g_strdup (ctx->call_id)
                                 : g_strdup_printf ("call_%08x", g_rand_int (rand));
      g_autoptr(ReinsAction) action = reins_action_new_with_id (m->name, m->args, call_id);

      args_json = reins_action_dup_arguments_json (action);
      g_free (response->text);
      /* A model that says nothing before its tool calls goes on saying nothing. */
      response->text = g_strdup (wrapped->text != NULL && *wrapped->text != '\0' &&
                                 m->thought != NULL ? m->thought : "");
      g_ptr_array_add (response->tool_calls, g_steal_pointer (&action));
      response->finish_reason = g_strdup ("tool_calls");
      if (with_logprobs)
        {
          reins_chat_response_add_spread_logprobs (response, rand, response->text, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand, args_json, 0, confidence, TRUE);
        }
    }
  else
    {
      g_autofree char *thought_line = g_strdup_printf ("Thought: %s\n",
                                                       m->thought != NULL && *m->thought != '\0'
                                                       ? m->thought : "I continue.");
      g_autofree char *action_text = NULL;

      if (m->broken != NULL)
        action_text = g_strdup (m->broken);
      else
        {
          g_autoptr(ReinsAction) action = reins_action_new (m->name, m->args);

          action_text = reins_action_to_string (action);
        }
      g_free (response->text);
      response->text = g_strconcat (thought_line, "Action: ", action_text, NULL);
      response->finish_reason = g_strdup ("stop");
      if (with_logprobs)
        {
          g_autofree char *lead = g_strconcat (thought_line, "Action:", NULL);
          gsize lead_len = strlen (lead);

          reins_chat_response_add_spread_logprobs (response, rand, lead, 0,
                                                   reins_rand_normal_clamped (rand, 0.9, 0.04,
                                                                              0.6, 0.99),
                                                   FALSE);
          reins_chat_response_add_spread_logprobs (response, rand, response->text + lead_len,
                                                   lead_len, confidence, FALSE);
        }
    }

  /* The same prompt; the reply's share of the output replaced by the mistake's. */
  new_chars = visible_chars (response);
  old_chars = visible_chars (wrapped);
  response->input_tokens = wrapped->input_tokens;
  new_tokens = reins_chat_estimate_tokens (new_chars);
  old_tokens = MIN (wrapped->output_tokens, reins_chat_estimate_tokens (old_chars));
  response->output_tokens = MAX (new_tokens, wrapped->output_tokens + new_tokens - old_tokens);
  response->usage_reported = wrapped->usage_reported;
  response->latency_ms = wrapped->latency_ms;
  response->retries = wrapped->retries;
  response->raw_request = g_strdup (wrapped->raw_request);
  response->raw_response = raw_response_of (response, wrapped, kind_names[kind]);
  return response;
}

static GRand *
rand_for_request (ReinsProviderInject *self,
                  ReinsChatRequest    *request)
{
  guint32 seed_array[5];
  guint32 hash = 0;

  /* The same seed and conversation give the same draws, whatever came before. */
  for (guint i = 0; i < request->messages->len; i++)
    {
      const ReinsChatMessage *m = g_ptr_array_index (request->messages, i);

      hash = hash * 31 + g_str_hash (m->content != NULL ? m->content : "");
      for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
        {
          g_autofree char *json = reins_action_to_string (g_ptr_array_index (m->tool_calls, j));

          hash = hash * 31 + g_str_hash (json);
        }
    }
  seed_array[0] = (guint32) (self->seed & 0xffffffff);
  seed_array[1] = (guint32) (self->seed >> 32);
  seed_array[2] = request->messages->len;
  seed_array[3] = hash;
  seed_array[4] = 0x1e7ec7;
  return g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
}

static ReinsChatResponse *
reins_provider_inject_chat (ReinsProvider     *provider,
                            ReinsChatRequest  *request,
                            ReinsTokenFunc     token_func,
                            gpointer           token_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  ReinsProviderInject *self = REINS_PROVIDER_INJECT (provider);
  g_autoptr(GRand) rand = NULL;
  g_autoptr(ReinsChatResponse) wrapped = NULL;
  ReinsChatResponse *response = NULL;
  gboolean inject;
  guint order[N_KINDS];
  guint n = 0;
  Context ctx;

  if (!reins_inject_is_agent_request (request))
    return reins_provider_chat (self->inner, request, token_func, token_data, cancellable, error);

  rand = rand_for_request (self, request);
  inject = self->kinds != 0 && g_rand_double (rand) < self->rate;
  if (!inject)
    return reins_provider_chat (self->inner, request, token_func, token_data, cancellable, error);

  /* The wrapped reply is not streamed: what is shown is what the step will hold. */
  wrapped = reins_provider_chat (self->inner, request, NULL, NULL, cancellable, error);
  if (wrapped == NULL)
    return NULL;

  reins_inject_read_context (request, wrapped, &ctx);

  /* The enabled kinds in a random order; the first that fits this moment is made. */
  for (guint k = 0; k < N_KINDS; k++)
    if (self->kinds & (1u << k))
      order[n++] = k;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
  /* Right after a failed call, claiming it worked is what agents most often do wrong, so
   * that kind, when enabled, comes first half of the time. */
  if ((self->kinds & (1u << KIND_FALSE_SUCCESS)) && g_rand_boolean (rand))
    for (guint i = 1; i < n; i++)
      if (order[i] == KIND_FALSE_SUCCESS)
        {
          order[i] = order[0];
          order[0] = KIND_FALSE_SUCCESS;
        }
  for (guint i = 0; i < n && response == NULL; i++)
    {
      Mistake m = { 0 };

      ctx.evaluation = kind_evaluation[order[i]];
      if (reins_inject_make_mistake (&ctx, rand, order[i], &m))
        response = build_response (request, wrapped, &ctx, rand, order[i], &m);
      reins_inject_mistake_clear (&m);
    }
  reins_inject_context_clear (&ctx);

  if (response == NULL)
    response = g_steal_pointer (&wrapped);

  if (token_func != NULL && request->stream &&
      !reins_chat_stream_text (response->text, 0, token_func, token_data, cancellable, error))
    {
      reins_chat_response_free (response);
      return NULL;
    }
  return response;
}

static const char *
reins_provider_inject_get_name (ReinsProvider *provider)
{
  /* The wrapped provider's name: the loop treats the wrapper like what it wraps. */
  return reins_provider_get_name (REINS_PROVIDER_INJECT (provider)->inner);
}

static gboolean
reins_provider_inject_supports_embeddings (ReinsProvider *provider)
{
  return reins_provider_supports_embeddings (REINS_PROVIDER_INJECT (provider)->inner);
}

static GPtrArray *
reins_provider_inject_embed (ReinsProvider      *provider,
                             const char * const *texts,
                             GCancellable       *cancellable,
                             GError            **error)
{
  return reins_provider_embed (REINS_PROVIDER_INJECT (provider)->inner, texts, cancellable, error);
}

static void
reins_provider_inject_dispose (GObject *object)
{
  ReinsProviderInject *self = (ReinsProviderInject *) object;

  g_clear_object (&self->inner);

  G_OBJECT_CLASS (reins_provider_inject_parent_class)->dispose (object);
}

static void
reins_provider_inject_class_init (ReinsProviderInjectClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = reins_provider_inject_dispose;
}

static void
reins_provider_inject_iface_init (ReinsProviderInterface *iface)
{
  iface->get_name = reins_provider_inject_get_name;
  iface->chat = reins_provider_inject_chat;
  iface->supports_embeddings = reins_provider_inject_supports_embeddings;
  iface->embed = reins_provider_inject_embed;
}

static void
reins_provider_inject_init (ReinsProviderInject *self)
{
}

/**
 * reins_provider_inject_new:
 * @inner: (transfer none): the provider to wrap
 * @spec: `RATE[:KIND,…]` (see reins_inject_parse_spec())
 * @seed: the seed of the draws
 *
 * Returns: (transfer full): the wrapper, or %NULL with a usage error for a malformed @spec
 */
ReinsProvider *
reins_provider_inject_new (ReinsProvider  *inner,
                           const char     *spec,
                           guint64         seed,
                           GError        **error)
{
  ReinsProviderInject *self;
  double rate;
  guint kinds;

  g_return_val_if_fail (REINS_IS_PROVIDER (inner), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reins_inject_parse_spec (spec, &rate, &kinds, error))
    return NULL;

  self = g_object_new (REINS_TYPE_PROVIDER_INJECT, NULL);
  self->inner = g_object_ref (inner);
  self->rate = rate;
  self->kinds = kinds;
  self->seed = seed;
  return REINS_PROVIDER (self);
}

/**
 * reins_provider_inject_wrap_for_settings:
 * @inner: (transfer full): the run's provider
 * @settings: the run's settings: "inject_mistakes" (the spec; none: no injection) and
 *   "inject_seed" (else "seed", else 0)
 *
 * Returns: (transfer full): @inner itself, or a wrapper around it; %NULL with @error set
 *   (and @inner released) when the spec is malformed
 */
ReinsProvider *
reins_provider_inject_wrap_for_settings (ReinsProvider  *inner,
                                         JsonObject     *settings,
                                         GError        **error)
{
  g_autoptr(ReinsProvider) owned = inner;
  JsonNode *spec;
  JsonNode *seed;

  g_return_val_if_fail (REINS_IS_PROVIDER (inner), NULL);

  spec = settings != NULL ? json_object_get_member (settings, "inject_mistakes") : NULL;
  if (spec == NULL || JSON_NODE_HOLDS_NULL (spec))
    return g_steal_pointer (&owned);
  if (json_node_get_value_type (spec) != G_TYPE_STRING)
    {
      g_set_error (error, REINS_ERROR, REINS_ERROR_USAGE,
                   _("The setting “inject_mistakes” must be a string such as “0.1:tuning”"));
      return NULL;
    }

  seed = json_object_get_member (settings, "inject_seed");
  if (seed == NULL || !JSON_NODE_HOLDS_VALUE (seed))
    seed = json_object_get_member (settings, "seed");

  return reins_provider_inject_new (inner, json_node_get_string (spec),
                                    seed != NULL && JSON_NODE_HOLDS_VALUE (seed) &&
                                    json_node_get_value_type (seed) == G_TYPE_INT64
                                    ? (guint64) json_node_get_int (seed) : 0,
                                    error);
}

ReinsProvider *
reins_provider_inject_get_inner (ReinsProviderInject *self)
{
  g_return_val_if_fail (REINS_IS_PROVIDER_INJECT (self), NULL);

  return self->inner;
}

/**
 * reins_inject_dup_kind_of_raw:
 * @raw_response: (nullable): a stored raw response
 *
 * Returns: (transfer full) (nullable): the kind injected into that exchange, or %NULL
 */
char *
reins_inject_dup_kind_of_raw (const char *raw_response)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (raw_response == NULL || strstr (raw_response, REINS_INJECT_RAW_MEMBER) == NULL)
    return NULL;
  node = reins_json_from_string (raw_response, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  return g_strdup (reins_inject_member_string (object, REINS_INJECT_RAW_MEMBER));
}
