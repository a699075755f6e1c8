/* reins-timeline-rows.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline's rows: built ahead and kept for reuse, bound to the slots, and paced.
 *
 * GTK 4.8's list view keeps a row for each of about 200 items around what it shows,
 * builds one for every item that comes and destroys the row of every item that goes, all
 * in the frame it happens. So the rows are built ahead in idle moments and kept when the
 * list lets them go; steps held back by the slots come a chunk per frame, sized from what
 * frames take of the main thread; and rows bound faster than a frame affords (a live run
 * that outruns the window, a jump far into a long run) are bound compact, the step's
 * number only, and made full in the next frames, those in sight first.
 */

#include "config.h"

#include <adwaita.h>
#include <time.h>
#include <glib/gi18n.h>

#include "reins-context-menu.h"
#include "reins-step-row-private.h"
#include "reins-step-slots.h"
#include "reins-timeline-private.h"

/* What a frame that shows more steps may take of the main thread, in µs: the list view
 * builds, measures and draws a row for each, and the main loop must not stall for 16 ms. */
#define FRAME_BUDGET 10000
/* The first chunk, before a frame was measured, and the most steps shown more per frame. */
#define FIRST_CHUNK  2
#define MAX_CHUNK    16
/* The rows GTK 4.8's list view keeps around what it shows, and the most steps shown more per
 * frame while it builds them. */
#define LIST_ROWS     200
#define GROWING_CHUNK 4


static void
fork_from_here_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkWidget       *row)
{
  ReinsStep *step = reins_step_row_get_step (REINS_STEP_ROW (row));
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;

  if (step == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Fork from Here…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.fork-from",
                                           g_variant_new_uint32 (reins_step_get_index (step)));
  g_menu_append_item (menu, item);
  reins_context_menu_popup (row, G_MENU_MODEL (menu), x, y);
}

/* About as many rows as a tall window shows at once. */
#define SPARE_ROWS 24
/* The most rows kept for the list to take again: as many as it lets go of at once (a jump
 * far into a long run replaces all of its ~200), and, some seconds after, as many as an idle
 * window keeps. */
#define POOL_ROWS  256
#define POOL_KEEP  64

static GtkWidget *
reins_timeline_new_row (void)
{
  GtkWidget *row = g_object_ref_sink (reins_step_row_new ());
  GtkGesture *click = gtk_gesture_click_new ();

  /* A right click offers to fork the run from this step. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (fork_from_here_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  return row;
}

/* A step row is built from its template in about three quarters of a millisecond (and as
 * much again for its first style and measure), and GTK 4.8's list view destroys the row of
 * every item that leaves the 200 or so it keeps around what it shows, and builds one for
 * every item that comes: a followed live run does both for each new step. So rows are built
 * ahead while the window is idle (one per idle moment), and a row the list lets go is kept
 * for the next item instead (rows are shown anew by their bindings). */
static gboolean
spare_row_cb (gpointer user_data)
{
  ReinsTimeline *self = user_data;

  g_ptr_array_add (self->spare_rows, reins_timeline_new_row ());
  if (self->spare_rows->len < SPARE_ROWS)
    return G_SOURCE_CONTINUE;
  self->spare_id = 0;
  return G_SOURCE_REMOVE;
}

/* Rows beyond what an idle window keeps go a few at a time (a row is a third of a
 * millisecond to destroy). */
static gboolean
trim_pool_cb (gpointer user_data)
{
  ReinsTimeline *self = user_data;

  for (guint i = 0; i < 8 && self->spare_rows->len > POOL_KEEP; i++)
    g_ptr_array_remove_index (self->spare_rows, self->spare_rows->len - 1);
  if (self->spare_rows->len > POOL_KEEP)
    {
      /* The rest in the next idle moments. */
      self->trim_id = g_idle_add_full (G_PRIORITY_LOW, trim_pool_cb, self, NULL);
      return G_SOURCE_REMOVE;
    }
  self->trim_id = 0;
  return G_SOURCE_REMOVE;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ReinsTimeline            *self)
{
  g_autoptr(GtkWidget) row = self->spare_rows != NULL && self->spare_rows->len > 0
                             ? g_ptr_array_steal_index (self->spare_rows,
                                                        self->spare_rows->len - 1)
                             : reins_timeline_new_row ();

  /* More are built ahead in the idle moments between frames. */
  if (self->spare_rows != NULL && self->spare_rows->len < SPARE_ROWS && self->spare_id == 0)
    self->spare_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, spare_row_cb, self, NULL);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 ReinsTimeline            *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row == NULL || self->spare_rows == NULL || self->spare_rows->len >= POOL_ROWS ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  g_ptr_array_add (self->spare_rows, g_object_ref (row));
  gtk_list_item_set_child (item, NULL);
  if (self->spare_rows->len > POOL_KEEP && self->trim_id == 0)
    self->trim_id = g_timeout_add_seconds (5, trim_pool_cb, self);
}

static gboolean reins_timeline_catching_up (ReinsTimeline *self);

/* The most rows bound in full in one frame. A jump far into a long run (or the scrollbar
 * dragged there) has the list view bind some 200 rows at once, which stalled the window for
 * 400-480 ms: past these, rows are bound compact and made full in the next frames, those in
 * sight first. */
#define FULL_BINDS 12

static gboolean
reins_timeline_full_binds_spent (ReinsTimeline *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 frame;

  /* Not on a screen: no frame to spread them over. */
  if (clock == NULL)
    return FALSE;
  frame = gdk_frame_clock_get_frame_counter (clock);
  if (frame != self->binds_frame)
    {
      self->binds_frame = frame;
      self->n_full_binds = 0;
    }
  return self->n_full_binds >= FULL_BINDS;
}

/* A row shows its slot's step and state: the slot's step changes in place (a page read, a
 * step that grows, another run), and the row follows it through its bindings without being
 * built again. */
static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ReinsTimeline            *self)
{
  ReinsStepRow *row = REINS_STEP_ROW (gtk_list_item_get_child (item));

  /* Rows that scroll by faster than a frame can lay them out show only their numbers;
   * once the timeline has caught up, those left are made full, a few per frame. */
  gboolean compact = self->revealing_compact || reins_timeline_catching_up (self) ||
                     reins_timeline_full_binds_spent (self);

  /* (Bound compact, then made full: a row is set from its step once.) */
  if (compact)
    {
      reins_step_row_set_compact (row, TRUE);
      reins_timeline_schedule (self);
    }
  reins_step_row_bind (row, gtk_list_item_get_item (item));
  if (!compact)
    {
      reins_step_row_set_compact (row, FALSE);
      self->n_full_binds++;
    }
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ReinsTimeline            *self)
{
  reins_step_row_unbind (REINS_STEP_ROW (gtk_list_item_get_child (item)));
}

/* The main thread's own time, in µs: what other processes take of the processor is not
 * the frame's cost. */
static gint64
thread_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* What a frame took of the main thread sizes the next one's work: more if it was well
 * within the budget, less if it went over. (A frame's fixed cost, the window's layout and
 * drawing, is in it too, so no cost per row is guessed from it: a guess that took all of it
 * for the rows kept the chunk at one step and the timeline far behind a fast run.) */
static guint
next_chunk (guint  chunk,
            guint  done,
            gint64 cost,
            guint  most)
{
  if (cost > FRAME_BUDGET)
    return MAX (1, (guint) (chunk * FRAME_BUDGET / cost));
  if (cost < FRAME_BUDGET * 3 / 4 && done >= chunk)
    return MIN (most, chunk + 1);
  return MIN (most, chunk);
}

/* The frame that showed more steps, or made rows full, is drawn. */
static void
frame_painted_cb (ReinsTimeline *self,
                  GdkFrameClock *clock)
{
  gint64 cost = MAX (thread_time () - self->frame_start, 1);

  g_clear_signal_handler (&self->painted_id, clock);
  if (self->slots == NULL)
    return;
  if (self->n_expanded > 0)
    self->expand_chunk = next_chunk (self->expand_chunk, self->n_expanded, cost, MAX_CHUNK);
  else if (self->n_revealed > 0)
    reins_step_slots_set_chunk (self->slots,
                                next_chunk (reins_step_slots_get_chunk (self->slots),
                                            self->n_revealed, cost,
                                            /* Each of the list view's first rows is built,
                                             * not reused: a few at a time. */
                                            g_list_model_get_n_items (G_LIST_MODEL (self->slots))
                                            < LIST_ROWS ? GROWING_CHUNK : MAX_CHUNK));
}

/* Whether the timeline follows a live run that outruns it. */
static gboolean
reins_timeline_catching_up (ReinsTimeline *self)
{
  return self->slots != NULL && self->live && self->follow == REINS_TIMELINE_FOLLOWING &&
         reins_step_slots_get_n_hidden (self->slots) > 0;
}

/* Makes up to @max compact rows full: those in sight, then those about to come into sight
 * (half a screen above and below); says whether any is left there. Rows further away stay
 * compact until a scroll brings them near; the list view drops most of them unseen. */
guint
reins_timeline_expand_rows (ReinsTimeline *self,
                            guint          max,
                            gboolean      *more)
{
  GtkWidget *list = GTK_WIDGET (self->step_list);
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  guint expanded = 0;

  *more = FALSE;
  for (guint pass = 0; pass < 2; pass++)
    {
      int margin = pass == 0 ? 0 : height / 2;

      /* From the newest up: made full, the rows at the end push the ones above out of
       * sight when the list follows its end, and those stay compact. */
      for (GtkWidget *item = gtk_widget_get_last_child (list); item != NULL;
           item = gtk_widget_get_prev_sibling (item))
        {
          GtkWidget *row = gtk_widget_get_first_child (item);
          graphene_rect_t bounds;

          if (!REINS_IS_STEP_ROW (row) || !reins_step_row_get_compact (REINS_STEP_ROW (row)) ||
              !gtk_widget_compute_bounds (row, GTK_WIDGET (self->scroller), &bounds) ||
              bounds.origin.y + bounds.size.height < -margin ||
              bounds.origin.y > height + margin)
            continue;
          if (expanded == max)
            {
              *more = TRUE;
              return expanded;
            }
          reins_step_row_set_compact (REINS_STEP_ROW (row), FALSE);
          expanded++;
        }
    }
  return expanded;
}

static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ReinsTimeline *self = REINS_TIMELINE (widget);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (self->slots));
  gboolean more = FALSE;

  self->frame_start = thread_time ();
  /* The last chunk of a backlog comes compact too (it is as many rows as the others), and so
   * do the rows the list builds as it goes to the newest step. */
  self->revealing_compact = reins_timeline_catching_up (self);
  reins_step_slots_reveal (self->slots, FALSE);
  self->n_revealed = g_list_model_get_n_items (G_LIST_MODEL (self->slots)) - before;
  self->n_expanded = 0;
  if (!self->revealing_compact)
    self->n_expanded = reins_timeline_expand_rows (self, self->expand_chunk, &more);
  else
    more = TRUE;
  if ((self->n_revealed > 0 || self->n_expanded > 0) && self->painted_id == 0)
    self->painted_id = g_signal_connect_object (clock, "after-paint",
                                                G_CALLBACK (frame_painted_cb), self,
                                                G_CONNECT_SWAPPED);
  /* Before this frame's layout: the list view anchors on the newest step it just got. */
  reins_timeline_keep_newest (self);
  self->revealing_compact = FALSE;
  if (reins_step_slots_get_n_hidden (self->slots) > 0 || more)
    return G_SOURCE_CONTINUE;
  self->reveal_id = 0;
  return G_SOURCE_REMOVE;
}

/* Steps held back come a chunk per frame, and compact rows are made full, in a tick. */
void
reins_timeline_schedule (ReinsTimeline *self)
{
  if (self->slots != NULL && self->reveal_id == 0)
    self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick_cb, NULL, NULL);
}

/* The list's rows come from here; spare rows are built from the first idle moment. */
void
reins_timeline_init_rows (ReinsTimeline *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->spare_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, spare_row_cb, self, NULL);
  self->expand_chunk = FIRST_CHUNK;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->step_list, factory);
  g_object_unref (factory);
}

void
reins_timeline_dispose_rows (ReinsTimeline *self)
{
  if (self->reveal_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_id);
  self->reveal_id = 0;
  g_clear_handle_id (&self->spare_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
}

/* Another model: the pace starts over, until a frame is measured. */
void
reins_timeline_reset_pace (ReinsTimeline *self)
{
  reins_step_slots_set_chunk (self->slots, FIRST_CHUNK);
  self->expand_chunk = FIRST_CHUNK;
}
