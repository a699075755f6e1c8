/* test-event-queue.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsEventQueue: order, text coalescing (when it must merge and when it must not),
 * pushes from another thread, and freeing with events still queued.
 */

#include "config.h"

#include <locale.h>

#include "reins-event-queue.h"

enum { TYPE_TEXT, TYPE_OTHER_TEXT, TYPE_PLAIN };

typedef struct
{
  GPtrArray *seen;     /* "type:index:text" per event, in dispatch order */
  guint      batches;
} Sink;

static void
sink_batch (GQueue   *events,
            gpointer  user_data)
{
  Sink *sink = user_data;
  ReinsEvent *event;

  sink->batches++;
  while ((event = g_queue_pop_head (events)) != NULL)
    {
      g_ptr_array_add (sink->seen, g_strdup_printf ("%u:%u:%s", event->type, event->index,
                                                    event->text != NULL ? event->text->str
                                                                        : "-"));
      reins_event_free (event);
    }
}

static void
wait_for (Sink  *sink,
          guint  count)
{
  while (sink->seen->len < count)
    g_main_context_iteration (NULL, TRUE);
}

static void
sink_init (Sink *sink)
{
  sink->seen = g_ptr_array_new_with_free_func (g_free);
  sink->batches = 0;
}

static void
assert_seen (Sink               *sink,
             const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (sink->seen->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (sink->seen, i), ==, expected[i]);
}

static void
test_coalesce (void)
{
  Sink sink;
  ReinsEventQueue *queue;
  const char * const expected[] = { "0:1:Hello, world", NULL };

  sink_init (&sink);
  queue = reins_event_queue_new (NULL, "test", sink_batch, &sink);

  reins_event_queue_push_text (queue, TYPE_TEXT, 1, "Hello");
  reins_event_queue_push_text (queue, TYPE_TEXT, 1, ", ");
  reins_event_queue_push_text (queue, TYPE_TEXT, 1, "world");
  wait_for (&sink, 1);
  while (g_main_context_iteration (NULL, FALSE));

  assert_seen (&sink, expected);
  g_assert_cmpuint (sink.batches, ==, 1);

  reins_event_queue_free (queue);
  g_ptr_array_unref (sink.seen);
}

/* Another index, another type, or any event in between keeps texts apart, in order. */
static void
test_no_coalesce (void)
{
  Sink sink;
  ReinsEventQueue *queue;
  ReinsEvent *plain;
  const char * const expected[] = {
    "0:1:a", "0:2:b", "1:2:c", "2:7:-", "1:2:d", NULL
  };

  sink_init (&sink);
  queue = reins_event_queue_new (NULL, "test", sink_batch, &sink);

  reins_event_queue_push_text (queue, TYPE_TEXT, 1, "a");
  reins_event_queue_push_text (queue, TYPE_TEXT, 2, "b");
  reins_event_queue_push_text (queue, TYPE_OTHER_TEXT, 2, "c");
  plain = reins_event_new (TYPE_PLAIN);
  plain->index = 7;
  reins_event_queue_push (queue, plain);
  reins_event_queue_push_text (queue, TYPE_OTHER_TEXT, 2, "d");
  wait_for (&sink, 5);
  while (g_main_context_iteration (NULL, FALSE));

  assert_seen (&sink, expected);

  /* A text after a batch was handed over starts a new event. */
  reins_event_queue_push_text (queue, TYPE_OTHER_TEXT, 2, "e");
  wait_for (&sink, 6);
  g_assert_cmpstr (g_ptr_array_index (sink.seen, 5), ==, "1:2:e");

  reins_event_queue_free (queue);
  g_ptr_array_unref (sink.seen);
}

static gpointer
pusher (gpointer data)
{
  ReinsEventQueue *queue = data;

  for (guint i = 1; i <= 100; i++)
    {
      ReinsEvent *event = reins_event_new (TYPE_PLAIN);

      event->index = i;
      event->object = g_object_new (G_TYPE_OBJECT, NULL);
      reins_event_queue_push (queue, event);
    }
  return NULL;
}

static void
test_thread (void)
{
  Sink sink;
  ReinsEventQueue *queue;
  GThread *thread;

  sink_init (&sink);
  queue = reins_event_queue_new (NULL, "test", sink_batch, &sink);

  thread = g_thread_new ("pusher", pusher, queue);
  wait_for (&sink, 100);
  g_thread_join (thread);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u:%u:-", TYPE_PLAIN, i + 1);

      g_assert_cmpstr (g_ptr_array_index (sink.seen, i), ==, expected);
    }

  reins_event_queue_free (queue);
  g_ptr_array_unref (sink.seen);
}

/* Events still queued are dropped with the queue, and never handed over. */
static void
test_free_pending (void)
{
  Sink sink;
  ReinsEventQueue *queue;
  ReinsEvent *event;

  sink_init (&sink);
  queue = reins_event_queue_new (NULL, "test", sink_batch, &sink);

  event = reins_event_new (TYPE_PLAIN);
  event->object = g_object_new (G_TYPE_OBJECT, NULL);
  reins_event_queue_push (queue, event);
  reins_event_queue_push_text (queue, TYPE_TEXT, 1, "lost");
  reins_event_queue_free (queue);

  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (sink.batches, ==, 0);
  g_assert_cmpuint (sink.seen->len, ==, 0);
  g_ptr_array_unref (sink.seen);
}

/* The owner may free the queue while it handles a batch; what it leaves is freed. */
typedef struct
{
  ReinsEventQueue *queue;
  guint            calls;
} Freeing;

static void
free_in_batch (GQueue   *events,
               gpointer  user_data)
{
  Freeing *f = user_data;

  f->calls++;
  g_assert_cmpuint (g_queue_get_length (events), ==, 2);
  reins_event_free (g_queue_pop_head (events));
  g_clear_pointer (&f->queue, reins_event_queue_free);
}

static void
test_free_in_batch (void)
{
  Freeing f = { NULL, 0 };
  ReinsEvent *event;

  f.queue = reins_event_queue_new (NULL, "test", free_in_batch, &f);
  reins_event_queue_push (f.queue, reins_event_new (TYPE_PLAIN));
  event = reins_event_new (TYPE_PLAIN);
  event->object = g_object_new (G_TYPE_OBJECT, NULL);
  reins_event_queue_push (f.queue, event);

  while (f.queue != NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (f.calls, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event-queue/coalesce", test_coalesce);
  g_test_add_func ("/event-queue/no-coalesce", test_no_coalesce);
  g_test_add_func ("/event-queue/thread", test_thread);
  g_test_add_func ("/event-queue/free-pending", test_free_pending);
  g_test_add_func ("/event-queue/free-in-batch", test_free_in_batch);

  return g_test_run ();
}
