/* bench-remote-window.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window-side approver for tests/bench-store-load: the window's own bar of questions of
 * runs elsewhere (ReinsRemoteQuestions: the store's notifications on PostgreSQL, its poll of
 * a file), with a person who approves each question the moment the bar shows it, through
 * the bar's Approve. Needs a display (Xvfb will do).
 *
 *   bench-remote-window STORE STOP_FILE
 *
 * Runs until STOP_FILE exists, then prints one line per question it saw, "s RUN STEP ORD
 * T E" (T: when the bar first showed it, µs since the epoch; E: 1 when it was asked while
 * the bar showed no other question, else 0), one per answer it stored, "w RUN
 * STEP ORD T" (T: when Approve was pressed), and "r N": answers refused because another had
 * decided first. Exit status 77
 * without a display.
 */

#include "config.h"

#include <stdio.h>
#include <gtk/gtk.h>

#include "reins-remote-questions.h"

typedef struct
{
  ReinsStore           *store;
  ReinsRemoteQuestions *bar;
  GMainLoop            *loop;
  const char           *stop;
  GHashTable           *seen;      /* "RUN STEP ORD" of the questions shown */
  GString              *shown;     /* "s …" lines */
  GString              *out;       /* "w …" lines */
  gint64                noticed;   /* when the bar last changed its text */
  gint64                empty_since;  /* when the bar last had no question; 0 showing one */
  guint                 look_id;
  guint                 refused;
} Watch;

/* The question the bar shows, as "RUN STEP ORD", or NULL when it shows none still open. */
static char *
shown_question (Watch  *w,
                gint64 *requested_at)
{
  const char *run_id = reins_remote_questions_get_run_id (w->bar);
  g_autoptr(ReinsRun) run = NULL;
  g_autoptr(ReinsStep) step = NULL;
  guint ord = 0;

  if (run_id == NULL || (run = reins_store_get_run (w->store, run_id, NULL)) == NULL)
    return NULL;
  step = reins_store_get_open_question (w->store, run, &ord, NULL);
  if (step == NULL)
    return NULL;
  *requested_at = reins_approval_record_get_requested_at (
    g_ptr_array_index (reins_step_get_approvals (step), ord));
  return g_strdup_printf ("%s %u %u", run_id, reins_step_get_index (step), ord);
}

/* Whether every button of the bar can be pressed. */
static gboolean
buttons_sensitive (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && !gtk_widget_get_sensitive (widget))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!buttons_sensitive (child))
      return FALSE;
  return TRUE;
}

/* A person at the window: reads the question shown and approves it at once. */
static gboolean
look_cb (gpointer user_data)
{
  Watch *w = user_data;
  g_autofree char *key = NULL;
  gint64 noticed = w->noticed, requested_at = 0, answered;

  w->look_id = 0;
  key = shown_question (w, &requested_at);
  /* Asked after the bar last changed: the run went on since, and the bar shows an older
   * question of it; it changes again when it shows this one. */
  if (key == NULL || g_hash_table_contains (w->seen, key) || requested_at > noticed)
    return G_SOURCE_REMOVE;
  /* Asked while the bar had nothing to show: no other question stood before it. */
  g_string_append_printf (w->shown, "s %s %" G_GINT64_FORMAT " %d\n", key, noticed,
                          w->empty_since != 0 && requested_at >= w->empty_since);
  g_hash_table_add (w->seen, g_strdup (key));
  w->empty_since = 0;

  answered = g_get_real_time ();
  reins_remote_questions_answer (w->bar, REINS_DECISION_APPROVE);
  /* Stored: the bar moved on (to the next question, maybe of the same run, or hid) with
   * its buttons live. Refused: it says who decided first, its buttons insensitive. */
  if (reins_remote_questions_get_run_id (w->bar) == NULL)
    w->empty_since = g_get_real_time ();
  if (buttons_sensitive (GTK_WIDGET (w->bar)))
    g_string_append_printf (w->out, "w %s %" G_GINT64_FORMAT "\n", key, answered);
  else
    {
      /* The bar's text changed to who decided: no question to look at. */
      w->refused++;
      g_clear_handle_id (&w->look_id, g_source_remove);
    }
  return G_SOURCE_REMOVE;
}

/* The bar changed its text: a question (or the outcome of an answer) is shown from now. */
static void
label_changed_cb (GObject    *label,
                  GParamSpec *pspec,
                  Watch      *w)
{
  w->noticed = g_get_real_time ();
  if (w->look_id == 0)
    w->look_id = g_idle_add (look_cb, w);
}

/* The bar hid: every question it knew of was answered. */
static void
visible_changed_cb (GObject    *bar,
                    GParamSpec *pspec,
                    Watch      *w)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (bar)) && w->empty_since == 0)
    w->empty_since = g_get_real_time ();
}

static void
watch_labels (GtkWidget *widget,
              Watch     *w)
{
  if (GTK_IS_LABEL (widget))
    g_signal_connect (widget, "notify::label", G_CALLBACK (label_changed_cb), w);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    watch_labels (child, w);
}

static gboolean
stop_cb (gpointer user_data)
{
  Watch *w = user_data;

  if (!g_file_test (w->stop, G_FILE_TEST_EXISTS))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GString) shown = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(ReinsStore) store = NULL;
  GtkWidget *bar;
  Watch w = { 0 };

  if (argc != 3)
    {
      g_printerr ("usage: bench-remote-window STORE STOP_FILE\n");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("bench-remote-window: no display\n");
      return 77;
    }
  store = reins_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("bench-remote-window: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  shown = g_string_new (NULL);
  out = g_string_new (NULL);
  bar = g_object_ref_sink (reins_remote_questions_new (store, NULL));
  w = (Watch) { store, REINS_REMOTE_QUESTIONS (bar), loop, argv[2], seen, shown, out, 0,
                gtk_widget_get_visible (bar) ? 0 : g_get_real_time (), 0, 0 };
  watch_labels (bar, &w);
  g_signal_connect (bar, "notify::visible", G_CALLBACK (visible_changed_cb), &w);
  /* A question already shown when the bar was made. */
  label_changed_cb (NULL, NULL, &w);
  g_timeout_add (100, stop_cb, &w);
  g_main_loop_run (loop);

  g_clear_handle_id (&w.look_id, g_source_remove);
  printf ("%s%sr %u\n", shown->str, out->str, w.refused);
  g_object_unref (bar);
  return 0;
}
