/* reins-step-slots.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ReinsStepSlots, the timeline's model: one item per position, whose step changes in place.
 * The item, ReinsStepSlot, is in reins-step-slot.c.
 *
 * GTK 4.8's list view keeps about 200 row widgets around what it shows, and an item that
 * is replaced costs its row: the widget is destroyed, a new one built and measured. The
 * steps change often — a page read from the store replaces its placeholders, a live step
 * grows as its thought streams, another run is shown — so the list view is given slots
 * instead: a slot stands for a position, and when the step there changes, the slot's
 * "step" property does, and the row bound to it shows the new step in place. Only a change
 * in the number of steps is an items-changed.
 *
 * Slots are made as the list view asks for them and forgotten when it lets them go.
 *
 * What a row shows besides its step is a slot's too: the run's confidence threshold and
 * whether the step is below it, whether a loop verdict named it, whether it is the step
 * under way, the one a person is asked about, or a placeholder still being read. The slots
 * keep that state for the run and give each slot its share; a slot notifies a property only
 * when its value changes, and the row bound to it binds to them (reins_step_row_bind()).
 *
 * The list view builds a row for each of up to about 200 items near what it shows, all in
 * the frame after they appear. So a short list that becomes a long one (another run picked,
 * a live run's burst) is shown a chunk more items at a time, one chunk per frame
 * (reins_step_slots_reveal()), until the list view has its rows; past REVEAL_ALL items
 * it makes no more, and the rest comes at once. The chunk is CHUNK items at first; the
 * timeline sizes it to what a frame can afford (reins_step_slots_set_chunk()).
 */

#include "config.h"

#include "reins-step-slots.h"

#include "reins-step-slot-private.h"

/* Items shown more per frame while the list view builds rows. */
#define CHUNK      8
/* So many steps more are shown at once. */
#define FEW        2
/* From here on the list view has its rows: the rest is shown at once. */
#define REVEAL_ALL 256

struct _ReinsStepSlots
{
  GObject         parent_instance;

  GListModel     *steps;
  GHashTable     *slots;   /* position → ReinsStepSlot, not referenced: weak */
  guint           shown;   /* the first items of @steps that the list has */
  gboolean        paced;   /* steps arrive at the end, where the list shows: never all at once */
  guint           chunk;   /* items shown more per reveal */

  double          threshold;
  GHashTable     *loop_steps;   /* step numbers a loop verdict named */
  ReinsStep      *live_step;    /* the item of the step under way, or NULL */
  guint           waiting_step;
  ReinsStepModel *lazy_model;   /* a stored run's steps, read as rows ask */
  GHashTable     *feedback;     /* (nullable) step number → ReinsStepFeedback */
  GHashTable     *differences;  /* (nullable) step number → ReinsStepDifference, in a fork */
};

static void reins_step_slots_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReinsStepSlots, reins_step_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      reins_step_slots_list_model_init))

/* A slot the list view let go of: it is forgotten. */
static void
slot_gone_cb (gpointer  data,
              GObject  *where)
{
  ReinsStepSlots *self = data;
  ReinsStepSlot *slot = (ReinsStepSlot *) where;
  gpointer key = GUINT_TO_POINTER (reins_step_slot_get_position (slot));

  if (g_hash_table_lookup (self->slots, key) == slot)
    g_hash_table_remove (self->slots, key);
}

/* The slot's share of the state, from its step and the run's; only changes are notified. */
static void
reins_step_slots_apply_state (ReinsStepSlots *self,
                              ReinsStepSlot  *slot)
{
  ReinsStep *step = reins_step_slot_get_step (slot);
  guint index = step != NULL ? reins_step_get_index (step) : 0;
  ReinsStepSlotState state = {
    .threshold = self->threshold,
    .below_threshold = step != NULL && reins_step_has_confidence (step) &&
                       reins_step_get_confidence (step) < self->threshold,
    .loop_step = index > 0 && g_hash_table_contains (self->loop_steps, GUINT_TO_POINTER (index)),
    .live = step != NULL && step == self->live_step,
    .waiting = index > 0 && index == self->waiting_step,
    .loading = self->lazy_model != NULL &&
               !reins_step_model_is_loaded (self->lazy_model,
                                            reins_step_slot_get_position (slot)),
    .feedback = index > 0 && self->feedback != NULL
                ? g_hash_table_lookup (self->feedback, GUINT_TO_POINTER (index))
                : NULL,
    .difference = index > 0 && self->differences != NULL
                  ? g_hash_table_lookup (self->differences, GUINT_TO_POINTER (index))
                  : NULL,
  };

  reins_step_slot_set_state (slot, &state);
}

/* The run's state changed: every slot the list holds takes its share. */
static void
reins_step_slots_apply_state_all (ReinsStepSlots *self)
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  /* Held: a notification may run code that lets one go. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (slots, g_object_ref (value));
  for (guint i = 0; i < slots->len; i++)
    reins_step_slots_apply_state (self, g_ptr_array_index (slots, i));
}

/* The step at the slot's position changed: its state follows it. */
static void
reins_step_slots_set_slot_step (ReinsStepSlots *self,
                                ReinsStepSlot  *slot,
                                ReinsStep      *step)
{
  reins_step_slot_set_step (slot, step);
  reins_step_slots_apply_state (self, slot);
}

static GType
reins_step_slots_get_item_type (GListModel *model)
{
  return REINS_TYPE_STEP_SLOT;
}

static guint
reins_step_slots_get_n_items (GListModel *model)
{
  return REINS_STEP_SLOTS (model)->shown;
}

static gpointer
reins_step_slots_get_item (GListModel *model,
                           guint       position)
{
  ReinsStepSlots *self = REINS_STEP_SLOTS (model);
  ReinsStepSlot *slot;
  g_autoptr(ReinsStep) step = NULL;

  if (position >= self->shown)
    return NULL;
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  step = g_list_model_get_item (self->steps, position);
  if (step == NULL)
    return NULL;
  slot = reins_step_slot_new (position, g_steal_pointer (&step));
  reins_step_slots_apply_state (self, slot);
  g_object_weak_ref (G_OBJECT (slot), slot_gone_cb, self);
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
reins_step_slots_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = reins_step_slots_get_item_type;
  iface->get_n_items = reins_step_slots_get_n_items;
  iface->get_item = reins_step_slots_get_item;
}

/* How many items the list may have after a change that leaves @n_steps. */
static guint
reins_step_slots_next_shown (ReinsStepSlots *self,
                             guint           n_steps)
{
  /* A step or two more (a replay's next, a live one) show at once; a long list that
   * appears comes over the next frames. */
  if (n_steps <= self->shown + FEW || (self->shown >= REVEAL_ALL && !self->paced))
    return n_steps;
  /* Steps that come faster than that, as the list follows them, wait for the next frame's
   * chunk (sized to what a frame affords). */
  return MIN (n_steps, self->paced ? self->shown : MAX (self->shown, CHUNK));
}

/* The list from @position on now shows @n_shown items in all: the slots there take the steps
 * at their positions (a slot stands for a position), those past the end are dropped, and
 * only a change in number is passed on. */
static void
reins_step_slots_update (ReinsStepSlots *self,
                         guint           position,
                         guint           n_shown)
{
  guint removed = self->shown - position;
  guint added = n_shown - position;
  guint common = MIN (removed, added);
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  /* Hold the slots while steps are set: setting one may run code that lets one go. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ReinsStepSlot *slot = value;
      guint at = reins_step_slot_get_position (slot);

      if (at < position)
        continue;
      g_ptr_array_add (slots, g_object_ref (slot));
      if (at >= position + common)
        {
          /* Removed: the list view drops it with the items-changed below. */
          g_object_weak_unref (G_OBJECT (slot), slot_gone_cb, self);
          g_hash_table_iter_remove (&iter);
        }
    }

  self->shown = n_shown;
  if (removed != added)
    g_list_model_items_changed (G_LIST_MODEL (self), position + common, removed - common,
                                added - common);

  for (guint i = 0; i < slots->len; i++)
    {
      ReinsStepSlot *slot = g_ptr_array_index (slots, i);
      guint at = reins_step_slot_get_position (slot);

      if (at < position + common &&
          g_hash_table_lookup (self->slots, GUINT_TO_POINTER (at)) == slot)
        {
          g_autoptr(ReinsStep) step = g_list_model_get_item (self->steps, at);

          reins_step_slots_set_slot_step (self, slot, step);
        }
    }
}

static void
steps_changed_cb (ReinsStepSlots *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *steps)
{
  guint n_steps = g_list_model_get_n_items (steps);
  guint n_shown = reins_step_slots_next_shown (self, n_steps);

  /* Past what the list has, nothing it shows changed; it may have more now. */
  if (position >= self->shown)
    position = self->shown;
  else if (removed == added && n_shown == self->shown)
    {
      /* The steps at some positions were replaced: their slots take them, nothing else. */
      GHashTableIter iter;
      gpointer key, value;
      g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);

      /* A slot is held under its position. */
      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_UINT (key) >= position && GPOINTER_TO_UINT (key) < position + added)
          g_ptr_array_add (slots, g_object_ref (value));
      for (guint i = 0; i < slots->len; i++)
        {
          ReinsStepSlot *slot = g_ptr_array_index (slots, i);
          g_autoptr(ReinsStep) step = g_list_model_get_item (steps,
                                                             reins_step_slot_get_position (slot));

          reins_step_slots_set_slot_step (self, slot, step);
        }
      return;
    }
  reins_step_slots_update (self, position, MAX (n_shown, position));
}

static void
reins_step_slots_dispose (GObject *object)
{
  ReinsStepSlots *self = REINS_STEP_SLOTS (object);
  GHashTableIter iter;
  gpointer value;

  if (self->slots != NULL)
    {
      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, slot_gone_cb, self);
      g_hash_table_remove_all (self->slots);
    }
  if (self->steps != NULL)
    g_signal_handlers_disconnect_by_func (self->steps, steps_changed_cb, self);
  g_clear_object (&self->steps);
  g_clear_object (&self->live_step);
  g_clear_object (&self->lazy_model);

  G_OBJECT_CLASS (reins_step_slots_parent_class)->dispose (object);
}

static void
reins_step_slots_finalize (GObject *object)
{
  ReinsStepSlots *self = REINS_STEP_SLOTS (object);

  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->loop_steps, g_hash_table_unref);
  g_clear_pointer (&self->feedback, g_hash_table_unref);
  g_clear_pointer (&self->differences, g_hash_table_unref);

  G_OBJECT_CLASS (reins_step_slots_parent_class)->finalize (object);
}

static void
reins_step_slots_class_init (ReinsStepSlotsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_step_slots_dispose;
  object_class->finalize = reins_step_slots_finalize;
}

static void
reins_step_slots_init (ReinsStepSlots *self)
{
  self->slots = g_hash_table_new (NULL, NULL);
  self->loop_steps = g_hash_table_new (NULL, NULL);
  self->threshold = 0.7;
  self->chunk = CHUNK;
}

/* Slots over @steps (a model of ReinsStep). */
ReinsStepSlots *
reins_step_slots_new (GListModel *steps)
{
  ReinsStepSlots *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (steps), NULL);

  self = g_object_new (REINS_TYPE_STEP_SLOTS, NULL);
  self->steps = g_object_ref (steps);
  self->shown = reins_step_slots_next_shown (self, g_list_model_get_n_items (steps));
  g_signal_connect_object (steps, "items-changed", G_CALLBACK (steps_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/* Steps the list does not have yet. */
guint
reins_step_slots_get_n_hidden (ReinsStepSlots *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOTS (self), 0);

  return g_list_model_get_n_items (self->steps) - self->shown;
}

/**
 * reins_step_slots_reveal:
 * @all: every step, not one more chunk
 *
 * Gives the list more of the steps: call once per frame while some are hidden.
 */
void
reins_step_slots_reveal (ReinsStepSlots *self,
                         gboolean        all)
{
  guint n_steps;

  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  n_steps = g_list_model_get_n_items (self->steps);
  if (self->shown >= n_steps)
    return;
  reins_step_slots_update (self, self->shown,
                           all || (self->shown + self->chunk >= REVEAL_ALL && !self->paced)
                             ? n_steps : MIN (n_steps, self->shown + self->chunk));
}

/* Whether steps arrive at the end while the list shows the end (a live run followed): then
 * the list view builds a row for each, so they come a chunk per frame however long the
 * list is. */
void
reins_step_slots_set_paced (ReinsStepSlots *self,
                            gboolean        paced)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  self->paced = !!paced;
}

/**
 * reins_step_slots_set_chunk:
 * @chunk: how many items more each reveal shows (from 1; 8 at first)
 *
 * The list view builds and measures a row for each item shown near what it shows: the
 * timeline sets how many it can afford per frame.
 */
void
reins_step_slots_set_chunk (ReinsStepSlots *self,
                            guint           chunk)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  self->chunk = MAX (chunk, 1);
}

guint
reins_step_slots_get_chunk (ReinsStepSlots *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOTS (self), CHUNK);

  return self->chunk;
}

/* The run's confidence threshold: a step below it needed a person. */
void
reins_step_slots_set_threshold (ReinsStepSlots *self,
                                double          threshold)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  if (self->threshold == threshold)
    return;
  self->threshold = threshold;
  reins_step_slots_apply_state_all (self);
}

double
reins_step_slots_get_threshold (ReinsStepSlots *self)
{
  g_return_val_if_fail (REINS_IS_STEP_SLOTS (self), 0.7);

  return self->threshold;
}

void
reins_step_slots_clear_loop_steps (ReinsStepSlots *self)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  if (g_hash_table_size (self->loop_steps) == 0)
    return;
  g_hash_table_remove_all (self->loop_steps);
  reins_step_slots_apply_state_all (self);
}

/* Steps a loop verdict named. */
void
reins_step_slots_add_loop_steps (ReinsStepSlots *self,
                                 const guint    *steps,
                                 guint           n_steps)
{
  gboolean changed = FALSE;

  g_return_if_fail (REINS_IS_STEP_SLOTS (self));
  g_return_if_fail (steps != NULL || n_steps == 0);

  for (guint i = 0; i < n_steps; i++)
    changed |= g_hash_table_add (self->loop_steps, GUINT_TO_POINTER (steps[i]));
  if (changed)
    reins_step_slots_apply_state_all (self);
}

/* The item of the step under way, or %NULL. */
void
reins_step_slots_set_live_step (ReinsStepSlots *self,
                                ReinsStep      *step)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));
  g_return_if_fail (!step || REINS_IS_STEP (step));

  if (g_set_object (&self->live_step, step))
    reins_step_slots_apply_state_all (self);
}

/* The step a person's answer is awaited on, or 0. */
void
reins_step_slots_set_waiting_step (ReinsStepSlots *self,
                                   guint           index)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  if (self->waiting_step == index)
    return;
  self->waiting_step = index;
  reins_step_slots_apply_state_all (self);
}

/* The lazily read model the slots show, if they do: its items not read yet are loading. */
void
reins_step_slots_set_lazy_model (ReinsStepSlots *self,
                                 ReinsStepModel *model)
{
  g_return_if_fail (REINS_IS_STEP_SLOTS (self));
  g_return_if_fail (!model || REINS_IS_STEP_MODEL (model));

  if (g_set_object (&self->lazy_model, model))
    reins_step_slots_apply_state_all (self);
}

/**
 * reins_step_slots_set_marks:
 * @feedback: (nullable): step number → ReinsStepFeedback, the person's ratings
 * @differences: (nullable): step number → ReinsStepDifference, how a fork's steps differ
 *
 * What the rows show beyond their steps. The tables are shared with the caller, who may
 * change them and call this again; a record a slot points to must live until then.
 */
void
reins_step_slots_set_marks (ReinsStepSlots *self,
                            GHashTable     *feedback,
                            GHashTable     *differences)
{
  GHashTable *old_feedback, *old_differences;

  g_return_if_fail (REINS_IS_STEP_SLOTS (self));

  old_feedback = g_steal_pointer (&self->feedback);
  old_differences = g_steal_pointer (&self->differences);
  self->feedback = feedback != NULL ? g_hash_table_ref (feedback) : NULL;
  self->differences = differences != NULL ? g_hash_table_ref (differences) : NULL;
  reins_step_slots_apply_state_all (self);
  g_clear_pointer (&old_feedback, g_hash_table_unref);
  g_clear_pointer (&old_differences, g_hash_table_unref);
}
