using System;
using System.Net;

namespace GanAi.Api
{
    /// <summary>Checks a base URI before a token is ever sent to it.</summary>
    internal static class ConnectionAddress
    {
        public static readonly Uri DefaultBaseUri = new Uri("https://api.gan.ai/");

        /// <summary>
        /// Accepts https:// anywhere and http:// only on loopback (the emulator), so the bearer token
        /// never crosses a network in clear text. Returns the URI with a trailing slash, so relative
        /// paths resolve under it.
        /// </summary>
        public static Uri Validate(Uri baseUri)
        {
            if (baseUri is null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri)
                throw new ArgumentException("The base URI is not absolute; give one such as https://api.gan.ai.");
            var shown = Display(baseUri);
            if (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp)
                throw new ArgumentException($"The base URI '{shown}' must use https:// (or http:// on this computer's loopback address).");
            if (baseUri.Scheme == Uri.UriSchemeHttp && !IsLoopback(baseUri))
                throw new ArgumentException(
                    $"The base URI '{shown}' uses plain http:// to a host that is not loopback; the token would cross the network unencrypted. Use https://, or http:// only with localhost, 127.0.0.0/8 or ::1 (the emulator).");
            if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment) || !string.IsNullOrEmpty(baseUri.UserInfo))
                throw new ArgumentException($"The base URI '{shown}' must not carry a query, a fragment or user information.");

            var text = baseUri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        /// <summary>The URI for messages: never its user information (it may hold a password).</summary>
        private static string Display(Uri uri) => uri.Scheme + "://" + uri.Authority + uri.AbsolutePath;

        public static bool IsLoopback(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
        }
    }
}
