namespace PrintFlow.Mes.Domain;

/// <summary>One model to print: what the operator needs to find the file and load the right material.</summary>
public sealed class JobItem
{
    private JobItem() { }

    public JobItem(Guid itemId, string fileName, string material, int quantity, string modelSha256, long sizeBytes)
    {
        ItemId = itemId;
        FileName = fileName;
        Material = material;
        Quantity = quantity;
        ModelSha256 = modelSha256;
        SizeBytes = sizeBytes;
    }

    public long Id { get; private set; }
    public long JobId { get; private set; }
    public Guid ItemId { get; private set; }
    public string FileName { get; private set; } = "";
    public string Material { get; private set; } = "";
    public int Quantity { get; private set; }
    public string ModelSha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }

    /// <summary>The part's bounding box in mm, from Pricing's analysis; null for orders priced before it was carried.</summary>
    public double? SizeX { get; private set; }

    public double? SizeY { get; private set; }
    public double? SizeZ { get; private set; }

    /// <summary>The colour asked for; null when any colour will do.</summary>
    public string? Colour { get; private set; }

    /// <summary>Pricing's estimate of one part's print time.</summary>
    public double? PrintHours { get; private set; }

    /// <summary>The build plate this part is (or was last) printed on, null before its first print or after a failed one.</summary>
    public Guid? PlateId { get; private set; }

    /// <summary>The printer of that plate.</summary>
    public string? PrinterName { get; private set; }

    internal void PlacedOn(Guid plateId, string printerName) => (PlateId, PrinterName) = (plateId, printerName);

    internal void TakenOffPlate() => (PlateId, PrinterName) = (null, null);

    internal JobItem WithPrintFacts(Contracts.PartSize? size, string? colour, double? printHours)
    {
        if (size is not null && double.IsFinite(size.X) && double.IsFinite(size.Y) && double.IsFinite(size.Z))
        {
            (SizeX, SizeY, SizeZ) = (size.X, size.Y, size.Z);
        }

        Colour = string.IsNullOrWhiteSpace(colour) ? null : colour.Trim();
        PrintHours = printHours is { } hours && double.IsFinite(hours) && hours >= 0 ? hours : null;
        return this;
    }
}
