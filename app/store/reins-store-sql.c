/* reins-store-sql.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calls of the run store whose SQL is the same for every backend, written once in the
 * SQL both engines speak (parameters $1, $2…, which the SQLite backend reads as ?1, ?2…)
 * and run through the backend's query() or run_write(): reading a run, listing runs and
 * forks, counting runs, marking a run deleted, and storing and reading a step's exchange
 * and a run's compression. Where the engines differ (search, transactions, steps and
 * approvals written with their children, prefixes of ids sorted by byte), each backend has
 * a member of its own.
 */

#include "config.h"

#include "reins-store-private.h"

/* No LIMIT: both engines take the largest 64-bit number as "all". */
#define ALL_ROWS G_MAXINT64

/* One statement's parameters ($1 text, then up to two numbers) and what its rows gave. */
typedef struct
{
  const char *text;
  gint64      numbers[2];
  int         n_numbers;

  guint       n_rows;
  GPtrArray  *runs;
  gint64      number;
  char       *first;
  char       *second;
} Read;

static void
read_clear (Read *read)
{
  g_clear_pointer (&read->runs, g_ptr_array_unref);
  g_clear_pointer (&read->first, g_free);
  g_clear_pointer (&read->second, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Read, read_clear)

static void
bind_cb (ReinsStoreParams *params,
         gpointer          data)
{
  Read *read = data;

  params->text (params, 1, read->text);
  for (int i = 0; i < read->n_numbers; i++)
    params->int64 (params, 2 + i, read->numbers[i]);
}

/* Rows of REINS_STORE_RUN_COLUMNS */
static void
run_cb (const ReinsStoreRow *row,
        gpointer             data)
{
  Read *read = data;

  read->n_rows++;
  g_ptr_array_add (read->runs, reins_store_run_from_row (row));
}

/* Rows of (number), or (number, text), or (text, text) */
static void
number_cb (const ReinsStoreRow *row,
           gpointer             data)
{
  Read *read = data;

  read->n_rows++;
  read->number = row->int64 (row, 0);
}

static void
number_text_cb (const ReinsStoreRow *row,
                gpointer             data)
{
  Read *read = data;

  number_cb (row, data);
  g_free (read->first);
  read->first = row->text (row, 1);
}

static void
texts_cb (const ReinsStoreRow *row,
          gpointer             data)
{
  Read *read = data;

  read->n_rows++;
  g_free (read->first);
  g_free (read->second);
  read->first = row->text (row, 0);
  read->second = row->text (row, 1);
}

static GPtrArray *
read_runs (ReinsStore  *self,
           const char  *sql,
           Read        *read,
           GError     **error)
{
  read->runs = g_ptr_array_new_with_free_func (g_object_unref);
  if (!reins_store_query (self, sql, bind_cb, run_cb, read, error))
    return NULL;
  return g_steal_pointer (&read->runs);
}

ReinsRun *
reins_store_sql_get_run (ReinsStore  *self,
                         const char  *run_id,
                         GError     **error)
{
  g_auto(Read) read = { run_id, };
  g_autoptr(GPtrArray) runs =
    read_runs (self, "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs WHERE id = $1", &read,
               error);

  if (runs == NULL)
    return NULL;
  if (runs->len == 0)
    {
      reins_store_set_not_found (error, run_id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (runs, 0));
}

GPtrArray *
reins_store_sql_list_runs (ReinsStore  *self,
                           const char  *status,
                           guint        offset,
                           guint        limit,
                           GError     **error)
{
  g_auto(Read) read = { status, { limit > 0 ? (gint64) limit : ALL_ROWS, offset }, 2, };

  return read_runs (self,
                    "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs "
                    "WHERE deleted = 0 AND (CAST ($1 AS TEXT) IS NULL OR status = $1) "
                    "ORDER BY created_at DESC, num DESC LIMIT $2 OFFSET $3",
                    &read, error);
}

gint64
reins_store_sql_count_runs (ReinsStore  *self,
                            const char  *status,
                            GError     **error)
{
  g_auto(Read) read = { status, };

  if (!reins_store_query (self,
                          "SELECT count(*) FROM runs "
                          "WHERE deleted = 0 AND (CAST ($1 AS TEXT) IS NULL OR status = $1)",
                          bind_cb, number_cb, &read, error))
    return -1;
  return read.number;
}

GPtrArray *
reins_store_sql_list_forks (ReinsStore  *self,
                            const char  *parent_run_id,
                            GError     **error)
{
  g_auto(Read) read = { parent_run_id, };

  return read_runs (self,
                    "SELECT " REINS_STORE_RUN_COLUMNS " FROM runs "
                    "WHERE deleted = 0 AND parent_run_id = $1 ORDER BY created_at, num",
                    &read, error);
}

gboolean
reins_store_sql_set_deleted (ReinsStore  *self,
                             const char  *run_id,
                             gboolean     deleted,
                             GError     **error)
{
  g_auto(Read) read = { run_id, { deleted ? 1 : 0 }, 1, };

  if (!reins_store_query (self, "UPDATE runs SET deleted = $2 WHERE id = $1 RETURNING 0",
                          bind_cb, number_cb, &read, error))
    return FALSE;
  if (read.n_rows == 0)
    return reins_store_set_not_found (error, run_id);
  return TRUE;
}

gboolean
reins_store_sql_get_exchange (ReinsStore  *self,
                              const char  *run_id,
                              guint        step,
                              char       **request,
                              char       **response,
                              GError     **error)
{
  g_auto(Read) read = { run_id, { step }, 1, };

  if (!reins_store_query (self,
                          "SELECT request, response FROM exchanges "
                          "WHERE run_id = $1 AND step = $2",
                          bind_cb, texts_cb, &read, error))
    return FALSE;
  if (read.n_rows == 0)
    return reins_store_set_no_exchange (error, run_id, step);
  if (request != NULL)
    *request = g_steal_pointer (&read.first);
  if (response != NULL)
    *response = g_steal_pointer (&read.second);
  return TRUE;
}

char *
reins_store_sql_get_compression (ReinsStore  *self,
                                 const char  *run_id,
                                 guint        before_step,
                                 guint       *up_to_step,
                                 GError     **error)
{
  g_auto(Read) read = { run_id, { before_step }, 1, };

  if (!reins_store_query (self,
                          "SELECT up_to_step, summary FROM compressions "
                          "WHERE run_id = $1 AND up_to_step < $2 "
                          "ORDER BY up_to_step DESC LIMIT 1",
                          bind_cb, number_text_cb, &read, error) ||
      read.n_rows == 0)
    return NULL;
  if (up_to_step != NULL)
    *up_to_step = (guint) CLAMP (read.number, 0, G_MAXUINT);
  return g_steal_pointer (&read.first);
}

typedef struct
{
  const char *run_id;
  guint       step;
  const char *first;
  const char *second;
  gint64      number;
} Write;

static void
bind_exchange_cb (ReinsStoreParams *params,
                  gpointer          data)
{
  Write *write = data;

  params->text (params, 1, write->run_id);
  params->int64 (params, 2, write->step);
  params->text (params, 3, write->first);
  params->text (params, 4, write->second);
  params->int64 (params, 5, write->number);
  params->int64 (params, 6, g_get_real_time ());
}

gboolean
reins_store_sql_add_exchange (ReinsStore  *self,
                              const char  *run_id,
                              guint        step,
                              const char  *request,
                              const char  *response,
                              gint64       latency_ms,
                              GError     **error)
{
  Write write = { run_id, step, request, response, latency_ms };

  return self->backend->run_write (self,
                                   "INSERT INTO exchanges (run_id, step, request, response, "
                                   "  latency_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                   "ON CONFLICT (run_id, step) DO UPDATE SET "
                                   "  request = excluded.request, "
                                   "  response = excluded.response, "
                                   "  latency_ms = excluded.latency_ms, "
                                   "  created_at = excluded.created_at",
                                   bind_exchange_cb, &write, run_id, error);
}

static void
bind_compression_cb (ReinsStoreParams *params,
                     gpointer          data)
{
  Write *write = data;

  params->text (params, 1, write->run_id);
  params->int64 (params, 2, write->step);
  params->text (params, 3, write->first);
  params->int64 (params, 4, g_get_real_time ());
}

gboolean
reins_store_sql_add_compression (ReinsStore  *self,
                                 const char  *run_id,
                                 guint        up_to_step,
                                 const char  *summary,
                                 GError     **error)
{
  Write write = { run_id, up_to_step, summary, NULL, 0 };

  return self->backend->run_write (self,
                                   "INSERT INTO compressions (run_id, up_to_step, summary, "
                                   "  created_at) VALUES ($1, $2, $3, $4) "
                                   "ON CONFLICT (run_id, up_to_step) DO UPDATE SET "
                                   "  summary = excluded.summary, "
                                   "  created_at = excluded.created_at",
                                   bind_compression_cb, &write, run_id, error);
}
