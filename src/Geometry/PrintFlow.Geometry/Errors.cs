namespace PrintFlow.Geometry;

// One place for the stable error codes so readers cannot drift apart in spelling; callers match on Code.
internal static class Errors
{
    public static ModelFormatException Empty(string what = "The file contains no triangles.") => new("model.empty", what);

    public static ModelFormatException NotAMesh(string why) => new("model.not-a-mesh", why);

    public static ModelFormatException NonFinite() =>
        new("model.non-finite", "The model contains a coordinate that is not a finite number (NaN or infinity).");

    public static ModelFormatException TooManyTriangles(long limit) =>
        new("model.too-many-triangles", $"The model has more than {limit:N0} triangles, the most this service accepts.");

    public static ModelFormatException TooLarge(long limit) =>
        new("model.too-large", $"The file is larger than {limit:N0} bytes, the most this service accepts.");

    /// <summary>The parts of a model, once placed, would exceed what one analysis may build: refused before building it.</summary>
    public static ModelFormatException TooComplex(string what, long limit) =>
        new(TooComplexCode, $"The model would have more than {limit:N0} {what} once its parts are placed; simplify it or split it into several files.");

    public static ModelFormatException TookTooLong(TimeSpan limit) =>
        new(TooComplexCode, $"The model is too complex to analyse within {Seconds(limit)}, the most this service allows; simplify it or split it into several files.");

    public const string TooComplexCode = ModelFormatException.TooComplex;

    private static string Seconds(TimeSpan limit) =>
        limit.TotalSeconds >= 1 ? $"{limit.TotalSeconds:0.#} s" : $"{limit.TotalMilliseconds:0.#} ms";

    public static ModelFormatException Io(Exception inner) =>
        new("model.unreadable", $"The file could not be read: {inner.Message}");
}
