namespace CertTokenPortal.Core.Cluster;

/// <summary>
/// A named piece of background work and the portal instance that may do it until <see cref="ExpiresAt"/>. One row per
/// name; taking it over is a conditional update, so exactly one instance holds a lease at any moment.
/// </summary>
public class ClusterLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}

/// <summary>A version stamp of cached data: bumped by whoever changes the data, compared by every instance that caches it.</summary>
public class CacheVersion
{
    public string Name { get; set; } = "";
    public long Version { get; set; }
}
