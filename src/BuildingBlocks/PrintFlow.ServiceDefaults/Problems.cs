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

    /// <summary>The title of a status in the request's language (Resources/SharedStrings.resx).</summary>
    public static string TitleOf(int status) =>
        Localization.Texts.Find<SharedStrings>($"Problem.Title.{status}") ?? Localization.Texts.Get<SharedStrings>("Problem.Title.Other");
}
