/* reins-step-model.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of a stored run as a GListModel whose items are read from the store on demand.
 *
 * A run may have tens of thousands of steps with megabytes of observations, so nothing is
 * read up front: the model knows only how many steps there are. Asking for an item that is not
 * cached returns a placeholder (a step with its index and nothing else) at once and queues its
 * page for a worker thread, which reads it through its own store connection; when the page
 * arrives, the placeholders are replaced with one items-changed. A few pages are kept, the
 * least recently used dropped, so scrolling a long run costs a bounded amount of memory.
 */

#include "config.h"

#include "reins-step-model.h"
#include "reins-store.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16

/* What the worker thread shares with the model; it outlives the model while pages are read. */
typedef struct
{
  gatomicrefcount  ref_count;
  char            *db_path;
  char            *run_id;
  ReinsStore      *store;        /* opened, used and closed by the worker only */
  GWeakRef         model;
  GMainContext    *context;
} Loader;

typedef struct
{
  guint      number;
  GPtrArray *steps;     /* (element-type ReinsStep) PAGE_SIZE or fewer */
  gboolean   loaded;
  gboolean   stale;     /* the run grew while this page was read: read it again */
  guint64    used;
} Page;

struct _ReinsStepModel
{
  GObject      parent_instance;

  Loader      *loader;
  GThreadPool *pool;
  guint        n_steps;
  GHashTable  *pages;    /* page number → Page */
  guint64      clock;
  guint        n_pending;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reins_step_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsStepModel, reins_step_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      reins_step_model_list_model_init))

static Loader *
loader_ref (Loader *loader)
{
  g_atomic_ref_count_inc (&loader->ref_count);
  return loader;
}

static void
loader_unref (Loader *loader)
{
  if (!g_atomic_ref_count_dec (&loader->ref_count))
    return;

  g_clear_object (&loader->store);
  g_weak_ref_clear (&loader->model);
  g_main_context_unref (loader->context);
  g_free (loader->db_path);
  g_free (loader->run_id);
  g_free (loader);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->steps, g_ptr_array_unref);
  g_free (page);
}

typedef struct
{
  Loader    *loader;
  guint      number;
  GPtrArray *steps;
} PageResult;

static void
page_result_free (gpointer data)
{
  PageResult *result = data;

  g_clear_pointer (&result->steps, g_ptr_array_unref);
  loader_unref (result->loader);
  g_free (result);
}

static void
reins_step_model_evict (ReinsStepModel *self)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value;
      Page *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Page *page = value;

          /* A page still being read stays, so its answer has somewhere to go. */
          if (page->loaded && (oldest == NULL || page->used < oldest->used))
            oldest = page;
        }
      if (oldest == NULL)
        return;
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->number));
    }
}

static gboolean
page_loaded_cb (gpointer data)
{
  PageResult *result = data;
  g_autoptr(ReinsStepModel) self = g_weak_ref_get (&result->loader->model);
  Page *page;
  guint first, n;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (result->number));
  if (page == NULL || page->loaded)
    return G_SOURCE_REMOVE;

  self->n_pending--;
  first = result->number * PAGE_SIZE;
  n = page->steps->len;
  if (page->stale)
    {
      /* Forget it: the rows ask again and get the longer page. */
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (result->number));
      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
      if (self->n_pending == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return G_SOURCE_REMOVE;
    }
  page->loaded = TRUE;

  /* Keep the placeholders' count even if the store returned fewer (a damaged run): the model
   * promised n_steps items. */
  if (result->steps != NULL)
    for (guint i = 0; i < result->steps->len && i < n; i++)
      {
        ReinsStep *step = g_ptr_array_index (result->steps, i);
        guint index = reins_step_get_index (step);

        if (index >= first + 1 && index < first + 1 + n)
          g_set_object ((ReinsStep **) &page->steps->pdata[index - first - 1], step);
      }

  g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
  reins_step_model_evict (self);
  if (self->n_pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  return G_SOURCE_REMOVE;
}

static void
load_page_thread (gpointer data,
                  gpointer user_data)
{
  Loader *loader = user_data;
  guint number = GPOINTER_TO_UINT (data) - 1;
  g_autoptr(GError) error = NULL;
  PageResult *result;
  GSource *source;

  result = g_new0 (PageResult, 1);
  result->loader = loader_ref (loader);
  result->number = number;

  if (loader->store == NULL)
    loader->store = reins_store_open (loader->db_path, &error);
  if (loader->store != NULL)
    result->steps = reins_store_get_steps (loader->store, loader->run_id,
                                           number * PAGE_SIZE + 1, PAGE_SIZE, &error);
  if (error != NULL)
    g_debug ("Could not read steps of run %s: %s", loader->run_id, error->message);

  /* Not g_main_context_invoke(): it would run the callback here when the main thread is not
   * iterating its context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, page_loaded_cb, result, page_result_free);
  g_source_set_static_name (source, "[reins] step page");
  g_source_attach (source, loader->context);
  g_source_unref (source);
}

static Page *
reins_step_model_get_page (ReinsStepModel *self,
                           guint           number)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));

  if (page == NULL)
    {
      guint first = number * PAGE_SIZE;
      guint n = MIN (PAGE_SIZE, self->n_steps - first);

      page = g_new0 (Page, 1);
      page->number = number;
      page->steps = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (page->steps, reins_step_new (self->loader->run_id, first + i + 1));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);

      if (self->n_pending++ == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      g_thread_pool_push (self->pool, GUINT_TO_POINTER (number + 1), NULL);
    }
  page->used = ++self->clock;

  return page;
}

static GType
reins_step_model_get_item_type (GListModel *model)
{
  return REINS_TYPE_STEP;
}

static guint
reins_step_model_get_n_items (GListModel *model)
{
  return REINS_STEP_MODEL (model)->n_steps;
}

static gpointer
reins_step_model_get_item (GListModel *model,
                           guint       position)
{
  ReinsStepModel *self = REINS_STEP_MODEL (model);
  Page *page;

  if (position >= self->n_steps)
    return NULL;

  page = reins_step_model_get_page (self, position / PAGE_SIZE);
  /* A page read before the run grew is shorter: placeholders until it is read again. */
  while (page->steps->len <= position % PAGE_SIZE)
    g_ptr_array_add (page->steps,
                     reins_step_new (self->loader->run_id,
                                     page->number * PAGE_SIZE + page->steps->len + 1));
  return g_object_ref (g_ptr_array_index (page->steps, position % PAGE_SIZE));
}

static void
reins_step_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = reins_step_model_get_item_type;
  iface->get_n_items = reins_step_model_get_n_items;
  iface->get_item = reins_step_model_get_item;
}

static void
reins_step_model_finalize (GObject *object)
{
  ReinsStepModel *self = (ReinsStepModel *)object;

  /* Waits for a page being read; queued ones are dropped. The pool's thread used the loader
   * without a reference of its own: it is done with it now. */
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  loader_unref (self->loader);

  G_OBJECT_CLASS (reins_step_model_parent_class)->finalize (object);
}

static void
reins_step_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ReinsStepModel *self = REINS_STEP_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->n_pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_step_model_class_init (ReinsStepModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reins_step_model_finalize;
  object_class->get_property = reins_step_model_get_property;

  /* Whether pages are being read. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reins_step_model_init (ReinsStepModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
}

/**
 * reins_step_model_new:
 * @db_path: the store to read from (through a connection of the model's own)
 * @run_id: the run
 * @n_steps: how many steps it has (its step count)
 */
ReinsStepModel *
reins_step_model_new (const char *db_path,
                      const char *run_id,
                      guint       n_steps)
{
  ReinsStepModel *self;
  Loader *loader;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (REINS_TYPE_STEP_MODEL, NULL);
  self->n_steps = n_steps;

  loader = g_new0 (Loader, 1);
  g_atomic_ref_count_init (&loader->ref_count);
  loader->db_path = g_strdup (db_path);
  loader->run_id = g_strdup (run_id);
  loader->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&loader->model, self);
  self->loader = loader;

  /* One thread: the store connection is used by one thread at a time, and pages come in the
   * order they were asked for. */
  self->pool = g_thread_pool_new (load_page_thread, loader, 1, TRUE, NULL);

  return self;
}

const char *
reins_step_model_get_run_id (ReinsStepModel *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), NULL);

  return self->loader->run_id;
}

/* Whether the item at @position holds the stored step (not a placeholder). */
gboolean
reins_step_model_is_loaded (ReinsStepModel *self,
                            guint           position)
{
  Page *page;

  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), FALSE);

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (position / PAGE_SIZE));
  return page != NULL && page->loaded;
}

/* How many pages are being read. */
guint
reins_step_model_get_n_pending (ReinsStepModel *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), 0);

  return self->n_pending;
}

guint
reins_step_model_get_n_steps (ReinsStepModel *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), 0);

  return self->n_steps;
}

/* The run has more steps now (it goes on in another process): the new ones are added. */
void
reins_step_model_set_n_steps (ReinsStepModel *self,
                              guint           n_steps)
{
  guint old;
  Page *last;

  g_return_if_fail (REINS_IS_STEP_MODEL (self));

  if (n_steps <= self->n_steps)
    return;

  old = self->n_steps;
  self->n_steps = n_steps;
  if (old % PAGE_SIZE != 0 &&
      (last = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (old / PAGE_SIZE))))
    {
      if (last->loaded)
        g_hash_table_remove (self->pages, GUINT_TO_POINTER (old / PAGE_SIZE));
      else
        last->stale = TRUE;
    }
  g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n_steps - old);
}

/* Reads the page of @position now, before a row asks (so the first rows come sooner). */
void
reins_step_model_prefetch (ReinsStepModel *self,
                           guint           position)
{
  g_return_if_fail (REINS_IS_STEP_MODEL (self));

  if (position < self->n_steps)
    reins_step_model_get_page (self, position / PAGE_SIZE);
}

gboolean
reins_step_model_get_loading (ReinsStepModel *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), FALSE);

  return self->n_pending > 0;
}
