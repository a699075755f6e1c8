/* reins-cli-private.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the commands of reins-cli share: exit codes, the error line, the store and run ids.
 */

#pragma once

#include <glib.h>

#include "reins-executor.h"
#include "reins-harness.h"
#include "reins-otlp-exporter.h"
#include "reins-provider.h"
#include "reins-run-options.h"
#include "reins-store.h"

G_BEGIN_DECLS

/* CONTRACTS §1 */
typedef enum
{
  REINS_CLI_EXIT_OK       = 0,
  REINS_CLI_EXIT_FAILED   = 1,  /* run: ended without an answer; export: output not written */
  REINS_CLI_EXIT_USAGE    = 2,  /* bad command, option or argument; unknown or ambiguous run */
  REINS_CLI_EXIT_PROVIDER = 3,
  REINS_CLI_EXIT_STORE    = 4,
} ReinsCliExit;

/* A run id may be shortened to a unique prefix of at least this many characters. */
#define REINS_CLI_MIN_ID_PREFIX 6

typedef struct
{
  const char *name;
  const char *parameters;
  const char *summary;
  int       (*run) (int argc, char **argv);
} ReinsCliCommand;

int             reins_cli_list          (int           argc,
                                         char        **argv);
int             reins_cli_show          (int           argc,
                                         char        **argv);
int             reins_cli_export        (int           argc,
                                         char        **argv);
int             reins_cli_run           (int           argc,
                                         char        **argv);

int             reins_cli_replay        (int           argc,
                                         char        **argv);
int             reins_cli_bench         (int           argc,
                                         char        **argv);
int             reins_cli_import        (int           argc,
                                         char        **argv);
int             reins_cli_judge         (int           argc,
                                         char        **argv);
int             reins_cli_store         (int           argc,
                                         char        **argv);
int             reins_cli_approve       (int           argc,
                                         char        **argv);
int             reins_cli_reject        (int           argc,
                                         char        **argv);
void            reins_cli_remote_wait   (ReinsApproval *approval,
                                         const char   *db,
                                         guint         timeout_s,
                                         gboolean      stop_on_timeout);

/* The provider and run options of `run` and `bench` (reins-cli-provider.c): the run options
 * the option parser fills in (their strings and lists owned here; -1 or NULL: not given),
 * and how to reach the provider. */
typedef struct
{
  ReinsRunOptions  run;
  char            *api_key_env;
  char            *script;
  char           **mcp_client_ids;  /* --mcp-client-id=NAME=ID, for this process only */
  /* The help of --provider and --api-key-env, from the provider descriptors */
  char            *provider_help;
  char            *key_env_help;
} ReinsCliProviderOptions;

void                 reins_cli_provider_options_init           (ReinsCliProviderOptions  *o);
void                 reins_cli_provider_options_clear          (ReinsCliProviderOptions  *o);
void                 reins_cli_provider_options_add_entries    (GOptionContext           *context,
                                                                ReinsCliProviderOptions  *o);
gboolean             reins_cli_provider_options_check          (ReinsCliProviderOptions  *o,
                                                                GError                  **error);
void                 reins_cli_provider_options_fill           (ReinsCliProviderOptions  *o,
                                                                gboolean                  new_run);
ReinsProviderConfig *reins_cli_provider_options_config         (ReinsCliProviderOptions  *o);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReinsCliProviderOptions, reins_cli_provider_options_clear)

/* The guard options of `run` and `replay` (reins-cli-guards.c); -1 or NULL: not given. */
typedef struct
{
  double   loop_threshold;
  char    *polling_tools;
  char   **rate_limits;
  gint64   token_budget;
  double   time_budget;
  double   drift_threshold;
  int      drift_window;
  char   **tool_policy;
  char    *embeddings;
  char    *confidence_asks;
  int      grounding_corrections;
  char    *critic;
} ReinsCliGuardOptions;

void            reins_cli_guard_options_init        (ReinsCliGuardOptions *o);
void            reins_cli_guard_options_clear       (ReinsCliGuardOptions *o);
void            reins_cli_guard_options_add_entries (GOptionContext       *context,
                                                     ReinsCliGuardOptions *o);
gboolean        reins_cli_guard_options_apply       (ReinsCliGuardOptions *o,
                                                     JsonObject           *settings,
                                                     GError              **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReinsCliGuardOptions, reins_cli_guard_options_clear)

/* What `replay` and `judge` judge a stored run under: the guard options and the run limits
 * (reins-cli-guards.c); -1 or NULL: the run's own. Applying them only reads them. */
typedef struct
{
  ReinsCliGuardOptions  guards;
  double                threshold;
  double                budget;
  int                   max_steps;
  char                **no_guard;
} ReinsCliWhatIfOptions;

void            reins_cli_what_if_options_init        (ReinsCliWhatIfOptions *o);
void            reins_cli_what_if_options_clear       (ReinsCliWhatIfOptions *o);
void            reins_cli_what_if_options_add_entries (GOptionContext        *context,
                                                       ReinsCliWhatIfOptions *o);
gboolean        reins_cli_what_if_options_check       (ReinsCliWhatIfOptions *o);
gboolean        reins_cli_what_if_options_apply       (ReinsCliWhatIfOptions *o,
                                                       JsonObject            *settings,
                                                       GError               **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReinsCliWhatIfOptions, reins_cli_what_if_options_clear)

/* The live OpenTelemetry export of `run` (reins-cli-otlp.c). */
typedef struct
{
  char      *endpoint;
  char     **headers;
  char      *key_header;
  gboolean   content;
} ReinsCliOtlpOptions;

void            reins_cli_otlp_options_clear        (ReinsCliOtlpOptions  *o);
void            reins_cli_otlp_options_add_entries  (GOptionContext       *context,
                                                     ReinsCliOtlpOptions  *o);
gboolean        reins_cli_otlp_options_exporter     (ReinsCliOtlpOptions  *o,
                                                     ReinsOtlpExporter   **exporter,
                                                     GError              **error);
void            reins_cli_otlp_finish               (ReinsOtlpExporter    *exporter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReinsCliOtlpOptions, reins_cli_otlp_options_clear)

void            reins_cli_print_error   (const char   *format,
                                         ...) G_GNUC_PRINTF (1, 2);
int             reins_cli_usage_error   (const char   *format,
                                         ...) G_GNUC_PRINTF (1, 2);
int             reins_cli_fail          (GError       *error);
GOptionContext *reins_cli_context_new   (const char   *command,
                                         const char   *parameters,
                                         const char   *summary,
                                         GOptionEntry *entries);
gboolean        reins_cli_parse         (GOptionContext *context,
                                         int            *argc,
                                         char         ***argv,
                                         int             min_args,
                                         int             max_args);
gboolean        reins_cli_open_store    (const char   *db_path,
                                         ReinsStore  **store,
                                         GError      **error);
ReinsRun       *reins_cli_find_run      (ReinsStore   *store,
                                         const char   *db_path,
                                         const char   *run_id,
                                         GError      **error);
GPtrArray      *reins_cli_read_run      (const char   *db_path,
                                         const char   *run_id,
                                         ReinsRun    **run,
                                         ReinsStore  **out_store,
                                         GError      **error);
void            reins_cli_write_stdout  (const char   *text);

/* The window's preferences, for what the command line leaves out (reins-cli-settings.c). */
typedef struct
{
  char   **provider;
  char   **base_url;
  char   **model;
  int     *max_steps;
  int     *goal_every;
  int     *tool_timeout;
  double  *budget;
  double  *threshold;
  double  *price_in;
  double  *price_out;
  char  ***no_guard;
  char  ***mcp;
} ReinsCliDefaults;

void            reins_cli_settings_fill    (ReinsCliDefaults *defaults,
                                            gboolean          new_run);
void            reins_cli_settings_apply   (JsonObject       *run_settings);
void            reins_cli_settings_use_mcp_clients (void);
char           *reins_cli_settings_api_key (const char       *provider,
                                            const char       *env);
char           *reins_cli_format_time   (gint64        unix_usec);

void            reins_cli_signals_block (void);
void            reins_cli_signals_watch (ReinsExecutor *executor,
                                         const char    *db,
                                         gboolean       json);

G_END_DECLS
