namespace GanAi.Connections
{
    /// <summary>
    /// The default connection of this PowerShell process, set by Connect-GanAi. It is shared by all
    /// runspaces of the process, so ForEach-Object -Parallel works without passing -Connection; a
    /// script that needs two connections at once passes -Connection explicitly.
    /// </summary>
    internal static class ConnectionStore
    {
        private static readonly object Gate = new object();
        private static GanConnection? _current;

        public static GanConnection? Current
        {
            get { lock (Gate) return _current; }
        }

        public static void Set(GanConnection connection)
        {
            lock (Gate) _current = connection;
        }

        /// <summary>Forgets the default connection; returns whether there was one.</summary>
        public static bool Clear()
        {
            lock (Gate)
            {
                var had = _current != null;
                _current = null;
                return had;
            }
        }
    }
}
