using System.Globalization;
using System.IO.Compression;
using System.Xml;
using PrintFlow.Geometry.Building;

namespace PrintFlow.Geometry.ThreeMf;

/// <summary>
/// 3MF: a ZIP package whose root .model part (found through _rels/.rels) lists mesh objects, component objects that
/// place other objects with a transform, and the build items actually printed. Objects in other parts (production
/// extension, as written by Bambu/Prusa slicers) are followed. Coordinates are converted from the declared unit.
/// Zip bombs are stopped by capping bytes actually decompressed (per package and per part) and the ratio of
/// decompressed to compressed size. Components multiply: what the build would place (vertices, triangles, instances,
/// nesting depth) is counted from the parsed objects before anything is placed, and a model over the limits is
/// refused as <c>model.too-complex</c> without doing the work.
/// </summary>
internal static class ThreeMfReader
{
    private const string RelationshipType3dModel = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";
    private const string ProductionNamespace = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06";
    private const int MaxComponentDepth = 16;
    // Objects placed (an instance costs a transform even without triangles) and objects, components and build items
    // declared (each costs memory): a model with more than a million of either is not something a printer is sent.
    private const int MaxInstances = 1_000_000;
    private const int MaxDeclarations = 1_000_000;
    // XML compresses 10-30x; anything past 250x is not a model but a bomb.
    private const long MaxCompressionRatio = 250;
    private const long RatioCheckFloorBytes = 1 << 20;

    public static Mesh Read(Stream stream, ReadOptions options, List<ModelWarning> warnings, Deadline deadline)
    {
        ZipDirectory.Check(stream);
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw Corrupt(e); }
        using (zip)
        {
            var context = new Context(zip, options, deadline);
            try
            {
                ZipDirectory.CheckNames(zip);
                string rootPath = FindRootPart(context);
                var root = context.Part(rootPath);
                double scale = options.Units is { } unit ? Units.ToMillimetres(unit) : UnitScale(root.Unit);
                if (root.BuildItems.Count == 0) throw Errors.Empty("The 3MF package has no build items, so nothing would be printed.");

                // Count what the build would place before placing any of it: components multiply, so a small file can
                // ask for trillions of vertices, and only counting first refuses it without doing the work.
                var total = new Expansion();
                foreach (var item in root.BuildItems)
                    total = context.Add(total, Expand(context, rootPath, item, depth: 0));

                // Every placed triangle is kept, but copies placed on top of each other weld: size vertices modestly.
                var builder = new MeshBuilder((int)Math.Min(total.Vertices, 1 << 20), (int)Math.Min(total.Triangles, 1 << 24),
                    options.MaxTriangles, deadline);
                foreach (var item in root.BuildItems)
                    Instantiate(context, rootPath, item, Transform3x4.Identity, builder);
                if (builder.TriangleCount == 0) throw Errors.Empty("The 3MF build items contain no triangles.");
                return builder.Build(ModelFormat.ThreeMf, warnings, scale);
            }
            catch (InvalidDataException e) { throw Corrupt(e); }
            catch (XmlException e)
            {
                throw new ModelFormatException("3mf.malformed-xml", $"The 3MF model XML is malformed: {e.Message}");
            }
        }
    }

    private static ModelFormatException Corrupt(Exception e) =>
        new("3mf.corrupt", $"The 3MF package is not a readable ZIP archive: {e.Message}");

    private static double UnitScale(string unit) => unit switch
    {
        "micron" => 0.001,
        "millimeter" => 1,
        "centimeter" => 10,
        "inch" => 25.4,
        "foot" => 304.8,
        "meter" => 1000,
        _ => throw new ModelFormatException("3mf.unknown-unit", $"The 3MF model declares an unknown unit '{unit}'."),
    };

    /// <summary>What placing one object (with everything it nests) emits; checked against the limits as it is summed.</summary>
    private readonly record struct Expansion(long Vertices, long Triangles, long Instances, int Height);

    private static Expansion Expand(Context context, string partPath, ThreeMfReference reference, int depth)
    {
        if (depth > MaxComponentDepth)
            throw Errors.TooComplex("levels of nested components", MaxComponentDepth);
        string path = reference.Path ?? partPath;
        var obj = context.Object(path, reference.ObjectId);
        var key = (path, reference.ObjectId);
        if (context.Expansions.TryGetValue(key, out var known))
        {
            if (known is null)
                throw new ModelFormatException("3mf.component-cycle",
                    $"Object {reference.ObjectId} contains itself through its components, so it would never end.");
            if (depth + known.Value.Height > MaxComponentDepth)
                throw Errors.TooComplex("levels of nested components", MaxComponentDepth);
            return known.Value;
        }
        context.Expansions[key] = null; // in progress: meeting it again below is a cycle
        var sum = new Expansion(obj.Vertices.Count / 3, obj.Triangles.Count / 3, 1, 0);
        sum = context.Add(default, sum);
        foreach (var component in obj.Components)
        {
            var child = Expand(context, path, component, depth + 1);
            sum = context.Add(sum, child) with { Height = Math.Max(sum.Height, child.Height + 1) };
        }
        context.Expansions[key] = sum;
        return sum;
    }

    private static void Instantiate(Context context, string partPath, ThreeMfReference reference, double[] parent, MeshBuilder builder)
    {
        string path = reference.Path ?? partPath;
        var obj = context.Object(path, reference.ObjectId);
        var transform = Transform3x4.Compose(reference.Transform, parent);

        if (obj.Triangles.Count > 0)
        {
            var v = obj.Vertices;
            int vertexCount = v.Count / 3;
            var map = context.VertexMap(vertexCount);
            for (int i = 0; i < vertexCount; i++)
            {
                double x = v[3 * i], y = v[3 * i + 1], z = v[3 * i + 2];
                map[i] = builder.AddVertex(
                    x * transform[0] + y * transform[3] + z * transform[6] + transform[9],
                    x * transform[1] + y * transform[4] + z * transform[7] + transform[10],
                    x * transform[2] + y * transform[5] + z * transform[8] + transform[11]);
            }
            // A mirroring transform turns the surface inside out; swap two corners to keep faces pointing outwards.
            bool mirrored = Transform3x4.Determinant(transform) < 0;
            var t = obj.Triangles;
            for (int i = 0; i < t.Count; i += 3)
            {
                if (mirrored) builder.AddTriangle(map[t[i]], map[t[i + 2]], map[t[i + 1]]);
                else builder.AddTriangle(map[t[i]], map[t[i + 1]], map[t[i + 2]]);
            }
        }
        foreach (var component in obj.Components)
            Instantiate(context, path, component, transform, builder);
    }

    private static string FindRootPart(Context context)
    {
        var rels = context.Zip.GetEntry("_rels/.rels");
        if (rels is not null)
        {
            using var xml = XmlReader.Create(context.OpenEntry(rels), XmlSettings);
            while (xml.Read())
                if (CheckDepth(xml) && xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" &&
                    xml.GetAttribute("Type") == RelationshipType3dModel && xml.GetAttribute("Target") is { } target)
                    return Normalize(target);
        }
        if (context.Zip.GetEntry("3D/3dmodel.model") is not null) return "3D/3dmodel.model";
        throw new ModelFormatException("3mf.no-model", "The 3MF package contains no 3D model part.");
    }

    private static string Normalize(string path) => path.TrimStart('/');

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // no entity expansion ("billion laughs")
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private sealed class Context(ZipArchive zip, ReadOptions options, Deadline deadline)
    {
        private readonly Dictionary<string, ThreeMfPart> _parts = new(StringComparer.OrdinalIgnoreCase);
        // Total decompressed bytes allowed for the whole package: generous for XML, bounded for memory and time.
        private long _budget = Math.Max(1L << 20, Math.Min(options.MaxFileBytes * 8, 4L << 30));
        private int[] _map = [];

        public ZipArchive Zip { get; } = zip;
        public ReadOptions Options { get; } = options;
        public Deadline Deadline { get; } = deadline;

        /// <summary>Vertices an accepted triangle count could need at most (three per triangle, none shared).</summary>
        public long MaxVertices => Options.MaxTriangles > long.MaxValue / 3 ? long.MaxValue : Options.MaxTriangles * 3;

        // Declared across every part of the package, so spreading them over parts gains nothing.
        public long DeclaredVertices;
        public long DeclaredTriangles;
        public long Declarations;

        /// <summary>Per (part, object id): what placing it emits; null while it is being counted.</summary>
        public Dictionary<(string Path, int Id), Expansion?> Expansions { get; } = [];

        public Expansion Add(Expansion sum, Expansion more)
        {
            // Each operand is already within the limits, so the sums cannot overflow before they are refused.
            var total = new Expansion(sum.Vertices + more.Vertices, sum.Triangles + more.Triangles, sum.Instances + more.Instances, sum.Height);
            if (total.Triangles > Options.MaxTriangles) throw Errors.TooComplex("triangles", Options.MaxTriangles);
            if (total.Vertices > MaxVertices) throw Errors.TooComplex("vertices", MaxVertices);
            if (total.Instances > MaxInstances) throw Errors.TooComplex("placed parts", MaxInstances);
            return total;
        }

        public ThreeMfObject Object(string path, int id) =>
            Part(path).Objects.TryGetValue(id, out var obj) ? obj
                : throw new ModelFormatException("3mf.missing-object", $"A build item or component refers to object {id}, which does not exist.");

        /// <summary>One scratch array reused by every placed instance (the largest object's vertex count).</summary>
        public int[] VertexMap(int vertices)
        {
            if (_map.Length < vertices) _map = new int[vertices];
            return _map;
        }

        public ThreeMfPart Part(string path)
        {
            if (_parts.TryGetValue(path, out var part)) return part;
            var entry = Zip.GetEntry(path) ?? Zip.GetEntry(path.Replace('\\', '/'))
                ?? throw new ModelFormatException("3mf.missing-part", $"The 3MF package refers to a part '{Shorten(path)}' it does not contain.");
            part = ParsePart(OpenEntry(entry), this);
            _parts[path] = part;
            return part;
        }

        public Stream OpenEntry(ZipArchiveEntry entry)
        {
            if (entry.Length > _budget)
                throw new ModelFormatException("3mf.too-large", $"The 3MF part '{Shorten(entry.FullName)}' expands to {entry.Length:N0} bytes, more than this service accepts.");
            if (entry.Length > RatioCheckFloorBytes && entry.Length > MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                throw new ModelFormatException("3mf.too-large", $"The 3MF part '{Shorten(entry.FullName)}' is compressed {entry.Length / Math.Max(1, entry.CompressedLength):N0}:1, which only a zip bomb does.");
            long limit = Math.Min(_budget, Math.Max(RatioCheckFloorBytes, MaxCompressionRatio * Math.Max(1, entry.CompressedLength)));
            var capped = new CappedStream(entry.Open(), limit, () =>
                new ModelFormatException("3mf.too-large", $"The 3MF part '{Shorten(entry.FullName)}' expands to more data than this service accepts (a zip bomb?)."));
            return new BudgetStream(capped, this);
        }

        /// <summary>
        /// Counts decompressed bytes against the package budget, checks the deadline once per read, and bounds each XML
        /// node: the XML reader holds a whole tag (every attribute) or text node in memory, so no run between two
        /// '&lt;' may exceed <see cref="MaxNodeBytes"/>, and CDATA sections (which may contain '&lt;') are refused.
        /// </summary>
        private sealed class BudgetStream(CappedStream inner, Context owner) : Stream
        {
            private const int MaxNodeBytes = 1 << 20;
            private static ReadOnlySpan<byte> CData => "<![CDATA["u8;
            private long _counted;
            private long _sinceOpen;   // bytes since the last '<'
            private int _markupMatched; // bytes of "<![CDATA[" matched so far, across reads

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
            public override int Read(Span<byte> buffer)
            {
                owner.Deadline.Check();
                int n = inner.Read(buffer);
                owner._budget -= n;
                _counted += n;
                if (owner._budget < 0)
                    throw new ModelFormatException("3mf.too-large", "The 3MF package expands to more data than this service accepts.");
                Scan(buffer[..n]);
                return n;
            }

            private void Scan(ReadOnlySpan<byte> data)
            {
                int i = 0;
                while (i < data.Length)
                {
                    if (_markupMatched > 0)
                    {
                        // Continue matching "<![CDATA[" byte by byte; it may straddle two reads. A mismatching byte is
                        // looked at again as ordinary data (it may be the next '<').
                        if (data[i] == CData[_markupMatched])
                        {
                            if (++_markupMatched == CData.Length)
                                throw new ModelFormatException("3mf.malformed", "The 3MF model contains a CDATA section, which 3MF models do not use.");
                            _sinceOpen++;
                            i++;
                            continue;
                        }
                        _markupMatched = 0;
                    }
                    int lt = data[i..].IndexOf((byte)'<');
                    if (lt < 0)
                    {
                        _sinceOpen += data.Length - i;
                        break;
                    }
                    _sinceOpen += lt;
                    if (_sinceOpen > MaxNodeBytes) break;
                    _sinceOpen = 0;
                    _markupMatched = 1;
                    i += lt + 1;
                }
                if (_sinceOpen > MaxNodeBytes)
                    throw new ModelFormatException("3mf.malformed",
                        $"The 3MF model has an XML tag or text longer than {MaxNodeBytes:N0} bytes; no model needs one.");
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _counted; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        }
    }

    private static ThreeMfPart ParsePart(Stream stream, Context context)
    {
        var part = new ThreeMfPart();
        ThreeMfObject? current = null;
        int currentId = 0;
        bool inBuild = false;
        long maxTriangles = context.Options.MaxTriangles, maxVertices = context.MaxVertices;
        using var xml = XmlReader.Create(stream, XmlSettings);
        while (xml.Read())
        {
            CheckDepth(xml);
            if (xml.NodeType == XmlNodeType.EndElement)
            {
                if (xml.LocalName == "object" && current is not null) { Validate(current, currentId); current = null; }
                else if (xml.LocalName == "build") inBuild = false;
                continue;
            }
            if (xml.NodeType != XmlNodeType.Element) continue;
            switch (xml.LocalName)
            {
                case "model":
                    part.Unit = xml.GetAttribute("unit") ?? "millimeter";
                    break;
                case "object":
                    Declare(context);
                    currentId = RequiredInt(xml, "id");
                    current = new ThreeMfObject();
                    if (!part.Objects.TryAdd(currentId, current))
                        throw new ModelFormatException("3mf.duplicate-object", $"Object id {currentId} is declared twice.");
                    if (xml.IsEmptyElement) current = null;
                    break;
                case "vertex" when current is not null:
                    if (++context.DeclaredVertices > maxVertices) throw Errors.TooComplex("vertices", maxVertices);
                    current.Vertices.Add(RequiredDouble(xml, "x"));
                    current.Vertices.Add(RequiredDouble(xml, "y"));
                    current.Vertices.Add(RequiredDouble(xml, "z"));
                    break;
                case "triangle" when current is not null:
                    if (++context.DeclaredTriangles > maxTriangles) throw Errors.TooManyTriangles(maxTriangles);
                    current.Triangles.Add(RequiredInt(xml, "v1"));
                    current.Triangles.Add(RequiredInt(xml, "v2"));
                    current.Triangles.Add(RequiredInt(xml, "v3"));
                    break;
                case "component" when current is not null:
                    Declare(context);
                    current.Components.Add(Reference(xml));
                    break;
                case "build":
                    inBuild = !xml.IsEmptyElement;
                    break;
                case "item" when inBuild:
                    Declare(context);
                    part.BuildItems.Add(Reference(xml));
                    break;
            }
        }
        return part;
    }

    // The XML reader keeps every open element: a model nests about six deep, so thousands of levels are an attack.
    private const int MaxXmlDepth = 64;

    private static bool CheckDepth(XmlReader xml) =>
        xml.Depth <= MaxXmlDepth ? true
            : throw new ModelFormatException("3mf.malformed", $"The 3MF XML nests elements more than {MaxXmlDepth} levels deep; no model needs that.");

    private static void Declare(Context context)
    {
        if (++context.Declarations > MaxDeclarations) throw Errors.TooComplex("objects, components and build items", MaxDeclarations);
    }

    private static void Validate(ThreeMfObject obj, int id)
    {
        int vertices = obj.Vertices.Count / 3;
        foreach (int index in obj.Triangles)
            if ((uint)index >= (uint)vertices)
                throw new ModelFormatException("3mf.index-out-of-range",
                    $"Object {id} has a triangle that refers to vertex {index}, but it has only {vertices:N0} vertices.");
    }

    private static ThreeMfReference Reference(XmlReader xml)
    {
        int id = RequiredInt(xml, "objectid");
        string? path = xml.GetAttribute("path", ProductionNamespace);
        var transform = Transform3x4.Identity;
        if (xml.GetAttribute("transform") is { } text)
        {
            var parts = text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 12)
                throw new ModelFormatException("3mf.bad-transform", $"A transform must have 12 numbers; found {parts.Length}.");
            transform = new double[12];
            for (int i = 0; i < 12; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out transform[i]))
                    throw new ModelFormatException("3mf.bad-transform", $"The transform value '{Shorten(parts[i])}' is not a number.");
                if (!double.IsFinite(transform[i])) throw Errors.NonFinite();
            }
        }
        return new ThreeMfReference(id, path is null ? null : Normalize(path), transform);
    }

    private static int RequiredInt(XmlReader xml, string name)
    {
        string? text = xml.GetAttribute(name);
        if (text is null || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new ModelFormatException("3mf.malformed", $"<{xml.LocalName}> needs an integer '{name}' attribute (found '{Shorten(text)}').");
        return value;
    }

    private static double RequiredDouble(XmlReader xml, string name)
    {
        string? text = xml.GetAttribute(name);
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new ModelFormatException("3mf.malformed", $"<{xml.LocalName}> needs a numeric '{name}' attribute (found '{Shorten(text)}').");
        if (!double.IsFinite(value)) throw Errors.NonFinite();
        return value;
    }

    private static string Shorten(string? text) => text is null ? "nothing" : text.Length <= 40 ? text : text[..40] + "…";
}
