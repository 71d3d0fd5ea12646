using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A CA whose key this portal holds (<c>type=local</c>): signs CSRs under its templates, keeps the ledger of what it
/// issued, revokes, publishes CRLs and answers OCSP.
/// </summary>
/// <remarks>
/// After a revocation (or a hold release) commits, call <see cref="PublishCrlAsync"/>: the CRL is built from
/// committed rows only, so publishing inside the revoking transaction would miss the revocation.
/// </remarks>
public sealed class LocalCaConnector(CaConnectorRecord record, LocalCaServices services)
    : ICaConnector, ICrlPublisher, IOcspResponder, ICertificateHoldRelease, ICaCertificateChain
{
    public const string TypeName = "local";

    public string Name => record.Name;

    public string Type => TypeName;

    public string? DefaultTemplate => record.DefaultTemplate;

    public async Task<Result<CaIssueOutcome>> IssueAsync(PortalDbContext db, CaIssueRequest request, CancellationToken cancellationToken)
    {
        if (!record.FindTemplate(request.TemplateName).TryGetValue(out var template, out var templateError))
        {
            return templateError;
        }
        if (!template.BindNames(request).TryGetValue(out var names, out var namesError))
        {
            return namesError;
        }

        var signer = await services.Keys.GetSignerAsync(db, record.Id, record.UpdatedAt, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested(); // a client that has gone gets no certificate
        var certificate = services.Certificates.IssueEndEntity(signer, names.Subject, request.Csr.Request.PublicKey,
            template.ToProfile(request.Csr.KeyAlgorithm), names.SubjectAltNames, CaUrls.For(services.PublicBaseUrl, Name));

        db.IssuedCertificates.Add(new IssuedCertificateRecord
        {
            CaConnectorId = record.Id,
            SerialNumber = certificate.SerialNumber,
            Subject = certificate.Subject,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            Status = IssuedCertificateStatus.Valid,
            TokenSerial = request.TokenSerial,
            IssuedAt = services.Clock.GetUtcNow().UtcDateTime,
        });
        return new CaIssueOutcome.Issued(new IssuedCertificate(certificate, signer.FullChain));
    }

    public async Task<Result> RevokeAsync(PortalDbContext db, CaRevokeRequest request, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(request.Reason))
        {
            return PortalError.Validation($"{(int)request.Reason} is not an RFC 5280 revocation reason.");
        }
        var serial = NormaliseSerial(request.SerialHex);
        var revokedAt = request.RevokedAt.Kind == DateTimeKind.Local
            ? request.RevokedAt.ToUniversalTime()
            : DateTime.SpecifyKind(request.RevokedAt, DateTimeKind.Utc);
        var reason = (int)request.Reason;
        // One conditional UPDATE: of two concurrent revocations exactly one changes the row.
        var changed = await db.IssuedCertificates
            .Where(c => c.CaConnectorId == record.Id && c.SerialNumber == serial && c.Status == IssuedCertificateStatus.Valid)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, IssuedCertificateStatus.Revoked)
                .SetProperty(c => c.RevokedAt, revokedAt)
                .SetProperty(c => c.RevocationReason, reason), cancellationToken);
        if (changed == 1)
        {
            return Result.Success();
        }
        return await KnowsSerialAsync(db, serial, cancellationToken)
            ? PortalError.Conflict($"The certificate {serial} of CA '{Name}' is already revoked.")
            : PortalError.NotFound($"The CA '{Name}' has not issued a certificate with serial number {serial}.");
    }

    public async Task<Result> ReleaseHoldAsync(PortalDbContext db, string serialHex, CancellationToken cancellationToken)
    {
        var serial = NormaliseSerial(serialHex);
        var hold = (int)RevocationReason.CertificateHold;
        var changed = await db.IssuedCertificates
            .Where(c => c.CaConnectorId == record.Id && c.SerialNumber == serial
                        && c.Status == IssuedCertificateStatus.Revoked && c.RevocationReason == hold)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, IssuedCertificateStatus.Valid)
                .SetProperty(c => c.RevokedAt, (DateTime?)null)
                .SetProperty(c => c.RevocationReason, (int?)null), cancellationToken);
        if (changed == 1)
        {
            return Result.Success();
        }
        return await KnowsSerialAsync(db, serial, cancellationToken)
            ? PortalError.Conflict($"The certificate {serial} of CA '{Name}' is not on hold; only certificateHold can be released.")
            : PortalError.NotFound($"The CA '{Name}' has not issued a certificate with serial number {serial}.");
    }

    public Task<CrlInfo> PublishCrlAsync(CancellationToken cancellationToken) =>
        services.Crls.PublishAsync(record.Id, cancellationToken);

    public Task<CrlInfo?> GetCurrentCrlAsync(CancellationToken cancellationToken) =>
        services.Crls.GetCurrentAsync(record.Id, cancellationToken);

    public async Task<byte[]> RespondAsync(byte[] requestDer, CancellationToken cancellationToken)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(cancellationToken);
        var signer = await services.Keys.GetSignerAsync(db, record.Id, record.UpdatedAt, cancellationToken);
        return await services.Ocsp.RespondAsync(signer, requestDer, async (serials, ct) =>
        {
            var rows = await db.IssuedCertificates.AsNoTracking()
                .Where(c => c.CaConnectorId == record.Id && serials.Contains(c.SerialNumber))
                .Select(c => new { c.SerialNumber, c.Status, c.RevokedAt, c.RevocationReason, c.IssuedAt })
                .ToListAsync(ct);
            return rows.ToDictionary(r => r.SerialNumber, r => r.Status == IssuedCertificateStatus.Valid
                ? (OcspCertificateStatus)new OcspCertificateStatus.Good()
                : new OcspCertificateStatus.Revoked(r.RevokedAt ?? r.IssuedAt, (RevocationReason)(r.RevocationReason ?? 0)));
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2>> GetChainAsync(CancellationToken cancellationToken)
    {
        await using var db = await services.DbFactory.CreateDbContextAsync(cancellationToken);
        var signer = await services.Keys.GetSignerAsync(db, record.Id, record.UpdatedAt, cancellationToken);
        return signer.FullChain;
    }

    private Task<bool> KnowsSerialAsync(PortalDbContext db, string serial, CancellationToken cancellationToken) =>
        db.IssuedCertificates.AnyAsync(c => c.CaConnectorId == record.Id && c.SerialNumber == serial, cancellationToken);

    /// <summary>Accepts "0a:1b:..", "0A 1B" and lower case; the ledger holds plain upper-case hex.</summary>
    internal static string NormaliseSerial(string serialHex) =>
        new string((serialHex ?? "").Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
}

/// <summary>What every local CA connector shares; one instance for the application.</summary>
public sealed class LocalCaServices(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaKeyStore keys,
    LocalCrlPublisher crls,
    CertificateFactory certificates,
    OcspResponseBuilder ocsp,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Configuration.PortalOptions> portalOptions)
{
    public IDbContextFactory<PortalDbContext> DbFactory => dbFactory;
    public LocalCaKeyStore Keys => keys;
    public LocalCrlPublisher Crls => crls;
    public CertificateFactory Certificates => certificates;
    public OcspResponseBuilder Ocsp => ocsp;
    public TimeProvider Clock => clock;
    public string PublicBaseUrl => portalOptions.Value.PublicBaseUrl;
}

/// <summary>Builds <see cref="LocalCaConnector"/>s from their records.</summary>
internal sealed class LocalCaConnectorFactory(LocalCaServices services) : ICaConnectorFactory
{
    public string Type => LocalCaConnector.TypeName;

    public ICaConnector Create(CaConnectorRecord record) => new LocalCaConnector(record, services);
}
