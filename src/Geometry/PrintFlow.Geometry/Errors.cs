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

    public static ModelFormatException Io(Exception inner) =>
        new("model.unreadable", $"The file could not be read: {inner.Message}");
}
