using System;
using System.IO;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;

namespace GanAi.Accounts
{
    /// <summary>
    /// Signing in (POST /users/login), named tokens for scheduled jobs
    /// (POST /users/create_dynamic_token_v2) and project webhooks (POST /projects/{id}/webhook).
    /// Secrets go in and come out as SecureStrings; their text exists only inside the request body
    /// or the answer being read, and those buffers are cleared after use.
    /// </summary>
    internal static class AccountApi
    {
        /// <summary>Signs in with email and password; returns the access token (the bearer token).</summary>
        public static async Task<SecureString> LoginAsync(ApiCaller anonymous, string email, SecureString password, CancellationToken cancellationToken)
        {
            var body = Json(writer =>
            {
                writer.WriteString("email", email);
                writer.WriteString("password", SecureText.Reveal(password));
            });
            try
            {
                var answer = await anonymous.SendAsync(HttpMethod.Post, ApiPaths.Login, body, "Signing in", cancellationToken).ConfigureAwait(false);
                return ReadAccessToken(answer, "The sign-in answer");
            }
            finally
            {
                Array.Clear(body.Array!, body.Offset, body.Count);
            }
        }

        /// <summary>Creates a named token that expires after <paramref name="expiresIn"/> (whole minutes, at least one).</summary>
        public static async Task<SecureString> CreateDynamicTokenAsync(ApiCaller caller, string name, TimeSpan expiresIn, CancellationToken cancellationToken)
        {
            var minutes = (long)Math.Ceiling(expiresIn.TotalMinutes);
            var body = Json(writer =>
            {
                writer.WriteString("token_name", name);
                writer.WriteStartObject("expiry_time");
                writer.WriteNumber("days", minutes / (24 * 60));
                writer.WriteNumber("hours", minutes / 60 % 24);
                writer.WriteNumber("minutes", minutes % 60);
                writer.WriteEndObject();
            });
            var answer = await caller.SendAsync(HttpMethod.Post, ApiPaths.CreateDynamicToken, body, $"Creating token '{name}'", cancellationToken).ConfigureAwait(false);
            return ReadAccessToken(answer, "The new token's answer");
        }

        /// <summary>Turns the project's webhook on (with the URL and the Authorization header the service should send) or off.</summary>
        public static async Task SetWebhookAsync(ApiCaller caller, string projectId, Uri? url, bool enable, SecureString? authorization, CancellationToken cancellationToken)
        {
            var body = Json(writer =>
            {
                writer.WriteBoolean("enable", enable);
                if (url != null) writer.WriteString("url", url.AbsoluteUri);
                if (authorization != null) writer.WriteString("Authorization", "Bearer " + SecureText.Reveal(authorization));
            });
            try
            {
                await caller.SendAsync(HttpMethod.Post, ApiPaths.Webhook(projectId), body, $"Setting the webhook of project '{projectId}'", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.Clear(body.Array!, body.Offset, body.Count);
            }
        }

        private static ArraySegment<byte> Json(Action<Utf8JsonWriter> write)
        {
            var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
            return new ArraySegment<byte>(stream.GetBuffer(), 0, (int)stream.Length);
        }

        private static SecureString ReadAccessToken(ApiResponse answer, string what)
        {
            try
            {
                using var document = JsonDocument.Parse(answer.Body, new JsonDocumentOptions { MaxDepth = GanJsonContext.MaxDepth });
                if (document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("access_token", out var token) &&
                    token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } text)
                    return SecureText.Protect(text);
                throw new GanApiException(what + " holds no access_token.", answer.Status, null);
            }
            catch (JsonException ex)
            {
                throw new GanApiException(what + " is not JSON.", answer.Status, null, null, ex);
            }
            finally
            {
                Array.Clear(answer.Body, 0, answer.Body.Length);
            }
        }
    }
}
