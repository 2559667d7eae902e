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
}
