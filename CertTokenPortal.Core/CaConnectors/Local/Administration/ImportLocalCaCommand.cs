using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Administration;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>
/// An existing CA to import: the certificate (followed by its chain when it is an intermediate) with its key as PEM,
/// or a PKCS#12 file.
/// </summary>
public sealed record ImportCaRequest(string Name)
{
    /// <summary>PEM: the CA certificate first, then the certificates above it.</summary>
    public string? CertificatePem { get; init; }
    /// <summary>PEM key: PKCS#1, SEC1, PKCS#8, encrypted PKCS#8 or legacy encrypted PEM.</summary>
    public string? KeyPem { get; init; }
    public string? KeyPassword { get; init; }
    /// <summary>Instead of the PEMs: a base64 PKCS#12 holding the key, the certificate and optionally the chain.</summary>
    public string? Pkcs12Base64 { get; init; }
    public string? Pkcs12Password { get; init; }
    public int CrlValidityDays { get; init; } = 7;
    public int CrlOverlapDays { get; init; } = 2;
}

/// <summary>
/// Imports an existing CA as a local CA. Checks that the certificate is a CA that is valid now, that the key belongs
/// to it and is strong enough, and that an intermediate's chain leads to a root; then stores it like a created CA.
/// </summary>
public sealed class ImportLocalCaCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaRecordFactory records,
    LocalCrlPublisher crls,
    ICaConnectorRegistry registry,
    IAuditLog audit, UseCaseGuard guard,
    TimeProvider clock)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, ImportCaRequest request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("import CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaImport, refusal.Message) with { CaName = request.Name },
            () => ExecuteCheckedAsync(actor, request, ct), ct);

    private async Task<Result<CaConnectorInfo>> ExecuteCheckedAsync(Actor actor, ImportCaRequest request, CancellationToken ct)
    {
        var invalid = CaRules.CheckName(request.Name) ?? CaRules.CheckCrlDays(request.CrlValidityDays, request.CrlOverlapDays);
        if (invalid is not null)
        {
            return invalid;
        }

        var material = ReadMaterial(request);
        if (!material.TryGetValue(out var ca, out var error))
        {
            return error;
        }
        using var key = ca.Key;
        var checkedChain = Check(ca.Certificate, key, ca.Others);
        if (!checkedChain.TryGetValue(out var chain, out error))
        {
            return error;
        }
        if (await LocalCaRecordFactory.NameTakenAsync(dbFactory, request.Name, ct))
        {
            return LocalCaRecordFactory.NameTaken(request.Name);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = records.Add(db, request.Name, ca.Certificate, chain, key, request.CrlValidityDays, request.CrlOverlapDays);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaImport,
            $"Imported CA '{request.Name}' ({ca.Certificate.Subject}, {record.LocalCa!.KeyDescription}, {(chain.Count == 0 ? "root" : $"intermediate with {chain.Count} certificate(s) above it")}).") with { CaName = request.Name });
        // The unique name index decides when someone created the name since the check above.
        if (await LocalCaRecordFactory.SaveNewAsync(db, dbFactory, request.Name, ct) is { } taken)
        {
            return taken;
        }
        await crls.PublishAsync(record.Id, ct);
        return (await registry.ListAsync(ct)).Single(c => c.Name == request.Name);
    }

    private static Result<(X509Certificate2 Certificate, AsymmetricAlgorithm Key, IReadOnlyList<X509Certificate2> Others)> ReadMaterial(ImportCaRequest request)
    {
        if (!string.IsNullOrWhiteSpace(request.Pkcs12Base64))
        {
            return CaKeyReader.ReadPkcs12(request.Pkcs12Base64, request.Pkcs12Password);
        }
        if (string.IsNullOrWhiteSpace(request.CertificatePem) || string.IsNullOrWhiteSpace(request.KeyPem))
        {
            return PortalError.Validation("Give the CA certificate (cacert) and its key (cakey) as PEM, or a PKCS#12 file (pkcs12).");
        }
        IReadOnlyList<X509Certificate2> certificates;
        try
        {
            certificates = PemCertificates.ReadAll(request.CertificatePem);
        }
        catch (CryptographicException)
        {
            return PortalError.Validation("cacert is not a PEM certificate (followed by its chain).");
        }
        if (certificates.Count == 0)
        {
            return PortalError.Validation("cacert holds no PEM certificate.");
        }
        var key = CaKeyReader.ReadPem(request.KeyPem, request.KeyPassword, certificates[0]);
        return key.IsSuccess
            ? (certificates[0], key.Value, certificates.Skip(1).ToList())
            : key.Error;
    }

    /// <summary>The checks on the CA; returns the chain above it, ordered up to the root.</summary>
    private Result<IReadOnlyList<X509Certificate2>> Check(X509Certificate2 certificate, AsymmetricAlgorithm key, IReadOnlyList<X509Certificate2> others)
    {
        if (CaRules.CheckIsCa(certificate) is { } notCa)
        {
            return notCa;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (now > certificate.NotAfter.ToUniversalTime() || now < certificate.NotBefore.ToUniversalTime())
        {
            return PortalError.Validation($"The CA certificate is not valid now (valid {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}).");
        }
        if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            return PortalError.Validation("The private key does not belong to the CA certificate.");
        }
        if (key is RSA { KeySize: < 2048 })
        {
            return PortalError.Validation($"The CA key has {key.KeySize} bits; at least 2048 are required.");
        }
        if (key is ECDsa ec && ec.KeySize is not (256 or 384 or 521))
        {
            return PortalError.Validation("The CA key's curve is not accepted; use P-256, P-384 or P-521.");
        }

        var chain = OrderChain(certificate, others);
        var top = chain.Count == 0 ? certificate : chain[^1];
        if (top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData) is false)
        {
            return PortalError.Validation($"The chain ends at '{top.Subject}', which is not a root; add the certificates up to the root after the CA certificate.");
        }
        foreach (var above in chain)
        {
            if (CaRules.CheckIsCa(above) is { } aboveNotCa)
            {
                return aboveNotCa;
            }
        }
        if (chain.Count > 0 && !ChainVerifies(certificate, chain, now))
        {
            return PortalError.Validation("The CA certificate does not verify against the chain given with it.");
        }
        return Result<IReadOnlyList<X509Certificate2>>.Success(chain);
    }

    /// <summary>The given certificates ordered from the CA's issuer up to the root; certificates off the path are dropped.</summary>
    private static List<X509Certificate2> OrderChain(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> others)
    {
        var chain = new List<X509Certificate2>();
        var current = certificate;
        while (!current.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && chain.Count < 10)
        {
            var issuer = others.FirstOrDefault(o => o.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && !chain.Contains(o));
            if (issuer is null)
            {
                break;
            }
            chain.Add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static bool ChainVerifies(X509Certificate2 certificate, List<X509Certificate2> chain, DateTime now)
    {
        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verifier.ChainPolicy.VerificationTime = now;
        verifier.ChainPolicy.CustomTrustStore.Add(chain[^1]);
        verifier.ChainPolicy.ExtraStore.AddRange(chain.Take(chain.Count - 1).ToArray());
        return verifier.Build(certificate);
    }
}
