/* reins-judge-dialog.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's face of `reins-cli judge`: the same report (reins-judge.c), computed on a
 * worker thread with connections of its own, shown as rows. Each run is judged under its own
 * settings, as it was run or imported; a stopped run's row opens it in the history.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "reins-format.h"
#include "reins-judge.h"
#include "reins-judge-dialog.h"
#include "reins-store.h"

/* Rows of stopped runs shown at most; `reins-cli judge --json` lists them all. */
#define STOPPED_ROWS 50
#define IMPORTED_PAGE 500

struct _ReinsJudgeDialog
{
  AdwWindow             parent_instance;

  ReinsHistory         *history;     /* weak */
  GCancellable         *cancellable;
  JsonNode             *report;
  char                 *error;
  gboolean              busy;

  AdwPreferencesPage   *page;
  AdwComboRow          *scope_row;
  AdwEntryRow          *label_row;
  AdwExpanderRow       *settings_row;
  GtkSpinButton        *threshold_spin;
  GtkSpinButton        *max_steps_spin;
  GtkWidget            *judge_button;
  GtkWidget            *spinner;
  GPtrArray            *result_groups;  /* AdwPreferencesGroup, in the page */
};

G_DEFINE_FINAL_TYPE (ReinsJudgeDialog, reins_judge_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  char     *db_path;
  GStrv     run_ids;    /* (nullable): every run */
  gboolean  imported;   /* the runs of provider “imported” (run_ids is NULL) */
  char     *label;
  gboolean  override;   /* the settings below instead of each run's own */
  double    threshold;
  int       max_steps;
} Judging;

/* On the judge's workers: the dialog's settings over a run's own. */
static gboolean
apply_settings_cb (JsonObject  *settings,
                   gpointer     user_data,
                   GError     **error)
{
  const Judging *judging = user_data;

  json_object_set_double_member (settings, "confidence_threshold", judging->threshold);
  json_object_set_int_member (settings, "max_steps", judging->max_steps);
  return TRUE;
}

static void
judging_free (Judging *judging)
{
  g_free (judging->db_path);
  g_strfreev (judging->run_ids);
  g_free (judging->label);
  g_free (judging);
}

static GStrv
imported_run_ids (const char  *db_path,
                  GError     **error)
{
  g_autoptr(ReinsStore) store = reins_store_open (db_path, error);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  if (store == NULL)
    return NULL;
  for (guint offset = 0;; offset += IMPORTED_PAGE)
    {
      g_autoptr(GPtrArray) page = reins_store_list_runs (store, -1, offset, IMPORTED_PAGE, error);

      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->len; i++)
        if (g_strcmp0 (reins_run_get_provider (g_ptr_array_index (page, i)), "imported") == 0)
          g_strv_builder_add (ids, reins_run_get_id (g_ptr_array_index (page, i)));
      if (page->len < IMPORTED_PAGE)
        break;
    }
  return g_strv_builder_end (ids);
}

static void
judge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Judging *judging = task_data;
  g_autoptr(ReinsJudgeReport) report = NULL;
  ReinsJudgeQuery query = { 0 };
  GError *error = NULL;

  if (judging->imported)
    {
      judging->run_ids = imported_run_ids (judging->db_path, &error);
      if (judging->run_ids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  query.store_path = judging->db_path;
  query.run_ids = (const char * const *) judging->run_ids;
  query.label = judging->label;
  if (judging->override)
    {
      query.settings_func = apply_settings_cb;
      query.settings_data = judging;
    }
  query.n_threads = 2;
  report = reins_judge_run_query (&query, &error);
  if (report == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, reins_judge_report_to_json (report),
                         (GDestroyNotify) json_node_unref);
}

static void
clear_results (ReinsJudgeDialog *self)
{
  for (guint i = 0; i < self->result_groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->result_groups, i));
  g_ptr_array_set_size (self->result_groups, 0);
}

static AdwPreferencesGroup *
add_group (ReinsJudgeDialog *self,
           const char       *title,
           const char       *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->result_groups, group);
  return group;
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
  return row;
}

static void
stopped_row_activated_cb (AdwActionRow     *row,
                          ReinsJudgeDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *run_id = g_object_get_data (G_OBJECT (row), "run-id");

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.select-run", "s", run_id);
}

static void
show_report (ReinsJudgeDialog *self)
{
  JsonObject *report = json_node_get_object (self->report);
  JsonArray *verdicts = json_object_get_array_member (report, "verdicts");
  JsonArray *stopped = json_object_get_array_member (report, "stopped");
  JsonNode *outcome = json_object_get_member (report, "outcome");
  guint runs = json_object_get_int_member (report, "runs");
  AdwPreferencesGroup *group;
  g_autofree char *judged = NULL;
  g_autofree char *flagged = NULL;
  g_autofree char *questions = NULL;
  g_autofree char *n_stopped = NULL;
  g_autofree char *steps_text = NULL;
  guint n_steps;
  guint n_question_runs;

  clear_results (self);

  group = add_group (self, _("Report"),
                     _("A run is flagged when a person would have been asked or the run "
                       "stopped."));
  n_steps = (guint) json_object_get_int_member (report, "steps");
  steps_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", n_steps),
                                n_steps);
  /* Translators: runs and steps judged, e.g. "12 runs, 80 steps"; %2$s is "80 steps" */
  judged = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run, %s", "%u runs, %s", runs), runs,
                            steps_text);
  add_row (group, _("Judged"), NULL, judged);
  /* Translators: flagged runs of all runs judged, e.g. "3 of 12" */
  flagged = g_strdup_printf (_("%u of %u"), (guint) json_object_get_int_member (report, "flagged_runs"),
                             runs);
  add_row (group, _("Flagged runs"), NULL, flagged);
  /* Translators: questions, and the runs they are in, e.g. "5 in 3 runs" */
  n_question_runs = (guint) json_object_get_int_member (report, "question_runs");
  questions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in %u run", "%u in %u runs",
                                            n_question_runs),
                               (guint) json_object_get_int_member (report, "questions"),
                               n_question_runs);
  add_row (group, _("Questions a person would have been asked"), NULL, questions);
  n_stopped = g_strdup_printf ("%u", json_array_get_length (stopped));
  add_row (group, _("Runs that would have been stopped"), NULL, n_stopped);
  if (json_object_get_int_member (report, "errors") > 0)
    {
      g_autofree char *errors = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (report, "errors"));

      add_row (group, _("Runs that could not be judged"),
               json_object_get_string_member_with_default (report, "first_error", NULL), errors);
    }

  group = add_group (self, _("By Guard"), _("Steps and runs each guard's verdict was given to."));
  if (json_array_get_length (verdicts) == 0)
    add_row (group, _("No guard found anything"), NULL, NULL);
  for (guint i = 0; i < json_array_get_length (verdicts); i++)
    {
      JsonObject *verdict = json_array_get_object_element (verdicts, i);
      const char *guard = json_object_get_string_member (verdict, "guard");
      g_autofree char *counts = NULL;
      ReinsVerdictKind kind;
      const char *kind_name = json_object_get_string_member (verdict, "verdict");

      if (reins_verdict_kind_from_string (kind_name, &kind))
        kind_name = reins_format_verdict_kind (kind);
      guint verdict_steps = (guint) json_object_get_int_member (verdict, "steps");
      guint verdict_runs = (guint) json_object_get_int_member (verdict, "runs");
      g_autofree char *verdict_steps_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", verdict_steps),
                         verdict_steps);

      /* Translators: steps and runs a verdict was given to, e.g. "4 steps in 2 runs";
       * %s is "4 steps" */
      counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %u run", "%s in %u runs",
                                             verdict_runs),
                                verdict_steps_text, verdict_runs);
      add_row (group, reins_format_guard_name (guard), kind_name, counts);
    }

  if (outcome != NULL && JSON_NODE_HOLDS_OBJECT (outcome))
    {
      JsonObject *o = json_node_get_object (outcome);
      g_autofree char *labelled = NULL;
      g_autofree char *precision = NULL;
      g_autofree char *recall = NULL;
      g_autofree char *false_alarms = NULL;
      g_autofree char *missed = NULL;

      group = add_group (self, _("Against the Outcome Labels"),
                         _("How well “flagged” separates the failed runs from the successful "
                           "ones, for the runs labelled with an outcome."));
      /* Translators: e.g. "10 (4 failed, 6 successful)" */
      labelled = g_strdup_printf (_("%u (%u failed, %u successful)"),
                                  (guint) json_object_get_int_member (o, "labelled_runs"),
                                  (guint) json_object_get_int_member (o, "failed_runs"),
                                  (guint) json_object_get_int_member (o, "successful_runs"));
      add_row (group, _("Labelled runs"), NULL, labelled);
      /* Translators: the precision when no labelled run was flagged: it has no value */
      precision = json_object_get_int_member (o, "true_alarms") +
                  json_object_get_int_member (o, "false_alarms") == 0 ?
                  g_strdup (_("n/a (nothing flagged)")) :
                  g_strdup_printf ("%.2f", json_object_get_double_member (o, "precision"));
      add_row (group, _("Precision"), _("Of the flagged runs, the share that failed"), precision);
      recall = g_strdup_printf ("%.2f", json_object_get_double_member (o, "recall"));
      add_row (group, _("Recall"), _("Of the failed runs, the share flagged"), recall);
      /* Translators: false alarms and their rate, e.g. "2 (0.33)" */
      false_alarms = g_strdup_printf (_("%u (%.2f)"),
                                      (guint) json_object_get_int_member (o, "false_alarms"),
                                      json_object_get_double_member (o, "false_alarm_rate"));
      add_row (group, _("False alarms"), _("Successful runs flagged, and their share"),
               false_alarms);
      missed = g_strdup_printf ("%u", (guint) json_object_get_int_member (o, "missed"));
      add_row (group, _("Missed"), _("Failed runs not flagged"), missed);
    }

  if (json_array_get_length (stopped) > 0)
    {
      group = add_group (self, _("Runs That Would Have Been Stopped"), NULL);
      for (guint i = 0; i < MIN (json_array_get_length (stopped), STOPPED_ROWS); i++)
        {
          JsonObject *stop = json_array_get_object_element (stopped, i);
          const char *run_id = json_object_get_string_member (stop, "run_id");
          g_autofree char *short_id = g_strndup (run_id, 8);
          g_autofree char *title = NULL;
          GtkWidget *row;

          /* Translators: a stopped run: its short id, the step and the guard */
          title = g_strdup_printf (_("%s, step %u: %s"), short_id,
                                   (guint) json_object_get_int_member (stop, "step"),
                                   reins_format_guard_name (json_object_get_string_member (stop, "guard")));
          row = add_row (group, title, json_object_get_string_member_with_default (stop, "reason", NULL),
                         NULL);
          g_object_set_data_full (G_OBJECT (row), "run-id", g_strdup (run_id), g_free);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect_object (row, "activated", G_CALLBACK (stopped_row_activated_cb), self, 0);
        }
    }
}

static void
show_error (ReinsJudgeDialog *self)
{
  AdwPreferencesGroup *group;

  clear_results (self);
  group = add_group (self, _("Cannot Judge"), NULL);
  add_row (group, self->error, NULL, NULL);
}

static void
set_busy (ReinsJudgeDialog *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->judge_button, !busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
}

static void
judged_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ReinsJudgeDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *report = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  g_clear_pointer (&self->report, json_node_unref);
  g_clear_pointer (&self->error, g_free);
  if (report == NULL)
    {
      self->error = g_strdup (error->message);
      show_error (self);
      return;
    }
  self->report = report;
  show_report (self);
}

/* Judges the runs chosen, off the main thread; the report replaces the last one. */
void
reins_judge_dialog_judge (ReinsJudgeDialog *self)
{
  g_autoptr(ReinsHistory) history = NULL;
  g_autoptr(GTask) task = NULL;
  ReinsStore *store;
  Judging *judging;
  const char *label;

  g_return_if_fail (REINS_IS_JUDGE_DIALOG (self));

  history = self->history != NULL ? g_object_ref (self->history) : NULL;
  store = history != NULL ? reins_history_get_store (history) : NULL;
  if (store == NULL || self->busy)
    return;

  judging = g_new0 (Judging, 1);
  judging->db_path = g_strdup (reins_store_get_path (store));
  label = gtk_editable_get_text (GTK_EDITABLE (self->label_row));
  judging->label = *label != '\0' ? g_strstrip (g_strdup (label)) : NULL;
  judging->override = adw_expander_row_get_enable_expansion (self->settings_row);
  judging->threshold = gtk_spin_button_get_value (self->threshold_spin);
  judging->max_steps = gtk_spin_button_get_value_as_int (self->max_steps_spin);
  switch (adw_combo_row_get_selected (self->scope_row))
    {
    case REINS_JUDGE_SCOPE_LISTED:
      {
        GListModel *model = reins_history_get_model (history);
        g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

        for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
          {
            g_autoptr(ReinsRun) run = g_list_model_get_item (model, i);

            g_strv_builder_add (ids, reins_run_get_id (run));
          }
        judging->run_ids = g_strv_builder_end (ids);
      }
      break;

    case REINS_JUDGE_SCOPE_IMPORTED:
      judging->imported = TRUE;
      break;

    default:
      break;
    }

  set_busy (self, TRUE);
  task = g_task_new (NULL, self->cancellable, judged_cb, g_object_ref (self));
  g_task_set_source_tag (task, reins_judge_dialog_judge);
  g_task_set_name (task, "[reins] judge");
  g_task_set_task_data (task, judging, (GDestroyNotify) judging_free);
  g_task_run_in_thread (task, judge_thread);
}

static void
judge_clicked_cb (ReinsJudgeDialog *self)
{
  reins_judge_dialog_judge (self);
}

static void
reins_judge_dialog_dispose (GObject *object)
{
  ReinsJudgeDialog *self = (ReinsJudgeDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->history);

  G_OBJECT_CLASS (reins_judge_dialog_parent_class)->dispose (object);
}

static void
reins_judge_dialog_finalize (GObject *object)
{
  ReinsJudgeDialog *self = (ReinsJudgeDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, json_node_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->result_groups, g_ptr_array_unref);

  G_OBJECT_CLASS (reins_judge_dialog_parent_class)->finalize (object);
}

static void
reins_judge_dialog_class_init (ReinsJudgeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reins_judge_dialog_dispose;
  object_class->finalize = reins_judge_dialog_finalize;
}

static GtkSpinButton *
spin_row (AdwExpanderRow *expander,
          const char     *title,
          double          lower,
          double          upper,
          double          step,
          double          value,
          guint           digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_expander_row_add_row (expander, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
reins_judge_dialog_init (ReinsJudgeDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  AdwPreferencesGroup *runs;
  g_autoptr(GtkStringList) scopes = NULL;

  self->cancellable = g_cancellable_new ();
  self->result_groups = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Judge Runs"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);

  self->judge_button = gtk_button_new_with_mnemonic (_("_Judge"));
  gtk_widget_add_css_class (self->judge_button, "suggested-action");
  g_signal_connect_swapped (self->judge_button, "clicked", G_CALLBACK (judge_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->judge_button);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));

  runs = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (runs, _("Runs"));
  adw_preferences_group_set_description (runs,
                                         _("Each run is judged again, without the model, as "
                                           "replay does: under its own settings, or under those "
                                           "below. reins-cli judge takes every guard setting."));
  scopes = gtk_string_list_new ((const char * const[]) {
    _("Listed in the history"), _("All runs"), _("Imported runs"), NULL });
  self->scope_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->scope_row), _("Runs to judge"));
  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (scopes));
  adw_preferences_group_add (runs, GTK_WIDGET (self->scope_row));
  self->label_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->label_row),
                                 _("Only with the label KEY or KEY=VALUE"));
  adw_preferences_group_add (runs, GTK_WIDGET (self->label_row));

  /* Other settings to judge under, for all the runs alike (reins-cli judge has them all). */
  self->settings_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->settings_row),
                                 _("Judge Under Other Settings"));
  adw_expander_row_set_subtitle (self->settings_row, _("Off: each run's own"));
  adw_expander_row_set_show_enable_switch (self->settings_row, TRUE);
  adw_expander_row_set_enable_expansion (self->settings_row, FALSE);
  self->threshold_spin = spin_row (self->settings_row, _("Confidence threshold"), 0, 1, 0.05, 0.7, 2);
  self->max_steps_spin = spin_row (self->settings_row, _("Most steps"), 1, 1000, 1, 20, 0);
  adw_preferences_group_add (runs, GTK_WIDGET (self->settings_row));
  adw_preferences_page_add (self->page, runs);

  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * reins_judge_dialog_new:
 * @history: the history whose store (and listed runs) are judged
 *
 * Returns: (transfer full): a new dialog, not yet shown
 */
GtkWidget *
reins_judge_dialog_new (GtkWindow    *parent,
                        ReinsHistory *history)
{
  ReinsJudgeDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (REINS_IS_HISTORY (history), NULL);

  self = g_object_new (REINS_TYPE_JUDGE_DIALOG,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       NULL);
  g_set_weak_pointer (&self->history, history);
  return GTK_WIDGET (self);
}

void
reins_judge_dialog_set_scope (ReinsJudgeDialog *self,
                              ReinsJudgeScope   scope)
{
  g_return_if_fail (REINS_IS_JUDGE_DIALOG (self));
  g_return_if_fail (scope <= REINS_JUDGE_SCOPE_IMPORTED);

  adw_combo_row_set_selected (self->scope_row, scope);
}

void
reins_judge_dialog_set_label (ReinsJudgeDialog *self,
                              const char       *label)
{
  g_return_if_fail (REINS_IS_JUDGE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->label_row), label != NULL ? label : "");
}

/**
 * reins_judge_dialog_set_settings:
 * @override: whether the runs are judged under @threshold and @max_steps instead of their own
 */
void
reins_judge_dialog_set_settings (ReinsJudgeDialog *self,
                                 gboolean          override,
                                 double            threshold,
                                 int               max_steps)
{
  g_return_if_fail (REINS_IS_JUDGE_DIALOG (self));

  adw_expander_row_set_enable_expansion (self->settings_row, override);
  gtk_spin_button_set_value (self->threshold_spin, threshold);
  gtk_spin_button_set_value (self->max_steps_spin, max_steps);
}

/* Whether a report is being computed. */
gboolean
reins_judge_dialog_get_busy (ReinsJudgeDialog *self)
{
  g_return_val_if_fail (REINS_IS_JUDGE_DIALOG (self), FALSE);

  return self->busy;
}

/* The last report, as `reins-cli judge --json` prints it; %NULL before one. */
JsonNode *
_reins_judge_dialog_get_report (ReinsJudgeDialog *self)
{
  return self->report;
}

const char *
_reins_judge_dialog_get_error (ReinsJudgeDialog *self)
{
  return self->error;
}
