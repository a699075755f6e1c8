/* test-mcp-oauth.c
 *
 * Copyright 2026 The Reins authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OAuth 2.1 for MCP servers over HTTP (reins-mcp-oauth.c), against a loopback MCP server
 * and authorization server written here on the test server: the whole flow from a 401
 * (protected resource metadata, authorization server metadata, dynamic registration, PKCE
 * S256, the resource parameter, the loopback redirect), a saved token used again, an
 * expired token refreshed, a refresh token refused, a browser that comes back with the
 * wrong state, malformed or lying metadata, and step-up on 403 insufficient_scope. The
 * "browser" is a thread that follows the authorization URL's redirect.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "reins-error.h"
#include "reins-mcp-client.h"
#include "reins-mcp-oauth.h"
#include "tests/reins-test-server.h"

typedef enum
{
  BAD_NONE,
  BAD_PRM_NOT_JSON,       /* the protected resource metadata is not JSON */
  BAD_PRM_NO_SERVERS,     /* it names no authorization server */
  BAD_PRM_OTHER_RESOURCE, /* it is about another resource */
  BAD_AS_ISSUER,          /* the authorization server's metadata names another issuer */
  BAD_AS_NO_PKCE,         /* it does not do S256 */
  BAD_WRONG_STATE,        /* the redirect carries another state */
  BAD_DENIED,             /* the person refuses */
  BAD_REFRESH,            /* refresh tokens are refused */
  LEGACY,                 /* MCP 2025-03-26: no metadata at all, the default endpoints */
} Bad;

/* The servers' state: written on the server thread, read by the test. */
typedef struct
{
  GMutex      mutex;
  char       *base;           /* the test server's URL, without a trailing slash */
  Bad         bad;
  GHashTable *tokens;         /* access token → its scopes */
  GHashTable *refresh;        /* refresh token → its scopes */
  guint       next;
  guint       unauthorized;   /* 401s given */
  guint       forbidden;      /* 403s given */
  guint       registrations;
  guint       authorizations; /* /authorize requests */
  guint       code_grants;
  guint       refresh_grants;
  guint       prm_gets;
  char       *challenge;      /* code_challenge of the last authorization */
  char       *challenge_method;
  char       *auth_resource;  /* resource= of the last authorization */
  char       *auth_scope;     /* scope= of the last authorization */
  char       *auth_client;
  char       *token_resource; /* resource= of the last token request */
  char       *verifier_ok;    /* "yes" when the last verifier matched the challenge */
  char       *last_bearer;    /* the Authorization of the last MCP request */
  guint       expires_in;     /* of the tokens given; 3600 unless set */
} Auth;

static Auth auth;

/* The person's keyring, as the hooks see it. */
static GHashTable *keyring;
static GMutex keyring_mutex;
static guint browser_opened;
static guint keyring_loads;
static GPtrArray *browsers;

static void
reply_json (ReinsTestReply *reply,
            guint           status,
            const char     *text)
{
  reins_test_reply_set_status (reply, status);
  reins_test_reply_add_header (reply, "Content-Type", "application/json");
  reins_test_reply_add (reply, 0, text, -1);
}

static char *
prm_url (void)
{
  return g_strdup_printf ("%s/.well-known/oauth-protected-resource/mcp", auth.base);
}

static void
challenge (ReinsTestReply *reply,
           guint           status,
           const char     *extra)
{
  g_autofree char *url = prm_url ();
  g_autofree char *header = auth.bad == LEGACY
                              ? g_strdup ("Bearer realm=\"mcp\"")
                              : g_strdup_printf ("Bearer resource_metadata=\"%s\"%s", url,
                                                 extra != NULL ? extra : "");

  reins_test_reply_set_status (reply, status);
  reins_test_reply_add_header (reply, "WWW-Authenticate", header);
}

static const char *
rpc_id (JsonObject *object,
        char        buf[32])
{
  JsonNode *id = json_object_get_member (object, "id");

  if (id == NULL)
    return NULL;
  g_snprintf (buf, 32, "%" G_GINT64_FORMAT, json_node_get_int (id));
  return buf;
}

static void
mcp_handler (const char     *body,
             ReinsTestReply *reply)
{
  const char *bearer = reins_test_reply_get_header (reply, "Authorization");
  const char *scopes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *method, *id;
  char buf[32];

  g_free (auth.last_bearer);
  auth.last_bearer = g_strdup (bearer);
  if (g_strcmp0 (reins_test_reply_get_method (reply), "POST") != 0)
    {
      reins_test_reply_set_status (reply, strcmp (reins_test_reply_get_method (reply), "GET") == 0
                                            ? 405 : 200);
      return;
    }
  if (bearer != NULL && g_str_has_prefix (bearer, "Bearer "))
    scopes = g_hash_table_lookup (auth.tokens, bearer + 7);
  if (scopes == NULL)
    {
      auth.unauthorized++;
      challenge (reply, 401, bearer != NULL ? ", error=\"invalid_token\"" : NULL);
      return;
    }

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  method = json_object_get_string_member_with_default (object, "method", "");
  id = rpc_id (object, buf);
  if (id == NULL)
    {
      reins_test_reply_set_status (reply, 202);
      return;
    }
  if (strcmp (method, "initialize") == 0)
    {
      g_autofree char *text = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":"
                                               "{\"protocolVersion\":\"2025-06-18\","
                                               "\"capabilities\":{\"tools\":{}},"
                                               "\"serverInfo\":{\"name\":\"auth\","
                                               "\"version\":\"1\"}}}", id);
      reply_json (reply, 200, text);
    }
  else if (strcmp (method, "tools/list") == 0)
    {
      g_autofree char *text = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":"
                                               "{\"tools\":["
                                               "{\"name\":\"whoami\",\"inputSchema\":"
                                               "{\"type\":\"object\"}},"
                                               "{\"name\":\"admin\",\"inputSchema\":"
                                               "{\"type\":\"object\"}}]}}", id);
      reply_json (reply, 200, text);
    }
  else if (strcmp (method, "tools/call") == 0)
    {
      JsonObject *params = json_object_get_object_member (object, "params");
      const char *name = json_object_get_string_member (params, "name");
      g_auto(GStrv) have = g_strsplit (scopes, " ", -1);
      g_autofree char *text = NULL;

      if (strcmp (name, "admin") == 0 && !g_strv_contains ((const char * const *) have, "admin"))
        {
          auth.forbidden++;
          challenge (reply, 403, ", error=\"insufficient_scope\", scope=\"admin\"");
          return;
        }
      text = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"content\":"
                              "[{\"type\":\"text\",\"text\":\"%s with %s\"}]}}", id, name,
                              scopes);
      reply_json (reply, 200, text);
    }
  else
    reply_json (reply, 200, "{}");
}

static void
prm_handler (ReinsTestReply *reply)
{
  g_autofree char *text = NULL;

  auth.prm_gets++;
  switch (auth.bad)
    {
    case BAD_PRM_NOT_JSON:
      reply_json (reply, 200, "{\"resource\": \"");
      return;
    case BAD_PRM_NO_SERVERS:
      text = g_strdup_printf ("{\"resource\":\"%s/mcp\",\"authorization_servers\":[]}",
                              auth.base);
      break;
    case BAD_PRM_OTHER_RESOURCE:
      text = g_strdup_printf ("{\"resource\":\"https://elsewhere.example/mcp\","
                              "\"authorization_servers\":[\"%s/as\"]}", auth.base);
      break;
    default:
      text = g_strdup_printf ("{\"resource\":\"%s/mcp\",\"authorization_servers\":"
                              "[\"%s/as\"],\"scopes_supported\":[\"read\"]}",
                              auth.base, auth.base);
    }
  reply_json (reply, 200, text);
}

static void
as_metadata_handler (ReinsTestReply *reply)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/as/authorize\","
                          "\"token_endpoint\":\"%s/as/token\","
                          "\"registration_endpoint\":\"%s/as/register\","
                          "\"response_types_supported\":[\"code\"]%s}",
                          auth.bad == BAD_AS_ISSUER ? "https://evil.example" : auth.base,
                          auth.base, auth.base, auth.base,
                          auth.bad == BAD_AS_NO_PKCE ? ""
                            : ",\"code_challenge_methods_supported\":[\"plain\",\"S256\"]");
  /* The issuer is base + "/as": fix it up unless it is meant to lie. */
  if (auth.bad != BAD_AS_ISSUER)
    {
      g_autofree char *wrong = g_strdup_printf ("\"issuer\":\"%s\"", auth.base);
      g_autofree char *right = g_strdup_printf ("\"issuer\":\"%s/as\"", auth.base);
      g_autoptr(GString) fixed = g_string_new (text);

      g_string_replace (fixed, wrong, right, 1);
      g_free (text);
      text = g_string_free (g_steal_pointer (&fixed), FALSE);
    }
  reply_json (reply, 200, text);
}

static void
authorize_handler (ReinsTestReply *reply)
{
  g_autoptr(GHashTable) q = soup_form_decode (reins_test_reply_get_query (reply));
  const char *redirect = g_hash_table_lookup (q, "redirect_uri");
  g_autofree char *location = NULL;
  g_autofree char *code = g_strdup_printf ("code-%u", ++auth.next);

  auth.authorizations++;
#define KEEP(field, name) \
  g_free (auth.field); \
  auth.field = g_strdup (g_hash_table_lookup (q, name))
  KEEP (challenge, "code_challenge");
  KEEP (challenge_method, "code_challenge_method");
  KEEP (auth_resource, "resource");
  KEEP (auth_scope, "scope");
  KEEP (auth_client, "client_id");
#undef KEEP
  if (auth.bad == BAD_DENIED)
    location = g_strdup_printf ("%s?error=access_denied&state=%s", redirect,
                                (char *) g_hash_table_lookup (q, "state"));
  else
    location = g_strdup_printf ("%s?code=%s&state=%s", redirect, code,
                                auth.bad == BAD_WRONG_STATE
                                  ? "forged" : (char *) g_hash_table_lookup (q, "state"));
  reins_test_reply_set_status (reply, 302);
  reins_test_reply_add_header (reply, "Location", location);
}

static void
give_token (ReinsTestReply *reply,
            const char     *scopes)
{
  g_autofree char *access = g_strdup_printf ("access-%u", ++auth.next);
  g_autofree char *refresh = g_strdup_printf ("refresh-%u", auth.next);
  g_autofree char *text = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"bearer\","
                                           "\"expires_in\":%u,\"refresh_token\":\"%s\","
                                           "\"scope\":\"%s\"}", access,
                                           auth.expires_in, refresh, scopes);

  g_hash_table_insert (auth.tokens, g_strdup (access), g_strdup (scopes));
  g_hash_table_insert (auth.refresh, g_strdup (refresh), g_strdup (scopes));
  reply_json (reply, 200, text);
}

static void
token_handler (const char     *body,
               ReinsTestReply *reply)
{
  g_autoptr(GHashTable) form = soup_form_decode (body);
  const char *grant = g_hash_table_lookup (form, "grant_type");

  g_free (auth.token_resource);
  auth.token_resource = g_strdup (g_hash_table_lookup (form, "resource"));
  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *verifier = g_hash_table_lookup (form, "code_verifier");
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize length = sizeof digest;
      g_autofree char *b64 = NULL;
      char *end;

      auth.code_grants++;
      g_checksum_update (sum, (const guchar *) (verifier != NULL ? verifier : ""), -1);
      g_checksum_get_digest (sum, digest, &length);
      b64 = g_base64_encode (digest, length);
      g_strdelimit (b64, "+", '-');
      g_strdelimit (b64, "/", '_');
      if ((end = strchr (b64, '=')) != NULL)
        *end = '\0';
      g_free (auth.verifier_ok);
      auth.verifier_ok = g_strdup (g_strcmp0 (b64, auth.challenge) == 0 ? "yes" : "no");
      give_token (reply, auth.auth_scope != NULL ? auth.auth_scope : "");
      return;
    }
  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      const char *scopes = g_hash_table_lookup (auth.refresh,
                                                g_hash_table_lookup (form, "refresh_token") != NULL
                                                  ? g_hash_table_lookup (form, "refresh_token")
                                                  : "");
      g_autofree char *kept = g_strdup (scopes);

      auth.refresh_grants++;
      if (scopes == NULL || auth.bad == BAD_REFRESH)
        {
          reply_json (reply, 400, "{\"error\":\"invalid_grant\","
                                  "\"error_description\":\"refresh token revoked\"}");
          return;
        }
      give_token (reply, kept);
      return;
    }
  reply_json (reply, 400, "{\"error\":\"unsupported_grant_type\"}");
}

static void
handler (const char     *path,
         const char     *body,
         guint           index,
         ReinsTestReply *reply,
         gpointer        user_data)
{
  g_mutex_lock (&auth.mutex);
  if (strcmp (path, "/mcp") == 0)
    mcp_handler (body, reply);
  else if (auth.bad == LEGACY && (g_str_has_prefix (path, "/.well-known/") ||
                                  g_str_has_prefix (path, "/as/")))
    reply_json (reply, 404, "{\"error\":\"not found\"}");
  else if (auth.bad == LEGACY && strcmp (path, "/register") == 0)
    {
      auth.registrations++;
      reply_json (reply, 201, "{\"client_id\":\"client-1\"}");
    }
  else if (auth.bad == LEGACY && strcmp (path, "/authorize") == 0)
    authorize_handler (reply);
  else if (auth.bad == LEGACY && strcmp (path, "/token") == 0)
    token_handler (body, reply);
  else if (strcmp (path, "/.well-known/oauth-protected-resource/mcp") == 0)
    prm_handler (reply);
  else if (strcmp (path, "/.well-known/oauth-authorization-server/as") == 0)
    as_metadata_handler (reply);
  else if (strcmp (path, "/as/register") == 0)
    {
      auth.registrations++;
      reply_json (reply, 201, "{\"client_id\":\"client-1\",\"client_name\":\"Reins\"}");
    }
  else if (strcmp (path, "/as/authorize") == 0)
    authorize_handler (reply);
  else if (strcmp (path, "/as/token") == 0)
    token_handler (body, reply);
  else
    reply_json (reply, 404, "{\"error\":\"not found\"}");
  g_mutex_unlock (&auth.mutex);
}

/* The person's browser: follows the authorization URL, and its redirect to Reins. */
static gpointer
browser_thread (gpointer data)
{
  g_autofree char *url = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) page = soup_session_send_and_read (session, msg, NULL, NULL);

  return NULL;
}

static gboolean
open_url (const char  *server,
          const char  *url,
          gpointer     user_data,
          GError     **error)
{
  g_mutex_lock (&keyring_mutex);
  browser_opened++;
  g_ptr_array_add (browsers, g_thread_new ("browser", browser_thread, g_strdup (url)));
  g_mutex_unlock (&keyring_mutex);
  return TRUE;
}

static char *
load (const char *url,
      gpointer    user_data)
{
  char *state;

  g_mutex_lock (&keyring_mutex);
  keyring_loads++;
  state = g_strdup (g_hash_table_lookup (keyring, url));
  g_mutex_unlock (&keyring_mutex);
  return state;
}

static void
save (const char *url,
      const char *state,
      gpointer    user_data)
{
  g_mutex_lock (&keyring_mutex);
  if (state == NULL)
    g_hash_table_remove (keyring, url);
  else
    g_hash_table_insert (keyring, g_strdup (url), g_strdup (state));
  g_mutex_unlock (&keyring_mutex);
}

static const ReinsMcpOAuthHooks test_hooks = { open_url, load, save };

typedef struct
{
  ReinsTestServer *server;
  char            *url;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) base = NULL;

  memset (&auth, 0, sizeof auth);
  g_mutex_init (&auth.mutex);
  auth.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  auth.refresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  auth.expires_in = 3600;
  keyring = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  browsers = g_ptr_array_new ();
  browser_opened = 0;
  reins_mcp_oauth_set_hooks (&test_hooks, NULL);

  f->server = reins_test_server_new (handler, NULL);
  base = g_string_new (reins_test_server_get_url (f->server));
  if (base->len > 0 && base->str[base->len - 1] == '/')
    g_string_truncate (base, base->len - 1);
  g_mutex_lock (&auth.mutex);
  auth.base = g_strdup (base->str);
  g_mutex_unlock (&auth.mutex);
  f->url = g_strdup_printf ("%s/mcp", base->str);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < browsers->len; i++)
    g_thread_join (g_ptr_array_index (browsers, i));
  g_ptr_array_unref (browsers);
  reins_mcp_oauth_set_hooks (NULL, NULL);
  g_clear_pointer (&f->server, reins_test_server_free);
  g_free (f->url);
  g_hash_table_unref (keyring);
  g_hash_table_unref (auth.tokens);
  g_hash_table_unref (auth.refresh);
  g_free (auth.base);
  g_free (auth.challenge);
  g_free (auth.challenge_method);
  g_free (auth.auth_resource);
  g_free (auth.auth_scope);
  g_free (auth.auth_client);
  g_free (auth.token_resource);
  g_free (auth.verifier_ok);
  g_free (auth.last_bearer);
  g_mutex_clear (&auth.mutex);
}

static ReinsMcpClient *
start (Fixture  *f,
       GError  **error)
{
  g_autoptr(ReinsMcpClient) client = reins_mcp_client_new_url ("auth", f->url, NULL);

  g_assert_nonnull (client);
  reins_mcp_client_set_start_timeout (client, 10);
  if (!reins_mcp_client_start (client, NULL, error))
    return NULL;
  return g_steal_pointer (&client);
}

static char *
call (ReinsMcpClient *client,
      const char     *tool,
      gboolean       *is_error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(ReinsToolResult) result = reins_mcp_client_call_tool (client, tool, args, 10, NULL);

  *is_error = result->is_error;
  return g_strdup (result->text);
}

static gboolean
saved_holds (const char *url,
             const char *text)
{
  g_autofree char *state = load (url, NULL);

  return state != NULL && strstr (state, text) != NULL;
}

/* The whole flow from a 401, and the token used from then on. */
static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start (f, &error);
  g_autofree char *text = NULL;
  gboolean is_error;

  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_cmpuint (browser_opened, ==, 1);

  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.unauthorized, ==, 1);
  g_assert_cmpuint (auth.prm_gets, ==, 1);
  g_assert_cmpuint (auth.registrations, ==, 1);
  g_assert_cmpuint (auth.authorizations, ==, 1);
  g_assert_cmpuint (auth.code_grants, ==, 1);
  g_assert_cmpstr (auth.challenge_method, ==, "S256");
  g_assert_cmpstr (auth.verifier_ok, ==, "yes");
  g_assert_cmpstr (auth.auth_client, ==, "client-1");
  /* RFC 8707: the resource, on both requests. */
  g_assert_cmpstr (auth.auth_resource, ==, f->url);
  g_assert_cmpstr (auth.token_resource, ==, f->url);
  /* No scope in the challenge: the resource's scopes_supported. */
  g_assert_cmpstr (auth.auth_scope, ==, "read");
  g_mutex_unlock (&auth.mutex);

  text = call (client, "whoami", &is_error);
  g_assert_false (is_error);
  g_assert_cmpstr (text, ==, "whoami with read");
  g_mutex_lock (&auth.mutex);
  g_assert_true (g_str_has_prefix (auth.last_bearer, "Bearer access-"));
  g_assert_cmpuint (auth.unauthorized, ==, 1);
  g_mutex_unlock (&auth.mutex);
  /* The tokens went to the keyring hook, not anywhere else. */
  g_assert_true (saved_holds (f->url, "\"access_token\":\"access-"));
  g_assert_true (saved_holds (f->url, "\"refresh_token\":\"refresh-"));
  reins_mcp_client_stop (client);

  /* A second client of the same server uses the saved token: no browser, no 401. */
  {
    g_autoptr(ReinsMcpClient) again = start (f, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (browser_opened, ==, 1);
    g_mutex_lock (&auth.mutex);
    g_assert_cmpuint (auth.unauthorized, ==, 1);
    g_assert_cmpuint (auth.registrations, ==, 1);
    g_mutex_unlock (&auth.mutex);
    reins_mcp_client_stop (again);
  }
}

/* A server that needs no token never sees the browser open. */
static void
test_no_auth_needed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  g_mutex_lock (&auth.mutex);
  g_hash_table_insert (auth.tokens, g_strdup ("given"), g_strdup ("read"));
  g_mutex_unlock (&auth.mutex);
  save (f->url, "{\"access_token\":\"given\"}", NULL);
  client = start (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (browser_opened, ==, 0);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.unauthorized, ==, 0);
  g_assert_cmpuint (auth.prm_gets, ==, 0);
  g_assert_cmpstr (auth.last_bearer, ==, "Bearer given");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* An expired token is refreshed with its refresh token, without the browser. */
static void
test_expired_refreshed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *state = NULL;

  g_mutex_lock (&auth.mutex);
  g_hash_table_insert (auth.refresh, g_strdup ("refresh-old"), g_strdup ("read"));
  state = g_strdup_printf ("{\"client_id\":\"client-1\",\"issuer\":\"%s/as\","
                           "\"token_endpoint\":\"%s/as/token\",\"resource\":\"%s\","
                           "\"access_token\":\"expired\",\"refresh_token\":\"refresh-old\","
                           "\"redirect_port\":0}", auth.base, auth.base, f->url);
  g_mutex_unlock (&auth.mutex);
  save (f->url, state, NULL);

  client = start (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (browser_opened, ==, 0);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.unauthorized, ==, 1);
  g_assert_cmpuint (auth.refresh_grants, ==, 1);
  g_assert_cmpuint (auth.code_grants, ==, 0);
  g_assert_cmpstr (auth.token_resource, ==, f->url);
  g_mutex_unlock (&auth.mutex);
  g_assert_false (saved_holds (f->url, "\"expired\""));
  reins_mcp_client_stop (client);
}

/* A token about to expire is refreshed before it is sent: no 401 at all. */
static void
test_refresh_before_expiry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *state = NULL;
  gint64 soon = g_get_real_time () / G_USEC_PER_SEC + 10;

  g_mutex_lock (&auth.mutex);
  g_hash_table_insert (auth.tokens, g_strdup ("nearly"), g_strdup ("read"));
  g_hash_table_insert (auth.refresh, g_strdup ("refresh-old"), g_strdup ("read"));
  state = g_strdup_printf ("{\"client_id\":\"client-1\",\"token_endpoint\":\"%s/as/token\","
                           "\"access_token\":\"nearly\",\"refresh_token\":\"refresh-old\","
                           "\"expires_at\":%" G_GINT64_FORMAT "}", auth.base, soon);
  g_mutex_unlock (&auth.mutex);
  save (f->url, state, NULL);

  client = start (f, &error);
  g_assert_no_error (error);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.refresh_grants, ==, 1);
  g_assert_cmpuint (auth.unauthorized, ==, 0);
  g_assert_true (g_str_has_prefix (auth.last_bearer, "Bearer access-"));
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* A refresh token refused: the browser flow again, and the run goes on. */
static void
test_refresh_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;
  g_autofree char *state = NULL;

  g_mutex_lock (&auth.mutex);
  auth.bad = BAD_REFRESH;
  state = g_strdup_printf ("{\"client_id\":\"client-1\",\"issuer\":\"%s/as\","
                           "\"token_endpoint\":\"%s/as/token\",\"access_token\":\"expired\","
                           "\"refresh_token\":\"refresh-revoked\"}", auth.base, auth.base);
  g_mutex_unlock (&auth.mutex);
  save (f->url, state, NULL);

  client = start (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (browser_opened, ==, 1);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.refresh_grants, ==, 1);
  g_assert_cmpuint (auth.code_grants, ==, 1);
  g_mutex_unlock (&auth.mutex);
  g_assert_false (saved_holds (f->url, "refresh-revoked"));
  reins_mcp_client_stop (client);
}

/* 403 insufficient_scope: the flow again with the scopes the challenge names added. */
static void
test_step_up (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = start (f, &error);
  g_autofree char *text = NULL;
  gboolean is_error;

  g_assert_no_error (error);
  text = call (client, "admin", &is_error);
  g_assert_false (is_error);
  g_assert_cmpstr (text, ==, "admin with read admin");
  g_assert_cmpuint (browser_opened, ==, 2);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.forbidden, ==, 1);
  g_assert_cmpstr (auth.auth_scope, ==, "read admin");
  /* The client registered once: the second flow used it again. */
  g_assert_cmpuint (auth.registrations, ==, 1);
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* A client id given: no registration. */
static void
test_preregistered (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  /* The keyring is not asked where the client is made, only at its first request. */
  keyring_loads = 0;
  client = reins_mcp_client_new_url ("auth", f->url, NULL);
  reins_mcp_client_set_oauth_client (client, "given-client", NULL);
  g_assert_cmpuint (keyring_loads, ==, 0);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_cmpuint (keyring_loads, ==, 1);
  g_assert_no_error (error);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 0);
  g_assert_cmpstr (auth.auth_client, ==, "given-client");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* A client id from the environment, as reins-cli and the window take it: no registration. */
static void
test_client_from_environment (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  g_setenv ("REINS_MCP_OAUTH_CLIENT_ID_MY_AUTH", "env-client", TRUE);
  client = reins_mcp_client_new_url ("my-auth", f->url, NULL);
  g_unsetenv ("REINS_MCP_OAUTH_CLIENT_ID_MY_AUTH");
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 0);
  g_assert_cmpstr (auth.auth_client, ==, "env-client");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);

  /* Another server's name: registered dynamically. */
  g_clear_object (&client);
  g_hash_table_remove_all (keyring);
  g_setenv ("REINS_MCP_OAUTH_CLIENT_ID_OTHER", "env-client", TRUE);
  client = reins_mcp_client_new_url ("my-auth", f->url, NULL);
  g_unsetenv ("REINS_MCP_OAUTH_CLIENT_ID_OTHER");
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 1);
  g_assert_cmpstr (auth.auth_client, ==, "client-1");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* A client id given for the process (reins-cli's --mcp-client-id) wins over the
 * environment's, for its server's name only, until it is taken back. */
static void
test_default_client (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GVariant) prefs = g_variant_ref_sink (g_variant_new_parsed ("{'auth': ' prefs '}"));
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  reins_mcp_client_set_default_oauth_client ("auth", "given-for-all");
  g_setenv ("REINS_MCP_OAUTH_CLIENT_ID_AUTH", "env-client", TRUE);
  client = reins_mcp_client_new_url ("auth", f->url, NULL);
  g_unsetenv ("REINS_MCP_OAUTH_CLIENT_ID_AUTH");
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 0);
  g_assert_cmpstr (auth.auth_client, ==, "given-for-all");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);

  /* Another name, then the same one once it is taken back: registered dynamically. */
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&client);
      g_hash_table_remove_all (keyring);
      if (i == 1)
        reins_mcp_client_set_default_oauth_client ("auth", NULL);
      client = reins_mcp_client_new_url (i == 0 ? "other" : "auth", f->url, NULL);
      g_assert_true (reins_mcp_client_start (client, NULL, &error));
      g_assert_no_error (error);
      g_mutex_lock (&auth.mutex);
      g_assert_cmpuint (auth.registrations, ==, i + 1);
      g_assert_true (g_str_has_prefix (auth.auth_client, "client-"));
      g_mutex_unlock (&auth.mutex);
      reins_mcp_client_stop (client);
    }
  reins_mcp_client_set_default_oauth_client ("other", NULL);

  /* The preferences' ids replace all the earlier ones (the window follows the key). */
  reins_mcp_client_set_default_oauth_client ("stale", "gone");
  reins_mcp_client_replace_default_oauth_clients (prefs);
  g_clear_object (&client);
  g_hash_table_remove_all (keyring);
  client = reins_mcp_client_new_url ("auth", f->url, NULL);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_assert_no_error (error);
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 2);
  g_assert_cmpstr (auth.auth_client, ==, "prefs");
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
  g_clear_object (&client);
  g_hash_table_remove_all (keyring);
  reins_mcp_client_replace_default_oauth_clients (NULL);
  client = reins_mcp_client_new_url ("stale", f->url, NULL);
  g_assert_true (reins_mcp_client_start (client, NULL, &error));
  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 3);
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* reins-cli run with --mcp-client-id: the whole flow with that client, the person's
 * browser following the address reins-cli prints; a malformed value is a usage error. */
static void
test_cli_client_id (Fixture       *f,
                    gconstpointer  data)
{
  const char *cli = g_getenv ("REINS_CLI");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *script = NULL;
  g_autofree char *mcp = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  char *line;

  g_assert_nonnull (cli);
  dir = g_dir_make_tmp ("reins-oauth-cli-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_strconcat ("--db=", dir, "/runs.db", NULL);
  script = g_build_filename (dir, "script.json", NULL);
  g_assert_true (g_file_set_contents (script,
                                      "{\"responses\": ["
                                      "{\"tool_calls\": [{\"name\": \"auth__whoami\", "
                                      "\"arguments\": {}}]},"
                                      "{\"tool_calls\": [{\"name\": \"finish\", \"arguments\": "
                                      "{\"answer\": \"done\"}}]}]}", -1, NULL));
  mcp = g_strconcat ("--mcp=auth=", f->url, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "REINS_NO_KEYRING", "1", TRUE);

  /* Malformed: refused before anything is sent. */
  {
    const char *bad[] = { "--mcp-client-id=auth", "--mcp-client-id==x", "--mcp-client-id=auth=" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GSubprocess) p = g_subprocess_launcher_spawn (launcher, &error, cli, "run", db,
                                                                "--provider=sim", mcp, bad[i],
                                                                "task", NULL);
        g_autofree char *out = NULL;

        g_assert_no_error (error);
        g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &out, &error));
        g_assert_no_error (error);
        g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 2);
        g_assert_nonnull (strstr (out, "--mcp-client-id must be NAME=ID"));
      }
    g_mutex_lock (&auth.mutex);
    g_assert_cmpuint (auth.unauthorized, ==, 0);
    g_mutex_unlock (&auth.mutex);
  }

  process = g_subprocess_launcher_spawn (launcher, &error, cli, "run", db,
                                         "--provider=scripted", "--tools=calculator",
                                         "--approve=yes", mcp,
                                         "--mcp-client-id=auth=cli-client",
                                         "--script", script, "Ask the server who I am", NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL)
    {
      /* The address, on a line of its own: the person opens it. */
      if (g_str_has_prefix (line, "  http://"))
        {
          g_mutex_lock (&keyring_mutex);
          g_ptr_array_add (browsers, g_thread_new ("browser", browser_thread,
                                                   g_strdup (line + 2)));
          g_mutex_unlock (&keyring_mutex);
        }
      g_string_append_printf (all, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("reins-cli: %s", all->str);
  g_assert_nonnull (strstr (all->str, "client_id=cli-client&"));
  g_assert_nonnull (strstr (all->str, "step   1  auth__whoami"));
  g_assert_nonnull (strstr (all->str, "Completed in 2 steps"));

  g_mutex_lock (&auth.mutex);
  g_assert_cmpuint (auth.registrations, ==, 0);
  g_assert_cmpstr (auth.auth_client, ==, "cli-client");
  g_assert_cmpuint (auth.code_grants, ==, 1);
  g_mutex_unlock (&auth.mutex);
  /* Never a token on stderr. */
  g_assert_null (strstr (all->str, "Bearer"));

  {
    g_autofree char *file = g_build_filename (dir, "runs.db", NULL);

    g_unlink (file);
    g_unlink (script);
    g_rmdir (dir);
  }
}

/* Each way the flow can go wrong fails the server with a message that says so; no token
 * is asked for, the browser opens only where it must. */
static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  static const struct
  {
    Bad         bad;
    const char *says;
    guint       browser;
  } cases[] = {
    { BAD_PRM_NOT_JSON, "protected resource metadata cannot be read", 0 },
    { BAD_PRM_NO_SERVERS, "names no authorization server", 0 },
    { BAD_PRM_OTHER_RESOURCE, "about another resource", 0 },
    { BAD_AS_ISSUER, "names another issuer", 0 },
    { BAD_AS_NO_PKCE, "PKCE with S256", 0 },
    { BAD_WRONG_STATE, "wrong state", 1 },
    { BAD_DENIED, "access_denied", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ReinsMcpClient) client = NULL;

      browser_opened = 0;
      g_mutex_lock (&auth.mutex);
      auth.bad = cases[i].bad;
      auth.code_grants = 0;
      g_mutex_unlock (&auth.mutex);
      g_hash_table_remove_all (keyring);

      client = start (f, &error);
      g_assert_null (client);
      g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_nonnull (strstr (error->message, "needs authorization"));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_cmpuint (browser_opened, ==, cases[i].browser);
      g_mutex_lock (&auth.mutex);
      g_assert_cmpuint (auth.code_grants, ==, 0);
      g_mutex_unlock (&auth.mutex);
      g_assert_false (saved_holds (f->url, "access_token"));
    }
}

/* A server of MCP 2025-03-26 without any metadata: its origin's default endpoints. */
static void
test_legacy_fallback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  g_mutex_lock (&auth.mutex);
  auth.bad = LEGACY;
  g_mutex_unlock (&auth.mutex);
  client = start (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (browser_opened, ==, 1);
  g_mutex_lock (&auth.mutex);
  /* Both well-known paths of the resource were tried, then the origin's endpoints used. */
  g_assert_cmpuint (auth.registrations, ==, 1);
  g_assert_cmpuint (auth.code_grants, ==, 1);
  g_assert_cmpstr (auth.verifier_ok, ==, "yes");
  g_assert_cmpstr (auth.auth_resource, ==, f->url);
  g_mutex_unlock (&auth.mutex);
  reins_mcp_client_stop (client);
}

/* Nobody to open the browser: a clear error, not a hang. */
static void
test_nobody (Fixture       *f,
             gconstpointer  data)
{
  static const ReinsMcpOAuthHooks no_browser = { NULL, load, save };
  g_autoptr(GError) error = NULL;
  g_autoptr(ReinsMcpClient) client = NULL;

  reins_mcp_oauth_set_hooks (&no_browser, NULL);
  client = start (f, &error);
  g_assert_null (client);
  g_assert_error (error, REINS_ERROR, REINS_ERROR_MCP);
  g_assert_nonnull (strstr (error->message, "nobody is here"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/mcp-oauth/flow", test_flow);
  ADD ("/mcp-oauth/no-auth-needed", test_no_auth_needed);
  ADD ("/mcp-oauth/expired-refreshed", test_expired_refreshed);
  ADD ("/mcp-oauth/refresh-before-expiry", test_refresh_before_expiry);
  ADD ("/mcp-oauth/refresh-refused", test_refresh_refused);
  ADD ("/mcp-oauth/step-up", test_step_up);
  ADD ("/mcp-oauth/preregistered", test_preregistered);
  ADD ("/mcp-oauth/client-from-environment", test_client_from_environment);
  ADD ("/mcp-oauth/default-client", test_default_client);
  ADD ("/mcp-oauth/cli-client-id", test_cli_client_id);
  ADD ("/mcp-oauth/failures", test_failures);
  ADD ("/mcp-oauth/legacy-fallback", test_legacy_fallback);
  ADD ("/mcp-oauth/nobody", test_nobody);
#undef ADD

  return g_test_run ();
}
