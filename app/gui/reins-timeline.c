/* reins-timeline.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A run's steps, one row each, following the newest while the run goes on.
 *
 * Following is one state (ReinsTimelineFollow): the list moves its adjustment itself as rows
 * come and go, so only the person's own scrolling — the wheel or touchpad upwards, the
 * scrollbar — leaves FOLLOWING, and coming back to the end resumes it. What a row shows
 * besides its step (the threshold, the steps a loop verdict named, the step under way, the
 * step a person is asked about, a step not read yet) is state of the items, the slots
 * (reins-step-slots.h): the timeline hands it to them, and each row binds to its item's
 * properties.
 *
 * A filter (reins-step-filter.h, the action timeline.filter) lists only some steps: then a
 * row's position is no longer its step number, and the steps are looked up by their index.
 */

#include "config.h"

#include <adwaita.h>
#include <time.h>
#include <glib/gi18n.h>

#include "reins-context-menu.h"
#include "reins-step-filter.h"
#include "reins-step-row-private.h"
#include "reins-step-slots.h"
#include "reins-timeline-private.h"

/* How close to the end counts as at the end, in pixels. */
#define END_SLACK 24

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

enum {
  PROP_0,
  PROP_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ReinsTimeline, reins_timeline, GTK_TYPE_WIDGET)

static void reins_timeline_schedule (ReinsTimeline *self);

/* Following */

static void
reins_timeline_set_follow (ReinsTimeline       *self,
                           ReinsTimelineFollow  follow)
{
  self->follow = follow;
  if (self->slots != NULL)
    reins_step_slots_set_paced (self->slots, self->live && follow == REINS_TIMELINE_FOLLOWING);
  gtk_widget_set_visible (self->jump_button, self->live && follow != REINS_TIMELINE_FOLLOWING);
}

static gboolean
reins_timeline_at_end (ReinsTimeline *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - END_SLACK;
}

static void
reins_timeline_scroll_to_end (ReinsTimeline *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n_items = self->selection != NULL
                  ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;

  /* The list view places itself by an anchor item: move that, then to the very end. */
  if (n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u",
                                n_items - 1);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

static void
vadjustment_value_changed_cb (ReinsTimeline *self,
                              GtkAdjustment *adj)
{
  if (self->follow == REINS_TIMELINE_BROWSING && reins_timeline_at_end (self))
    reins_timeline_set_follow (self, REINS_TIMELINE_FOLLOWING);
  /* Compact rows may come into sight. */
  reins_timeline_schedule (self);
}

static void
vadjustment_upper_cb (ReinsTimeline *self,
                      GParamSpec    *pspec,
                      GtkAdjustment *adj)
{
  if (self->follow == REINS_TIMELINE_FOLLOWING && self->live)
    reins_timeline_scroll_to_end (self);
  reins_timeline_schedule (self);
}

static gboolean
scroll_cb (ReinsTimeline            *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (dy < 0 && self->follow == REINS_TIMELINE_FOLLOWING)
    reins_timeline_set_follow (self, REINS_TIMELINE_BROWSING);
  return FALSE;
}

static void
scrollbar_pressed_cb (ReinsTimeline *self)
{
  reins_timeline_set_follow (self, REINS_TIMELINE_DRAGGING);
}

static void
scrollbar_released_cb (ReinsTimeline *self)
{
  if (self->follow == REINS_TIMELINE_DRAGGING)
    reins_timeline_set_follow (self, reins_timeline_at_end (self) ? REINS_TIMELINE_FOLLOWING
                                                                  : REINS_TIMELINE_BROWSING);
}

static void
jump_to_latest_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  reins_timeline_follow (REINS_TIMELINE (widget));
}

static void
filtered_items_changed_cb (ReinsTimeline *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  reins_timeline_update_filter_state (self);
}

/* Rows */

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
/* The most rows kept for the list to take again. */
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

/* A step row is built from its template in about half a millisecond, and GTK 4.8's list view
 * destroys the row of every item that leaves the 200 or so it keeps around what it shows, and
 * builds one for every item that comes: a followed live run does both for each new step. So
 * rows are built ahead while the window is idle (one per idle moment), and a row the list
 * lets go is kept for the next item instead (rows are shown anew by their bindings). */
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
static guint
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
static void
reins_timeline_schedule (ReinsTimeline *self)
{
  if (self->slots != NULL && self->reveal_id == 0)
    self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick_cb, NULL, NULL);
}

/* Steps the list does not have yet come a chunk per frame. */
static void
steps_changed_cb (ReinsTimeline *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *steps)
{
  if (self->slots != NULL && reins_step_slots_get_n_hidden (self->slots) > 0)
    reins_timeline_schedule (self);
}

/* A page read replaces placeholders with the stored steps, which drops the selection that
 * marks a step: it is put back. */
static void
shown_items_changed_cb (ReinsTimeline *self,
                        guint          position,
                        guint          removed,
                        guint          added,
                        GListModel    *model)
{
  guint shown = reins_timeline_position_of (self, self->shown_step);

  if (shown != GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->selection) != shown)
    gtk_single_selection_set_selected (self->selection, shown);
}

static void
reins_timeline_dispose (GObject *object)
{
  ReinsTimeline *self = REINS_TIMELINE (object);
  GtkWidget *child;

  if (self->reveal_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_id);
  self->reveal_id = 0;
  g_clear_handle_id (&self->spare_id, g_source_remove);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), REINS_TYPE_TIMELINE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->filtered);
  g_clear_object (&self->custom);
  g_clear_object (&self->steps);

  G_OBJECT_CLASS (reins_timeline_parent_class)->dispose (object);
}

static void
reins_timeline_finalize (GObject *object)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  g_hash_table_unref (self->feedback);
  g_hash_table_unref (self->differences);
  g_free (self->filter);

  G_OBJECT_CLASS (reins_timeline_parent_class)->finalize (object);
}

static void
reins_timeline_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_timeline_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ReinsTimeline *self = REINS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_FILTER:
      reins_timeline_set_filter (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reins_timeline_class_init (ReinsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = reins_timeline_dispose;
  object_class->finalize = reins_timeline_finalize;
  object_class->get_property = reins_timeline_get_property;
  object_class->set_property = reins_timeline_set_property;

  /* Which steps are listed: a name of reins-step-filter.h; one it does not know is refused. */
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, REINS_STEP_FILTER_ALL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/reins-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, scroller);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, step_list);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, jump_button);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, filter_count_label);
  gtk_widget_class_bind_template_child (widget_class, ReinsTimeline, no_match_page);

  gtk_widget_class_install_property_action (widget_class, "timeline.filter", "filter");

  gtk_widget_class_install_action (widget_class, "timeline.jump-to-latest", NULL,
                                   jump_to_latest_cb);

  g_type_ensure (REINS_TYPE_STEP_ROW);
}

static void
reins_timeline_init (ReinsTimeline *self)
{
  GtkListItemFactory *factory;
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkAdjustment *adj;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->spare_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, spare_row_cb, self, NULL);

  self->feedback = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) reins_step_feedback_free);
  self->differences = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) reins_step_difference_free);
  self->threshold = 0.7;
  self->expand_chunk = FIRST_CHUNK;
  self->follow = REINS_TIMELINE_FOLLOWING;
  self->filter = g_strdup (REINS_STEP_FILTER_ALL);
  reins_timeline_init_filter (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->step_list, factory);
  g_object_unref (factory);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
  gesture = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (scrollbar_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "released", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gesture, "stopped", G_CALLBACK (scrollbar_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller),
                             GTK_EVENT_CONTROLLER (gesture));

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (vadjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::upper", G_CALLBACK (vadjustment_upper_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The steps to show (set once: the model itself changes as runs are shown). A new model
 * starts with no steps marked but for the threshold. */
void
reins_timeline_set_model (ReinsTimeline *self,
                          GListModel    *model)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->filtered);
  g_set_object (&self->steps, model);
  self->filtered = gtk_filter_list_model_new (g_object_ref (model),
                                              reins_timeline_is_unfiltered (self)
                                              ? NULL : g_object_ref (GTK_FILTER (self->custom)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->slots = reins_step_slots_new (G_LIST_MODEL (self->filtered));
  reins_step_slots_set_chunk (self->slots, FIRST_CHUNK);
  self->expand_chunk = FIRST_CHUNK;
  reins_step_slots_set_threshold (self->slots, self->threshold);
  reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
  /* After the slots took the change (they connected first): what they hold back comes a
   * chunk per frame. */
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (steps_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  steps_changed_cb (self, 0, 0, 0, G_LIST_MODEL (self->filtered));
  reins_timeline_update_filter_state (self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (shown_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_list_view_set_model (self->step_list, GTK_SELECTION_MODEL (self->selection));
}

GtkListView *
reins_timeline_get_list_view (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), NULL);

  return self->step_list;
}

/* Whether steps are still arriving (a live run, a replay): only then does following move the
 * view, and "Jump to Latest" show when it does not. */
void
reins_timeline_set_live (ReinsTimeline *self,
                         gboolean       live)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  self->live = !!live;
  reins_timeline_set_follow (self, self->follow);
}

ReinsTimelineFollow
reins_timeline_get_follow (ReinsTimeline *self)
{
  g_return_val_if_fail (REINS_IS_TIMELINE (self), REINS_TIMELINE_FOLLOWING);

  return self->follow;
}

/* Whether the timeline shows every step it has, each row in full: none is held back to come
 * in a later frame, and no row is left compact. */
gboolean
reins_timeline_get_settled (ReinsTimeline *self)
{
  gboolean more = FALSE;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), TRUE);

  if (self->slots == NULL)
    return TRUE;
  reins_timeline_expand_rows (self, 0, &more);
  return reins_step_slots_get_n_hidden (self->slots) == 0 && !more;
}

/* Follows the newest step again, and goes there. */
void
reins_timeline_follow (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  reins_timeline_set_follow (self, REINS_TIMELINE_FOLLOWING);
  reins_timeline_scroll_to_end (self);
}

/* Steps arrived: the newest stays in view if the timeline follows. */
void
reins_timeline_keep_newest (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->follow == REINS_TIMELINE_FOLLOWING && self->live)
    reins_timeline_scroll_to_end (self);
}

/**
 * reins_timeline_show_step:
 * @index: a step number (from 1), or 0 to mark none
 *
 * Scrolls to a step and marks it; the timeline stops following.
 */
void
reins_timeline_show_step (ReinsTimeline *self,
                          guint          index)
{
  guint position;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  self->shown_step = index;
  position = reins_timeline_position_of (self, index);
  /* A step the list does not have yet: it gets them all now. */
  if (self->slots != NULL && position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->slots)))
    reins_step_slots_reveal (self->slots, TRUE);
  if (position == GTK_INVALID_LIST_POSITION || self->selection == NULL ||
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    {
      if (self->selection != NULL)
        gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  reins_timeline_set_follow (self, REINS_TIMELINE_BROWSING);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->step_list), "list.scroll-to-item", "u", position);
}

/* The step marked by reins_timeline_show_step(), or 0. */
guint
reins_timeline_get_shown_step (ReinsTimeline *self)
{
  guint selected;

  g_return_val_if_fail (REINS_IS_TIMELINE (self), 0);

  if (self->selection == NULL)
    return 0;
  selected = gtk_single_selection_get_selected (self->selection);
  return reins_timeline_index_at (self, selected);
}

void
reins_timeline_set_threshold (ReinsTimeline *self,
                              double         threshold)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  if (self->slots != NULL)
    reins_step_slots_set_threshold (self->slots, threshold);
  if (g_strcmp0 (self->filter, "low-confidence") == 0)
    gtk_filter_changed (GTK_FILTER (self->custom), GTK_FILTER_CHANGE_DIFFERENT);
}

void
reins_timeline_clear_loop_steps (ReinsTimeline *self)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_clear_loop_steps (self->slots);
}

/**
 * reins_timeline_set_marks:
 * @feedback: (nullable) (element-type ReinsStepFeedback): the person's ratings of the steps
 * @diff: (nullable): for a fork, how its steps differ from the parent's
 *
 * What the rows show beyond their steps; replaces what was set before.
 */
void
reins_timeline_set_marks (ReinsTimeline       *self,
                          GPtrArray           *feedback,
                          const ReinsForkDiff *diff)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  g_autoptr(GHashTable) old_feedback = NULL;
  g_autoptr(GHashTable) old_differences = NULL;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (g_hash_table_size (self->feedback) == 0 && g_hash_table_size (self->differences) == 0 &&
      (feedback == NULL || feedback->len == 0) &&
      (diff == NULL || diff->by_step == NULL || g_hash_table_size (diff->by_step) == 0))
    return;
  /* New tables: the slots point into the old ones until they took the new. */
  old_feedback = g_steal_pointer (&self->feedback);
  old_differences = g_steal_pointer (&self->differences);
  self->feedback = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) reins_step_feedback_free);
  self->differences = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) reins_step_difference_free);
  for (guint i = 0; feedback != NULL && i < feedback->len; i++)
    {
      const ReinsStepFeedback *item = g_ptr_array_index (feedback, i);
      ReinsStepFeedback *copy = g_new0 (ReinsStepFeedback, 1);

      *copy = (ReinsStepFeedback) { item->step, item->rating, g_strdup (item->comment) };
      g_hash_table_replace (self->feedback, GUINT_TO_POINTER (item->step), copy);
    }
  if (diff != NULL && diff->by_step != NULL)
    {
      g_hash_table_iter_init (&iter, diff->by_step);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (self->differences, key, reins_step_difference_copy (value));
    }
  if (self->slots != NULL)
    reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
}

/* A rating stored for @step (0: removed): its row shows it at once. */
void
reins_timeline_set_step_feedback (ReinsTimeline *self,
                                  guint          step,
                                  int            rating,
                                  const char    *comment)
{
  gpointer old = NULL;

  g_return_if_fail (REINS_IS_TIMELINE (self));

  /* The old record lives until the slots let go of it. */
  g_hash_table_steal_extended (self->feedback, GUINT_TO_POINTER (step), NULL, &old);
  if (rating != 0)
    {
      ReinsStepFeedback *item = g_new0 (ReinsStepFeedback, 1);

      item->step = step;
      item->rating = rating;
      item->comment = g_strstrip (g_strdup (comment != NULL ? comment : ""));
      if (item->comment[0] == '\0')
        g_clear_pointer (&item->comment, g_free);
      g_hash_table_replace (self->feedback, GUINT_TO_POINTER (step), item);
    }
  if (self->slots != NULL)
    reins_step_slots_set_marks (self->slots, self->feedback, self->differences);
  g_clear_pointer (&old, reins_step_feedback_free);
}

/* Steps a loop verdict named: their rows are tinted. */
void
reins_timeline_add_loop_steps (ReinsTimeline *self,
                               const guint   *steps,
                               guint          n_steps)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_add_loop_steps (self->slots, steps, n_steps);
}

/* The item of the step under way: its row has a spinner. */
void
reins_timeline_set_live_step (ReinsTimeline *self,
                              ReinsStep     *step)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_live_step (self->slots, step);
}

/* The step a person's answer is awaited on, or 0. */
void
reins_timeline_set_waiting_step (ReinsTimeline *self,
                                 guint          index)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_waiting_step (self->slots, index);
}

/* The lazily read model the timeline shows, if it does: its items not read yet are
 * placeholders, shown as such. */
void
reins_timeline_set_lazy_model (ReinsTimeline  *self,
                               ReinsStepModel *model)
{
  g_return_if_fail (REINS_IS_TIMELINE (self));

  if (self->slots != NULL)
    reins_step_slots_set_lazy_model (self->slots, model);
}
