namespace GanAi.Emulator.Endpoints;

/// <summary>Error answers shaped like FastAPI's: {"detail": "text"} and 422 {"detail": [{type, loc, msg, input}]}.</summary>
internal static class FastApiErrors
{
    public static IResult Detail(int status, string detail) => Results.Json(new { detail }, statusCode: status);

    public static IResult Validation(IEnumerable<ValidationError> errors) =>
        Results.Json(new { detail = errors.Select(e => new { type = e.Type, loc = e.Location, msg = e.Message, input = e.Input }).ToArray() }, statusCode: 422);

    public static ValidationError Missing(params object[] location) => new("missing", location, "Field required", null);
    public static ValidationError NotString(object? input, params object[] location) => new("string_type", location, "Input should be a valid string", input);
}

internal sealed record ValidationError(string Type, object[] Location, string Message, object? Input);
