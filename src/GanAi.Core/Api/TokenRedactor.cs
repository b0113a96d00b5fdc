using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GanAi.Api
{
    /// <summary>
    /// Takes the caller's token out of what the service wrote (a reason phrase, an error's detail, a
    /// 200 answer's fields), should it ever echo the request. It works on what a person sees: the
    /// decoded text of every JSON string, so an echo hidden in <c>\u</c> or <c>\/</c> escapes is
    /// caught too. Matched, in any case:
    /// <list type="bullet">
    /// <item>the whole token;</item>
    /// <item>any run of <see cref="MinRun"/> or more characters of its secret part (an echo cut short,
    /// or split across two fields): for a JWT its signature; its payload only whole and its header
    /// never, since every JWT starts with the same few header characters (a CDN URL that carries
    /// another JWT must come through unchanged); for any other token, the whole token;</item>
    /// <item>the base64 and base64url of the token and of "Bearer &lt;token&gt;" at each of the three
    /// byte alignments, as they appear inside the base64 of a longer text (an encoded header line);</item>
    /// <item>the token URL-escaped and JSON-escaped (also PHP's <c>\/</c>), as a service that encodes
    /// twice leaves them in a decoded string: runs of what comes from the secret part, the rest whole.</item>
    /// </list>
    /// Overlapping or adjacent matches become one <see cref="Placeholder"/>. Built per request from
    /// the token's text and dropped with it: nothing derived from the token outlives the request.
    /// </summary>
    /// <remarks>
    /// Case is folded for ASCII letters only: tokens are ASCII in practice (base64, hex or JWT text).
    /// A token with other characters is still matched, as written, by slower direct searches, and
    /// its answers are always decoded.
    /// <para>
    /// Speed: a bulk answer (~50 KB) that does not hold the token is not decoded. Every pattern of
    /// <see cref="MinRun"/> or more ASCII characters has its 4-character grams indexed (ASCII-case
    /// folded), and the raw bytes are probed at every <see cref="Stride"/>th position only. That
    /// misses nothing: a run of L &gt;= 8 characters at [s, s+L) holds the gram starting at p for every
    /// p in [s, s+L-4], which is L-3 &gt;= 5 consecutive positions, and any 5 consecutive integers hold
    /// a multiple of 5. So every run of 8 or more characters of a pattern has one of its grams probed.
    /// A pattern matched only whole needs only the five grams of any 8 of its characters indexed: its
    /// last 8 are taken, where a JWT's forms hold its signature (their starts, the JWT header, are
    /// what every JWT shares, and would send every other JWT in an answer to be verified). A probe
    /// hit is verified before anything is decoded.
    /// Without a backslash in the body, JSON strings are their raw bytes, so the raw scan sees what
    /// decoding would; with one (any escape could hide the token) the body is decoded.
    /// </para>
    /// </remarks>
    internal sealed class TokenRedactor
    {
        public const string Placeholder = "[the token]";

        /// <summary>An echo cut shorter than this is not taken for the token (it would match too much).</summary>
        public const int MinRun = 8;

        private const int Gram = 4;

        /// <summary>MinRun - Gram + 1: the widest stride that still sees a gram of every run of MinRun (see the remarks).</summary>
        private const int Stride = MinRun - Gram + 1;

        /// <summary>Sets the ASCII case bit of each byte of a gram: the probe's key, equal for grams equal in any ASCII case.</summary>
        private const uint CaseBits = 0x20202020u;

        /// <summary>Fibonacci hashing: the top bits of key * 2^32/phi pick the slot.</summary>
        private const uint HashFactor = 0x9E3779B1u;

        private static readonly string FoldedBase64 = Fold("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        private static readonly string FoldedBase64Url = Fold("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        private static readonly byte[] BearerPrefix = Encoding.ASCII.GetBytes("Bearer ");

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Only what JSON requires is escaped: a rewritten URL keeps its '+', '&' and '<' as they were.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        // The reader keeps its depth in a bit stack (no recursion): an answer too deep for the module's
        // own parsing is still read here, so its strings are decoded before anyone shows them.
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { MaxDepth = 4096 };

        /// <summary>Patterns of MinRun or more ASCII characters, found through the gram index.</summary>
        private readonly Pattern[] _indexed;

        /// <summary>Patterns shorter than MinRun (matched whole) or with other than ASCII characters: searched for directly.</summary>
        private readonly Pattern[] _direct;

        /// <summary>Every pattern is ASCII: a body's raw UTF-8 bytes can be scanned without decoding.</summary>
        private readonly bool _scanBytes;

        // The gram index: open addressing over the grams' keys (0 marks a free slot: a key always has
        // its case bits set), each slot heading a chain of (pattern, offset) entries.
        private readonly uint[] _keys;
        private readonly int[] _heads;
        private readonly int _shift;
        private readonly int[] _entryPattern;
        private readonly int[] _entryOffset;
        private readonly int[] _entryNext;

        public TokenRedactor(string token)
        {
            if (token is null) throw new ArgumentNullException(nameof(token));
            var patterns = new PatternList();
            if (token.Length > 0) AddForms(patterns, token);

            var indexed = new List<Pattern>(patterns.Count);
            var direct = new List<Pattern>();
            var entries = 0;
            var ascii = true;
            foreach (var pattern in patterns.Items)
            {
                ascii &= pattern.IsAscii;
                if (pattern.IsAscii && pattern.Text.Length >= MinRun)
                {
                    indexed.Add(pattern);
                    entries += pattern.Runs ? pattern.Text.Length - Gram + 1 : Stride;
                }
                else
                {
                    direct.Add(pattern);
                }
            }
            _indexed = indexed.ToArray();
            _direct = direct.ToArray();
            _scanBytes = ascii;

            var bits = 4;
            while ((1 << bits) < entries * 4) bits++;
            _shift = 32 - bits;
            _keys = new uint[1 << bits];
            _heads = new int[1 << bits];
            _entryPattern = new int[entries];
            _entryOffset = new int[entries];
            _entryNext = new int[entries];
            var entry = 0;
            for (var p = 0; p < _indexed.Length; p++)
            {
                var text = _indexed[p].Text;
                // A run: every gram. A whole pattern: the five grams of its last MinRun characters,
                // where a JWT's forms end in its signature (their starts are what every JWT shares).
                var first = _indexed[p].Runs ? 0 : text.Length - MinRun;
                for (var offset = first; offset <= text.Length - Gram; offset++)
                {
                    var key = (uint)(text[offset] | text[offset + 1] << 8 | text[offset + 2] << 16 | text[offset + 3] << 24) | CaseBits;
                    var slot = SlotOf(key);
                    while (_keys[slot] != 0 && _keys[slot] != key) slot = (slot + 1) & (_keys.Length - 1);
                    if (_keys[slot] == 0)
                    {
                        _keys[slot] = key;
                        _heads[slot] = -1;
                    }
                    _entryPattern[entry] = p;
                    _entryOffset[entry] = offset;
                    _entryNext[entry] = _heads[slot];
                    _heads[slot] = entry++;
                }
            }
        }

        /// <summary><paramref name="text"/> with every echo of the token replaced; the same instance when there is none.</summary>
        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            List<Hit>? hits = null;
            Find(new Utf16Source(text), ref hits, all: true);
            if (hits is null) return text;

            hits.Sort((a, b) => a.Start.CompareTo(b.Start));
            var result = new StringBuilder(text.Length);
            var copied = 0;
            var at = 0;
            while (at < hits.Count)
            {
                var start = hits[at].Start;
                var end = hits[at].End;
                // Overlapping or adjacent matches (the JWT's parts, a base64 run and its "Bearer") are one echo.
                for (at++; at < hits.Count && hits[at].Start <= end; at++) end = Math.Max(end, hits[at].End);
                result.Append(text, copied, start - copied).Append(Placeholder);
                copied = end;
            }
            return result.Append(text, copied, text.Length - copied).ToString();
        }

        /// <summary>
        /// <paramref name="exception"/>, or a copy of it without the token when a message of it or of
        /// an inner exception quotes it: .NET's own messages quote what the service sent ("Received an
        /// invalid header line: '...'"), and they reach row errors, verbose lines and the journal. The
        /// copy keeps what the module tells failures apart by (an HttpRequestException stays one, an
        /// IOException one, an OS socket error as it was); each message is redacted, the stack traces go.
        /// </summary>
        public Exception WithoutToken(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (!ReferenceEquals(Redact(e.Message), e.Message)) return Copy(exception);
            }
            return exception;
        }

        private Exception Copy(Exception exception)
        {
            var inner = exception.InnerException is null ? null : Copy(exception.InnerException);
            var message = Redact(exception.Message);
            switch (exception)
            {
                case System.Net.Sockets.SocketException _ when ReferenceEquals(message, exception.Message):
                    return exception; // the operating system's text, its error code kept
                case HttpRequestException _:
                    return new HttpRequestException(message, inner);
                case IOException _:
                    return new IOException(message, inner);
                default:
                    return new InvalidOperationException(message, inner); // what the module does not tell apart stays so
            }
        }

        /// <summary>
        /// A UTF-8 answer with every echo of the token replaced; the same array when there is none.
        /// JSON stays JSON: each string value and property name is decoded and redacted, and only the
        /// strings that changed are written again (with <see cref="Utf8JsonWriter"/>); every other byte
        /// is kept as it was. Anything else (an HTML error page) is redacted as UTF-8 text.
        /// </summary>
        public byte[] RedactBody(byte[] body)
        {
            if (body is null) throw new ArgumentNullException(nameof(body));
            if (body.Length == 0) return body;
            // The quick answer for the usual body: no escape to hide the token and no probe that holds.
            if (_scanBytes && new ReadOnlySpan<byte>(body).IndexOf((byte)'\\') < 0 && !Holds(body, 0, body.Length)) return body;
            return RedactJson(body) ?? RedactText(body);
        }

        /// <summary>Whether the raw bytes body[start..start+length) hold a match (ASCII patterns only).</summary>
        private bool Holds(byte[] body, int start, int length)
        {
            List<Hit>? none = null;
            return Find(new Utf8Source(body, start, length), ref none, all: false);
        }

        /// <summary>The body with its JSON strings redacted; null when it is not JSON.</summary>
        private byte[]? RedactJson(byte[] body)
        {
            var start = body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0; // a UTF-8 BOM
            List<Edit>? edits = null;
            try
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(body, start, body.Length - start), ReaderOptions);
                while (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.String && reader.TokenType != JsonTokenType.PropertyName) continue;
                    // TokenStartIndex is the opening quote; ValueSpan is the raw text between the quotes.
                    var quote = start + (int)reader.TokenStartIndex;
                    var length = reader.ValueSpan.Length;
                    var escaped = reader.ValueSpan.IndexOf((byte)'\\') >= 0;
                    if (!escaped && _scanBytes && !Holds(body, quote + 1, length)) continue;
                    var text = DecodeJsonString(body, quote + 1, length, escaped);
                    var redacted = Redact(text);
                    if (!ReferenceEquals(text, redacted)) (edits ??= new List<Edit>()).Add(new Edit(quote, length + 2, redacted));
                }
            }
            catch (JsonException)
            {
                return null;
            }
            if (edits is null) return body;

            using var output = new MemoryStream(body.Length);
            using var writer = new Utf8JsonWriter(output, WriterOptions);
            var copied = 0;
            foreach (var edit in edits)
            {
                output.Write(body, copied, edit.At - copied);
                writer.WriteStringValue(WithoutLoneSurrogates(edit.Text));
                writer.Flush();
                writer.Reset(); // the next string is a value of its own, not the next item of a list
                copied = edit.At + edit.Length;
            }
            output.Write(body, copied, body.Length - copied);
            return output.ToArray();
        }

        private byte[] RedactText(byte[] body)
        {
            var text = Encoding.UTF8.GetString(body);
            var redacted = Redact(text);
            return ReferenceEquals(text, redacted) ? body : Encoding.UTF8.GetBytes(redacted);
        }

        /// <summary>
        /// The text of a JSON string the reader has checked. Lenient where GetString is not: a lone
        /// surrogate escape is kept as a char and invalid UTF-8 becomes U+FFFD, so no string is left
        /// unread because of them.
        /// </summary>
        private static string DecodeJsonString(byte[] body, int start, int length, bool escaped)
        {
            if (!escaped) return Encoding.UTF8.GetString(body, start, length);
            var text = new char[length]; // never more chars than bytes: an escape is longer than its char
            var count = 0;
            var at = start;
            var end = start + length;
            while (at < end)
            {
                var slash = new ReadOnlySpan<byte>(body, at, end - at).IndexOf((byte)'\\');
                var plain = slash < 0 ? end - at : slash;
                // An escape starts with an ASCII byte, so no UTF-8 sequence is split here.
                if (plain > 0) count += Encoding.UTF8.GetChars(body, at, plain, text, count);
                at += plain;
                if (at >= end) break;
                var kind = at + 1 < end ? body[at + 1] : (byte)'\\';
                at += 2;
                switch (kind)
                {
                    case (byte)'b': text[count++] = '\b'; break;
                    case (byte)'f': text[count++] = '\f'; break;
                    case (byte)'n': text[count++] = '\n'; break;
                    case (byte)'r': text[count++] = '\r'; break;
                    case (byte)'t': text[count++] = '\t'; break;
                    case (byte)'u':
                        var code = 0;
                        for (var i = 0; i < 4 && at < end; i++, at++) code = code * 16 + HexValue(body[at]);
                        text[count++] = (char)code;
                        break;
                    default: text[count++] = (char)kind; break; // '"', '\\', '/'
                }
            }
            return new string(text, 0, count);
        }

        private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

        /// <summary>A lone surrogate (kept by the lenient decoding) becomes U+FFFD: the writer is never given invalid UTF-16.</summary>
        private static string WithoutLoneSurrogates(string text)
        {
            char[]? chars = null;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if (!char.IsSurrogate(c)) continue;
                chars ??= text.ToCharArray();
                chars[i] = '\uFFFD';
            }
            return chars is null ? text : new string(chars);
        }

        // ---- Finding ----

        /// <summary>
        /// Finds the matches in <paramref name="source"/>: every one into <paramref name="hits"/> when
        /// <paramref name="all"/>, else only whether there is one.
        /// </summary>
        private bool Find<T>(T source, ref List<Hit>? hits, bool all) where T : struct, ISource
        {
            var found = false;
            foreach (var pattern in _direct)
            {
                if (!source.IsUtf16 && !pattern.IsAscii) continue; // never: a body with such a pattern is decoded first
                found |= pattern.Runs ? FindRunsDirectly(source, pattern.Text, ref hits, all) : FindWholeDirectly(source, pattern.Text, ref hits, all);
                if (found && !all) return true;
            }

            // The probe loop, kept small: most bodies never get past the table's empty slot.
            var keys = _keys;
            var mask = keys.Length - 1;
            var shift = _shift;
            var last = source.Length - Gram;
            for (var at = 0; at <= last; at += Stride)
            {
                if (!source.TryGetKey(at, out var key)) continue;
                var slot = (int)((key * HashFactor) >> shift);
                uint slotKey;
                while ((slotKey = keys[slot]) != key && slotKey != 0) slot = (slot + 1) & mask;
                if (slotKey == 0) continue;
                if (Verify(source, at, _heads[slot], ref hits, all))
                {
                    if (!all) return true;
                    found = true;
                }
            }
            return found;
        }

        /// <summary>The matches through the gram at <paramref name="at"/>, whose key heads the chain of entries from <paramref name="entry"/>.</summary>
        private bool Verify<T>(T source, int at, int entry, ref List<Hit>? hits, bool all) where T : struct, ISource
        {
            var found = false;
            var length = source.Length;
            for (; entry >= 0; entry = _entryNext[entry])
            {
                var pattern = _indexed[_entryPattern[entry]];
                var offset = _entryOffset[entry];
                int start, end;
                if (pattern.Runs)
                {
                    // The gram's key folds more than ASCII case (e.g. '@' and '`'): check it exactly, then grow it both ways.
                    if (!Matches(source, at, pattern.Text, offset, Gram)) continue;
                    var left = 0;
                    while (at - left > 0 && offset - left > 0 && Same(source[at - left - 1], pattern.Text[offset - left - 1])) left++;
                    var right = Gram;
                    while (at + right < length && offset + right < pattern.Text.Length && Same(source[at + right], pattern.Text[offset + right])) right++;
                    if (left + right < MinRun) continue;
                    start = at - left;
                    end = at + right;
                }
                else
                {
                    start = at - offset;
                    end = start + pattern.Text.Length;
                    if (start < 0 || end > length || !Matches(source, start, pattern.Text, 0, pattern.Text.Length)) continue;
                }
                if (!all) return true;
                found = true;
                (hits ??= new List<Hit>()).Add(new Hit(start, end));
            }
            return found;
        }

        private static bool FindWholeDirectly<T>(T source, string pattern, ref List<Hit>? hits, bool all) where T : struct, ISource
        {
            var found = false;
            var first = pattern[0];
            var firstUpper = first >= 'a' && first <= 'z' ? (char)(first - 0x20) : first;
            for (var at = source.IndexOfEither(first, firstUpper, 0); at >= 0; at = source.IndexOfEither(first, firstUpper, at + 1))
            {
                if (at + pattern.Length > source.Length || !Matches(source, at, pattern, 0, pattern.Length)) continue;
                if (!all) return true;
                found = true;
                (hits ??= new List<Hit>()).Add(new Hit(at, at + pattern.Length));
            }
            return found;
        }

        /// <summary>Every maximal run of MinRun or more characters of <paramref name="secret"/> (a token that is not ASCII: rare, so plain).</summary>
        private static bool FindRunsDirectly<T>(T source, string secret, ref List<Hit>? hits, bool all) where T : struct, ISource
        {
            var found = false;
            for (var at = 0; at <= source.Length - MinRun; at++)
            {
                for (var offset = 0; offset <= secret.Length - MinRun; offset++)
                {
                    if (at > 0 && offset > 0 && Same(source[at - 1], secret[offset - 1])) continue; // not where a run starts
                    var run = 0;
                    while (at + run < source.Length && offset + run < secret.Length && Same(source[at + run], secret[offset + run])) run++;
                    if (run < MinRun) continue;
                    if (!all) return true;
                    found = true;
                    (hits ??= new List<Hit>()).Add(new Hit(at, at + run));
                }
            }
            return found;
        }

        private static bool Matches<T>(T source, int at, string pattern, int offset, int count) where T : struct, ISource
        {
            for (var i = 0; i < count; i++)
            {
                if (!Same(source[at + i], pattern[offset + i])) return false;
            }
            return true;
        }

        /// <summary>Whether <paramref name="c"/> is the pattern's (folded) character in some ASCII case.</summary>
        private static bool Same(int c, char folded) => ((uint)(c - 'A') <= 'Z' - 'A' ? c | 0x20 : c) == folded;

        private int SlotOf(uint key) => (int)((key * HashFactor) >> _shift);

        // ---- The forms of the token ----

        private static void AddForms(PatternList patterns, string token)
        {
            // A JWT: three non-empty parts, the first a base64url JSON object ("eyJ" is '{"').
            var dot1 = token.IndexOf('.');
            var dot2 = dot1 < 0 ? -1 : token.IndexOf('.', dot1 + 1);
            var isJwt = token.StartsWith("eyJ", StringComparison.Ordinal) && dot1 > 0 && dot2 > dot1 + 1 && dot2 < token.Length - 1 && token.IndexOf('.', dot2 + 1) < 0;
            var payload = isJwt ? token.Substring(dot1 + 1, dot2 - dot1 - 1) : null;
            var secret = isJwt ? token.Substring(dot2 + 1) : token;

            // (a), (b): the token whole; its secret part by runs; a JWT's payload whole. Folding is per
            // character, so the parts of the folded token are the folded parts.
            var folded = Fold(token);
            var ascii = IsAscii(token);
            patterns.AddFolded(folded, runs: false, ascii);
            patterns.AddFolded(isJwt ? folded.Substring(dot2 + 1) : folded, runs: true, ascii);
            if (isJwt) patterns.AddFolded(folded.Substring(dot1 + 1, dot2 - dot1 - 1), runs: false, ascii);

            // (d): escaped as a service that encodes twice leaves it in a decoded string. An escape
            // that changes nothing adds nothing; letters, digits, '-', '_' and '.' (all a JWT has) none
            // of them changes, and skipping them keeps building a redactor for a long JWT cheap.
            if (!IsUnreserved(token))
            {
                AddEscaped(patterns, token, secret, payload, Uri.EscapeDataString);
                AddEscaped(patterns, token, secret, payload, JsonDefault);
                AddEscaped(patterns, token, secret, payload, JsonRelaxed);
                AddEscaped(patterns, token, secret, payload, s => JsonRelaxed(s).Replace("/", "\\/")); // PHP's json_encode
                AddEscaped(patterns, token, secret, payload, s => JsonDefault(s).Replace("/", "\\/"));
            }

            // (c): base64 and base64url of "Bearer <token>" at each alignment; the token's own forms are
            // their tails (the token starts 7 bytes in: at the next alignment, whole groups later).
            var tokenBytes = Encoding.UTF8.GetBytes(token);
            var bearer = new byte[BearerPrefix.Length + tokenBytes.Length];
            BearerPrefix.CopyTo(bearer, 0);
            tokenBytes.CopyTo(bearer, BearerPrefix.Length);
            for (var alignment = 0; alignment < 3; alignment++)
            {
                var (standard, url, first) = Base64Determined(bearer, alignment);
                patterns.AddFolded(standard, runs: false, ascii: true);
                patterns.AddFolded(url, runs: false, ascii: true);
                // Where the token's own chars start: its alignment there, shifted by the groups "Bearer " and the padding fill.
                var tokenAlignment = (alignment + BearerPrefix.Length) % 3;
                var groups = (alignment + BearerPrefix.Length - tokenAlignment) / 3;
                var skip = FirstDetermined(tokenAlignment) + 4 * groups - first;
                // A form shorter than MinRun is a few characters whose bits the neighbours share: it would match ordinary text.
                if (standard.Length - skip < MinRun) continue;
                patterns.AddFolded(standard.Substring(skip), runs: false, ascii: true);
                patterns.AddFolded(url.Substring(skip), runs: false, ascii: true);
            }
        }

        private static bool IsAscii(string text)
        {
            foreach (var c in text)
            {
                if (c >= 0x80) return false;
            }
            return true;
        }

        private static bool IsUnreserved(string text)
        {
            foreach (var c in text)
            {
                if (!((uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '-' || c == '_' || c == '.')) return false;
            }
            return true;
        }

        private static string JsonDefault(string s) => JsonEncodedText.Encode(s).ToString();

        private static string JsonRelaxed(string s) => JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

        private static void AddEscaped(PatternList patterns, string token, string secret, string? payload, Func<string, string> escape)
        {
            var escaped = escape(token);
            if (escaped == token) return; // escaping is per character: its parts are unchanged too
            patterns.Add(escaped, runs: false);
            patterns.Add(escape(secret), runs: true);
            if (payload != null) patterns.Add(escape(payload), runs: false);
        }

        /// <summary>Index of the first base64 character fully set by the data when <paramref name="alignment"/> bytes precede it in its group: ceil(8a/6).</summary>
        private static int FirstDetermined(int alignment) => (8 * alignment + 5) / 6;

        /// <summary>
        /// The base64 and base64url characters (folded) that <paramref name="data"/> fully determines
        /// when it starts <paramref name="alignment"/> bytes into a 3-byte group: characters i with bits
        /// [6i, 6i+6) inside the data's bits [8a, 8a+8n); the ones its neighbours share are left out.
        /// </summary>
        private static (string Standard, string Url, int First) Base64Determined(byte[] data, int alignment)
        {
            // The whole groups of [alignment zero bytes, data, zero fill], then the determined part of them.
            var padded = new byte[(alignment + data.Length + 2) / 3 * 3];
            Buffer.BlockCopy(data, 0, padded, alignment, data.Length);
            var standard = new char[padded.Length / 3 * 4];
            var url = new char[standard.Length];
            for (int i = 0, o = 0; i < padded.Length; i += 3, o += 4)
            {
                var group = padded[i] << 16 | padded[i + 1] << 8 | padded[i + 2];
                int c0 = group >> 18, c1 = (group >> 12) & 63, c2 = (group >> 6) & 63, c3 = group & 63;
                standard[o] = FoldedBase64[c0];
                standard[o + 1] = FoldedBase64[c1];
                standard[o + 2] = FoldedBase64[c2];
                standard[o + 3] = FoldedBase64[c3];
                url[o] = FoldedBase64Url[c0];
                url[o + 1] = FoldedBase64Url[c1];
                url[o + 2] = FoldedBase64Url[c2];
                url[o + 3] = FoldedBase64Url[c3];
            }
            var first = FirstDetermined(alignment);
            var end = 8 * (alignment + data.Length) / 6; // characters i with 6i+6 <= 8(a+n)
            return (new string(standard, first, end - first), new string(url, first, end - first), first);
        }

        /// <summary>ASCII letters lower-cased, every other character as it is.</summary>
        private static string Fold(string text)
        {
            var at = 0;
            while (at < text.Length && (uint)(text[at] - 'A') > 'Z' - 'A') at++;
            if (at == text.Length) return text;
            var chars = text.ToCharArray();
            for (; at < chars.Length; at++)
            {
                if ((uint)(chars[at] - 'A') <= 'Z' - 'A') chars[at] = (char)(chars[at] | 0x20);
            }
            return new string(chars);
        }

        // ---- Types ----

        private readonly struct Hit
        {
            public Hit(int start, int end)
            {
                Start = start;
                End = end;
            }

            public int Start { get; }
            public int End { get; }
        }

        private readonly struct Edit
        {
            public Edit(int at, int length, string text)
            {
                At = at;
                Length = length;
                Text = text;
            }

            /// <summary>The string's opening quote in the body.</summary>
            public int At { get; }

            /// <summary>Bytes from the opening quote to the closing one, both included.</summary>
            public int Length { get; }

            public string Text { get; }
        }

        private sealed class Pattern
        {
            public Pattern(string folded, bool runs, bool ascii)
            {
                Text = folded;
                Runs = runs && folded.Length >= MinRun; // a shorter secret is matched whole only
                IsAscii = ascii;
            }

            /// <summary>ASCII letters lower-cased.</summary>
            public string Text { get; }

            /// <summary>Any run of MinRun or more of it is matched; otherwise only the whole.</summary>
            public bool Runs { get; set; }

            public bool IsAscii { get; }
        }

        /// <summary>The distinct patterns: one of the same text that runs covers one that is whole.</summary>
        private sealed class PatternList
        {
            public List<Pattern> Items { get; } = new List<Pattern>(24);

            public int Count => Items.Count;

            public void Add(string text, bool runs) => AddFolded(Fold(text), runs, IsAscii(text));

            public void AddFolded(string folded, bool runs, bool ascii)
            {
                if (folded.Length == 0) return;
                foreach (var known in Items)
                {
                    if (known.Text != folded) continue;
                    if (runs && folded.Length >= MinRun) known.Runs = true;
                    return;
                }
                Items.Add(new Pattern(folded, runs, ascii));
            }
        }

        /// <summary>Text to search: a body's raw UTF-8 bytes or a decoded string. Structs, so each search is compiled for its source.</summary>
        private interface ISource
        {
            bool IsUtf16 { get; }

            int Length { get; }

            int this[int index] { get; }

            /// <summary>The probe's key of the gram at <paramref name="at"/>; false when it cannot be an ASCII gram.</summary>
            bool TryGetKey(int at, out uint key);

            int IndexOfEither(char a, char b, int from);
        }

        private readonly struct Utf8Source : ISource
        {
            private readonly byte[] _bytes;
            private readonly int _start;

            public Utf8Source(byte[] bytes, int start, int length)
            {
                _bytes = bytes;
                _start = start;
                Length = length;
            }

            public bool IsUtf16 => false;

            public int Length { get; }

            public int this[int index] => _bytes[_start + index];

            public bool TryGetKey(int at, out uint key)
            {
                var i = _start + at;
                // A byte over 0x7F keeps its high bit: such a key is in no ASCII pattern.
                key = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_bytes, i, 4)) | CaseBits;
                return true;
            }

            public int IndexOfEither(char a, char b, int from)
            {
                if (a > 0x7F || b > 0x7F) return -1; // an ASCII pattern's first character is ASCII
                var hit = new ReadOnlySpan<byte>(_bytes, _start + from, Length - from).IndexOfAny((byte)a, (byte)b);
                return hit < 0 ? -1 : from + hit;
            }
        }

        private readonly struct Utf16Source : ISource
        {
            private readonly string _text;

            public Utf16Source(string text) => _text = text;

            public bool IsUtf16 => true;

            public int Length => _text.Length;

            public int this[int index] => _text[index];

            public bool TryGetKey(int at, out uint key)
            {
                int c0 = _text[at], c1 = _text[at + 1], c2 = _text[at + 2], c3 = _text[at + 3];
                key = (uint)(c0 | c1 << 8 | c2 << 16 | c3 << 24) | CaseBits;
                return (c0 | c1 | c2 | c3) < 0x80;
            }

            public int IndexOfEither(char a, char b, int from)
            {
                var hit = _text.AsSpan(from).IndexOfAny(a, b);
                return hit < 0 ? -1 : from + hit;
            }
        }
    }
}
