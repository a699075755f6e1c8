/* reins-event-queue.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "reins-event-queue.h"

struct _ReinsEventQueue
{
  GMainContext        *context;
  char                *name;
  ReinsEventBatchFunc  func;
  gpointer             user_data;

  GMutex               mutex;      /* guards the two below */
  GQueue               events;
  GSource             *source;
};

ReinsEvent *
reins_event_new (guint type)
{
  ReinsEvent *event = g_new0 (ReinsEvent, 1);

  event->type = type;
  return event;
}

void
reins_event_free (ReinsEvent *event)
{
  if (event == NULL)
    return;
  if (event->text != NULL)
    g_string_free (event->text, TRUE);
  g_clear_object (&event->object);
  g_free (event);
}

/**
 * reins_event_queue_new:
 * @context: (nullable): the main context the batches are handed over on; the thread-default
 *   one when %NULL
 * @name: the idle source's name, for profilers
 * @func: called with each batch
 * @user_data: for @func; not referenced
 */
ReinsEventQueue *
reins_event_queue_new (GMainContext        *context,
                       const char          *name,
                       ReinsEventBatchFunc  func,
                       gpointer             user_data)
{
  ReinsEventQueue *self = g_new0 (ReinsEventQueue, 1);

  g_return_val_if_fail (func != NULL, NULL);

  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  self->name = g_strdup (name != NULL ? name : "[reins] events");
  self->func = func;
  self->user_data = user_data;
  g_mutex_init (&self->mutex);
  g_queue_init (&self->events);
  return self;
}

/* Drops the events not yet handed over and the idle source that would have. */
void
reins_event_queue_free (ReinsEventQueue *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_queue_clear_full (&self->events, (GDestroyNotify) reins_event_free);
  g_mutex_unlock (&self->mutex);

  g_mutex_clear (&self->mutex);
  g_main_context_unref (self->context);
  g_free (self->name);
  g_free (self);
}

static gboolean
dispatch_events (gpointer data)
{
  ReinsEventQueue *self = data;
  GQueue events = G_QUEUE_INIT;

  g_mutex_lock (&self->mutex);
  events = self->events;
  g_queue_init (&self->events);
  g_clear_pointer (&self->source, g_source_unref);
  g_mutex_unlock (&self->mutex);

  /* The owner may free the queue in there: nothing of it is touched after. */
  self->func (&events, self->user_data);
  g_queue_clear_full (&events, (GDestroyNotify) reins_event_free);

  return G_SOURCE_REMOVE;
}

/* Called with the mutex held. */
static void
push_locked (ReinsEventQueue *self,
             ReinsEvent      *event)
{
  g_queue_push_tail (&self->events, event);

  if (self->source == NULL)
    {
      self->source = g_idle_source_new ();
      g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->source, dispatch_events, self, NULL);
      g_source_set_name (self->source, self->name);
      g_source_attach (self->source, self->context);
    }
}

/**
 * reins_event_queue_push:
 * @event: (transfer full):
 *
 * Queues @event from any thread.
 */
void
reins_event_queue_push (ReinsEventQueue *self,
                        ReinsEvent      *event)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (event != NULL);

  g_mutex_lock (&self->mutex);
  push_locked (self, event);
  g_mutex_unlock (&self->mutex);
}

/**
 * reins_event_queue_push_text:
 *
 * Queues a text event from any thread, or appends @text to the tail when that is a text
 * event of the same @type and @index not yet handed over.
 */
void
reins_event_queue_push_text (ReinsEventQueue *self,
                             guint            type,
                             guint            index,
                             const char      *text)
{
  ReinsEvent *tail;
  ReinsEvent *event;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  g_mutex_lock (&self->mutex);

  /* Coalesce: a fast stream becomes one event per main-loop iteration. */
  tail = g_queue_peek_tail (&self->events);
  if (tail != NULL && tail->text != NULL && tail->type == type && tail->index == index)
    {
      g_string_append (tail->text, text);
      g_mutex_unlock (&self->mutex);
      return;
    }

  event = reins_event_new (type);
  event->index = index;
  event->text = g_string_new (text);
  push_locked (self, event);

  g_mutex_unlock (&self->mutex);
}
