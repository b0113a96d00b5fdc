using System;
using System.Management.Automation;

namespace GanAi.Connections
{
    /// <summary>
    /// Text given to a SecureString token parameter would fail with PowerShell's bare conversion
    /// error, which does not say how to make a SecureString. This says how instead, and never quotes
    /// the text: it is the token.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class SecureTokenAttribute : ArgumentTransformationAttribute
    {
        internal const string TextRefused =
            "-Token takes a SecureString, not text, so the token is never readable in the session. Type it: -Token (Read-Host -AsSecureString 'Gan.ai token'). " +
            "A value from a secret store or a file: -Token (ConvertTo-SecureString $value -AsPlainText -Force). Or set GANAI_API_TOKEN and leave -Token out.";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string) throw new ArgumentTransformationMetadataException(TextRefused);
            return inputData;
        }
    }
}
