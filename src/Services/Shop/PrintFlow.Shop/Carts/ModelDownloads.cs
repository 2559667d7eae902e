using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Endpoints;

namespace PrintFlow.Shop.Carts;

/// <summary>
/// A model back to the buyer who uploaded it, for the 3D preview: from a cart (by its token) or from one of the
/// customer's own orders. Streamed from the store; anyone else's model is "not found".
/// </summary>
internal static class ModelDownloads
{
    public static async Task<IResult> CartModelAsync(string token, Guid itemId, ShopDbContext db, IModelStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        await CartEndpoints.LiveCartAsync(db, token, clock, cancellationToken, tracked: false) is { } cart && cart.Find(itemId) is { } item
            ? await StreamAsync(store, item.ModelSha256, item.FileName, cancellationToken)
            : NotFound();

    public static async Task<IResult> OrderModelAsync(Guid id, Guid itemId, ClaimsPrincipal user, ShopDbContext db, IModelStore store, CancellationToken cancellationToken) =>
        await OrderEndpoints.FindOwnAsync(db, id, user, tracked: false, cancellationToken) is { } order && order.Items.FirstOrDefault(i => i.ItemId == itemId) is { } item
            ? await StreamAsync(store, item.ModelSha256, item.FileName, cancellationToken)
            : NotFound();

    private static async Task<IResult> StreamAsync(IModelStore store, string sha256, string fileName, CancellationToken cancellationToken)
    {
        ModelFile file;
        try
        {
            file = await store.OpenFileAsync(sha256, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return NotFound();
        }

        // The file is handed over and removed (if it was a download) when the response has been sent.
        var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Results.Stream(async body =>
        {
            using (file)
            {
                await using (stream)
                {
                    await stream.CopyToAsync(body, cancellationToken);
                }
            }
        }, "application/octet-stream", fileName);
    }

    private static IResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "model.not-found", Texts.Get<ShopStrings>("Problem.model.not-found"));
}
