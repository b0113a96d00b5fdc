using System;
using System.Globalization;

namespace GanAi.Api
{
    /// <summary>
    /// Every path the client calls, built in one place. Ids are escaped as one path segment (or one
    /// query value), so a '/', '?', '&amp;', '%' or control character in an id cannot change the
    /// path; ids made only of dots are refused, because '.' and '..' segments are resolved away by
    /// every URI parser (escaped or not) and would reach another resource.
    /// </summary>
    internal static class ApiPaths
    {
        public const string Login = "users/login";
        public const string CreateDynamicToken = "users/create_dynamic_token_v2";

        public static string BulkCreate(string projectId) => "create_video/bulk?project_id=" + Query(projectId, "project id");

        public static string Projects(int page) => "projects/v2?page=" + page.ToString(CultureInfo.InvariantCulture);

        public static string VideoStatus(string projectId, string inferenceId) =>
            "projects/" + Segment(projectId, "project id") + "/inference/" + Segment(inferenceId, "inference id") + "/video_status";

        public static string Webhook(string projectId) => "projects/" + Segment(projectId, "project id") + "/webhook";

        /// <summary>One path segment: escaped, never empty, never '.' or '..'.</summary>
        public static string Segment(string id, string what)
        {
            CheckId(id, what);
            if (id.Trim('.').Length == 0)
                throw new ArgumentException($"The {what} '{id}' is not valid: an id made only of dots would change the request's path.");
            return Uri.EscapeDataString(id);
        }

        private static string Query(string id, string what)
        {
            CheckId(id, what);
            return Uri.EscapeDataString(id);
        }

        private static void CheckId(string id, string what)
        {
            if (string.IsNullOrEmpty(id)) throw new ArgumentException($"The {what} is empty.");
        }
    }
}
