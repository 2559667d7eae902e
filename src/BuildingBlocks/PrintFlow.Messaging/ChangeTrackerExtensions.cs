using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace PrintFlow.Messaging;

public static class ChangeTrackerExtensions
{
    /// <summary>
    /// <paramref name="read"/> with EF's automatic change detection off, then as it was: for a look at tracked entries
    /// (<c>ChangeTracker.Entries</c>, <c>DbSet.Local</c>) that needs no changes detected first, which would compare
    /// every tracked entity each time.
    /// </summary>
    public static T WithoutDetectingChanges<T>(this ChangeTracker tracker, Func<T> read)
    {
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return read();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
