/* reins-provider.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsProvider: a model behind some wire format. `chat` is synchronous and runs on the
 * executor's worker thread; each provider instance owns its own SoupSession, so one
 * instance belongs to one worker.
 */

#pragma once

#include <gio/gio.h>

#include "reins-chat.h"

G_BEGIN_DECLS

#define REINS_TYPE_PROVIDER (reins_provider_get_type ())

G_DECLARE_INTERFACE (ReinsProvider, reins_provider, REINS, PROVIDER, GObject)

struct _ReinsProviderInterface
{
  GTypeInterface parent_iface;

  const char        *(*get_name)            (ReinsProvider     *self);
  ReinsChatResponse *(*chat)                (ReinsProvider     *self,
                                             ReinsChatRequest  *request,
                                             ReinsTokenFunc     token_func,
                                             gpointer           token_data,
                                             GCancellable      *cancellable,
                                             GError           **error);
  gboolean           (*supports_embeddings) (ReinsProvider     *self);
  GPtrArray         *(*embed)               (ReinsProvider     *self,
                                             const char * const *texts,
                                             GCancellable      *cancellable,
                                             GError           **error);
  GStrv              (*list_models)         (ReinsProvider     *self,
                                             GCancellable      *cancellable,
                                             GError           **error);
};

/* How to reach a provider; every field may be left at its zero value for the default. */
typedef struct
{
  char    *name;          /* sim, openai, anthropic, ollama, scripted */
  char    *base_url;
  char    *model;
  char    *api_key;       /* never logged, stored or exported */
  char    *script_path;   /* scripted */
  guint64  seed;          /* sim */
  double   sim_accuracy;  /* sim; <= 0 means 0.88 */
  double   sim_critic_accuracy; /* sim, as a critic: how often its judgement is right; <= 0 means 0.88 */
  guint    timeout_s;     /* connect + read; 0 means 120 */
  guint    request_timeout_s; /* one whole request, retries and stream included; 0 means 300 */
  guint    max_retries;   /* G_MAXUINT means the default, 3 */
  guint    retry_base_ms; /* first back-off delay; 0 means 500 (or $REINS_RETRY_BASE_MS) */
  guint    stream_delay_ms; /* sim, scripted: pause between streamed chunks; 0 means none */
  char    *embedding_model; /* openai, ollama: model for `embed`; NULL means a default */
} ReinsProviderConfig;

ReinsProviderConfig *reins_provider_config_new  (const char          *name);
ReinsProviderConfig *reins_provider_config_copy (const ReinsProviderConfig *config);
void                 reins_provider_config_free (ReinsProviderConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsProviderConfig, reins_provider_config_free)

ReinsProvider     *reins_provider_new_for_config   (const ReinsProviderConfig *config,
                                                    GError           **error);
const char        *reins_provider_get_name         (ReinsProvider     *self);
ReinsChatResponse *reins_provider_chat             (ReinsProvider     *self,
                                                    ReinsChatRequest  *request,
                                                    ReinsTokenFunc     token_func,
                                                    gpointer           token_data,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
gboolean           reins_provider_supports_embeddings (ReinsProvider  *self);
/* Returns: (element-type GArray) one GArray of float per text, in order. */
GPtrArray         *reins_provider_embed            (ReinsProvider     *self,
                                                    const char * const *texts,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
/* Returns: (transfer full): the server's model names, sorted; blocks */
GStrv              reins_provider_list_models      (ReinsProvider     *self,
                                                    GCancellable      *cancellable,
                                                    GError           **error);

/* The provider names reins_provider_new_for_config knows, NULL-terminated. */
const char * const *reins_provider_get_names       (void);
/* Maps a short error name (auth, rate_limited, unreachable, protocol, timeout, cancelled,
 * provider) to a REINS_ERROR code; unknown names give REINS_ERROR_PROVIDER. */
ReinsError         reins_provider_error_from_string (const char       *name);
char              *reins_provider_describe_error    (const GError     *error);

G_END_DECLS
