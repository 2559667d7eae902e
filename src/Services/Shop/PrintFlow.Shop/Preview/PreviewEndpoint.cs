using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PrintFlow.Geometry;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Shop.Preview;

/// <summary><c>GET /shop/models/preview/{token}</c>: the binary preview a page's 3D view draws.</summary>
internal static class PreviewEndpoint
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(
        string token, HttpContext http, ModelPreviews previews, CancellationToken cancellationToken)
    {
        if (token.Length > 2048 || previews.ModelOf(token) is not { } sha)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "preview.not-found", Texts.Get<ShopStrings>("Problem.preview.link-invalid"));
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
            return Problems.Of(StatusCodes.Status404NotFound, "preview.not-found", Texts.Get<ShopStrings>("Problem.preview.gone"));
        }
        catch (ModelFormatException unreadable)
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "preview.unreadable", Texts.Get<ShopStrings>("Problem.preview.unreadable", Texts.Find<ShopStrings>($"Reject.Detail.{unreadable.Code}") ?? unreadable.Message));
        }
        catch (TimeoutException)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "preview.busy", Texts.Get<ShopStrings>("Problem.preview.busy"));
        }
    }
}
