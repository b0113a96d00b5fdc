using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GanAi.Emulator.Endpoints;

/// <summary>
/// The fault EchoAuthorization: the request's Authorization header H and its bearer token T, quoted
/// back every way a careless service could (<see cref="FaultSettings.EchoAuthorization"/> lists
/// the forms and where each goes). Built once per answer.
/// </summary>
internal sealed class EchoForms
{
    // The newer forms are written with nothing escaped that JSON allows as is ("+" stays "+"), so a
    // test finds them in the raw bytes exactly as documented.
    private static readonly JavaScriptEncoder AsIs = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private EchoForms(string header)
    {
        Header = header;
        Token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : header;
    }

    public static EchoForms Of(HttpContext context) => new(context.Request.Headers.Authorization.ToString());

    public string Header { get; }

    public string Token { get; }

    /// <summary>
    /// The raw JSON of {"detail": ...}: the detail, then H as sent, upper-cased, URL-encoded and cut
    /// to 17 characters (escaped as System.Text.Json escapes them, as these answers always were), then
    /// T without its first 3 characters, T with every "/" as "\/", T as \uXXXX escapes only, and the
    /// base64 of the header line.
    /// </summary>
    public string ErrorBody(string detail)
    {
        var quoted = detail + " (request had Authorization: " + Header + "; as " + Header.ToUpperInvariant() +
            "; encoded " + Uri.EscapeDataString(Header) + "; cut " + Header[..Math.Min(Header.Length, 17)];
        var line = Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: " + Header));
        return "{\"detail\":\"" + JsonEncodedText.Encode(quoted).ToString() +
            Json("; from the 4th character " + Token[Math.Min(3, Token.Length)..] + "; slashes escaped ") + SlashesEscaped +
            Json("; every character escaped ") + EveryCharacterEscaped +
            Json("; header line in base64 " + line + ")") + "\"}";
    }

    /// <summary>A thumbnail_url with T's first half (T.Length / 2 characters, rounded down) as "?a=".</summary>
    public JsonEncodedText ThumbnailUrl(string url) => JsonEncodedText.Encode(url + "?a=" + Token[..(Token.Length / 2)], AsIs);

    /// <summary>A smart_url with the rest of T as "?b=".</summary>
    public JsonEncodedText SmartUrl(string url) => JsonEncodedText.Encode(url + "?b=" + Token[(Token.Length / 2)..], AsIs);

    /// <summary>A permalink with T in mixed case as "?c=": even positions (from 0) upper-cased, odd ones lower-cased.</summary>
    public JsonEncodedText Permalink(string url)
    {
        var mixed = string.Create(Token.Length, Token, (span, token) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = i % 2 == 0 ? char.ToUpperInvariant(token[i]) : char.ToLowerInvariant(token[i]);
        });
        return JsonEncodedText.Encode(url + "?c=" + mixed, AsIs);
    }

    /// <summary>An audio_url with "?d=" and T, as a raw JSON string whose every "/" of T is written "\/".</summary>
    public byte[] AudioUrlJson(string url) => Encoding.UTF8.GetBytes("\"" + Json(url + "?d=") + SlashesEscaped + "\"");

    /// <summary>T as PHP's json_encode writes it: "\/" for "/" (valid JSON: decoded, it is T).</summary>
    // The encoder escapes with backslash sequences that hold no "/", so every "/" left is the token's own.
    private string SlashesEscaped => Json(Token).Replace("/", "\\/", StringComparison.Ordinal);

    private string EveryCharacterEscaped => string.Concat(Token.Select(c => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)));

    private static string Json(string text) => JsonEncodedText.Encode(text, AsIs).ToString();
}
