namespace CertTokenPortal.Core.CaConnectors;

/// <summary>Creates the connector object of one <see cref="Type"/> from its stored record. One per connector kind.</summary>
public interface ICaConnectorFactory
{
    /// <summary>The connector kind this factory builds, e.g. <c>local</c>.</summary>
    string Type { get; }

    /// <summary>
    /// The connector of <paramref name="record"/> (with its templates loaded). The record may be shared with concurrent
    /// callers (the registry keeps it while the configuration stamp holds): read it, never change it.
    /// </summary>
    ICaConnector Create(CaConnectorRecord record);
}
