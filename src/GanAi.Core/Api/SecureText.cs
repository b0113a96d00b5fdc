using System;
using System.Runtime.InteropServices;
using System.Security;

namespace GanAi.Api
{
    /// <summary>Moves secrets between SecureString and the one place that needs them as text.</summary>
    internal static class SecureText
    {
        /// <summary>
        /// The secret as text, for the one header or body that needs it. It is never logged, never
        /// part of a message, and lives only in the request being built.
        /// </summary>
        public static string Reveal(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
        public static SecureString Protect(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
