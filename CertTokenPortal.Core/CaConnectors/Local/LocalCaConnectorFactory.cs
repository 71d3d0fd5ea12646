namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>Builds <see cref="LocalCaConnector"/>s from their records.</summary>
internal sealed class LocalCaConnectorFactory(LocalCaServices services) : ICaConnectorFactory
{
    public string Type => LocalCaConnector.TypeName;

    public ICaConnector Create(CaConnectorRecord record) => new LocalCaConnector(record, services);
}
