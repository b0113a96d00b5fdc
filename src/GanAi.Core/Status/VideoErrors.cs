using System;
using System.IO;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;

namespace GanAi.Status
{
    /// <summary>The one mapping from what went wrong with a video (its status, waiting, its files) to an ErrorId and category.</summary>
    internal static class VideoErrors
    {
        public static Func<Exception, ItemError?> For(string? uniqueId, string? inferenceId) => exception =>
        {
            switch (exception)
            {
                case VideoException video:
                    return new ItemError(video.ErrorId, CategoryOf(video.ErrorId), video);
                case ArgumentException argument:
                    return new ItemError(ErrorIds.InvalidVideoReference, new VideoException(ErrorIds.InvalidVideoReference, argument.Message, uniqueId, inferenceId, null, argument));
                case Downloads.LocalFileException file:
                    return new ItemError(ErrorIds.FileNotWritten, new VideoException(ErrorIds.FileNotWritten,
                            $"Video {uniqueId ?? inferenceId}: {file.Message} Not retried (downloading again cannot make room or mend the folder); fix that and run again: files already saved are kept.",
                            uniqueId, inferenceId, null, file));
                case IOException io when !(io.InnerException is System.Net.Sockets.SocketException):
                    return new ItemError(ErrorIds.DownloadFailed, CategoryOf(ErrorIds.DownloadFailed),
                        new VideoException(ErrorIds.DownloadFailed, "The download failed: " + io.Message, uniqueId, inferenceId, null, io));
            }
            return ApiFailure.From(exception, ErrorIds.VideoNotFound) is { } failure ? ItemError.FromApi(failure, uniqueId, inferenceId) : null;
        };

        public static FailureCategory CategoryOf(string errorId) => Failures.CategoryOf(errorId);
    }
}
