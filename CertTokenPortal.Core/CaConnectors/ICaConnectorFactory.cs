namespace CertTokenPortal.Core.CaConnectors;

/// <summary>Creates the connector object of one <see cref="Type"/> from its stored record. One per connector kind.</summary>
public interface ICaConnectorFactory
{
    /// <summary>The connector kind this factory builds, e.g. <c>local</c>.</summary>
    string Type { get; }

    ICaConnector Create(CaConnectorRecord record);
}
