/* test-otlp-export.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live OTLP/HTTP export against a loopback collector: the spans arrive as OTLP/JSON at
 * /v1/traces with the headers asked for; 429, 5xx and dropped connections are retried,
 * Retry-After is honoured, other refusals are not retried, dropped connections are tried
 * again and then given up; a full queue drops the oldest; a
 * collector that never answers does not hold up the end past the flush's deadline; and
 * `reins-cli run --otlp-endpoint` sends a run's spans without showing its key.
 */

#include "config.h"

#include <string.h>

#include "reins-error.h"
#include "reins-otlp-exporter.h"
#include "reins-test-cli.h"
#include "reins-test-server.h"

/* What the collector saw, and how it answers: one of the replies below per request, in
 * order; the last one for every request after. */
typedef enum
{
  ANSWER_OK,
  ANSWER_429,
  ANSWER_429_LONG,    /* Retry-After: 30 */
  ANSWER_500,
  ANSWER_503,
  ANSWER_400,
  ANSWER_DROP,        /* a 502 whose connection is dropped before its body ends */
  ANSWER_SLOW,        /* 200 after 300 ms */
  ANSWER_SILENT,      /* never answers */
} Answer;

typedef struct
{
  GMutex      lock;
  GPtrArray  *bodies;        /* char * */
  GPtrArray  *auth;          /* char *: the Authorization header of each request */
  GPtrArray  *custom;        /* char *: X-Team */
  GPtrArray  *content_types;
  GPtrArray  *paths;
  const Answer *answers;
  guint       n_answers;
} Collector;

static void
collector_init (Collector    *c,
                const Answer *answers,
                guint         n_answers)
{
  g_mutex_init (&c->lock);
  c->bodies = g_ptr_array_new_with_free_func (g_free);
  c->auth = g_ptr_array_new_with_free_func (g_free);
  c->custom = g_ptr_array_new_with_free_func (g_free);
  c->content_types = g_ptr_array_new_with_free_func (g_free);
  c->paths = g_ptr_array_new_with_free_func (g_free);
  c->answers = answers;
  c->n_answers = n_answers;
}

static void
collector_clear (Collector *c)
{
  g_ptr_array_unref (c->bodies);
  g_ptr_array_unref (c->auth);
  g_ptr_array_unref (c->custom);
  g_ptr_array_unref (c->content_types);
  g_ptr_array_unref (c->paths);
  g_mutex_clear (&c->lock);
}

static void
collector_handler (const char     *path,
                   const char     *body,
                   guint           index,
                   ReinsTestReply *reply,
                   gpointer        user_data)
{
  Collector *c = user_data;
  Answer answer = c->answers[MIN (index, c->n_answers - 1)];

  g_mutex_lock (&c->lock);
  g_ptr_array_add (c->bodies, g_strdup (body));
  g_ptr_array_add (c->auth, g_strdup (reins_test_reply_get_header (reply, "Authorization")));
  g_ptr_array_add (c->custom, g_strdup (reins_test_reply_get_header (reply, "X-Team")));
  g_ptr_array_add (c->content_types, g_strdup (reins_test_reply_get_header (reply, "Content-Type")));
  g_ptr_array_add (c->paths, g_strdup (path));
  g_mutex_unlock (&c->lock);

  switch (answer)
    {
    case ANSWER_OK:
      reins_test_reply_add (reply, 0, "{}", -1);
      break;
    case ANSWER_SLOW:
      reins_test_reply_add (reply, 300, "{}", -1);
      break;
    case ANSWER_429:
      reins_test_reply_set_status (reply, 429);
      reins_test_reply_add_header (reply, "Retry-After", "0");
      reins_test_reply_add (reply, 0, "slow down", -1);
      break;
    case ANSWER_429_LONG:
      reins_test_reply_set_status (reply, 429);
      reins_test_reply_add_header (reply, "Retry-After", "30");
      reins_test_reply_add (reply, 0, "slow down", -1);
      break;
    case ANSWER_500:
      reins_test_reply_set_status (reply, 500);
      reins_test_reply_add (reply, 0, "oops", -1);
      break;
    case ANSWER_503:
      reins_test_reply_set_status (reply, 503);
      reins_test_reply_add (reply, 0, "busy", -1);
      break;
    case ANSWER_400:
      reins_test_reply_set_status (reply, 400);
      reins_test_reply_add (reply, 0, "{\"message\":\"bad\"}", -1);
      break;
    case ANSWER_DROP:
      reins_test_reply_set_status (reply, 502);
      reins_test_reply_abort (reply);
      break;
    case ANSWER_SILENT:
      reins_test_fault_reply (reply, REINS_TEST_FAULT_SILENT);
      break;
    default:
      g_assert_not_reached ();
    }
}

static guint
collector_n (Collector *c)
{
  guint n;

  g_mutex_lock (&c->lock);
  n = c->bodies->len;
  g_mutex_unlock (&c->lock);
  return n;
}

/* A run of @n steps, each calling a tool. */
static ReinsRun *
make_run (guint       n,
          GPtrArray **steps)
{
  ReinsRun *run = reins_run_new ("Read the notes");

  reins_run_set_provider (run, "sim");
  reins_run_set_model (run, "sim-1");
  *steps = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(JsonObject) args = json_object_new ();
      g_autoptr(ReinsAction) action = NULL;
      ReinsStep *step = reins_step_new (reins_run_get_id (run), i);

      json_object_set_string_member (args, "path", "notes.txt");
      action = reins_action_new ("read_file", args);
      reins_step_set_thought (step, "secret thought");
      reins_step_set_action (step, action);
      reins_step_set_observation (step, "the notes");
      g_ptr_array_add (*steps, step);
    }
  return run;
}

/* Adds each step as its own batch, then the run's span. */
static void
add_run (ReinsOtlpExporter *exporter,
         ReinsRun          *run,
         GPtrArray         *steps)
{
  for (guint i = 0; i < steps->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, g_ptr_array_index (steps, i));
      reins_otlp_exporter_add (exporter, run, one, REINS_OTLP_STEP_SPANS);
    }
  reins_otlp_exporter_add (exporter, run, steps, REINS_OTLP_RUN_SPAN);
}

static ReinsOtlpExporter *
exporter_for (ReinsTestServer *server)
{
  g_autoptr(GError) error = NULL;
  ReinsOtlpExporter *exporter = reins_otlp_exporter_new (reins_test_server_get_url (server),
                                                         &error);

  g_assert_no_error (error);
  return exporter;
}

typedef enum
{
  STAT_DELIVERED,
  STAT_DROPPED,
  STAT_RETRIES,
} Stat;

/* Waits (before any flush) until the exporter's thread has counted @n of @stat. */
static ReinsOtlpExporterStats
wait_stat (ReinsOtlpExporter *exporter,
           Stat               stat,
           guint              n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  ReinsOtlpExporterStats stats;

  for (;;)
    {
      guint value;

      reins_otlp_exporter_get_stats (exporter, &stats);
      value = stat == STAT_DELIVERED ? stats.delivered :
              stat == STAT_DROPPED ? stats.dropped : stats.retries;
      if (value >= n)
        return stats;
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the exporter");
      g_usleep (1000);
    }
}

/* The spans of an OTLP/JSON body, checked against the mapping on the way. */
static guint
count_spans (const char *body,
             const char *name_prefix)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root = reins_test_parse_object (body, &node);
  JsonArray *resource_spans = json_object_get_array_member (root, "resourceSpans");
  guint n = 0;

  g_assert_cmpuint (json_array_get_length (resource_spans), ==, 1);
  for (guint i = 0; i < json_array_get_length (resource_spans); i++)
    {
      JsonArray *scopes = json_object_get_array_member (json_array_get_object_element (resource_spans, i),
                                                        "scopeSpans");
      for (guint j = 0; j < json_array_get_length (scopes); j++)
        {
          JsonArray *spans = json_object_get_array_member (json_array_get_object_element (scopes, j),
                                                           "spans");
          for (guint k = 0; k < json_array_get_length (spans); k++)
            {
              JsonObject *span = json_array_get_object_element (spans, k);

              g_assert_cmpuint (strlen (json_object_get_string_member (span, "traceId")), ==, 32);
              g_assert_cmpuint (strlen (json_object_get_string_member (span, "spanId")), ==, 16);
              /* Unix nanoseconds, as strings. */
              g_assert_cmpint (json_node_get_value_type (json_object_get_member (span, "startTimeUnixNano")),
                               ==, G_TYPE_STRING);
              if (name_prefix == NULL ||
                  g_str_has_prefix (json_object_get_string_member (span, "name"), name_prefix))
                n++;
            }
        }
    }
  return n;
}

static void
test_url (void)
{
  struct { const char *endpoint; const char *url; } good[] = {
    { "http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/traces" },
    { "http://collector:4318/", "http://collector:4318/v1/traces" },
    { "https://otlp.example.com/api/otel", "https://otlp.example.com/api/otel/v1/traces" },
    { "http://127.0.0.1:4318/v1/traces", "http://127.0.0.1:4318/v1/traces" },
  };
  const char *bad[] = { "ftp://collector/", "collector:4318", "http://", "", "not a url" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = reins_otlp_exporter_traces_url (good[i].endpoint, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i].url);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsOtlpExporter) exporter = reins_otlp_exporter_new (bad[i], &error);

      g_assert_null (exporter);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
    }
}

static void
test_headers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsOtlpExporter) exporter = reins_otlp_exporter_new ("http://127.0.0.1:9", &error);
  const char *bad[] = { "no-equals-sign", "bad name=x", "=x", "X-Key=a\r\nInjected: yes",
                       "Authorization: Bearer Injected=x" };

  g_assert_no_error (error);
  g_assert_true (reins_otlp_exporter_add_header (exporter, "Authorization=Bearer k", &error));
  g_assert_true (reins_otlp_exporter_add_headers (exporter, "x-a=b%20c, x-d=e=f,", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (reins_otlp_exporter_add_header (exporter, bad[i], &error));
      g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
      /* The value may be a key: the message never repeats it. */
      g_assert_null (strstr (error->message, "Injected"));
      g_clear_error (&error);
    }
  g_assert_false (reins_otlp_exporter_add_headers (exporter, "x-a=%zz%", &error));
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);
}

static void
test_env (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsOtlpExporter) none = NULL;
  g_autoptr(ReinsOtlpExporter) base = NULL;
  g_autoptr(ReinsOtlpExporter) traces = NULL;
  g_autoptr(ReinsOtlpExporter) broken = NULL;

  g_unsetenv ("OTEL_EXPORTER_OTLP_ENDPOINT");
  g_unsetenv ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  none = reins_otlp_exporter_new_from_env (&error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_setenv ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", TRUE);
  base = reins_otlp_exporter_new_from_env (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_otlp_exporter_get_url (base), ==, "http://127.0.0.1:4318/v1/traces");

  /* The signal's own variable is the URL as it is. */
  g_setenv ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/custom", TRUE);
  traces = reins_otlp_exporter_new_from_env (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (reins_otlp_exporter_get_url (traces), ==, "http://127.0.0.1:4318/custom");

  g_setenv ("OTEL_EXPORTER_OTLP_HEADERS", "no-equals", TRUE);
  broken = reins_otlp_exporter_new_from_env (&error);
  g_assert_null (broken);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_USAGE);

  g_unsetenv ("OTEL_EXPORTER_OTLP_ENDPOINT");
  g_unsetenv ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  g_unsetenv ("OTEL_EXPORTER_OTLP_HEADERS");
}

/* A loopback collector answering @answers, an exporter sending to it, and a run of @n_steps
 * tool calls. */
typedef struct
{
  Collector               c;
  ReinsTestServer        *server;
  ReinsOtlpExporter      *exporter;
  ReinsRun               *run;
  GPtrArray              *steps;
  ReinsOtlpExporterStats  stats;
} Loopback;

static void
loopback_start (Loopback     *l,
                const Answer *answers,
                guint         n_answers,
                guint         n_steps)
{
  collector_init (&l->c, answers, n_answers);
  l->server = reins_test_server_new (collector_handler, &l->c);
  l->exporter = exporter_for (l->server);
  l->run = make_run (n_steps, &l->steps);
}

/* Flushes with @timeout_ms and reads the counts; returns what the flush said. */
static gboolean
loopback_flush (Loopback *l,
                guint     timeout_ms)
{
  gboolean all = reins_otlp_exporter_flush (l->exporter, timeout_ms);

  reins_otlp_exporter_get_stats (l->exporter, &l->stats);
  return all;
}

static void
loopback_stop (Loopback *l)
{
  g_clear_object (&l->exporter);
  g_clear_pointer (&l->server, reins_test_server_free);
  g_clear_object (&l->run);
  g_clear_pointer (&l->steps, g_ptr_array_unref);
  collector_clear (&l->c);
}

static void
test_delivered (void)
{
  static const Answer answers[] = { ANSWER_OK };
  g_autoptr(GError) error = NULL;
  guint chat = 0, tools = 0, agents = 0;
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 3);
  g_assert_true (reins_otlp_exporter_add_header (l.exporter, "Authorization=Bearer s3cret", &error));
  g_assert_true (reins_otlp_exporter_add_headers (l.exporter, "X-Team=blue%20team", &error));

  add_run (l.exporter, l.run, l.steps);
  g_assert_true (loopback_flush (&l, 10000));
  /* A chat and a tool span per step, and the run's. */
  g_assert_cmpuint (l.stats.delivered, ==, 7);
  g_assert_cmpuint (l.stats.dropped, ==, 0);
  g_assert_cmpuint (l.stats.retries, ==, 0);
  g_assert_cmpuint (collector_n (&l.c), ==, 4);
  for (guint i = 0; i < l.c.bodies->len; i++)
    {
      const char *body = g_ptr_array_index (l.c.bodies, i);

      g_assert_cmpstr (g_ptr_array_index (l.c.paths, i), ==, "/v1/traces");
      g_assert_cmpstr (g_ptr_array_index (l.c.content_types, i), ==, "application/json");
      g_assert_cmpstr (g_ptr_array_index (l.c.auth, i), ==, "Bearer s3cret");
      g_assert_cmpstr (g_ptr_array_index (l.c.custom, i), ==, "blue team");
      chat += count_spans (body, "chat");
      tools += count_spans (body, "execute_tool");
      agents += count_spans (body, "invoke_agent");
      /* Content only when asked for. */
      g_assert_null (strstr (body, "secret thought"));
    }
  g_assert_cmpuint (chat, ==, 3);
  g_assert_cmpuint (tools, ==, 3);
  g_assert_cmpuint (agents, ==, 1);

  /* Added after the flush: dropped and counted, never sent. */
  add_run (l.exporter, l.run, l.steps);
  reins_otlp_exporter_get_stats (l.exporter, &l.stats);
  g_assert_cmpuint (l.stats.dropped, ==, 7);
  g_assert_cmpuint (collector_n (&l.c), ==, 4);
  loopback_stop (&l);
}

static void
test_content (void)
{
  static const Answer answers[] = { ANSWER_OK };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 1);
  reins_otlp_exporter_set_content (l.exporter, TRUE);
  add_run (l.exporter, l.run, l.steps);
  g_assert_true (loopback_flush (&l, 10000));
  g_assert_cmpuint (collector_n (&l.c), ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (l.c.bodies, 0), "secret thought"));
  loopback_stop (&l);
}

static void
test_retries (void)
{
  /* Each fault once, then the collector takes it. */
  static const Answer answers[] = { ANSWER_429, ANSWER_500, ANSWER_DROP, ANSWER_503, ANSWER_OK };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 2);
  add_run (l.exporter, l.run, l.steps);
  /* While the run goes on (a flush gives up sooner, see test_unreachable). */
  wait_stat (l.exporter, STAT_DELIVERED, 5);
  g_assert_true (loopback_flush (&l, 20000));
  g_assert_cmpuint (l.stats.delivered, ==, 5);
  g_assert_cmpuint (l.stats.dropped, ==, 0);
  g_assert_cmpuint (l.stats.retries, ==, 4);
  /* Four faults and three batches delivered; the first batch was the one tried again. */
  g_assert_cmpuint (collector_n (&l.c), ==, 7);
  for (guint i = 1; i <= 4; i++)
    g_assert_cmpstr (g_ptr_array_index (l.c.bodies, i), ==, g_ptr_array_index (l.c.bodies, 0));
  loopback_stop (&l);
}

static void
test_refused (void)
{
  static const Answer answers[] = { ANSWER_400, ANSWER_OK };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 1);
  add_run (l.exporter, l.run, l.steps);
  /* A 400 is not tried again: the step's batch is lost, the run's is delivered. */
  g_assert_false (loopback_flush (&l, 10000));
  g_assert_cmpuint (collector_n (&l.c), ==, 2);
  g_assert_cmpuint (l.stats.retries, ==, 0);
  g_assert_cmpuint (l.stats.dropped, ==, 2);
  g_assert_cmpuint (l.stats.rejected, ==, 2);
  g_assert_cmpuint (l.stats.delivered, ==, 1);
  loopback_stop (&l);
}

static void
test_retry_after (void)
{
  /* Asked to wait 30 s, the exporter waits (the back-off alone would be 10 ms here), and the
   * flush at the end gives that batch up rather than outlast its deadline; the run's batch
   * after it is delivered. */
  static const Answer answers[] = { ANSWER_429_LONG, ANSWER_OK };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 1);
  add_run (l.exporter, l.run, l.steps);
  wait_stat (l.exporter, STAT_RETRIES, 1);
  g_assert_false (loopback_flush (&l, 5000));
  g_assert_cmpuint (collector_n (&l.c), ==, 2);
  g_assert_cmpuint (count_spans (g_ptr_array_index (l.c.bodies, 1), "invoke_agent"), ==, 1);
  g_assert_cmpuint (l.stats.retries, ==, 1);
  g_assert_cmpuint (l.stats.delivered, ==, 1);
  g_assert_cmpuint (l.stats.dropped, ==, 2);
  loopback_stop (&l);
}

static gboolean
wait_requests (Collector *c,
               guint      n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (collector_n (c) < n)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (1000);
    }
  return TRUE;
}

static guint
step_index_of (const char *body)
{
  const char *at = strstr (body, "\"reins.step.index\"");
  const char *value = at != NULL ? strstr (at, "\"intValue\":\"") : NULL;

  g_assert_nonnull (value);
  return (guint) g_ascii_strtoull (value + strlen ("\"intValue\":\""), NULL, 10);
}

static void
test_queue_full (void)
{
  /* The first request takes 300 ms; meanwhile the queue of two overflows. */
  static const Answer answers[] = { ANSWER_SLOW, ANSWER_OK };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 6);
  reins_otlp_exporter_set_queue_size (l.exporter, 2);
  for (guint i = 0; i < l.steps->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, g_ptr_array_index (l.steps, i));
      reins_otlp_exporter_add (l.exporter, l.run, one, REINS_OTLP_STEP_SPANS);
      /* The first is on its way before the others come. */
      if (i == 0)
        g_assert_true (wait_requests (&l.c, 1));
    }
  g_assert_false (loopback_flush (&l, 10000));
  /* Steps 2, 3 and 4 dropped (the oldest waiting); 1, 5 and 6 delivered. */
  g_assert_cmpuint (l.stats.dropped, ==, 6);
  g_assert_cmpuint (l.stats.delivered, ==, 6);
  g_assert_cmpuint (collector_n (&l.c), ==, 3);
  g_assert_cmpuint (step_index_of (g_ptr_array_index (l.c.bodies, 0)), ==, 1);
  g_assert_cmpuint (step_index_of (g_ptr_array_index (l.c.bodies, 1)), ==, 5);
  g_assert_cmpuint (step_index_of (g_ptr_array_index (l.c.bodies, 2)), ==, 6);
  loopback_stop (&l);
}

static void
test_silent (void)
{
  /* A collector that takes the request and never answers: the flush ends at its deadline. */
  static const Answer answers[] = { ANSWER_SILENT };
  Loopback l;

  loopback_start (&l, answers, G_N_ELEMENTS (answers), 2);
  add_run (l.exporter, l.run, l.steps);
  g_assert_true (wait_requests (&l.c, 1));
  g_assert_false (loopback_flush (&l, 200));
  g_assert_cmpuint (l.stats.delivered, ==, 0);
  g_assert_cmpuint (l.stats.dropped, ==, 5);
  loopback_stop (&l);
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsOtlpExporter) exporter = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  ReinsOtlpExporterStats stats, before;

  /* Port 9 (discard) on loopback: the connection is refused and tried again… */
  exporter = reins_otlp_exporter_new ("http://127.0.0.1:9", &error);
  g_assert_no_error (error);
  run = make_run (1, &steps);
  add_run (exporter, run, steps);
  before = wait_stat (exporter, STAT_RETRIES, 2);
  /* …until the flush at the end, which does not try a collector that is down again. */
  g_assert_false (reins_otlp_exporter_flush (exporter, 30000));
  reins_otlp_exporter_get_stats (exporter, &stats);
  g_assert_cmpuint (stats.delivered, ==, 0);
  g_assert_cmpuint (stats.dropped, ==, 3);
  g_assert_cmpuint (stats.retries, <=, before.retries + 1);
}

/* A collector that reads each request's first bytes and drops the connection, before any
 * status line: a lost connection, not an HTTP error. */
typedef struct
{
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *thread;
  guint            port;
  guint            accepted;  /* atomic */
} Dropper;

static gpointer
dropper_thread (gpointer data)
{
  Dropper *d = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_listener_accept (d->listener, NULL, d->cancellable, NULL);
      char buffer[256];

      if (connection == NULL)
        return NULL;
      g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                           sizeof buffer, NULL, NULL);
      g_atomic_int_inc (&d->accepted);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
}

static void
test_dropped_connections (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ReinsOtlpExporter) exporter = NULL;
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *url = NULL;
  ReinsOtlpExporterStats stats;
  Dropper d = { 0 };

  d.listener = g_socket_listener_new ();
  d.cancellable = g_cancellable_new ();
  g_socket_listener_add_address (d.listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  d.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  d.thread = g_thread_new ("dropper", dropper_thread, &d);

  url = g_strdup_printf ("http://127.0.0.1:%u", d.port);
  exporter = reins_otlp_exporter_new (url, &error);
  g_assert_no_error (error);
  run = make_run (1, &steps);
  reins_otlp_exporter_add (exporter, run, steps, REINS_OTLP_RUN_SPAN);
  /* Each try is a connection dropped: tried eight times, then given up — no hang. */
  wait_stat (exporter, STAT_DROPPED, 1);
  g_assert_false (reins_otlp_exporter_flush (exporter, 30000));
  reins_otlp_exporter_get_stats (exporter, &stats);
  g_assert_cmpuint (stats.delivered, ==, 0);
  g_assert_cmpuint (stats.dropped, ==, 1);
  g_assert_cmpuint (stats.retries, ==, 7);
  g_assert_cmpuint (g_atomic_int_get (&d.accepted), >=, 8);

  g_cancellable_cancel (d.cancellable);
  g_thread_join (d.thread);
  g_socket_listener_close (d.listener);
  g_object_unref (d.listener);
  g_object_unref (d.cancellable);
}

typedef struct
{
  ReinsTestCli cli;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  reins_test_cli_set_up (&f->cli, "reins-otlp-export");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  reins_test_cli_tear_down (&f->cli);
}

static void
test_cli_run (Fixture       *f,
              gconstpointer  data)
{
  static const Answer answers[] = { ANSWER_503, ANSWER_OK };
  Collector c;
  g_autoptr(ReinsTestServer) server = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint agents = 0, chats = 0;

  collector_init (&c, answers, G_N_ELEMENTS (answers));
  server = reins_test_server_new (collector_handler, &c);
  endpoint = g_strdup_printf ("--otlp-endpoint=%s", reins_test_server_get_url (server));
  g_setenv ("REINS_OTLP_KEY", "Bearer k3y-never-shown", TRUE);
  g_setenv ("OTEL_EXPORTER_OTLP_HEADERS", "X-Team=red", TRUE);

  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", "--seed=3", "--json", endpoint, "--otlp-key-header=Authorization",
    "What is the value of key k1 in the notes?", NULL });
  g_assert_cmpint (f->cli.status, <=, 1);
  g_assert_null (strstr (f->cli.err, "k3y-never-shown"));
  g_assert_null (strstr (f->cli.out, "k3y-never-shown"));

  /* Every step's spans and the run's arrived, with the key and the environment's header. */
  g_assert_cmpuint (collector_n (&c), >=, 3);
  for (guint i = 0; i < c.bodies->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (c.auth, i), ==, "Bearer k3y-never-shown");
      g_assert_cmpstr (g_ptr_array_index (c.custom, i), ==, "red");
      if (i > 0)  /* the first was answered 503, and sent again */
        {
          agents += count_spans (g_ptr_array_index (c.bodies, i), "invoke_agent");
          chats += count_spans (g_ptr_array_index (c.bodies, i), "chat");
        }
    }
  g_assert_cmpuint (agents, ==, 1);
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (f->cli.out), "\n", -1);
    JsonObject *finished = reins_test_parse_object (lines[g_strv_length (lines) - 1], &node);

    g_assert_cmpstr (json_object_get_string_member (finished, "event"), ==, "run_finished");
    g_assert_cmpint (json_object_get_int_member (finished, "steps"), >, 0);
    g_assert_cmpuint (chats, ==, json_object_get_int_member (finished, "steps"));
  }

  /* Usage errors: a bad URL, a header without a value, a key header without a key. */
  g_unsetenv ("REINS_OTLP_KEY");
  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", "--otlp-endpoint=ftp://x", "task", NULL });
  g_assert_cmpint (f->cli.status, ==, 2);
  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", endpoint, "--otlp-header=novalue", "task", NULL });
  g_assert_cmpint (f->cli.status, ==, 2);
  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", endpoint, "--otlp-key-header=Authorization", "task", NULL });
  g_assert_cmpint (f->cli.status, ==, 2);
  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", "--otlp-content", "task", NULL });
  g_assert_cmpint (f->cli.status, ==, 2);
  g_unsetenv ("OTEL_EXPORTER_OTLP_HEADERS");

  g_clear_pointer (&server, reins_test_server_free);
  collector_clear (&c);
}

/* The spans the collector took, each once, as one OTLP/JSON document: the run's span first,
 * then the steps' in the order they came. */
static char *
merge_spans (Collector *c)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonArray) spans = json_array_new ();
  g_autoptr(JsonNode) first = NULL;
  JsonNode *run_span = NULL;
  JsonObject *envelope;
  JsonObject *scope;

  for (guint i = 0; i < c->bodies->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *root = reins_test_parse_object (g_ptr_array_index (c->bodies, i), &node);
      JsonObject *rs = json_array_get_object_element (json_object_get_array_member (root, "resourceSpans"), 0);
      JsonObject *ss = json_array_get_object_element (json_object_get_array_member (rs, "scopeSpans"), 0);
      JsonArray *these = json_object_get_array_member (ss, "spans");

      for (guint j = 0; j < json_array_get_length (these); j++)
        {
          JsonObject *span = json_array_get_object_element (these, j);

          if (!g_hash_table_add (seen, g_strdup (json_object_get_string_member (span, "spanId"))))
            continue;
          if (g_str_has_prefix (json_object_get_string_member (span, "name"), "invoke_agent"))
            run_span = json_node_copy (json_array_get_element (these, j));
          else
            json_array_add_element (spans, json_node_copy (json_array_get_element (these, j)));
        }
      if (first == NULL)
        first = json_node_copy (node);
    }

  g_assert_nonnull (run_span);
  g_assert_nonnull (first);
  {
    g_autoptr(JsonArray) ordered = json_array_new ();

    json_array_add_element (ordered, run_span);
    for (guint j = 0; j < json_array_get_length (spans); j++)
      json_array_add_element (ordered, json_node_copy (json_array_get_element (spans, j)));
    envelope = json_array_get_object_element (json_object_get_array_member (json_node_get_object (first),
                                                                            "resourceSpans"), 0);
    scope = json_array_get_object_element (json_object_get_array_member (envelope, "scopeSpans"), 0);
    json_object_set_array_member (scope, "spans", json_array_ref (ordered));
  }
  return reins_json_to_string (first, TRUE);
}

static void
test_cli_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  static const Answer answers[] = { ANSWER_OK };
  Collector c;
  g_autoptr(ReinsTestServer) server = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *path = g_build_filename (f->cli.dir, "live.otlp.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *copy_id = NULL;
  g_autoptr(JsonNode) line_node = NULL;
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) after_node = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *a;

  collector_init (&c, answers, G_N_ELEMENTS (answers));
  server = reins_test_server_new (collector_handler, &c);
  endpoint = g_strdup_printf ("--otlp-endpoint=%s", reins_test_server_get_url (server));
  reins_test_cli_run (&f->cli, "run", (const char *[]) {
    "--provider=sim", "--seed=5", "--json", endpoint, "--otlp-content",
    "What is the value of key k1 in the notes?", NULL });
  g_assert_cmpint (f->cli.status, <=, 1);
  lines = g_strsplit (f->cli.out, "\n", -1);
  run_id = g_strdup (json_object_get_string_member (reins_test_parse_object (lines[0], &line_node),
                                                    "run_id"));

  /* What the collector took live imports back as the run's steps. */
  merged = merge_spans (&c);
  g_assert_true (g_file_set_contents (path, merged, -1, NULL));
  reins_test_cli_run (&f->cli, "show", (const char *[]) { run_id, "--json", NULL });
  g_assert_cmpint (f->cli.status, ==, 0);
  before = g_steal_pointer (&f->cli.out);
  reins_test_cli_run (&f->cli, "import", (const char *[]) { "--json", path, NULL });
  g_assert_cmpint (f->cli.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&line_node, json_node_unref);
  lines = g_strsplit (f->cli.out, "\n", -1);
  copy_id = g_strdup (json_object_get_string_member (reins_test_parse_object (lines[0], &line_node),
                                                     "run_id"));
  reins_test_cli_run (&f->cli, "show", (const char *[]) { copy_id, "--json", NULL });
  g_assert_cmpint (f->cli.status, ==, 0);

  a = json_object_get_array_member (reins_test_parse_object (before, &before_node), "steps");
  g_assert_cmpuint (json_array_get_length (a), >, 0);
  reins_test_assert_same_steps (json_node_get_object (before_node),
                                reins_test_parse_object (f->cli.out, &after_node),
                                (const char *[]) { "step", "thought", "action", "observation",
                                                   "tool_error", NULL });

  g_clear_pointer (&server, reins_test_server_free);
  collector_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/otlp-export/url", test_url);
  g_test_add_func ("/otlp-export/headers", test_headers);
  g_test_add_func ("/otlp-export/env", test_env);
  g_test_add_func ("/otlp-export/delivered", test_delivered);
  g_test_add_func ("/otlp-export/content", test_content);
  g_test_add_func ("/otlp-export/retries", test_retries);
  g_test_add_func ("/otlp-export/refused", test_refused);
  g_test_add_func ("/otlp-export/retry-after", test_retry_after);
  g_test_add_func ("/otlp-export/queue-full", test_queue_full);
  g_test_add_func ("/otlp-export/silent", test_silent);
  g_test_add_func ("/otlp-export/unreachable", test_unreachable);
  g_test_add_func ("/otlp-export/dropped-connections", test_dropped_connections);
  g_test_add ("/otlp-export/cli-run", Fixture, NULL, fixture_set_up, test_cli_run,
              fixture_tear_down);
  g_test_add ("/otlp-export/cli-round-trip", Fixture, NULL, fixture_set_up, test_cli_round_trip,
              fixture_tear_down);

  return g_test_run ();
}
