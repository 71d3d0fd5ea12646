using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// A CA whose key this portal holds (<c>type=local</c>): signs CSRs under its templates, revokes in its ledger,
/// publishes CRLs and answers OCSP. It hands each certificate back with its <see cref="CaLedgerEntry"/>; the token
/// service saves that line with the token.
/// </summary>
/// <remarks>
/// After a revocation (or a hold release) call <see cref="PublishCrlAsync"/>: the CRL is built from committed rows.
/// </remarks>
public sealed class LocalCaConnector(CaConnectorRecord record, LocalCaServices services)
    : ICaConnector, ICrlPublisher, IOcspResponder, ICertificateHoldRelease, ICaCertificateChain, ICaTemplateCatalog
{
    public const string TypeName = "local";

    public string Name => record.Name;

    public string Type => TypeName;

    public string? DefaultTemplate => record.DefaultTemplate;

    public bool IsStaffOnly(string templateName) => record.FindTemplate(templateName) is { IsSuccess: true, Value.StaffOnly: true };

    public async Task<Result<CaIssueOutcome>> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken)
    {
        if (!record.FindTemplate(request.TemplateName).TryGetValue(out var template, out var templateError))
        {
            return templateError;
        }
        if (!template.BindNames(request).TryGetValue(out var names, out var namesError))
        {
            return namesError;
        }

        var signer = await services.Keys.GetSignerAsync(record.Id, record.UpdatedAt, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested(); // a client that has gone gets no certificate
        var certificate = services.Certificates.IssueEndEntity(signer, names.Subject, request.Csr.Request.PublicKey,
            template.ToProfile(request.Csr.KeyAlgorithm), names.SubjectAltNames, CaUrls.For(services.PublicBaseUrl, Name));
        var entry = new CaLedgerEntry(record.Id, Name, certificate.SerialNumber, certificate.Subject,
            certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        return new CaIssueOutcome.Issued(new IssuedCertificate(certificate, signer.FullChain) { LedgerEntry = entry });
    }

    public async Task<Result> RevokeAsync(CaRevokeRequest request, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Reason))
        {
            return PortalError.Validation($"{(int)request.Reason} is not an RFC 5280 revocation reason.");
        }
        var revokedAt = request.RevokedAt.Kind == DateTimeKind.Local
            ? request.RevokedAt.ToUniversalTime()
            : DateTime.SpecifyKind(request.RevokedAt, DateTimeKind.Utc);
        return await services.Ledger.RevokeAsync(record.Id, Name, request.SerialHex, request.Reason, revokedAt, cancellationToken);
    }

    public Task<Result> ReleaseHoldAsync(string serialHex, CancellationToken cancellationToken) =>
        services.Ledger.ReleaseHoldAsync(record.Id, Name, serialHex, cancellationToken);

    public Task<CrlInfo> PublishCrlAsync(CancellationToken cancellationToken) =>
        services.Crls.PublishAsync(record.Id, cancellationToken);

    public Task<CrlInfo?> GetCurrentCrlAsync(CancellationToken cancellationToken) =>
        services.Crls.GetCurrentAsync(record.Id, cancellationToken);

    public async Task<byte[]> RespondAsync(byte[] requestDer, CancellationToken cancellationToken)
    {
        var signer = await services.Keys.GetSignerAsync(record.Id, record.UpdatedAt, cancellationToken);
        return await services.Ocsp.RespondAsync(signer, requestDer,
            async (serials, ct) => await services.Ledger.StatusesAsync(record.Id, serials, ct), cancellationToken);
    }

    public async Task<IReadOnlyList<X509Certificate2>> GetChainAsync(CancellationToken cancellationToken) =>
        (await services.Keys.GetSignerAsync(record.Id, record.UpdatedAt, cancellationToken)).FullChain;
}
