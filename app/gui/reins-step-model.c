/* reins-step-model.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of a stored run as a GListModel whose items are read from the store on demand.
 *
 * A run may have tens of thousands of steps with megabytes of observations, so nothing is
 * read up front: the model knows only how many steps there are. Asking for an item that is not
 * cached returns a placeholder (a step with its index and nothing else) at once and asks the
 * store for its page (reins_store_read_steps_async(), on a worker thread); when the page
 * arrives, the placeholders are replaced with one items-changed. A few pages are kept, the
 * least recently used dropped, so scrolling a long run costs a bounded amount of memory.
 */

#include "config.h"

#include "reins-step-model.h"
#include "reins-store-async.h"

#define PAGE_SIZE 64
#define MAX_PAGES 16

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
  GObject       parent_instance;

  ReinsStore   *store;
  char         *run_id;
  GCancellable *cancellable;
  guint         n_steps;
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

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->steps, g_ptr_array_unref);
  g_free (page);
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

typedef struct
{
  GWeakRef model;
  guint    number;
} PageRequest;

static void
page_request_free (PageRequest *request)
{
  g_weak_ref_clear (&request->model);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageRequest, page_request_free)

static void
page_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PageRequest) request = user_data;
  g_autoptr(ReinsStepModel) self = g_weak_ref_get (&request->model);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;
  guint first, n;

  steps = reins_store_read_steps_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Could not read steps of run %s: %s", self->run_id, error->message);

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (request->number));
  if (page == NULL || page->loaded)
    return;

  self->n_pending--;
  first = request->number * PAGE_SIZE;
  n = page->steps->len;
  if (page->stale)
    {
      /* Forget it: the rows ask again and get the longer page. */
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (request->number));
      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
      if (self->n_pending == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }
  page->loaded = TRUE;

  /* Keep the placeholders' count even if the store returned fewer (a damaged run): the model
   * promised n_steps items. */
  for (guint i = 0; steps != NULL && i < steps->len && i < n; i++)
    {
      ReinsStep *step = g_ptr_array_index (steps, i);
      guint index = reins_step_get_index (step);

      if (index >= first + 1 && index < first + 1 + n)
        g_set_object ((ReinsStep **) &page->steps->pdata[index - first - 1], step);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
  reins_step_model_evict (self);
  if (self->n_pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static Page *
reins_step_model_get_page (ReinsStepModel *self,
                           guint           number)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  PageRequest *request;

  if (page == NULL)
    {
      guint first = number * PAGE_SIZE;
      guint n = MIN (PAGE_SIZE, self->n_steps - first);

      page = g_new0 (Page, 1);
      page->number = number;
      page->steps = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (page->steps, reins_step_new (self->run_id, first + i + 1));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);

      request = g_new0 (PageRequest, 1);
      g_weak_ref_init (&request->model, self);
      request->number = number;
      if (self->n_pending++ == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      reins_store_read_steps_async (self->store, self->run_id, first + 1, PAGE_SIZE,
                                    self->cancellable, page_loaded_cb, request);
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
                     reins_step_new (self->run_id,
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

  /* Pages still being read are dropped when they arrive. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_object (&self->store);
  g_free (self->run_id);

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
 * @store: the store to read from (through worker connections of its own)
 * @run_id: the run
 * @n_steps: how many steps it has (its step count)
 */
ReinsStepModel *
reins_step_model_new (ReinsStore *store,
                      const char *run_id,
                      guint       n_steps)
{
  ReinsStepModel *self;

  g_return_val_if_fail (REINS_IS_STORE (store), NULL);
  g_return_val_if_fail (run_id != NULL, NULL);

  self = g_object_new (REINS_TYPE_STEP_MODEL, NULL);
  self->n_steps = n_steps;
  self->store = g_object_ref (store);
  self->run_id = g_strdup (run_id);
  self->cancellable = g_cancellable_new ();

  return self;
}

const char *
reins_step_model_get_run_id (ReinsStepModel *self)
{
  g_return_val_if_fail (REINS_IS_STEP_MODEL (self), NULL);

  return self->run_id;
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
