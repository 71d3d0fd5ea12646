namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// What a CA's ledger keeps of a certificate it issued, like a line of an <c>openssl ca</c> index. A connector hands
/// it back with the certificate and the token service saves it in the transaction that saves the token, so that a
/// certificate is in the ledger exactly when a token holds it.
/// </summary>
/// <param name="CaConnectorId">The connector whose ledger it belongs to (for an approval CA, its signing CA).</param>
/// <param name="CaName">That connector's name.</param>
/// <param name="SerialHex">The X.509 serial number as upper-case hex without separators.</param>
/// <param name="Subject">The certificate's subject as issued.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
public sealed record CaLedgerEntry(int CaConnectorId, string CaName, string SerialHex, string Subject, DateTime NotBefore, DateTime NotAfter);
