/* reins-event-queue.h
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsEventQueue carries events from a worker thread to one main context, in order: any
 * thread pushes, and one idle source on the main context hands the batch queued so far to
 * its owner. Text events coalesce: a text pushed while the tail is a text event of the same
 * type and index is appended to it, so a fast stream becomes one event per main-loop
 * iteration.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint     type;     /* the owner's own enumeration */
  guint     index;    /* e.g. a step number */
  int       value;    /* e.g. a status */
  GString  *text;     /* (nullable) set by reins_event_queue_push_text() only */
  GObject  *object;   /* (nullable) (owned) */
} ReinsEvent;

typedef struct _ReinsEventQueue ReinsEventQueue;

/* Called on the main context with the events queued since the last call, oldest first.
 * It pops them and frees each with reins_event_free(); whatever it leaves is freed after
 * it returns. It may free the queue. */
typedef void (*ReinsEventBatchFunc) (GQueue   *events,
                                     gpointer  user_data);

ReinsEvent      *reins_event_new          (guint                type);
void             reins_event_free         (ReinsEvent          *event);

ReinsEventQueue *reins_event_queue_new    (GMainContext        *context,
                                           const char          *name,
                                           ReinsEventBatchFunc  func,
                                           gpointer             user_data);
void             reins_event_queue_free   (ReinsEventQueue     *self);
void             reins_event_queue_push   (ReinsEventQueue     *self,
                                           ReinsEvent          *event);
void             reins_event_queue_push_text (ReinsEventQueue  *self,
                                              guint             type,
                                              guint             index,
                                              const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReinsEvent, reins_event_free)

G_END_DECLS
