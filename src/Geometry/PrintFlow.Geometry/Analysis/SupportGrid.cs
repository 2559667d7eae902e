using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Where support columns land: the part's footprint cut into coarse XY cells, each holding one bit per profile band
/// for each kind of surface met at the cell's centre (overhang, flat overhang, other down-facing, up-facing). A column
/// falls from each overhang to the part or the bed below it (PrusaSlicer with support_material_buildplate_only = 0),
/// except under a flat overhang anchored on the part at both ends of a row or column of cells: a bridge, which the
/// slicer prints without support (dont_support_bridges).
/// </summary>
internal sealed class SupportGrid
{
    /// <summary>At most this many cells (64 × 64): four band bitsets each, so 512 KB at worst; finer grids cost small models milliseconds.</summary>
    public const int MaxCells = 4_096;

    /// <summary>The finest cell: PrusaSlicer's support pattern spacing is 2 mm, so finer cells add cost, not accuracy.</summary>
    public const double MinCellMm = 1.0;

    public const int Overhang = 0, Flat = 1, Down = 2, Up = 3;
    private const int Kinds = 4;

    private readonly double _x0, _y0, _perCell, _cell, _bed, _perBand;
    private readonly int _cols, _rows, _bands, _words;
    private readonly ulong[] _bits;
    private long _budget;
    private bool _anyOverhang;

    private SupportGrid(double x0, double y0, double cell, int cols, int rows, int bands, double bed, double perBand, long budget)
    {
        (_x0, _y0, _cell, _perCell, _cols, _rows, _bands, _budget) = (x0, y0, cell, 1 / cell, cols, rows, bands, budget);
        (_bed, _perBand) = (bed, perBand);
        _words = (bands + 63) / 64;
        _bits = new ulong[cols * rows * Kinds * _words];
    }

    /// <param name="budget">Cell visits allowed over the whole pass; a mesh of huge overlapping faces runs out and gets no grid.</param>
    public static SupportGrid? Create(BoundingBox box, int bands, double bed, double perBand, long budget)
    {
        var size = box.Size;
        if (bands <= 0 || !double.IsFinite(size.X) || !double.IsFinite(size.Y) || size.X < 0 || size.Y < 0) return null;
        double cell = Math.Max(MinCellMm, Math.Sqrt(size.X * size.Y / MaxCells));
        // A long thin part: keep each side's cell count bounded too.
        cell = Math.Max(cell, Math.Max(size.X, size.Y) / MaxCells);
        int cols = Math.Max(1, (int)Math.Ceiling(size.X / cell)), rows = Math.Max(1, (int)Math.Ceiling(size.Y / cell));
        if ((long)cols * rows > 4L * MaxCells) return null;
        return new SupportGrid(box.Min.X, box.Min.Y, cell, cols, rows, bands, bed, perBand, budget);
    }

    /// <summary>
    /// Marks the cells whose centre the face covers, at the face's height there; a face too small to cover a cell's
    /// centre (most faces of a fine mesh) marks its centroid's cell without the coverage test. False when the work budget is spent.
    /// </summary>
    public bool Add(ReadOnlySpan<double> p, int a, int b, int c, double zA, double zB, double zC, int kind, bool flat)
    {
        double au = (p[a] - _x0) * _perCell, av = (p[a + 1] - _y0) * _perCell;
        double bu = (p[b] - _x0) * _perCell, bv = (p[b + 1] - _y0) * _perCell;
        double cu = (p[c] - _x0) * _perCell, cv = (p[c + 1] - _y0) * _perCell;
        double minU = Math.Min(au, Math.Min(bu, cu)), maxU = Math.Max(au, Math.Max(bu, cu));
        double minV = Math.Min(av, Math.Min(bv, cv)), maxV = Math.Max(av, Math.Max(bv, cv));
        // Cell centres are at i + ½: a face whose box holds none marks its centroid's cell.
        int i0 = (int)(minU + 0.5), i1 = (int)(maxU - 0.5) + (maxU >= 0.5 ? 0 : -1);
        int j0 = (int)(minV + 0.5), j1 = (int)(maxV - 0.5) + (maxV >= 0.5 ? 0 : -1);
        if (i0 > i1 || j0 > j1)
        {
            Centroid(au + bu + cu, av + bv + cv, zA + zB + zC, kind, flat);
            return true;
        }
        i0 = Math.Max(0, i0); i1 = Math.Min(_cols - 1, i1); j0 = Math.Max(0, j0); j1 = Math.Min(_rows - 1, j1);
        double det = (bv - cv) * (au - cu) + (cu - bu) * (av - cv);
        bool marked = false;
        if (i0 <= i1 && j0 <= j1 && Math.Abs(det) > 1e-12)
        {
            _budget -= (long)(i1 - i0 + 1) * (j1 - j0 + 1);
            if (_budget < 0) return false;
            double inv = 1 / det;
            for (int j = j0; j <= j1; j++)
            {
                double y = j + 0.5;
                for (int i = i0; i <= i1; i++)
                {
                    double x = i + 0.5;
                    double l1 = ((bv - cv) * (x - cu) + (cu - bu) * (y - cv)) * inv;
                    double l2 = ((cv - av) * (x - cu) + (au - cu) * (y - cv)) * inv;
                    double l3 = 1 - l1 - l2;
                    if (l1 < -1e-9 || l2 < -1e-9 || l3 < -1e-9) continue;
                    Mark(i, j, l1 * zA + l2 * zB + l3 * zC, kind, flat);
                    marked = true;
                }
            }
        }
        if (!marked) Centroid(au + bu + cu, av + bv + cv, zA + zB + zC, kind, flat);
        return true;
    }

    public int Cells => _cols * _rows;

    /// <summary>A cell's side (mm).</summary>
    public double CellMm => _cell;

    /// <summary>Marks the cell holding the point (mm) at its band.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Mark(double x, double y, double z, int kind, bool flat)
    {
        // A centroid lies inside the box: only the far edge needs clamping.
        int i = Math.Min((int)((x - _x0) * _perCell), _cols - 1), j = Math.Min((int)((y - _y0) * _perCell), _rows - 1);
        int k = Math.Min((int)((z - _bed) * _perBand + 1e-6), _bands - 1);
        if ((i | j | k) < 0) return; // not a finite point in the box
        ref ulong word = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bits), ((j * _cols + i) * Kinds + kind) * _words + (k >> 6));
        word |= 1UL << (k & 63);
        if (flat) { _bits[((j * _cols + i) * Kinds + Flat) * _words + (k >> 6)] |= 1UL << (k & 63); _anyOverhang = true; }
        else if (kind == Overhang) _anyOverhang = true;
    }

    private void Centroid(double u3, double v3, double z3, int kind, bool flat) =>
        Mark(Math.Clamp((int)(u3 * (1.0 / 3)), 0, _cols - 1), Math.Clamp((int)(v3 * (1.0 / 3)), 0, _rows - 1), z3 * (1.0 / 3), kind, flat);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Mark(int i, int j, double z, int kind, bool flat)
    {
        // A hair over the band's floor: a flat face interpolated at a cell centre must not fall a band short.
        int k = Math.Clamp((int)((z - _bed) * _perBand + 1e-6), 0, _bands - 1);
        int at = (j * _cols + i) * Kinds * _words + (k >> 6);
        ulong bit = 1UL << (k & 63);
        _bits[at + kind * _words] |= bit;
        _anyOverhang |= kind == Overhang;
        if (flat) _bits[at + Flat * _words] |= bit;
    }

    private ulong Bits(int cell, int kind, int word) => _bits[(cell * Kinds + kind) * _words + word];

    /// <summary>
    /// The columns: in each cell, from the top down, a column starts at an overhang band that is not a bridge and stops
    /// where the part is below it (it lands on the part) or at the bed; overlapping columns count once.
    /// </summary>
    public LandedSupport Measure(double bandMm)
    {
        int cells = _cols * _rows, w = _words;
        if (!_anyOverhang) return new LandedSupport(0, 0, 0, 0, 0, 0);
        // The part at each band: entered at a down-facing surface, left above an up-facing one (word by word, event by event).
        var solid = new ulong[cells * w];
        for (int cell = 0; cell < cells; cell++)
        {
            bool inside = false;
            int from = 0;
            for (int word = 0; word < w; word++)
            {
                ulong down = Bits(cell, Overhang, word) | Bits(cell, Down, word), up = Bits(cell, Up, word);
                for (ulong e = down | up; e != 0; e &= e - 1)
                {
                    int b = BitOperations.TrailingZeroCount(e), k = (word << 6) + b;
                    ulong bit = 1UL << b;
                    if ((down & bit) != 0 && !inside) { inside = true; from = k; }
                    if ((up & bit) != 0) { SetRange(solid, cell * w, inside ? from : k, k); inside = false; }
                }
            }
            if (inside) SetRange(solid, cell * w, from, _bands - 1);
        }
        // A flat overhang cell is bridged when its run of flat overhang cells along a row (or a column) ends, on both
        // sides, at a cell where the part is below it: the bridge is anchored there.
        var bridged = new ulong[cells * w];
        var anchored = new ulong[Math.Max(_cols, _rows)];
        for (int word = 0; word < w; word++)
        {
            for (int j = 0; j < _rows; j++) Sweep(j * _cols, 1, _cols, word, solid, anchored, bridged);
            for (int i = 0; i < _cols; i++) Sweep(i, _cols, _rows, word, solid, anchored, bridged);
        }
        double bands = 0;
        long contacts = 0, onPart = 0, onBed = 0, sides = 0, bridges = 0;
        var column = new ulong[cells * w];
        var starts = new ulong[w];
        for (int cell = 0; cell < cells; cell++)
        {
            int at = cell * w;
            bool any = false;
            for (int word = 0; word < w; word++)
            {
                ulong over = Bits(cell, Overhang, word);
                bridges += BitOperations.PopCount(over & bridged[at + word]);
                // A part resting on a face in the same band (a cap laid on its stem) needs no column.
                starts[word] = over & ~bridged[at + word] & ~Bits(cell, Up, word);
                any |= starts[word] != 0;
            }
            if (!any) continue;
            // From the top down: a column starts at an overhang and stops on the part below it, or on the bed.
            for (int ceiling = _bands - 1; ceiling >= 0;)
            {
                int top = Highest(starts, 0, ceiling);
                if (top < 0) break;
                contacts++;
                int land = Highest(solid, at, top - 1);
                if (land < 0) { bands += top + 0.5; onBed++; SetRange(column, at, 0, top - 1); break; }
                bands += top - land;
                onPart++;
                SetRange(column, at, land + 1, top - 1);
                ceiling = land - 1;
            }
        }
        // The columns' side walls, where the slicer lays a sheath around the sparse pattern.
        for (int j = 0; j < _rows; j++)
            for (int i = 0; i < _cols; i++)
                for (int word = 0; word < w; word++)
                {
                    ulong c = column[(j * _cols + i) * w + word];
                    if (c == 0) continue;
                    sides += BitOperations.PopCount(c & ~(i > 0 ? column[(j * _cols + i - 1) * w + word] : 0))
                             + BitOperations.PopCount(c & ~(i < _cols - 1 ? column[(j * _cols + i + 1) * w + word] : 0))
                             + BitOperations.PopCount(c & ~(j > 0 ? column[((j - 1) * _cols + i) * w + word] : 0))
                             + BitOperations.PopCount(c & ~(j < _rows - 1 ? column[((j + 1) * _cols + i) * w + word] : 0));
                }
        double cellArea = _cell * _cell;
        return new LandedSupport(bands * bandMm * cellArea, contacts * cellArea, onPart * cellArea, onBed * cellArea,
            sides * _cell * bandMm, bridges * cellArea);
    }

    /// <summary>Sets bits <paramref name="lo"/>..<paramref name="hi"/> (inclusive) of the bitset at <paramref name="at"/>.</summary>
    private static void SetRange(ulong[] bits, int at, int lo, int hi)
    {
        for (int word = lo >> 6; word <= hi >> 6 && lo <= hi; word++)
        {
            int from = Math.Max(lo - (word << 6), 0), to = Math.Min(hi - (word << 6), 63);
            ulong mask = (to == 63 ? ulong.MaxValue : (1UL << (to + 1)) - 1) & ~((1UL << from) - 1);
            bits[at + word] |= mask;
        }
    }

    /// <summary>The highest set bit at or below <paramref name="k"/>, or −1.</summary>
    private static int Highest(ulong[] bits, int at, int k)
    {
        if (k < 0) return -1;
        int word = k >> 6;
        ulong masked = bits[at + word] & ((k & 63) == 63 ? ulong.MaxValue : (1UL << ((k & 63) + 1)) - 1);
        while (true)
        {
            if (masked != 0) return (word << 6) + 63 - BitOperations.LeadingZeroCount(masked);
            if (--word < 0) return -1;
            masked = bits[at + word];
        }
    }

    /// <summary>One row (step 1) or column (step = columns) of cells, one word of bands: marks the bridged flat overhangs.</summary>
    private void Sweep(int start, int step, int count, int word, ulong[] solid, ulong[] anchored, ulong[] bridged)
    {
        int w = _words;
        // Bit k of "below" is the part at bands k − 1 and k − 2: a pier under the span, not the rim of a neighbouring overhang.
        ulong Below(int cell)
        {
            ulong here = solid[cell * w + word], before = word > 0 ? solid[cell * w + word - 1] : 0;
            return ((here << 1) | (before >> 63)) & ((here << 2) | (before >> 62));
        }
        // A flat overhang laid on the part in the same band (a deck on its piers) is no span.
        ulong Flat(int cell) => Bits(cell, SupportGrid.Flat, word) & ~Bits(cell, Up, word);
        ulong carry = 0;
        for (int n = 0; n < count; n++)
        {
            int cell = start + n * step;
            ulong flat = Flat(cell);
            anchored[n] = carry & flat;
            carry = anchored[n] | (~flat & Below(cell));
        }
        carry = 0;
        for (int n = count - 1; n >= 0; n--)
        {
            int cell = start + n * step;
            ulong flat = Flat(cell);
            bridged[cell * w + word] |= anchored[n] & carry & flat;
            carry = (carry & flat) | (~flat & Below(cell));
        }
    }
}
