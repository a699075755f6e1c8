/* reins-store-async.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads of the run store on worker threads, for a caller that must not block (the window).
 *
 * A ReinsStore is one connection that belongs to one thread, so a read handed to a worker
 * goes through a connection of its own. Opening one costs a schema check and a look for
 * interrupted runs, so the connections a store's reads used are kept (a few, idle) for the
 * next read, and closed with the store. Every read sees what was committed before it began
 * (WAL).
 */

#include "config.h"


#include "reins-store-async.h"
#include "reins-store-private.h"

/* Idle reader connections kept per store; more may be open while reads overlap. */
#define MAX_IDLE_READERS 2

typedef struct
{
  gatomicrefcount  ref_count;
  char            *path;
  GMutex           mutex;      /* guards idle */
  GQueue           idle;       /* (element-type ReinsStore) connections not in use */
} Readers;

static Readers *
readers_ref (Readers *readers)
{
  g_atomic_ref_count_inc (&readers->ref_count);
  return readers;
}

static void
readers_unref (Readers *readers)
{
  if (!g_atomic_ref_count_dec (&readers->ref_count))
    return;

  g_queue_clear_full (&readers->idle, g_object_unref);
  g_mutex_clear (&readers->mutex);
  g_free (readers->path);
  g_free (readers);
}

/* The readers of @self, made on first use and dropped with it. Called on @self's thread. */
static Readers *
readers_of (ReinsStore *self)
{
  Readers *readers = g_object_get_data (G_OBJECT (self), "reins-store-readers");

  if (readers == NULL)
    {
      readers = g_new0 (Readers, 1);
      g_atomic_ref_count_init (&readers->ref_count);
      readers->path = g_strdup (reins_store_get_path (self));
      g_mutex_init (&readers->mutex);
      g_object_set_data_full (G_OBJECT (self), "reins-store-readers", readers,
                              (GDestroyNotify) readers_unref);
    }
  return readers;
}

static ReinsStore *
readers_take (Readers  *readers,
              GError  **error)
{
  ReinsStore *store;

  g_mutex_lock (&readers->mutex);
  store = g_queue_pop_head (&readers->idle);
  g_mutex_unlock (&readers->mutex);

  return store != NULL ? store : reins_store_open (readers->path, error);
}

static void
readers_give_back (Readers    *readers,
                   ReinsStore *store)
{
  g_mutex_lock (&readers->mutex);
  if (g_queue_get_length (&readers->idle) < MAX_IDLE_READERS)
    g_queue_push_head (&readers->idle, g_steal_pointer (&store));
  g_mutex_unlock (&readers->mutex);

  g_clear_object (&store);
}

typedef struct
{
  Readers            *readers;
  ReinsStoreReadFunc  func;
  gpointer            data;
  GDestroyNotify      data_destroy;
  GDestroyNotify      result_destroy;
} ReadCall;

static void
read_call_free (gpointer data)
{
  ReadCall *call = data;

  if (call->data_destroy != NULL)
    g_clear_pointer (&call->data, call->data_destroy);
  readers_unref (call->readers);
  g_free (call);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadCall *call = task_data;
  g_autoptr(GError) error = NULL;
  ReinsStore *store;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  store = readers_take (call->readers, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = call->func (store, call->data, cancellable, &error);
  readers_give_back (call->readers, store);

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, call->result_destroy);
}

/**
 * reins_store_read_async:
 * @func: the read, run on a worker thread with a connection of its own
 * @data: (nullable): for @func
 * @data_destroy: (nullable): frees @data once the read is over
 * @result_destroy: (nullable): frees what @func returns if nobody takes it
 *
 * Runs @func on a worker thread, through a connection to the same file as @self that no
 * other thread uses meanwhile. @func must not return %NULL without setting its error.
 */
void
reins_store_read_async (ReinsStore          *self,
                        ReinsStoreReadFunc   func,
                        gpointer             data,
                        GDestroyNotify       data_destroy,
                        GDestroyNotify       result_destroy,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadCall *call;

  g_return_if_fail (REINS_IS_STORE (self));
  g_return_if_fail (func != NULL);

  call = g_new0 (ReadCall, 1);
  call->readers = readers_ref (readers_of (self));
  call->func = func;
  call->data = data;
  call->data_destroy = data_destroy;
  call->result_destroy = result_destroy;

  /* No source object: a read keeps its connections alive, not @self, so the store closes
   * when its owner drops it even while a read finishes. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, reins_store_read_async);
  g_task_set_name (task, "[reins] store read");
  g_task_set_task_data (task, call, read_call_free);
  g_task_run_in_thread (task, read_thread);
}

/* Returns: (transfer full): what the read returned, or %NULL with @error set */
gpointer
reins_store_read_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == reins_store_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Steps */

typedef struct
{
  char  *run_id;
  guint  first;
  guint  max_steps;
} ReadSteps;

static void
read_steps_free (gpointer data)
{
  ReadSteps *read = data;

  g_free (read->run_id);
  g_free (read);
}

/* Pages, so that a read of a whole long run can be cancelled between them. */
#define STEPS_PAGE 200

static gpointer
read_steps_func (ReinsStore    *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  ReadSteps *read = data;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);
  guint first = read->first;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;
      guint want = STEPS_PAGE;

      if (read->max_steps > 0)
        want = MIN (want, read->max_steps - steps->len);
      if (want == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      page = reins_store_get_steps (store, read->run_id, first, want, error);
      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (steps, g_object_ref (g_ptr_array_index (page, i)));
      if (page->len < want)
        break;
      first = reins_step_get_index (g_ptr_array_index (page, page->len - 1)) + 1;
    }

  return g_steal_pointer (&steps);
}

/**
 * reins_store_read_steps_async:
 * @first: the first step to read, from 1
 * @max_steps: at most this many; 0 for all that follow
 *
 * Reads a range of a run's steps, as reins_store_get_steps() does, on a worker thread.
 */
void
reins_store_read_steps_async (ReinsStore          *self,
                              const char          *run_id,
                              guint                first,
                              guint                max_steps,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ReadSteps *read;

  g_return_if_fail (REINS_IS_STORE (self));
  g_return_if_fail (run_id != NULL);

  read = g_new0 (ReadSteps, 1);
  read->run_id = g_strdup (run_id);
  read->first = first;
  read->max_steps = max_steps;
  reins_store_read_async (self, read_steps_func, read, read_steps_free,
                          (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type ReinsStep): the steps, or %NULL with @error set */
GPtrArray *
reins_store_read_steps_finish (GAsyncResult  *result,
                               GError       **error)
{
  return reins_store_read_finish (result, error);
}

/* Step points */

/* The steps a loop verdict names, or the step that carries it when it names none. */
static void
add_loop_steps (GArray     *loop_steps,
                guint       index,
                const char *steps_text)
{
  g_autoptr(JsonNode) node = steps_text != NULL ? reins_json_from_string (steps_text, NULL) : NULL;
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                   : NULL;
  guint n = array != NULL ? json_array_get_length (array) : 0;

  if (n == 0)
    g_array_append_val (loop_steps, index);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint value;

      if (json_node_get_value_type (element) != G_TYPE_INT64)
        continue;
      value = (guint) CLAMP (json_node_get_int (element), 0, G_MAXUINT);
      g_array_append_val (loop_steps, value);
    }
}

typedef struct
{
  GArray     *points;
  GArray     *loops;
  guint       position;
  const char *run_id;
} StepPointsQuery;

static void
read_point (const ReinsStoreRow *row,
            gpointer             data)
{
  ReinsStepPoint point = { 0 };

  point.index = (guint) CLAMP (row->int64 (row, 0), 0, G_MAXUINT);
  point.confidence = row->is_null (row, 1) ? -1.f : (float) CLAMP (row->dbl (row, 1), 0., 1.);
  point.cost_usd = (float) row->dbl (row, 2);
  point.cost_total_usd = (float) row->dbl (row, 3);
  point.input_tokens = (guint32) CLAMP (row->int64 (row, 4), 0, G_MAXUINT32);
  point.output_tokens = (guint32) CLAMP (row->int64 (row, 5), 0, G_MAXUINT32);
  point.worst = REINS_VERDICT_ALLOW;
  g_array_append_val (((StepPointsQuery *) data)->points, point);
}

static void
bind_points_run (ReinsStoreParams *params,
                 gpointer          data)
{
  reins_store_bind_string (params, (gpointer) ((StepPointsQuery *) data)->run_id);
}

/* The verdicts come in step order, as the points do. */
static void
read_point_verdict (const ReinsStoreRow *row,
                    gpointer             data)
{
  StepPointsQuery *query = data;
  GArray *points = query->points;
  guint index = (guint) CLAMP (row->int64 (row, 0), 0, G_MAXUINT);
  g_autofree char *guard = row->text (row, 1);
  g_autofree char *kind_text = row->text (row, 2);
  ReinsVerdictKind kind = REINS_VERDICT_ALLOW;

  if (!reins_verdict_kind_from_string (kind_text, &kind))
    return;
  while (query->position < points->len &&
         g_array_index (points, ReinsStepPoint, query->position).index < index)
    query->position++;
  if (query->position < points->len &&
      g_array_index (points, ReinsStepPoint, query->position).index == index)
    {
      ReinsStepPoint *point = &g_array_index (points, ReinsStepPoint, query->position);

      point->worst = MAX (point->worst, (guint8) kind);
    }
  if (g_strcmp0 (guard, "loop") == 0)
    {
      g_autofree char *steps = row->text (row, 3);

      add_loop_steps (query->loops, index, steps);
    }
}

/**
 * reins_store_get_step_points:
 * @loop_steps: (out) (optional) (element-type guint): the steps loop verdicts name (a step
 *   may repeat)
 *
 * Reads the numbers of every step of a run — confidence, cost, tokens and the gravest
 * verdict — without their text, so a run of 100,000 steps reads in a moment.
 *
 * Returns: (transfer full) (element-type ReinsStepPoint): the points in step order (an
 *   unknown run has none), or %NULL with @error set
 */
GArray *
reins_store_get_step_points (ReinsStore  *self,
                             const char  *run_id,
                             GArray     **loop_steps,
                             GError     **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (ReinsStepPoint));
  g_autoptr(GArray) loops = g_array_new (FALSE, FALSE, sizeof (guint));
  StepPointsQuery query = { points, loops, 0, run_id };

  g_return_val_if_fail (REINS_IS_STORE (self), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  if (!reins_store_query (self,
                          "SELECT idx, confidence, cost_usd, cost_total_usd, input_tokens, "
                          "  output_tokens FROM steps WHERE run_id = $1 ORDER BY idx",
                          bind_points_run, read_point, &query, error))
    return NULL;

  /* Verdicts other than allow are few: read them apart and merge by step number. */
  if (!reins_store_query (self,
                          "SELECT s.idx, v.guard, v.kind, v.steps FROM verdicts v "
                          "  JOIN steps s ON s.num = v.step_num "
                          "  WHERE s.run_id = $1 AND v.kind <> 'allow' ORDER BY s.idx",
                          bind_points_run, read_point_verdict, &query, error))
    return NULL;

  if (loop_steps != NULL)
    *loop_steps = g_steal_pointer (&loops);
  return g_steal_pointer (&points);
}

typedef struct
{
  GArray *points;
  GArray *loop_steps;
} StepPoints;

static void
step_points_free (gpointer data)
{
  StepPoints *result = data;

  g_clear_pointer (&result->points, g_array_unref);
  g_clear_pointer (&result->loop_steps, g_array_unref);
  g_free (result);
}

static gpointer
read_step_points_func (ReinsStore    *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  StepPoints *result = g_new0 (StepPoints, 1);

  result->points = reins_store_get_step_points (store, data, &result->loop_steps, error);
  if (result->points == NULL)
    {
      step_points_free (result);
      return NULL;
    }
  return result;
}

/* Reads what reins_store_get_step_points() does, on a worker thread. */
void
reins_store_read_step_points_async (ReinsStore          *self,
                                    const char          *run_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (REINS_IS_STORE (self));
  g_return_if_fail (run_id != NULL);

  reins_store_read_async (self, read_step_points_func, g_strdup (run_id), g_free,
                          step_points_free, cancellable, callback, user_data);
}

/**
 * reins_store_read_step_points_finish:
 * @loop_steps: (out) (optional) (element-type guint): as for reins_store_get_step_points()
 *
 * Returns: (transfer full) (element-type ReinsStepPoint): the points, or %NULL with @error
 */
GArray *
reins_store_read_step_points_finish (GAsyncResult  *result,
                                     GArray       **loop_steps,
                                     GError       **error)
{
  StepPoints *points = reins_store_read_finish (result, error);
  GArray *array;

  if (points == NULL)
    return NULL;
  array = g_steal_pointer (&points->points);
  if (loop_steps != NULL)
    *loop_steps = g_steal_pointer (&points->loop_steps);
  step_points_free (points);
  return array;
}
