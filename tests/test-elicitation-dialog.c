/* test-elicitation-dialog.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's form for an MCP server's question (elicitation/create): built from the
 * schema with its defaults, Submit only while it is valid, and each answer stored on the
 * approval as the CLI stores it.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "reins-approval.h"
#include "reins-elicitation-dialog.h"

static const char *request_json =
  "{\"message\":\"Who are you?\",\"server\":\"web\",\"requestedSchema\":{\"type\":\"object\","
  "\"properties\":{"
  "\"name\":{\"type\":\"string\",\"title\":\"Name\"},"
  "\"age\":{\"type\":\"integer\",\"default\":36},"
  "\"tea\":{\"type\":\"boolean\",\"default\":false},"
  "\"size\":{\"type\":\"string\",\"enum\":[\"small\",\"large\"],\"default\":\"large\"},"
  "\"color\":{\"type\":\"string\",\"enum\":[\"red\",\"blue\"]}},"
  "\"required\":[\"name\"]}}";

static ReinsApproval *
new_approval (const char *json)
{
  g_autoptr(JsonNode) request = json_from_string (json, NULL);
  g_autoptr(ReinsAction) action = reins_action_new ("elicitation/create",
                                                    json_node_get_object (request));
  g_autoptr(ReinsApprovalRecord) record = reins_approval_record_new (1, "elicitation",
                                                                     "MCP server “web” asks: Who are you?",
                                                                     action, NAN);

  return reins_approval_new ("run-1", record, TRUE);
}

static void
test_accept (void)
{
  g_autoptr(ReinsApproval) approval = new_approval (request_json);
  GtkWidget *dialog = reins_elicitation_dialog_new (NULL, approval);
  ReinsElicitationDialog *form = REINS_ELICITATION_DIALOG (dialog);
  const char *feedback;

  g_object_ref_sink (dialog);
  g_assert_true (reins_elicitation_dialog_get_approval (form) == approval);

  /* The required name is empty: no Submit. */
  g_assert_false (_reins_elicitation_dialog_get_valid (form));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept"));

  _reins_elicitation_dialog_set_text (form, "name", "Ada");
  g_assert_true (_reins_elicitation_dialog_get_valid (form));
  /* A number that is not one: no Submit again. */
  _reins_elicitation_dialog_set_text (form, "age", "old");
  g_assert_false (_reins_elicitation_dialog_get_valid (form));
  _reins_elicitation_dialog_set_text (form, "age", "37");
  _reins_elicitation_dialog_set_active (form, "tea", TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "accept");
  g_assert_true (reins_approval_is_resolved (approval));
  g_assert_cmpint (reins_approval_get_decision (approval), ==, REINS_DECISION_APPROVE);
  feedback = reins_approval_record_get_feedback (reins_approval_get_record (approval));
  g_assert_nonnull (strstr (feedback, "\"action\":\"accept\""));
  g_assert_nonnull (strstr (feedback, "\"name\":\"Ada\""));
  g_assert_nonnull (strstr (feedback, "\"age\":37"));
  g_assert_nonnull (strstr (feedback, "\"tea\":true"));
  g_assert_nonnull (strstr (feedback, "\"size\":\"large\""));
  /* An optional choice without a default is left out, not picked for the person. */
  g_assert_null (strstr (feedback, "\"color\""));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static void
test_decline_cancel_close (void)
{
  const char *responses[] = { "decline", "cancel", "close" };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      g_autoptr(ReinsApproval) approval = new_approval (request_json);
      GtkWidget *dialog = reins_elicitation_dialog_new (NULL, approval);

      g_object_ref_sink (dialog);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), responses[i]);
      if (g_str_equal (responses[i], "close"))
        /* Closing decides nothing: the question stays open. */
        g_assert_false (reins_approval_is_resolved (approval));
      else
        {
          g_assert_cmpint (reins_approval_get_decision (approval), ==, REINS_DECISION_REJECT);
          g_assert_cmpstr (reins_approval_record_get_feedback (reins_approval_get_record (approval)),
                           ==, g_str_equal (responses[i], "cancel") ? "cancel" : NULL);
        }
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_object_unref (dialog);
    }
}

/* A schema that is not a flat form: only Decline and Cancel. */
static void
test_bad_schema (void)
{
  g_autoptr(ReinsApproval) approval = new_approval (
    "{\"message\":\"m\",\"requestedSchema\":{\"type\":\"object\",\"properties\":"
    "{\"deep\":{\"type\":\"object\"}}}}");
  GtkWidget *dialog = reins_elicitation_dialog_new (NULL, approval);

  g_object_ref_sink (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept"));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decline"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reins/gui/elicitation/accept", test_accept);
  g_test_add_func ("/reins/gui/elicitation/decline-cancel-close", test_decline_cancel_close);
  g_test_add_func ("/reins/gui/elicitation/bad-schema", test_bad_schema);

  return g_test_run ();
}
