using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PrintFlow.Geometry;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Shop.Preview;

/// <summary><c>GET /shop/models/preview/{token}</c>: the binary preview a page's 3D view draws.</summary>
internal static class PreviewEndpoint
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(
        string token, HttpContext http, ModelPreviews previews, CancellationToken cancellationToken)
    {
        if (token.Length > 2048 || previews.ModelOf(token) is not { } sha)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "preview.not-found", "This preview link is not valid or has expired: reload the page.");
        }

        try
        {
            var bytes = await previews.GetAsync(sha, cancellationToken);
            // The link expires within a day and names one model's content, which never changes.
            http.Response.Headers.CacheControl = "private, max-age=3600";
            return TypedResults.File(bytes, "application/vnd.printflow.preview");
        }
        catch (FileNotFoundException)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "preview.not-found", "This model is no longer stored, so it cannot be shown.");
        }
        catch (ModelFormatException unreadable)
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "preview.unreadable", $"This model cannot be shown: {unreadable.Message}");
        }
        catch (TimeoutException busy)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "preview.busy", busy.Message);
        }
    }
}
