using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PrintFlow.ServiceDefaults;

/// <summary>RFC 9457 problem details with a machine-readable <c>code</c> and a sentence a person understands.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title ?? TitleOf(status),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized => "Authentication is required.",
        StatusCodes.Status403Forbidden => "This is not allowed for you.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "The request conflicts with the current state.",
        StatusCodes.Status413PayloadTooLarge => "The upload is too large.",
        StatusCodes.Status422UnprocessableEntity => "The request cannot be processed.",
        StatusCodes.Status429TooManyRequests => "Too many requests.",
        _ => "An error occurred.",
    };
}
